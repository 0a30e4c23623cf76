//! The shape of a body as screen-reader users meet it: headings that skip a level (they
//! navigate by level, so a skipped one reads as a missing section), headings and section
//! files with nothing in them, images without alt text, and links whose text says nothing
//! out of context ("click here") or is a bare URL read out character by character.

use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::diagnostics::Diagnostic;
use crate::resolve::{ItemRef, Site};

/// Link texts that say nothing about where the link goes, compared in lowercase without
/// trailing punctuation.
const VAGUE_LINK_TEXTS: [&str; 17] = [
    "click here",
    "here",
    "click",
    "click this",
    "read more",
    "more",
    "more here",
    "this",
    "this link",
    "link",
    "this page",
    "page",
    "go",
    "learn more",
    "find out more",
    "more info",
    "more information",
];

/// `<img …>` in raw HTML, and an `alt` attribute in it.
static IMG_TAG: LazyLock<Regex> = LazyLock::new(|| compile(r"(?is)<img\b[^>]*>"));
static ALT_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\salt\s*="));

fn compile(source: &str) -> Regex {
    match Regex::new(source) {
        Ok(regex) => regex,
        Err(e) => unreachable!("a constant pattern does not compile: {e}"),
    }
}

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = site.items().flat_map(|item| lint_body(&item)).collect();
    for section in &site.sections {
        let body = section.doc.body();
        if body.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error_at(
                    "section/empty",
                    &section.doc.source,
                    0,
                    section.doc.body_offset.min(3),
                    format!("the section `{}` has no text and places no quotes, so its page would be empty", section.doc.meta.title),
                )
                .with_help("write the section's text or place its quotes with {{ quote(id=\"…\") }}, or remove the file")
                .warning(),
            );
        }
    }
    diagnostics
}

/// A heading that nothing has followed yet: its level and its source range.
struct OpenHeading {
    level: u8,
    at: std::ops::Range<usize>,
}

/// A link while its text is read.
struct OpenLink {
    kind: LinkType,
    dest: String,
    at: std::ops::Range<usize>,
    text: String,
}

