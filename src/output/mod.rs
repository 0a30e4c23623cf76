//! WRITE: the rendered site to disk, atomically.
//!
//! Everything is written into a temporary sibling of the output folder, which then
//! replaces the old folder with two renames. A failed build therefore leaves the previous
//! output exactly as it was, and no stale file from an earlier build survives.

pub mod compress;

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{FileData, OutputFile};

/// Writes `files` as the new contents of `output`, each with compressed copies if `compress`.
pub fn write_site(output: &Path, files: &[OutputFile], compress: bool) -> io::Result<()> {
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
    let previous = output.is_dir().then_some(output);
    write_all(staging.path(), files, previous, compress)?;
    let staged = staging.keep();
    if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}-old-"))
            .tempdir_in(&parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(output, &old)?;
        if let Err(e) = std::fs::rename(&staged, output) {
            std::fs::rename(&old, output)?;
            return Err(e);
        }
        std::fs::remove_dir_all(&old)?;
    } else {
        std::fs::rename(&staged, output)?;
    }
    Ok(())
}

/// Writes every file under `dir`, creating folders first, then files in parallel, each with
/// its [`compress`]ed copies when `compress` is set.
///
/// A file whose bytes are the same as in the `previous` output is hard-linked from there
/// instead of written: creating thousands of new inodes right after deleting the old ones is
/// what dominates a rebuild on ext4, and an editor's rebuild changes few files.
pub fn write_all(
    dir: &Path,
    files: &[OutputFile],
    previous: Option<&Path>,
    compress: bool,
) -> io::Result<()> {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(folder)?;
    }
    files.par_iter().try_for_each(|file| {
        let path = dir.join(&file.path);
        if compress {
            compress::write_beside(&path, &file.data)?;
        }
        let old = previous.map(|p| p.join(&file.path));
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
    })
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
