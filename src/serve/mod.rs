//! SERVE: a live preview for editors. `chorus serve` builds the site into memory, serves
//! it over HTTP, watches the sources and rebuilds after every save; open pages reload by
//! themselves, or show the errors of a broken build over the last good site.
//!
//! Nothing here writes to disk: the `public/` that `chorus build` produced stays as it
//! was. The pieces, one module each: [`watch`] turns file-system events into one batch per
//! save or checkout, [`state`] builds (after a save, only the pages it touched) and
//! keeps the last good site and the current errors, [`http`] serves them and pushes every
//! change to open pages.
//!
//! The editors' workbench lives here too, because only a preview may write content: the
//! [`workbench`] describes each good build for editing, [`panel`] makes the edit panel and
//! the review queues, [`edit`] is the endpoint that saves an edit, and [`access`] decides
//! who may call it.

mod access;
mod edit;
mod http;
mod panel;
mod state;
mod watch;
mod workbench;

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::BaseUrl;
use crate::pipeline::BuildOptions;
use access::EditAccess;
pub use state::{Builder, Status};

/// What `chorus serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root folder (the one that holds `site.yaml`).
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// The address to listen on: loopback unless the editor asks otherwise.
    pub bind: IpAddr,
    /// The address the site is built for; its path part is the prefix the server answers
    /// under. Defaults to the address the server listens on.
    pub base_url: Option<String>,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Include files marked `draft: true`.
    pub drafts: bool,
    /// Allow editing from the pages when `bind` is not loopback (other machines can reach
    /// the endpoint, with the token their pages carry).
    pub allow_remote_editing: bool,
}

/// Why the server could not start. Build errors are not here: they never stop it.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the site folder {0}: {1}")]
    Root(PathBuf, std::io::Error),
    /// The message names the address.
    #[error("--base-url: {0}")]
    BaseUrl(String),
    #[error("cannot make the token that guards editing: {0}")]
    Token(getrandom::Error),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify::Error),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Builds the site, serves it and rebuilds on every change until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| ServeError::Root(options.root.clone(), e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(root, options));
    // Open event streams would keep a graceful shutdown waiting for ever; they end with the process.
    runtime.shutdown_background();
    result
}

async fn run(root: PathBuf, options: &ServeOptions) -> Result<(), ServeError> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| ServeError::Bind(address, e))?;
    let local = listener.local_addr()?;
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}/"));
    let base_path = BaseUrl::parse(&base_url).map_err(ServeError::BaseUrl)?.path;
    if let Some(warning) = exposure_warning(options.bind) {
        eprintln!("{warning}");
    }
    if let Some(warning) = editing_warning(options.bind, options.allow_remote_editing) {
        eprintln!("{warning}");
    }
    let access = EditAccess::new(local, options.allow_remote_editing).map_err(ServeError::Token)?;

    let build_options = BuildOptions {
        base_url: Some(base_url),
        drafts: options.drafts,
        compress: false,
    };
    let builder = Arc::new(Builder::new(
        root.clone(),
        build_options,
        base_path.clone(),
        std::io::stderr().is_terminal(),
    ));
    // Watch before the first build so that nothing saved while it runs is missed.
    let rebuilder = Arc::clone(&builder);
    watch::start(&root, move |batch| rebuilder.build(batch))?;
    let first = Arc::clone(&builder);
    tokio::task::spawn_blocking(move || first.build(&[]))
        .await
        .map_err(std::io::Error::other)?;

    let url = format!("http://{local}{base_path}");
    println!("Serving {url} — press Ctrl-C to stop");
    if access.token().is_some() {
        println!("Review queues and edit panels: {url}__chorus/queues");
    }
    if options.open {
        open_browser(&url);
    }
    let editor = edit::Editor::new(root, access);
    let app = http::router(builder.status(), builder.workbench(), base_path, editor);
    tokio::select! {
        served = axum::serve(listener, app) => served?,
        _ = tokio::signal::ctrl_c() => println!("Stopped"),
    }
    Ok(())
}

/// A warning for an address other machines can reach: a preview may hold drafts and
/// unpublished findings, so it should only be exposed on purpose.
fn exposure_warning(bind: IpAddr) -> Option<String> {
    (!bind.is_loopback()).then(|| {
        format!(
            "warning: serving on {bind}, which other machines on the network can reach; \
             the preview may show drafts and unpublished content"
        )
    })
}

/// What becomes of editing on an address other machines can reach: off, or on because
/// the editor asked, and anyone who can reach it and read a page can then write content.
fn editing_warning(bind: IpAddr, allow_remote: bool) -> Option<String> {
    if bind.is_loopback() {
        return None;
    }
    Some(if allow_remote {
        format!(
            "warning: --allow-remote-editing: anyone who can reach {bind} and open a page can              change content files through the edit panel"
        )
    } else {
        format!(
            "editing is off, because serve listens on {bind}: pass --allow-remote-editing to              edit from the pages anyway"
        )
    })
}

/// Opens `url` in the default browser; a failure only costs the convenience.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = command {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_beyond_loopback_are_warned_about() {
        assert!(exposure_warning("127.0.0.1".parse().unwrap()).is_none());
        assert!(exposure_warning("::1".parse().unwrap()).is_none());
        let warning = exposure_warning("0.0.0.0".parse().unwrap()).unwrap();
        assert!(
            warning.contains("0.0.0.0") && warning.contains("other machines"),
            "{warning}"
        );
        assert!(exposure_warning("192.168.1.20".parse().unwrap()).is_some());
    }

    #[test]
    fn editing_beyond_loopback_is_off_or_warned_about() {
        assert!(editing_warning("127.0.0.1".parse().unwrap(), true).is_none());
        let off = editing_warning("0.0.0.0".parse().unwrap(), false).unwrap();
        assert!(off.contains("editing is off"), "{off}");
        let on = editing_warning("0.0.0.0".parse().unwrap(), true).unwrap();
        assert!(on.contains("anyone"), "{on}");
    }
}
