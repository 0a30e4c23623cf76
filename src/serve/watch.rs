//! Watching the site's sources: file-system events in, one batch of changed paths out per
//! save, rename, deletion or checkout.
//!
//! Editors rarely write a file once: many write a temporary file and rename it over the
//! original, keep swap files, or touch a file several times in a few milliseconds, and a
//! `git checkout` changes hundreds of files at once. Events are therefore collected until
//! the sources have been quiet for a moment, editors' scratch files are left out, and the
//! whole lot becomes one rebuild. How long a moment depends on what the events say: once
//! every file written has also been closed (Linux reports it), or moved or deleted, the
//! writes are complete and [`SETTLE`] is enough to gather the rest of the burst; while a
//! file is still open for writing, or where the platform never says, the wait is
//! [`QUIET`]. Builds run on the same thread as the collecting, so whatever is saved during
//! a build is collected into the one batch after it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::{CONFIG_FILE, Config};
use crate::content;
use crate::vocabulary::TaxonomyKind;

/// How long the sources must be quiet before a rebuild starts while a written file may
/// still be open.
const QUIET: Duration = Duration::from_millis(50);

/// How long they must be quiet once every written file is complete: the other events of
/// the same save arrive within a millisecond.
const SETTLE: Duration = Duration::from_millis(4);

/// The longest a batch waits for quiet, so that a stream of saves that never pauses
/// still shows up in the browser.
const LONGEST: Duration = Duration::from_secs(1);

/// The folders under the site root whose every file feeds the build.
const FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", "data"];

/// Starts watching the site under `root` (an absolute, canonical path) and calls
/// `on_change` with each batch of changed paths, on a thread of its own, until the
/// process ends.
pub fn start(
    root: &Path,
    mut on_change: impl FnMut(&[PathBuf]) + Send + 'static,
) -> Result<(), notify::Error> {
    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(sender)?;
    let mut scope = Scope::new(root);
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    scope.refresh(&mut watcher, &[]);
    std::thread::Builder::new()
        .name("chorus-watch".into())
        .spawn(move || {
            while let Some(batch) = next_batch(&events, &scope, QUIET, SETTLE) {
                scope.refresh(&mut watcher, &batch);
                on_change(&batch);
            }
        })
        .map_err(notify::Error::io)?;
    Ok(())
}

/// Which paths feed the build, and which folders are watched for them.
struct Scope {
    root: PathBuf,
    /// `site.yaml` and the vocabulary files `site.yaml` names outside `data/`.
    files: Vec<PathBuf>,
    /// Folders watched besides the root itself.
    watched: Vec<PathBuf>,
}

impl Scope {
    fn new(root: &Path) -> Scope {
        Scope {
            root: root.to_path_buf(),
            files: vec![root.join(CONFIG_FILE)],
            watched: Vec::new(),
        }
    }

    /// Whether a change to `path` can change the built site.
    fn relevant(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return self.files.iter().any(|f| f == path);
        };
        if relative
            .components()
            .any(|c| content::is_ignored(c.as_os_str()))
        {
            return false;
        }
        self.files.iter().any(|f| f == path)
            || FOLDERS.iter().any(|folder| relative.starts_with(folder))
    }

    /// Adds the paths of `event` that matter to `batch`. Reads are not changes: the build
    /// itself opens every source, and must not cause the next build.
    fn collect(&self, event: notify::Result<Event>, batch: &mut Batch) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("warning: watching for changes: {e}; rebuilding everything");
                batch.paths.insert(self.root.clone());
                return;
            }
        };
        if event.need_rescan() {
            batch.paths.insert(self.root.clone());
            return;
        }
        if let EventKind::Access(kind) = event.kind
            && kind != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| self.relevant(p))
            .collect();
        match event.kind {
            // Written and closed: complete.
            EventKind::Access(_) => paths.iter().for_each(|p| {
                batch.open.remove(p);
            }),
            // Created or written to: open until it is closed.
            EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => {
                batch.open.extend(paths.iter().cloned());
            }
            // Moved into place, deleted, or anything else: nothing left to wait for.
            _ => {}
        }
        batch.paths.extend(paths);
    }

    /// Watches the source folders that exist (again, when a batch replaced one) and the
    /// folders of vocabulary files kept elsewhere. A failure is reported, not fatal: the
    /// root is watched regardless, and the next change to it tries again.
    fn refresh(&mut self, watcher: &mut RecommendedWatcher, batch: &[PathBuf]) {
        let config_changed =
            batch.is_empty() || batch.iter().any(|p| p == &self.root.join(CONFIG_FILE));
        if config_changed && let Ok(config) = Config::load(&self.root, None) {
            self.files = std::iter::once(self.root.join(CONFIG_FILE))
                .chain(
                    TaxonomyKind::ALL
                        .iter()
                        .filter_map(|k| k.settings(&config).vocabulary.as_ref())
                        .map(|v| self.root.join(v)),
                )
                .collect();
        }
        let mut wanted: Vec<(PathBuf, RecursiveMode)> = FOLDERS
            .iter()
            .map(|f| (self.root.join(f), RecursiveMode::Recursive))
            .collect();
        for file in &self.files {
            if let Some(parent) = file.parent()
                && parent != self.root
                && !FOLDERS
                    .iter()
                    .any(|f| parent.starts_with(self.root.join(f)))
            {
                wanted.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        self.watched.retain(|w| w.is_dir());
        for (folder, mode) in wanted {
            let replaced = batch.contains(&folder);
            if !folder.is_dir() || (self.watched.contains(&folder) && !replaced) {
                continue;
            }
            if replaced {
                let _ = watcher.unwatch(&folder);
            }
            match watcher.watch(&folder, mode) {
                Ok(()) if !self.watched.contains(&folder) => self.watched.push(folder),
                Ok(()) => {}
                Err(e) => eprintln!(
                    "warning: cannot watch {} for changes: {e}",
                    folder.display()
                ),
            }
        }
    }
}

/// The changes gathered for one rebuild.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// Files created or written to and not yet closed.
    open: BTreeSet<PathBuf>,
}

