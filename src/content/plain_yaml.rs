//! A fast path for the plainest front matter: `key: value` lines and lists of `- item`
//! lines, as importers write them for every quote and response.
//!
//! serde-saphyr spends about 100,000 instructions on each of these tiny files: most of the
//! load stage of the site in this repository, and a tenth of its whole build. This module reads them
//! for a small part of that, but only takes what it is sure of. A value that YAML might read as anything
//! but text (`yes`, `~`, `010`, `2022-05-23`), a comment, a nested map, an escape, a flow
//! list, a control character, a key given twice, a field of the wrong type or an unknown
//! field: every one is a *miss*, and the caller hands the file to serde-saphyr instead. So
//! every file that is not plain, and every error message, stays serde-saphyr's, and a plain
//! file gives the same struct either way. The tests compare both on every file of the
//! repository's content and on generated front matter of every kind; the fuzz target
//! `plain_yaml` compares them on any text.

use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// Reads `yaml` into `T` if it is plain front matter of the shape described above; `None`
/// when serde-saphyr must read it.
pub fn parse<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    let entries = entries(yaml)?;
    T::deserialize(MapDeserializer::new(entries.into_iter())).ok()
}

/// The reason a file is left to serde-saphyr; there is no need to say more.
#[derive(Debug)]
struct Miss;

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not plain front matter")
    }
}

impl std::error::Error for Miss {}

impl de::Error for Miss {
    fn custom<M: fmt::Display>(_: M) -> Miss {
        Miss
    }
}

/// One scalar: its text, and whether it was quoted (a quoted scalar is always text).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scalar<'a> {
    text: &'a str,
    quoted: bool,
}

/// The value of a key: one scalar or a list of them.
#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    Scalar(Scalar<'a>),
    List(Vec<Scalar<'a>>),
}

/// The keys and values of `yaml`, in order, or `None` if it is not plain.
fn entries(yaml: &str) -> Option<Vec<(&str, Node<'_>)>> {
    if yaml.contains(rules_out) {
        return None;
    }
    let mut entries: Vec<(&str, Node<'_>)> = Vec::with_capacity(8);
    // The indentation of the items of the list being read: all must share it, or YAML
    // would read a more indented `- x` as part of the item before.
    let mut item_indent = None;
    for line in yaml.lines() {
        if is_blank(line) {
            continue;
        }
        if let Some((indent, item)) = list_item(line) {
            if *item_indent.get_or_insert(indent) != indent {
                return None;
            }
            match entries.last_mut() {
                Some((_, Node::List(items))) => items.push(scalar(item)?),
                _ => return None,
            }
            continue;
        }
        item_indent = None;
        let (key, value) = line.split_once(':')?;
        if !is_key(key) || entries.iter().any(|(seen, _)| *seen == key) {
            return None;
        }
        // `key:value` is one plain scalar in YAML, not a key and a value.
        let value = match value.strip_prefix(' ') {
            Some(value) => value,
            None if value.is_empty() => value,
            None => return None,
        };
        let node = if is_blank(value) {
            Node::List(Vec::new())
        } else {
            Node::Scalar(scalar(value)?)
        };
        entries.push((key, node));
    }
    // A key with nothing under it is null in YAML, not an empty list.
    if entries
        .iter()
        .any(|(_, node)| matches!(node, Node::List(items) if items.is_empty()))
    {
        return None;
    }
    Some(entries)
}

/// Whether `c` anywhere sends the file to serde-saphyr: a comment, an escape, or a
/// character that YAML forbids or treats apart. That is a control character (a tab or a
/// carriage return among them; serde-saphyr refuses the others but U+0085, which YAML 1.1
/// reads as a line break), a byte-order mark (refused where a value or a line starts) and
/// the non-characters U+FFFE and U+FFFF (refused).
fn rules_out(c: char) -> bool {
    matches!(c, '#' | '\\' | '\u{feff}' | '\u{fffe}' | '\u{ffff}') || (c.is_control() && c != '\n')
}

/// Whether a line or a value is blank. Only spaces count: YAML reads a no-break space or
/// any other Unicode space as text.
fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b == b' ')
}

/// The indentation and the item of a `- item` line.
fn list_item(line: &str) -> Option<(usize, &str)> {
    let item = line.trim_start_matches(' ');
    Some((line.len() - item.len(), item.strip_prefix("- ")?))
}

/// A key as importers write them: lower-case letters and underscores at the start of
/// the line.
fn is_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// A single-line scalar: double-quoted without escapes, single-quoted without `''`, or
/// plain. A plain scalar may not begin with a YAML indicator nor hold `: ` (which would
/// make it a map) and ends where the line does, less trailing spaces.
fn scalar(value: &str) -> Option<Scalar<'_>> {
    let value = value.trim_end_matches(' ');
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            let text = rest.strip_suffix(quote)?;
            return (!text.contains(quote)).then_some(Scalar { text, quoted: true });
        }
    }
    let first = value.chars().next()?;
    if first == ' ' || "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return None;
    }
    if value.ends_with(':') || value.contains(": ") {
        return None;
    }
    Some(Scalar {
        text: value,
        quoted: false,
    })
}

