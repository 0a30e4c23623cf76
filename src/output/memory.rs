//! The built site in memory: what `check`, `serve` and the tests build into.
//!
//! Across the runs of one pipeline session it behaves as an output folder would: a full run
//! replaces every file; a run after an edit renders only the pages the edit touched, which go
//! over the site as the last run left it, and replaces the files that depend on the whole
//! site (the open data, its page, the search index) as a group, so that none of the last
//! run's outlives it (the search index's file names change with their contents).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{FileData, OutputFile, Run, Sink};
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;

/// Every file of a built site, by path relative to the output folder (`a/b/index.html`).
pub type Files = HashMap<String, FileData>;

/// A site built into memory. Readers take a snapshot ([`Memory::files`]) that later runs
/// never change.
#[derive(Debug, Default)]
pub struct Memory {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The site as the last successful run left it.
    files: Arc<Files>,
    /// Which of `files` that run made after its pages.
    whole_site: BTreeSet<String>,
    /// The run under way: whether it makes every file, the files it has made before and
    /// after its pages were done.
    full: bool,
    pages: Vec<OutputFile>,
    rest: Vec<OutputFile>,
    pages_done: bool,
}

impl Memory {
    /// Every page of the run has been put: the files that follow are the whole site's.
    pub fn end_pages(&self) {
        self.lock().pages_done = true;
    }

    /// The site as the last successful run left it.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.lock().files)
    }

    /// The site while a run makes the files that depend on the whole site: its pages over
    /// the last run's site. A full run's pages replace the last run's, but the last run's
    /// open data and search index stay until the new ones come.
    pub fn with_new_pages(&self) -> Files {
        let state = self.lock();
        let mut files: Files = if state.full {
            state
                .whole_site
                .iter()
                .filter_map(|path| Some((path.clone(), state.files.get(path)?.clone())))
                .collect()
        } else {
            state.files.as_ref().clone()
        };
        files.extend(state.pages.iter().map(|f| (f.path.clone(), f.data.clone())));
        files
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Memory {
    fn begin(&self, run: Run) -> Result<(), Diagnostic> {
        let mut state = self.lock();
        state.full = run.full;
        state.pages.clear();
        state.rest.clear();
        state.pages_done = false;
        Ok(())
    }

    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let mut state = self.lock();
        if state.pages_done {
            state.rest.push(file);
        } else {
            state.pages.push(file);
        }
        Ok(())
    }

    fn pages_done(&self, _site: &Site) {
        self.end_pages();
    }

    fn commit(&self) -> Result<(), Diagnostic> {
        let mut state = self.lock();
        let pages = std::mem::take(&mut state.pages);
        let rest = std::mem::take(&mut state.rest);
        let mut files: Files = if state.full {
            Files::with_capacity(pages.len() + rest.len())
        } else {
            let mut files = state.files.as_ref().clone();
            for path in &state.whole_site {
                files.remove(path);
            }
            files
        };
        state.whole_site = rest.iter().map(|f| f.path.clone()).collect();
        files.extend(
            pages
                .into_iter()
                .chain(rest)
                .map(|file| (file.path, file.data)),
        );
        state.files = Arc::new(files);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(memory: &Memory, full: bool, pages: &[(&str, &str)], rest: &[(&str, &str)]) {
        memory
            .begin(Run {
                full,
                compress: false,
            })
            .unwrap();
        for (path, text) in pages {
            memory
                .put(OutputFile::bytes(*path, text.as_bytes().to_vec()))
                .unwrap();
        }
        memory.end_pages();
        for (path, text) in rest {
            memory
                .put(OutputFile::bytes(*path, text.as_bytes().to_vec()))
                .unwrap();
        }
        memory.commit().unwrap();
    }

    fn text(files: &Files, path: &str) -> Option<String> {
        match files.get(path)? {
            FileData::Bytes(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            FileData::Copy(from) => Some(from.display().to_string()),
        }
    }

    #[test]
    fn an_edit_goes_over_the_last_site_and_replaces_its_whole_site_files() {
        let memory = Memory::default();
        run(
            &memory,
            true,
            &[("a.html", "a1"), ("b.html", "b1")],
            &[("i.1.json", "i1")],
        );
        let first = memory.files();
        run(&memory, false, &[("a.html", "a2")], &[("i.2.json", "i2")]);
        let files = memory.files();
        assert_eq!(text(&files, "a.html").as_deref(), Some("a2"));
        assert_eq!(text(&files, "b.html").as_deref(), Some("b1"), "kept");
        assert_eq!(text(&files, "i.2.json").as_deref(), Some("i2"));
        assert_eq!(
            text(&files, "i.1.json"),
            None,
            "the last run's index is gone"
        );
        assert_eq!(
            text(&first, "a.html").as_deref(),
            Some("a1"),
            "snapshots never change"
        );
    }

    #[test]
    fn a_full_run_drops_what_it_does_not_make_and_shows_the_old_index_meanwhile() {
        let memory = Memory::default();
        run(
            &memory,
            true,
            &[("a.html", "a1"), ("b.html", "b1")],
            &[("i.1.json", "i1")],
        );
        memory
            .begin(Run {
                full: true,
                compress: false,
            })
            .unwrap();
        memory
            .put(OutputFile::bytes("a.html", b"a2".to_vec()))
            .unwrap();
        memory.end_pages();
        let meanwhile = memory.with_new_pages();
        assert_eq!(text(&meanwhile, "a.html").as_deref(), Some("a2"));
        assert_eq!(text(&meanwhile, "i.1.json").as_deref(), Some("i1"));
        assert_eq!(text(&meanwhile, "b.html"), None);
        memory.commit().unwrap();
        let files = memory.files();
        assert_eq!(files.len(), 1, "{:?}", files.keys());
    }

    #[test]
    fn a_run_that_fails_before_its_commit_changes_nothing() {
        let memory = Memory::default();
        run(&memory, true, &[("a.html", "a1")], &[]);
        memory.begin(Run::default()).unwrap();
        memory
            .put(OutputFile::bytes("a.html", b"broken".to_vec()))
            .unwrap();
        assert_eq!(text(&memory.files(), "a.html").as_deref(), Some("a1"));
    }
}
