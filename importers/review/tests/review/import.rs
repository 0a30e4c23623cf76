//! `review-import` through its binary. Each kind of document, cut down to a short excerpt of
//! its source in `tests/fixtures/import/`, is imported into a fresh site and must write the
//! expected files, which then build. Bad input is refused with a clear error, and then
//! nothing is written.

use std::path::Path;

use crate::common::*;
use chorus::content::kinds::Provenance;
use chorus::resolve::Site;

/// A site with the repository's `site.yaml`, `data/` vocabularies and theme, and no content.
fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).expect("copy site.yaml");
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// The path of an excerpt in `tests/fixtures/import/`.
fn excerpt(name: &str) -> String {
    importer()
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs `review-import <excerpts> --into content` in `root`, which must succeed, and returns
/// every file under `content/`, relative to it and sorted.
fn import(root: &Path, excerpts: &[&str]) -> Vec<String> {
    let files: Vec<String> = excerpts.iter().map(|name| excerpt(name)).collect();
    let mut args = Vec::new();
    args.extend(files.iter().map(String::as_str));
    args.extend(["--into", "content"]);
    let output = review_import(root, &args);
    assert!(
        output.status.success(),
        "import failed:\n{}",
        stderr(&output)
    );
    content_files(root)
}

fn content_files(root: &Path) -> Vec<String> {
    let content = root.join("content");
    let mut files: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&content)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The imported site, loaded and resolved: the typed view of what the importer wrote.
fn load(root: &Path) -> Site {
    match chorus::pipeline::resolve_site(root, &chorus::BuildOptions::default()) {
        Ok((site, _)) => site,
        Err(diagnostics) => {
            let text: Vec<String> = diagnostics.items.iter().map(ToString::to_string).collect();
            panic!("the imported site does not load:\n{}", text.join("\n"))
        }
    }
}

/// Builds the site in `root` with Chorus, which must succeed, and returns the output folder.
fn build(root: &Path) -> std::path::PathBuf {
    let output = root.join("public");
    if let Err(diagnostics) = chorus::build(root, &output, &chorus::BuildOptions::default()) {
        let text: Vec<String> = diagnostics.items.iter().map(ToString::to_string).collect();
        panic!("the imported site does not build:\n{}", text.join("\n"))
    }
    output
}

fn section_titles(site: &Site, summary: usize) -> Vec<&str> {
    site.summaries[summary]
        .sections
        .iter()
        .map(|&s| site.sections[s].doc.meta.title.as_str())
        .collect()
}

fn quote<'a>(site: &'a Site, id: &str) -> &'a chorus::resolve::Quote {
    site.quotes
        .iter()
        .find(|q| q.doc.meta.id == id)
        .unwrap_or_else(|| panic!("no quote {id}"))
}

fn numbered(prefix: &str, count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("{prefix}-{n:03}.md")).collect()
}

