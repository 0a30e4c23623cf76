//! WRITE: where a run's files go, through one [`Sink`]: a folder on disk, replaced
//! atomically ([`Staging`]), or memory ([`Memory`], for `check`, `serve` and the tests).
//!
//! On disk, everything is written into a temporary sibling of the output folder, which then
//! replaces the old folder with two renames. A failed build therefore leaves the previous
//! output exactly as it was, and no stale file from an earlier build survives.

pub mod compress;
pub mod fingerprint;
mod memory;
mod replace;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use rayon::prelude::*;
use tempfile::TempDir;

use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
pub use memory::{Files, Memory};
pub use replace::replace_file;

/// The contents of one output file.
#[derive(Debug, Clone)]
pub enum FileData {
    /// Made by the build. `Bytes` are shared, not copied, by every holder (`serve` keeps
    /// the same bytes in each version of the site it serves).
    Bytes(Bytes),
    /// A static file copied as it is from this path.
    Copy(PathBuf),
}

/// One file of the built site, at a path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub data: FileData,
}

impl OutputFile {
    /// A file made by the build.
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Bytes>) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: FileData::Bytes(bytes.into()),
        }
    }
}

/// What a run asks of its sink.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    /// The run makes every file of the site; otherwise it makes only the pages an edit
    /// touched and the files that depend on the whole site, and the rest stays as the last
    /// run left it.
    pub full: bool,
    /// Write a gzip and a Brotli copy beside every text file over 1 KB, where the sink
    /// writes files for a host.
    pub compress: bool,
}

/// Where the files of a pipeline run go. The pipeline calls [`Sink::begin`] once, then
/// [`Sink::put`] for every file (from several threads at once), [`Sink::pages_done`] when
/// every page of the run is put, and [`Sink::commit`] when the run succeeded; a failed run
/// ends without `commit`, and the sink's output is left as it was.
pub trait Sink: Sync {
    /// A run starts; an error when the sink cannot take such a run.
    fn begin(&self, _run: Run) -> Result<(), Diagnostic> {
        Ok(())
    }

    /// Takes one file of the site.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    /// Every page of the run has been put; `site` is what they were rendered from, for a
    /// sink that shows more than the files (`serve`'s workbench describes the items the
    /// pages show). The files that follow (the open data, its page and the search index)
    /// depend on the whole site.
    fn pages_done(&self, _site: &Site) {}

    /// The run succeeded: its files become the output.
    fn commit(&self) -> Result<(), Diagnostic>;
}

/// Puts every file of `files` into `sink`, on all cores.
pub fn put_all(sink: &dyn Sink, files: Vec<OutputFile>) -> Result<(), Diagnostic> {
    files.into_par_iter().try_for_each(|file| sink.put(file))
}

/// The next contents of an output folder, written file by file into a temporary sibling
/// folder while the build runs, then swapped in by [`Sink::commit`]. Dropped without a
/// commit (a failed build), the temporary folder is removed and the output is untouched.
pub struct Staging {
    output: PathBuf,
    /// The temporary folder, until the commit moves it into place.
    staging: Mutex<Option<TempDir>>,
    /// Its path, so that writing a file takes no lock.
    staging_path: PathBuf,
    /// The current output, whose unchanged files are hard-linked instead of written.
    previous: Option<PathBuf>,
    /// Whether the run wants compressed copies (see [`Run::compress`]).
    compress: AtomicBool,
}

impl Staging {
    /// Creates the temporary folder next to `output` (creating `output`'s parent if need be).
    pub fn new(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let staging = std::fs::create_dir_all(&parent)
            .and_then(|()| {
                tempfile::Builder::new()
                    .prefix(&format!(".{}-new-", folder_name(output)))
                    .tempdir_in(&parent)
            })
            .map_err(|e| write_error(output, &e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            staging_path: staging.path().to_path_buf(),
            staging: Mutex::new(Some(staging)),
            previous: output.is_dir().then(|| output.to_path_buf()),
            compress: AtomicBool::new(false),
        })
    }

