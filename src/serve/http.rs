//! The HTTP side of `serve`: the in-memory site under the base path, the live-reload
//! script, the event stream that tells open pages to reload, and the editors' workbench
//! (the edit panel on quotes' and responses' pages, its endpoint, the review queues).
//!
//! Only files of the built site are served, looked up by exact path in memory: a request
//! path is never joined to a folder. Paths that try to climb out (`..`, `%2e%2e`), smuggle
//! a separator (`%2f`, backslashes) or look absolute are refused before the lookup anyway,
//! so that such a request is a plain 404 whatever the site holds.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tokio::sync::watch;

use super::edit::Editor;
use super::panel::{self, Endpoints, Filter};
use super::state::Status;
use super::workbench::{EditableKind, Workbench};
use crate::output::FileData;
use crate::render::output_path;

/// The client script that every served page loads; `build` output never contains it.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// The edit panel's script and the workbench's styles, likewise serve's own.
const WORKBENCH_SCRIPT: &str = include_str!("workbench.js");
const WORKBENCH_STYLES: &str = include_str!("workbench.css");

/// How long a quote's or response's page waits, after a rebuild, for the workbench to
/// describe the file it was built from (the edit panel carries that file's hash).
const WORKBENCH_WAIT: Duration = Duration::from_secs(10);

/// Where the server's own endpoints live, under the base path.
const RESERVED: &str = "__chorus/";

/// What every request needs.
struct App {
    status: watch::Sender<Arc<Status>>,
    /// What the workbench knows of the last good build.
    workbench: watch::Receiver<Option<Arc<Workbench>>>,
    base_path: String,
    /// Holds the site root, canonical: static files are only read from inside it.
    editor: Editor,
    /// Tells this run of the server from earlier ones, so that a page left open across a
    /// restart reloads instead of trusting a build count that started again.
    instance: String,
}

/// The server: everything under `base_path`, nothing else.
pub fn router(
    status: watch::Sender<Arc<Status>>,
    workbench: watch::Receiver<Option<Arc<Workbench>>>,
    base_path: String,
    editor: Editor,
) -> Router {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let instance = format!("{:x}{:x}", started.as_nanos(), std::process::id());
    let edit_path = format!("{base_path}{RESERVED}edit");
    Router::new()
        .route(&edit_path, axum::routing::post(edit))
        .fallback(handle)
        .with_state(Arc::new(App {
            status,
            workbench,
            base_path,
            editor,
            instance,
        }))
}

/// `POST …/__chorus/edit`: see [`super::edit`].
async fn edit(State(app): State<Arc<App>>, request: Request) -> Response {
    let workbench = app.workbench.borrow().clone();
    app.editor.answer(workbench, request).await
}

async fn handle(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "Only GET and HEAD are served.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = uri.path();
    let Some(rest) = path.strip_prefix(app.base_path.as_str()) else {
        let status = Arc::clone(&app.status.borrow());
        if format!("{path}/") == app.base_path {
            return redirect(&app.base_path, uri.query());
        }
        return not_found(&app, &status);
    };
    if let Some(reserved) = rest.strip_prefix(RESERVED) {
        return own_file(&app, reserved, uri.query()).await;
    }
    let relative = site_path(rest);
    let key = relative.as_deref().map(output_path);
    let workbench = match &key {
        Some(key) => workbench_for_page(&app, key).await,
        None => None,
    };
    let status = Arc::clone(&app.status.borrow());
    let Some(site) = &status.site else {
        return unbuilt(&app, &status);
    };
    let (Some(relative), Some(key)) = (relative, key) else {
        return not_found(&app, &status);
    };
    let page = Page {
        app: &app,
        status: &status,
        workbench: workbench.as_deref(),
    };
    match site.get(&key) {
        Some(file) => match body(&page, &key, file).await {
            Some(bytes) => respond(StatusCode::OK, &content_type(&key), bytes),
            None => not_found(&app, &status),
        },
        None if site.contains_key(&format!("{relative}/index.html")) => {
            redirect(&format!("{}{rest}/", app.base_path), uri.query())
        }
        None => not_found(&app, &status),
    }
}

