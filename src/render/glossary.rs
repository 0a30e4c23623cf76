//! The glossary: on every page, the first use of each known acronym in the main content
//! is wrapped in `<abbr title="…">`, so readers and screen readers can learn what it means.
//!
//! It runs over every page, so it passes over the main content eight bytes at a time
//! until a byte can begin a tag or a term, looks at those bytes through tables, and
//! allocates nothing but the page it returns and one flag per term.

use std::ops::Range;

use crate::vocabulary::GlossaryEntry;

/// Elements whose text is left alone: code, scripts, SVG (where `<abbr>` is not allowed),
/// form controls, and existing abbreviations.
const SKIPPED: [&str; 10] = [
    "code", "pre", "script", "style", "abbr", "svg", "title", "textarea", "select", "option",
];

/// One glossary term.
struct Term {
    text: String,
    /// The expansion, escaped for an attribute value.
    expansion: String,
    /// Which distinct term this is: a term listed twice is still wrapped only once.
    slot: usize,
}

/// What a byte of the main content can begin: nothing, a tag, or a term.
#[derive(Clone, Copy, PartialEq)]
enum Begins {
    Nothing,
    Tag,
    Term,
}

/// The glossary, its terms grouped by first byte for a single pass over the text.
pub struct Glossary {
    /// Terms in order of first byte, and longest first among those with the same first
    /// byte (so "EHC plan" wins over "EHC"), otherwise in the order they are listed.
    terms: Vec<Term>,
    /// Per byte, the terms that start with it.
    by_first_byte: [Range<usize>; 256],
    /// Per byte, what it can begin: most bytes begin nothing and cost one lookup.
    begins: [Begins; 256],
    /// Per first byte, the bytes that can follow it in a term (all 256 when a term is that
    /// one byte): a capital letter followed by any other is passed over at once.
    seconds: [[u64; 4]; 256],
    /// How many distinct terms there are: once all are used, the rest is copied.
    slots: usize,
    /// The bytes that can begin a tag or a term, as one range to test eight bytes at a
    /// time; `None` when a term begins with a byte outside ASCII.
    prefilter: Option<ByteRange>,
}

/// A range of ASCII bytes, tested against eight bytes at once: most eight-byte runs of a
/// page hold no `<` and no capital letter, and are passed over in a few instructions.
#[derive(Clone, Copy)]
struct ByteRange {
    /// One below the lowest byte of the range.
    below: u64,
    /// One above the highest byte of the range (at most 128).
    above: u64,
}

impl ByteRange {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const LOW_SEVEN: u64 = Self::ONES * 0x7f;
    const HIGH_BIT: u64 = Self::ONES * 0x80;

    fn new(lowest: u8, highest: u8) -> Option<ByteRange> {
        (lowest >= 1 && highest < 0x80).then(|| ByteRange {
            below: u64::from(lowest - 1),
            above: u64::from(highest + 1),
        })
    }

    /// Whether any of the eight bytes of `word` lies in the range. Each byte is compared
    /// in its own lane: its low seven bits are subtracted from `127 + above` and added to
    /// `127 - below`, neither of which can carry into the next byte, and the high bits of
    /// both results are set exactly when the byte is above `below` and below `above`; a
    /// byte with its own high bit set is never in the range.
    fn holds_any(self, word: u64) -> bool {
        let low = word & Self::LOW_SEVEN;
        let under_above = (Self::ONES * (0x7f + self.above)).wrapping_sub(low);
        let over_below = low.wrapping_add(Self::ONES * (0x7f - self.below));
        under_above & over_below & !word & Self::HIGH_BIT != 0
    }
}

