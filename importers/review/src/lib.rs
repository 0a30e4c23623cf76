//! IMPORT: plain-text engagement documents (taken from PDFs and web pages) → content files.
//!
//! Each document kind has its own parser that turns the text into [`ImportedFile`]s;
//! [`classify`] then adds themes and content notes by documented keyword rules, and
//! [`write_files`] serialises them with the same front-matter structs the load stage reads,
//! so everything the importer writes parses back.

mod bridge;
mod classify;
mod engagement;
mod ideas;
mod news;
mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use chorus::config::Config;
use chorus::content::front_matter::to_markdown;
use chorus::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use chorus::diagnostics::Diagnostics;
use chorus::vocabulary::Vocabularies;

pub use classify::{Rules, UnknownSpeaker, classify, rules_from};

/// The front matter of one imported file, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontMatter {
    Summary(SummaryMeta),
    Section(SectionMeta),
    Quote(QuoteMeta),
    Idea(ResponseMeta),
    Page(PageMeta),
}

/// One content file the importer will write.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    /// Relative to the content directory, e.g. `summaries/workforce/_index.md`.
    pub path: PathBuf,
    pub front_matter: FrontMatter,
    /// Markdown body.
    pub body: String,
}

/// Which parser a document needs, told from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The Bridge the Gap summary (events and the 42 Create conversations).
    BridgeTheGap,
    /// The Call for Ideas: an introduction and every submitted idea.
    CallForIdeas,
    /// An engagement summary whose quotes end in an attribution: workforce, adults.
    Engagement,
    /// A newsletter, published as one news page.
    Newsletter,
}

/// Why a document could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for ImportError {}

/// Tells which kind of document `text` is, from phrases each kind carries.
pub fn detect(text: &str) -> Option<DocumentKind> {
    let head: String = text.chars().take(4000).collect();
    if head.contains("Call for Ideas") {
        Some(DocumentKind::CallForIdeas)
    } else if head.contains("newsletter") {
        Some(DocumentKind::Newsletter)
    } else if text.contains("Bridge the Gap") && text.contains("Create") {
        Some(DocumentKind::BridgeTheGap)
    } else if head.contains("Engagement Summary") || head.contains("engagement summary") {
        Some(DocumentKind::Engagement)
    } else {
        None
    }
}

/// Parses one document into content files (before classification).
pub fn parse(kind: DocumentKind, text: &str) -> Vec<ImportedFile> {
    match kind {
        DocumentKind::BridgeTheGap => bridge::parse(text),
        DocumentKind::CallForIdeas => ideas::parse(text),
        DocumentKind::Engagement => engagement::parse(text),
        DocumentKind::Newsletter => news::parse(text),
    }
}

/// What an import wrote, and the attributions that matched no voice.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Paths written, relative to the content directory.
    pub written: Vec<PathBuf>,
    pub unknown_speakers: Vec<UnknownSpeaker>,
}

/// Reads and parses each file, classifies the result with the vocabularies of the site
/// at `root` (voices, themes and content notes from `data/`), and writes it under `into`.
pub fn import_files(
    files: &[PathBuf],
    root: &Path,
    into: &Path,
) -> Result<ImportReport, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut imported = Vec::new();
    for file in files {
        let error = |message: String| ImportError {
            file: file.clone(),
            message,
        };
        let text = match std::fs::read(file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                errors.push(error(format!(
                    "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                    e.utf8_error().valid_up_to()
                )));
                continue;
            }
            Err(e) => {
                errors.push(error(format!("cannot read the file: {e}")));
                continue;
            }
        };
        match detect(&text) {
            Some(kind) => imported.extend(parse(kind, &text)),
            None => errors.push(error(
                "not a known kind of engagement document (expected a Call for Ideas, \
                 an engagement summary, the Bridge the Gap summary or a newsletter)"
                    .to_string(),
            )),
        }
    }
    let site_error = |diagnostics: Diagnostics| {
        diagnostics
            .into_iter()
            .map(|d| ImportError {
                file: PathBuf::from(&d.file),
                message: d.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let vocabularies = Config::load(root, None)
        .map_err(|d| site_error(d.into()))
        .and_then(|config| Vocabularies::load(root, &config).map_err(site_error));
    let vocabularies = match vocabularies {
        Ok(v) => v,
        Err(e) => {
            errors.extend(e);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let rules = rules_from(&vocabularies);
    let mut report = ImportReport::default();
    for file in &mut imported {
        report.unknown_speakers.extend(classify(file, &rules));
    }
    write_files(&imported, into).map_err(|e| {
        vec![ImportError {
            file: into.to_path_buf(),
            message: e.to_string(),
        }]
    })?;
    report.written = imported.into_iter().map(|f| f.path).collect();
    Ok(report)
}

/// Renders one file as front matter between `---` lines followed by the body.
pub fn file_text(file: &ImportedFile) -> String {
    let text = match &file.front_matter {
        FrontMatter::Summary(m) => to_markdown(m, &file.body),
        FrontMatter::Section(m) => to_markdown(m, &file.body),
        FrontMatter::Quote(m) => to_markdown(m, &file.body),
        FrontMatter::Idea(m) => to_markdown(m, &file.body),
        FrontMatter::Page(m) => to_markdown(m, &file.body),
    };
    text.unwrap_or_else(|e| unreachable!("front matter structs always serialise: {e}"))
}

/// Writes every file under `into`, creating folders as needed. A file that is there already
/// keeps what an editor decided after the import: see [`keep_editors_fields`].
pub fn write_files(files: &[ImportedFile], into: &Path) -> std::io::Result<()> {
    for file in files {
        let path = into.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = file.clone();
        match std::fs::read_to_string(&path) {
            Ok(existing) => keep_editors_fields(&mut file, &existing),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        std::fs::write(&path, file_text(&file))?;
    }
    Ok(())
}

/// Carries over from the file an import replaces the decisions an editor makes on imported
/// files: that a quote's or an idea's personal data was reviewed and may be published
/// (`privacy_reviewed`), and the warnings accepted for a file (`lint_allow`). A file whose
/// front matter does not parse as the same kind keeps nothing.
fn keep_editors_fields(file: &mut ImportedFile, existing: &str) {
    let Some((yaml, _)) = existing
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
    else {
        return;
    };
    match &mut file.front_matter {
        FrontMatter::Quote(meta) => {
            if let Ok(old) = serde_saphyr::from_str::<QuoteMeta>(yaml) {
                meta.privacy_reviewed |= old.privacy_reviewed;
                meta.lint_allow = old.lint_allow;
            }
        }
        FrontMatter::Idea(meta) => {
            if let Ok(old) = serde_saphyr::from_str::<ResponseMeta>(yaml) {
                meta.privacy_reviewed |= old.privacy_reviewed;
                meta.lint_allow = old.lint_allow;
            }
        }
        FrontMatter::Summary(meta) => {
            if let Ok(old) = serde_saphyr::from_str::<SummaryMeta>(yaml) {
                meta.lint_allow = old.lint_allow;
            }
        }
        FrontMatter::Section(meta) => {
            if let Ok(old) = serde_saphyr::from_str::<SectionMeta>(yaml) {
                meta.lint_allow = old.lint_allow;
            }
        }
        FrontMatter::Page(meta) => {
            if let Ok(old) = serde_saphyr::from_str::<PageMeta>(yaml) {
                meta.lint_allow = old.lint_allow;
            }
        }
    }
}
