//! `chorus serve` end to end: the real binary on an ephemeral port of a fixture copy,
//! raw HTTP over a `TcpStream`, and the live-reload event stream.
//!
//! Every wait has a deadline (see `benches/serve/client.rs`), and every server is killed
//! when its guard drops, so a broken server fails a test instead of hanging CI.

#[path = "../../benches/serve/client.rs"]
pub mod client;

use std::path::Path;
use std::time::Duration;

use crate::common::*;
use client::{Events, Response, Server, request};
use scraper::Html;

/// Generous: a debug build on a busy two-core CI machine.
pub const STARTUP: Duration = Duration::from_secs(90);
pub const EVENT: Duration = Duration::from_secs(30);

const SECTION: &str = "content/summaries/workforce/01-working.md";
const SECTION_URL: &str = "summaries/workforce/working/";

pub fn serve(root: &Path, args: &[&str]) -> Server {
    Server::start(Path::new(env!("CARGO_BIN_EXE_chorus")), root, args, STARTUP)
}

fn html(response: &Response) -> Html {
    Html::parse_document(&response.text())
}

/// The live-reload state the server put in the page.
fn live_state(page: &Html) -> serde_json::Value {
    let scripts = select(page, "script#chorus-live-state[type='application/json']");
    assert_eq!(scripts.len(), 1, "one live state per page");
    serde_json::from_str(&scripts[0].text().collect::<String>()).expect("the state is JSON")
}

fn generation(page: &Html) -> u64 {
    live_state(page)["generation"]
        .as_u64()
        .expect("a generation")
}

/// Replaces `from` by `to` in the site file `relative`.
fn edit(root: &Path, relative: &str, from: &str, to: &str) {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).expect("read the source");
    assert!(text.contains(from), "{relative} holds {from:?}");
    std::fs::write(&path, text.replace(from, to)).expect("write the source");
}

/// The text of the section's paragraphs, joined.
fn prose(page: &Html) -> String {
    select(page, "main .prose p")
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_saved_section_reloads_open_pages_with_its_new_text() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let before = server.get(SECTION_URL);
    assert_eq!(before.status, 200);
    let before = html(&before);
    assert!(
        prose(&before).contains("Social workers spoke about paperwork."),
        "{}",
        prose(&before)
    );
    assert_eq!(
        select(&before, "script[src='/__chorus/reload.js']").len(),
        1,
        "the page loads the reload script"
    );
    let script = server.get("__chorus/reload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("EventSource"));

    let mut events = server.events(Some(generation(&before)));
    events.expect("hello", EVENT);
    edit(
        site.path(),
        SECTION,
        "spoke about paperwork",
        "spoke about forms",
    );
    let reload = events.expect("reload", EVENT);
    assert!(reload.json()["generation"].as_u64() > Some(generation(&before)));

    let after = html(&server.get(SECTION_URL));
    assert!(
        prose(&after).contains("Social workers spoke about forms."),
        "{}",
        prose(&after)
    );
    assert_eq!(
        generation(&after),
        reload.json()["generation"].as_u64().unwrap()
    );
    assert!(
        !site.path().join("public").exists(),
        "serve never writes the output folder"
    );
}

#[test]
fn a_page_that_missed_a_build_while_loading_reloads_when_it_connects() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let before = html(&server.get(SECTION_URL));
    let mut watcher = server.events(None);
    watcher.expect("hello", EVENT);
    edit(site.path(), SECTION, "paperwork", "forms");
    watcher.expect("reload", EVENT);
    server
        .events(Some(generation(&before)))
        .expect("reload", EVENT);
}

/// The first `error` event's only error, checked against `file`, `line` and `column`.
fn assert_error(event: &client::Event, file: &str, line: u64, column: u64) -> String {
    let data = event.json();
    let errors = data["errors"].as_array().expect("a list of errors");
    assert_eq!(errors.len(), 1, "{data}");
    let error = &errors[0];
    assert_eq!(error["file"], file, "{data}");
    assert_eq!(error["line"], line, "{data}");
    assert_eq!(error["column"], column, "{data}");
    let message = error["message"].as_str().expect("a message").to_string();
    assert!(!message.is_empty());
    message
}

