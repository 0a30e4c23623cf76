//! The text pipeline: how text becomes index terms. `search.js` repeats every step for
//! the words a reader types, so a change here is a change there (the parity test in
//! `tests/search-parity/` compares the two on every indexed term and its position).
//!
//! 1. ours: split into words on every character that is not a letter or digit of any
//!    script, `_` or an apostrophe (`'`, `’`, `‘`), so that `/`, brackets, dashes of every
//!    length, dots and quotation marks all part words, as a reader expects
//!    ("carer(s)/guardians" is three words, "2021–22" two); lower-case each word;
//! 2. ours: curly apostrophes become `'`, the word is trimmed as the trimmer would, and a
//!    final possessive `'s` is dropped, so that "children’s" and "children's" both index
//!    as "children" (the sources are typeset with curly quotes; readers type straight ones);
//! 3. elasticlunr's English pipeline, unchanged: trimmer (strip everything but ASCII
//!    letters, digits and `_` from both ends), stop-word filter, Porter stemmer.
//!
//! A word's position is its number among the words of step 1, stop words included, so
//! that a phrase query ("removed at birth") matches the same words the same distance
//! apart whatever the stop words between them.

use elasticlunr::lang::English;
use elasticlunr::{Language, Pipeline};

/// Splits text into tokens, one per word of [`pieces`], lower-cased, with apostrophes
/// folded and a possessive removed. Tokens may still be empty or stop words; the
/// pipeline drops those.
pub fn tokenize(text: &str) -> Vec<String> {
    pieces(text).map(token).collect()
}

/// The token of one word, a piece of [`pieces`]. An ASCII piece, as most are, is
/// lower-cased byte by byte, which gives what Unicode's lower-casing would.
pub fn token(piece: &str) -> String {
    let folded = if piece.is_ascii() {
        piece.to_ascii_lowercase()
    } else {
        piece.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'")
    };
    let trimmed = folded.trim_matches(|c: char| !is_trimmer_kept(c));
    trimmed.strip_suffix("'s").unwrap_or(trimmed).to_string()
}

/// The words of `text`, borrowed and not yet lower-cased: the runs of [`is_word_part`]
/// characters. Each is one token of [`tokenize`] and one position. The index counts words
/// by piece so that it runs the pipeline once per distinct token rather than once per
/// word; this walks bytes and decodes only non-ASCII characters.
pub fn pieces(text: &str) -> Pieces<'_> {
    Pieces { text, at: 0 }
}

/// The iterator of [`pieces`].
pub struct Pieces<'a> {
    text: &'a str,
    /// The byte the next piece is looked for from, always a character boundary.
    at: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.boundary(self.at, true);
        if start == self.text.len() {
            self.at = start;
            return None;
        }
        let end = self.boundary(start, false);
        self.at = end;
        Some(&self.text[start..end])
    }
}

impl Pieces<'_> {
    /// The first byte from `at` (a character boundary) that begins a character which is
    /// part of a word (`part`) or is not, or the end of the text. Runs of ASCII, most of
    /// every text, are searched with a table of the bytes' classes; counting spent more
    /// here than anywhere else when each byte went through `char` tests. Inlined into
    /// `next`, where `part` is a constant: a call per word cost about as much as the scan.
    #[inline(always)]
    fn boundary(&self, mut at: usize, part: bool) -> usize {
        let bytes = self.text.as_bytes();
        let skipped = if part { SEPARATOR } else { WORD_PART };
        loop {
            let Some(offset) = bytes[at..]
                .iter()
                .position(|&byte| BYTE_CLASSES[usize::from(byte)] != skipped)
            else {
                return bytes.len();
            };
            at += offset;
            if bytes[at].is_ascii() {
                return at;
            }
            let c = self.text[at..].chars().next().unwrap_or_default();
            if is_word_part(c) == part {
                return at;
            }
            at += c.len_utf8();
        }
    }
}

/// What a byte is in [`BYTE_CLASSES`]: an ASCII character that is not part of a word…
const SEPARATOR: u8 = 0;
/// … one that is ([`is_word_part`])…
const WORD_PART: u8 = 1;
/// … or a byte of a character beyond ASCII, which has to be decoded.
const BEYOND_ASCII: u8 = 2;

/// Each byte's class: [`SEPARATOR`], [`WORD_PART`] or [`BEYOND_ASCII`].
const BYTE_CLASSES: [u8; 256] = {
    let mut table = [BEYOND_ASCII; 256];
    let mut byte: u8 = 0;
    while byte < 128 {
        let part = byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'\'';
        table[byte as usize] = if part { WORD_PART } else { SEPARATOR };
        byte += 1;
    }
    table
};

/// Whether `c` belongs to a word: a letter or digit of any script (Unicode Alphabetic or
/// Numeric, which `search.js` writes `\p{Alphabetic}\p{N}`), `_`, or an apostrophe, which
/// joins "don't" and "children’s" and is trimmed where it quotes (‘like this’).
pub fn is_word_part(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '\'' | '\u{2019}' | '\u{2018}')
}

