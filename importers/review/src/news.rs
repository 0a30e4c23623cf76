//! Parser for a review newsletter (`sources/newsletter-2021-09.txt`): one news page.
//!
//! The text is a web page saved as text: a title line, a contents list of the sections
//! (`- Chair's introduction`), then each section's heading on a line of its own followed by
//! paragraphs separated by blank lines, with links written `<https://…>`. The contents
//! entries are short forms of the headings ("Chair's introduction" for "Introduction from Josh
//! MacAlister - chair of the review"), so a heading is a stand-alone line containing every
//! word of the next contents entry. The contents list is kept as a list of in-page links to
//! the headings' ids.

use std::path::PathBuf;

use super::text::{escape_inline, escape_line_start, first_sentence, fix_ligatures, join_lines};
use super::{FrontMatter, ImportedFile};
use chorus::content::date::Date;
use chorus::content::kinds::PageMeta;
use chorus::slug::slugify;

/// The newsletter gives its month but no day; news needs a date, so the month's last day.
const DATE: &str = "2021-09-30";
const SLUG: &str = "september-2021-newsletter";

/// Parses a newsletter into one news page; nothing when the text is empty.
pub fn parse(text: &str) -> Vec<ImportedFile> {
    let text = fix_ligatures(text);
    let blocks = blocks(&text);
    let Some((title, rest)) = blocks.split_first() else {
        return Vec::new();
    };
    let title = join_lines(title);
    let contents: Vec<String> = rest
        .first()
        .filter(|b| b.iter().all(|l| l.starts_with("- ")))
        .map(|b| b.iter().map(|l| l[2..].trim().to_string()).collect())
        .unwrap_or_default();
    let body_blocks = if contents.is_empty() {
        rest
    } else {
        &rest[1..]
    };

    let mut parts: Vec<String> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut next_entry = 0;
    let mut description = None;
    for block in body_blocks {
        let text = join_lines(block);
        let entry = contents.get(next_entry);
        if block.len() == 1 && entry.is_some_and(|e| is_heading_for(&text, e)) {
            if let Some(entry) = entry {
                links.push(format!("- [{}](#{})", escape_inline(entry), slugify(&text)));
            }
            next_entry += 1;
            parts.push(format!("## {}", escape_with_links(&text, false)));
            continue;
        }
        if description.is_none() && next_entry > 0 {
            description = Some(first_sentence(&text));
        }
        parts.push(escape_with_links(&text, true));
    }
    let mut body = links.join("\n");
    if !body.is_empty() {
        body.push_str("\n\n");
    }
    body.push_str(&parts.join("\n\n"));

    vec![ImportedFile {
        path: PathBuf::from(format!("news/{SLUG}.md")),
        front_matter: FrontMatter::Page(PageMeta {
            title,
            description,
            date: Date::parse(DATE).ok(),
            weight: 0,
            template: None,
            aliases: Vec::new(),
            updated: None,
            changes: Vec::new(),
            lint_allow: Vec::new(),
            draft: false,
        }),
        body,
    }]
}

/// The text's blocks: runs of non-blank lines (trimmed) between blank lines.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Lowercased words, with a possessive `'s` dropped ("Chair's" → "chair").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            lower
                .strip_suffix("'s")
                .or_else(|| lower.strip_suffix("’s"))
                .unwrap_or(&lower)
                .to_string()
        })
        .collect()
}

/// Whether a stand-alone line is the heading a contents entry names: a short line that does
/// not end a sentence (a trailing "..." is allowed) and contains every word of the entry.
fn is_heading_for(line: &str, entry: &str) -> bool {
    let line_words = words(line);
    let entry_words = words(entry);
    line.chars().count() <= 80
        && (!line.ends_with(['.', ':', '?', '!']) || line.ends_with("..."))
        && !entry_words.is_empty()
        && entry_words.iter().all(|w| line_words.contains(w))
}

