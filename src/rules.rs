//! Keyword rules: the one matcher behind `chorus check`'s missing-content-note lint and
//! the themes and content notes an importer gives by keyword (the review's importer uses
//! it), so that the two can never disagree about what a passage mentions.
//!
//! A keyword matches whole words only; capitals do not matter, except in a keyword written
//! all in capitals (an acronym such as `SEND`), which matches only in capitals so that the
//! verb "send" does not; curly and straight apostrophes are the same; the words of a phrase
//! may be split by any whitespace. Where keywords of two rules overlap in the text, the
//! longer one wins: "Department for Education" is a keyword of National Government, so it
//! does not also count as the word "education" for the Education theme.

use std::ops::Range;

/// A label (theme slug or content note) and the keywords that call for it.
#[derive(Debug, Clone)]
pub struct KeywordRule {
    pub label: String,
    keywords: Vec<Keyword>,
}

/// One keyword, normalised as the text it is looked for in.
#[derive(Debug, Clone)]
struct Keyword {
    /// Lowercase, unless `exact_case`.
    text: String,
    /// An all-capitals acronym: matched against the text as written, not lowercased.
    exact_case: bool,
}

impl KeywordRule {
    pub fn new(label: &str, keywords: &[String]) -> KeywordRule {
        KeywordRule {
            label: label.to_string(),
            keywords: keywords
                .iter()
                .filter_map(|keyword| Keyword::new(keyword))
                .collect(),
        }
    }
}

impl Keyword {
    /// `None` for a keyword with no letters or digits, which would match everywhere.
    fn new(keyword: &str) -> Option<Keyword> {
        let text = normalise(keyword).text;
        if !text.chars().any(char::is_alphanumeric) {
            return None;
        }
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let exact_case = letters >= 2 && !text.chars().any(char::is_lowercase);
        Some(Keyword {
            text: if exact_case { text } else { lowercase(&text) },
            exact_case,
        })
    }
}

/// A text prepared for keyword search: normalised as written, and lowercased with the same
/// byte offsets so that matches found in either can be compared; each byte of the
/// normalised text remembers where its character was in the original, so a match can be
/// shown where the reader wrote it.
pub struct Haystack {
    as_written: String,
    lowercase: String,
    /// For each byte of `as_written`, the original byte range of the character it came from.
    origin: Vec<Range<usize>>,
}

/// Where a keyword occurs: byte offsets in the normalised text.
type Span = (usize, usize);

impl Haystack {
    pub fn new(text: &str) -> Haystack {
        let Normalised { text, origin } = normalise(text);
        let lowercase = lowercase(&text);
        Haystack {
            as_written: text,
            lowercase,
            origin,
        }
    }

