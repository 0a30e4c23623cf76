//! Clean-up of text taken from PDFs and web pages, shared by the document parsers.
//!
//! Everything here keeps the source's words and characters: the only changes are the ones
//! a PDF extraction introduces and a reader would never see on the printed page —
//! typographic ligatures, words split by letter-spacing, hard line wraps, page numbers and
//! running headers. Apostrophes, quotation marks and spelling are left exactly as found.

use std::collections::HashMap;

/// Replaces the typographic ligature characters (U+FB00–U+FB06) with the letters they stand
/// for, so that words like "beneﬁt" match and search as "benefit". Nothing else changes.
pub(crate) fn fix_ligatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            // Both the long-s-t and the s-t ligature are "st" once decomposed (Unicode NFKC).
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            _ => out.push(c),
        }
    }
    out
}

/// Collapses every run of whitespace to one space and trims the ends; used to compare
/// text regardless of how it was wrapped.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a line holds nothing but a page number: `12`, `- 12 -`, `Page 12`,
/// `Page 12 of 40` or `12 of 40` (case-insensitive). Numbers have at most four digits so that
/// a year or a long figure on a line of its own is not mistaken for one; list markers such
/// as `1.` are not page numbers.
pub(crate) fn is_page_number(line: &str) -> bool {
    let line = line.trim();
    let line = line
        .strip_prefix('-')
        .and_then(|l| l.strip_suffix('-'))
        .map_or(line, str::trim);
    let lower = line.to_lowercase();
    let rest = lower
        .strip_prefix("page")
        .map_or(lower.as_str(), str::trim_start);
    let words: Vec<&str> = rest.split_whitespace().collect();
    match words.as_slice() {
        [n] => is_small_number(n),
        [n, "of", m] => is_small_number(n) && is_small_number(m),
        _ => false,
    }
}

fn is_small_number(word: &str) -> bool {
    !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit())
}

/// Finds running headers and footers: non-blank lines that occur at least `min_repeats`
/// times, where at least three quarters of the occurrences stand next to a page boundary.
///
/// A plain-text extraction has no pages, so the evidence of a boundary is a form feed or a
/// page-number line within two non-blank lines (or the very start or end of the text).
/// Requiring that evidence is what separates a header from a line that is merely common —
/// a topic tag or a form answer repeated on every entry is content and must stay.
/// Returns the trimmed header lines.
pub(crate) fn running_headers(text: &str, min_repeats: usize) -> Vec<String> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // A form feed may share its line with text; treat it as a boundary of its own.
    let mut items: Vec<(&str, bool)> = Vec::new();
    for line in &lines {
        for (i, part) in line.split('\u{0C}').enumerate() {
            if i > 0 {
                items.push(("", true));
            }
            let part = part.trim();
            if !part.is_empty() {
                items.push((part, is_page_number(part)));
            }
        }
    }
    let near_boundary = |i: usize| {
        let lo = i.saturating_sub(2);
        let hi = (i + 2).min(items.len().saturating_sub(1));
        i < 2 || i + 2 >= items.len() || (lo..=hi).any(|j| j != i && items[j].1)
    };
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, (line, boundary)) in items.iter().enumerate() {
        if line.is_empty() || *boundary {
            continue;
        }
        let entry = counts.entry(line).or_default();
        entry.0 += 1;
        if near_boundary(i) {
            entry.1 += 1;
        }
    }
    let mut headers: Vec<String> = counts
        .into_iter()
        .filter(|(_, (total, at_boundary))| {
            *total >= min_repeats.max(2) && at_boundary * 4 >= total * 3
        })
        .map(|(line, _)| line.to_string())
        .collect();
    headers.sort();
    headers
}