/// Whether elasticlunr's trimmer keeps `c` at the edge of a token.
fn is_trimmer_kept(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The English pipeline: trimmer, stop-word filter, stemmer.
pub fn pipeline() -> Pipeline {
    English::new().make_pipeline()
}

/// The index terms of `text`, in order, repeats kept: exactly what the index stores for
/// a field holding `text`.
pub fn analyse(text: &str) -> Vec<String> {
    pipeline().run(tokenize(text))
}

/// The index terms of `text` with their positions, stop words as their [`stop_entry`]:
/// what `search.js` computes for a query, and what the index stores for a field that starts
/// at position 0.
pub fn analyse_with_positions(text: &str) -> Vec<(u32, String)> {
    let pipeline = pipeline();
    (0..)
        .zip(pieces(text))
        .filter_map(|(position, piece)| {
            let token = token(piece);
            let term = match pipeline.run(vec![token.clone()]).pop() {
                Some(term) => term,
                None => stop_entry(&token)?,
            };
            (!term.is_empty()).then_some((position, term))
        })
        .collect()
}

/// The entry under which the positions of a stop word's token are kept, `'` and the token
/// (`'the`): no term begins with `'`, which the trimmer removes. Stop words carry no score,
/// as in elasticlunr, but a phrase in double quotes must have them where it has them, so
/// their positions are indexed. `None` for a token the trimmer empties.
pub fn stop_entry(token: &str) -> Option<String> {
    let trimmed = token.trim_matches(|c: char| !is_trimmer_kept(c));
    (!trimmed.is_empty()).then(|| format!("{STOP_MARK}{trimmed}"))
}

/// What a [`stop_entry`] begins with.
pub const STOP_MARK: char = '\'';

/// Whether `term` is a [`stop_entry`].
pub fn is_stop_entry(term: &str) -> bool {
    term.starts_with(STOP_MARK)
}

#[cfg(test)]
mod tests {
    use super::{analyse, analyse_with_positions, pieces, tokenize};

    #[test]
    fn possessives_and_curly_apostrophes_fold_to_the_plain_word() {
        assert_eq!(
            analyse("children’s children's Children"),
            ["children", "children", "children"]
        );
        assert_eq!(
            analyse("carers’ carers' carers"),
            ["carer", "carer", "carer"]
        );
        assert_eq!(analyse("don’t"), analyse("don't"));
        assert_eq!(analyse("‘spaghetti junction’"), ["spaghetti", "junction"]);
    }

    #[test]
    fn pieces_are_the_tokens_before_lower_casing() {
        let texts = [
            "Kinship-care\u{a0}SGOs",
            "  --a--b  c\u{85}d\u{2003}e\u{3000}f\u{200b}g\u{feff}h\u{1680}i\u{2029}j ",
            "\t\n\x0b\x0c\r x\x1cy\x1fz",
            "children’s ÉCOLE café—naïve – ß İstanbul ΣΑΣ 🙂 -",
            "carer(s)/guardians [sic] {a} 2021–22 e.g. 3.5 £30,000",
            "",
            "-",
            "word",
        ];
        for text in texts {
            let tokens: Vec<String> = pieces(text).flat_map(tokenize).collect();
            assert_eq!(tokens, tokenize(text), "{text:?}");
            for piece in pieces(text) {
                assert_eq!(tokenize(piece).len(), 1, "{piece:?} of {text:?}");
            }
        }
        assert_eq!(pieces("a-b c").collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn the_byte_table_agrees_with_is_word_part() {
        for byte in 0..=255u8 {
            let expected = match char::from(byte) {
                c if !c.is_ascii() => super::BEYOND_ASCII,
                c if super::is_word_part(c) => super::WORD_PART,
                _ => super::SEPARATOR,
            };
            assert_eq!(
                super::BYTE_CLASSES[usize::from(byte)],
                expected,
                "{byte:#x}"
            );
        }
    }

    #[test]
    fn words_split_on_every_separator_a_reader_expects() {
        assert_eq!(
            tokenize("Kinship-care\u{a0}SGOs"),
            ["kinship", "care", "sgos"]
        );
        assert_eq!(
            tokenize("carer(s)/guardian [care] 2021–22 well—being {x} a.b"),
            [
                "carer", "s", "guardian", "care", "2021", "22", "well", "being", "x", "a", "b"
            ]
        );
        assert_eq!(analyse("the running of caseloads"), ["run", "caseload"]);
    }

    #[test]
    fn positions_count_every_word_stop_words_included() {
        let pairs = |text| -> Vec<(u32, String)> { analyse_with_positions(text) };
        let expected = |list: &[(u32, &str)]| -> Vec<(u32, String)> {
            list.iter().map(|&(p, t)| (p, t.to_string())).collect()
        };
        assert_eq!(
            pairs("Removed at birth, (then) adopted"),
            expected(&[
                (0, "remov"),
                (1, "'at"),
                (2, "birth"),
                (3, "'then"),
                (4, "adopt")
            ])
        );
        assert_eq!(pairs("’ The"), expected(&[(1, "'the")]));
    }
}
