//! LOAD: walk `content/`, split front matter, parse typed kinds.

pub mod date;
pub mod kinds;