impl<'a> Scalar<'a> {
    /// The text, if YAML can only read this scalar as text: quoted, or plain and not like
    /// a null, a boolean (of YAML 1.1 or 1.2), a number or a date.
    fn text(self) -> Result<&'a str, Miss> {
        const NOT_TEXT: [&str; 22] = [
            "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
            "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        ];
        if self.quoted {
            return Ok(self.text);
        }
        let looks_numeric = self
            .text
            .starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '.');
        let one_letter = matches!(self.text, "y" | "Y" | "n" | "N");
        if looks_numeric || one_letter || NOT_TEXT.contains(&self.text) {
            Err(Miss)
        } else {
            Ok(self.text)
        }
    }

    /// A whole number written plainly, without sign, leading zero or separators.
    fn number(self) -> Result<u64, Miss> {
        let digits = self.text;
        let plain = !self.quoted
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if plain {
            digits.parse().map_err(|_| Miss)
        } else {
            Err(Miss)
        }
    }
}

impl<'de> IntoDeserializer<'de, Miss> for Node<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> IntoDeserializer<'de, Miss> for Scalar<'de> {
    type Deserializer = Node<'de>;

    fn into_deserializer(self) -> Node<'de> {
        Node::Scalar(self)
    }
}

impl<'de> Node<'de> {
    fn scalar(&self) -> Result<Scalar<'de>, Miss> {
        match self {
            Node::Scalar(scalar) => Ok(*scalar),
            Node::List(_) => Err(Miss),
        }
    }
}

/// The integer requests: all are answered from [`Scalar::number`], and serde's own visitor
/// refuses a number out of the field's range (which makes a miss).
macro_rules! whole_numbers {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
                visitor.visit_u64(self.scalar()?.number()?)
            }
        )*
    };
}

