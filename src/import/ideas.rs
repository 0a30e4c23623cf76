//! Parser for one kind of engagement document (being written).

use super::ImportedFile;

pub fn parse(_text: &str) -> Vec<ImportedFile> {
    Vec::new()
}