    /// Writes one file (and its compressed copies), creating its folder first.
    ///
    /// A file whose bytes are the same as in the previous output is hard-linked from
    /// there instead of written: creating thousands of new inodes right after deleting
    /// the old ones is what dominates a rebuild on ext4, and an editor's rebuild changes
    /// few files.
    fn write(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.staging_path.join(&file.path);
        if let Some(folder) = path.parent() {
            make_folder(folder)?;
        }
        if self.compress.load(Ordering::Relaxed) {
            compress::write_beside(&path, &file.data)?;
        }
        let old = self.previous.as_ref().map(|p| p.join(&file.path));
        match &file.data {
            FileData::Bytes(bytes) => {
                if let Some(old) = old.filter(|old| same_bytes(old, bytes))
                    && std::fs::hard_link(&old, &path).is_ok()
                {
                    return Ok(());
                }
                std::fs::write(&path, bytes)
            }
            FileData::Copy(from) => std::fs::copy(from, &path).map(|_| ()),
        }
    }

    /// Replaces the output folder with what was written, with two renames; the old
    /// output is then deleted.
    fn finish(&self) -> io::Result<()> {
        let taken = self
            .staging
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(staging) = taken else {
            return Ok(());
        };
        let staged = staging.keep();
        let output = &self.output;
        if output.exists() {
            let parent = staged.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(&format!(".{}-old-", folder_name(output)))
                .tempdir_in(parent)?
                .keep();
            std::fs::remove_dir(&old)?;
            std::fs::rename(output, &old)?;
            if let Err(e) = std::fs::rename(&staged, output) {
                std::fs::rename(&old, output)?;
                return Err(e);
            }
            remove_in_parallel(&old)?;
        } else {
            std::fs::rename(&staged, output)?;
        }
        Ok(())
    }
}

impl Sink for Staging {
    /// A staging folder takes one full run: it holds nothing an edit's pages could go over,
    /// and once committed it is the output folder.
    fn begin(&self, run: Run) -> Result<(), Diagnostic> {
        let committed = self
            .staging
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none();
        if committed || !run.full {
            return Err(Diagnostic::error(
                "io/write",
                self.output.display().to_string(),
                "a folder on disk is written by one full build: start a new build for it",
            ));
        }
        self.compress.store(run.compress, Ordering::Relaxed);
        Ok(())
    }

    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.write(&file).map_err(|e| write_error(&self.output, &e))
    }

    fn commit(&self) -> Result<(), Diagnostic> {
        self.finish().map_err(|e| write_error(&self.output, &e))
    }
}

/// The name of the output folder, for its temporary siblings.
fn folder_name(output: &Path) -> String {
    output.file_name().map_or_else(
        || "public".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn write_error(output: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(
        "io/write",
        output.display().to_string(),
        format!("cannot write the site: {error}"),
    )
}

/// Makes `folder` if it is not there, in one system call when its parent is there.
/// `create_dir_all` also checks that a folder it finds is a folder: a second call for
/// each of the search index's 1,600 files, which share a few folders.
fn make_folder(folder: &Path) -> io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        // A file in the folder's place makes the write that follows fail.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(folder),
        Err(e) => Err(e),
    }
}

/// Deletes the folder `dir` and everything in it, its subfolders on both cores: the old
/// output holds thousands of files, and deleting them is a good part of a build.
fn remove_in_parallel(dir: &Path) -> io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Whether the file at `path` holds exactly `bytes` (a missing file does not).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Run {
        Run {
            full: true,
            compress: false,
        }
    }

    #[test]
    fn a_staging_folder_takes_one_full_run_and_replaces_the_output_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir(&output).unwrap();
        std::fs::write(output.join("old.html"), "old").unwrap();
        let staging = Staging::new(&output).unwrap();
        assert!(staging.begin(Run::default()).is_err(), "an edit run");
        staging.begin(full()).unwrap();
        staging
            .put(OutputFile::bytes("a/index.html", b"new".to_vec()))
            .unwrap();
        assert!(
            output.join("old.html").exists(),
            "nothing changes before the commit"
        );
        staging.commit().unwrap();
        assert!(!output.join("old.html").exists());
        assert_eq!(std::fs::read(output.join("a/index.html")).unwrap(), b"new");
        assert!(staging.begin(full()).is_err(), "a second run");
    }

    #[test]
    fn a_staging_folder_dropped_without_a_commit_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir(&output).unwrap();
        std::fs::write(output.join("old.html"), "old").unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.begin(full()).unwrap();
        staging
            .put(OutputFile::bytes("a/index.html", b"new".to_vec()))
            .unwrap();
        drop(staging);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"], "no staging folder is left behind");
        assert_eq!(std::fs::read(output.join("old.html")).unwrap(), b"old");
    }
}
