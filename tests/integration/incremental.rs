//! After a save, `serve`'s builder asks its pipeline session to build again with the saved
//! files: the session parses only those files again and renders only the pages
//! [`chorus::render::changed_pages`] names, and the builder shows them over the site it
//! showed last. These tests drive that builder, as `serve` does, and hold it to its promise:
//! for each kind of edit the rules follow, the site it serves after the edit is, byte for
//! byte, what a full build of the edited files gives, though only a few pages were rendered
//! again; edits the rules do not follow render every page, with the same result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chorus::output::{FileData, Files, Memory};
use chorus::serve::Builder;
use chorus::{BuildOptions, Session};

use crate::common;

/// An edit: the file's text before → after.
type Change = fn(&str) -> String;

/// The site as `serve` builds and shows it.
struct Preview {
    builder: Builder,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let builder = Builder::new(
            root.to_path_buf(),
            BuildOptions::default(),
            "/".into(),
            false,
        );
        builder.build(&[]);
        let preview = Preview { builder };
        assert!(preview.status().1.is_empty(), "the fixture builds");
        preview
    }

    /// The generation of the site shown, and the errors shown over it.
    fn status(&self) -> (u64, Vec<serde_json::Value>) {
        let status = Arc::clone(&self.builder.status().borrow());
        (status.generation, status.errors.clone())
    }

    /// The site shown.
    fn site(&self) -> Arc<Files> {
        let status = Arc::clone(&self.builder.status().borrow());
        status.site.clone().expect("a site is shown")
    }

    /// Builds again after `changed`, as the watcher asks; the HTML pages rendered again.
    fn rebuild(&self, changed: &[PathBuf]) -> BTreeSet<String> {
        let before = self.site();
        let generation = self.status().0;
        self.builder.build(changed);
        let (now, errors) = self.status();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(now, generation + 1, "open pages are told to reload once");
        rendered_again(&before, &self.site())
    }
}