#[test]
fn a_broken_edit_shows_its_error_over_the_last_good_site_until_fixed() {
    let site = fixture("basic");
    let mut server = serve(site.path(), &[]);
    let mut events = server.events(None);
    events.expect("hello", EVENT);

    edit(
        site.path(),
        SECTION,
        "title: Working in the system",
        "title: [Working in the system",
    );
    let error = events.expect("error", EVENT);
    let message = assert_error(&error, SECTION, 2, 8);

    let page = server.get(SECTION_URL);
    assert_eq!(page.status, 200, "the last good site is still served");
    let page = html(&page);
    assert!(prose(&page).contains("paperwork"), "{}", prose(&page));
    let state = live_state(&page);
    assert_eq!(state["errors"][0]["file"], SECTION, "{state}");
    assert_eq!(state["errors"][0]["line"], 2, "{state}");
    assert_eq!(state["errors"][0]["column"], 8, "{state}");
    assert_eq!(state["errors"][0]["message"], message.as_str());
    let opened_now = server.events(None).expect("error", EVENT);
    assert_error(&opened_now, SECTION, 2, 8);
    assert!(
        server.stderr().contains(&format!("{SECTION}:2:8")),
        "the terminal names the place:\n{}",
        server.stderr()
    );
    assert!(server.is_running(), "a bad edit never stops the server");

    edit(
        site.path(),
        SECTION,
        "title: [Working in the system",
        "title: Working in the system",
    );
    events.expect("reload", EVENT);
    let page = html(&server.get(SECTION_URL));
    assert_eq!(
        live_state(&page)["errors"],
        serde_json::json!([]),
        "a good build clears the errors"
    );
    assert!(server.is_running());
}

#[test]
fn an_unknown_quote_and_a_template_error_are_reported_and_recovered_from() {
    let site = fixture("basic");
    // As in a fresh clone, the site has no templates/ folder: the one created below while
    // the server runs must be noticed, and then watched.
    let _ = std::fs::remove_dir(site.path().join("templates"));
    assert!(!site.path().join("templates").exists());
    let mut server = serve(site.path(), &[]);
    let mut events = server.events(None);
    events.expect("hello", EVENT);

    edit(
        site.path(),
        SECTION,
        "quote(id=\"workforce-001\")",
        "quote(id=\"workforce-999\")",
    );
    let error = events.expect("error", EVENT);
    let message = assert_error(&error, SECTION, 11, 1);
    assert!(message.contains("workforce-999"), "{message}");
    edit(
        site.path(),
        SECTION,
        "quote(id=\"workforce-999\")",
        "quote(id=\"workforce-001\")",
    );
    events.expect("reload", EVENT);

    write(
        site.path(),
        "templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ section.title }</h1>\n{% endblock content %}\n",
    );
    let error = events.expect("error", EVENT);
    let data = error.json();
    assert_eq!(
        data["errors"][0]["file"], "templates/section.html",
        "{data}"
    );
    assert_eq!(data["errors"][0]["line"], 3, "{data}");
    assert!(data["errors"][0]["column"].as_u64().is_some(), "{data}");
    assert_eq!(server.get(SECTION_URL).status, 200);
    write(
        site.path(),
        "templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1 class=\"override\">{{ section.title }}</h1>\n{% endblock content %}\n",
    );
    events.expect("reload", EVENT);
    let page = html(&server.get(SECTION_URL));
    assert_eq!(
        select(&page, "h1.override").len(),
        1,
        "the fixed override is used"
    );
    assert!(server.is_running());
}

#[test]
fn an_atomic_save_is_one_rebuild_and_editor_scratch_files_are_none() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let mut events = server.events(None);
    events.expect("hello", EVENT);
    let folder = site.path().join("content/summaries/workforce");
    std::fs::write(folder.join(".01-working.md.swp"), "swap").expect("swap file");
    std::fs::write(folder.join("01-working.md~"), "backup").expect("backup file");
    std::fs::write(folder.join("#01-working.md#"), "autosave").expect("autosave file");
    assert!(
        events.next(Duration::from_millis(1500)).is_none(),
        "scratch files are not changes"
    );

    let text = std::fs::read_to_string(folder.join("01-working.md")).expect("read");
    let temporary = folder.join(".01-working.md.tmp-save");
    std::fs::write(&temporary, text.replace("paperwork", "forms"))
        .expect("write the temporary file");
    std::fs::rename(&temporary, folder.join("01-working.md")).expect("rename over the original");
    events.expect("reload", EVENT);
    if let Some(extra) = events.next(Duration::from_millis(1500)) {
        panic!("one save, one rebuild; then came `{}`", extra.name);
    }
    assert!(prose(&html(&server.get(SECTION_URL))).contains("forms"));

    std::fs::remove_file(site.path().join("content/news/first.md")).expect("delete a news item");
    events.expect("reload", EVENT);
    assert_eq!(
        server.get("news/first/").status,
        404,
        "a deleted page is gone"
    );
}

