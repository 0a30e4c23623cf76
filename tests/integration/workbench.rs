//! The editors' workbench of `chorus serve` (issue 18): the edit panel's endpoint writes a
//! quote's front matter and the page rebuilds; requests from anywhere but serve's own
//! pages, for files outside `content/` or keys the panel does not edit, and edits of a file
//! changed on disk are refused and write nothing; the review queues list what waits for an
//! editor; and `chorus build` output holds no trace of any of it.

use crate::common::*;
use crate::serve::client::{Response, Server, send};
use crate::serve::{EVENT, serve};
use scraper::Html;

const QUOTE: &str = "content/quotes/adults/adults-001.md";
const QUOTE_URL: &str = "quotes/adults-001/";

/// What a page's edit panel sends an edit with.
#[derive(Debug, Clone)]
struct Panel {
    token: String,
    path: String,
    hash: String,
}

/// The edit panel of the page at `url`.
fn panel(server: &Server, url: &str) -> Panel {
    let page = Html::parse_document(&server.get(url).text());
    let forms = select(&page, "aside.chorus-workbench form#chorus-edit");
    assert_eq!(forms.len(), 1, "one edit panel on {url}");
    let data = |name| forms[0].attr(name).expect(name).to_string();
    Panel {
        token: data("data-token"),
        path: data("data-path"),
        hash: data("data-hash"),
    }
}

/// A POST to the edit endpoint with `headers` (name, value) and `body`.
fn post(server: &Server, headers: &[(&str, String)], body: &str) -> Response {
    let mut raw = format!(
        "POST {}__chorus/edit HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.base_path,
        body.len()
    );
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    send(server.address, raw.as_bytes())
}

/// Request headers, as (name, value).
type Headers = Vec<(&'static str, String)>;

/// The headers serve's own page sends.
fn own_headers(server: &Server, token: &str) -> Headers {
    vec![
        ("Host", server.address.to_string()),
        ("Origin", format!("http://{}", server.address)),
        ("X-Chorus-Token", token.to_string()),
        ("Content-Type", "application/json".to_string()),
    ]
}

fn edit_body(panel: &Panel, edit: serde_json::Value) -> String {
    serde_json::json!({ "path": panel.path, "hash": panel.hash, "edit": edit }).to_string()
}

fn error_of(response: &Response) -> serde_json::Value {
    let body: serde_json::Value = serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("a JSON answer ({e}): {}", response.text()));
    body["error"].clone()
}

/// The values of the checked boxes named `name` in the panel of `page`.
fn ticked(page: &Html, name: &str) -> Vec<String> {
    select(
        page,
        &format!("form#chorus-edit input[type=checkbox][name={name}][checked]"),
    )
    .iter()
    .filter_map(|input| input.attr("value").map(str::to_string))
    .collect()
}

#[test]
fn an_edit_writes_only_its_keys_and_the_page_rebuilds_with_them() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let panel = panel(&server, QUOTE_URL);
    assert_eq!(panel.path, "quotes/adults/adults-001.md");
    let before = std::fs::read_to_string(site.path().join(QUOTE)).unwrap();
    let mut events = server.events(None);
    events.expect("hello", EVENT);

    let edit = serde_json::json!({
        "themes": ["kinship-care", "workforce"],
        "privacy_reviewed": true,
        "voice": null,
    });
    let headers = own_headers(&server, &panel.token);
    let saved = post(&server, &headers, &edit_body(&panel, edit));
    assert_eq!(saved.status, 200, "{}", saved.text());
    let new_hash: serde_json::Value = serde_json::from_slice(&saved.body).unwrap();

    let after = std::fs::read_to_string(site.path().join(QUOTE)).unwrap();
    let expected = before.replace("voice: kinship-carer\n", "").replace(
        "themes: [kinship-care]\n",
        "themes: [kinship-care, workforce]\nprivacy_reviewed: true\n",
    );
    assert_eq!(after, expected, "only the edited keys' lines change");

    events.expect("reload", EVENT);
    let page = Html::parse_document(&server.get(QUOTE_URL).text());
    assert_eq!(ticked(&page, "themes"), ["kinship-care", "workforce"]);
    assert_eq!(
        select(&page, "#chorus-privacy-reviewed[checked]").len(),
        1,
        "privacy_reviewed is ticked"
    );
    let form = select(&page, "form#chorus-edit");
    assert_eq!(
        form[0].attr("data-hash"),
        new_hash["hash"].as_str(),
        "the rebuilt page carries the hash of the file as written"
    );
    assert_eq!(
        select(&page, "#chorus-voice option[selected]").len(),
        0,
        "the voice is gone"
    );
}

