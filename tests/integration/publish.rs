//! Publishing: pre-compressed copies for static hosts (`build --compress`, `compress:` in
//! site.yaml) and the `chorus new` scaffold.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;

/// The extensions `--compress` compresses, as documented in docs/deploy.md.
const COMPRESSED: [&str; 6] = ["html", "css", "js", "json", "xml", "svg"];

/// Static files beside the fixture that exercise the rules: copied files (not rendered ones),
/// the 1 KB limit on both sides, capitals in the extension, and a format that is not compressed.
fn add_static_files(root: &Path) {
    write(root, "static/tiny.js", "console.log(1);\n");
    write(
        root,
        "static/limit.json",
        &format!("\"{}\"", "a".repeat(1022)),
    );
    write(
        root,
        "static/over.json",
        &format!("\"{}\"", "a".repeat(1023)),
    );
    write(
        root,
        "static/icon.SVG",
        &format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>",
            "<g/>".repeat(400)
        ),
    );
    write(
        root,
        "static/notes.txt",
        &"plain text, not compressed\n".repeat(100),
    );
    assert_eq!(
        std::fs::metadata(root.join("static/limit.json"))
            .expect("limit.json")
            .len(),
        1024
    );
}

/// Every file under `public` that is not itself a compressed copy, with its size.
fn originals(public: &Path) -> Vec<(PathBuf, u64)> {
    let mut files: Vec<(PathBuf, u64)> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !matches!(extension(e.path()).as_str(), "gz" | "br"))
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().expect("metadata").len(),
            )
        })
        .collect();
    files.sort();
    files
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a valid gzip stream");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("a valid Brotli stream");
    out
}

