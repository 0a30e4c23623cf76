//! LOAD: walk `content/`, split front matter, parse typed kinds → [`Content`].

pub mod date;
pub mod front_matter;
pub mod kinds;
mod load;
pub mod plain_yaml;

pub use load::{Content, Document, MAX_FILE_BYTES, field_error, is_ignored, load, reload};