#[test]
fn requests_not_from_serve_s_own_pages_or_beyond_its_keys_are_refused_and_write_nothing() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let panel = panel(&server, QUOTE_URL);
    let good = own_headers(&server, &panel.token);
    let without =
        |name: &str| -> Headers { good.iter().filter(|(n, _)| *n != name).cloned().collect() };
    let with = |name: &str, value: &str| -> Headers {
        let mut headers = without(name);
        let name = good.iter().find(|(n, _)| *n == name).unwrap().0;
        headers.push((name, value.to_string()));
        headers
    };
    let themes = edit_body(&panel, serde_json::json!({"themes": ["workforce"]}));
    let elsewhere = |path: &str| {
        serde_json::json!({"path": path, "hash": panel.hash, "edit": {"draft": true}}).to_string()
    };
    let cases: Vec<(&str, Headers, String, u16, &str)> = vec![
        (
            "no token",
            without("X-Chorus-Token"),
            themes.clone(),
            403,
            "X-Chorus-Token",
        ),
        (
            "a wrong token",
            with("X-Chorus-Token", "0123"),
            themes.clone(),
            403,
            "does not match",
        ),
        (
            "a foreign Origin",
            with("Origin", "http://evil.example"),
            themes.clone(),
            403,
            "Origin",
        ),
        (
            "no Origin",
            without("Origin"),
            themes.clone(),
            403,
            "Origin",
        ),
        (
            "a foreign Host",
            with("Host", &format!("evil.example:{}", server.address.port())),
            themes.clone(),
            403,
            "Host",
        ),
        (
            "a form post",
            with("Content-Type", "application/x-www-form-urlencoded"),
            themes.clone(),
            415,
            "JSON",
        ),
        (
            "a path outside content/",
            good.clone(),
            elsewhere("../site.yaml"),
            400,
            "content/",
        ),
        (
            "a path that climbs out",
            good.clone(),
            elsewhere("quotes/../../site.yaml"),
            400,
            "content/",
        ),
        (
            "an unknown key",
            good.clone(),
            edit_body(&panel, serde_json::json!({"speaker": "Someone"})),
            400,
            "unknown field `speaker`",
        ),
        (
            "a theme not in the vocabulary",
            good.clone(),
            edit_body(&panel, serde_json::json!({"themes": ["no-such-theme"]})),
            400,
            "no-such-theme",
        ),
        (
            "a body that is not JSON",
            good.clone(),
            "{".to_string(),
            400,
            "not understood",
        ),
        (
            "an oversized body",
            good.clone(),
            format!("\"{}\"", "a".repeat(70_000)),
            413,
            "bytes",
        ),
    ];
    let before = snapshot(site.path());
    for (what, headers, body, status, says) in cases {
        let answer = post(&server, &headers, &body);
        assert_eq!(answer.status, status, "{what}: {}", answer.text());
        let message = error_of(&answer)["message"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(message.contains(says), "{what}: {message}");
    }
    assert_eq!(snapshot(site.path()), before, "nothing was written");
}

#[test]
fn a_file_changed_on_disk_after_its_page_loaded_is_not_overwritten() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let panel = panel(&server, QUOTE_URL);
    let path = site.path().join(QUOTE);
    let changed = std::fs::read_to_string(&path)
        .unwrap()
        .replace("left without support", "left without any support");
    std::fs::write(&path, &changed).unwrap();

    let headers = own_headers(&server, &panel.token);
    let body = edit_body(&panel, serde_json::json!({"draft": true}));
    let answer = post(&server, &headers, &body);
    assert_eq!(answer.status, 409, "{}", answer.text());
    assert_eq!(error_of(&answer)["code"], "edit/changed-on-disk");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        changed,
        "the change on disk stays, and the edit is not made"
    );
}

/// The queue page's sections: (id, heading, linked item titles).
fn queues(server: &Server, query: &str) -> Vec<(String, String, Vec<String>)> {
    let page = server.get(&format!("__chorus/queues{query}"));
    assert_eq!(page.status, 200);
    let page = Html::parse_document(&page.text());
    select(&page, "main section")
        .iter()
        .map(|section| {
            let heading = section
                .select(&scraper::Selector::parse("h2").unwrap())
                .next()
                .expect("a heading");
            let links = section
                .select(&scraper::Selector::parse(":scope > ul > li > a").unwrap())
                .map(|a| text(&a))
                .collect();
            (
                heading.attr("id").unwrap_or("").to_string(),
                text(&heading),
                links,
            )
        })
        .collect()
}

