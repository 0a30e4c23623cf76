//! `chorus import`: the responses of a consultation, from the spreadsheet its platform
//! exports, into the site's content files, one per published response.
//!
//! The steps, each a module: [`table`] reads the file (CSV, XLSX, ODS) → [`records`] finds
//! the mapped columns and decides each row's consent → [`plan`] matches rows to the files of
//! an earlier import and says what to add, update, keep and remove ([`markdown`] escapes the
//! answers, [`topics`] matches the ticked topics) → the privacy rules run over every planned
//! file → nothing is written until all of that has succeeded, and then every file is
//! staged beside its place and renamed into it. A withheld row is only ever counted.

mod mapping;
mod markdown;
mod plan;
mod records;
mod report;
mod table;
mod topics;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::privacy;
use crate::config::Config;
use crate::content::front_matter::split;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceText, display_path};
use crate::slug::slugify;

pub use mapping::Mapping;
use mapping::MappingFile;
pub use plan::{Action, Removal};
use plan::{Change, Target};
pub use report::{Flag, Report};
use table::Table;
use topics::TopicVocabulary;

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site's root folder (the one with `site.yaml`).
    pub root: PathBuf,
    /// The export: `.csv`, `.xlsx` or `.ods`.
    pub file: PathBuf,
    /// The mapping file.
    pub mapping: PathBuf,
    /// Report what would change, and write nothing.
    pub dry_run: bool,
}

/// Imports the export; on any error nothing in the site has changed.
pub fn import(options: &ImportOptions) -> Result<Report, Diagnostics> {
    let root = &options.root;
    let config = Config::load(root, None)?;
    let mapping = MappingFile::read(&options.mapping)?;
    check_summary(root, &mapping)?;
    let export = options.file.display().to_string();
    let table = Table::read(&options.file, export.clone())?;
    let records = records::read(&table, &mapping)?;
    let settings = &config.site.responses;
    let folder = root.join("content").join(&settings.path);
    let existing = plan::existing(root, &folder)?;
    let mut topics = TopicVocabulary::load(root, &config)?;
    let prefix = slugify(&settings.singular);
    let target = Target {
        export: &export,
        folder: &folder,
        prefix: &prefix,
        summary: mapping.mapping.summary.as_deref(),
        with_questions: mapping.mapping.body.names().len() > 1,
    };
    let changes = plan::plan(&records, &existing, &target, &mut topics)?;
    let vocabulary = topics
        .appended(root)
        .map_err(|m| Diagnostic::error("import/write", topics.file.clone(), m))?;
    let mut report = Report::new(&records, settings, options.dry_run);
    report.files(&changes, |c| display_path(root, &c.path));
    report.flags = flags(root, &changes);
    report.topics_file = topics.file.clone();
    report.new_topics = topics.added;
    if !options.dry_run {
        write(root, &changes, vocabulary)?;
    }
    Ok(report)
}

/// The mapping's `summary` must be a summary of the site.
fn check_summary(root: &Path, mapping: &MappingFile) -> Result<(), Diagnostics> {
    let Some(summary) = &mapping.mapping.summary else {
        return Ok(());
    };
    // A summary's slug is its folder's name made a slug (`01-community` is `community`).
    let folders = std::fs::read_dir(root.join("content").join("summaries"));
    let exists = folders.into_iter().flatten().flatten().any(|entry| {
        entry.path().join("_index.md").is_file()
            && slugify(&entry.file_name().to_string_lossy()) == *summary
    });
    if exists {
        return Ok(());
    }
    Err(mapping
        .error_at(
            "import/unknown-summary",
            summary,
            format!("there is no summary `{summary}`: expected the name of a folder in content/summaries/ with an _index.md"),
        )
        .into())
}

/// The privacy rules over every file this import publishes (unless an editor has reviewed
/// it), and anonymous rows whose answer names their respondent.
fn flags(root: &Path, changes: &[Change]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for change in changes {
        let Some(text) = &change.text else { continue };
        let file = display_path(root, &change.path);
        let row = change.row.unwrap_or_default();
        let mut flag = |offset: usize, code: &'static str, message: String| {
            let at = Location::at(text, offset, 0);
            flags.push(Flag {
                file: file.clone(),
                line: at.line,
                column: at.column,
                code,
                message: format!("row {row}: {message}"),
            });
        };
        if change.names_respondent {
            let redacted = markdown::escape_line(records::NAME_REMOVED);
            flag(
                text.find(&redacted).unwrap_or(0),
                "privacy/anonymous-named",
                format!(
                    "the respondent asked to be anonymous and gave their name or organisation in the answer too; \
                     it is published as {}",
                    records::NAME_REMOVED
                ),
            );
        }
        if change.privacy_reviewed {
            continue;
        }
        // The rules read the body, as `chorus check` does: where the load stage says it starts.
        let source = Arc::new(SourceText {
            name: file.clone(),
            text: text.clone(),
        });
        let body = split(&source).map_or(0, |parts| parts.body_offset);
        for finding in privacy::find(&text[body..]) {
            flag(
                body + finding.range.start,
                finding.kind.code(),
                finding.kind.name().to_string(),
            );
        }
    }
    flags
}

/// Stage, then swap: every new text is first written to a hidden file beside its place (on
/// the same file system, which the site ignores); only when all are written are they renamed
/// into place, and then the removed files deleted. A failure while staging removes what
/// was staged and leaves the site as it was.
fn write(
    root: &Path,
    changes: &[Change],
    vocabulary: Option<(PathBuf, String)>,
) -> Result<(), Diagnostics> {
    let writes: Vec<(&Path, &str)> = changes
        .iter()
        .filter(|c| matches!(c.action, Action::Add | Action::Update))
        .filter_map(|c| Some((c.path.as_path(), c.text.as_deref()?)))
        .chain(vocabulary.as_ref().map(|(p, t)| (p.as_path(), t.as_str())))
        .collect();
    let failed = |path: &Path, e: std::io::Error| {
        Diagnostics::from(Diagnostic::error(
            "import/write",
            display_path(root, path),
            format!("cannot write: {e}; nothing was changed"),
        ))
    };
    let folders: std::collections::BTreeSet<&Path> =
        writes.iter().filter_map(|(p, _)| p.parent()).collect();
    for folder in folders {
        std::fs::create_dir_all(folder).map_err(|e| failed(folder, e))?;
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(writes.len());
    for (path, text) in writes {
        match stage(path, text) {
            Ok(temporary) => staged.push((temporary, path)),
            Err(e) => {
                for (temporary, _) in &staged {
                    let _ = std::fs::remove_file(temporary);
                }
                return Err(failed(path, e));
            }
        }
    }
    for (temporary, path) in &staged {
        std::fs::rename(temporary, path).map_err(|e| failed(path, e))?;
    }
    for change in changes {
        if matches!(change.action, Action::Remove(_)) {
            std::fs::remove_file(&change.path).map_err(|e| failed(&change.path, e))?;
        }
    }
    Ok(())
}

/// Writes `text` to a hidden file in `path`'s folder and returns its path.
fn stage(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.chorus-import"));
    std::fs::write(&temporary, text)?;
    Ok(temporary)
}