/// Removes page-number lines, form feeds and the given running headers (compared trimmed),
/// keeping every other line as it was.
pub(crate) fn strip_page_furniture(text: &str, headers: &[String]) -> String {
    text.replace('\u{0C}', "\n")
        .split('\n')
        .filter(|line| {
            let t = line.trim();
            !is_page_number(t) && !headers.iter().any(|h| h == t)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Word counts of a document, for deciding whether a PDF split a word apart.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    counts: HashMap<String, usize>,
}

impl Vocabulary {
    /// Counts every word of `text` (lowercased, after ligature fixes). A word is a run of
    /// letters and digits, with apostrophes inside it kept (`don´t` is one word, so its `t`
    /// does not count as a word of its own) and hyphenated words also counted whole.
    pub(crate) fn from_text(text: &str) -> Self {
        let mut counts = HashMap::new();
        for word in words(&fix_ligatures(text)) {
            *counts.entry(word).or_insert(0) += 1;
        }
        Vocabulary { counts }
    }

    fn count(&self, word: &str) -> usize {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '´' | '‘' | '`')
}

/// Lowercased words of `text`: letter/digit runs with inner apostrophes and inner hyphens;
/// a hyphenated word is counted as a whole and as each of its parts.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c) || c == '-')) {
        let word = raw.trim_matches(|c: char| is_apostrophe(c) || c == '-');
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        if lower.contains('-') {
            out.extend(
                lower
                    .split('-')
                    .map(|p| p.trim_matches(is_apostrophe))
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
            );
        }
        out.push(lower);
    }
    out
}

/// Joins the pieces of words a PDF split apart with spaces, in a heading
/// (`Met hodology` → `Methodology`, `About t he` → `About the`).
///
/// The rule only acts on evidence from the document itself (`vocabulary`, built from the whole
/// text, headings included): two neighbouring pieces are joined when the joined word occurs in
/// the document, and at least one of the pieces does not occur anywhere except in this heading
/// — a piece like `hodology` or `t` is no word of the document, while `an other` is two real
/// words and stays apart. Joins repeat, so a word split twice is rebuilt. A spaced hyphen
/// between two words (`Solution - Focused`) is closed up when the hyphenated word occurs in
/// the document. Only use this on headings: in running prose a space is far more likely to be
/// the author's own.
pub(crate) fn join_split_words(heading: &str, vocabulary: &Vocabulary) -> String {
    let own = Vocabulary::from_text(heading);
    // A word "stands alone" when the document has it more often than this heading does.
    let elsewhere = |w: &str| vocabulary.count(w) > own.count(w);
    let mut tokens: Vec<String> = Vec::new();
    for token in heading.split_whitespace() {
        let Some(prev) = tokens.last_mut() else {
            tokens.push(token.to_string());
            continue;
        };
        let prev_core = prev.trim_start_matches(|c: char| !c.is_alphanumeric());
        let token_core = token.trim_end_matches(|c: char| !c.is_alphanumeric());
        let both_words = !prev_core.is_empty()
            && prev_core.chars().all(char::is_alphabetic)
            && !token_core.is_empty()
            && token_core.chars().all(char::is_alphabetic)
            && token.starts_with(char::is_alphabetic);
        let joined = format!("{prev_core}{token_core}");
        if both_words
            && vocabulary.count(&joined) > 0
            && (!elsewhere(prev_core) || !elsewhere(token_core))
        {
            prev.push_str(token);
        } else {
            tokens.push(token.to_string());
        }
    }
    close_spaced_hyphens(&tokens, vocabulary).join(" ")
}

/// Turns `word - word` into `word-word` where the document has the hyphenated word.
fn close_spaced_hyphens(tokens: &[String], vocabulary: &Vocabulary) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "-"
            && i + 1 < tokens.len()
            && let Some(prev) = out.last_mut()
        {
            let next = &tokens[i + 1];
            let prev_core = prev.trim_start_matches(|c: char| !c.is_alphanumeric());
            let next_core = next.trim_end_matches(|c: char| !c.is_alphanumeric());
            if vocabulary.count(&format!("{prev_core}-{next_core}")) > 0 {
                prev.push('-');
                prev.push_str(next);
                i += 2;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// Joins hard-wrapped lines into one paragraph: lines are trimmed and joined with one space.
/// A line ending in a hyphen after a letter, followed by a line starting with a lowercase
/// letter, is joined without a space and keeps its hyphen: we cannot tell a soft hyphen from
/// a real one (`well-` `being`), so the source's characters stay.
pub(crate) fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.as_ref().trim();
        if line.is_empty() {
            continue;
        }
        let glue = out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && line.starts_with(char::is_lowercase);
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(line);
    }
    collapse_whitespace(&out)
}