#[test]
fn the_queues_list_what_waits_for_an_editor_by_summary_and_kind() {
    let site = fixture("basic");
    write(
        site.path(),
        "data/content-notes.yaml",
        "- note: domestic abuse\n  keywords: [domestic violence]\n",
    );
    write(
        site.path(),
        "content/quotes/workforce/workforce-002.md",
        "---\nid: workforce-002\nprovenance: from-notes\nsummary: workforce\nsection: care\nthemes: [kinship-care]\n---\n\nCall me on 07700 900123 about the domestic violence.\n",
    );
    let server = serve(site.path(), &["--drafts"]);
    let all = queues(&server, "");
    let find = |found: &[(String, String, Vec<String>)], id: &str| {
        found
            .iter()
            .find(|(i, _, _)| i == id)
            .cloned()
            .unwrap_or_else(|| panic!("a queue {id}: {found:?}"))
    };
    let privacy = find(&all, "privacy");
    assert_eq!(privacy.1, "Personal data to review (1)");
    assert_eq!(privacy.2, ["workforce-002"]);
    assert_eq!(find(&all, "content-note").2, ["workforce-002"]);
    assert_eq!(
        find(&all, "no-theme").2,
        ["adults-002", "Response 1", "Response 2", "Response 3"]
    );
    assert_eq!(find(&all, "draft").1, "Drafts (0)");

    let responses = queues(&server, "?kind=response");
    assert_eq!(find(&responses, "privacy").1, "Personal data to review (0)");
    assert_eq!(
        find(&responses, "no-theme").2,
        ["Response 1", "Response 2", "Response 3"]
    );
    let adults = queues(&server, "?summary=adults&kind=");
    assert_eq!(find(&adults, "no-theme").2, ["adults-002"]);
    assert!(find(&adults, "privacy").2.is_empty());
}

/// The titles in the queue with element id `id`.
fn queue(server: &Server, id: &str) -> Vec<String> {
    let all = queues(server, "");
    let found = all.iter().find(|(i, _, _)| i == id);
    found
        .map(|(_, _, titles)| titles.clone())
        .unwrap_or_default()
}

#[test]
fn the_queues_follow_each_save_and_keep_what_other_files_had() {
    let site = fixture("basic");
    let server = serve(site.path(), &[]);
    let mut events = server.events(None);
    events.expect("hello", EVENT);
    assert!(queue(&server, "privacy").is_empty());
    let quote = site
        .path()
        .join("content/quotes/workforce/workforce-002.md");
    let original = std::fs::read_to_string(&quote).unwrap();
    let with_phone = original.replace("---\n\n", "---\n\nCall me on 07700 900123. ");
    assert_ne!(with_phone, original);

    std::fs::write(&quote, &with_phone).unwrap();
    events.expect("reload", EVENT);
    assert_eq!(queue(&server, "privacy"), ["workforce-002"]);

    // Another file saved: the quote's finding, linted one save ago, stays.
    let other = site.path().join(QUOTE);
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(
        &other,
        text.replace("---\n\n", "---\n\nAn added sentence. "),
    )
    .unwrap();
    events.expect("reload", EVENT);
    assert_eq!(queue(&server, "privacy"), ["workforce-002"]);

    std::fs::write(&quote, &original).unwrap();
    events.expect("reload", EVENT);
    assert!(queue(&server, "privacy").is_empty());
}

#[test]
fn editing_is_off_on_an_address_other_machines_can_reach_unless_allowed() {
    let site = fixture("basic");
    let server = serve(site.path(), &["--bind", "0.0.0.0"]);
    assert!(
        server.stderr().contains("--allow-remote-editing"),
        "{}",
        server.stderr()
    );
    let page = Html::parse_document(&server.get(QUOTE_URL).text());
    assert!(select(&page, "form#chorus-edit").is_empty(), "no panel");
    let host = format!("127.0.0.1:{}", server.address.port());
    let headers = [
        ("Host", host.clone()),
        ("Origin", format!("http://{host}")),
        ("Content-Type", "application/json".to_string()),
    ];
    let answer = post(&server, &headers, "{}");
    assert_eq!(answer.status, 403);
    assert!(
        error_of(&answer)["message"]
            .as_str()
            .unwrap()
            .contains("editing is off")
    );
}

#[test]
fn build_output_holds_no_trace_of_the_workbench() {
    let site = fixture("basic");
    let output = chorus(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let mut pages = 0;
    for (path, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for trace in [
            "__chorus",
            "chorus-edit",
            "x-chorus-token",
            "chorus-workbench",
            "data-token",
        ] {
            assert!(!text.contains(trace), "{} holds {trace}", path.display());
        }
        if path.extension().is_some_and(|e| e == "html") {
            let page = Html::parse_document(&String::from_utf8_lossy(&bytes));
            assert!(
                select(
                    &page,
                    "form#chorus-edit, aside.chorus-workbench, [data-token]"
                )
                .is_empty(),
                "{} holds the panel",
                path.display()
            );
            pages += 1;
        }
    }
    assert!(pages > 10, "the build made its pages ({pages})");
}
