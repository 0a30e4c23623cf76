//! Every word as written: long documents are not refused, markup-looking text in
//! participants' words is shown as typed, and the sanitiser removes tags, never text.

use crate::common::{build, fixture, page, select, text, write};

#[test]
fn a_four_megabyte_section_builds() {
    let site = fixture("basic");
    let paragraph = "Every word of a long report counts, and none is cut. ".repeat(80_000);
    assert!(paragraph.len() > 4_000_000);
    write(
        site.path(),
        "content/summaries/workforce/03-long.md",
        &format!("---\ntitle: The whole report\nweight: 3\n---\n\n{paragraph}\n"),
    );
    let public = build(site.path(), None);
    let html = page(&public, "summaries/workforce/long/index.html");
    let shown: usize = select(&html, "main p").iter().map(|p| text(p).len()).sum();
    assert!(
        shown >= paragraph.trim().len(),
        "{shown} of {} bytes shown",
        paragraph.len()
    );
}

/// Elements ammonia does not allow: the ones whose text it dropped by default (`script`,
/// `style`) and a sample of the rest, raw-text, foreign and form elements among them.
const STRIPPED: &[&str] = &[
    "script", "style", "iframe", "noscript", "textarea", "title", "object", "form", "button",
    "select", "svg", "math", "audio", "video", "canvas", "dialog", "label", "fieldset", "marquee",
    "main", "section", "font",
];

#[test]
fn the_sanitiser_keeps_the_text_of_every_element_it_strips() {
    let site = fixture("basic");
    let paragraphs: Vec<String> = STRIPPED
        .iter()
        .map(|tag| format!("<p>Before <{tag}>words inside {tag}</{tag}> after.</p>"))
        .collect();
    write(
        site.path(),
        "content/news/raw.md",
        &format!(
            "---\ntitle: Raw HTML\ndate: 2024-01-02\n---\n\n{}\n",
            paragraphs.join("\n\n")
        ),
    );
    let public = build(site.path(), None);
    let html = page(&public, "news/raw/index.html");
    let shown = select(&html, "main").iter().map(text).collect::<String>();
    for tag in STRIPPED {
        assert!(
            shown.contains(&format!("words inside {tag}")),
            "the text inside <{tag}> vanished: {shown}"
        );
        if *tag != "title" {
            assert!(
                select(&html, &format!("main {tag}")).is_empty(),
                "<{tag}> was kept"
            );
        }
    }
}

#[test]
fn markup_in_a_participants_words_is_shown_as_typed() {
    let site = fixture("basic");
    let words = r#"<script>alert("hi")</script> and <b>bold</b> & <em>more</em>"#;
    write(
        site.path(),
        "content/quotes/workforce/workforce-009.md",
        &format!(
            "---\nid: workforce-009\nprovenance: verbatim\nsummary: workforce\nsection: working\n---\n\n{words}\n\n<div>\nA block, too\n</div>\n"
        ),
    );
    let public = build(site.path(), None);
    let html = page(&public, "quotes/workforce-009/index.html");
    let paragraphs: Vec<String> = select(&html, "blockquote p").iter().map(text).collect();
    assert!(paragraphs.iter().any(|p| p == words), "{paragraphs:?}");
    assert!(
        paragraphs.iter().any(|p| p == "<div> A block, too </div>"),
        "{paragraphs:?}"
    );
    assert!(
        select(
            &html,
            "blockquote b, blockquote em, blockquote script, blockquote div"
        )
        .is_empty()
    );
}

#[test]
fn a_shortcode_outside_a_section_is_refused_with_its_place_and_never_printed() {
    let site = fixture("basic");
    let post = "---\ntitle: Post\ndate: 2024-01-02\n---\n\nWhat she said:\n\n{{ quote(id=\"workforce-001\") }}\n";
    write(site.path(), "content/news/post.md", post);
    let output = crate::common::chorus(site.path(), &["build"]);
    assert!(!output.status.success());
    let errors = crate::common::stderr(&output);
    assert!(
        errors.contains("content/news/post.md:8:1: text that looks like a shortcode is in a page"),
        "{errors}"
    );
    assert!(
        !site.path().join("public").exists(),
        "a failed build wrote output"
    );

    // Escaped, or in code, the braces are text, printed as typed.
    let post = "---\ntitle: Post\ndate: 2024-01-02\n---\n\nWrite \\{{ quote(id=\"x\") }} to place a quote, or `{{ quote(id=\"y\") }}`.\n";
    write(site.path(), "content/news/post.md", post);
    let public = build(site.path(), None);
    let html = page(&public, "news/post/index.html");
    let shown = select(&html, "main p")
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ");
    // Editorial prose gets smart punctuation; code keeps every character.
    assert!(
        shown.contains("Write {{ quote(id=“x”) }} to place a quote, or {{ quote(id=\"y\") }}."),
        "{shown}"
    );
}

