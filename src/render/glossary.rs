//! The glossary: on every page, the first use of each known acronym in the main content
//! is wrapped in `<abbr title="…">`, so readers and screen readers can learn what it means.

use std::collections::{HashMap, HashSet};

use crate::vocabulary::GlossaryEntry;

/// Elements whose text is left alone: code, scripts, SVG (where `<abbr>` is not allowed),
/// form controls, and existing abbreviations.
const SKIPPED: [&str; 10] = [
    "code", "pre", "script", "style", "abbr", "svg", "title", "textarea", "select", "option",
];

/// The glossary, indexed by each term's first byte for a single pass over the text.
pub struct Glossary {
    by_first_byte: HashMap<u8, Vec<(String, String)>>,
    /// Whether any term starts with this byte: most bytes are rejected without a lookup.
    starts: [bool; 256],
    terms: usize,
}

impl Glossary {
    pub fn new(entries: &[GlossaryEntry]) -> Glossary {
        let mut by_first_byte: HashMap<u8, Vec<(String, String)>> = HashMap::new();
        for entry in entries {
            if let Some(&first) = entry.term.as_bytes().first() {
                by_first_byte
                    .entry(first)
                    .or_default()
                    .push((entry.term.clone(), escape_attribute(&entry.expansion)));
            }
        }
        let mut starts = [false; 256];
        for (first, terms) in &mut by_first_byte {
            terms.sort_by_key(|term| std::cmp::Reverse(term.0.len()));
            starts[usize::from(*first)] = true;
        }
        let terms = by_first_byte.values().map(Vec::len).sum();
        Glossary {
            by_first_byte,
            starts,
            terms,
        }
    }

    /// Wraps the first use of each term inside `<main>…</main>` of a page.
    pub fn apply(&self, html: &str) -> String {
        if self.by_first_byte.is_empty() {
            return html.to_string();
        }
        let (Some(start), Some(end)) = (html.find("<main"), html.rfind("</main>")) else {
            return html.to_string();
        };
        let mut out = String::with_capacity(html.len() + 256);
        out.push_str(&html[..start]);
        let mut used = HashSet::new();
        let mut skip_depth = 0usize;
        let mut rest = &html[start..end];
        while !rest.is_empty() {
            match rest.find('<') {
                Some(0) => {
                    let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                    let tag = &rest[..tag_end];
                    if let Some(name) = tag_name(tag)
                        && SKIPPED.contains(&name.as_str())
                        && !tag.ends_with("/>")
                    {
                        if tag.starts_with("</") {
                            skip_depth = skip_depth.saturating_sub(1);
                        } else {
                            skip_depth += 1;
                        }
                    }
                    out.push_str(tag);
                    rest = &rest[tag_end..];
                }
                found => {
                    let text_end = found.unwrap_or(rest.len());
                    let text = &rest[..text_end];
                    if skip_depth == 0 && used.len() < self.terms {
                        self.wrap(text, &mut used, &mut out);
                    } else {
                        out.push_str(text);
                    }
                    rest = &rest[text_end..];
                }
            }
        }
        out.push_str(&html[end..]);
        out
    }

    fn wrap<'a>(&'a self, text: &str, used: &mut HashSet<&'a str>, out: &mut String) {
        let bytes = text.as_bytes();
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let candidates =
                if self.starts[usize::from(bytes[i])] && (i == 0 || !is_word_byte(bytes[i - 1])) {
                    self.by_first_byte.get(&bytes[i])
                } else {
                    None
                };
            let matched = candidates.and_then(|terms| {
                terms.iter().find(|(term, _)| {
                    !used.contains(term.as_str())
                        && text[i..].starts_with(term.as_str())
                        && bytes.get(i + term.len()).is_none_or(|&b| !is_word_byte(b))
                })
            });
            match matched {
                Some((term, expansion)) => {
                    out.push_str(&text[copied..i]);
                    out.push_str("<abbr title=\"");
                    out.push_str(expansion);
                    out.push_str("\">");
                    out.push_str(term);
                    out.push_str("</abbr>");
                    used.insert(term.as_str());
                    i += term.len();
                    copied = i;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[copied..]);
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The lower-case element name of a tag such as `<a href=…>` or `</svg>`.
fn tag_name(tag: &str) -> Option<String> {
    let inner = tag.strip_prefix("</").or_else(|| tag.strip_prefix('<'))?;
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(&[
            GlossaryEntry {
                term: "SGO".into(),
                expansion: "Special Guardianship Order".into(),
            },
            GlossaryEntry {
                term: "EHC plan".into(),
                expansion: "Education, Health and Care plan".into(),
            },
            GlossaryEntry {
                term: "CP".into(),
                expansion: "Child protection \"plan\"".into(),
            },
        ])
    }

    #[test]
    fn first_use_in_main_is_wrapped_once() {
        let html = "<title>SGO</title><main><p>An SGO and another SGO.</p><p>An EHC plan</p></main><footer>SGO</footer>";
        let out = glossary().apply(html);
        assert_eq!(
            out,
            "<title>SGO</title><main><p>An <abbr title=\"Special Guardianship Order\">SGO</abbr> and another SGO.</p><p>An <abbr title=\"Education, Health and Care plan\">EHC plan</abbr></p></main><footer>SGO</footer>"
        );
    }

    #[test]
    fn whole_words_only_and_not_in_code_or_svg() {
        let out = glossary()
            .apply("<main><code>CP</code><svg><text>CP</text></svg><p>SGOs CPR CP.</p></main>");
        assert!(out.contains("<code>CP</code>"), "{out}");
        assert!(out.contains("<text>CP</text>"), "{out}");
        assert!(
            out.contains("SGOs CPR <abbr title=\"Child protection &quot;plan&quot;\">CP</abbr>."),
            "{out}"
        );
    }
}
