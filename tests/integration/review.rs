//! The review site itself, built from the repository's `content/` as readers see it: quotes
//! attributed exactly as the sources attribute them, and the sources' own headings.

use std::sync::{Arc, OnceLock};

use chorus::output::{FileData, Files, Memory};
use chorus::{BuildOptions, Session};
use scraper::Html;

use crate::common::*;

/// The review site, built into memory once for every test of this module.
fn site() -> &'static Files {
    static SITE: OnceLock<Arc<Files>> = OnceLock::new();
    SITE.get_or_init(|| {
        let memory = Memory::default();
        if let Err(diagnostics) = Session::new(repo(), BuildOptions::default()).build(&memory) {
            let text: Vec<String> = diagnostics.items.iter().map(ToString::to_string).collect();
            panic!("the review site does not build:\n{}", text.join("\n"));
        }
        memory.files()
    })
}

/// The text of the built file at `path`.
fn file(path: &str) -> &'static str {
    match site().get(path) {
        Some(FileData::Bytes(bytes)) => std::str::from_utf8(bytes).expect("UTF-8"),
        other => panic!("{path}: {other:?}"),
    }
}

fn html(path: &str) -> Html {
    Html::parse_document(file(path))
}

/// The texts of the elements `css` selects on the page at `path`.
fn texts(path: &str, css: &str) -> Vec<String> {
    select(&html(path), css).iter().map(text).collect()
}

/// The quote the Adult Engagement Summary prints with "[from notes of a conversation with a
/// parent with SEND]".
const LONG_LABEL_QUOTE: &str = "adults-037";
const LONG_LABEL: &str = "from notes of a conversation with a parent with SEND";

#[test]
fn a_long_attribution_is_shown_word_for_word_beside_the_quote_in_its_citation_and_in_the_data() {
    let page = format!("quotes/{LONG_LABEL_QUOTE}/index.html");
    assert_eq!(
        texts(&page, "main figure .quote__provenance"),
        [LONG_LABEL],
        "beside the quote"
    );
    let terms = texts(&page, "main .summary-list dt");
    let details = texts(&page, "main .summary-list dd");
    let provenance = terms.iter().zip(&details).find(|(t, _)| *t == "Provenance");
    assert_eq!(provenance.map(|(_, d)| d.as_str()), Some(LONG_LABEL));
    let citation = texts(&page, "main .citation").join("");
    assert!(
        citation.starts_with(&format!(
            "Unattributed participant ({LONG_LABEL}), quoted in"
        )),
        "{citation}"
    );

    let section = "summaries/adults/parents/index.html";
    let css = format!("figure#quote-{LONG_LABEL_QUOTE} .quote__provenance");
    assert_eq!(
        texts(section, &css),
        [LONG_LABEL],
        "beside the quote in its section"
    );

    let mut csv = csv::Reader::from_reader(file("data/quotes.csv").as_bytes());
    let column = csv
        .headers()
        .expect("a header row")
        .iter()
        .position(|name| name == "attribution")
        .expect("an attribution column");
    let row = csv
        .records()
        .map(|r| r.expect("a CSV row"))
        .find(|r| &r[0] == LONG_LABEL_QUOTE)
        .expect("the quote's row");
    assert_eq!(&row[column], LONG_LABEL);

    let json: serde_json::Value =
        serde_json::from_str(file("data/quotes.json")).expect("the quotes' JSON");
    let record = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|q| q["id"] == LONG_LABEL_QUOTE)
        .expect("the quote's record");
    assert_eq!(record["attribution"], LONG_LABEL);
    assert_eq!(record["provenance"], "from-notes");
    assert_eq!(record["speaker"], "");
}

