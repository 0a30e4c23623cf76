//! Keyword rules that add themes and content notes to imported files (being written).

use super::ImportedFile;

pub fn classify(_file: &mut ImportedFile) {}