#[test]
fn a_shortcode_inside_a_paragraph_of_a_section_is_refused() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/summaries/workforce/03-inline.md",
        "---\ntitle: Inline\nweight: 3\n---\n\nAs one said, {{ quote(id=\"workforce-001\") }}, and more.\n",
    );
    let output = crate::common::chorus(site.path(), &["check"]);
    let errors = crate::common::stderr(&output);
    assert!(!output.status.success());
    assert!(errors.contains("content/summaries/workforce/03-inline.md:6:14: text that looks like a shortcode is inside a paragraph"), "{errors}");
}

/// A copy of the review site: its settings, content, data and theme.
fn review_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for folder in ["content", "data", "themes"] {
        crate::common::copy_dir(
            &crate::common::repo().join(folder),
            &dir.path().join(folder),
        );
    }
    std::fs::copy(
        crate::common::repo().join("site.yaml"),
        dir.path().join("site.yaml"),
    )
    .expect("site.yaml");
    dir
}

#[test]
fn check_deny_warnings_passes_on_the_review_and_fails_on_a_warning_nobody_accepted() {
    let site = review_site();
    let check = crate::common::chorus(site.path(), &["check", "--deny-warnings"]);
    let report = crate::common::stderr(&check);
    assert!(check.status.success(), "{report}");
    assert!(
        report.contains("0 errors, 0 warnings, 14 accepted"),
        "{report}"
    );
    assert!(
        report.contains("accepted[quote/duplicate-text]: the quote `adults-082` has the same words as `adults-054`"),
        "{report}"
    );
    assert!(
        report.contains("(accepted: the source prints this quote twice, in two sections)"),
        "{report}"
    );

    // A warning in a file that accepts none fails the check.
    write(
        site.path(),
        "content/news/new.md",
        "---\ntitle: New\ndate: 2021-10-01\n---\n\nRead <https://www.gov.uk/government/publications/new> here.\n",
    );
    let check = crate::common::chorus(site.path(), &["check", "--deny-warnings"]);
    let report = crate::common::stderr(&check);
    assert!(!check.status.success(), "{report}");
    assert!(
        report.contains("content/news/new.md:6:6: warning[link/bare-url]"),
        "{report}"
    );
    assert!(
        report.contains("0 errors, 1 warnings, 14 accepted"),
        "{report}"
    );
}

#[test]
fn an_allowance_that_accepts_nothing_is_a_warning() {
    let site = fixture("basic");
    let path = site.path().join("content/news/first.md");
    let text = std::fs::read_to_string(&path).expect("news");
    let text = text.replacen(
        "---\n",
        "---\nlint_allow:\n- rule: link/bare-urls\n  reason: a typo in the rule\n",
        1,
    );
    std::fs::write(&path, text).expect("edit");
    let check = crate::common::chorus(site.path(), &["check", "--deny-warnings"]);
    let report = crate::common::stderr(&check);
    assert!(!check.status.success());
    assert!(
        report.contains("content/news/first.md:3:9: warning[lint/unused-allowance]"),
        "{report}"
    );
}

#[test]
fn every_page_names_an_icon_that_exists() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let html = page(&public, "index.html");
    let icons = select(&html, "link[rel=icon]");
    assert_eq!(icons.len(), 1, "one icon link");
    let href = icons[0].value().attr("href").expect("href");
    assert!(
        public.join(href.trim_start_matches('/')).is_file(),
        "{href} is not in the output"
    );
}

#[test]
fn change_notes_show_on_the_page_the_updates_page_and_the_feed_newest_first() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let newest_first = [
        "Added the content note.",
        "Removed a name the participant asked to keep out.",
    ];

    let quote = page(&public, "quotes/workforce-002/index.html");
    let notes: Vec<String> = select(&quote, "#change-history + ol li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        notes,
        [
            format!("5 March 2024: {}", newest_first[0]),
            format!("1 February 2024: {}", newest_first[1])
        ]
    );
    let updated = select(&quote, "dd time")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert!(
        updated.contains(&"2024-03-05".to_string()),
        "the page is not shown updated on the latest change: {updated:?}"
    );

    let updates = page(&public, "updates/index.html");
    let listed: Vec<String> = select(&updates, "ol.updates li").iter().map(text).collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed[0].starts_with("5 March 2024: Quote from") && listed[0].ends_with(newest_first[0]),
        "{listed:?}"
    );
    assert!(listed[1].ends_with(newest_first[1]), "{listed:?}");
    let link = select(&updates, "ol.updates a")[0]
        .value()
        .attr("href")
        .expect("href")
        .to_string();
    assert!(link.ends_with("/quotes/workforce-002/"), "{link}");

    let feed = std::fs::read_to_string(public.join("updates/atom.xml")).expect("feed");
    let feed = scraper::Html::parse_fragment(&feed);
    let summaries: Vec<String> = select(&feed, "entry summary").iter().map(text).collect();
    assert_eq!(summaries, newest_first);
    let ids: Vec<String> = select(&feed, "entry id").iter().map(text).collect();
    assert!(
        ids[0].ends_with("/quotes/workforce-002/#change-2024-03-05-2"),
        "{ids:?}"
    );
}