#[test]
fn a_stylesheet_change_swaps_stylesheets_without_a_reload() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let page = html(&server.get(""));
    let hrefs: Vec<String> = select(&page, "link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.value().attr("href").map(str::to_string))
        .collect();
    let style = hrefs
        .iter()
        .find(|h| h.starts_with("/style."))
        .expect("the theme stylesheet")
        .clone();
    let mut events = server.events(Some(generation(&page)));
    events.expect("hello", EVENT);

    let css = site.path().join("themes/review/static/style.css");
    let mut text = std::fs::read_to_string(&css).expect("read the stylesheet");
    text.push_str("\n.chorus-test-rule { color: rebeccapurple; }\n");
    std::fs::write(&css, text).expect("write the stylesheet");
    let swap = events.expect("css", EVENT).json();
    let sheets = swap["stylesheets"].as_array().expect("stylesheet changes");
    let change = sheets
        .iter()
        .find(|c| c["from"] == style.as_str())
        .expect("the page's stylesheet is swapped");
    let to = change["to"].as_str().expect("a new URL");
    assert_ne!(to, style, "the new stylesheet has a new content hash");
    let fetched = server.get(to.trim_start_matches('/'));
    assert_eq!(fetched.status, 200);
    assert_eq!(
        fetched.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert!(fetched.text().contains("chorus-test-rule"));
}

/// A file outside the site root that symbolic links inside it point to.
fn outside_secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temporary folder");
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").expect("secret");
    outside
}

#[cfg(unix)]
fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(not(unix))]
fn link(_: &Path, _: &Path) {}

#[test]
fn requests_for_anything_outside_the_site_are_not_found() {
    let site = fixture("basic");
    let outside = outside_secret();
    std::fs::create_dir_all(site.path().join("static")).expect("static folder");
    link(
        &outside.path().join("secret.txt"),
        &site.path().join("static/leak-static.txt"),
    );
    link(outside.path(), &site.path().join("static/outside"));
    let server = serve(site.path(), &[]);
    assert_eq!(server.get("").status, 200, "the site itself is served");

    for target in [
        "/../site.yaml",
        "/summaries/../../site.yaml",
        "/summaries/workforce/../../../content/_index.md",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2E/etc/passwd",
        "/.%2e/site.yaml",
        "/summaries%2f..%2f..%2fsite.yaml",
        "/summaries/workforce%2fworking/",
        "/summaries%2Fworkforce/working/",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "/summaries\\workforce\\working\\",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/etc/passwd",
        "/index.html%00.txt",
        "/leak-static.txt",
        "/leak-content.txt",
        "/outside/secret.txt",
        "/themes/review/static/style.css",
        "/content/_index.md",
        "/site.yaml",
        "/summaries/",
    ] {
        let response = request(server.address, &format!("GET {target} HTTP/1.1"));
        assert_eq!(
            response.status,
            404,
            "{target} must be 404, got {}: {}",
            response.status,
            response.text()
        );
        assert!(
            !response.text().contains("TOP SECRET"),
            "{target} leaked the file outside the site"
        );
        assert!(
            !response.text().contains("base_url"),
            "{target} leaked site.yaml"
        );
    }
}