/// The sources label quotes "from notes" and never say whose: the site's own words about a
/// quote (its caption, its details, its citation, its open data) never say "facilitator".
/// A quote's words may, where the participant said so.
#[test]
fn no_page_says_facilitator_where_the_source_does_not() {
    let said = |text: &str| text.to_lowercase().contains("facilitator");
    let mut quote_pages = 0;
    for path in site().keys() {
        let own_words = if path.starts_with("quotes/") && path.ends_with("/index.html") {
            quote_pages += 1;
            "main figcaption, main .summary-list, main .citation"
        } else if path.starts_with("summaries/") && path.ends_with(".html") {
            "main figcaption"
        } else {
            continue;
        };
        let page = html(path);
        for element in select(&page, own_words) {
            let words = text(&element);
            assert!(!said(&words), "{path}: {words}");
        }
    }
    assert_eq!(quote_pages, 589, "every quote page was read");

    let json: serde_json::Value =
        serde_json::from_str(file("data/quotes.json")).expect("the quotes' JSON");
    for record in json.as_array().expect("a list") {
        for (column, value) in record.as_object().expect("a record") {
            if column != "text" {
                assert!(!said(&value.to_string()), "{}: {column}", record["id"]);
            }
        }
    }
    for quote in ["adults-005", "adults-022"] {
        let page = format!("quotes/{quote}/index.html");
        let label = texts(&page, "main figure .quote__provenance");
        assert!(
            label == ["from notes"] || label == ["From notes"],
            "{quote}: {label:?}"
        );
    }
}

#[test]
fn the_documents_own_headings_are_headings_where_the_sources_have_them() {
    let bridge = "summaries/bridge-the-gap/index.html";
    assert_eq!(texts(bridge, "main .prose h2"), ["Summary"]);
    let page = html(bridge);
    let under_summary = select(&page, "main .prose h2 + ul a");
    assert_eq!(under_summary.len(), 7, "the document's seven main sections");
    assert_eq!(text(&under_summary[0]), "The Context");
    assert_eq!(
        under_summary[0].value().attr("href"),
        Some("/summaries/bridge-the-gap/the-context/")
    );

    let ideas = "summaries/call-for-ideas/index.html";
    assert_eq!(
        texts(ideas, "main .prose h2"),
        ["Introduction to the Call for Ideas", "Your ideas"]
    );
    let page = html(ideas);
    let first = select(&page, "main .prose > *");
    assert_eq!(
        first[0].value().name(),
        "h2",
        "the introduction opens with its heading"
    );
    let link = select(&page, "main .prose h2 + p a");
    assert_eq!(link.len(), 1, "under “Your ideas”, the ideas");
    assert_eq!(link[0].value().attr("href"), Some("../../ideas/"));
    assert!(site().contains_key("ideas/index.html"));
    // The footnotes stay with the introduction, before the ideas' heading.
    let order: Vec<&str> = first
        .iter()
        .map(|e| e.value())
        .filter_map(|e| match (e.name(), e.attr("class")) {
            ("h2", _) => Some("heading"),
            (_, Some("footnote-definition")) => Some("footnote"),
            _ => None,
        })
        .collect();
    assert_eq!(
        order,
        [
            "heading", "footnote", "footnote", "footnote", "footnote", "heading"
        ]
    );
}

#[test]
fn a_speaker_whose_voice_is_the_same_word_is_shown_once() {
    // "Parent", in the voice "Parent": once, and it leads to the voice.
    let page = html("quotes/adults-001/index.html");
    let caption = select(&page, "main figure figcaption");
    assert_eq!(text(&caption[0]), "Parent");
    let speaker = select(&page, "main figure .quote__speaker a");
    assert_eq!(speaker[0].value().attr("href"), Some("/voices/parent/"));
    assert!(select(&page, "main figure .quote__voice").is_empty());
    let section = html("summaries/adults/parents/index.html");
    let caption = text(&select(&section, "figure#quote-adults-001 figcaption")[0]);
    assert!(!caption.contains("(Parent)"), "{caption}");

    // "Social Worker", in the voice "Social worker": the same word but for a capital.
    let page = html("quotes/workforce-001/index.html");
    assert_eq!(
        texts("quotes/workforce-001/index.html", "main figure figcaption"),
        ["Social Worker"]
    );
    assert!(select(&page, "main figure .quote__voice").is_empty());

    // "Traveller parent", in the voice "Parent": both.
    assert_eq!(
        texts("quotes/adults-086/index.html", "main figure figcaption"),
        ["Traveller parent (Parent)"]
    );
}
