//! Splitting a content file into YAML front matter and a Markdown body, and parsing the
//! YAML into a typed struct with positions that point into the original file.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Location, SourceText};

/// Deepest nesting of YAML collections accepted in front matter or `site.yaml`.
pub const MAX_YAML_DEPTH: usize = 32;

/// Most YAML events that aliases (`*name`) may replay in one file. Front matter has no
/// use for more, and the library's default (a million) lets an alias bomb run for seconds.
pub const MAX_YAML_ALIAS_EVENTS: usize = 10_000;

/// A file split at its `---` lines. Offsets are bytes into the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Where the YAML starts in the file (after the opening `---` line).
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Where the body starts in the file (after the closing `---` line).
    pub body_offset: usize,
}

/// A content file's text: `meta` as YAML front matter between `---` lines, a blank line,
/// then `body` with one final newline. What [`split`] and [`parse_yaml`] read back, so a
/// program that writes content (an importer) writes files the load stage accepts.
pub fn to_markdown<M: Serialize>(meta: &M, body: &str) -> Result<String, serde_saphyr::ser::Error> {
    let yaml = serde_saphyr::to_string(meta)?;
    let newline = if yaml.ends_with('\n') { "" } else { "\n" };
    Ok(format!("---\n{yaml}{newline}---\n\n{}\n", body.trim()))
}

/// Splits `text` into front matter and body. A byte-order mark is skipped; CRLF line
/// endings work like LF.
pub fn split(source: &Arc<SourceText>) -> Result<Split<'_>, Diagnostic> {
    let text = source.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    if text[start..first_line_end].trim_end() != "---" {
        let shown = text[start..first_line_end].trim_end();
        let found = if text.trim().is_empty() {
            "the file is empty".to_string()
        } else {
            format!("found `{}`", shown.chars().take(40).collect::<String>())
        };
        return Err(Diagnostic::error_at(
            "front-matter/missing",
            source,
            start,
            shown.len(),
            format!("expected front matter: the first line must be `---`; {found}"),
        )
        .with_help("start the file with a `---` line, the YAML fields, and another `---` line"));
    }
    let yaml_offset = first_line_end;
    let mut line_start = yaml_offset;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        if text[line_start..line_end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_offset..line_start],
                yaml_offset,
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        line_start = line_end;
    }
    Err(Diagnostic::error_at(
        "front-matter/unclosed",
        source,
        start,
        3,
        "the front matter opened here is never closed: expected a line `---` after the YAML fields",
    ))
}

/// Parses YAML that starts at byte `yaml_offset` of `source` into `T`. Errors point into
/// the original file.
pub fn parse_yaml<T: DeserializeOwned>(
    source: &Arc<SourceText>,
    yaml: &str,
    yaml_offset: usize,
) -> Result<T, Diagnostic> {
    if let Some(at) = indentation_tab(yaml) {
        return Err(Diagnostic::error_at(
            "yaml/tab",
            source,
            yaml_offset + at,
            1,
            "a tab is used for indentation; YAML indents with spaces only",
        )
        .with_help("replace the tab with spaces"));
    }
    if let Some(value) = super::plain_yaml::parse(yaml) {
        return Ok(value);
    }
    // Blank YAML is an empty map, so the error names the fields that are missing.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    read_with_serde_saphyr(yaml).map_err(|e| yaml_error(source, yaml, yaml_offset, &e))
}

/// Reads `yaml` with serde-saphyr under this crate's limits: what [`parse_yaml`] falls back
/// to when the plain-YAML fast path declines. Public so that the property test and the
/// `plain_yaml` fuzz target compare the fast path with exactly this reading.
pub fn read_with_serde_saphyr<T: DeserializeOwned>(yaml: &str) -> Result<T, serde_saphyr::Error> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    if let Some(budget) = options.budget.as_mut() {
        budget.max_depth = MAX_YAML_DEPTH;
    }
    options.alias_limits.max_total_replayed_events = MAX_YAML_ALIAS_EVENTS;
    serde_saphyr::from_str_with_options(yaml, options)
}

/// The byte offset of the first tab in a line's indentation, if any.
fn indentation_tab(yaml: &str) -> Option<usize> {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(pos + i);
        }
        pos += line.len();
    }
    None
}