fn lint_body(text: &ItemRef<'_>) -> Vec<Diagnostic> {
    let body = text.body();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let warn = |code, range: &std::ops::Range<usize>, message: String, help: &str| {
        Diagnostic::error_at(
            code,
            text.source,
            text.body_offset + range.start,
            range.len(),
            message,
        )
        .with_help(help.to_string())
        .warning()
    };
    let mut headings = HeadingLint {
        previous_level: 1,
        empty: None,
        inside: false,
    };
    let mut image: Option<(std::ops::Range<usize>, String)> = None;
    let mut link: Option<OpenLink> = None;
    let mut diagnostics = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if let Event::Start(Tag::Heading { level, .. }) = &event {
            diagnostics.extend(headings.start(heading_number(*level), &range, body, &warn));
            continue;
        }
        let part_of_heading = headings.inside || matches!(event, Event::End(TagEnd::Heading(_)));
        match event {
            Event::End(TagEnd::Heading(_)) => headings.inside = false,
            Event::Start(Tag::Image { .. }) => image = Some((range.clone(), String::new())),
            Event::End(TagEnd::Image) => {
                if let Some((at, alt)) = image.take()
                    && alt.trim().is_empty()
                {
                    diagnostics.push(warn(
                        "image/no-alt",
                        &at,
                        "this image has no alt text, so screen reader users do not know what it shows".to_string(),
                        "describe the image between the brackets: ![A chart of quotes per voice](chart.png)",
                    ));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                link = Some(OpenLink {
                    kind: link_type,
                    dest: dest_url.to_string(),
                    at: range.clone(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Link) => {
                diagnostics.extend(link.take().and_then(|open| link_text_warning(&warn, &open)));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(&t);
                }
                if let Some(open) = link.as_mut() {
                    open.text.push_str(&t);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                diagnostics.extend(html_images_without_alt(body, &range, &html, &warn));
            }
            _ => {}
        }
        if !part_of_heading && !is_blank(&range, body) {
            headings.empty = None;
        }
    }
    if let Some(open) = headings.empty {
        diagnostics.push(empty_heading_warning(&warn, &open, body));
    }
    diagnostics
}

/// The headings of a body as they are read.
struct HeadingLint {
    /// The level of the last heading; the page's title is its one level-1 heading, so the
    /// body's headings start at level 2.
    previous_level: u8,
    /// The last heading, until something other than a heading follows it.
    empty: Option<OpenHeading>,
    /// Whether the events read are a heading's text.
    inside: bool,
}

impl HeadingLint {
    /// A heading of `level` starts at `range`: the warnings it settles, about the heading
    /// before it (nothing under it) and about itself (a level skipped).
    fn start(
        &mut self,
        level: u8,
        range: &std::ops::Range<usize>,
        body: &str,
        warn: &impl Fn(&'static str, &std::ops::Range<usize>, String, &str) -> Diagnostic,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Some(open) = self.empty.take()
            && level <= open.level
        {
            found.push(empty_heading_warning(warn, &open, body));
        }
        let previous = self.previous_level;
        if level > previous + 1 {
            found.push(warn(
                "heading/skipped-level",
                range,
                format!(
                    "this heading is level {level} but the heading before it is level {previous}; a screen reader user hears a missing section",
                ),
                &format!("write it as a level-{} heading ({} …), or add the heading it belongs under", previous + 1, "#".repeat(usize::from(previous) + 1)),
            ));
        }
        self.previous_level = level;
        self.inside = true;
        self.empty = Some(OpenHeading {
            level,
            at: range.clone(),
        });
        found
    }
}

/// A warning for each `<img>` without an `alt` attribute in raw HTML at `range`.
fn html_images_without_alt(
    body: &str,
    range: &std::ops::Range<usize>,
    html: &str,
    warn: &impl Fn(&'static str, &std::ops::Range<usize>, String, &str) -> Diagnostic,
) -> Vec<Diagnostic> {
    IMG_TAG
        .find_iter(html)
        .filter(|tag| !ALT_ATTRIBUTE.is_match(tag.as_str()))
        .map(|tag| {
            let at = html_range(body, range, html, tag.range());
            warn(
                "image/no-alt",
                &at,
                "this image has no alt attribute, so screen reader users do not know what it shows"
                    .to_string(),
                "add alt=\"…\" describing the image (alt=\"\" only for a purely decorative one)",
            )
        })
        .collect()
}

/// Whether the source of an event is only whitespace.
fn is_blank(range: &std::ops::Range<usize>, body: &str) -> bool {
    body.get(range.clone()).is_none_or(|s| s.trim().is_empty())
}

fn empty_heading_warning(
    warn: &impl Fn(&'static str, &std::ops::Range<usize>, String, &str) -> Diagnostic,
    open: &OpenHeading,
    body: &str,
) -> Diagnostic {
    let title = body
        .get(open.at.clone())
        .unwrap_or_default()
        .trim()
        .trim_start_matches('#')
        .trim();
    warn(
        "heading/empty",
        &open.at,
        format!("the heading “{title}” has nothing under it before the next heading of its level"),
        "write what belongs under the heading, or remove it",
    )
}

fn link_text_warning(
    warn: &impl Fn(&'static str, &std::ops::Range<usize>, String, &str) -> Diagnostic,
    link: &OpenLink,
) -> Option<Diagnostic> {
    let text = link.text.trim();
    let plain = text.trim_end_matches(['.', ':', '!', '…']).to_lowercase();
    let url_like = ["http://", "https://", "www."]
        .iter()
        .any(|p| text.starts_with(p));
    let email = link.kind == LinkType::Email || link.dest.starts_with("mailto:");
    if !email
        && (link.kind == LinkType::Autolink || url_like || (!text.is_empty() && text == link.dest))
    {
        return Some(warn(
            "link/bare-url",
            &link.at,
            format!(
                "the link's text is the address itself (`{text}`), which a screen reader reads out character by character"
            ),
            "write what the link leads to as its text: [the consultation's final report](https://…)",
        ));
    }
    VAGUE_LINK_TEXTS.contains(&plain.as_str()).then(|| {
        warn(
            "link/vague-text",
            &link.at,
            format!("the link's text “{text}” does not say where it leads; screen reader users often list links without the text around them"),
            "use words that name the target as the link text: read [the workforce summary](@/…)",
        )
    })
}

/// The range in the body of a match inside an HTML event, found by searching the
/// event's source for the matched text.
fn html_range(
    body: &str,
    event: &std::ops::Range<usize>,
    html: &str,
    matched: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let needle = &html[matched];
    body.get(event.clone())
        .and_then(|source| source.find(needle))
        .map_or(event.clone(), |at| {
            event.start + at..event.start + at + needle.len()
        })
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceText;
    use crate::resolve::ItemKind;

    fn codes(body: &str) -> Vec<(&'static str, usize)> {
        let source = Arc::new(SourceText {
            name: "content/a.md".into(),
            text: format!("---\ntitle: A\n---\n{body}"),
        });
        let text = ItemRef {
            kind: ItemKind::Page,
            index: 0,
            source: &source,
            file: "a.md",
            body_offset: 15,
            path: "a/",
            aliases: &[],
            lint_allow: &[],
            changes: &[],
        };
        lint_body(&text)
            .iter()
            .map(|d| (d.code, d.location.map_or(0, |l| l.line)))
            .collect()
    }

    #[test]
    fn a_skipped_heading_level_is_found_and_a_regular_outline_is_not() {
        assert_eq!(
            codes("Intro.\n\n### Too deep\n\nText.\n"),
            [("heading/skipped-level", 6)]
        );
        assert_eq!(
            codes("## A\n\nText.\n\n### B\n\nText.\n\n## C\n\nText.\n"),
            []
        );
    }

    #[test]
    fn a_heading_with_nothing_under_it_is_found() {
        assert_eq!(codes("## A\n\n## B\n\nText.\n"), [("heading/empty", 4)]);
        assert_eq!(codes("## A\n\nText.\n\n## Last\n"), [("heading/empty", 8)]);
        assert_eq!(codes("## A\n\n### B\n\nText.\n"), []);
    }

    #[test]
    fn images_without_alt_text_are_found() {
        assert_eq!(
            codes("![](chart.png)\n\n<img src=\"x.png\">\n"),
            [("image/no-alt", 4), ("image/no-alt", 6)]
        );
        assert_eq!(
            codes("![A chart](chart.png)\n\n<img src=\"x.png\" alt=\"\">\n"),
            []
        );
    }

    #[test]
    fn vague_link_texts_and_bare_urls_are_found() {
        assert_eq!(
            codes(
                "For the report [click here](https://example.org/r).\n\n<https://example.org/r>\n\n[https://example.org](https://example.org)\n"
            ),
            [
                ("link/vague-text", 4),
                ("link/bare-url", 6),
                ("link/bare-url", 8)
            ]
        );
        assert_eq!(
            codes("Read [the final report](https://example.org/r) and write to <a@example.org>.\n"),
            []
        );
    }
}
