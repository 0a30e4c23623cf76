//! LOAD: walk `content/`, split front matter, parse typed kinds → [`Content`].

pub mod date;
pub mod front_matter;
pub mod kinds;
mod load;
pub mod plain_yaml;

pub use load::{
    Content, Document, Kind, MAX_FILE_BYTES, field_error, is_ignored, kind_of, load, reload,
};
