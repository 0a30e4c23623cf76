//! `chorus new DIR`: a small engagement-summary site that builds as it is, so that the next
//! consultation starts from working files rather than from the documentation.
//!
//! The site's files live in `src/scaffold/site/` as ordinary files an editor can read, and are
//! embedded in the binary together with the `review` theme ([`theme::FILES`]), so that `chorus
//! new` works wherever the binary is, without this repository. Their text is invented example
//! content about an invented council, marked as such on every page a reader sees first: it
//! never quotes a real consultation's participants.

pub mod theme;

use std::io::{self, Write};
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The site's own files: the path in the new site and the text. `gitignore` is stored without
/// its dot so that it does not apply inside this repository.
const SITE: &[(&str, &str)] = &[
    ("README.md", include_str!("site/README.md")),
    ("content/_index.md", include_str!("site/content/_index.md")),
    (
        "content/accessibility.md",
        include_str!("site/content/accessibility.md"),
    ),
    (
        "content/responses/response-001.md",
        include_str!("site/content/responses/response-001.md"),
    ),
    (
        "content/responses/response-002.md",
        include_str!("site/content/responses/response-002.md"),
    ),
    (
        "content/quotes/community/community-001.md",
        include_str!("site/content/quotes/community/community-001.md"),
    ),
    (
        "content/quotes/community/community-002.md",
        include_str!("site/content/quotes/community/community-002.md"),
    ),
    (
        "content/quotes/community/community-003.md",
        include_str!("site/content/quotes/community/community-003.md"),
    ),
    (
        "content/summaries/community/01-what-works-well.md",
        include_str!("site/content/summaries/community/01-what-works-well.md"),
    ),
    (
        "content/summaries/community/02-what-could-be-better.md",
        include_str!("site/content/summaries/community/02-what-could-be-better.md"),
    ),
    (
        "content/summaries/community/_index.md",
        include_str!("site/content/summaries/community/_index.md"),
    ),
    (
        "data/content-notes.yaml",
        include_str!("site/data/content-notes.yaml"),
    ),
    (
        "data/glossary.yaml",
        include_str!("site/data/glossary.yaml"),
    ),
    ("data/themes.yaml", include_str!("site/data/themes.yaml")),
    ("data/topics.yaml", include_str!("site/data/topics.yaml")),
    ("data/voices.yaml", include_str!("site/data/voices.yaml")),
    (".gitignore", include_str!("site/gitignore")),
    ("site.yaml", include_str!("site/site.yaml")),
];

/// Writes the example site and the theme into `dir`, which must be empty or not exist yet.
/// Returns how many files were written.
pub fn create(dir: &Path) -> Result<usize, Diagnostic> {
    let shown = dir.display().to_string();
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Diagnostic::error(
                    "new/not-empty",
                    shown,
                    "the folder is not empty: `chorus new` writes only into an empty or new folder, so that it never overwrites anything",
                )
                .with_help("name a folder that does not exist yet, e.g. `chorus new my-consultation`"));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(Diagnostic::error(
                "new/not-a-folder",
                shown,
                "this is a file, not a folder",
            )
            .with_help(
                "name a folder that does not exist yet, e.g. `chorus new my-consultation`",
            ));
        }
        Err(e) => return Err(io_error(dir, &e)),
    }
    let site = SITE
        .iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes()));
    let theme = theme::FILES
        .iter()
        .map(|(path, bytes)| (format!("themes/review/{path}"), *bytes));
    let mut written = 0;
    for (path, bytes) in site.chain(theme) {
        let target = dir.join(&path);
        write_new(&target, bytes).map_err(|e| io_error(&target, &e))?;
        written += 1;
    }
    Ok(written)
}

/// Writes a file that must not exist yet: a file created in the folder meanwhile is left
/// alone and reported.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

fn io_error(path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(
        "io/write",
        path.display().to_string(),
        format!("cannot write the new site: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::SITE;

    /// Every file under `src/scaffold/site/` is in [`SITE`], so that none is forgotten.
    #[test]
    fn every_site_file_is_embedded() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scaffold/site");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&folder)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .map(|p| {
                if p == "gitignore" {
                    ".gitignore".to_string()
                } else {
                    p
                }
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SITE.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}
