//! CHECK: the lints `chorus check` runs after every validation of `build`, so that an editor
//! finds what the build accepts but a reader should not meet: links that point nowhere,
//! personal data, headings that skip a level, distressing passages without a content note,
//! suspicious front matter. Every finding is a [`Diagnostic`] with a stable code; the codes
//! and what to do about each are listed in `docs/reliability.md`.
//!
//! The lints only read: the [`Site`] as resolved and the [`Files`] the pipeline built into
//! memory. Nothing here is needed to build, so `build` stays as fast as it was.

mod front_matter;
mod links;
mod notes;
pub(crate) mod privacy;
mod quotes;
mod structure;

use std::path::Path;

use chrono::NaiveDate;

use crate::content::Document;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Files, Memory};
use crate::pipeline::{BuildOptions, Session};
use crate::resolve::{ItemKind, Site};
use crate::rules::KeywordRule;

/// What `chorus check` reports for the site under `root`: the site built into memory, with
/// every validation of a build, then every lint. `today` decides what counts as a future
/// date. The build's errors when it fails, otherwise its warnings and the lints' findings.
pub fn check(root: &Path, options: &BuildOptions, today: NaiveDate) -> Diagnostics {
    let memory = Memory::default();
    let mut session = Session::new(root, options.clone());
    match session.build(&memory) {
        Ok(report) => {
            let mut all = report.warnings;
            if let Some(site) = session.site() {
                all.extend(lint(site, &memory.files(), today));
                all = site.accept_allowed(all);
                let unused = site.unused_allowances(&all);
                all.extend(unused);
            }
            all
        }
        Err(errors) => errors,
    }
}

/// Runs every lint. `today` decides what counts as a future date.
pub fn lint(site: &Site, files: &Files, today: NaiveDate) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(links::check(site, files));
    diagnostics.extend(quotes::check(site));
    diagnostics.extend(privacy::check(site));
    diagnostics.extend(structure::check(site));
    diagnostics.extend(notes::check(site));
    diagnostics.extend(front_matter::check(site, today));
    diagnostics
}

/// The lints that make a quote or response wait for an editor in `serve`'s review queues:
/// personal data nobody has reviewed, and words that call for a content note the item
/// lacks. They look at one item at a time, so that after a save `serve` lints only the
/// files that changed.
pub struct EditorialLints {
    rules: Vec<KeywordRule>,
}

impl EditorialLints {
    pub fn new(site: &Site) -> EditorialLints {
        EditorialLints {
            rules: notes::rules(site),
        }
    }

    /// The findings of item `index` of `kind`, as `check` reports them; a warning the
    /// file accepts is not marked here: pass them through [`Site::accept_allowed`].
    pub fn item(&self, site: &Site, kind: ItemKind, index: usize) -> Vec<Diagnostic> {
        let mut found = privacy::item(site, kind, index);
        found.extend(notes::item(&self.rules, site, kind, index));
        found
    }
}

