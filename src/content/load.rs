//! Walking `content/` and parsing every file into its typed kind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::front_matter::{parse_yaml, split};
use super::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, display_path, read_source};

/// The largest content file accepted, in bytes: 64 MiB, some thirty times the longest
/// engagement report as plain text (the review's five documents together are under 2 MB).
/// It exists so that a file that is not a document at all (a database dump or a video
/// renamed `.md`, a runaway script's output) is an error naming it, not a build that takes
/// the machine's memory; the build is linear in a file's size below it
/// (`docs/performance.md`).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One parsed content file: its source text, typed front matter and where the body starts.
#[derive(Debug, Clone)]
pub struct Document<M> {
    pub source: Arc<SourceText>,
    /// Path relative to `content/`, with `/` separators.
    pub path: String,
    pub meta: M,
    /// Byte offset of the Markdown body in `source.text`.
    pub body_offset: usize,
}

impl<M> Document<M> {
    /// The Markdown body, borrowed from the source text.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The byte offset and length of `value` given for `key` in the front matter, so a
    /// diagnostic about a field points at its value; the key where the value is not found
    /// as written.
    pub fn field_span(&self, key: &str, value: &str) -> (usize, usize) {
        field_span(&self.source.text[..self.body_offset], key, value)
    }

    /// An error pointing at the value given for `key` in the front matter.
    pub fn field_error(
        &self,
        code: &'static str,
        key: &str,
        value: &str,
        message: String,
    ) -> Diagnostic {
        field_error(&self.source, self.body_offset, code, key, value, message)
    }

    /// The folder names between `content/` and the file.
    pub fn folders(&self) -> Vec<&str> {
        let mut parts: Vec<&str> = self.path.split('/').collect();
        parts.pop();
        parts
    }
}

/// Where `value` is given for `key` in the front matter `front`: its byte offset and
/// length, or the key's where the value is not written as given.
fn field_span(front: &str, key: &str, value: &str) -> (usize, usize) {
    let key_at = front
        .match_indices(&format!("{key}:"))
        .map(|(i, _)| i)
        .find(|&i| i == 0 || front[..i].ends_with('\n'))
        .unwrap_or(0);
    match front[key_at..].find(value) {
        Some(i) if !value.is_empty() => (key_at + i, value.len()),
        _ => (key_at, key.len()),
    }
}

/// An error pointing at the value given for `key` in the front matter of `source`, whose
/// body starts at `body_offset`: for code that has a file's source but not its typed
/// document.
pub fn field_error(
    source: &Arc<SourceText>,
    body_offset: usize,
    code: &'static str,
    key: &str,
    value: &str,
    message: String,
) -> Diagnostic {
    let (offset, len) = field_span(&source.text[..body_offset], key, value);
    Diagnostic::error_at(code, source, offset, len, message)
}

/// Everything in `content/`, parsed, before any cross-file check.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub summaries: Vec<Document<SummaryMeta>>,
    pub sections: Vec<Document<SectionMeta>>,
    pub quotes: Vec<Document<QuoteMeta>>,
    pub responses: Vec<Document<ResponseMeta>>,
    pub pages: Vec<Document<PageMeta>>,
    /// Other files (images, PDFs), copied as they are: (source path, path relative to content/).
    pub assets: Vec<(PathBuf, String)>,
    /// The folder of `content/` that holds the responses.
    pub responses_folder: String,
}

/// The kind a file's place in `content/` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Summary,
    Section,
    Quote,
    Response,
    Page,
}

/// The kind of the file at `path` (relative to `content/`), where the responses live in
/// the folder `responses`.
pub fn kind_of(path: &str, responses: &str) -> Result<Kind, String> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [folder, _] if *folder == responses => Ok(Kind::Response),
        [folder, ..] if *folder == responses => Err(format!(
            "responses live directly in content/{responses}/: expected content/{responses}/<id>.md"
        )),
        ["summaries", _, "_index.md"] => Ok(Kind::Summary),
        ["summaries", _, _] => Ok(Kind::Section),
        ["summaries", ..] => Err(
            "a summary folder holds only `_index.md` and section files: \
             expected content/summaries/<summary>/<section>.md"
                .to_string(),
        ),
        ["quotes", _, _] => Ok(Kind::Quote),
        ["quotes", ..] => Err(
            "quotes live one folder deep: expected content/quotes/<summary>/<file>.md".to_string(),
        ),
        _ => Ok(Kind::Page),
    }
}

