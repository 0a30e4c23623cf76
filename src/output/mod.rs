//! WRITE: the rendered site to disk, atomically.
//!
//! Everything is written into a temporary sibling of the output folder, which then
//! replaces the old folder with two renames. A failed build therefore leaves the previous
//! output exactly as it was, and no stale file from an earlier build survives.

pub mod compress;

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tempfile::TempDir;

use crate::render::{FileData, OutputFile};

/// The next contents of an output folder, written file by file into a temporary sibling
/// folder while the build runs, then swapped in by [`Staging::finish`]. Dropped without
/// `finish` (a failed build), the temporary folder is removed and the output is untouched.
pub struct Staging {
    output: PathBuf,
    staging: TempDir,
    /// The current output, whose unchanged files are hard-linked instead of written.
    previous: Option<PathBuf>,
    compress: bool,
}

impl Staging {
    /// Creates the temporary folder next to `output` (creating `output`'s parent if need be).
    pub fn new(output: &Path, compress: bool) -> io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = output.file_name().map_or_else(
            || "public".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}-new-"))
            .tempdir_in(&parent)?;
        Ok(Staging {
            output: output.to_path_buf(),
            staging,
            previous: output.is_dir().then(|| output.to_path_buf()),
            compress,
        })
    }

    /// Writes one file (and its compressed copies), creating its folder first.
    ///
    /// A file whose bytes are the same as in the previous output is hard-linked from
    /// there instead of written: creating thousands of new inodes right after deleting
    /// the old ones is what dominates a rebuild on ext4, and an editor's rebuild changes
    /// few files.
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.staging.path().join(&file.path);
        if let Some(folder) = path.parent() {
            make_folder(folder)?;
        }
        if self.compress {
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
    pub fn finish(self) -> io::Result<()> {
        let staged = self.staging.keep();
        let output = &self.output;
        if output.exists() {
            let parent = staged.parent().unwrap_or(Path::new("."));
            let name = output.file_name().map_or_else(
                || "public".to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}-old-"))
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