/// A warning about a front-matter field's value.
fn field_warning<M>(
    doc: &Document<M>,
    code: &'static str,
    key: &str,
    value: &str,
    message: String,
) -> Diagnostic {
    doc.field_error(code, key, value, message).warning()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the test fixture site with the repository's themes, changed by `edits`
    /// (path, text), linted as of 2024-01-01: the findings as `file:line: code` strings.
    fn lint_fixture(edits: &[(&str, &str)]) -> Vec<String> {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = tempfile::tempdir().expect("temporary folder");
        for (from, to) in [
            (repo.join("tests/fixtures/basic"), site.path().to_path_buf()),
            (repo.join("themes"), site.path().join("themes")),
        ] {
            for entry in walkdir::WalkDir::new(&from)
                .into_iter()
                .filter_map(Result::ok)
            {
                let target = to.join(entry.path().strip_prefix(&from).expect("inside"));
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&target).expect("folder");
                } else {
                    std::fs::copy(entry.path(), &target).expect("copy");
                }
            }
        }
        for (path, text) in edits {
            let path = site.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, text).expect("write");
        }
        let memory = Memory::default();
        let mut session = Session::new(site.path(), BuildOptions::default());
        if let Err(d) = session.build(&memory) {
            let lines: Vec<String> = d.items.iter().map(ToString::to_string).collect();
            panic!("{}", lines.join("\n"));
        }
        let site = session.site().expect("the site of a good build");
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let mut found: Vec<String> = lint(site, &memory.files(), today)
            .sorted()
            .items
            .iter()
            .map(|d| {
                let severity = if d.is_error() { "error" } else { "warning" };
                match d.location {
                    Some(l) => format!("{}:{}:{} {severity} {}", d.file, l.line, l.column, d.code),
                    None => format!("{} {severity} {}", d.file, d.code),
                }
            })
            .collect();
        found.dedup();
        found
    }

    const QUOTE: &str = "content/quotes/workforce/workforce-001.md";
    const QUOTE_FRONT: &str = "---\nid: workforce-001\nspeaker: Social Worker\nvoice: social-worker\nprovenance: verbatim\nsummary: workforce\nsection: working\n";

    #[test]
    fn the_fixture_site_is_clean() {
        assert_eq!(lint_fixture(&[]), Vec::<String>::new());
    }

    #[test]
    fn broken_links_and_anchors_point_at_the_markdown_that_holds_them() {
        let found = lint_fixture(&[(
            "content/accessibility.md",
            "---\ntitle: Accessibility\n---\n\nSee [care](@/summaries/workforce/02-care.md#nowhere),\n[gone](/summaries/gone/) and [ok](/summaries/workforce/care/#kinship).\n",
        )]);
        assert_eq!(
            found,
            [
                "content/accessibility.md:5:12 error link/anchor",
                "content/accessibility.md:6:8 error link/broken"
            ]
        );
    }

    #[test]
    fn a_template_s_broken_link_is_reported_once_for_all_its_pages() {
        let found = lint_fixture(&[(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}<h1>{{ page.title }}</h1><a href=\"/missing/\">x</a>{% endblock content %}\n",
        )]);
        assert_eq!(found, ["public/accessibility/index.html error link/broken"]);
    }

    #[test]
    fn personal_data_is_an_error_until_reviewed() {
        let body = "---\n\nCall me on 07700 900123 or write to jo@example.org.\n";
        let found = lint_fixture(&[(QUOTE, &format!("{QUOTE_FRONT}{body}"))]);
        assert_eq!(
            found,
            [
                format!("{QUOTE}:10:12 error privacy/phone"),
                format!("{QUOTE}:10:37 error privacy/email")
            ]
        );
        let reviewed = format!("{QUOTE_FRONT}privacy_reviewed: true\n{body}");
        assert_eq!(lint_fixture(&[(QUOTE, &reviewed)]), Vec::<String>::new());
    }

    #[test]
    fn a_distressing_passage_needs_its_content_note() {
        let rules = (
            "data/content-notes.yaml",
            "- note: domestic abuse\n  keywords: [domestic violence]\n",
        );
        let words = "---\n\nThere was domestic\nviolence at home.\n";
        let found = lint_fixture(&[rules, (QUOTE, &format!("{QUOTE_FRONT}{words}"))]);
        assert_eq!(
            found,
            [format!("{QUOTE}:10:11 warning content-note/missing")]
        );
        let noted = format!("{QUOTE_FRONT}content_note: [domestic abuse]\n{words}");
        assert_eq!(
            lint_fixture(&[rules, (QUOTE, &noted)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_same_quote_twice_is_found() {
        let copy = "---\nid: workforce-003\nprovenance: verbatim\nsummary: workforce\nsection: working\n---\n\n“Less paperwork, meetings and less emails”\n";
        let placing = "---\ntitle: Working in the system\nweight: 1\n---\n\n{{ quote(id=\"workforce-001\") }}\n\n{{ quote(id=\"workforce-003\") }}\n\nSee [kinship](@/summaries/workforce/02-care.md#kinship).\n";
        let found = lint_fixture(&[
            ("content/quotes/workforce/workforce-003.md", copy),
            ("content/summaries/workforce/01-working.md", placing),
        ]);
        assert_eq!(
            found,
            ["content/quotes/workforce/workforce-003.md:8:1 warning quote/duplicate-text"]
        );
    }

    #[test]
    fn suspicious_front_matter_is_a_warning() {
        let long = "A".repeat(MAX_TITLE);
        let found = lint_fixture(&[
            (
                "content/news/first.md",
                "---\ntitle: First news\ndate: 2031-09-30\n---\nNews.\n",
            ),
            (
                "content/accessibility.md",
                &format!("---\ntitle: {long}\n---\nText.\n"),
            ),
            (
                "content/responses/response-0001.md",
                "---\nnumber: 1\ntopics: [kinship-care, kinship-cares]\n---\nResponse.\n",
            ),
            (
                "site.yaml",
                "title: T\nbase_url: https://example.org/\ntaxonomies:\n  topics:\n    name: Topics\n    singular: Topic\n    closed: false\n",
            ),
        ]);
        assert_eq!(
            found,
            [
                "content/accessibility.md:2:8 warning front-matter/long-title",
                "content/news/first.md:3:7 warning front-matter/future-date",
                "content/responses/response-0001.md:3:24 warning taxonomy/new-term",
            ]
        );
    }

    /// One character over the longest title accepted without a warning.
    const MAX_TITLE: usize = front_matter::MAX_TITLE_CHARS + 1;

    #[test]
    fn an_empty_section_is_found() {
        let found = lint_fixture(&[(
            "content/summaries/workforce/03-empty.md",
            "---\ntitle: Empty\nweight: 3\n---\n\n",
        )]);
        assert_eq!(
            found,
            ["content/summaries/workforce/03-empty.md:1:1 warning section/empty"]
        );
    }
}
