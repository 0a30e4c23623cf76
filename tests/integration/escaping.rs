//! Escaping everywhere: a title, speaker, quote or response holding HTML, quotation marks or
//! `</script>` is shown as text in every kind of output (pages, the Atom feed, the sitemap,
//! the search index, the JSON and CSV exports), never run or parsed as markup. Each test
//! parses its output the way a reader of that format would.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Markup, both quotation marks, an ampersand and a script end tag.
const NASTY: &str = r#"</script><script>alert("x")</script> <b>bold</b> & "double" 'single'"#;

/// `NASTY` as the importer writes participants' words into Markdown: `<` escaped, so the
/// words are shown as written.
const NASTY_MARKDOWN: &str =
    r#"\</script>\<script>alert("x")\</script> \<b>bold\</b> & "double" 'single'"#;

/// A YAML double-quoted scalar holding `text`.
fn yaml(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// The fixture with `NASTY` as a summary's title and lede, a section's title, a quote's
/// speaker and words, a response's respondent and words, a news item's title and a page's
/// title and description; built into `public/` under `base_url`.
fn nasty_site(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let site = fixture("basic");
    let root = site.path();
    let n = yaml(NASTY);
    write(
        root,
        "content/summaries/workforce/_index.md",
        &format!(
            "---\ntitle: {n}\nlede: {n}\npublished: 2022-05-23\nmethod: Online events\nsource:\n  title: {n}\nweight: 1\n---\n\nAbout.\n"
        ),
    );
    let section = std::fs::read_to_string(root.join("content/summaries/workforce/01-working.md"))
        .expect("section");
    write(
        root,
        "content/summaries/workforce/01-working.md",
        &section.replace("title: Working in the system", &format!("title: {n}")),
    );
    write(
        root,
        "content/quotes/workforce/workforce-001.md",
        &format!(
            "---\nid: workforce-001\nspeaker: {n}\nvoice: social-worker\nprovenance: verbatim\nsummary: workforce\nsection: working\n---\n\n{NASTY_MARKDOWN}\n"
        ),
    );
    write(
        root,
        "content/responses/response-0001.md",
        &format!(
            "---\nnumber: 1\ntopics: [kinship-care]\nrespondent: {n}\n---\n\n{NASTY_MARKDOWN}\n"
        ),
    );
    write(
        root,
        "content/news/first.md",
        &format!("---\ntitle: {n}\ndate: 2021-09-30\n---\n\n{NASTY_MARKDOWN}\n"),
    );
    write(
        root,
        "content/accessibility.md",
        &format!("---\ntitle: {n}\ndescription: {n}\n---\n\nText.\n"),
    );
    let public = build(root, base_url);
    (site, public)
}

/// The text of a parsed page, whitespace collapsed.
fn words(html: &scraper::Html) -> String {
    html.root_element()
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn pages_show_titles_speakers_quotes_and_responses_as_text() {
    let (_site, public) = nasty_site(None);
    let pages = [
        "summaries/workforce/index.html",
        "summaries/workforce/working/index.html",
        "quotes/workforce-001/index.html",
        "responses/response-0001/index.html",
        "news/first/index.html",
        "accessibility/index.html",
    ];
    for path in pages {
        let html = page(&public, path);
        assert!(
            words(&html).contains(NASTY),
            "{path} does not show the text as written: {}",
            words(&html)
        );
        for script in select(&html, "script") {
            assert!(
                !text(&script).contains("alert"),
                "{path} runs the text as script"
            );
        }
        let bold: Vec<_> = select(&html, "b")
            .into_iter()
            .filter(|b| text(b) == "bold")
            .collect();
        assert!(bold.is_empty(), "{path} turned the text's <b> into markup");
    }
    for path in [
        "summaries/workforce/working/index.html",
        "news/first/index.html",
        "accessibility/index.html",
    ] {
        let html = page(&public, path);
        let title = select(&html, "title");
        assert!(
            title.iter().any(|t| text(t).contains(NASTY)),
            "{path}: the <title> does not hold the title as text"
        );
    }
    let html = page(&public, "accessibility/index.html");
    let descriptions: Vec<&str> = select(&html, r#"meta[name="description"]"#)
        .iter()
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(descriptions, [NASTY]);
}

/// Checks that `xml` is well formed as far as escaping goes: every `&` starts an entity,
/// every `<` starts a tag, and tags nest. Returns the unescaped text of every leaf
/// element named `name`.
fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut rest = xml;
    let mut text_start = 0;
    let entity = |s: &str| {
        [
            "&lt;", "&gt;", "&amp;", "&quot;", "&apos;", "&#39;", "&#x27;",
        ]
        .iter()
        .any(|e| s.starts_with(e))
    };
    for (i, c) in xml.char_indices() {
        if c == '&' {
            assert!(
                entity(&xml[i..]),
                "a bare & at byte {i}: {}",
                &xml[i..(i + 40).min(xml.len())]
            );
        }
    }
    while let Some(open) = rest.find('<') {
        let offset = xml.len() - rest.len();
        let tag_end = rest[open..].find('>').expect("an unclosed tag") + open;
        let tag = &rest[open + 1..tag_end];
        if let Some(closing) = tag.strip_prefix('/') {
            let opened = stack
                .pop()
                .unwrap_or_else(|| panic!("</{closing}> closes nothing"));
            assert_eq!(opened, closing, "tags do not nest");
            if closing == name {
                found.push(unescape(&xml[text_start..offset + open]));
            }
        } else if !tag.starts_with('?') && !tag.ends_with('/') {
            let tag_name = tag
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(
                [
                    "feed", "title", "subtitle", "link", "id", "updated", "author", "name",
                    "entry", "summary", "urlset", "url", "loc", "lastmod"
                ]
                .contains(&tag_name.as_str()),
                "unexpected element <{tag}>: text became markup"
            );
            stack.push(tag_name);
        }
        text_start = offset + tag_end + 1;
        rest = &rest[tag_end + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    found
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_atom_feed_holds_titles_and_summaries_as_escaped_text() {
    let (_site, public) = nasty_site(None);
    let xml = std::fs::read_to_string(public.join("atom.xml")).expect("atom.xml");
    assert!(
        !xml.contains("<script") && !xml.contains("<b>"),
        "raw markup in the feed"
    );
    let titles = xml_texts(&xml, "title");
    assert!(
        titles.iter().filter(|t| t.as_str() == NASTY).count() >= 2,
        "the summary's and the news item's titles: {titles:?}"
    );
    let summaries = xml_texts(&xml, "summary");
    assert!(summaries.iter().any(|s| s.contains(NASTY)), "{summaries:?}");
}

#[test]
fn the_sitemap_escapes_its_addresses() {
    let (_site, public) = nasty_site(Some("https://example.org/r&d/"));
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap.xml");
    let locations = xml_texts(&xml, "loc");
    assert!(locations.len() > 10, "{locations:?}");
    assert!(
        locations
            .iter()
            .all(|l| l.starts_with("https://example.org/r&d/")),
        "{locations:?}"
    );
    assert!(
        locations.contains(&"https://example.org/r&d/summaries/workforce/working/".to_string()),
        "{locations:?}"
    );
}

/// Every JSON file of the search index, parsed.
fn search_files(public: &Path) -> Vec<(String, serde_json::Value)> {
    walkdir::WalkDir::new(public.join("search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("index file");
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
            (e.path().display().to_string(), value)
        })
        .collect()
}

#[test]
fn the_search_index_holds_titles_speakers_and_words_as_json_strings() {
    let (_site, public) = nasty_site(None);
    let files = search_files(&public);
    assert!(
        files
            .iter()
            .any(|(path, _)| path.ends_with("manifest.json")),
        "no manifest"
    );
    let stored: Vec<&serde_json::Value> = files
        .iter()
        .filter(|(path, _)| path.contains("/d/"))
        .flat_map(|(_, chunk)| chunk.as_array().expect("a chunk is a list of documents"))
        .collect();
    let with = |field: &str| {
        stored
            .iter()
            .filter(|d| d[field].as_str() == Some(NASTY))
            .count()
    };
    assert!(
        with("title") >= 3,
        "a section, a news item and a page have the title: {stored:?}"
    );
    assert_eq!(
        with("speaker"),
        2,
        "the quote's speaker and the response's respondent: {stored:?}"
    );
    let texts = stored
        .iter()
        .filter(|d| d["text"].as_str().is_some_and(|t| t.contains(NASTY)))
        .count();
    assert!(
        texts >= 2,
        "the quote's and the response's words: {stored:?}"
    );
}

#[test]
fn the_json_exports_hold_the_text_as_written() {
    let (_site, public) = nasty_site(None);
    let read = |name: &str| -> Vec<serde_json::Value> {
        serde_json::from_slice(&std::fs::read(public.join(name)).expect("export")).expect("JSON")
    };
    let quotes = read("data/quotes.json");
    let quote = quotes
        .iter()
        .find(|q| q["id"] == "workforce-001")
        .expect("the quote");
    assert_eq!(quote["speaker"], NASTY);
    assert_eq!(quote["section"], NASTY);
    assert_eq!(quote["summary"], NASTY);
    assert!(
        quote["text"].as_str().is_some_and(|t| t.contains(NASTY)),
        "{quote}"
    );
    let responses = read("data/responses.json");
    let response = responses
        .iter()
        .find(|i| i["id"] == "response-0001")
        .expect("the response");
    assert_eq!(response["respondent"], NASTY);
    assert!(
        response["text"].as_str().is_some_and(|t| t.contains(NASTY)),
        "{response}"
    );
}

#[test]
fn the_csv_exports_hold_the_text_as_written() {
    let (_site, public) = nasty_site(None);
    let rows = |name: &str| -> Vec<std::collections::HashMap<String, String>> {
        let mut reader = csv::Reader::from_path(public.join(name)).expect("export");
        reader
            .deserialize()
            .map(|row| row.expect("a CSV row"))
            .collect()
    };
    let quotes = rows("data/quotes.csv");
    let quote = quotes
        .iter()
        .find(|q| q["id"] == "workforce-001")
        .expect("the quote");
    assert_eq!(quote["speaker"], NASTY);
    assert_eq!(quote["section"], NASTY);
    assert!(quote["text"].contains(NASTY), "{quote:?}");
    let responses = rows("data/responses.csv");
    let response = responses
        .iter()
        .find(|i| i["id"] == "response-0001")
        .expect("the response");
    assert_eq!(response["respondent"], NASTY);
    assert!(response["text"].contains(NASTY), "{response:?}");
}