/// Waits for the next change that matters and collects everything that follows it until
/// the sources are quiet (`settle` once every written file is complete, `quiet` while one
/// may be open) or [`LONGEST`] passes. `None` once the watcher is gone.
fn next_batch(
    events: &Receiver<notify::Result<Event>>,
    scope: &Scope,
    quiet: Duration,
    settle: Duration,
) -> Option<Vec<PathBuf>> {
    loop {
        let mut batch = Batch::default();
        scope.collect(events.recv().ok()?, &mut batch);
        let deadline = Instant::now() + LONGEST;
        loop {
            let wait = if batch.open.is_empty() { settle } else { quiet };
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(wait.min(left)) {
                Ok(event) => scope.collect(event, &mut batch),
                Err(_) => break,
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        if !batch.paths.is_empty() {
            return Some(batch.paths.into_iter().collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind, RenameMode};

    fn event(kind: EventKind, paths: &[&Path]) -> notify::Result<Event> {
        Ok(paths
            .iter()
            .fold(Event::new(kind), |e, p| e.add_path(p.to_path_buf())))
    }

    fn batches(root: &Path, events: Vec<notify::Result<Event>>) -> Vec<Vec<PathBuf>> {
        let (sender, receiver) = channel();
        for e in events {
            sender.send(e).unwrap();
        }
        drop(sender);
        let scope = Scope::new(root);
        std::iter::from_fn(|| {
            next_batch(
                &receiver,
                &scope,
                Duration::from_millis(20),
                Duration::from_millis(2),
            )
        })
        .collect()
    }

    /// Sends `first` now and `second` after `gap`, and returns the batches made with a
    /// settle of 5 ms and a quiet period of 1 s.
    fn timed(
        root: &Path,
        first: Vec<notify::Result<Event>>,
        gap: Duration,
        second: Vec<notify::Result<Event>>,
    ) -> usize {
        let (sender, receiver) = channel();
        let scope = Scope::new(root);
        for e in first {
            sender.send(e).unwrap();
        }
        let later = std::thread::spawn(move || {
            std::thread::sleep(gap);
            for e in second {
                sender.send(e).unwrap();
            }
        });
        let quiet = Duration::from_secs(1);
        let settle = Duration::from_millis(5);
        let count = std::iter::from_fn(|| next_batch(&receiver, &scope, quiet, settle)).count();
        later.join().unwrap();
        count
    }

    #[test]
    fn a_closed_write_builds_at_once_and_an_open_one_waits_for_quiet() {
        let root = Path::new("/site");
        let (a, b) = (root.join("content/a.md"), root.join("content/b.md"));
        let written = |p: &Path| {
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                &[p],
            )
        };
        let closed = |p: &Path| {
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &[p],
            )
        };
        let gap = Duration::from_millis(200);
        // `a` is complete: its batch goes before `b` is written.
        assert_eq!(
            timed(
                root,
                vec![written(&a), closed(&a)],
                gap,
                vec![written(&b), closed(&b)]
            ),
            2
        );
        // `a` is still open: the batch waits, and `b` joins it.
        assert_eq!(
            timed(
                root,
                vec![written(&a)],
                gap,
                vec![closed(&a), written(&b), closed(&b)]
            ),
            1
        );
    }

    #[test]
    fn an_atomic_save_and_a_checkout_of_hundreds_of_files_make_one_batch() {
        let root = Path::new("/site");
        let section = root.join("content/summaries/a/01-b.md");
        let temp = root.join("content/summaries/a/.01-b.md.swp");
        let mut events = vec![
            event(EventKind::Create(CreateKind::File), &[&temp]),
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                &[&temp],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[&temp, &section],
            ),
            event(
                EventKind::Remove(RemoveKind::File),
                &[&root.join("content/responses/response-0001.md")],
            ),
        ];
        for i in 0..300 {
            let path = root.join(format!("content/quotes/a/a-{i:03}.md"));
            events.push(event(EventKind::Create(CreateKind::File), &[&path]));
            events.push(event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &[&path],
            ));
        }
        let batches = batches(root, events);
        assert_eq!(batches.len(), 1, "one rebuild for the whole burst");
        let batch = &batches[0];
        assert_eq!(
            batch.len(),
            302,
            "the section, the deleted response and 300 quotes"
        );
        assert!(batch.contains(&section));
        assert!(!batch.contains(&temp), "the swap file is not a change");
    }

    #[test]
    fn reads_scratch_files_and_other_folders_cause_no_batch() {
        let root = Path::new("/site");
        let events = vec![
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &[&root.join("content/_index.md")],
            ),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                &[&root.join("content/_index.md")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("content/#_index.md#")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("content/_index.md~")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("content/4913")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("themes/review/.git/index")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("public/index.html")],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &[&root.join("README.md")],
            ),
        ];
        assert!(batches(root, events).is_empty());
    }

    #[test]
    fn the_configuration_vocabularies_templates_and_static_files_are_sources() {
        let root = Path::new("/site");
        let scope = Scope::new(root);
        for path in [
            "site.yaml",
            "data/themes.yaml",
            "templates/base.html",
            "static/logo.svg",
            "themes/review/static/style.css",
        ] {
            assert!(scope.relevant(&root.join(path)), "{path}");
        }
        assert!(!scope.relevant(Path::new("/elsewhere/site.yaml")));
    }
}