#[test]
fn files_have_their_types_unknown_paths_the_themes_404_page_and_folders_a_slash() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let home = server.get("");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let stylesheet = select(&html(&home), "link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .expect("href")
        .to_string();
    assert_eq!(
        server
            .get(stylesheet.trim_start_matches('/'))
            .header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(server.get("sitemap.xml").status, 200);
    assert!(
        server
            .get("sitemap.xml")
            .header("content-type")
            .is_some_and(|t| t.contains("xml"))
    );
    assert_eq!(
        server.get("robots.txt").header("content-type"),
        Some("text/plain; charset=utf-8")
    );

    let missing = server.get("no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let missing = html(&missing);
    assert_eq!(
        text(&select(&missing, "h1")[0]),
        "Page not found",
        "the theme's 404 page"
    );
    assert_eq!(
        select(&missing, "script[src='/__chorus/reload.js']").len(),
        1,
        "it reloads too"
    );

    let folder = server.get("summaries/workforce/working");
    assert_eq!(folder.status, 307);
    assert_eq!(
        folder.header("location"),
        Some("/summaries/workforce/working/")
    );
    let index = server.get("summaries/workforce/working/index.html");
    assert_eq!(index.status, 200, "a folder's index.html is its page");
    assert_eq!(request(server.address, "POST / HTTP/1.1").status, 405);
}

#[test]
fn a_sub_path_base_url_prefixes_links_the_script_and_the_event_stream() {
    let site = fixture("basic");
    let server = serve(
        site.path(),
        &["--base-url", "http://127.0.0.1:1111/review/"],
    );
    assert_eq!(server.base_path, "/review/");
    let home = server.get("");
    assert_eq!(home.status, 200);
    let home = html(&home);
    let links: Vec<&str> = select(&home, "a[href^='/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(!links.is_empty());
    assert!(links.iter().all(|l| l.starts_with("/review/")), "{links:?}");
    assert_eq!(
        select(&home, "script[src='/review/__chorus/reload.js']").len(),
        1
    );
    assert_eq!(server.get("__chorus/reload.js").status, 200);
    server
        .events(Some(generation(&home)))
        .expect("hello", EVENT);
    assert_eq!(
        request(server.address, "GET / HTTP/1.1").status,
        404,
        "nothing outside the base path"
    );
    let bare = request(server.address, "GET /review HTTP/1.1");
    assert_eq!(bare.status, 307);
    assert_eq!(bare.header("location"), Some("/review/"));
}

#[test]
fn ipv6_loopback_serves_pages_and_reloads_them() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    let site = fixture("basic");
    let server = serve(site.path(), &["--bind", "::1"]);
    assert!(server.address.is_ipv6(), "{}", server.address);
    let page = html(&server.get(SECTION_URL));
    let canonical = select(&page, "link[rel=canonical]");
    let href = canonical
        .first()
        .and_then(|l| l.value().attr("href"))
        .expect("a canonical link");
    assert!(
        href.starts_with("http://[::1]:"),
        "permalinks use the address served: {href}"
    );
    let mut events = server.events(Some(generation(&page)));
    events.expect("hello", EVENT);
    edit(site.path(), SECTION, "paperwork", "forms");
    events.expect("reload", EVENT);
    assert!(prose(&html(&server.get(SECTION_URL))).contains("forms"));
}

#[test]
fn a_site_that_never_built_shows_its_errors_and_appears_once_fixed() {
    let site = fixture("basic");
    edit(
        site.path(),
        SECTION,
        "title: Working in the system",
        "title: [Working in the system",
    );
    let server = serve(site.path(), &[]);
    let waiting = server.get(SECTION_URL);
    assert_eq!(waiting.status, 503);
    assert_eq!(live_state(&html(&waiting))["errors"][0]["file"], SECTION);
    let mut events: Events = server.events(None);
    events.expect("error", EVENT);
    edit(
        site.path(),
        SECTION,
        "title: [Working in the system",
        "title: Working in the system",
    );
    events.expect("reload", EVENT);
    assert_eq!(server.get(SECTION_URL).status, 200);
}

#[test]
fn build_output_has_no_live_reload_script() {
    let site = fixture("basic");
    let public = build(site.path(), None);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).expect("read output");
        let name = entry.path().display().to_string();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__chorus"),
            "{name} refers to the serve endpoints"
        );
        if name.ends_with(".html") {
            let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
            assert!(select(&page, "#chorus-live-state").is_empty(), "{name}");
            assert!(select(&page, "script[src*='reload']").is_empty(), "{name}");
            pages += 1;
        }
    }
    assert!(pages > 10, "the fixture built its pages");
}