/// The HTML pages of `after` that are not the very bytes `before` showed: those the build
/// rendered again (a page left alone is shared, not copied, from one site to the next).
fn rendered_again(before: &Files, after: &Files) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter(|(path, data)| match (before.get(*path), data) {
            (Some(FileData::Bytes(old)), FileData::Bytes(new)) => old.as_ptr() != new.as_ptr(),
            _ => true,
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// Every file with its bytes, copied files read from their source.
fn bytes(files: &Files) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(path, data)| {
            let bytes = match data {
                FileData::Bytes(bytes) => bytes.to_vec(),
                FileData::Copy(from) => std::fs::read(from).expect("a copied file"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// Everything a fresh full build of the site under `root` makes.
fn full(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let memory = Memory::default();
    Session::new(root, BuildOptions::default())
        .build(&memory)
        .expect("the edited site builds");
    bytes(&memory.files())
}

/// Applies `change` to the file `relative` under content/ and builds again through the
/// preview: the pages rendered again, and the site before the edit.
fn edit(
    preview: &Preview,
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
) -> (BTreeSet<String>, BTreeMap<String, Vec<u8>>) {
    let before = bytes(&preview.site());
    let path = root.join("content").join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = change(&text);
    assert_ne!(text, edited, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
    (preview.rebuild(&[path]), before)
}

/// The preview follows the edit (renders only some pages, among them `expected` and not the
/// home page), and the site it serves after it is what a full build gives.
fn assert_incremental(
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
    expected: &[&str],
) {
    let pages = assert_follows(root, relative, change, expected, &[""]);
    let total = full(root).keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        pages.len() * 4 < total,
        "only a few of {total} pages: {pages:?}"
    );
}

/// The preview follows the edit: it renders the pages `expected` again and leaves the pages
/// `untouched` (and some others) alone, and the site it serves after it is what a full
/// build gives. Returns the pages it rendered again.
fn assert_follows(
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
    expected: &[&str],
    untouched: &[&str],
) -> BTreeSet<String> {
    let preview = Preview::start(root);
    let total = preview
        .site()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let (pages, before) = edit(&preview, root, relative, change);
    assert!(pages.len() < total, "not every page: {pages:?}");
    for path in expected {
        let file = format!("{path}index.html");
        assert!(pages.contains(&file), "{file} is rendered again: {pages:?}");
    }
    for path in untouched {
        let file = format!("{path}index.html");
        assert!(!pages.contains(&file), "{file} is left alone: {pages:?}");
    }
    let expected = full(root);
    assert_ne!(before, expected, "the edit shows in the output");
    assert_same(&bytes(&preview.site()), &expected, relative);
    pages
}

fn assert_same(
    actual: &BTreeMap<String, Vec<u8>>,
    expected: &BTreeMap<String, Vec<u8>>,
    after: &str,
) {
    let differing: BTreeSet<&String> = expected
        .keys()
        .chain(actual.keys())
        .filter(|k| actual.get(*k) != expected.get(*k))
        .collect();
    assert!(differing.is_empty(), "stale after {after}: {differing:?}");
}

#[test]
fn a_quote_edit_renders_its_page_its_section_and_its_terms() {
    let site = common::fixture("basic");
    assert_incremental(
        site.path(),
        "quotes/workforce/workforce-001.md",
        |text| text.replace("---\n\n", "---\n\nAn added sentence. "),
        &["quotes/workforce-001/", "summaries/workforce/working/"],
    );
}

#[test]
fn a_quote_front_matter_edit_that_keeps_its_tags_is_followed() {
    let site = common::fixture("basic");
    assert_incremental(
        site.path(),
        "quotes/adults/adults-001.md",
        |text| text.replace("speaker: Kinship carer", "speaker: A kinship carer"),
        &["quotes/adults-001/", "summaries/adults/kinship/"],
    );
}

#[test]
fn a_response_edit_renders_its_page_and_the_list_pages_that_show_it() {
    let site = common::fixture("basic");
    assert_incremental(
        site.path(),
        "responses/response-0003.md",
        |text| format!("{text}\nA second paragraph.\n"),
        &["responses/page/2/"],
    );
}

#[test]
fn a_section_prose_edit_renders_the_section() {
    let site = common::fixture("basic");
    assert_incremental(
        site.path(),
        "summaries/workforce/01-working.md",
        |text| text.replace("spoke about paperwork", "spoke about the paperwork"),
        &["summaries/workforce/working/"],
    );
}

#[test]
fn edits_that_reach_further_render_everything() {
    let cases: [(&str, Change); 5] = [
        // The voice's one quote leaves it: its page goes.
        ("quotes/adults/adults-001.md", |t| {
            t.replace("voice: kinship-carer", "voice: social-worker")
        }),
        // The topic's responses fit on one page now: its second page goes.
        ("responses/response-0003.md", |t| {
            t.replace("topics: [kinship-care]", "topics: []")
        }),
        // Placing a quote changes where its page links to.
        ("summaries/workforce/02-care.md", |t| {
            format!("{t}\n{{{{ quote(id=\"workforce-002\") }}}}\n")
        }),
        // Sections in another order: each page of the summary links them so.
        ("summaries/workforce/01-working.md", |t| {
            t.replace("weight: 1", "weight: 3")
        }),
        // A summary's title is in the navigation of every page.
        ("summaries/adults/_index.md", |t| {
            t.replacen("title: ", "title: The ", 1)
        }),
    ];
    for (relative, change) in cases {
        let site = common::fixture("basic");
        let preview = Preview::start(site.path());
        let (pages, _) = edit(&preview, site.path(), relative, change);
        let total = preview
            .site()
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        assert_eq!(pages.len(), total, "{relative}: every page");
        assert_same(&bytes(&preview.site()), &full(site.path()), relative);
    }
}

#[test]
fn files_added_removed_or_not_content_make_the_preview_build_everything() {
    let site = common::fixture("basic");
    let root = site.path();
    let preview = Preview::start(root);
    let total = preview
        .site()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let content = root.join("content");
    common::write(
        root,
        "content/responses/response-0004.md",
        "---\nnumber: 4\ntopics: []\nanonymous: true\n---\n\nNew.\n",
    );
    let pages = preview.rebuild(&[content.join("responses/response-0004.md")]);
    assert!(
        pages.len() > total,
        "a file added: every page, and one more"
    );
    assert_same(&bytes(&preview.site()), &full(root), "an addition");
    let removed = content.join("responses/response-0001.md");
    std::fs::remove_file(&removed).unwrap();
    preview.rebuild(&[removed]);
    assert_same(&bytes(&preview.site()), &full(root), "a removal");
    let shown = preview
        .site()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let pages = preview.rebuild(&[root.join("site.yaml")]);
    assert_eq!(pages.len(), shown, "the configuration: every page");
}

#[test]
fn an_editor_s_scratch_file_renders_no_page() {
    let site = common::fixture("basic");
    let root = site.path();
    let preview = Preview::start(root);
    let before = bytes(&preview.site());
    let scratch = root.join("content/quotes/adults/.adults-001.md.swp");
    let pages = preview.rebuild(&[scratch]);
    assert_eq!(pages, BTreeSet::from(["data/index.html".to_string()]));
    assert_same(&bytes(&preview.site()), &before, "a scratch file");
}

#[test]
fn an_edit_reports_the_warnings_a_full_build_reports() {
    let site = common::fixture("basic");
    let root = site.path();
    // A quote no section places: a warning of every build.
    common::write(
        root,
        "content/quotes/workforce/workforce-009.md",
        "---\nid: workforce-009\nprovenance: verbatim\nsummary: workforce\nsection: working\n---\n\nWords.\n",
    );
    let memory = Memory::default();
    let mut session = Session::for_edits(root, BuildOptions::default());
    let first = session.build(&memory).expect("builds");
    let path = root.join("content/quotes/workforce/workforce-002.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nMore words.\n")).unwrap();
    let edit = session.rebuild(&[path], &memory).expect("builds");
    assert!(!edit.full);
    let codes = |report: &chorus::Report| {
        let mut codes: Vec<String> = report
            .warnings
            .items
            .iter()
            .map(|d| d.to_string())
            .collect();
        codes.sort();
        codes
    };
    assert!(
        !codes(&first).is_empty(),
        "the fixture has a warning to report"
    );
    assert_eq!(codes(&edit), codes(&first));
}

#[test]
fn a_build_that_fails_after_its_pages_leaves_the_last_good_site_shown() {
    let site = common::fixture("basic");
    let root = site.path();
    let preview = Preview::start(root);
    let before = bytes(&preview.site());
    // A page's words change, and the data page, the last file a build makes, after its
    // pages were shown, cannot render.
    common::write(
        root,
        "content/accessibility.md",
        "---\ntitle: Accessibility\n---\n\nNew words.\n",
    );
    common::write(
        root,
        "templates/data.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value }}{% endblock content %}",
    );
    let changed = ["content/accessibility.md", "templates/data.html"].map(|p| root.join(p));
    preview.builder.build(&changed);
    let (_, errors) = preview.status();
    assert!(!errors.is_empty(), "the error is shown");
    assert_same(&bytes(&preview.site()), &before, "a failed build");
}

#[test]
fn a_change_note_on_a_quote_renders_its_page_and_the_updates() {
    let site = common::fixture("basic");
    assert_incremental(
        site.path(),
        "quotes/workforce/workforce-002.md",
        |text| {
            text.replace("  note: Added the content note.", "  note: Added the content note.\n- date: 2024-04-01\n  note: Corrected a typing error.")
        },
        &["quotes/workforce-002/", "updates/"],
    );
}

#[test]
fn a_home_page_edit_renders_the_home_page_alone() {
    let site = common::fixture("basic");
    let preview = Preview::start(site.path());
    let (pages, _) = edit(&preview, site.path(), "_index.md", |t| {
        format!("{t}\nA new closing line.\n")
    });
    // The data page (which shows every file's size) follows every run.
    let html: Vec<&String> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && *p != "data/index.html")
        .collect();
    assert_eq!(html, ["index.html"], "{pages:?}");
    assert_same(&bytes(&preview.site()), &full(site.path()), "_index.md");
}

#[test]
fn a_news_edit_renders_the_item_and_the_lists_that_show_it() {
    let site = common::fixture("basic");
    assert_incremental_with_home(site.path(), "news/first.md", |t| {
        t.replace("title: First news", "title: First news, corrected")
    });
}

/// Like `assert_incremental`, for an edit that the home page shows.
fn assert_incremental_with_home(root: &Path, relative: &str, change: impl Fn(&str) -> String) {
    let preview = Preview::start(root);
    let (pages, _) = edit(&preview, root, relative, change);
    for page in ["news/first/index.html", "news/index.html", "index.html"] {
        assert!(pages.contains(page), "{page} is rendered again: {pages:?}");
    }
    assert!(
        pages.len() < 10,
        "only the pages that show the item: {pages:?}"
    );
    assert_same(&bytes(&preview.site()), &full(root), relative);
}

#[test]
fn a_section_title_edit_renders_the_pages_that_show_the_title() {
    let site = common::fixture("basic");
    assert_follows(
        site.path(),
        "summaries/workforce/01-working.md",
        |t| t.replace("title: Working in the system", "title: Working"),
        &[
            "summaries/workforce/working/",
            "summaries/workforce/care/",
            "summaries/workforce/",
            "",
            "quotes/workforce-001/",
            "themes/workforce/",
        ],
        &[
            "summaries/adults/kinship/",
            "quotes/adults-001/",
            "responses/response-0001/",
        ],
    );
}

/// Changes `from` to `to` in the content file `relative`, before the preview starts.
fn prepare(root: &Path, relative: &str, from: &str, to: &str) {
    let path = root.join("content").join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{relative} holds {from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// Makes every page print the counts its context carries, beyond the few the review theme
/// shows, so that the rules are held to what any theme could show.
fn show_every_count(root: &Path) {
    let base = std::fs::read_to_string(root.join("themes/review/templates/base.html")).unwrap();
    let counts = [
        "{% if taxonomy is defined and taxonomy.terms is defined %}{% for t in taxonomy.terms %}{{ t.count }} {% endfor %}{% endif %}",
        "{% if taxonomies is defined %}{% for x in taxonomies %}{% for t in x.terms %}{{ t.count }} {% endfor %}{% endfor %}{% endif %}",
        "{% if themes is defined and themes.terms is defined %}{% for t in themes.terms %}{{ t.count }} {% endfor %}{% endif %}",
        "{% if voices is defined and voices.terms is defined %}{% for t in voices.terms %}{{ t.count }} {% endfor %}{% endif %}",
        "{% if topics is defined and topics.terms is defined %}{% for t in topics.terms %}{{ t.count }} {% endfor %}{% endif %}",
    ];
    let base = base.replace("</body>", &format!("<p>{}</p></body>", counts.concat()));
    common::write(root, "templates/base.html", &base);
}

#[test]
fn a_theme_added_to_a_quote_renders_its_terms_and_what_shows_their_counts() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    // A summary with the theme: its page and its sections show the theme's count.
    prepare(
        site.path(),
        "summaries/workforce/_index.md",
        "weight: 1",
        "weight: 1\nthemes: [workforce]",
    );
    assert_follows(
        site.path(),
        "quotes/adults/adults-001.md",
        |t| {
            t.replace(
                "themes: [kinship-care]",
                "themes: [kinship-care, workforce]",
            )
        },
        &[
            "quotes/adults-001/",
            "themes/workforce/",
            "themes/kinship-care/",
            "themes/",
            "",
            "search/",
        ],
        // Tagged with the theme that gained a quote: their tags carry no count.
        &[
            "responses/response-0001/",
            "topics/kinship-care/",
            "quotes/workforce-001/",
            "summaries/workforce/working/",
            "summaries/workforce/",
            "summaries/workforce/care/",
        ],
    );
}

#[test]
fn a_theme_removed_from_a_quote_renders_the_term_it_left() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    // A section with the theme, none of whose quotes has it, is not concerned.
    prepare(
        site.path(),
        "summaries/workforce/01-working.md",
        "themes: [workforce]",
        "themes: [workforce, kinship-care]",
    );
    assert_follows(
        site.path(),
        "quotes/workforce/workforce-002.md",
        |t| t.replace("themes: [kinship-care]", "themes: []"),
        &[
            "quotes/workforce-002/",
            "summaries/workforce/care/",
            "themes/kinship-care/",
            "themes/",
            "",
            "search/",
        ],
        &[
            "responses/response-0001/",
            "voices/social-worker/",
            "summaries/workforce/working/",
        ],
    );
}

#[test]
fn a_voice_given_to_a_quote_renders_the_voice_but_not_its_other_quotes() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    assert_follows(
        site.path(),
        "quotes/adults/adults-002.md",
        |t| {
            t.replace(
                "provenance: verbatim",
                "speaker: Social Worker\nvoice: social-worker\nprovenance: verbatim",
            )
        },
        &["quotes/adults-002/", "voices/social-worker/", "voices/", ""],
        &[
            "responses/response-0001/",
            "themes/kinship-care/",
            "quotes/workforce-001/",
        ],
    );
}

#[test]
fn a_topic_added_to_a_response_renders_the_topic_and_the_lists_of_responses() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    // A second response for the topic, which then already has its page.
    prepare(
        site.path(),
        "responses/response-0001.md",
        "topics: [kinship-care]",
        "topics: [kinship-care, foster-care]",
    );
    assert_follows(
        site.path(),
        "responses/response-0002.md",
        |t| {
            t.replace(
                "topics: [kinship-care]",
                "topics: [kinship-care, foster-care]",
            )
        },
        &[
            "responses/response-0002/",
            "topics/foster-care/",
            "topics/",
            "responses/",
            "responses/page/2/",
            "search/",
        ],
        &[
            "",
            "quotes/adults-001/",
            "themes/kinship-care/",
            "responses/response-0001/",
        ],
    );
}

#[test]
fn a_theme_added_to_a_section_renders_the_section_and_the_term() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    assert_follows(
        site.path(),
        "summaries/workforce/02-care.md",
        |t| {
            t.replace(
                "themes: [kinship-care]",
                "themes: [kinship-care, workforce]",
            )
        },
        // The summary's other section shows this one's front matter in its contents.
        &[
            "summaries/workforce/care/",
            "themes/workforce/",
            "",
            "summaries/workforce/working/",
        ],
        &["responses/response-0001/", "quotes/adults-001/"],
    );
}

#[test]
fn a_topic_taken_from_a_response_renders_every_page_of_the_topic() {
    let site = common::fixture("basic");
    show_every_count(site.path());
    // A fourth response: the topic's four responses take two pages, and keep two with three.
    common::write(
        site.path(),
        "content/responses/response-0004.md",
        "---\nnumber: 4\ntopics: [kinship-care]\nrespondent: Respondent 4\n---\n\nResponse number 4 about kinship care.\n",
    );
    assert_follows(
        site.path(),
        "responses/response-0001.md",
        |t| t.replace("topics: [kinship-care]", "topics: []"),
        &[
            "responses/response-0001/",
            "topics/kinship-care/",
            "topics/kinship-care/page/2/",
            "topics/",
            "responses/",
            "search/",
        ],
        &["", "responses/response-0004/", "themes/kinship-care/"],
    );
}