    /// Every place `keyword` occurs as whole words.
    fn find(&self, keyword: &Keyword) -> Vec<Span> {
        let text = if keyword.exact_case {
            &self.as_written
        } else {
            &self.lowercase
        };
        text.match_indices(keyword.text.as_str())
            .map(|(start, found)| (start, start + found.len()))
            .filter(|&(start, end)| {
                let before = text[..start].chars().next_back();
                let after = text[end..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .collect()
    }

    /// The byte range of the original text that a span of the normalised text came from.
    fn original(&self, (start, end): Span) -> Range<usize> {
        let from = self.origin.get(start).map_or(0, |r| r.start);
        let to = end
            .checked_sub(1)
            .and_then(|last| self.origin.get(last))
            .map_or(from, |r| r.end);
        from..to.max(from)
    }
}

/// For each rule, where in the original text its first keyword occurs that no longer
/// keyword of another rule covers; `None` where the rule does not match.
pub fn first_matches(rules: &[KeywordRule], text: &Haystack) -> Vec<Option<Range<usize>>> {
    let spans: Vec<Vec<Span>> = rules
        .iter()
        .map(|rule| {
            let mut found: Vec<Span> = rule.keywords.iter().flat_map(|k| text.find(k)).collect();
            found.sort_unstable();
            found
        })
        .collect();
    let covered = |rule: usize, (start, end): Span| {
        spans.iter().enumerate().any(|(other, found)| {
            other != rule
                && found
                    .iter()
                    .any(|&(s, e)| s <= start && end <= e && e - s > end - start)
        })
    };
    spans
        .iter()
        .enumerate()
        .map(|(rule, found)| {
            found
                .iter()
                .find(|&&span| !covered(rule, span))
                .map(|&span| text.original(span))
        })
        .collect()
}

/// The words of a Markdown body with quote shortcodes and link targets blanked out, since
/// their ids and paths (`kinship-care-003`) are not prose and could look like keywords.
/// Blanked text becomes spaces of the same length, so offsets stay those of the body.
pub fn prose(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let blank = |out: &mut String, text: &str| out.extend(std::iter::repeat_n(' ', text.len()));
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{{")
            && let Some(end) = after.find("}}")
        {
            blank(&mut out, &rest[..end + 4]);
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("](")
            && let Some(end) = after.find(')')
        {
            out.push(']');
            blank(&mut out, &rest[1..end + 3]);
            rest = &after[end + 1..];
        } else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
    }
    out
}

/// Lowercases character by character, keeping a character whose lowercase form has another
/// length in bytes (rare, e.g. `İ`), so that offsets stay those of the text as written.
fn lowercase(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// A normalised text and, for each of its bytes, the original range it came from.
struct Normalised {
    text: String,
    origin: Vec<Range<usize>>,
}

/// Normalises text and keywords alike: Markdown's backslash escapes dropped, apostrophes
/// (’ ‘ ´ `) made straight, every run of whitespace made one space.
fn normalise(text: &str) -> Normalised {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut space: Option<Range<usize>> = None;
    while let Some((at, c)) = chars.next() {
        let c = match c {
            '\\' if chars
                .peek()
                .is_some_and(|(_, next)| next.is_ascii_punctuation()) =>
            {
                continue;
            }
            '\u{2019}' | '\u{2018}' | '\u{b4}' | '`' => '\'',
            c => c,
        };
        let range = at..at + text[at..].chars().next().map_or(1, char::len_utf8);
        if c.is_whitespace() {
            if !out.is_empty() && space.is_none() {
                space = Some(range);
            }
            continue;
        }
        if let Some(range) = space.take() {
            out.push(' ');
            origin.push(range);
        }
        out.push(c);
        origin.extend(std::iter::repeat_n(range, c.len_utf8()));
    }
    Normalised { text: out, origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(label: &str, keywords: &[&str]) -> KeywordRule {
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        KeywordRule::new(label, &keywords)
    }

    fn found<'a>(rules: &[KeywordRule], text: &'a str) -> Vec<Option<&'a str>> {
        first_matches(rules, &Haystack::new(text))
            .into_iter()
            .map(|m| m.map(|r| &text[r]))
            .collect()
    }

    #[test]
    fn a_match_is_shown_where_it_was_written() {
        let rules = [rule("abuse", &["domestic abuse"])];
        let text = "Café — the \u{2019}domestic\n   Abuse\u{2019} team";
        assert_eq!(found(&rules, text), [Some("domestic\n   Abuse")]);
    }

    #[test]
    fn whole_words_acronyms_and_overlaps() {
        let rules = [
            rule("send", &["SEND"]),
            rule("edu", &["education"]),
            rule("gov", &["Department for Education"]),
        ];
        assert_eq!(found(&rules, "please send it"), [None, None, None]);
        assert_eq!(found(&rules, "SEND support"), [Some("SEND"), None, None]);
        assert_eq!(
            found(&rules, "the Department for Education"),
            [None, None, Some("Department for Education")]
        );
        assert_eq!(found(&rules, "educational"), [None, None, None]);
    }

    #[test]
    fn prose_keeps_offsets_and_blanks_shortcodes_and_link_targets() {
        let body = "Rape {{ quote(id=\"rape-1\") }} and [x](@/rape.md) end";
        let text = prose(body);
        assert_eq!(text.len(), body.len());
        let shortcode = "{{ quote(id=\"rape-1\") }}".len();
        assert_eq!(
            text,
            format!(
                "Rape {} and [x]{} end",
                " ".repeat(shortcode),
                " ".repeat("(@/rape.md)".len())
            )
        );
        let rules = [rule("sexual abuse", &["rape"])];
        let matches = first_matches(&rules, &Haystack::new(&text));
        assert_eq!(matches, [Some(0..4)]);
    }
}
