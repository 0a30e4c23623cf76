//! The core pipeline on small fixture sites: placement, taxonomies, links, overrides.

use crate::common::*;

#[test]
fn a_placed_quote_renders_in_place_with_its_speaker() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "summaries/workforce/working/index.html");
    let prose = select(&html, "main .prose > *");
    let kinds: Vec<String> = prose.iter().map(|e| e.value().name().to_string()).collect();
    assert_eq!(
        kinds,
        ["h2", "p", "figure", "p"],
        "quote sits between the two paragraphs"
    );
    let figure = select(&html, "figure#quote-workforce-001");
    assert_eq!(figure.len(), 1);
    assert_eq!(
        text(&select(&html, "figure#quote-workforce-001 blockquote")[0]),
        "Less paperwork, meetings and less emails."
    );
    let caption = text(&select(&html, "figure#quote-workforce-001 figcaption")[0]);
    assert!(
        caption.starts_with("Social Worker Link to this quote"),
        "the voice, Social worker, is the speaker's word and is not repeated: {caption}"
    );
    let voice = select(
        &html,
        "figure#quote-workforce-001 figcaption .quote__speaker a[href='/voices/social-worker/']",
    );
    assert_eq!(voice.len(), 1, "the speaker links the voice");
}

#[test]
fn a_quote_without_attribution_gets_none() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "summaries/workforce/care/index.html");
    assert!(select(&html, "figure#quote-workforce-002 .quote__speaker").is_empty());
    assert_eq!(
        text(&select(&html, "figure#quote-workforce-002 .quote__provenance")[0]),
        "From notes",
        "from notes, with no label of the source's: no more is said"
    );
    let note = text(&select(&html, ".content-note")[0]);
    assert!(note.contains("child removal"), "{note}");
}

#[test]
fn a_term_page_lists_items_from_two_summaries() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "themes/kinship-care/index.html");
    let groups: Vec<String> = select(&html, "main h3").iter().map(text).collect();
    assert!(
        groups.contains(&"Workforce engagement summary".to_string()),
        "{groups:?}"
    );
    assert!(
        groups.contains(&"Adult engagement summary".to_string()),
        "{groups:?}"
    );
    assert_eq!(select(&html, "main figure.quote").len(), 2);
    let sections: Vec<String> = select(&html, "main .plain-list a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(sections, ["The care system", "Kinship carers"]);
}

#[test]
fn long_lists_paginate_with_the_page_number_in_the_title() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let first = page(&public, "topics/kinship-care/index.html");
    assert_eq!(select(&first, "main .response-card").len(), 2);
    let second = page(&public, "topics/kinship-care/page/2/index.html");
    assert_eq!(select(&second, "main .response-card").len(), 1);
    let title = text(&select(&second, "title")[0]);
    assert!(title.contains("page 2 of 2"), "{title}");
}

/// Every `href` and `src` of every HTML page that points into the site must name a file
/// that exists in the output.
fn assert_internal_links_resolve(public: &std::path::Path, base_path: &str) {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for element in select(&html, "[href], [src]") {
            let url = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap();
            if url.starts_with("http") || url.starts_with('#') || url.starts_with("mailto:") {
                continue;
            }
            assert!(
                url.starts_with(base_path),
                "{} links to {url}, outside {base_path}",
                entry.path().display()
            );
            let path = url[base_path.len()..].split('#').next().unwrap();
            let file = if path.is_empty() || path.ends_with('/') {
                public.join(path).join("index.html")
            } else {
                public.join(path)
            };
            assert!(
                file.exists(),
                "{} links to {url}, which does not exist",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn links_work_at_the_domain_root() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    assert_internal_links_resolve(&public, "/");
    let html = page(&public, "summaries/workforce/working/index.html");
    assert_eq!(
        select(&html, "a[href='/summaries/workforce/care/#kinship']").len(),
        1,
        "@/ link rewritten"
    );
}

#[test]
fn links_work_under_a_sub_path() {
    let site = fixture("basic");
    let public = build(site.path(), Some("https://example.org/review/"));
    assert_internal_links_resolve(&public, "/review/");
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/review/summaries/workforce/</loc>"),
        "{sitemap}"
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.org/review/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn the_404_page_links_work_from_any_depth() {
    let site = fixture("basic");
    let public = build(site.path(), Some("https://example.org/review/"));
    let html = page(&public, "404.html");
    for element in select(&html, "a[href], link[href]") {
        let href = element.value().attr("href").unwrap();
        assert!(
            href.starts_with("/review/") || href.starts_with("https://") || href.starts_with('#'),
            "{href} is relative"
        );
    }
}

#[test]
fn a_site_template_overrides_the_theme_template() {
    let site = fixture("basic");
    write(
        site.path(),
        "templates/partials/quote.html",
        "<figure class=\"site-quote\" id=\"{{ quote.anchor }}\"><blockquote>{{ quote.html | safe }}</blockquote></figure>\n",
    );
    let public = build(site.path(), None);
    let html = page(&public, "summaries/workforce/working/index.html");
    assert_eq!(
        select(&html, "figure.site-quote#quote-workforce-001").len(),
        1
    );
    assert!(select(&html, "figure.quote").is_empty());
}

#[test]
fn the_feed_lists_summaries_and_news() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    let html = scraper::Html::parse_fragment(&feed);
    let titles: Vec<String> = select(&html, "entry > title").iter().map(text).collect();
    assert_eq!(
        titles,
        [
            "Adult engagement summary",
            "Workforce engagement summary",
            "First news"
        ]
    );
}

#[test]
fn assets_are_fingerprinted_and_no_stale_file_survives() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let css: Vec<String> = std::fs::read_dir(&public)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert!(css[0].len() > "style..css".len() + 8, "{css:?}");
    std::fs::write(public.join("stale.html"), "old").unwrap();
    let public = build(site.path(), None);
    assert!(!public.join("stale.html").exists());
}

#[test]
fn the_command_line_prints_a_summary_line() {
    let site = fixture("basic");
    let output = chorus(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert!(
        stdout.contains("(2 summaries, 3 sections, 4 quotes, 3 responses)"),
        "{stdout}"
    );
    assert!(site.path().join("public/index.html").exists());
}
