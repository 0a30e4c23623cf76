//! Open data, citations, redirects and sharing metadata in the built site.

use crate::common::*;

#[test]
fn the_data_files_hold_exactly_the_quotes_and_responses_with_escaping() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/quotes/workforce/workforce-001.md",
        "---\nid: workforce-001\nspeaker: Social Worker, \"senior\"\nvoice: social-worker\nprovenance: verbatim\nsummary: workforce\nsection: working\n---\n\nLess paperwork, \"meetings\"\nand less emails.\n\nA second line, with commas.\n",
    );
    let public = build(site.path(), None);

    let mut reader = csv::Reader::from_path(public.join("data/quotes.csv")).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "id",
            "summary",
            "section",
            "speaker",
            "voice",
            "provenance",
            "attribution",
            "themes",
            "content_note",
            "text",
            "permalink"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["adults-001", "adults-002", "workforce-001", "workforce-002"]
    );
    let row = rows.iter().find(|r| &r[0] == "workforce-001").unwrap();
    assert_eq!(&row[3], "Social Worker, \"senior\"");
    assert_eq!(&row[6], "", "no label but the speaker");
    assert_eq!(
        &row[9],
        "Less paperwork, \"meetings\" and less emails. A second line, with commas."
    );
    assert_eq!(&row[10], "https://example.org/quotes/workforce-001/");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/quotes.json")).unwrap()).unwrap();
    let quotes = json.as_array().unwrap();
    assert_eq!(quotes.len(), 4);
    let quote = quotes.iter().find(|q| q["id"] == "workforce-001").unwrap();
    assert_eq!(quote["speaker"], "Social Worker, \"senior\"");
    assert_eq!(quote["provenance"], "verbatim");

    let responses: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/responses.json")).unwrap())
            .unwrap();
    let responses = responses.as_array().unwrap();
    assert_eq!(responses.len(), 3);
    assert_eq!(responses[1]["anonymous"], true);
    assert_eq!(responses[1]["respondent"], "");
    let mut reader = csv::Reader::from_path(public.join("data/responses.csv")).unwrap();
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn the_download_page_lists_each_file_with_its_size_and_columns() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "data/index.html");
    let links: Vec<String> = select(&html, "main .downloads a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        links,
        [
            "quotes.csv",
            "quotes.json",
            "responses.csv",
            "responses.json"
        ]
    );
    for item in select(&html, "main .downloads li") {
        assert!(
            text(&item).contains("bytes") || text(&item).contains("KB"),
            "{}",
            text(&item)
        );
    }
    let captions: Vec<String> = select(&html, "main table caption")
        .iter()
        .map(text)
        .collect();
    assert_eq!(captions.len(), 2);
    assert_eq!(select(&html, "main table th[scope=row] code").len(), 20);
}

#[test]
fn an_alias_redirects_to_the_right_place_under_a_sub_path() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/summaries/workforce/01-working.md",
        "---\ntitle: Working in the system\nweight: 1\naliases: [summaries/workforce/old-working/, /summaries/working]\n---\n\n{{ quote(id=\"workforce-001\") }}\n",
    );
    let public = build(site.path(), Some("https://example.org/review/"));
    for alias in [
        "summaries/workforce/old-working/index.html",
        "summaries/working/index.html",
    ] {
        let html = page(&public, alias);
        let refresh = select(&html, "meta[http-equiv=refresh]");
        assert_eq!(
            refresh[0].value().attr("content"),
            Some("0; url=/review/summaries/workforce/working/")
        );
        let link = select(&html, "main a");
        assert_eq!(
            link[0].value().attr("href"),
            Some("/review/summaries/workforce/working/")
        );
        assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("en-GB"));
        let canonical = select(&html, "link[rel=canonical]");
        assert_eq!(
            canonical[0].value().attr("href"),
            Some("https://example.org/review/summaries/workforce/working/")
        );
    }
}

#[test]
fn an_alias_that_is_another_pages_url_is_an_error() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/accessibility.md",
        "---\ntitle: Accessibility\naliases: [news/]\n---\nText.\n",
    );
    write(
        site.path(),
        "content/news/_index.md",
        "---\ntitle: News\n---\n",
    );
    let output = chorus(site.path(), &["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("the alias `news/` is already the URL of"),
        "{message}"
    );
}

#[test]
fn every_page_has_a_canonical_link_a_description_and_absolute_sharing_urls() {
    let site = fixture("basic");
    let public = build(site.path(), Some("https://example.org/review/"));
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let html = page(&public, &relative);
        let canonical = select(&html, "link[rel=canonical]");
        assert_eq!(canonical.len(), 1, "{relative}: canonical");
        let href = canonical[0].value().attr("href").unwrap();
        assert!(
            href.starts_with("https://example.org/review/"),
            "{relative}: {href}"
        );
        if relative.contains("old") {
            continue;
        }
        let description = select(&html, "meta[name=description]");
        assert!(
            !description[0]
                .value()
                .attr("content")
                .unwrap()
                .trim()
                .is_empty(),
            "{relative}: empty description"
        );
        let og_url = select(&html, "meta[property='og:url']");
        assert_eq!(
            og_url[0].value().attr("content"),
            Some(href),
            "{relative}: og:url"
        );
        for property in ["og:title", "og:description", "og:type", "og:site_name"] {
            assert_eq!(
                select(&html, &format!("meta[property='{property}']")).len(),
                1,
                "{relative}: {property}"
            );
        }
        assert_eq!(
            select(&html, "meta[name='twitter:card']").len(),
            1,
            "{relative}: twitter card"
        );
        pages += 1;
    }
    assert!(pages > 20, "{pages}");
}

#[test]
fn quote_descriptions_fall_back_to_the_first_words_and_citations_are_plain() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "quotes/workforce-001/index.html");
    let description = select(&html, "meta[name=description]")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(
        description.starts_with("“Less paperwork, meetings and less emails.” – Social Worker"),
        "{description}"
    );
    let citation = text(&select(&html, ".citation")[0]);
    assert!(
        citation.starts_with(
            "Social Worker, quoted in “Workforce engagement summary”, Fixture review, 23 May 2022."
        ),
        "{citation}"
    );
    assert!(
        citation.ends_with("https://example.org/quotes/workforce-001/"),
        "{citation}"
    );
    let html = page(&public, "quotes/workforce-002/index.html");
    let citation = text(&select(&html, ".citation")[0]);
    assert!(
        citation.starts_with("Unattributed participant (from notes), quoted in"),
        "{citation}"
    );
}

#[test]
fn updated_dates_are_shown_where_set() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/accessibility.md",
        "---\ntitle: Accessibility statement\nupdated: 2026-11-01\n---\nText.\n",
    );
    let public = build(site.path(), None);
    let html = page(&public, "accessibility/index.html");
    let time = select(&html, "main .meta time");
    assert_eq!(time[0].value().attr("datetime"), Some("2026-11-01"));
    assert_eq!(text(&time[0]), "1 November 2026");
}
