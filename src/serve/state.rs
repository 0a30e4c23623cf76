//! Runs the pipeline into memory and keeps what the server shows: the last good site, the
//! errors of the latest run when it failed, and what changed, published to every open page
//! through one watch channel.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::watch;

use super::workbench::Workbench;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::fingerprint::unfingerprinted;
use crate::output::{Files, Memory, OutputFile, Run, Sink};
use crate::pipeline::{BuildOptions, Session};
use crate::resolve::Site;

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
    /// The last good site, by path relative to the base path; `None` until the first
    /// build succeeds.
    pub site: Option<Arc<Files>>,
    /// The errors of the latest build when it failed, as the overlay shows them.
    pub errors: Vec<serde_json::Value>,
    /// Set when the latest good build changed only stylesheets (and the one before it was
    /// good too): pages then swap these instead of reloading.
    pub stylesheets: Option<Vec<StylesheetChange>>,
}

/// Runs builds and publishes their outcome.
pub struct Builder {
    root: PathBuf,
    base_path: String,
    colour: bool,
    status: watch::Sender<Arc<Status>>,
    /// The workbench of the last good build, sent once the build is done (after its pages).
    workbench: watch::Sender<Option<Arc<Workbench>>>,
    /// Whether drafts are built, which the review queues say.
    drafts: bool,
    /// The pipeline, which remembers its last good run; locking it also makes builds run
    /// one at a time (the first build and the watcher's may otherwise overlap).
    session: Mutex<Session>,
    /// The site as the pipeline built it.
    memory: Memory,
}

impl Builder {
    pub fn new(root: PathBuf, options: BuildOptions, base_path: String, colour: bool) -> Builder {
        let (status, _) = watch::channel(Arc::new(Status::default()));
        let (workbench, _) = watch::channel(None);
        Builder {
            workbench,
            drafts: options.drafts,
            session: Mutex::new(Session::for_edits(root.clone(), options)),
            root,
            base_path,
            colour,
            status,
            memory: Memory::default(),
        }
    }

    /// The channel that carries every new [`Status`].
    pub fn status(&self) -> watch::Sender<Arc<Status>> {
        self.status.clone()
    }

    /// The workbench of each good build, as it is made.
    pub fn workbench(&self) -> watch::Receiver<Option<Arc<Workbench>>> {
        self.workbench.subscribe()
    }

    /// Builds the site after `changed` (nothing for the first build) and publishes the
    /// result; a failure keeps the last good site and reports the errors.
    ///
    /// After a save, the pages the change touched are published as soon as they are
    /// rendered, and open pages reload; the open data and the search index follow a moment
    /// later, without another reload.
    pub fn build(&self, changed: &[PathBuf]) {
        let mut session = self.session.lock().unwrap_or_else(PoisonError::into_inner);
        let started = Instant::now();
        let what = describe(&self.root, changed);
        let preview = Preview {
            builder: self,
            changed,
            started,
            what: &what,
            pages: AtomicUsize::new(0),
        };
        match session.rebuild(changed, &preview) {
            Ok(report) => {
                if changed.is_empty() {
                    println!(
                        "Built {} pages in {} ms",
                        report.pages,
                        started.elapsed().as_millis()
                    );
                }
                let count = report.warnings.warning_count();
                if count > 0 {
                    eprintln!("  {count} warnings: run `chorus check` to read them");
                }
            }
            Err(diagnostics) => self.failed(diagnostics, &what),
        }
    }

    /// The workbench of the build whose pages are done, with the lints of unchanged files
    /// taken from the last one: the good build the pages were just published as, or for
    /// the `first` build the one its commit will publish.
    fn next_workbench(&self, site: &Site, first: bool) -> Workbench {
        let generation = self.status.borrow().generation + u64::from(first);
        let previous = self.workbench.borrow().clone();
        Workbench::new(site, generation, self.drafts, previous.as_deref())
    }

    /// Shows `site`, the pages of a rebuild over the last good site, and reloads open pages.
    fn publish_pages(&self, site: Files, changed: &[PathBuf]) {
        let previous = Arc::clone(&self.status.borrow());
        let css_only = changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        let stylesheets = match &previous.site {
            Some(old) if css_only && previous.errors.is_empty() => {
                Some(stylesheet_changes(old, &site, &self.base_path))
            }
            _ => None,
        };
        self.status.send_replace(Arc::new(Status {
            generation: previous.generation + 1,
            site: Some(Arc::new(site)),
            errors: Vec::new(),
            stylesheets,
        }));
    }