/// A file parsed into one of the kinds.
enum Parsed {
    Summary(Document<SummaryMeta>),
    Section(Document<SectionMeta>),
    Quote(Document<QuoteMeta>),
    Response(Document<ResponseMeta>),
    Page(Document<PageMeta>),
}

/// Walks `content_dir` and parses every Markdown file; the responses are the files in its
/// folder `responses`. All errors of all files are returned together.
pub fn load(root: &Path, content_dir: &Path, responses: &str) -> Result<Content, Diagnostics> {
    if !content_dir.is_dir() {
        return Err(Diagnostic::error(
            "content/missing",
            display_path(root, content_dir),
            "the content folder does not exist",
        )
        .with_help("create content/ with at least content/_index.md")
        .into());
    }
    let Walked {
        markdown,
        assets,
        mut diagnostics,
    } = walk(root, content_dir);
    let mut content = Content {
        responses_folder: responses.to_string(),
        assets,
        ..Content::default()
    };
    let parsed: Vec<Result<Parsed, Diagnostic>> = markdown
        .par_iter()
        .map(|(path, relative)| parse_file(root, path, relative, responses))
        .collect();
    for result in parsed {
        match result {
            Ok(Parsed::Summary(d)) => content.summaries.push(d),
            Ok(Parsed::Section(d)) => content.sections.push(d),
            Ok(Parsed::Quote(d)) => content.quotes.push(d),
            Ok(Parsed::Response(d)) => content.responses.push(d),
            Ok(Parsed::Page(d)) => content.pages.push(d),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(content)
    }
}

/// The files of the content folder: (path, path relative to the folder) of each Markdown
/// file and of each other file, and what could not be read.
struct Walked {
    markdown: Vec<(PathBuf, String)>,
    assets: Vec<(PathBuf, String)>,
    diagnostics: Diagnostics,
}

/// Walks `content_dir` in file-name order, leaving out ignored files ([`is_ignored`]) and
/// refusing files that symbolic links take out of the site.
fn walk(root: &Path, content_dir: &Path) -> Walked {
    let mut walked = Walked {
        markdown: Vec::new(),
        assets: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    let site_root = root.canonicalize().ok();
    // Only a path through a symbolic link can lead out of the site, so only such paths
    // are resolved: resolving every path costs system calls for each folder of each file.
    let mut linked_folders: Vec<PathBuf> = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                walked.diagnostics.push(walk_error(root, content_dir, &e));
                continue;
            }
        };
        if entry.path_is_symlink() && entry.file_type().is_dir() {
            linked_folders.push(entry.path().to_path_buf());
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let through_link =
            entry.path_is_symlink() || linked_folders.iter().any(|f| entry.path().starts_with(f));
        if through_link && let Some(target) = outside_site(entry.path(), site_root.as_deref()) {
            walked.diagnostics.push(
                Diagnostic::error(
                    "content/link-outside",
                    display_path(root, entry.path()),
                    format!(
                        "this file is reached through a symbolic link to {}, outside the site; \
                         files outside the site are not published",
                        target.display()
                    ),
                )
                .with_help("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        let path = entry.path().to_path_buf();
        let relative = display_path(content_dir, &path);
        if path.extension().is_some_and(|e| e == "md") {
            walked.markdown.push((path, relative));
        } else {
            walked.assets.push((path, relative));
        }
    }
    walked
}

fn walk_error(root: &Path, content_dir: &Path, error: &walkdir::Error) -> Diagnostic {
    let file = error.path().map_or_else(
        || display_path(root, content_dir),
        |p| display_path(root, p),
    );
    let message = if error.loop_ancestor().is_some() {
        "a symbolic link here points back to one of its own parent folders (a loop); \
         remove the link"
            .to_string()
    } else {
        format!("cannot read this path: {error}")
    };
    Diagnostic::error("io/walk", file, message)
}

/// `previous` with the files `changed` parsed again: what `serve` does after a save
/// instead of walking and parsing the whole folder. Unchanged documents keep their
/// sources (the same `Arc` as in the last run's site), which is how the render stage
/// knows what changed. `previous` is taken, not copied: copying every document's front
/// matter was about a tenth of the instructions of an edit.
///
/// `None` when a change is not an edit of a Markdown file `previous` already holds (a
/// file added, removed or renamed, an image, a file outside `content/`): the folder must
/// then be loaded again.
pub fn reload(
    root: &Path,
    content_dir: &Path,
    previous: Content,
    changed: &[PathBuf],
) -> Option<Result<Content, Diagnostics>> {
    let mut content = previous;
    let mut diagnostics = Diagnostics::default();
    for path in changed {
        if path.strip_prefix(content_dir).ok()?.iter().any(is_ignored) {
            continue;
        }
        let relative = display_path(content_dir, path);
        let markdown = path.extension().is_some_and(|e| e == "md");
        let known = if markdown {
            content.slot(&relative)
        } else {
            None
        };
        match (known, path.exists()) {
            (Some(slot), true) => {
                match parse_file(root, path, &relative, &content.responses_folder) {
                    Ok(parsed) => content.replace(slot, parsed)?,
                    Err(d) => diagnostics.push(d),
                }
            }
            // A temporary file an editor wrote and renamed away: nothing to do.
            (None, false) if !content.assets.iter().any(|(from, _)| from == path) => {}
            // Added, removed, or not Markdown.
            _ => return None,
        }
    }
    Some(if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(content)
    })
}

/// Where a document sits in [`Content`]: its kind and index.
#[derive(Clone, Copy)]
struct Slot(Kind, usize);

impl Content {
    fn slot(&self, path: &str) -> Option<Slot> {
        fn find<M>(docs: &[Document<M>], path: &str) -> Option<usize> {
            docs.iter().position(|d| d.path == path)
        }
        match kind_of(path, &self.responses_folder).ok()? {
            Kind::Summary => find(&self.summaries, path).map(|i| Slot(Kind::Summary, i)),
            Kind::Section => find(&self.sections, path).map(|i| Slot(Kind::Section, i)),
            Kind::Quote => find(&self.quotes, path).map(|i| Slot(Kind::Quote, i)),
            Kind::Response => find(&self.responses, path).map(|i| Slot(Kind::Response, i)),
            Kind::Page => find(&self.pages, path).map(|i| Slot(Kind::Page, i)),
        }
    }

    /// Puts `parsed` in `slot`; `None` if it is of another kind.
    fn replace(&mut self, slot: Slot, parsed: Parsed) -> Option<()> {
        match (slot, parsed) {
            (Slot(Kind::Summary, i), Parsed::Summary(d)) => self.summaries[i] = d,
            (Slot(Kind::Section, i), Parsed::Section(d)) => self.sections[i] = d,
            (Slot(Kind::Quote, i), Parsed::Quote(d)) => self.quotes[i] = d,
            (Slot(Kind::Response, i), Parsed::Response(d)) => self.responses[i] = d,
            (Slot(Kind::Page, i), Parsed::Page(d)) => self.pages[i] = d,
            _ => return None,
        }
        Some(())
    }
}

/// Where `path` really is, when symbolic links take it outside the site's root folder.
fn outside_site(path: &Path, site_root: Option<&Path>) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    match site_root {
        Some(root) if !real.starts_with(root) => Some(real),
        _ => None,
    }
}

/// Whether a file or folder of this name is left out of the site, and its changes
/// unwatched: hidden files and folders (`.git`), and editors' temporary, swap and backup
/// files. The one rule, for loading and for `serve`'s watcher alike.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        // Vim's test of whether it may write in a folder.
        || name == "4913"
        // JetBrains editors' safe-write copies.
        || name.contains("___jb_")
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

fn parse_file(
    root: &Path,
    path: &Path,
    relative: &str,
    responses: &str,
) -> Result<Parsed, Diagnostic> {
    let name = display_path(root, path);
    let size = std::fs::metadata(path)
        .map_err(|e| {
            Diagnostic::error(
                "io/unreadable",
                name.clone(),
                format!("cannot read the file: {e}"),
            )
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "content/too-large",
            name,
            format!(
                "the file is {size} bytes; the limit for one content file is {MAX_FILE_BYTES} bytes"
            ),
        )
        .with_help("split it into several sections"));
    }
    let kind = kind_of(relative, responses)
        .map_err(|message| Diagnostic::error("content/location", name.clone(), message))?;
    let source = read_source(root, path)?;
    Ok(match kind {
        Kind::Summary => Parsed::Summary(document(&source, relative)?),
        Kind::Section => Parsed::Section(document(&source, relative)?),
        Kind::Quote => Parsed::Quote(document(&source, relative)?),
        Kind::Response => Parsed::Response(document(&source, relative)?),
        Kind::Page => Parsed::Page(document(&source, relative)?),
    })
}

fn document<M: DeserializeOwned>(
    source: &Arc<SourceText>,
    relative: &str,
) -> Result<Document<M>, Diagnostic> {
    let parts = split(source)?;
    let meta = parse_yaml(source, parts.yaml, parts.yaml_offset)?;
    Ok(Document {
        source: Arc::clone(source),
        path: relative.to_string(),
        meta,
        body_offset: parts.body_offset,
    })
}
