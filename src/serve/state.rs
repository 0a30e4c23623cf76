//! Builds into memory and keeps what the server shows: the last good site, the errors of
//! the latest build when it failed, and what changed, published to every open page
//! through one watch channel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::Bytes;
use serde::Serialize;
use tokio::sync::watch;

use crate::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::render::{FileData, OutputFile};

/// The built site in memory, by path relative to the base path (`a/b/index.html`).
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
}

/// One file of a snapshot.
#[derive(Debug)]
pub enum Served {
    Bytes(Bytes),
    /// A static file, read from the site's own folders when asked for.
    Copy(PathBuf),
}

impl Snapshot {
    fn new(files: Vec<OutputFile>) -> Snapshot {
        let files = files
            .into_iter()
            .map(|f| {
                let served = match f.data {
                    FileData::Bytes(bytes) => Served::Bytes(Bytes::from(bytes)),
                    FileData::Copy(path) => Served::Copy(path),
                };
                (f.path, served)
            })
            .collect();
        Snapshot { files }
    }
}

/// A stylesheet's URL in the old build and in the new one (they differ when the name
/// carries a content hash).
#[derive(Debug, Clone, Serialize)]
pub struct StylesheetChange {
    pub from: String,
    pub to: String,
}

/// What the server shows, replaced as a whole after every build.
#[derive(Debug, Default)]
pub struct Status {
    /// How many good builds there have been; each page records the one it came from, so
    /// a page that missed one while it loaded still reloads.
    pub generation: u64,
    /// The last good site; `None` until the first build succeeds.
    pub site: Option<Arc<Snapshot>>,
    /// The errors of the latest build when it failed, as the overlay shows them.
    pub errors: Vec<serde_json::Value>,
    /// Set when the latest good build changed only stylesheets (and the one before it was
    /// good too): pages then swap these instead of reloading.
    pub stylesheets: Option<Vec<StylesheetChange>>,
}

/// Runs builds and publishes their outcome.
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    base_path: String,
    colour: bool,
    status: watch::Sender<Arc<Status>>,
    /// One build at a time: the first build and the watcher's may otherwise overlap.
    running: Mutex<()>,
}

impl Builder {
    pub fn new(root: PathBuf, options: BuildOptions, base_path: String, colour: bool) -> Builder {
        let (status, _) = watch::channel(Arc::new(Status::default()));
        Builder {
            root,
            options,
            base_path,
            colour,
            status,
            running: Mutex::new(()),
        }
    }

    /// The channel that carries every new [`Status`].
    pub fn status(&self) -> watch::Sender<Arc<Status>> {
        self.status.clone()
    }

    /// Builds the site after `changed` (nothing for the first build) and publishes the
    /// result; a failure keeps the last good site and reports the errors.
    pub fn build(&self, changed: &[PathBuf]) {
        let _running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let started = Instant::now();
        let result = crate::render_site(&self.root, &self.options);
        let elapsed = started.elapsed().as_millis();
        let previous = Arc::clone(&self.status.borrow());
        let what = describe(&self.root, changed);
        let next = match result {
            Ok((_, rendered, _)) => {
                println!(
                    "{} {} pages in {elapsed} ms{what}",
                    if changed.is_empty() {
                        "Built"
                    } else {
                        "Rebuilt"
                    },
                    rendered.pages
                );
                let warnings = rendered.warnings.warning_count();
                if warnings > 0 {
                    eprintln!("  {warnings} warnings: run `chorus check` to read them");
                }
                let site = Snapshot::new(rendered.files);
                let css_only = !changed.is_empty()
                    && changed
                        .iter()
                        .all(|p| p.extension().is_some_and(|e| e == "css"));
                let stylesheets = match &previous.site {
                    Some(old) if css_only && previous.errors.is_empty() => {
                        Some(stylesheet_changes(old, &site, &self.base_path))
                    }
                    _ => None,
                };
                Status {
                    generation: previous.generation + 1,
                    site: Some(Arc::new(site)),
                    errors: Vec::new(),
                    stylesheets,
                }
            }
            Err(diagnostics) => {
                let diagnostics = diagnostics.sorted();
                for d in diagnostics.items.iter().filter(|d| d.is_error()) {
                    eprint!("{}", d.render(self.colour));
                }
                let count = diagnostics.error_count();
                eprintln!(
                    "Build failed with {count} {}{what}; {}",
                    if count == 1 { "error" } else { "errors" },
                    if previous.site.is_some() {
                        "still serving the last good site"
                    } else {
                        "the site appears once it builds"
                    }
                );
                Status {
                    generation: previous.generation,
                    site: previous.site.clone(),
                    errors: overlay_errors(&diagnostics),
                    stylesheets: None,
                }
            }
        };
        self.status.send_replace(Arc::new(next));
    }
}