/// Serve's own files and pages, under `__chorus/`.
async fn own_file(app: &App, name: &str, query: Option<&str>) -> Response {
    let status = Arc::clone(&app.status.borrow());
    let script = "text/javascript; charset=utf-8";
    match name {
        "events" => events(app, &status, query),
        "reload.js" => respond(StatusCode::OK, script, RELOAD_SCRIPT),
        "workbench.js" => respond(StatusCode::OK, script, WORKBENCH_SCRIPT),
        "workbench.css" => respond(StatusCode::OK, "text/css; charset=utf-8", WORKBENCH_STYLES),
        "queues" => match workbench_of_build(app).await {
            Some(workbench) => {
                let html = panel::queues(&workbench, &filter(query), &endpoints(app));
                let page = Page {
                    app,
                    status: &status,
                    workbench: None,
                };
                respond(
                    StatusCode::OK,
                    "text/html; charset=utf-8",
                    inject(html.as_bytes(), &page),
                )
            }
            None => unbuilt(app, &status),
        },
        _ => not_found(app, &status),
    }
}

/// The queue page's filter, from its query string.
fn filter(query: Option<&str>) -> Filter {
    let value = |key| {
        query_value(query, key)
            .and_then(|v| {
                percent_decode_str(&v.replace('+', " "))
                    .decode_utf8()
                    .ok()
                    .map(|v| v.into_owned())
            })
            .filter(|v| !v.is_empty())
    };
    Filter {
        summary: value("summary"),
        kind: match value("kind").as_deref() {
            Some("quote") => Some(EditableKind::Quote),
            Some("response") => Some(EditableKind::Response),
            _ => None,
        },
    }
}

fn endpoints(app: &App) -> Endpoints<'_> {
    Endpoints {
        base_path: &app.base_path,
        reserved: RESERVED,
    }
}

/// The workbench to make the page at `key` with. After an edit, a quote's or response's
/// page is shown before the workbench describes the file it was built from: such a page
/// waits for it (a while at most), so that its edit panel carries the right hash.
async fn workbench_for_page(app: &App, key: &str) -> Option<Arc<Workbench>> {
    let current = app.workbench.borrow().clone()?;
    if current.page(key).is_none() {
        return Some(current);
    }
    workbench_of_build(app).await
}

/// The workbench of the good build being shown, waited for (a while at most) when the
/// pages of a rebuild are shown before it is made: the review queues, like an edit panel,
/// then describe what the pages show.
async fn workbench_of_build(app: &App) -> Option<Arc<Workbench>> {
    let current = app.workbench.borrow().clone()?;
    let generation = app.status.borrow().generation;
    if current.generation >= generation {
        return Some(current);
    }
    let mut receiver = app.workbench.clone();
    let fresh = receiver.wait_for(|w| w.as_ref().is_some_and(|w| w.generation >= generation));
    match tokio::time::timeout(WORKBENCH_WAIT, fresh).await {
        Ok(Ok(newer)) => newer.clone(),
        _ => Some(current),
    }
}

/// What a served page is made with.
struct Page<'a> {
    app: &'a App,
    status: &'a Status,
    workbench: Option<&'a Workbench>,
}

/// The site-relative path a request names, or `None` for anything that is not a plain
/// relative path: encoded separators, backslashes, `.` or `..` segments (encoded or not),
/// empty segments, drive letters, NUL.
fn site_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode_str(raw).decode_utf8().ok()?.into_owned();
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    let unsafe_segment = segments.iter().enumerate().any(|(i, s)| {
        *s == "." || *s == ".." || (s.is_empty() && i != last) || s.contains([':', '\\', '\0'])
    });
    (!unsafe_segment).then_some(decoded)
}

