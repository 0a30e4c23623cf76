//! Replacing one file of the site in place, so that nothing ever reads half of it: a build
//! or `serve` that loads the file mid-write, or an editor's tool that reads a schema as
//! `chorus schema` rewrites it, sees the old bytes or the new, never a mixture.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Numbers the temporary files of this process, so that two writes at once never share one.
static STAGED: AtomicUsize = AtomicUsize::new(0);

/// Writes `bytes` to `path`: first to a hidden file beside it (on the same file system, so
/// the rename is atomic; hidden, so the load stage and `serve`'s watcher ignore it), flushed
/// to disk, then renamed over `path`. A file that was there keeps its permissions; a new
/// one gets the usual ones. On failure the temporary file is removed and `path` is as it was.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let staged = staged_path(path)?;
    let result = write_and_rename(&staged, path, bytes);
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    result
}

/// `folder/.name.<process>-<count>.chorus-tmp` for `folder/name`.
fn staged_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let count = STAGED.fetch_add(1, Ordering::Relaxed);
    let staged = format!(
        ".{}.{}-{count}.chorus-tmp",
        name.to_string_lossy(),
        std::process::id()
    );
    Ok(path.with_file_name(staged))
}

fn write_and_rename(staged: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(staged)?;
    file.write_all(bytes)?;
    if let Ok(existing) = std::fs::metadata(path) {
        file.set_permissions(existing.permissions())?;
    }
    file.sync_all()?;
    drop(file);
    std::fs::rename(staged, path)
}

#[cfg(test)]
mod tests {
    use super::replace_file;

    #[test]
    fn a_file_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quote.md");
        replace_file(&path, b"first").unwrap();
        replace_file(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["quote.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quote.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder/quote.md");
        assert!(replace_file(&missing, b"words").is_err());
        let folder = dir.path().join("quotes");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.md"), "words").unwrap();
        assert!(replace_file(&folder, b"words").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["quotes"]);
    }
}
