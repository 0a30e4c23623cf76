//! The HTTP side of `serve`: the in-memory site under the base path, the live-reload
//! script, and the event stream that tells open pages to reload.
//!
//! Only files of the built site are served, looked up by exact path in memory: a request
//! path is never joined to a folder. Paths that try to climb out (`..`, `%2e%2e`), smuggle
//! a separator (`%2f`, backslashes) or look absolute are refused before the lookup anyway,
//! so that such a request is a plain 404 whatever the site holds.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tokio::sync::watch;

use super::state::Status;
use crate::output::FileData;
use crate::render::output_path;

/// The client script that every served page loads; `build` output never contains it.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// Where the server's own endpoints live, under the base path.
const RESERVED: &str = "__chorus/";

/// What every request needs.
struct App {
    status: watch::Sender<Arc<Status>>,
    base_path: String,
    /// The site root, canonical: static files are only read from inside it.
    root: PathBuf,
    /// Tells this run of the server from earlier ones, so that a page left open across a
    /// restart reloads instead of trusting a build count that started again.
    instance: String,
}

/// The server: everything under `base_path`, nothing else.
pub fn router(status: watch::Sender<Arc<Status>>, base_path: String, root: PathBuf) -> Router {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let instance = format!("{:x}{:x}", started.as_nanos(), std::process::id());
    Router::new().fallback(handle).with_state(Arc::new(App {
        status,
        base_path,
        root,
        instance,
    }))
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
    let status = Arc::clone(&app.status.borrow());
    let path = uri.path();
    let Some(rest) = path.strip_prefix(app.base_path.as_str()) else {
        if format!("{path}/") == app.base_path {
            return redirect(&app.base_path, uri.query());
        }
        return not_found(&app, &status);
    };
    match rest.strip_prefix(RESERVED) {
        Some("events") => return events(&app, &status, uri.query()),
        Some("reload.js") => {
            return respond(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                RELOAD_SCRIPT,
            );
        }
        _ => {}
    }
    let Some(site) = &status.site else {
        return unbuilt(&app, &status);
    };
    let Some(relative) = site_path(rest) else {
        return not_found(&app, &status);
    };
    let key = output_path(&relative);
    match site.get(&key) {
        Some(file) => match body(&app, &status, &key, file).await {
            Some(bytes) => respond(StatusCode::OK, &content_type(&key), bytes),
            None => not_found(&app, &status),
        },
        None if site.contains_key(&format!("{relative}/index.html")) => {
            redirect(&format!("{}{rest}/", app.base_path), uri.query())
        }
        None => not_found(&app, &status),
    }
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

/// The bytes of `file`; pages get the live-reload script. A static file is read from
/// disk only if it really lies inside the site root (a symbolic link may point out).
async fn body(app: &App, status: &Status, key: &str, file: &FileData) -> Option<Bytes> {
    match file {
        FileData::Bytes(bytes) if is_html(key) => Some(inject(bytes, app, status)),
        FileData::Bytes(bytes) => Some(bytes.clone()),
        FileData::Copy(source) => {
            let real = tokio::fs::canonicalize(source).await.ok()?;
            if !real.starts_with(&app.root) {
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
fn inject(html: &[u8], app: &App, status: &Status) -> Bytes {
    let state = serde_json::json!({
        "instance": app.instance,
        "generation": status.generation,
        "errors": status.errors,
    });
    // `<` never appears raw, so nothing in an error message can close the script element.
    let state = state.to_string().replace('<', "\\u003c");
    let snippet = format!(
        "<script type=\"application/json\" id=\"chorus-live-state\">{state}</script>\n<script src=\"{}{RESERVED}reload.js\"></script>\n",
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
            inject(page, app, status),
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
        inject(page.as_bytes(), app, status),
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
fn respond(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
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
        let app = App {
            status: watch::channel(Arc::new(Status::default())).0,
            base_path: "/review/".into(),
            root: PathBuf::new(),
            instance: "x".into(),
        };
        let status = Status {
            generation: 7,
            errors: vec![serde_json::json!({"message": "</script><b>"})],
            ..Status::default()
        };
        let page = inject(b"<html><body><p>Hi</p></BODY></html>", &app, &status);
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