#[test]
fn an_engagement_summary_becomes_a_summary_sections_and_quotes_placed_where_they_stood() {
    let root = empty_site();
    let files = import(root.path(), &["workforce.txt"]);
    let mut expected = vec![
        "summaries/workforce/01-working-in-the-system.md".to_string(),
        "summaries/workforce/02-early-help-and-prevention.md".to_string(),
        "summaries/workforce/_index.md".to_string(),
    ];
    expected.extend(numbered("quotes/workforce/workforce", 7));
    expected.sort();
    assert_eq!(files, expected);

    let site = load(root.path());
    assert_eq!(
        site.summaries[0].doc.meta.title,
        "Workforce Engagement Summary"
    );
    assert_eq!(
        section_titles(&site, 0),
        ["Working in the system", "Early help and prevention"]
    );
    let speakers: Vec<Option<&str>> = site
        .quotes
        .iter()
        .map(|q| q.doc.meta.speaker.as_deref())
        .collect();
    assert_eq!(
        speakers[0],
        Some("Social Worker"),
        "the role in brackets is the speaker, as printed"
    );
    assert!(
        speakers.iter().all(Option::is_some),
        "every workforce quote is attributed: {speakers:?}"
    );
    let placed = quote(&site, "workforce-004");
    assert_eq!(
        placed.doc.meta.speaker.as_deref(),
        Some("Local Authority staff")
    );
    assert_eq!(
        placed.doc.meta.voice.as_deref(),
        Some("local-authority-staff")
    );
    assert_eq!(placed.doc.meta.section, "early-help-and-prevention");
    assert!(
        placed
            .doc
            .body()
            .contains("Practitioners across the division enjoy the use of a shared language.")
    );

    let public = build(root.path());
    let html = page(
        &public,
        "summaries/workforce/early-help-and-prevention/index.html",
    );
    let figure = select(&html, "figure#quote-workforce-004 blockquote");
    assert_eq!(figure.len(), 1, "the quote is placed in its section");
    assert!(
        text(&figure[0]).starts_with("Being co-located in the community"),
        "{}",
        text(&figure[0])
    );
}

#[test]
fn attributions_and_notes_become_speakers_voices_provenance_and_attributions() {
    let root = empty_site();
    let files = import(root.path(), &["adults.txt"]);
    let mut expected = vec![
        "summaries/adults/01-what-have-we-learned.md".to_string(),
        "summaries/adults/02-parents.md".to_string(),
        "summaries/adults/03-kinship-carers.md".to_string(),
        "summaries/adults/_index.md".to_string(),
    ];
    expected.extend(numbered("quotes/adults/adults", 10));
    expected.sort();
    assert_eq!(files, expected);

    let site = load(root.path());
    assert_eq!(
        section_titles(&site, 0),
        ["What have we learned?", "Parents", "Kinship carers"]
    );
    let parent = quote(&site, "adults-002");
    assert_eq!(parent.doc.meta.speaker.as_deref(), Some("Parent"));
    assert_eq!(parent.doc.meta.voice.as_deref(), Some("parent"));
    assert_eq!(parent.doc.meta.provenance, Provenance::Verbatim);
    assert_eq!(
        parent.doc.body().trim(),
        "Social services give early support and you feel free to speak freely then they use it against you."
    );

    let notes = quote(&site, "adults-006");
    assert_eq!(
        notes.doc.meta.provenance,
        Provenance::FromNotes,
        "[from notes] marks words taken from notes"
    );
    assert_eq!(
        notes.doc.meta.attribution.as_deref(),
        Some("from notes"),
        "the label as printed, without its brackets"
    );
    assert_eq!(parent.doc.meta.attribution, None, "a speaker is no label");
    assert_eq!(notes.doc.meta.speaker, None, "notes have no speaker");
    assert_eq!(notes.doc.meta.voice, None);
    assert!(
        notes
            .doc
            .body()
            .trim()
            .starts_with("She was forced to have children because of abuse")
    );
    assert!(
        !notes.doc.body().contains("[from notes]"),
        "the marker is not part of the words"
    );
    assert_eq!(notes.doc.meta.content_note, ["domestic abuse"]);

    let kinship = quote(&site, "adults-010");
    assert_eq!(kinship.doc.meta.speaker.as_deref(), Some("Kinship carer"));
    assert_eq!(kinship.doc.meta.voice.as_deref(), Some("kinship-carer"));
    assert_eq!(kinship.doc.meta.section, "kinship-carers");

    let public = build(root.path());
    let html = page(&public, "summaries/adults/kinship-carers/index.html");
    assert_eq!(select(&html, "figure#quote-adults-010").len(), 1);
}