/// Splits lines into paragraphs and joins each one (see [`join_lines`]).
///
/// A blank line always ends a paragraph. Without one, a line ends a paragraph when it ends a
/// sentence (`.`, `!`, `?`, `:` or a closing quotation mark after one of them) and the first
/// word of the next line would have fitted on it: the PDF wrapped at the widest line of the
/// paragraph, so a wrap never leaves that much room. The width is the widest of the
/// paragraph's lines so far and the next line.
pub(crate) fn paragraphs<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut width = 0;
    for (i, line) in lines.iter().enumerate() {
        let line = line.as_ref().trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(join_lines(&current));
                current.clear();
            }
            width = 0;
            continue;
        }
        current.push(line);
        let len = line.chars().count();
        width = width.max(len);
        let next = lines
            .get(i + 1)
            .map(|n| n.as_ref().trim())
            .filter(|n| !n.is_empty());
        if let Some(next) = next {
            let next_len = next.chars().count();
            let first = next
                .split_whitespace()
                .next()
                .map_or(0, |w| w.chars().count());
            if ends_sentence(line) && len + 1 + first <= width.max(next_len) {
                out.push(join_lines(&current));
                current.clear();
                width = 0;
            }
        }
    }
    if !current.is_empty() {
        out.push(join_lines(&current));
    }
    out
}

/// Whether a line ends with sentence-final punctuation, allowing closing quotation marks
/// and brackets after it.
pub(crate) fn ends_sentence(line: &str) -> bool {
    let core = line
        .trim_end()
        .trim_end_matches(['”', '"', '’', '\'', ')', '»']);
    core.ends_with(['.', '!', '?', ':'])
}

/// The sentence `text` starts with: up to the first full stop, question or exclamation mark
/// followed by whitespace or the end, not counting stops inside brackets ("(i.e. …)", "(e.g. …)").
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let mut depth = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(pos, c)) in chars.iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' | '?' | '!'
                if depth == 0 && chars.get(n + 1).is_none_or(|(_, c)| c.is_whitespace()) =>
            {
                return text[..pos + c.len_utf8()].to_string();
            }
            _ => {}
        }
    }
    text.to_string()
}

/// A URL- and file-name-safe slug: ASCII letters and digits, lowercased, words joined by `-`.
/// Apostrophes are dropped rather than splitting a word (`children’s` → `childrens`); any
/// other character separates words.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in fix_ligatures(text).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if !is_apostrophe(c) {
            pending_dash = true;
        }
    }
    slug
}

/// Escapes the characters Markdown would read as markup inside running text, so the
/// rendered text equals the source's: backslashes, `*`, `` ` ``, `<`, `[`, `]`, an `_` at the
/// edge of a word (inside a word it is literal), an `&` that would start an entity, and `{{`
/// / `{%` which the site's templates would read as a shortcode. Use [`escape_line_start`] on
/// text that begins a line.
pub(crate) fn escape_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '*' | '`' | '<' | '[' | ']' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '&' => looks_like_entity(&chars[i + 1..]),
            '{' => matches!(next, Some('{' | '%')),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn looks_like_entity(rest: &[char]) -> bool {
    let name: String = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && rest.get(name.chars().count()) == Some(&';')
}

