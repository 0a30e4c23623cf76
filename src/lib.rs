//! Chorus: a static-site generator for the findings of public engagement.
//!
//! The build is a pipeline, one module per stage, each handing the next a plain type:
//! [`content`] (load) → [`resolve`] → [`render`] → [`search`] (index) → [`output`] (write).
//! [`pipeline`] runs them, in that order, for every command: `build`, `check`, `serve` and
//! the tests all run a [`pipeline::Session`]. `docs/architecture.md` draws the whole.

// Diagnostics travel on the error path only, once per failed run; boxing them to shrink
// `Result` would add an allocation and an indirection everywhere for no gain.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edit;
pub mod import;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod slug;
pub mod stats;
pub mod vocabulary;

pub use pipeline::{BuildOptions, Report, Session, build};

/// The default output folder of a site.
pub fn default_output(root: &std::path::Path) -> std::path::PathBuf {
    root.join("public")
}