    /// Shows the site a build finished with. Open pages hear of the first build; after an
    /// edit they have reloaded already, and the open data and search index that follow are
    /// simply there for what they fetch next.
    fn publish_site(&self, site: Arc<Files>, first: bool) {
        let previous = Arc::clone(&self.status.borrow());
        let status = Arc::new(Status {
            generation: previous.generation + u64::from(first),
            site: Some(site),
            errors: Vec::new(),
            stylesheets: previous.stylesheets.clone(),
        });
        self.status.send_if_modified(|current| {
            *current = status;
            first
        });
    }

    /// Reports a failed build; the last good site stays up.
    fn failed(&self, diagnostics: Diagnostics, what: &str) {
        let previous = Arc::clone(&self.status.borrow());
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
        // The last good site is the one the pipeline last committed: a run that showed its
        // pages before it failed takes them back.
        let site = previous.site.as_ref().map(|_| self.memory.files());
        self.status.send_replace(Arc::new(Status {
            generation: previous.generation,
            site,
            errors: overlay_errors(&diagnostics),
            stylesheets: None,
        }));
    }
}

/// The sink of one preview build: the pipeline's files go to the builder's [`Memory`], and
/// are shown as soon as a rebuild's pages are done, then again when the build commits.
struct Preview<'a> {
    builder: &'a Builder,
    changed: &'a [PathBuf],
    started: Instant,
    what: &'a str,
    /// HTML pages this build rendered.
    pages: AtomicUsize,
}

impl Sink for Preview<'_> {
    fn begin(&self, run: Run) -> Result<(), Diagnostic> {
        self.builder.memory.begin(run)
    }

    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.builder.memory.put(file)
    }

    /// Shows a rebuild's pages, then describes their items to the workbench, before the
    /// search index and the open data are made: a quote's or response's page waits for
    /// the workbench of its build (its edit panel carries the file's hash), other pages
    /// do not.
    fn pages_done(&self, resolved: &Site) {
        let builder = self.builder;
        builder.memory.end_pages();
        if !self.changed.is_empty() {
            let site = builder.memory.with_new_pages();
            println!(
                "Rebuilt {} of {} pages in {} ms{}",
                self.pages.load(Ordering::Relaxed),
                site.keys().filter(|p| p.ends_with(".html")).count(),
                self.started.elapsed().as_millis(),
                self.what
            );
            builder.publish_pages(site, self.changed);
        }
        let workbench = builder.next_workbench(resolved, self.changed.is_empty());
        builder.workbench.send_replace(Some(Arc::new(workbench)));
    }

    fn commit(&self) -> Result<(), Diagnostic> {
        let memory = &self.builder.memory;
        memory.commit()?;
        self.builder
            .publish_site(memory.files(), self.changed.is_empty());
        Ok(())
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
fn stylesheet_changes(old: &Files, new: &Files, base_path: &str) -> Vec<StylesheetChange> {
    let old_sheets: Vec<&String> = old.keys().filter(|p| p.ends_with(".css")).collect();
    let mut changes: Vec<StylesheetChange> = new
        .keys()
        .filter(|p| p.ends_with(".css"))
        .filter_map(|to| {
            let from = old_sheets
                .iter()
                .find(|from| unfingerprinted(from) == unfingerprinted(to))?;
            let unchanged = *from == to && unfingerprinted(to) != **to;
            (!unchanged).then(|| StylesheetChange {
                from: format!("{base_path}{from}"),
                to: format!("{base_path}{to}"),
            })
        })
        .collect();
    changes.sort_by(|a, b| a.from.cmp(&b.from));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::FileData;

    fn files(paths: &[&str]) -> Files {
        paths
            .iter()
            .map(|p| (p.to_string(), FileData::Bytes(Default::default())))
            .collect()
    }

    #[test]
    fn stylesheets_are_paired_across_their_content_hashes() {
        let old = files(&[
            "style.0123456789ab.css",
            "print.aaaaaaaaaaaa.css",
            "extra.css",
            "index.html",
        ]);
        let new = files(&[
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
}