impl Glossary {
    pub fn new(entries: &[GlossaryEntry]) -> Glossary {
        let mut terms: Vec<Term> = Vec::with_capacity(entries.len());
        let mut slots = 0;
        // Text never contains `<` (it starts a tag), so a term with one never matches.
        for entry in entries
            .iter()
            .filter(|e| !e.term.is_empty() && !e.term.contains('<'))
        {
            let slot = match terms.iter().find(|t| t.text == entry.term) {
                Some(same) => same.slot,
                None => {
                    slots += 1;
                    slots - 1
                }
            };
            terms.push(Term {
                text: entry.term.clone(),
                expansion: escape_attribute(&entry.expansion),
                slot,
            });
        }
        // Stable: terms of the same first byte and length stay in the order listed.
        terms.sort_by_key(|t| (t.text.as_bytes()[0], std::cmp::Reverse(t.text.len())));
        let mut by_first_byte = std::array::from_fn(|_| 0..0);
        let mut begins = [Begins::Nothing; 256];
        begins[usize::from(b'<')] = Begins::Tag;
        let mut start = 0;
        for (i, term) in terms.iter().enumerate() {
            let first = term.text.as_bytes()[0];
            if terms
                .get(i + 1)
                .is_none_or(|next| next.text.as_bytes()[0] != first)
            {
                by_first_byte[usize::from(first)] = start..i + 1;
                begins[usize::from(first)] = Begins::Term;
                start = i + 1;
            }
        }
        let mut seconds = [[0u64; 4]; 256];
        for term in &terms {
            let set = &mut seconds[usize::from(term.text.as_bytes()[0])];
            match term.text.as_bytes().get(1) {
                Some(&second) => set[usize::from(second >> 6)] |= 1 << (second & 63),
                None => *set = [u64::MAX; 4],
            }
        }
        let candidates = (0..=u8::MAX).filter(|&b| begins[usize::from(b)] != Begins::Nothing);
        let prefilter = candidates
            .clone()
            .min()
            .zip(candidates.max())
            .and_then(|(lowest, highest)| ByteRange::new(lowest, highest));
        Glossary {
            terms,
            by_first_byte,
            begins,
            seconds,
            slots,
            prefilter,
        }
    }

    /// Where the first byte at or after `from` that can begin a tag or a term is.
    fn next_candidate(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let begins_something = |b: &u8| self.begins[usize::from(*b)] != Begins::Nothing;
        let mut i = from;
        if let Some(range) = self.prefilter {
            while let Some(chunk) = bytes[i..].first_chunk::<8>() {
                if range.holds_any(u64::from_le_bytes(*chunk))
                    && let Some(at) = chunk.iter().position(begins_something)
                {
                    return Some(i + at);
                }
                i += 8;
            }
        }
        bytes[i..]
            .iter()
            .position(begins_something)
            .map(|at| i + at)
    }

