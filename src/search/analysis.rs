//! The text pipeline: how text becomes index terms. `search.js` repeats every step for
//! the words a reader types, so a change here is a change there (the parity test in
//! `tests/search-parity/` compares the two on every indexed term).
//!
//! The steps are elasticlunr-rs's English ones, with one step of our own in the tokenizer:
//!
//! 1. elasticlunr's tokenizer: split on Unicode white space and `-`, lower-case each piece;
//! 2. ours: curly apostrophes (`’`, `‘`) become `'`, the token is trimmed as the trimmer
//!    would, and a final possessive `'s` is dropped, so that "children’s" and "children's"
//!    both index as "children" (the sources are typeset with curly quotes; readers type
//!    straight ones, and neither form would otherwise ever match the plain word);
//! 3. elasticlunr's pipeline, unchanged: trimmer (strip everything but ASCII letters,
//!    digits and `_` from both ends), English stop-word filter, Porter stemmer.

use elasticlunr::lang::{English, tokenize_whitespace};
use elasticlunr::{Language, Pipeline};

/// Splits text into tokens: elasticlunr's whitespace tokenizer followed by apostrophe
/// folding and possessive removal. Tokens may still be empty or stop words; the
/// pipeline drops those.
pub fn tokenize(text: &str) -> Vec<String> {
    tokenize_whitespace(text)
        .into_iter()
        .map(|token| fold_possessive(&token))
        .collect()
}

/// The pieces of `text` that elasticlunr's tokenizer makes tokens of, borrowed and not yet
/// lower-cased: it splits where [`tokenize`] splits (Unicode white space and `-`) and
/// drops empty pieces, so each piece is one token, and `tokenize(piece)` is that token.
/// The index counts words by piece so that it runs the pipeline once per distinct piece
/// rather than once per word; this walks bytes and decodes only non-ASCII characters.
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
        let text = self.text;
        let mut start = None;
        while self.at < text.len() {
            let (separator, length) = separator_at(text, self.at);
            if !separator {
                start.get_or_insert(self.at);
            } else if let Some(start) = start {
                let piece = &text[start..self.at];
                self.at += length;
                return Some(piece);
            }
            self.at += length;
        }
        start.map(|start| &text[start..])
    }
}

/// Whether the character at byte `i` of `text` splits tokens, and its length in bytes.
fn separator_at(text: &str, i: usize) -> (bool, usize) {
    let byte = text.as_bytes()[i];
    if byte.is_ascii() {
        // The ASCII characters `char::is_whitespace` accepts: tab to carriage return, space.
        (matches!(byte, b'\t'..=b'\r' | b' ' | b'-'), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or_default();
        (c.is_whitespace(), c.len_utf8())
    }
}

/// Whether elasticlunr's trimmer keeps `c` at the edge of a token.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn fold_possessive(token: &str) -> String {
    let folded = token.replace(['\u{2019}', '\u{2018}'], "'");
    let trimmed = folded.trim_matches(|c: char| !is_word_char(c));
    trimmed.strip_suffix("'s").unwrap_or(trimmed).to_string()
}

/// The English pipeline: trimmer, stop-word filter, stemmer.
pub fn pipeline() -> Pipeline {
    English::new().make_pipeline()
}

/// The index terms of `text`, in order, repeats kept: exactly what the index stores for
/// a field holding `text`, and what `search.js` computes for a query.
pub fn analyse(text: &str) -> Vec<String> {
    pipeline().run(tokenize(text))
}

#[cfg(test)]
mod tests {
    use super::{analyse, pieces, tokenize};

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
    }

    #[test]
    fn pieces_are_the_tokens_before_lower_casing() {
        let texts = [
            "Kinship-care\u{a0}SGOs",
            "  --a--b  c\u{85}d\u{2003}e\u{3000}f\u{200b}g\u{feff}h\u{1680}i\u{2029}j ",
            "\t\n\x0b\x0c\r x\x1cy\x1fz",
            "children’s ÉCOLE café—naïve – ß İstanbul ΣΑΣ 🙂 -",
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
    fn tokens_split_on_white_space_and_hyphens_and_lower_case() {
        assert_eq!(
            tokenize("Kinship-care\u{a0}SGOs"),
            ["kinship", "care", "sgos"]
        );
        assert_eq!(analyse("the running of caseloads"), ["run", "caseload"]);
    }
}