/// The bytes of `file`; pages get the live-reload script, and a quote's or response's
/// page the edit panel when editing is on. A static file is read from disk only if it
/// really lies inside the site root (a symbolic link may point out).
async fn body(page: &Page<'_>, key: &str, file: &FileData) -> Option<Bytes> {
    match file {
        FileData::Bytes(bytes) if is_html(key) => {
            let edit_panel = page.workbench.and_then(|workbench| {
                let item = workbench.page(key)?;
                let token = page.app.editor.access.token()?;
                Some(panel::panel(item, workbench, &endpoints(page.app), token))
            });
            Some(inject_with(
                bytes,
                page,
                edit_panel.as_deref().unwrap_or(""),
            ))
        }
        FileData::Bytes(bytes) => Some(bytes.clone()),
        FileData::Copy(source) => {
            let real = tokio::fs::canonicalize(source).await.ok()?;
            if !real.starts_with(&page.app.editor.root) {
                return None;
            }
            tokio::fs::read(real).await.ok().map(Bytes::from)
        }
    }
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// `html` with the page's live-reload state and the reload script before `</body>`.
fn inject(html: &[u8], page: &Page<'_>) -> Bytes {
    inject_with(html, page, "")
}

/// `html` with `extra` (HTML), the live-reload state and the reload script before `</body>`.
fn inject_with(html: &[u8], page: &Page<'_>, extra: &str) -> Bytes {
    let Page { app, status, .. } = page;
    let state = serde_json::json!({
        "instance": app.instance,
        "generation": status.generation,
        "errors": status.errors,
    });
    // `<` never appears raw, so nothing in an error message can close the script element.
    let state = state.to_string().replace('<', "\\u003c");
    let snippet = format!(
        "{extra}<script type=\"application/json\" id=\"chorus-live-state\">{state}</script>\n<script src=\"{}{RESERVED}reload.js\"></script>\n",
        app.base_path
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    Bytes::from([&html[..at], snippet.as_bytes(), &html[at..]].concat())
}

/// The theme's 404 page (with the reload script, so it too updates), or plain text.
fn not_found(app: &App, status: &Status) -> Response {
    match status.site.as_deref().and_then(|site| site.get("404.html")) {
        Some(FileData::Bytes(page)) => respond(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            inject(
                page,
                &Page {
                    app,
                    status,
                    workbench: None,
                },
            ),
        ),
        _ => respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found",
        ),
    }
}

/// Before the first good build there is nothing to show but the errors.
fn unbuilt(app: &App, status: &Status) -> Response {
    let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>The site has not built yet</title>\n</head>\n<body>\n<main>\n<h1>The site has not built yet</h1>\n<p>This page shows the site as soon as it builds.</p>\n</main>\n</body>\n</html>\n";
    respond(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        inject(
            page.as_bytes(),
            &Page {
                app,
                status,
                workbench: None,
            },
        ),
    )
}

fn redirect(location: &str, query: Option<&str>) -> Response {
    let target = match query {
        Some(q) => format!("{location}?{q}"),
        None => location.to_string(),
    };
    let mut response = respond(
        StatusCode::TEMPORARY_REDIRECT,
        "text/plain; charset=utf-8",
        "",
    );
    match HeaderValue::from_str(&target) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found",
        ),
    }
}