    /// Wraps the first use of each term inside `<main>…</main>` of a page: a use starts
    /// and ends on a word boundary, within one text between tags, outside [`SKIPPED`]
    /// elements.
    ///
    /// One pass over the bytes: a tag is stepped over whole; the text between tags is
    /// copied in one piece up to each term wrapped. A term cannot run into a tag since
    /// it has no `<`, and a tag's `>` before a text and its `<` after are not word bytes,
    /// so the text's ends are word boundaries.
    ///
    /// A page that uses no term is returned as it came, without a copy.
    pub fn apply(&self, html: String) -> String {
        let (Some(start), Some(end)) = (html.find("<main"), html.rfind("</main>")) else {
            return html;
        };
        if self.slots == 0 || end < start {
            return html;
        }
        let main = &html[start..end];
        let bytes = main.as_bytes();
        let mut out: Option<String> = None;
        let mut used = vec![false; self.slots];
        let mut left = self.slots;
        let mut skip_depth = 0usize;
        let mut copied = 0;
        let mut i = 0;
        while let Some(next) = self.next_candidate(bytes, i) {
            i = next;
            match self.begins[usize::from(bytes[i])] {
                Begins::Tag => {
                    let tag_end =
                        memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1);
                    let tag = &main[i..tag_end];
                    if is_skipped(tag) && !tag.ends_with("/>") {
                        if tag.starts_with("</") {
                            skip_depth = skip_depth.saturating_sub(1);
                        } else {
                            skip_depth += 1;
                        }
                    }
                    i = tag_end;
                }
                Begins::Term if skip_depth == 0 && (i == 0 || !is_word_byte(bytes[i - 1])) => {
                    match self.term_at(&bytes[i..], &used) {
                        Some(term) => {
                            let out = out.get_or_insert_with(|| {
                                let mut out = String::with_capacity(html.len() + 256);
                                out.push_str(&html[..start]);
                                out
                            });
                            out.push_str(&main[copied..i]);
                            out.push_str("<abbr title=\"");
                            out.push_str(&term.expansion);
                            out.push_str("\">");
                            out.push_str(&term.text);
                            out.push_str("</abbr>");
                            used[term.slot] = true;
                            left -= 1;
                            i += term.text.len();
                            copied = i;
                            if left == 0 {
                                break;
                            }
                        }
                        None => i += 1,
                    }
                }
                _ => i += 1,
            }
        }
        match out {
            Some(mut out) => {
                out.push_str(&main[copied..]);
                out.push_str(&html[end..]);
                out
            }
            None => html,
        }
    }

    /// The first unused term that `text` starts with, followed by a word boundary.
    fn term_at(&self, text: &[u8], used: &[bool]) -> Option<&Term> {
        if let Some(&second) = text.get(1) {
            let seconds = &self.seconds[usize::from(text[0])];
            if seconds[usize::from(second >> 6)] & (1 << (second & 63)) == 0 {
                return None;
            }
        }
        self.terms[self.by_first_byte[usize::from(text[0])].clone()]
            .iter()
            .find(|term| {
                let term_bytes = term.text.as_bytes();
                // Byte by byte: most candidates differ in their second byte.
                text.len() >= term_bytes.len()
                    && term_bytes.iter().zip(text).all(|(a, b)| a == b)
                    && text.get(term_bytes.len()).is_none_or(|&b| !is_word_byte(b))
                    && !used[term.slot]
            })
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Whether a tag such as `<svg …>` or `</CODE>` opens or closes an element in
/// [`SKIPPED`]: its name is the ASCII letters and digits after `<` or `</`.
fn is_skipped(tag: &str) -> bool {
    let tag = tag.as_bytes();
    let inner = tag
        .strip_prefix(b"</")
        .or_else(|| tag.strip_prefix(b"<"))
        .unwrap_or_default();
    // No name in SKIPPED is longer than 8: looking at 9 bytes is enough to tell.
    let head = &inner[..inner.len().min(9)];
    let name = &head[..head
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(head.len())];
    (3..=8).contains(&name.len())
        && SKIPPED
            .iter()
            .any(|skipped| skipped.as_bytes().eq_ignore_ascii_case(name))
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
        let out = glossary().apply(html.to_string());
        assert_eq!(
            out,
            "<title>SGO</title><main><p>An <abbr title=\"Special Guardianship Order\">SGO</abbr> and another SGO.</p><p>An <abbr title=\"Education, Health and Care plan\">EHC plan</abbr></p></main><footer>SGO</footer>"
        );
    }

    #[test]
    fn whole_words_only_and_not_in_code_or_svg() {
        let out = glossary().apply(
            "<main><code>CP</code><svg><text>CP</text></svg><p>SGOs CPR CP.</p></main>".into(),
        );
        assert!(out.contains("<code>CP</code>"), "{out}");
        assert!(out.contains("<text>CP</text>"), "{out}");
        assert!(
            out.contains("SGOs CPR <abbr title=\"Child protection &quot;plan&quot;\">CP</abbr>."),
            "{out}"
        );
    }

    #[test]
    fn a_longer_term_wins_and_terms_listed_twice_are_wrapped_once() {
        let glossary = Glossary::new(&[
            GlossaryEntry {
                term: "EHC".into(),
                expansion: "Education, Health and Care".into(),
            },
            GlossaryEntry {
                term: "EHC plan".into(),
                expansion: "Education, Health and Care plan".into(),
            },
            GlossaryEntry {
                term: "LA".into(),
                expansion: "Local authority".into(),
            },
            GlossaryEntry {
                term: "LA".into(),
                expansion: "Listed again".into(),
            },
            GlossaryEntry {
                term: String::new(),
                expansion: "Nothing".into(),
            },
        ]);
        let out =
            glossary.apply("<main><p>An EHC plan, an EHC, the LA and the LA.</p></main>".into());
        assert_eq!(
            out,
            "<main><p>An <abbr title=\"Education, Health and Care plan\">EHC plan</abbr>, an \
             <abbr title=\"Education, Health and Care\">EHC</abbr>, the \
             <abbr title=\"Local authority\">LA</abbr> and the LA.</p></main>"
        );
    }

    #[test]
    fn skipped_elements_nest_and_match_in_any_case() {
        let out = glossary().apply(
            "<main><PRE><Code>SGO</Code> CP</PRE><svg><path d=\"M0\"/><title>SGO</title></svg>\
             <svg/><br/><p data-x=\"CP\">CP and SGO</p></main>"
                .into(),
        );
        assert!(out.contains("<PRE><Code>SGO</Code> CP</PRE>"), "{out}");
        assert!(out.contains("<title>SGO</title></svg>"), "{out}");
        assert!(
            out.contains(
                "<p data-x=\"CP\"><abbr title=\"Child protection &quot;plan&quot;\">CP</abbr> \
                 and <abbr title=\"Special Guardianship Order\">SGO</abbr></p>"
            ),
            "{out}"
        );
    }

    #[test]
    fn words_around_letters_outside_ascii_and_after_tags() {
        let out = glossary().apply("<main><p>éSGO SGOé <em>SGO</em>s CP</p></main>".into());
        assert_eq!(
            out,
            "<main><p>éSGO SGOé <em><abbr title=\"Special Guardianship Order\">SGO</abbr></em>s \
             <abbr title=\"Child protection &quot;plan&quot;\">CP</abbr></p></main>"
        );
    }

    #[test]
    fn the_byte_range_test_agrees_with_the_range_for_every_byte_in_every_place() {
        for (lowest, highest) in [(b'<', b'Z'), (1, 0x7f), (b'a', b'a'), (b'<', b'<')] {
            let range = ByteRange::new(lowest, highest).expect("an ASCII range");
            for fill in [
                0u8,
                b' ',
                b'z',
                0x80,
                0xff,
                lowest - 1,
                highest.wrapping_add(1),
            ] {
                if (lowest..=highest).contains(&fill) {
                    continue;
                }
                assert!(!range.holds_any(u64::from_le_bytes([fill; 8])), "{fill}");
                for place in 0..8 {
                    for byte in 0..=u8::MAX {
                        let mut word = [fill; 8];
                        word[place] = byte;
                        assert_eq!(
                            range.holds_any(u64::from_le_bytes(word)),
                            (lowest..=highest).contains(&byte),
                            "range {lowest}..={highest}, byte {byte} at {place} among {fill}"
                        );
                    }
                }
            }
        }
        assert!(ByteRange::new(b'<', 0x80).is_none());
        assert!(ByteRange::new(0, b'Z').is_none());
    }

    #[test]
    fn terms_are_found_wherever_they_fall_in_an_eight_byte_run() {
        for pad in 0..16 {
            let text = format!("<main><p>{}SGO and CP.</p></main>", " ".repeat(pad));
            let out = glossary().apply(text);
            assert!(
                out.contains("<abbr title=\"Special Guardianship Order\">SGO</abbr>")
                    && out.contains("\">CP</abbr>."),
                "{pad}: {out}"
            );
        }
    }

    #[test]
    fn one_byte_terms_and_terms_sharing_a_first_byte() {
        let glossary = Glossary::new(&[
            GlossaryEntry {
                term: "X".into(),
                expansion: "Ex".into(),
            },
            GlossaryEntry {
                term: "CiN".into(),
                expansion: "Child in need".into(),
            },
            GlossaryEntry {
                term: "CP".into(),
                expansion: "Child protection".into(),
            },
        ]);
        assert_eq!(
            glossary.apply("<main><p>Xy Cat CP, X CiN</p><p>X</p></main>".into()),
            "<main><p>Xy Cat <abbr title=\"Child protection\">CP</abbr>, \
             <abbr title=\"Ex\">X</abbr> <abbr title=\"Child in need\">CiN</abbr></p>\
             <p>X</p></main>"
        );
        assert_eq!(
            glossary.apply("<main>X</main>".into()),
            "<main><abbr title=\"Ex\">X</abbr></main>"
        );
    }

    #[test]
    fn a_term_beginning_outside_ascii_is_still_found() {
        let glossary = Glossary::new(&[GlossaryEntry {
            term: "Émile".into(),
            expansion: "A name".into(),
        }]);
        assert!(glossary.prefilter.is_none());
        assert_eq!(
            glossary.apply("<main><p>An Émile.</p></main>".into()),
            "<main><p>An <abbr title=\"A name\">Émile</abbr>.</p></main>"
        );
    }

    #[test]
    fn pages_without_main_or_glossary_are_unchanged() {
        assert_eq!(glossary().apply("<p>SGO</p>".into()), "<p>SGO</p>");
        assert_eq!(
            glossary().apply("</main><main>SGO".into()),
            "</main><main>SGO",
            "a closing tag before the opening one"
        );
        assert_eq!(
            Glossary::new(&[]).apply("<main>SGO</main>".into()),
            "<main>SGO</main>"
        );
    }
}
