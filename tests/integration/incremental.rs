//! After a save, `serve` parses only the edited files again and renders only the pages
//! [`render::changed_pages`] names, over the last output. These tests hold that to its
//! promise: for each kind of edit the rules follow, the named pages rendered over the old
//! output give byte for byte what a full render of the edited site gives; edits the rules
//! do not follow get no plan, which makes `serve` render everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chorus::render::{self, Bodies, FileData, PageJob, Renderer, Reuse};
use chorus::resolve::{self, Site};
use chorus::{BuildOptions, Sources};

use crate::common;

type Files = BTreeMap<String, Vec<u8>>;

/// An edit: the file's text before → after.
type Change = fn(&str) -> String;

/// Renders `pages` and, with every page, the static and data files.
fn render(renderer: &Renderer<'_>, pages: &[PageJob], files: &mut Files) {
    let mut all = renderer.render_to_memory(pages).expect("renders");
    all.extend(renderer.data_files().expect("data files"));
    if pages.len() == renderer.pages().len() {
        all.extend_from_slice(renderer.static_files());
    }
    for file in all {
        let bytes = match file.data {
            FileData::Bytes(bytes) => bytes,
            FileData::Copy(path) => std::fs::read(path).unwrap(),
        };
        files.insert(file.path, bytes);
    }
}

fn load(root: &Path) -> Sources {
    chorus::load_sources(root, &BuildOptions::default()).expect("loads")
}

fn resolve(sources: &Sources) -> Site {
    let (site, _) = resolve::resolve(
        sources.content.clone(),
        sources.config.clone(),
        sources.vocabularies.clone(),
        false,
    )
    .expect("resolves");
    site
}

/// Everything a full render of the site under `root` writes (the search index aside).
fn full(root: &Path) -> Files {
    let site = resolve(&load(root));
    let (bodies, _) = render::bodies(&site, None).expect("bodies");
    let renderer = Renderer::new(root, &site, &bodies).expect("renderer");
    let mut files = Files::new();
    render(&renderer, renderer.pages(), &mut files);
    files
}

/// What the first render left, as `serve` keeps it.
struct Before {
    sources: Sources,
    site: Site,
    bodies: Bodies,
    files: Files,
}

fn before(root: &Path) -> Before {
    let sources = load(root);
    let site = resolve(&sources);
    let (bodies, _) = render::bodies(&site, None).expect("bodies");
    let renderer = Renderer::new(root, &site, &bodies).expect("renderer");
    let mut files = Files::new();
    render(&renderer, renderer.pages(), &mut files);
    drop(renderer);
    Before {
        sources,
        site,
        bodies,
        files,
    }
}

/// Applies `edit` to the file `relative` under content/, then reloads and resolves as
/// `serve` does. Returns the plan and the output of rendering it over the old files.
fn edit(
    root: &Path,
    relative: &str,
    edit: impl Fn(&str) -> String,
) -> (Option<BTreeSet<PageJob>>, Files, Before) {
    let before = before(root);
    let path = root.join("content").join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(text, edited, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
    let content = chorus::content::reload(
        root,
        &root.join("content"),
        &before.sources.content,
        std::slice::from_ref(&path),
    )
    .expect("an edit of a known file is reloaded on its own")
    .expect("the edited file parses");
    let sources = Sources {
        content,
        ..before.sources.clone()
    };
    let site = resolve(&sources);
    let plan = render::changed_pages(&before.site, &site);
    let mut files = before.files.clone();
    if let Some(plan) = &plan {
        let reuse = Reuse {
            site: &before.site,
            bodies: &before.bodies,
        };
        let (bodies, _) = render::bodies(&site, Some(reuse)).expect("bodies");
        let renderer = Renderer::new(root, &site, &bodies).expect("renderer");
        let mut pages: Vec<PageJob> = plan.iter().copied().collect();
        pages.push(PageJob::Data);
        render(&renderer, &pages, &mut files);
    }
    (plan, files, before)
}

/// The plan exists, names `expected` among its pages, is a small part of the site, and
/// rendering it over the old output gives what a full render gives.
fn assert_incremental(
    root: &Path,
    relative: &str,
    change: impl Fn(&str) -> String,
    expected: &[&str],
) {
    let (plan, files, before) = edit(root, relative, change);
    let plan = plan.expect("the rules follow this edit");
    let paths: BTreeSet<String> = plan.iter().map(|p| p.path(&before.site)).collect();
    for path in expected {
        assert!(paths.contains(*path), "{path} is re-rendered: {paths:?}");
    }
    assert!(
        !paths.contains(""),
        "the home page is left alone: {paths:?}"
    );
    let expected = full(root);
    assert_ne!(before.files, expected, "the edit shows in the output");
    let differing: Vec<&String> = expected
        .keys()
        .filter(|k| files.get(*k) != expected.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "stale after {relative}: {differing:?}"
    );
    assert_eq!(files.len(), expected.len());
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
fn edits_that_reach_further_get_no_plan() {
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
        let (plan, _, _) = edit(site.path(), relative, change);
        assert!(plan.is_none(), "{relative}: {plan:?}");
    }
}

#[test]
fn files_that_are_not_known_markdown_make_serve_load_everything() {
    let site = common::fixture("basic");
    let root = site.path();
    let sources = load(root);
    let content = root.join("content");
    let added = content.join("responses/response-0004.md");
    crate::common::write(
        root,
        "content/responses/response-0004.md",
        "---\nnumber: 4\ntopics: []\nanonymous: true\n---\n\nNew.\n",
    );
    assert!(chorus::content::reload(root, &content, &sources.content, &[added]).is_none());
    let removed = content.join("responses/response-0001.md");
    std::fs::remove_file(&removed).unwrap();
    assert!(chorus::content::reload(root, &content, &sources.content, &[removed]).is_none());
    let config = root.join("site.yaml");
    assert!(chorus::content::reload(root, &content, &sources.content, &[config]).is_none());
    let gone = content.join("quotes/adults/.adults-001.md.swp");
    let reloaded = chorus::content::reload(root, &content, &sources.content, &[gone]);
    assert!(
        reloaded.is_some_and(|r| r.is_ok()),
        "an editor's scratch file is no reason to load everything"
    );
}
