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
    use super::{analyse, tokenize};

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
    fn tokens_split_on_white_space_and_hyphens_and_lower_case() {
        assert_eq!(
            tokenize("Kinship-care\u{a0}SGOs"),
            ["kinship", "care", "sgos"]
        );
        assert_eq!(analyse("the running of caseloads"), ["run", "caseload"]);
    }
}
