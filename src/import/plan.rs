//! What an import changes: each published row matched to the file an earlier import wrote
//! for it (by `source_id`), or given a new file and number; files of responses that are
//! withheld now, or no longer in the export, removed. Everything an editor set in a file
//! that the spreadsheet does not own (themes, content notes, `privacy_reviewed`, `draft`,
//! aliases, `updated`, the number) is kept.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::markdown;
use super::records::{Record, Submission};
use super::topics::TopicVocabulary;
use crate::content::front_matter::{parse_yaml, split, to_markdown};
use crate::content::kinds::ResponseMeta;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, read_source};

/// A response file already in the site.
#[derive(Debug)]
pub struct Existing {
    pub path: PathBuf,
    pub meta: ResponseMeta,
    pub text: String,
}

/// Why a file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// The respondent's consent is now "do not publish".
    Withheld,
    /// The response is not in the export any more.
    NotInExport,
    /// The row has no answer now.
    NoAnswer,
}

/// What happens to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Add,
    Update,
    Unchanged,
    Remove(Removal),
}

/// One file's change. `text` is what the file will hold (nothing for a removal).
#[derive(Debug)]
pub struct Change {
    pub path: PathBuf,
    pub action: Action,
    pub text: Option<String>,
    /// The spreadsheet row a published file comes from.
    pub row: Option<usize>,
    /// An anonymous row whose answer names its respondent.
    pub names_respondent: bool,
    pub privacy_reviewed: bool,
}

/// How to write new files.
pub struct Target<'a> {
    /// The export's name, for messages.
    pub export: &'a str,
    /// `content/<responses.path>/`.
    pub folder: &'a Path,
    /// The file-name prefix of a new response, e.g. `response`.
    pub prefix: &'a str,
    /// The summary the mapping assigns, if any.
    pub summary: Option<&'a str>,
    /// Whether answers are headed by their questions.
    pub with_questions: bool,
}

/// Reads every response file under `folder` (none if it does not exist yet).
pub fn existing(root: &Path, folder: &Path) -> Result<Vec<Existing>, Diagnostics> {
    let mut found = Diagnostics::default();
    let mut files = Vec::new();
    if !folder.exists() {
        return Ok(files);
    }
    let walk = walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::content::is_ignored(e.file_name()));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.push(Diagnostic::error(
                    "import/read",
                    display_path(root, folder),
                    e.to_string(),
                ));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file()
            || path.extension().is_none_or(|e| e != "md")
            || path.file_stem().is_some_and(|s| s == "_index")
        {
            continue;
        }
        match read_existing(root, path) {
            Ok(file) => files.push(file),
            Err(d) => found.push(d),
        }
    }
    duplicate_ids(root, &files, &mut found);
    if found.has_errors() {
        Err(found)
    } else {
        Ok(files)
    }
}

/// Two files with one `source_id` (a file copied by hand) would leave the import unable to
/// say which one the row is.
fn duplicate_ids(root: &Path, files: &[Existing], found: &mut Diagnostics) {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    for file in files {
        let Some(id) = file.meta.source_id.as_deref() else {
            continue;
        };
        if let Some(other) = first.insert(id, &file.path) {
            found.push(
                Diagnostic::error(
                    "import/duplicate-source-id",
                    display_path(root, &file.path),
                    format!(
                        "this file has the same `source_id` as {}: expected one file per response",
                        display_path(root, other)
                    ),
                )
                .with_help(
                    "delete the copy, or remove `source_id` from a response that was not imported",
                ),
            );
        }
    }
}

fn read_existing(root: &Path, path: &Path) -> Result<Existing, Diagnostic> {
    let source = read_source(root, path)?;
    let parts = split(&source)?;
    let meta: ResponseMeta = parse_yaml(&source, parts.yaml, parts.yaml_offset)?;
    Ok(Existing {
        path: path.to_path_buf(),
        meta,
        text: source.text.clone(),
    })
}