/// Escapes what Markdown would read as block markup at the start of a line — a heading `#`,
/// a blockquote `>`, a list marker (`-`, `+`, `*` or `1.` / `1)` followed by a space), a
/// thematic break or setext underline (`---`, `===`) — as well as the inline markup of
/// [`escape_inline`]. For paragraph text; list items and headings add their own markers.
pub(crate) fn escape_line_start(text: &str) -> String {
    let escaped = escape_inline(text);
    let trimmed = escaped.trim_start();
    let first = trimmed.chars().next();
    match first {
        Some('#' | '>') => format!("\\{trimmed}"),
        Some('-' | '+' | '=')
            if trimmed.chars().nth(1).is_none_or(char::is_whitespace)
                || trimmed.chars().all(|c| c == '-' || c == '=' || c == ' ') =>
        {
            format!("\\{trimmed}")
        }
        Some(d) if d.is_ascii_digit() => {
            let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
            let rest = &trimmed[digits.len()..];
            let mut rest_chars = rest.chars();
            match (rest_chars.next(), rest_chars.next()) {
                (Some(p @ ('.' | ')')), None | Some(' ' | '\t')) if digits.len() <= 9 => {
                    format!("{digits}\\{p}{}", &rest[1..])
                }
                _ => trimmed.to_string(),
            }
        }
        _ => trimmed.to_string(),
    }
}

