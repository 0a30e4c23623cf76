//! The edit endpoint: `POST {base}__chorus/edit`, which the edit panel of a quote's or a
//! response's page calls to write the file's front matter (`crate::edit` does the writing).
//!
//! The body is JSON: `{"path": "quotes/adults/adults-001.md", "hash": "…", "edit":
//! {"themes": […], …}}`, where `path` is relative to `content/`, `hash` the content hash the
//! page was built from and `edit` a [`FrontMatterEdit`]. The answer is JSON too: `{"hash":
//! "…"}` (the file's new hash) or `{"error": {…}}`, a diagnostic, with the status: 403 for a
//! request that is not from serve's own pages ([`super::access`]), 400 for a request or an
//! edit that is wrong, 409 for a file changed on disk since the page was made.
//!
//! Edits run one at a time, so that two saves never interleave their reads and writes.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::access::EditAccess;
use super::http::respond;
use super::workbench::Workbench;
use crate::diagnostics::Diagnostic;
use crate::edit::{FrontMatterEdit, SiteData, edit_file};

/// The largest body accepted: an edit is a few short lists.
const MAX_BODY: usize = 64 * 1024;

/// What the endpoint needs beyond the request.
pub struct Editor {
    /// The site root, canonical.
    pub root: PathBuf,
    pub access: EditAccess,
    /// Held while an edit reads and writes its file.
    lock: Mutex<()>,
}

/// One request to the endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditRequest {
    /// The file, relative to `content/`.
    path: String,
    /// The content hash of the bytes the editor's page was built from.
    hash: String,
    edit: FrontMatterEdit,
}

impl Editor {
    pub fn new(root: PathBuf, access: EditAccess) -> Editor {
        Editor {
            root,
            access,
            lock: Mutex::new(()),
        }
    }

    /// Answers one request to the endpoint, checked against `workbench` (the last good
    /// build's vocabularies).
    pub async fn answer(&self, workbench: Option<Arc<Workbench>>, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        if let Err(why) = self.access.check(&parts.headers) {
            return refusal(StatusCode::FORBIDDEN, "edit/forbidden", why);
        }
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next() == Some("application/json"));
        if !json {
            return refusal(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "edit/bad-request",
                "expected a JSON body (Content-Type: application/json)".to_string(),
            );
        }
        let Ok(body) = to_bytes(body, MAX_BODY).await else {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "edit/bad-request",
                format!("the request body is over {MAX_BODY} bytes, or did not arrive whole"),
            );
        };
        let request: EditRequest = match serde_json::from_slice(&body) {
            Ok(request) => request,
            Err(e) => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    "edit/bad-request",
                    format!(
                        "the edit is not understood: {e}; expected {{\"path\": …, \"hash\": …, \"edit\": {{…}}}}"
                    ),
                );
            }
        };
        let Some(workbench) = workbench else {
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "edit/not-built",
                "the site has not built yet, so there is nothing to check the edit against"
                    .to_string(),
            );
        };
        self.save(workbench, request).await
    }

    /// Makes the edit, one at a time.
    async fn save(&self, workbench: Arc<Workbench>, request: EditRequest) -> Response {
        let _one_at_a_time = self.lock.lock().await;
        let root = self.root.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let site = SiteData {
                config: &workbench.config,
                vocabularies: &workbench.vocabularies,
            };
            edit_file(&root, &request.path, &request.hash, &request.edit, site)
        })
        .await;
        match saved {
            Ok(Ok(hash)) => respond(
                StatusCode::OK,
                "application/json",
                serde_json::json!({ "hash": hash }).to_string(),
            ),
            Ok(Err(diagnostic)) => error(status_of(&diagnostic), &diagnostic),
            Err(e) => refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "edit/internal",
                format!("the edit stopped: {e}"),
            ),
        }
    }
}

/// The status of an edit that `edit_file` refused.
fn status_of(diagnostic: &Diagnostic) -> StatusCode {
    match diagnostic.code {
        "edit/changed-on-disk" => StatusCode::CONFLICT,
        "edit/write" | "edit/internal" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// A refusal that no file is behind.
fn refusal(status: StatusCode, code: &'static str, message: String) -> Response {
    error(status, &Diagnostic::error(code, String::new(), message))
}

fn error(status: StatusCode, diagnostic: &Diagnostic) -> Response {
    respond(
        status,
        "application/json",
        serde_json::json!({ "error": diagnostic.to_json() }).to_string(),
    )
}
