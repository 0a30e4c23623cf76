//! Builds into memory and keeps what the server shows: the last good site, the errors of
//! the latest build when it failed, and what changed, published to every open page
//! through one watch channel.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::Bytes;
use serde::Serialize;
use tokio::sync::watch;

use crate::diagnostics::Diagnostics;
use crate::render::{self, Bodies, FileData, OutputFile, PageJob, Renderer, Reuse};
use crate::resolve::{self, Site};
use crate::{BuildOptions, Sources, content};

/// The built site in memory, by path relative to the base path (`a/b/index.html`).
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
}

/// One file of a snapshot.
#[derive(Debug, Clone)]
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
    /// What the last build left for the next, when it was good; taking it also makes
    /// builds run one at a time (the first build and the watcher's may otherwise overlap).
    last: Mutex<Option<Last>>,
}

/// What a good build leaves for the next one: the sources as loaded, the site as resolved
/// and its rendered bodies, so that a save costs one file parsed and a few pages rendered.
struct Last {
    sources: Sources,
    site: Site,
    bodies: Bodies,
    /// The files that depend on every quote and response (the open data, its page, the search
    /// index), which every build replaces after the pages are shown.
    whole_site: Vec<String>,
}

/// The pages a build rendered first, before the files that depend on the whole site.
struct Pages {
    /// Made into served files once; publishing them twice only counts references.
    files: HashMap<String, Served>,
    /// Whether these are all the pages (otherwise, only those the change touched).
    all: bool,
    /// How many HTML pages the site has.
    total: usize,
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
            last: Mutex::new(None),
        }
    }

    /// The channel that carries every new [`Status`].
    pub fn status(&self) -> watch::Sender<Arc<Status>> {
        self.status.clone()
    }

    /// Builds the site after `changed` (nothing for the first build) and publishes the
    /// result; a failure keeps the last good site and reports the errors.
    ///
    /// After a save, the pages the change touched are rendered and published first, and
    /// open pages reload; the open data and the search index follow a moment later,
    /// without another reload. When the change may reach further than
    /// [`render::changed_pages`] follows, every page is rendered.
    pub fn build(&self, changed: &[PathBuf]) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let started = Instant::now();
        let what = describe(&self.root, changed);
        match self.rebuild(last.take(), changed, started, &what) {
            Ok(next) => *last = Some(next),
            Err(diagnostics) => self.failed(diagnostics, &what),
        }
    }

    fn rebuild(
        &self,
        last: Option<Last>,
        changed: &[PathBuf],
        started: Instant,
        what: &str,
    ) -> Result<Last, Diagnostics> {
        let reloaded = match &last {
            Some(last) if !changed.is_empty() => content::reload(
                &self.root,
                &self.root.join("content"),
                &last.sources.content,
                changed,
            ),
            _ => None,
        };
        // Only content files were edited when they could be parsed again on their own.
        let edited = reloaded.is_some();
        let sources = match (reloaded, &last) {
            (Some(content), Some(last)) => Sources {
                content: content?,
                ..last.sources.clone()
            },
            _ => crate::load_sources(&self.root, &self.options)?,
        };
        let (site, mut warnings) = resolve::resolve(
            sources.content.clone(),
            sources.config.clone(),
            sources.vocabularies.clone(),
            self.options.drafts,
        )?;
        let (plan, old_site, old_bodies, whole_site) = match last {
            Some(last) if edited => (
                render::changed_pages(&last.site, &site),
                Some(last.site),
                Some(last.bodies),
                last.whole_site,
            ),
            Some(last) => (None, None, None, last.whole_site),
            None => (None, None, None, Vec::new()),
        };
        let reuse = old_site
            .as_ref()
            .zip(old_bodies.as_ref())
            .map(|(site, bodies)| Reuse { site, bodies });
        let (bodies, body_warnings) = render::bodies(&site, reuse)?;
        warnings.extend(body_warnings.items);
        let renderer = Renderer::new(&self.root, &site, &bodies)?;
        let pages = self.render_pages(&renderer, plan)?;
        if !changed.is_empty() {
            self.publish_pages(&pages, &whole_site, changed, started, what);
        }
        let mut rest = renderer.data_files().map_err(Diagnostics::from)?;
        rest.extend(renderer.render_to_memory(&[PageJob::Data])?);
        let indexed = crate::index_site(&site, &renderer);
        rest.extend(indexed.files);
        warnings.extend(indexed.warnings.items);
        let next_whole_site = rest.iter().map(|f| f.path.clone()).collect();
        self.publish_rest(rest, &whole_site, changed.is_empty().then_some(&pages));
        if changed.is_empty() {
            println!(
                "Built {} pages in {} ms",
                pages.total,
                started.elapsed().as_millis()
            );
        }
        let count = warnings.warning_count();
        if count > 0 {
            eprintln!("  {count} warnings: run `chorus check` to read them");
        }
        drop(renderer);
        Ok(Last {
            sources,
            bodies,
            site,
            whole_site: next_whole_site,
        })
    }

    /// Renders the planned pages, or every page but the data page when there is no plan;
    /// with every page come the static files.
    fn render_pages(
        &self,
        renderer: &Renderer<'_>,
        plan: Option<BTreeSet<PageJob>>,
    ) -> Result<Pages, Diagnostics> {
        let all = plan.is_none();
        let pages: Vec<PageJob> = match plan {
            Some(plan) => plan.into_iter().collect(),
            None => renderer
                .pages()
                .iter()
                .copied()
                .filter(|p| *p != PageJob::Data)
                .collect(),
        };
        let mut files = renderer.render_to_memory(&pages)?;
        if all {
            files.extend_from_slice(renderer.static_files());
        }
        Ok(Pages {
            files: Snapshot::new(files).files,
            all,
            total: renderer.pages().iter().filter(|p| p.is_html()).count(),
        })
    }

    /// Shows the pages of a rebuild: over the last good site when only some were
    /// rendered, with the last build's whole-site files until the new ones are ready.
    fn publish_pages(
        &self,
        pages: &Pages,
        whole_site: &[String],
        changed: &[PathBuf],
        started: Instant,
        what: &str,
    ) {
        let previous = Arc::clone(&self.status.borrow());
        let old = previous.site.clone().unwrap_or_default();
        let mut files = if pages.all {
            whole_site
                .iter()
                .filter_map(|path| Some((path.clone(), old.files.get(path)?.clone())))
                .collect()
        } else {
            old.files.clone()
        };
        files.extend(pages.files.iter().map(|(p, f)| (p.clone(), f.clone())));
        let site = Snapshot { files };
        println!(
            "Rebuilt {} of {} pages in {} ms{what}",
            pages.files.keys().filter(|p| p.ends_with(".html")).count(),
            pages.total,
            started.elapsed().as_millis()
        );
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

    /// Puts the new whole-site files in place of the old ones: over the pages just
    /// published, or, for the first build, with `first` pages, published now.
    fn publish_rest(
        &self,
        rest: Vec<OutputFile>,
        old_whole_site: &[String],
        first: Option<&Pages>,
    ) {
        let previous = Arc::clone(&self.status.borrow());
        let mut files = match (first, &previous.site) {
            (None, Some(site)) => site.files.clone(),
            (Some(pages), _) => pages.files.clone(),
            (None, None) => HashMap::new(),
        };
        for path in old_whole_site {
            files.remove(path);
        }
        files.extend(Snapshot::new(rest).files);
        let status = Arc::new(Status {
            generation: previous.generation + u64::from(first.is_some()),
            site: Some(Arc::new(Snapshot { files })),
            errors: Vec::new(),
            stylesheets: previous.stylesheets.clone(),
        });
        // Open pages hear of the first build; later, they have reloaded already, and the
        // new files are simply there for what they fetch next.
        let notify = first.is_some();
        self.status.send_if_modified(|current| {
            *current = status;
            notify
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
        self.status.send_replace(Arc::new(Status {
            generation: previous.generation,
            site: previous.site.clone(),
            errors: overlay_errors(&diagnostics),
            stylesheets: None,
        }));
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