/// Removes the backslash escapes [`escape_inline`] and [`escape_line_start`] add, giving
/// back the source's words (for tests that compare against the source).
#[cfg(test)]
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_become_letters_and_nothing_else_changes() {
        assert_eq!(
            fix_ligatures("beneﬁt ﬂow eﬀort oﬃce baﬄe ﬅ ﬆ don´t “q”"),
            "benefit flow effort office baffle st st don´t “q”"
        );
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  a\n b\t\tc  "), "a b c");
    }

    #[test]
    fn page_numbers_are_recognised() {
        for line in ["12", " 3 ", "- 7 -", "Page 4", "page 4 of 20", "4 of 20"] {
            assert!(is_page_number(line), "{line:?}");
        }
        for line in [
            "1.",
            "2)",
            "12345",
            "Page",
            "1 Connect with each other",
            "",
            "of 3",
        ] {
            assert!(!is_page_number(line), "{line:?}");
        }
    }

    #[test]
    fn running_header_between_two_paragraphs_is_found_and_removed() {
        let text = "Annual Report 2021\nFirst paragraph ends here.\n2\n\u{0C}Annual Report 2021\n\
                    Second paragraph starts.\nTopic tag\nMore text.\nTopic tag\nText again.\n3\n\
                    Annual Report 2021\nThird.\nTopic tag\n";
        let headers = running_headers(text, 3);
        assert_eq!(headers, vec!["Annual Report 2021".to_string()]);
        let cleaned = strip_page_furniture(text, &headers);
        assert_eq!(
            cleaned
                .lines()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>(),
            vec![
                "First paragraph ends here.",
                "Second paragraph starts.",
                "Topic tag",
                "More text.",
                "Topic tag",
                "Text again.",
                "Third.",
                "Topic tag",
            ]
        );
    }

    #[test]
    fn a_common_line_away_from_page_boundaries_is_not_a_header() {
        let text = "intro\nmore\nmore\nI would like to be anonymous\nidea one\nidea\nidea\n\
                    I would like to be anonymous\nidea two\nidea\nidea\nI would like to be anonymous\n\
                    idea three\nend\nend";
        assert!(running_headers(text, 3).is_empty());
    }

    fn vocab() -> Vocabulary {
        Vocabulary::from_text(
            "Met hodology\nAbout t he\nEvent informat ion\nKey Solution - Focused Findings\nan other\n\
             Create uses a methodology. The event was about the information they needed. \
             It was met by another group, an idea and other views. A solution-focused conversation. \
             They don´t know.",
        )
    }

    #[test]
    fn spaced_apart_heading_words_are_joined_on_evidence() {
        let v = vocab();
        assert_eq!(join_split_words("Met hodology", &v), "Methodology");
        assert_eq!(join_split_words("About t he", &v), "About the");
        assert_eq!(
            join_split_words("Event informat ion", &v),
            "Event information"
        );
        assert_eq!(
            join_split_words("Key Solution - Focused Findings", &v),
            "Key Solution-Focused Findings"
        );
        // Both pieces are words of the document: the space may be the author's.
        assert_eq!(join_split_words("an other", &v), "an other");
        // The apostrophe keeps "don´t" whole, so a lone "t" is no word of the document.
        assert_eq!(join_split_words("1 The Context", &v), "1 The Context");
    }

    #[test]
    fn a_word_split_twice_is_rebuilt() {
        let v = Vocabulary::from_text("Met hod ology\nThe methodology and the method.");
        assert_eq!(join_split_words("Met hod ology", &v), "Methodology");
    }

    #[test]
    fn wrapped_prose_is_joined() {
        assert_eq!(
            join_lines(&[
                "In 2019, the government ",
                "committed to review",
                "the care system."
            ]),
            "In 2019, the government committed to review the care system."
        );
        assert_eq!(join_lines(&["a well-", "being plan"]), "a well-being plan");
        assert_eq!(join_lines(&["costs -", "Not"]), "costs - Not");
    }

    #[test]
    fn paragraphs_split_at_blank_lines_and_short_sentence_ends() {
        let lines = [
            "recommendations for improvement to the",
            "government.",
            "The review team conducted a preliminary analysis, defined the problem, and",
            "published the “Case for Change”. The Case for Change sets out the review",
            "team´s interpretation.",
            "",
            "Bridge the Gap is one of the many forms of",
            "engagement used by the review team.",
        ];
        assert_eq!(
            paragraphs(&lines),
            vec![
                "recommendations for improvement to the government.",
                "The review team conducted a preliminary analysis, defined the problem, and \
                 published the “Case for Change”. The Case for Change sets out the review \
                 team´s interpretation.",
                "Bridge the Gap is one of the many forms of engagement used by the review team.",
            ]
        );
    }

    #[test]
    fn a_full_line_ending_a_sentence_does_not_end_the_paragraph() {
        let lines = [
            "The excessive workload that professionals operate under prevents it.",
            "Additionally, low levels of staff wellbeing are contributing to turnover.",
        ];
        assert_eq!(paragraphs(&lines).len(), 1);
    }

    #[test]
    fn first_sentence_skips_stops_in_brackets() {
        assert_eq!(
            first_sentence("Events for experts (i.e. carers, etc.). More text."),
            "Events for experts (i.e. carers, etc.)."
        );
        assert_eq!(first_sentence("Is it? Yes."), "Is it?");
        assert_eq!(first_sentence("No stop"), "No stop");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn slugs_are_ascii_words() {
        assert_eq!(slugify("1 The Context"), "1-the-context");
        assert_eq!(
            slugify("Children’s voices – heard?"),
            "childrens-voices-heard"
        );
        assert_eq!(
            slugify("“SGO Experience: Beneﬁt”"),
            "sgo-experience-benefit"
        );
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn markdown_is_escaped_only_where_it_would_be_markup() {
        assert_eq!(
            escape_inline("a * b [c] <d> snake_case _x_"),
            "a \\* b \\[c\\] \\<d> snake_case \\_x\\_"
        );
        assert_eq!(escape_inline("R&D &amp; {{ x }}"), "R&D \\&amp; \\{{ x }}");
        assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line_start("1. not a list"), "1\\. not a list");
        assert_eq!(escape_line_start("2) not a list"), "2\\) not a list");
        assert_eq!(escape_line_start("- dash"), "\\- dash");
        assert_eq!(escape_line_start("-based"), "-based");
        assert_eq!(escape_line_start("1.5 million"), "1.5 million");
        assert_eq!(escape_line_start("> quoted"), "\\> quoted");
        for s in ["a * b [c] <d> _x_ &amp; {{", "# h", "1. x"] {
            assert_eq!(unescape(&escape_line_start(s)), s);
        }
    }
}
