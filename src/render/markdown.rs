//! Markdown to HTML: pulldown-cmark with tables, footnotes, smart punctuation and stable
//! heading ids; internal `@/` links rewritten; raw HTML passed through an allow-list
//! sanitiser so authors cannot inject script; quote shortcodes split the output so the
//! theme draws each quote in place.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::resolve::Placement;
use crate::slug::slugify;

/// A piece of a rendered body: HTML, or the place of a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyPart {
    Html(String),
    /// Index into the site's quotes.
    Quote(usize),
}

/// What rendering needs to know about the rest of the site.
pub struct Links<'a> {
    pub config: &'a Config,
    /// Content path → site-relative URL path.
    pub targets: &'a HashMap<String, String>,
}

/// A Markdown body of a file, with where it starts in its source for diagnostics.
pub struct Body<'a> {
    pub source: &'a Arc<SourceText>,
    pub offset: usize,
    /// Participants' words (quotes, responses) keep their own characters: no smart
    /// punctuation turns their `"` into `“` or `...` into `…`.
    pub verbatim: bool,
}

impl Body<'_> {
    fn text(&self) -> &str {
        &self.source.text[self.offset..]
    }
}

fn options(verbatim: bool) -> Options {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if verbatim {
        options
    } else {
        options | Options::ENABLE_SMART_PUNCTUATION
    }
}

/// The allow-list sanitiser: ammonia's safe defaults plus what pulldown-cmark emits
/// (heading ids, footnote classes) and `<abbr title>`. An element it does not allow loses
/// its tags and keeps its text, `<script>` and `<style>` included (ammonia's default drops
/// their text too): words in a page are never removed unseen.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .clean_content_tags(HashSet::new())
        .add_generic_attributes(["id"])
        .add_tags(["abbr", "figure", "figcaption"])
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("span", ["class"])
        .link_rel(None)
        .id_prefix(None);
    builder
});

/// Sanitises HTML that may contain authors' raw HTML.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// A heading whose events are held back until its text is known, to derive its id:
/// level, classes, attributes and the inline events inside it.
type PendingHeading<'a> = (
    HeadingLevel,
    Vec<CowStr<'a>>,
    Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    Vec<Event<'a>>,
);

/// Renders a body to HTML parts, splitting at `placements`. Problems (unknown link
/// targets, shortcodes not on a line of their own) are returned as diagnostics.
pub fn render(
    body: &Body<'_>,
    placements: &[Placement],
    links: &Links<'_>,
) -> (Vec<BodyPart>, Vec<Diagnostic>) {
    let text = body.text();
    let mut parts = Vec::new();
    let mut diagnostics = Vec::new();
    let mut segment: Vec<Event<'_>> = Vec::new();
    let mut headings = Headings::default();
    let mut placed = vec![false; placements.len()];
    let mut skipping_shortcode = false;

    for (event, range) in Parser::new_ext(text, options(body.verbatim)).into_offset_iter() {
        if skipping_shortcode {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                skipping_shortcode = false;
            }
            continue;
        }
        if let Event::Start(Tag::Paragraph) = &event
            && let Some(i) = placements.iter().position(|p| {
                text[range.clone()].trim_end() == &text[p.range.clone()]
                    && range.start == p.range.start
            })
        {
            flush(&mut segment, &mut parts);
            parts.push(BodyPart::Quote(placements[i].quote));
            placed[i] = true;
            skipping_shortcode = true;
            continue;
        }
        let event = match event {
            // Participants' words are never markup: what looks like HTML is their text.
            Event::Html(html) | Event::InlineHtml(html) if body.verbatim => Event::Text(html),
            Event::Start(Tag::HtmlBlock) if body.verbatim => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) if body.verbatim => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(&dest_url, links).unwrap_or_else(|message| {
                    diagnostics.push(Diagnostic::error_at("link/unknown-target", body.source, body.offset + range.start, range.len(), message)
                        .with_help("write internal links as @/ followed by the path of the .md file under content/"));
                    dest_url
                });
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        headings.push(event, &mut segment);
    }
    flush(&mut segment, &mut parts);
    diagnostics.extend(unplaced(body, placements, &placed));
    (parts, diagnostics)
}

/// The headings of a body: each heading without an id of its own gets one made from its
/// text, unique in the body, so its events are held back until its text is known.
#[derive(Default)]
struct Headings<'a> {
    ids: HashSet<String>,
    pending: Option<PendingHeading<'a>>,
}

impl<'a> Headings<'a> {
    /// Adds `event` to `segment`, or holds it back while a heading's text is read.
    fn push(&mut self, event: Event<'a>, segment: &mut Vec<Event<'a>>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }) => {
                self.pending = Some((level, classes, attrs, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) if self.pending.is_some() => {
                if let Some((level, classes, attrs, inner)) = self.pending.take() {
                    let id = unique_id(&plain_text(&inner), &mut self.ids);
                    segment.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes,
                        attrs,
                    }));
                    segment.extend(inner);
                    segment.push(Event::End(TagEnd::Heading(level)));
                }
            }
            other => match self.pending.as_mut() {
                Some((_, _, _, inner)) => inner.push(other),
                None => {
                    if let Event::Start(Tag::Heading { id: Some(id), .. }) = &other {
                        self.ids.insert(id.to_string());
                    }
                    segment.push(other);
                }
            },
        }
    }
}

