//! Chorus: a static-site generator for the findings of public engagement.

pub mod content;
pub mod import;