fn compressed_copies(public: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && matches!(extension(e.path()).as_str(), "gz" | "br"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn compressed_copies_decompress_to_the_original_bytes() {
    let site = fixture("basic");
    add_static_files(site.path());
    let output = chorus(site.path(), &["build", "--compress"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let (mut compressed, mut original_bytes, mut compressed_bytes) = (0, 0, 0);
    for (path, len) in originals(&public) {
        let (gz, br) = (beside(&path, ".gz"), beside(&path, ".br"));
        if COMPRESSED.contains(&extension(&path).as_str()) && len > 1024 {
            let original = std::fs::read(&path).expect("read original");
            let gz = std::fs::read(&gz).unwrap_or_else(|e| panic!("{}.gz: {e}", path.display()));
            let br = std::fs::read(&br).unwrap_or_else(|e| panic!("{}.br: {e}", path.display()));
            assert!(
                gunzip(&gz) == original,
                "{}.gz differs from the original",
                path.display()
            );
            assert!(
                unbrotli(&br) == original,
                "{}.br differs from the original",
                path.display()
            );
            compressed += 1;
            original_bytes += original.len();
            compressed_bytes += gz.len() + br.len();
        } else {
            assert!(
                !gz.exists() && !br.exists(),
                "{} ({len} bytes) should not be compressed",
                path.display()
            );
        }
    }
    assert!(compressed >= 20, "only {compressed} files were compressed");
    assert!(
        compressed_bytes < original_bytes,
        "{compressed_bytes} bytes compressed from {original_bytes}"
    );
    assert!(
        public.join("icon.SVG.gz").exists(),
        "a copied static file with a capital extension is compressed"
    );
    for (name, compressed) in [
        ("tiny.js", false),
        ("limit.json", false),
        ("over.json", true),
        ("notes.txt", false),
        ("index.html", true),
    ] {
        assert_eq!(
            public.join(format!("{name}.br")).exists(),
            compressed,
            "{name}"
        );
    }
}

#[test]
fn every_compressed_copy_has_its_original() {
    let site = fixture("basic");
    let output = chorus(site.path(), &["build", "--compress"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let copies = compressed_copies(&public);
    assert!(!copies.is_empty());
    for copy in copies {
        let original = copy.with_extension("");
        assert!(original.is_file(), "{} has no original", copy.display());
    }
}

#[test]
fn nothing_is_compressed_by_default() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    assert!(public.join("index.html").is_file());
    assert_eq!(compressed_copies(&public), Vec::<PathBuf>::new());
}

#[test]
fn the_site_yaml_switch_compresses_without_the_flag() {
    let site = fixture("basic");
    let config = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    write(
        site.path(),
        "site.yaml",
        &format!("{config}compress: true\n"),
    );
    let public = build(site.path(), None);
    let html = std::fs::read(public.join("index.html")).expect("home page");
    assert_eq!(
        gunzip(&std::fs::read(public.join("index.html.gz")).expect("index.html.gz")),
        html
    );
    assert_eq!(
        unbrotli(&std::fs::read(public.join("index.html.br")).expect("index.html.br")),
        html
    );

    write(
        site.path(),
        "site.yaml",
        &format!("{config}compress: false\n"),
    );
    let public = build(site.path(), None);
    assert!(public.join("index.html").is_file());
    assert!(
        compressed_copies(&public).is_empty(),
        "compress: false writes no copies"
    );
}

#[test]
fn a_misspelt_switch_is_an_error() {
    let site = fixture("basic");
    let config = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    write(
        site.path(),
        "site.yaml",
        &format!("{config}compress: yes please\n"),
    );
    let output = chorus(site.path(), &["build"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("site.yaml"), "{}", stderr(&output));
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_failed_compressed_build_leaves_the_previous_output_as_it_was() {
    let site = fixture("basic");
    let output = chorus(site.path(), &["build", "--compress"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let before = snapshot(&public);
    assert!(
        before
            .iter()
            .any(|(path, _)| path.ends_with("index.html.br"))
    );
    write(
        site.path(),
        "content/summaries/workforce/03-broken.md",
        "---\ntitle: Broken\n---\n\nNo weight.\n",
    );
    let output = chorus(site.path(), &["build", "--compress"]);
    assert!(!output.status.success());
    assert!(snapshot(&public) == before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("site folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

/// A new site in a fresh temporary folder.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("consultation");
    let output = chorus(dir.path(), &["new", "consultation"]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, root)
}

#[test]
fn a_new_site_checks_and_builds_with_no_errors_or_warnings() {
    let (_dir, root) = new_site();
    let check = chorus(&root, &["check", "--deny-warnings"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );

    let built = chorus(&root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(stderr(&built).trim(), "", "build printed warnings");
    let report = chorus::build(
        &root,
        &root.join("public"),
        &chorus::BuildOptions::default(),
    )
    .expect("builds");
    assert!(
        report.warnings.items.is_empty(),
        "{:?}",
        report.warnings.items
    );
    assert_eq!(
        (
            report.summaries,
            report.sections,
            report.quotes,
            report.responses
        ),
        (1, 2, 3, 2)
    );

    let public = root.join("public");
    let first = page(&public, "summaries/community/what-works-well/index.html");
    assert_eq!(select(&first, "main figure#quote-community-001").len(), 1);
    assert_eq!(select(&first, "main figure#quote-community-002").len(), 1);
    let second = page(
        &public,
        "summaries/community/what-could-be-better/index.html",
    );
    assert_eq!(select(&second, "main figure#quote-community-003").len(), 1);
    assert_eq!(
        select(
            &second,
            "main a[href='/summaries/community/what-works-well/#staff']"
        )
        .len(),
        1
    );
    for path in [
        "responses/response-001/index.html",
        "responses/response-002/index.html",
        "accessibility/index.html",
    ] {
        assert_eq!(select(&page(&public, path), "main h1").len(), 1, "{path}");
    }
    let home = text(&select(&page(&public, "index.html"), "main")[0]);
    assert!(
        home.contains("This is an example site."),
        "the home page says it is example content: {home}"
    );
}

/// A site made by `chorus new`, with its responses, names nothing of the review's: every
/// word the pages say about responses comes from the new site's own settings.
#[test]
fn a_new_site_says_nothing_of_the_review() {
    let (_dir, root) = new_site();
    let built = chorus(&root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let public = root.join("public");
    let review_words = [
        "call for ideas",
        "bridge the gap",
        "children's social care",
        "children’s social care",
        "independent review",
        "care review",
        "idea",
    ];
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let text = text.to_lowercase();
        for word in review_words.iter().filter(|w| text.contains(**w)) {
            found.push(format!("{}: {word}", entry.path().display()));
        }
    }
    assert_eq!(found, Vec::<String>::new());
    let list = page(&public, "responses/index.html");
    assert_eq!(
        text(&select(&list, "main h1")[0]),
        "Responses submitted to the consultation on community centres"
    );
    let response = page(&public, "responses/response-001/index.html");
    assert_eq!(text(&select(&response, "main h1")[0]), "Response 1");
    let citation = text(&select(&response, ".citation")[0]);
    assert!(
        citation.contains("response 1 submitted to the consultation on community centres"),
        "{citation}"
    );
}

#[test]
fn a_new_site_builds_under_a_sub_path() {
    let (_dir, root) = new_site();
    let built = chorus(
        &root,
        &["build", "--base-url", "https://example.org/consultation/"],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    let home = page(&root.join("public"), "index.html");
    let summary_links = select(&home, "a[href='/consultation/summaries/community/']");
    assert!(
        !summary_links.is_empty(),
        "the home page links the summary under the sub-path"
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "existing/notes.txt", "keep me");
    let output = chorus(dir.path(), &["new", "existing"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("existing") && message.contains("not empty"),
        "{message}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("existing"))
        .expect("folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(left.len(), 1, "nothing was added");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("existing/notes.txt")).expect("notes"),
        "keep me"
    );

    let output = chorus(dir.path(), &["new", "existing/notes.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not a folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn new_writes_into_an_empty_folder() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir(dir.path().join("empty")).expect("create folder");
    let output = chorus(dir.path(), &["new", "empty"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("empty/site.yaml").is_file());
    assert!(
        dir.path()
            .join("empty/themes/review/templates/base.html")
            .is_file()
    );
}

/// The theme `chorus new` writes is the one in `themes/review/`, file for file and byte for
/// byte: a theme file added there must be added to `src/scaffold/theme.rs` too.
#[test]
fn the_embedded_theme_matches_themes_review() {
    let folder = repo().join("themes/review");
    let on_disk: Vec<(String, Vec<u8>)> = snapshot(&folder)
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes))
        .collect();
    let mut embedded: Vec<(String, Vec<u8>)> = chorus::scaffold::theme::FILES
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    embedded.sort();
    let names =
        |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    let missing: Vec<String> = names(&on_disk)
        .into_iter()
        .filter(|p| !names(&embedded).contains(p))
        .collect();
    let stale: Vec<String> = names(&embedded)
        .into_iter()
        .filter(|p| !names(&on_disk).contains(p))
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "src/scaffold/theme.rs is out of date with themes/review/: add\n{}\nand remove {stale:?}",
        missing
            .iter()
            .map(|p| format!("    (\"{p}\", include_bytes!(\"../../themes/review/{p}\")),"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        embedded == on_disk,
        "the embedded theme's bytes differ from themes/review/: rebuild"
    );
}