/// Only the requests that the front matter structs make are answered; any other is a miss.
impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Miss;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Miss> {
        Err(Miss)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
        match self.scalar()? {
            Scalar {
                text: "true",
                quoted: false,
            } => visitor.visit_bool(true),
            Scalar {
                text: "false",
                quoted: false,
            } => visitor.visit_bool(false),
            _ => Err(Miss),
        }
    }

    whole_numbers! {
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
        visitor.visit_borrowed_str(self.scalar()?.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
        visitor.visit_borrowed_str(self.scalar()?.text()?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
        // A null was refused when the lines were read: a value that is there is `Some`.
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Miss> {
        match self {
            Node::List(items) => {
                let mut items = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut items)?;
                items.end()?;
                Ok(value)
            }
            Node::Scalar(_) => Err(Miss),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Miss> {
        let variant: StrDeserializer<'de, Miss> = self.scalar()?.text()?.into_deserializer();
        visitor.visit_enum(variant)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kinds::{Provenance, QuoteMeta, ResponseMeta, SectionMeta};

    fn saphyr<T: DeserializeOwned>(yaml: &str) -> T {
        serde_saphyr::from_str(yaml).expect("serde-saphyr reads it")
    }

    #[test]
    fn reads_a_response_and_a_quote_as_serde_saphyr_does() {
        let response = "number: 12\ntopics:\n- foster-care\n- adoption\nrespondent: Will Calver, Isabel's Voice\nanonymous: false\nthemes:\n  - regulation\ncontent_note:\n- child removal\n";
        let quick: ResponseMeta = parse(response).expect("plain");
        assert_eq!(quick, saphyr::<ResponseMeta>(response));
        assert_eq!(quick.number, 12);
        assert_eq!(quick.topics, ["foster-care", "adoption"]);
        assert_eq!(
            quick.respondent.as_deref(),
            Some("Will Calver, Isabel's Voice")
        );

        let quote = "id: adults-001\nspeaker: \"Parent (of a child, 7)\"\nvoice: parent\nprovenance: from-notes\nsummary: adults\nsection: 'parents'\n\nthemes:\n- family-help\n";
        let quick: QuoteMeta = parse(quote).expect("plain");
        assert_eq!(quick, saphyr::<QuoteMeta>(quote));
        assert_eq!(quick.provenance, Provenance::FromNotes);
        assert_eq!(quick.speaker.as_deref(), Some("Parent (of a child, 7)"));
    }

    #[test]
    fn leaves_anything_yaml_might_read_otherwise_to_serde_saphyr() {
        for yaml in [
            "number: 1\nrespondent: yes\n",
            "number: 1\nrespondent: ~\n",
            "number: 1\nrespondent: 5 Rights Foundation\n",
            "number: 010\n",
            "number: +1\n",
            "number: \"1\"\n",
            "number: 1\nanonymous: True\n",
            "number: 1\nanonymous: \"true\"\n",
            "number: 1\nrespondent: a: b\n",
            "number: 1\nrespondent: trailing:\n",
            "number: 1\nrespondent: x # a comment\n",
            "# a comment\nnumber: 1\n",
            "number: 1\nrespondent: \"an \\\"escape\\\"\"\n",
            "number: 1\nrespondent: 'it''s'\n",
            "number: 1\nrespondent: \"unclosed\n",
            "number: 1\ntopics: [a, b]\n",
            "number: 1\ntopics:\n",
            "number: 1\nnumber: 2\n",
            "number: 1\nunknown: x\n",
            "number: 1\nrespondent:\n- a list\n",
            "number: 1\ntopics: one\n",
            "number: 1\r\ntopics:\r\n- a\r\n",
            "number: 1\nupdated: 2022-05-23\n",
            "- an item first\nnumber: 1\n",
            "number: 1\n  respondent: indented\n",
            "number: 1\nrespondent:x\n",
            "number: 1\ntopics:\n  - a\n- b\n",
            "number: 1\ntopics:\n- a\n  - b\n",
            "number: 1\ntopics:\n- a\n  b\n",
            "number: 1\nrespondent: Will\n  Calver\n",
            "number: 1\nrespondent: &anchor x\n",
            "number: 1\nrespondent: !tag x\n",
            "number: 1\nrespondent: |\n  block\n",
            "",
        ] {
            assert!(parse::<ResponseMeta>(yaml).is_none(), "{yaml:?}");
        }
        assert!(parse::<SectionMeta>("title: A\nweight: -1\n").is_none());
    }

    /// What the property test (`differential.rs`) found the fast path reading where
    /// serde-saphyr refuses the file: characters YAML forbids, a byte-order mark where a value starts, and lines
    /// or values of a Unicode space other than the space.
    #[test]
    fn leaves_what_serde_saphyr_refuses_to_serde_saphyr() {
        use crate::content::front_matter::read_with_serde_saphyr;
        for yaml in [
            "number: 1\nrespondent: a\u{0}b\n",
            "number: 1\nrespondent: \"\u{1}\"\n",
            "number: 1\ntopics:\n- \u{c}\n",
            "number: 1\nrespondent: a\u{7f}\n",
            "number: 1\nrespondent: a\u{9f}\n",
            "number: 1\nrespondent: a\u{fffe}\n",
            "number: 1\nrespondent: \u{feff}a\n",
            "number: 1\n\u{a0}\n",
            "number: 1\ntopics: \u{3000}\n- a\n",
        ] {
            assert!(parse::<ResponseMeta>(yaml).is_none(), "{yaml:?}");
            let slow = read_with_serde_saphyr::<ResponseMeta>(yaml);
            assert!(slow.is_err(), "{yaml:?}: {slow:?}");
        }
    }

    #[test]
    fn text_that_merely_contains_indicators_is_still_plain() {
        let yaml = "number: 3\nrespondent: Dr. A-B, C&D (E) a:b ok? - yes\n";
        let quick: ResponseMeta = parse(yaml).expect("plain");
        assert_eq!(quick, saphyr::<ResponseMeta>(yaml));
    }

    /// Every content file of the repository: where the fast path takes a file, it gives
    /// what serde-saphyr gives; and it takes nearly all quotes and responses, so a change that
    /// quietly sends them all back to serde-saphyr fails here.
    #[test]
    fn agrees_with_serde_saphyr_on_every_file_of_the_content_folder() {
        use crate::content::front_matter::split;
        use crate::diagnostics::SourceText;
        use std::sync::Arc;

        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::Config::load(site, None).expect("the site's site.yaml");
        let responses = config.site.responses.path.as_str();
        let root = site.join("content");
        let (mut files, mut taken) = (0, 0);
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.expect("the content folder can be walked");
            let path = entry.path();
            let kind = path
                .strip_prefix(&root)
                .ok()
                .and_then(|p| p.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(path).expect("readable");
            let source = Arc::new(SourceText {
                name: path.display().to_string(),
                text,
            });
            let yaml = split(&source).expect("front matter").yaml;
            let same = match kind.as_deref() {
                Some(folder) if folder == responses => {
                    let quick = parse::<ResponseMeta>(yaml);
                    quick.as_ref().map(|q| *q == saphyr::<ResponseMeta>(yaml))
                }
                Some("quotes") => {
                    let quick = parse::<QuoteMeta>(yaml);
                    quick.as_ref().map(|q| *q == saphyr::<QuoteMeta>(yaml))
                }
                _ => continue,
            };
            files += 1;
            if let Some(same) = same {
                assert!(same, "{} reads differently", path.display());
                taken += 1;
            }
        }
        assert!(files > 1_000, "{files} quotes and responses");
        assert!(
            taken * 10 >= files * 9,
            "the fast path took only {taken} of {files} quotes and responses"
        );
    }
}

#[cfg(test)]
mod differential;