#[test]
fn the_call_for_ideas_becomes_its_summary_and_one_file_per_idea() {
    let root = empty_site();
    let files = import(root.path(), &["call-for-ideas.txt"]);
    assert_eq!(
        files,
        [
            "ideas/idea-0001.md",
            "ideas/idea-0002.md",
            "summaries/call-for-ideas/_index.md"
        ]
    );

    let site = load(root.path());
    assert_eq!(site.summaries[0].doc.meta.title, "Call for Ideas");
    let first = &site.responses[0].doc;
    assert!(
        first.meta.anonymous,
        "the respondent asked to be published anonymously"
    );
    assert_eq!(first.meta.respondent, None);
    assert_eq!(first.meta.topics, ["workforce-social-work"]);
    assert!(
        !first.body().contains("published anonymously"),
        "the request is not part of the idea"
    );

    let second = &site.responses[1].doc;
    assert_eq!(second.meta.number, 2);
    assert_eq!(
        second.meta.respondent.as_deref(),
        Some("Andrea Cockram, Collective for Reform of Family Court")
    );
    assert!(!second.meta.anonymous);
    assert_eq!(
        second.meta.topics.len(),
        12,
        "the tag line wraps over three lines: {:?}",
        second.meta.topics
    );
    for topic in [
        "care-proceedings-and-pre-proceedings",
        "workforce-other-services",
        "mental-health-support",
    ] {
        assert!(
            second.meta.topics.iter().any(|t| t == topic),
            "{topic} (cut by a line break or spelt as a variant)"
        );
    }
    assert!(
        second
            .body()
            .trim_start()
            .starts_with("To make the family courts open"),
        "the page number after the tag line is gone: {:?}",
        &second.body()[..60]
    );

    let public = build(root.path());
    let html = page(&public, "ideas/idea-0002/index.html");
    let body = text(&select(&html, "main")[0]);
    assert!(
        body.contains("Andrea Cockram, Collective for Reform of Family Court"),
        "{body}"
    );
}

#[test]
fn bridge_the_gap_becomes_sections_a_section_per_conversation_and_unattributed_quotes() {
    let root = empty_site();
    let files = import(root.path(), &["bridge-the-gap.txt"]);
    let mut expected = vec![
        "summaries/bridge-the-gap/01-the-context.md".to_string(),
        "summaries/bridge-the-gap/02-bridge-the-gap.md".to_string(),
        "summaries/bridge-the-gap/03-appendix-detailed-conversation-summaries.md".to_string(),
        "summaries/bridge-the-gap/101-how-can-we-find-effective-solutions-to.md".to_string(),
        "summaries/bridge-the-gap/102-staff-retention-how-do-we-look-after.md".to_string(),
        "summaries/bridge-the-gap/_index.md".to_string(),
    ];
    expected.extend(numbered("quotes/bridge-the-gap/bridge-the-gap", 21));
    expected.sort();
    assert_eq!(files, expected);

    let site = load(root.path());
    assert_eq!(site.summaries[0].doc.meta.title, "Bridge the Gap");
    assert_eq!(
        section_titles(&site, 0),
        [
            "The Context",
            "Bridge the gap",
            "Appendix: Detailed Conversation Summaries",
            "How can we find effective solutions to blocked relationships in the children’s social care system?",
            "Staff retention – How do we look after social workers so they don´t burnout?",
        ],
        "spaced-apart heading words joined, conversation titles without their quotation marks"
    );
    for quote in &site.quotes {
        assert_eq!(
            quote.doc.meta.speaker, None,
            "{}: the document attributes no quote",
            quote.doc.meta.id
        );
        assert_eq!(quote.doc.meta.voice, None);
        assert_eq!(quote.doc.meta.provenance, Provenance::Verbatim);
    }
    assert_eq!(
        quote(&site, "bridge-the-gap-001").doc.body().trim(),
        "Return to home interviews are just box ticking exercises"
    );

    let public = build(root.path());
    let html = page(
        &public,
        "summaries/bridge-the-gap/bridge-the-gap/index.html",
    );
    let steps: Vec<String> = select(&html, "main ol > li").iter().map(text).collect();
    assert_eq!(
        steps.len(),
        3,
        "the numbered Connect / Explore / Create lines are a list: {steps:?}"
    );
    assert!(
        steps[2].starts_with("Create solutions for the whole system"),
        "{}",
        steps[2]
    );
    let html = page(
        &public,
        "summaries/bridge-the-gap/staff-retention-how-do-we-look-after/index.html",
    );
    assert_eq!(
        text(&select(&html, "main h1")[0]),
        "Staff retention – How do we look after social workers so they don´t burnout?"
    );
}

