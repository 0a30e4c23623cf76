//! The importer reproduces the committed content: the five sources imported over a copy of
//! the site give back `content/` byte for byte. Hand-written pages are left alone, and the
//! editors' `privacy_reviewed` decisions are kept, so any other difference is a hand edit
//! of imported text that a re-import would undo, or a change of the importer's output.

use std::path::Path;

use crate::common::*;

/// Every file under `dir`, by path relative to it, with its text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("inside");
            let text = std::fs::read_to_string(e.path()).expect("read content file");
            (relative.to_string_lossy().replace('\\', "/"), text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn importing_the_sources_over_the_committed_content_changes_nothing() {
    let site = tempfile::tempdir().expect("temporary folder");
    std::fs::copy(repo().join("site.yaml"), site.path().join("site.yaml")).expect("site.yaml");
    copy_dir(&repo().join("data"), &site.path().join("data"));
    copy_dir(&repo().join("content"), &site.path().join("content"));
    let mut args: Vec<String> = std::fs::read_dir(importer().join("sources"))
        .expect("sources")
        .map(|e| e.expect("source").path().display().to_string())
        .collect();
    args.sort();
    assert_eq!(args.len(), 5, "the five source documents");
    args.extend(["--into".to_string(), "content".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = review_import(site.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));

    let committed = files(&repo().join("content"));
    let imported = files(&site.path().join("content"));
    let names = |files: &[(String, String)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&imported), names(&committed), "the same files");
    let changed: Vec<&str> = committed
        .iter()
        .zip(&imported)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert!(changed.is_empty(), "re-imported differently: {changed:?}");
}