/// ` after a change to content/a.md (and 3 more files)`, for the terminal.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let Some(first) = changed.first() else {
        return String::new();
    };
    let name = first.strip_prefix(root).unwrap_or(first).display();
    match changed.len() {
        1 => format!(" after a change to {name}"),
        2 => format!(" after a change to {name} (and 1 more file)"),
        n => format!(" after a change to {name} (and {} more files)", n - 1),
    }
}

/// The errors as the overlay shows them; all findings if, oddly, none is an error.
fn overlay_errors(diagnostics: &Diagnostics) -> Vec<serde_json::Value> {
    let errors: Vec<_> = diagnostics
        .items
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_json())
        .collect();
    if errors.is_empty() {
        diagnostics.items.iter().map(|d| d.to_json()).collect()
    } else {
        errors
    }
}

/// Pairs each stylesheet of `new` with the one of `old` it replaces, matched by name
/// without the content hash. A hashed name that stayed the same is the same file, and is
/// left out; a name without a hash may hide a change, and is kept.
fn stylesheet_changes(old: &Snapshot, new: &Snapshot, base_path: &str) -> Vec<StylesheetChange> {
    let old_sheets: Vec<&String> = old.files.keys().filter(|p| p.ends_with(".css")).collect();
    let mut changes: Vec<StylesheetChange> = new
        .files
        .keys()
        .filter(|p| p.ends_with(".css"))
        .filter_map(|to| {
            let from = old_sheets
                .iter()
                .find(|from| unhashed(from) == unhashed(to))?;
            let unchanged = *from == to && unhashed(to) != **to;
            (!unchanged).then(|| StylesheetChange {
                from: format!("{base_path}{from}"),
                to: format!("{base_path}{to}"),
            })
        })
        .collect();
    changes.sort_by(|a, b| a.from.cmp(&b.from));
    changes
}

/// `style.1a2b3c4d5e6f.css` → `style.css`; other names as they are.
fn unhashed(path: &str) -> String {
    if let Some((stem, extension)) = path.rsplit_once('.')
        && let Some((name, hash)) = stem.rsplit_once('.')
        && hash.len() == 12
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return format!("{name}.{extension}");
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(paths: &[&str]) -> Snapshot {
        Snapshot {
            files: paths
                .iter()
                .map(|p| (p.to_string(), Served::Bytes(Bytes::new())))
                .collect(),
        }
    }

    #[test]
    fn stylesheets_are_paired_across_their_content_hashes() {
        let old = snapshot(&[
            "style.0123456789ab.css",
            "print.aaaaaaaaaaaa.css",
            "extra.css",
            "index.html",
        ]);
        let new = snapshot(&[
            "style.ba9876543210.css",
            "print.aaaaaaaaaaaa.css",
            "extra.css",
            "index.html",
        ]);
        let changes = stylesheet_changes(&old, &new, "/review/");
        let pairs: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("/review/extra.css", "/review/extra.css"),
                (
                    "/review/style.0123456789ab.css",
                    "/review/style.ba9876543210.css"
                ),
            ]
        );
    }

    #[test]
    fn only_a_twelve_digit_hex_part_is_a_hash() {
        assert_eq!(unhashed("a/style.0123456789ab.css"), "a/style.css");
        assert_eq!(unhashed("jquery.min.css"), "jquery.min.css");
        assert_eq!(unhashed("style.css"), "style.css");
    }
}