/// A response that no browser caches: a preview changes under the editor's hands.
pub(super) fn respond(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The media type of a path by its extension, with the character set of text.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || ["javascript", "json", "xml"].contains(&mime.subtype().as_str())
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The value of `key` in a query string.
fn query_value<'a>(query: Option<&'a str>, key: &str) -> Option<&'a str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// The event stream of one open page. It starts with what the page needs to know at
/// once (the current errors, or a reload if the page is older than the last good build,
/// or a `hello`), then sends one event per build.
fn events(app: &App, status: &Arc<Status>, query: Option<&str>) -> Response {
    let same_run = query_value(query, "instance").is_none_or(|i| i == app.instance);
    let since = query_value(query, "since").and_then(|s| s.parse().ok());
    let mut page = match since {
        Some(generation) if same_run => generation,
        None if same_run => status.generation,
        _ => 0,
    };
    let mut receiver = app.status.subscribe();
    receiver.mark_unchanged();
    let first = next_event(status, &mut page, true).event();
    let stream = futures_util::stream::unfold(
        (receiver, page, Some(first)),
        |(mut receiver, mut page, pending)| async move {
            if let Some(event) = pending {
                return Some((Ok::<Event, Infallible>(event), (receiver, page, None)));
            }
            receiver.changed().await.ok()?;
            let status = Arc::clone(&receiver.borrow_and_update());
            let event = next_event(&status, &mut page, false).event();
            Some((Ok(event), (receiver, page, None)))
        },
    );
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// One message to a page: the event's name and its JSON data.
#[derive(Debug)]
struct Notice {
    name: &'static str,
    data: serde_json::Value,
}

impl Notice {
    fn event(self) -> Event {
        Event::default()
            .event(self.name)
            .data(self.data.to_string())
    }
}

/// What a page that shows good build `page` must be told about `status`.
fn next_event(status: &Status, page: &mut u64, connecting: bool) -> Notice {
    if !status.errors.is_empty() {
        return Notice {
            name: "error",
            data: serde_json::json!({ "errors": status.errors }),
        };
    }
    let generation = status.generation;
    if generation <= *page {
        return Notice {
            name: "hello",
            data: serde_json::json!({ "generation": generation }),
        };
    }
    let previous = std::mem::replace(page, generation);
    match &status.stylesheets {
        Some(sheets) if !connecting && generation == previous + 1 => Notice {
            name: "css",
            data: serde_json::json!({ "generation": generation, "stylesheets": sheets }),
        },
        _ => Notice {
            name: "reload",
            data: serde_json::json!({ "generation": generation }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::access::EditAccess;
    use super::*;

    #[test]
    fn only_plain_relative_paths_name_site_files() {
        assert_eq!(site_path("").as_deref(), Some(""));
        assert_eq!(site_path("summaries/a/").as_deref(), Some("summaries/a/"));
        assert_eq!(site_path("news/caf%C3%A9/").as_deref(), Some("news/café/"));
        for raw in [
            "../site.yaml",
            "a/../../site.yaml",
            "%2e%2e/site.yaml",
            "%2E%2E/site.yaml",
            "a/%2e/b",
            "a%2fb",
            "a%2Fb",
            "..%5csite.yaml",
            "..\\site.yaml",
            "/etc/passwd",
            "a//b",
            "C:/Windows/win.ini",
            "a%00.html",
        ] {
            assert_eq!(site_path(raw), None, "{raw}");
        }
    }

    #[test]
    fn text_gets_a_character_set_and_everything_a_type() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("style.0123456789ab.css"),
            "text/css; charset=utf-8"
        );
        assert!(content_type("sitemap.xml").ends_with("xml; charset=utf-8"));
        assert_eq!(
            content_type("search/en/manifest.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("data"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let access = EditAccess::new("127.0.0.1:1111".parse().unwrap(), false).unwrap();
        let app = App {
            status: watch::channel(Arc::new(Status::default())).0,
            workbench: watch::channel(None).1,
            base_path: "/review/".into(),
            editor: Editor::new(std::path::PathBuf::new(), access),
            instance: "x".into(),
        };
        let status = Status {
            generation: 7,
            errors: vec![serde_json::json!({"message": "</script><b>"})],
            ..Status::default()
        };
        let page = Page {
            app: &app,
            status: &status,
            workbench: None,
        };
        let page = inject(b"<html><body><p>Hi</p></BODY></html>", &page);
        let page = String::from_utf8(page.to_vec()).unwrap();
        let script = page
            .find("<script src=\"/review/__chorus/reload.js\"></script>")
            .expect("script");
        assert!(script < page.find("</BODY>").unwrap());
        assert!(page.contains(r#""generation":7"#), "{page}");
        assert!(
            !page.contains("</script><b>"),
            "an error message cannot end the script element: {page}"
        );
    }

    #[test]
    fn pages_hear_of_errors_first_and_of_builds_they_missed() {
        let mut good = Status {
            generation: 3,
            site: Some(Arc::new(Default::default())),
            ..Status::default()
        };
        let event_name =
            |status: &Status, page: &mut u64, connecting| next_event(status, page, connecting).name;
        let mut page = 3;
        assert_eq!(event_name(&good, &mut page, true), "hello");
        let mut page = 2;
        assert_eq!(event_name(&good, &mut page, true), "reload");
        assert_eq!(page, 3);
        good.stylesheets = Some(Vec::new());
        let mut page = 2;
        assert_eq!(event_name(&good, &mut page, false), "css");
        let mut page = 1;
        assert_eq!(
            event_name(&good, &mut page, false),
            "reload",
            "two builds missed: reload"
        );
        good.errors = vec![serde_json::json!({"message": "bad"})];
        let mut page = 3;
        assert_eq!(event_name(&good, &mut page, true), "error");
    }
}
