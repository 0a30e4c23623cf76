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
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
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
    use super::find;

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
