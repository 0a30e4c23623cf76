//! Helpers shared by the integration tests: fixture sites copied into temporary folders,
//! the `chorus` binary, and parsed HTML.

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `src` into `dst` recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let target = dst.join(entry.path().strip_prefix(src).expect("inside fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary copy of `tests/fixtures/<name>` with the repository's themes beside it.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Writes `text` to `root/relative`, creating folders.
pub fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// Runs the `chorus` binary with `args` in `root`.
pub fn chorus(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("run chorus")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `root` into `root/public` with the library, panicking with the diagnostics
/// on failure.
pub fn build(root: &Path, base_url: Option<&str>) -> PathBuf {
    let output = root.join("public");
    let options = chorus::BuildOptions {
        base_url: base_url.map(str::to_string),
        drafts: false,
        compress: false,
    };
    if let Err(diagnostics) = chorus::build(root, &output, &options) {
        let text: Vec<String> = diagnostics.items.iter().map(ToString::to_string).collect();
        panic!("build failed:\n{}", text.join("\n"));
    }
    output
}

/// Parses the HTML file at `relative` under `public`.
pub fn page(public: &Path, relative: &str) -> Html {
    let text = std::fs::read_to_string(public.join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    Html::parse_document(&text)
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    html.select(&selector).collect()
}

pub fn text(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}
