//! Helpers shared by the importer's tests: the repository's folders, the `review-import`
//! binary and parsed HTML.

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

/// The repository root: the review site (site.yaml, content/, data/, themes/).
pub fn repo() -> PathBuf {
    importer().join("../..")
}

/// The importer's own folder, with its `sources/` and README.
pub fn importer() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `src` into `dst` recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk folder");
        let target = dst.join(entry.path().strip_prefix(src).expect("inside folder"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes `text` to `root/relative`, creating folders.
pub fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// Runs `review-import` with `args` in `root`.
pub fn review_import(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_review-import"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("run review-import")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
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
