//! After a save, `serve` asks its pipeline session to build again with the saved files:
//! the session parses only those files again and renders only the pages
//! [`chorus::render::changed_pages`] names, over the site it built last. These tests drive
//! that same session into the same memory sink `serve` uses, and hold it to its promise: for
//! each kind of edit the rules follow, the site in memory after the edit is, byte for byte,
//! what a full build of the edited files gives, though only a few pages were rendered; edits
//! the rules do not follow make the session render everything, with the same result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use chorus::diagnostics::Diagnostic;
use chorus::output::{FileData, Files, Memory, OutputFile, Run, Sink};
use chorus::{BuildOptions, Report, Session};

use crate::common;

/// An edit: the file's text before → after.
type Change = fn(&str) -> String;

/// A site built as `serve` builds it: a session and the memory it builds into.
struct Preview {
    session: Session,
    memory: Memory,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let memory = Memory::default();
        let mut session = Session::new(root, BuildOptions::default());
        session.build(&memory).expect("the fixture builds");
        Preview { session, memory }
    }

    /// Builds again after `changed`; the report and the pages rendered.
    fn rebuild(&mut self, changed: &[PathBuf]) -> (Report, BTreeSet<String>) {
        let pages = Pages {
            memory: &self.memory,
            put: Mutex::default(),
            done: AtomicBool::new(false),
        };
        let report = self.session.rebuild(changed, &pages).expect("builds");
        let put = pages
            .put
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        (report, put)
    }
}

/// The memory sink, noting which pages a run puts before its pages are done.
struct Pages<'a> {
    memory: &'a Memory,
    put: Mutex<BTreeSet<String>>,
    done: AtomicBool,
}

impl Sink for Pages<'_> {
    fn begin(&self, run: Run) {
        self.memory.begin(run);
    }
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if !self.done.load(Ordering::SeqCst) {
            let mut put = self.put.lock().unwrap_or_else(PoisonError::into_inner);
            put.insert(file.path.clone());
        }
        self.memory.put(file)
    }
    fn pages_done(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.memory.pages_done();
    }
    fn commit(&self) -> Result<(), Diagnostic> {
        self.memory.commit()
    }
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
    bytes(&Preview::start(root).memory.files())
}

/// Applies `change` to the file `relative` under content/ and builds again through the
/// preview: the report, the pages rendered, and the site before the edit.
fn edit(
    preview: &mut Preview,
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
) -> (Report, BTreeSet<String>, BTreeMap<String, Vec<u8>>) {
    let before = bytes(&preview.memory.files());
    let path = root.join("content").join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = change(&text);
    assert_ne!(text, edited, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
    let (report, pages) = preview.rebuild(&[path]);
    (report, pages, before)
}

/// The session follows the edit (renders only some pages, among them `expected` and not
/// the home page), and the site in memory after it is what a full build gives.
fn assert_incremental(
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
    expected: &[&str],
) {
    let mut preview = Preview::start(root);
    let (report, pages, before) = edit(&mut preview, root, relative, change);
    assert!(!report.full, "the rules follow this edit: {pages:?}");
    for path in expected {
        let file = format!("{path}index.html");
        assert!(pages.contains(&file), "{file} is re-rendered: {pages:?}");
    }
    assert!(
        !pages.contains("index.html"),
        "the home page is left alone: {pages:?}"
    );
    let expected = full(root);
    assert_ne!(before, expected, "the edit shows in the output");
    assert_same(&bytes(&preview.memory.files()), &expected, relative);
}

fn assert_same(
    actual: &BTreeMap<String, Vec<u8>>,
    expected: &BTreeMap<String, Vec<u8>>,
    after: &str,
) {
    let differing: Vec<&String> = expected
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
    let cases: [(&str, Change); 4] = [
        // A quote's themes decide which term pages list it.
        ("quotes/adults/adults-001.md", |t| {
            t.replace("themes: [kinship-care]", "themes: [workforce]")
        }),
        // A section's title is in the contents of every page of its summary.
        ("summaries/workforce/01-working.md", |t| {
            t.replace("title: Working in the system", "title: Working")
        }),
        // Placing a quote changes where its page links to.
        ("summaries/workforce/02-care.md", |t| {
            format!("{t}\n{{{{ quote(id=\"workforce-002\") }}}}\n")
        }),
        // A summary's title is in the navigation of every page.
        ("summaries/adults/_index.md", |t| {
            t.replacen("title: ", "title: The ", 1)
        }),
    ];
    for (relative, change) in cases {
        let site = common::fixture("basic");
        let mut preview = Preview::start(site.path());
        let (report, _, _) = edit(&mut preview, site.path(), relative, change);
        assert!(report.full, "{relative}");
        assert_same(
            &bytes(&preview.memory.files()),
            &full(site.path()),
            relative,
        );
    }
}

#[test]
fn files_added_removed_or_not_content_make_the_session_load_everything() {
    let site = common::fixture("basic");
    let root = site.path();
    let mut preview = Preview::start(root);
    let content = root.join("content");
    common::write(
        root,
        "content/responses/response-0004.md",
        "---\nnumber: 4\ntopics: []\nanonymous: true\n---\n\nNew.\n",
    );
    let (report, _) = preview.rebuild(&[content.join("responses/response-0004.md")]);
    assert!(report.full, "a file added");
    assert_same(&bytes(&preview.memory.files()), &full(root), "an addition");
    let removed = content.join("responses/response-0001.md");
    std::fs::remove_file(&removed).unwrap();
    let (report, _) = preview.rebuild(&[removed]);
    assert!(report.full, "a file removed");
    assert_same(&bytes(&preview.memory.files()), &full(root), "a removal");
    let (report, _) = preview.rebuild(&[root.join("site.yaml")]);
    assert!(report.full, "the configuration");
}

#[test]
fn an_editor_s_scratch_file_renders_no_page() {
    let site = common::fixture("basic");
    let root = site.path();
    let mut preview = Preview::start(root);
    let before = bytes(&preview.memory.files());
    let scratch = root.join("content/quotes/adults/.adults-001.md.swp");
    let (report, pages) = preview.rebuild(&[scratch]);
    assert!(!report.full);
    assert_eq!(pages, BTreeSet::new());
    assert_same(&bytes(&preview.memory.files()), &before, "a scratch file");
}
