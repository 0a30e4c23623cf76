//! What an import did (or, with `--dry-run`, would do), for the publisher: counts by
//! consent, the files added, updated, kept and removed, the new topics, and the privacy
//! flags to look at. It never quotes a respondent: a withheld row is only counted, and a
//! flag says what kind of personal data is where, not what it is.

use std::fmt::{self, Write as _};

use super::plan::{Action, Change, Removal};
use super::records::Record;
use crate::config::Responses;
use crate::vocabulary::Term;

/// One thing in an imported file that an editor should look at before publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The file, relative to the site root.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// A stable code, as `chorus check` uses (`privacy/email`…).
    pub code: &'static str,
    pub message: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub dry_run: bool,
    /// What the site calls its responses ("Responses", "Ideas"), from `site.yaml`.
    pub name: String,
    pub rows: usize,
    pub named: usize,
    pub anonymous: usize,
    pub withheld: usize,
    /// Rows whose respondent agreed but which have no answer: nothing to publish.
    pub without_answer: usize,
    /// Files: (relative path, action).
    pub files: Vec<(String, Action)>,
    /// Topics the vocabulary lacked, added to `topics_file`.
    pub new_topics: Vec<Term>,
    pub topics_file: String,
    pub flags: Vec<Flag>,
}

impl Report {
    pub fn new(records: &[Record], responses: &Responses, dry_run: bool) -> Report {
        let mut report = Report {
            dry_run,
            name: responses.name.clone(),
            rows: records.len(),
            ..Report::default()
        };
        for record in records {
            match record {
                Record::Withheld { .. } => report.withheld += 1,
                Record::Published(s) if s.answers.is_empty() => report.without_answer += 1,
                Record::Published(s) if s.anonymous => report.anonymous += 1,
                Record::Published(_) => report.named += 1,
            }
        }
        report
    }

    /// Records each change under its path relative to the site root.
    pub fn files(&mut self, changes: &[Change], relative: impl Fn(&Change) -> String) {
        self.files = changes
            .iter()
            .map(|c| (relative(c), c.action.clone()))
            .collect();
    }

    /// How many files had `action`.
    pub fn count(&self, wanted: impl Fn(&Action) -> bool) -> usize {
        self.files.iter().filter(|(_, a)| wanted(a)).count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let verb = if self.dry_run { "would be" } else { "were" };
        let _ = writeln!(
            out,
            "{} rows read. {}: {} published with a name, {} published anonymously, {} withheld (not published), {} without an answer (not published)",
            self.rows, self.name, self.named, self.anonymous, self.withheld, self.without_answer
        );
        let _ = writeln!(
            out,
            "{} files {verb} added, {} updated, {} kept unchanged, {} removed",
            self.count(|a| *a == Action::Add),
            self.count(|a| *a == Action::Update),
            self.count(|a| *a == Action::Unchanged),
            self.count(|a| matches!(a, Action::Remove(_))),
        );
        for (file, action) in &self.files {
            let what = match action {
                Action::Add => "add",
                Action::Update => "update",
                Action::Unchanged => continue,
                Action::Remove(Removal::Withheld) => "remove (consent withdrawn)",
                Action::Remove(Removal::NotInExport) => "remove (no longer in the export)",
                Action::Remove(Removal::NoAnswer) => "remove (no answer any more)",
            };
            let _ = writeln!(out, "  {what:<10} {file}");
        }
        if !self.new_topics.is_empty() {
            let _ = writeln!(out, "new topics {verb} added to {}:", self.topics_file);
            for term in &self.new_topics {
                let _ = writeln!(out, "  {} ({})", term.name, term.slug);
            }
        }
        if self.flags.is_empty() {
            let _ = writeln!(out, "no personal data found by the privacy rules");
        } else {
            let _ = writeln!(
                out,
                "{} privacy flags: read each before publishing (chorus check lists them until `privacy_reviewed: true`):",
                self.flags.len()
            );
            for flag in &self.flags {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {} [{}]",
                    flag.file, flag.line, flag.column, flag.message, flag.code
                );
            }
        }
        f.write_str(&out)
    }
}