/// Escapes text for Markdown, keeping `<https://…>` autolinks as links. With `line_start`,
/// text at the very start also gets the block-level escapes (`#`, `>`, list markers).
fn escape_with_links(text: &str, line_start: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    let escape = |segment: &str, first: bool| {
        if first && line_start {
            escape_line_start(segment)
        } else {
            escape_inline(segment)
        }
    };
    let mut first = true;
    while let Some(start) = rest.find("<http") {
        let link_len = rest[start..].find('>');
        let link = link_len.map(|len| &rest[start..=start + len]);
        match link {
            Some(link) if !link.contains(char::is_whitespace) => {
                out.push_str(&escape(&rest[..start], first && start > 0));
                out.push_str(link);
                rest = &rest[start + link.len()..];
            }
            _ => {
                out.push_str(&escape(&rest[..=start], first));
                rest = &rest[start + 1..];
            }
        }
        first = false;
    }
    out.push_str(&escape(rest, first));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(files: &[ImportedFile]) -> (&ImportedFile, &PageMeta) {
        match files {
            [file] => match &file.front_matter {
                FrontMatter::Page(meta) => (file, meta),
                other => panic!("not a page: {other:?}"),
            },
            _ => panic!("expected one file, got {}", files.len()),
        }
    }

    const EXCERPT: &str = "\n\nReview newsletter: September 2021\n\n- Chair's introduction\n\
        - In case you missed it\n\nIntroduction from Josh - chair of the review\n\n\
        We are seven months in. More soon.\n\n# of visits: 3 * 2\n\nJosh\n\n\
        In case you missed it...\n\nA thread is here: <https://twitter.com/x/status/1>\n";

    #[test]
    fn contents_become_links_to_the_headings_and_links_are_kept() {
        let files = parse(EXCERPT);
        let (file, meta) = page(&files);
        assert_eq!(
            file.path,
            PathBuf::from("news/september-2021-newsletter.md")
        );
        assert_eq!(meta.title, "Review newsletter: September 2021");
        assert_eq!(meta.description.as_deref(), Some("We are seven months in."));
        assert_eq!(
            meta.date.map(|d| d.to_string()).as_deref(),
            Some("2021-09-30")
        );
        assert_eq!(
            file.body,
            "- [Chair's introduction](#introduction-from-josh-chair-of-the-review)\n\
             - [In case you missed it](#in-case-you-missed-it)\n\n\
             ## Introduction from Josh - chair of the review\n\n\
             We are seven months in. More soon.\n\n\\# of visits: 3 \\* 2\n\nJosh\n\n\
             ## In case you missed it...\n\n\
             A thread is here: <https://twitter.com/x/status/1>"
        );
    }

    #[test]
    fn empty_text_gives_no_page() {
        assert!(parse("").is_empty());
        assert!(parse("\n\n").is_empty());
        let source = include_str!("../sources/newsletter-2021-09.txt");
        for (n, (cut, _)) in source.char_indices().enumerate() {
            if n % 500 == 0 {
                assert!(parse(&source[..cut]).len() <= 1);
                assert!(parse(&source[cut..]).len() <= 1);
            }
        }
        let files = parse("Just a title");
        let (_, meta) = page(&files);
        assert_eq!(meta.title, "Just a title");
    }

    #[test]
    fn full_source() {
        let source = include_str!("../sources/newsletter-2021-09.txt");
        let files = parse(source);
        let (file, meta) = page(&files);
        assert_eq!(
            meta.title,
            "Independent review of children's social care newsletter: September 2021"
        );
        assert_eq!(meta.weight, 0);
        let headings: Vec<&str> = file
            .body
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .collect();
        assert_eq!(
            headings,
            [
                "Introduction from Josh MacAlister - chair of the review",
                "Local area deep dives",
                "Bridge the Gap",
                "Kinship Care Week",
                "Engaging and listening",
                "In case you missed it...",
            ]
        );
        // Six contents links, each to the id the renderer gives its heading.
        for heading in &headings {
            assert!(
                file.body.contains(&format!("](#{})", slugify(heading))),
                "{heading}"
            );
        }
        // Every link of the source survives as an autolink.
        let links = source.matches("<https://").count();
        assert_eq!(links, 7);
        assert_eq!(file.body.matches("<https://").count(), links);
        // Every paragraph of the source is in the body, word for word.
        let body = crate::text::unescape(&file.body);
        for paragraph in source
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if !paragraph.starts_with("- ") && paragraph != meta.title {
                assert!(body.contains(paragraph), "missing: {paragraph}");
            }
        }
    }
}