#[test]
fn a_newsletter_becomes_a_news_page_with_its_contents_as_links() {
    let root = empty_site();
    let files = import(root.path(), &["newsletter.txt"]);
    assert_eq!(files, ["news/september-2021-newsletter.md"]);

    let site = load(root.path());
    let news = site.news();
    assert_eq!(news.len(), 1);
    assert_eq!(
        news[0].doc.meta.title,
        "Independent review of children's social care newsletter: September 2021"
    );
    assert_eq!(
        news[0]
            .doc
            .meta
            .date
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("2021-09-30")
    );

    let public = build(root.path());
    let html = page(&public, "news/september-2021-newsletter/index.html");
    let headings: Vec<String> = select(&html, "main h2").iter().map(text).collect();
    for heading in [
        "Introduction from Josh MacAlister - chair of the review",
        "Local area deep dives",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "{heading} in {headings:?}"
        );
    }
    let links = select(&html, "main a[href='#local-area-deep-dives']");
    assert_eq!(links.len(), 1, "the contents entry links to its heading");
    assert_eq!(text(&links[0]), "Local area deep dives");
    assert_eq!(
        select(&html, "#local-area-deep-dives").len(),
        1,
        "the anchor exists"
    );
}

#[test]
fn an_unknown_kind_of_document_is_refused_with_exit_status_1() {
    let root = empty_site();
    write(
        root.path(),
        "minutes.txt",
        "Minutes of the meeting\n\nPresent: the chair and two members.\n",
    );
    let output = review_import(root.path(), &["minutes.txt", "--into", "content"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("minutes.txt"), "names the file: {message}");
    assert!(
        message.contains("not a known kind of engagement document"),
        "{message}"
    );
    assert!(!root.path().join("content").exists(), "nothing is written");
}

#[test]
fn a_missing_file_is_named_and_nothing_is_written() {
    let root = empty_site();
    let workforce = excerpt("workforce.txt");
    let output = review_import(
        root.path(),
        &["no-such-document.txt", &workforce, "--into", "content"],
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("no-such-document.txt"),
        "names the file: {message}"
    );
    assert!(message.contains("No such file"), "says why: {message}");
    assert!(
        !root.path().join("content").exists(),
        "the readable document is not written either, so a failed run changes nothing"
    );
}

#[test]
fn importing_again_overwrites_the_generated_files_and_leaves_the_others() {
    let root = empty_site();
    import(root.path(), &["newsletter.txt"]);
    let generated = root
        .path()
        .join("content/news/september-2021-newsletter.md");
    let original = std::fs::read_to_string(&generated).expect("read the news page");
    std::fs::write(
        &generated,
        "---\ntitle: Edited by hand\ndate: 2021-09-01\n---\n\nEdited.\n",
    )
    .expect("edit");
    write(
        root.path(),
        "content/accessibility.md",
        "---\ntitle: Accessibility\n---\n\nWritten by hand.\n",
    );

    let files = import(root.path(), &["newsletter.txt"]);
    assert_eq!(
        files,
        ["accessibility.md", "news/september-2021-newsletter.md"]
    );
    assert_eq!(
        std::fs::read_to_string(&generated).expect("read again"),
        original,
        "the hand edit is overwritten"
    );
    let kept =
        std::fs::read_to_string(root.path().join("content/accessibility.md")).expect("read page");
    assert!(
        kept.contains("Written by hand."),
        "a file the importer does not generate is left alone"
    );
}
