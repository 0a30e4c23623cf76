//! The quote shortcode: `{{ quote(id="workforce-012") }}` on a line of its own places a
//! quote at that exact position of a section.

use std::ops::Range;

/// A shortcode found in a body, with its byte range in that body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub id: String,
    /// The whole line, without its line ending.
    pub range: Range<usize>,
}

/// A line that starts like a shortcode but is not a valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub range: Range<usize>,
    pub message: String,
}

/// Finds every shortcode line in `body`, skipping fenced code blocks.
pub fn find(body: &str) -> (Vec<Shortcode>, Vec<ShortcodeError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (start, content) in lines_outside_fences(body) {
        let trimmed = content.trim();
        if !trimmed.starts_with("{{") {
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let range = start + lead..start + lead + trimmed.len();
        match parse_line(trimmed) {
            Ok(id) => found.push(Shortcode { id, range }),
            Err(message) => errors.push(ShortcodeError { range, message }),
        }
    }
    (found, errors)
}

/// Every piece of `body` that looks like a shortcode, `{{` and a `}}` later on its line,
/// outside fenced code and code spans. A `{{` after a backslash (`\{{`) is text: that is
/// how a writer shows the braces themselves.
///
/// Almost no body holds a `{{`: those are passed over with one search of the whole body,
/// since every build (and every preview edit) checks every body of the site.
pub fn lookalikes(body: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    if memchr::memmem::find(body.as_bytes(), b"{{").is_none() {
        return found;
    }
    for (start, content) in lines_outside_fences(body) {
        if !content.contains("{{") {
            continue;
        }
        let spans = code_spans(content);
        let mut from = 0;
        while let Some(at) = content[from..].find("{{").map(|i| from + i) {
            from = at + 2;
            let escaped = content[..at].ends_with('\\');
            let in_code = spans.iter().any(|span| span.contains(&at));
            let Some(close) = content[at + 2..].find("}}") else {
                break;
            };
            if !escaped && !in_code {
                found.push(start + at..start + at + 2 + close + 2);
                from = at + 2 + close + 2;
            }
        }
    }
    found
}

/// Each line of `body` outside fenced code blocks: its start and its text without the
/// line ending.
fn lines_outside_fences(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    body.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            return None;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            return None;
        }
        Some((start, content))
    })
}

/// The byte ranges of a line's code spans: a run of backticks up to the next run of the
/// same length.
fn code_spans(line: &str) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = run_at(i);
        let mut j = i + run;
        let mut closed = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let other = run_at(j);
                if other == run {
                    closed = Some(j + other);
                    break;
                }
                j += other;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                spans.push(i..end);
                i = end;
            }
            None => i += run,
        }
    }
    spans
}

/// Parses `{{ quote(id="…") }}`, saying what was expected where it is not.
fn parse_line(line: &str) -> Result<String, String> {
    const FORM: &str = r#"expected a shortcode of the form {{ quote(id="…") }}"#;
    let inner = line
        .strip_prefix("{{")
        .ok_or_else(|| FORM.to_string())?
        .strip_suffix("}}")
        .ok_or_else(|| format!("the shortcode is not closed with `}}}}` on the same line; {FORM}"))?
        .trim();
    let args = inner
        .strip_prefix("quote")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('('))
        .and_then(|rest| rest.trim_end().strip_suffix(')'))
        .ok_or_else(|| {
            let name: String = inner
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || name == "quote" {
                FORM.to_string()
            } else {
                format!("unknown shortcode `{name}`: the only shortcode is `quote`; {FORM}")
            }
        })?
        .trim();
    let value = args
        .strip_prefix("id")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('='))
        .map(str::trim)
        .ok_or_else(|| format!("the quote shortcode takes one argument, `id`; {FORM}"))?;
    let id = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| format!("the id must be in double quotes; {FORM}"))?;
    if id.is_empty() || id.contains('"') {
        return Err(format!("the id is empty or malformed; {FORM}"));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::{find, lookalikes};

    #[test]
    fn lookalikes_skip_code_and_escaped_braces() {
        let body = "See {{ quote(id=\"a\") }} here.\n`{{ x }}` and ``{{ y }}`` \\{{ z }}\n```\n{{ w }}\n```\n{{ v }}\n";
        let found: Vec<&str> = lookalikes(body).into_iter().map(|r| &body[r]).collect();
        assert_eq!(found, ["{{ quote(id=\"a\") }}", "{{ v }}"]);
    }

    #[test]
    fn finds_shortcodes_with_their_ranges() {
        let body =
            "Text.\n\n  {{ quote(id=\"workforce-012\") }}\n\nMore.\n{{quote( id = \"a-1\" )}}\n";
        let (found, errors) = find(body);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].id, "workforce-012");
        assert_eq!(
            &body[found[0].range.clone()],
            "{{ quote(id=\"workforce-012\") }}"
        );
        assert_eq!(found[1].id, "a-1");
    }

    #[test]
    fn unclosed_and_unknown_shortcodes_are_errors() {
        let (_, errors) = find("{{ quote(id=\"x\")\n{{ video(id=\"y\") }}\n{{ quote(id=x) }}\n");
        assert_eq!(errors.len(), 3);
        assert!(
            errors[0].message.contains("not closed"),
            "{}",
            errors[0].message
        );
        assert!(errors[1].message.contains("unknown shortcode `video`"));
        assert!(errors[2].message.contains("double quotes"));
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let (found, errors) = find("```\n{{ quote(id=\"x\") }}\n```\n");
        assert!(found.is_empty() && errors.is_empty());
    }
}