/// The changes that make the site's responses what the export says.
pub fn plan(
    records: &[Record],
    existing: &[Existing],
    target: &Target<'_>,
    topics: &mut TopicVocabulary,
) -> Result<Vec<Change>, Diagnostics> {
    let by_id: HashMap<&str, usize> = existing
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.meta.source_id.as_deref().map(|id| (id, i)))
        .collect();
    let mut taken: HashSet<PathBuf> = existing.iter().map(|e| e.path.clone()).collect();
    let mut next = existing.iter().map(|e| e.meta.number).max().unwrap_or(0) + 1;
    let mut changes = Vec::new();
    let mut found = Diagnostics::default();
    let mut seen = HashSet::new();
    for record in records {
        match record {
            Record::Withheld { id } => {
                seen.insert(id.as_str());
                if let Some(&i) = by_id.get(id.as_str()) {
                    changes.push(removal(&existing[i], Removal::Withheld));
                }
            }
            Record::Published(submission) if submission.answers.is_empty() => {
                seen.insert(submission.id.as_str());
                if let Some(&i) = by_id.get(submission.id.as_str()) {
                    changes.push(removal(&existing[i], Removal::NoAnswer));
                }
            }
            Record::Published(submission) => {
                seen.insert(submission.id.as_str());
                let slugs = match topics.slugs(&submission.topics) {
                    Ok(slugs) => slugs,
                    Err(message) => {
                        found.push(Diagnostic::error(
                            "import/topic",
                            target.export,
                            format!("row {}: {message}", submission.row),
                        ));
                        continue;
                    }
                };
                let change = match by_id.get(submission.id.as_str()) {
                    Some(&i) => update(&existing[i], submission, slugs, target),
                    None => {
                        let path = free_path(target, &mut next, &mut taken);
                        add(path, next - 1, submission, slugs, target)
                    }
                };
                match change {
                    Ok(change) => changes.push(change),
                    Err(d) => found.push(d),
                }
            }
        }
    }
    changes.extend(
        existing
            .iter()
            .filter(|e| e.meta.summary.as_deref() == target.summary)
            .filter(|e| {
                e.meta
                    .source_id
                    .as_deref()
                    .is_some_and(|id| !seen.contains(id))
            })
            .map(|e| removal(e, Removal::NotInExport)),
    );
    if found.has_errors() {
        Err(found)
    } else {
        Ok(changes)
    }
}

/// The next unused `<prefix>-NNNN.md`; `next` moves past the number it gives.
fn free_path(target: &Target<'_>, next: &mut u32, taken: &mut HashSet<PathBuf>) -> PathBuf {
    loop {
        let path = target
            .folder
            .join(format!("{}-{:04}.md", target.prefix, *next));
        *next += 1;
        if !path.exists() && taken.insert(path.clone()) {
            return path;
        }
    }
}

fn removal(file: &Existing, why: Removal) -> Change {
    Change {
        path: file.path.clone(),
        action: Action::Remove(why),
        text: None,
        row: None,
        names_respondent: false,
        privacy_reviewed: false,
    }
}

/// The spreadsheet's fields over `meta`: what the export owns, and nothing else.
fn apply(
    meta: &mut ResponseMeta,
    submission: &Submission,
    topics: Vec<String>,
    target: &Target<'_>,
) {
    meta.source_id = Some(submission.id.clone());
    meta.date = submission.date;
    meta.respondent = submission.respondent.clone();
    meta.anonymous = submission.anonymous;
    meta.topics = topics;
    if let Some(summary) = target.summary {
        meta.summary = Some(summary.to_string());
    }
}

fn add(
    path: PathBuf,
    number: u32,
    submission: &Submission,
    topics: Vec<String>,
    target: &Target<'_>,
) -> Result<Change, Diagnostic> {
    let mut meta = ResponseMeta {
        number,
        ..ResponseMeta::default()
    };
    apply(&mut meta, submission, topics, target);
    change(path, Action::Add, &meta, submission, target)
}

fn update(
    file: &Existing,
    submission: &Submission,
    topics: Vec<String>,
    target: &Target<'_>,
) -> Result<Change, Diagnostic> {
    let mut meta = file.meta.clone();
    apply(&mut meta, submission, topics, target);
    let mut change = change(file.path.clone(), Action::Update, &meta, submission, target)?;
    if change.text.as_deref() == Some(file.text.as_str()) {
        change.action = Action::Unchanged;
    }
    Ok(change)
}

fn change(
    path: PathBuf,
    action: Action,
    meta: &ResponseMeta,
    submission: &Submission,
    target: &Target<'_>,
) -> Result<Change, Diagnostic> {
    let body = markdown::body(&submission.answers, target.with_questions);
    let text = to_markdown(meta, &body).map_err(|e| {
        Diagnostic::error(
            "import/write",
            target.export,
            format!("row {}: cannot write its front matter: {e}", submission.row),
        )
    })?;
    Ok(Change {
        path,
        action,
        text: Some(text),
        row: Some(submission.row),
        names_respondent: submission.names_respondent,
        privacy_reviewed: meta.privacy_reviewed,
    })
}