fn yaml_error(
    source: &Arc<SourceText>,
    yaml: &str,
    yaml_offset: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let message = plain_message(error);
    let (code, help) = classify_message(&message);
    let location = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Location::from_line_column(yaml, l.line() as usize, l.column() as usize));
    let diagnostic = match location {
        Some(l) => {
            let at = Location::at(&source.text, yaml_offset + l.offset, 1);
            Diagnostic::error_at_location(code, source, at, message)
        }
        None => Diagnostic::error_at(code, source, yaml_offset, 0, message),
    };
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// The error's message without the position the library appends (we show our own).
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let text = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    let text = text
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(text);
    match text.trim() {
        "invalid i32" | "invalid i64" => "expected a whole number".to_string(),
        "invalid u32" | "invalid u64" => "expected a whole number, 0 or more".to_string(),
        "expected string scalar" => "expected text".to_string(),
        "expected mapping start" => "expected `key: value` fields here".to_string(),
        "expected sequence start" => "expected a list here, e.g. `[a, b]`".to_string(),
        other => other.to_string(),
    }
}

fn classify_message(message: &str) -> (&'static str, Option<&'static str>) {
    if message.contains("unknown field") {
        (
            "front-matter/unknown-key",
            Some("remove the key or correct its spelling to one of the expected keys"),
        )
    } else if message.contains("missing field") {
        ("front-matter/missing-key", Some("add the field"))
    } else if message.contains("duplicate") {
        ("yaml/duplicate-key", Some("keep only one of the two keys"))
    } else if message.contains("invalid type")
        || message.contains("invalid value")
        || [
            "expected text",
            "expected a whole number",
            "expected a list here",
            "expected `key: value` fields here",
        ]
        .iter()
        .any(|expected| message.starts_with(expected))
    {
        ("front-matter/wrong-type", None)
    } else if message.contains("budget") || message.contains("depth") || message.contains("alias") {
        (
            "yaml/too-large",
            Some("simplify the YAML: deep nesting and repeated aliases are not accepted"),
        )
    } else if message.contains("date") {
        ("front-matter/invalid-date", None)
    } else {
        ("yaml/syntax", None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kinds::SectionMeta;

    fn source(text: &str) -> Arc<SourceText> {
        Arc::new(SourceText {
            name: "content/summaries/s/a.md".to_string(),
            text: text.to_string(),
        })
    }

    fn parse(text: &str) -> Result<SectionMeta, Diagnostic> {
        let source = source(text);
        let parts = split(&source)?;
        parse_yaml(&source, parts.yaml, parts.yaml_offset)
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(meta) => panic!("expected an error, parsed {meta:?}"),
            Err(d) => d.to_string(),
        }
    }

    #[test]
    fn unknown_key_lists_the_allowed_keys_at_its_line() {
        let e = error("---\ntitle: A\nweight: 1\ncolour: red\n---\nbody");
        assert!(e.starts_with("content/summaries/s/a.md:4:1:"), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");
        assert!(e.contains("title, weight, themes"), "{e}");
    }

    #[test]
    fn missing_field_and_wrong_type_are_named() {
        assert!(error("---\ntitle: A\n---\n").contains("missing field `weight`"));
        let e = error("---\ntitle: A\nweight: one\n---\n");
        assert!(e.starts_with("content/summaries/s/a.md:3:9:"), "{e}");
        assert!(e.contains("expected a whole number"), "{e}");
    }

    #[test]
    fn duplicate_keys_and_tabs_are_errors() {
        let e = error("---\ntitle: A\ntitle: B\nweight: 1\n---\n");
        assert!(e.contains(":3:1:") && e.contains("duplicate"), "{e}");
        assert!(!e.contains("DuplicateKeyPolicy"), "{e}");
        let e = error("---\ntitle: A\n\tweight: 1\n---\n");
        assert!(e.contains(":3:1:") && e.contains("tab"), "{e}");
    }

    #[test]
    fn crlf_and_byte_order_mark_work() {
        for text in [
            "---\r\ntitle: A\r\nweight: 1\r\n---\r\nbody",
            "\u{feff}---\ntitle: A\nweight: 1\n---\nbody",
        ] {
            let meta = parse(text).unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(meta.title, "A");
        }
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_explained() {
        assert!(error("").contains("the file is empty"));
        assert!(error("# Title\n").contains("the first line must be `---`"));
        assert!(error("---\ntitle: A\n").contains("never closed"));
    }

    #[test]
    fn library_jargon_becomes_what_was_expected() {
        assert!(
            error("---\n---\nbody")
                .contains(":2:1: error[front-matter/missing-key]: missing field `title`")
        );
        assert!(error("---\n- a\n---\n").contains("expected `key: value` fields here"));
        let e = error("---\ntitle: A\nweight: 1\nthemes: workforce\n---\n");
        assert!(
            e.contains(":4:9: error[front-matter/wrong-type]: expected a list here"),
            "{e}"
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!(
            "---\ntitle: {}{}\nweight: 1\n---\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(error(&deep).contains(":2:"));
    }
}