/// An error for each placement the Markdown did not read as a paragraph of its own.
fn unplaced(body: &Body<'_>, placements: &[Placement], placed: &[bool]) -> Vec<Diagnostic> {
    placements
        .iter()
        .zip(placed)
        .filter(|(_, placed)| !**placed)
        .map(|(placement, _)| {
            Diagnostic::error_at(
                "shortcode/not-alone",
                body.source,
                body.offset + placement.range.start,
                placement.range.len(),
                "a quote shortcode must stand on a line of its own, between blank lines",
            )
            .with_help("put an empty line before and after the shortcode")
        })
        .collect()
}

/// Renders a body with no placements to one HTML string.
pub fn render_html(body: &Body<'_>, links: &Links<'_>) -> (String, Vec<Diagnostic>) {
    let (parts, diagnostics) = render(body, &[], links);
    let html = parts
        .into_iter()
        .map(|part| match part {
            BodyPart::Html(html) => html,
            BodyPart::Quote(_) => String::new(),
        })
        .collect();
    (html, diagnostics)
}

fn flush(segment: &mut Vec<Event<'_>>, parts: &mut Vec<BodyPart>) {
    if segment.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, segment.drain(..));
    parts.push(BodyPart::Html(sanitise(&html)));
}

/// `@/summaries/x/02-y.md#anchor` → the target's URL; other links are left alone.
fn rewrite_link<'a>(dest: &CowStr<'a>, links: &Links<'_>) -> Result<CowStr<'a>, String> {
    let Some(rest) = dest.strip_prefix("@/") else {
        return Ok(dest.clone());
    };
    let (path, anchor) = match rest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (rest, None),
    };
    let target = links
        .targets
        .get(path)
        .ok_or_else(|| format!("the link points to `@/{path}`, but there is no content/{path}"))?;
    let url = links.config.url(target);
    Ok(match anchor {
        Some(anchor) => format!("{url}#{anchor}").into(),
        None => url.into(),
    })
}

/// The text of a run of inline events, for heading ids.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

/// A heading id from its text, made unique within the page by a numeric suffix.
fn unique_id(text: &str, used: &mut HashSet<String>) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, SiteConfig};

    fn config() -> Config {
        let site: SiteConfig =
            serde_saphyr::from_str("title: T\nbase_url: https://example.org/review/\n").unwrap();
        Config::new(site).unwrap()
    }

    fn html(text: &str) -> String {
        let source = Arc::new(SourceText {
            name: "a.md".into(),
            text: text.into(),
        });
        let config = config();
        let mut targets = HashMap::new();
        targets.insert(
            "summaries/w/02-stigma.md".to_string(),
            "summaries/w/stigma/".to_string(),
        );
        let (html, diagnostics) = render_html(
            &Body {
                source: &source,
                offset: 0,
                verbatim: false,
            },
            &Links {
                config: &config,
                targets: &targets,
            },
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        html
    }

    #[test]
    fn headings_get_unique_ids_from_their_text() {
        let out = html("## Support\n\n## Support\n\n### Early *help*\n");
        assert!(out.contains(r#"<h2 id="support">"#), "{out}");
        assert!(out.contains(r#"<h2 id="support-1">"#), "{out}");
        assert!(out.contains(r#"<h3 id="early-help">"#), "{out}");
    }

    #[test]
    fn script_is_removed_and_safe_html_kept() {
        let out = html("Hello <script>alert(1)</script><em onclick=\"x()\">there</em>\n");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(out.contains("<em>there</em>"), "{out}");
    }

    #[test]
    fn internal_links_are_rewritten_under_the_base_path() {
        let out = html("[see](@/summaries/w/02-stigma.md#support)\n");
        assert!(
            out.contains(r#"href="/review/summaries/w/stigma/#support""#),
            "{out}"
        );
    }

    #[test]
    fn participants_words_keep_their_own_punctuation() {
        let source = Arc::new(SourceText {
            name: "q.md".into(),
            text: "\"Less paperwork\" -- it's... (Parent)\n".into(),
        });
        let config = config();
        let targets = HashMap::new();
        let (out, _) = render_html(
            &Body {
                source: &source,
                offset: 0,
                verbatim: true,
            },
            &Links {
                config: &config,
                targets: &targets,
            },
        );
        assert!(out.contains("\"Less paperwork\" -- it's..."), "{out}");
    }

    #[test]
    fn smart_punctuation_tables_and_footnotes() {
        let out = html(
            "\"Hello\" -- it's\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1]\n\n[^1]: The note.\n",
        );
        assert!(out.contains("“Hello”"), "{out}");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("footnote-definition"), "{out}");
    }
}
