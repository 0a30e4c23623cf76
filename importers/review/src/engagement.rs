//! Parser for the engagement summaries whose quotes end in an attribution: the Workforce
//! Engagement Summary and the Adult Engagement Summary.
//!
//! Both are plain text taken from PDFs: one paragraph per line or block, blank lines between
//! paragraphs, bold and lists already written as Markdown, a contents list (`Title<TAB>page`)
//! near the top, and quotes as paragraphs that end in an attribution such as
//! `(Social Worker)` or in a `[from notes]` marker. The contents list decides which headings
//! start a section file; every other heading becomes a `##` heading inside its section.
//!
//! What cannot be told from the text alone — which document it is, the few passages the PDF
//! extraction put out of reading order, and where the text says how people were heard — is
//! kept per document in [`PROFILES`], so each such decision is written down once.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::text::{Vocabulary, collapse_whitespace, escape_line_start, fix_ligatures};
use super::text::{join_lines, join_split_words, slugify};
use super::{FrontMatter, ImportedFile};
use chorus::content::date::Date;
use chorus::content::kinds::{Provenance, QuoteMeta, SectionMeta, Source, SummaryMeta};

/// What the parser needs to know about one engagement summary beyond its text.
struct Profile {
    /// The document's title line, compared without regard to case: tells the documents apart.
    title: &'static str,
    /// The summary's slug: folder name and quote id prefix.
    slug: &'static str,
    /// The summary's place among the site's summaries (its `weight`).
    weight: i32,
    /// The words that introduce how people were heard; the phrase after them, up to
    /// `method_end`, becomes the summary's `method`.
    method_lead: &'static str,
    method_end: char,
    /// Passages the PDF extraction put out of reading order, moved back before parsing.
    moves: &'static [Move],
}

/// Moves the paragraphs from the one starting with `first` to the one starting with `last`
/// (inclusive) to just after the paragraph starting with `after`. A move whose paragraphs are
/// not all found is skipped, so a truncated or different text is parsed as it stands.
struct Move {
    first: &'static str,
    last: &'static str,
    after: &'static str,
}

/// The documents this parser knows, and the passages each one's text has out of reading order.
const PROFILES: &[Profile] = &[
    Profile {
        title: "Workforce Engagement Summary",
        slug: "workforce",
        weight: 2,
        method_lead: "This engagement included ",
        method_end: '.',
        // The Housing part of "Care Leavers" was extracted into the middle of the sentence
        // "Also, from August to October | 2021, we hosted…" in the methods part.
        moves: &[Move {
            first: "Housing",
            last: "Professionals also spoke of significant issues resettling",
            after: "Availability of dedicated specialist support for care leavers",
        }],
    },
    Profile {
        title: "Adult Engagement Summary",
        slug: "adults",
        weight: 3,
        method_lead: "Most of the engagement was via ",
        method_end: ',',
        moves: &[
            // The "Solutions" heading was extracted above the last paragraphs of "Working with
            // children's social care" (which end "Finally people wanted better support…").
            Move {
                first: "Solutions",
                last: "Solutions",
                after: "Finally people wanted better support",
            },
            // The end of the first "About this summary" paragraph ("…parents and | carers
            // outlined in this report…") and the whole "Methods" part (which continues after
            // that paragraph: "…and deep | dives in local authority areas") were extracted
            // above the "About this summary" heading.
            Move {
                first: "carers outlined in this report",
                last: "Since the review was launched in March 2021",
                after: "From the start of the review",
            },
        ],
    },
];

/// The date the review published its final report and these summaries, used when the text
/// gives no publication date of its own.
const DEFAULT_PUBLISHED: (i32, u32, u32) = (2022, 5, 23);

/// Parses an engagement summary into its summary, section and quote files. A text whose title
/// line is not one of the known summaries gives no files.
pub fn parse(text: &str) -> Vec<ImportedFile> {
    let text = fix_ligatures(text).replace('\r', "");
    let mut paras = split_paragraphs(&text);
    if paras.is_empty() {
        return Vec::new();
    }
    let title = collapse_whitespace(&paras.remove(0).lines().join(" "));
    let Some(profile) = PROFILES
        .iter()
        .find(|p| p.title.eq_ignore_ascii_case(&title))
    else {
        return Vec::new();
    };
    for mv in profile.moves {
        apply_move(&mut paras, mv);
    }
    let paras = join_broken_paragraphs(paras);
    let items = classify_paragraphs(&paras, &Vocabulary::from_text(&text));
    let layout = lay_out(&items);
    build_files(profile, &title, &text, &items, &layout)
}

// ---------------------------------------------------------------------------------------------
// Paragraphs

/// One block of the source between blank lines, by the shape of its lines.
#[derive(Debug, Clone, PartialEq)]
enum Para {
    /// The contents list: each line a title, a tab and a page number.
    Contents(Vec<String>),
    /// Markdown list lines (`- …` or `1. …`).
    List(Vec<String>),
    /// Anything else: prose, a heading or a quote, as its lines.
    Text(Vec<String>),
}

impl Para {
    fn lines(&self) -> &[String] {
        match self {
            Para::Contents(lines) | Para::List(lines) | Para::Text(lines) => lines,
        }
    }
}

/// Splits the text at blank (or whitespace-only) lines. Lines holding only a quotation mark are
/// dropped: the PDF's large decorative opening mark before some quotes, not part of any words.
fn split_paragraphs(text: &str) -> Vec<Para> {
    let superscripts = superscript_numbers(text);
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(shape(std::mem::take(&mut current), &superscripts));
            }
        } else if !line.chars().all(is_quote_mark) {
            current.push(line.to_string());
        }
    }
    out
}

/// The footnote numbers the text marks with a superscript digit (`Safeguarding¹` → 1).
fn superscript_numbers(text: &str) -> Vec<u32> {
    const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    (0u32..)
        .zip(SUPERSCRIPTS)
        .filter(|(_, c)| text.contains(*c))
        .map(|(n, _)| n)
        .collect()
}

fn shape(lines: Vec<String>, footnotes: &[u32]) -> Para {
    if lines.len() >= 2 && lines.iter().all(|l| is_contents_line(l)) {
        return Para::Contents(lines);
    }
    let is_footnote =
        lines.len() == 1 && numbered_marker(&lines[0]).is_some_and(|n| footnotes.contains(&n));
    if !is_footnote && lines.iter().all(|l| is_list_line(l)) {
        Para::List(lines)
    } else {
        Para::Text(lines)
    }
}

/// `Care Leavers<TAB> 21`: a title, a tab, and a page number.
fn is_contents_line(line: &str) -> bool {
    line.split_once('\t').is_some_and(|(title, page)| {
        !title.trim().is_empty()
            && !page.trim().is_empty()
            && page.trim().chars().all(|c| c.is_ascii_digit())
    })
}

fn is_list_line(line: &str) -> bool {
    line.starts_with("- ") || line.starts_with("* ") || numbered_marker(line).is_some()
}

/// The number of a `12. ` line start, if the line starts so.
fn numbered_marker(line: &str) -> Option<u32> {
    let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
    let rest = line.get(digits.len()..)?;
    if rest.starts_with(". ") {
        digits.parse().ok()
    } else {
        None
    }
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '„')
}

fn is_opening_mark(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '\'' | '„')
}

fn is_closing_mark(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | '“')
}

fn starts_with_line(para: &Para, prefix: &str) -> bool {
    match para {
        Para::Text(lines) | Para::List(lines) => {
            lines.first().is_some_and(|l| l.starts_with(prefix))
        }
        Para::Contents(_) => false,
    }
}

fn apply_move(paras: &mut Vec<Para>, mv: &Move) {
    let Some(first) = paras.iter().position(|p| starts_with_line(p, mv.first)) else {
        return;
    };
    let Some(len) = paras[first..]
        .iter()
        .position(|p| starts_with_line(p, mv.last))
    else {
        return;
    };
    let block: Vec<Para> = paras.drain(first..=first + len).collect();
    match paras.iter().position(|p| starts_with_line(p, mv.after)) {
        Some(anchor) => {
            paras.splice(anchor + 1..anchor + 1, block);
        }
        None => {
            paras.splice(first..first, block);
        }
    }
}

/// Words after which a sentence cannot end: a paragraph ending in one was cut by a page break.
const OPEN_ENDINGS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "but", "by", "for", "from", "in", "is", "no", "not", "of",
    "on", "or", "that", "the", "their", "these", "this", "those", "to", "was", "were", "which",
    "who", "with",
];

/// Puts back together what a page break split into two paragraphs, and hangs an attribution
/// standing in a paragraph of its own on the quote before it.
///
/// A paragraph was cut when it is prose of some length that does not end a sentence, and the
/// next one carries on: it starts in lower case or with a digit, or the cut paragraph ends
/// with a comma or a word no sentence ends on ("…some said that | PRUs were…"). A short line
/// without a full stop is a heading, not a cut paragraph. A quote that opens (`*` or an opening
/// quotation mark) but neither closes nor has an attribution also runs on into the next.
fn join_broken_paragraphs(paras: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for para in paras {
        if let (Some(Para::Text(prev)), Para::Text(lines)) = (out.last_mut(), &para) {
            let prev_text = join_lines(prev);
            let text = join_lines(lines);
            if is_attribution_only(&text)
                || (is_cut(&prev_text) && carries_on(&prev_text, &text))
                || (opens_unclosed(&prev_text) && !is_attribution_only(&prev_text))
            {
                prev.extend(lines.iter().cloned());
                continue;
            }
        }
        out.push(para);
    }
    out
}

fn is_cut(text: &str) -> bool {
    text.split_whitespace().count() >= 8
        && text
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == ',')
}

fn carries_on(prev: &str, next: &str) -> bool {
    let last_word = prev
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase();
    let starts_low = next
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    starts_low || prev.ends_with(',') || OPEN_ENDINGS.contains(&last_word.as_str())
}

/// A quote that has begun (italic `*` or an opening mark) and has not ended, with no
/// attribution yet: its words go on in the next paragraph.
fn opens_unclosed(text: &str) -> bool {
    if split_attribution(text).is_some() {
        return false;
    }
    if text.starts_with('*') && !text.starts_with("**") {
        return !text.ends_with('*');
    }
    match text.chars().next() {
        Some('“') => !text.contains('”'),
        _ => false,
    }
}

/// A paragraph holding only an attribution: `(Social Worker)`, `(Social Worker)*`,
/// `[from notes]`.
fn is_attribution_only(text: &str) -> bool {
    split_attribution(text).is_some_and(|(rest, _)| rest.trim_matches('*').trim().is_empty())
}

// ---------------------------------------------------------------------------------------------
// Quotes

/// Who a quote is attributed to, as the source gives it.
#[derive(Debug, Clone, PartialEq)]
enum Attribution {
    /// `(Social Worker)`: the speaker, without the brackets.
    Speaker(String),
    /// `[from notes]` and the like: words taken from notes, with no speaker. The label is
    /// the bracket's text as printed ("from notes of a conversation with a parent with
    /// SEND"), kept because it can say more than "from notes" and the site says no more,
    /// and no less, than the source.
    FromNotes(String),
}

/// One participant quote found in a paragraph.
#[derive(Debug, Clone, PartialEq)]
struct Quote {
    /// Narrative that leads into the quote in the same paragraph ("…in financial need:").
    lead_in: Option<String>,
    /// The words, without the outer quotation marks and italics, not yet escaped.
    words: String,
    attribution: Attribution,
}

/// Splits a trailing attribution off a paragraph: `(Role)` or a `[from notes…]` marker, with an
/// italic `*` after it allowed. Returns the text before it and the attribution.
fn split_attribution(text: &str) -> Option<(&str, Attribution)> {
    let core = text.trim_end().trim_end_matches('*').trim_end();
    if let Some(inner_end) = core.strip_suffix(')') {
        let open = inner_end.rfind('(')?;
        let role = inner_end.get(open + 1..)?.trim();
        is_role(role).then(|| (&core[..open], Attribution::Speaker(role.to_string())))
    } else if let Some(inner_end) = core.strip_suffix(']') {
        let open = inner_end.rfind('[')?;
        let marker = inner_end.get(open + 1..)?.trim();
        marker
            .to_lowercase()
            .starts_with("from notes")
            .then(|| (&core[..open], Attribution::FromNotes(marker.to_string())))
    } else {
        None
    }
}

/// The person nouns an attribution is built on ("Social Worker", "Local Authority staff",
/// "Parent of disabled child", "Director of Children's Services").
const ROLE_NOUNS: &[&str] = &[
    "adopter",
    "carer",
    "director",
    "leader",
    "manager",
    "officer",
    "parent",
    "practitioner",
    "professional",
    "staff",
    "volunteer",
    "worker",
];

/// Words a bracketed aside starts with that no attribution does: "(for example private therapy
/// for parents)", "(for residential staff)", "(e.g. no youth services)".
const ASIDE_STARTS: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "e.g.",
    "eg",
    "for",
    "i.e.",
    "ie",
    "in",
    "including",
    "on",
    "or",
    "see",
    "such",
    "the",
    "which",
    "who",
];

/// Whether bracketed text names a speaker: a few words, no figures or sentence punctuation,
/// built on a person noun, and not starting like an aside.
fn is_role(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    (1..=6).contains(&words.len())
        && !text
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ';' | ':'))
        && !ASIDE_STARTS.contains(&first.as_str())
        && words.iter().any(|w| ROLE_NOUNS.contains(&w.as_str()))
}

/// Reads a paragraph as a quote when it ends in an attribution.
fn parse_quote(text: &str) -> Option<Quote> {
    let (rest, attribution) = split_attribution(text)?;
    let words = strip_italics(strip_italics(rest.trim()).trim()).trim();
    if words.is_empty() {
        return None;
    }
    let (lead_in, words) = split_lead_in(words);
    Some(Quote {
        lead_in: lead_in.map(str::to_string),
        words: strip_outer_marks(words).to_string(),
        attribution,
    })
}

/// `*words*` → `words` (an italic quote); bold `**` is left alone.
fn strip_italics(text: &str) -> &str {
    if text.starts_with("**") {
        return text;
    }
    match text.strip_prefix('*') {
        Some(inner) => inner.strip_suffix('*').unwrap_or(inner),
        None => text,
    }
}

/// Splits narrative that introduces a quote in the same paragraph —
/// `Making the process more transparent…: "So a booklet…"` — from the quoted words. Only when
/// the paragraph itself does not open with a quotation mark and the words run in quotation
/// marks from the colon to the end.
fn split_lead_in(text: &str) -> (Option<&str>, &str) {
    if text.chars().next().is_some_and(is_opening_mark) {
        return (None, text);
    }
    if !text.chars().last().is_some_and(is_closing_mark) {
        return (None, text);
    }
    for (i, _) in text.match_indices(':') {
        let after = text[i + 1..].trim_start();
        let lead = &text[..=i];
        if after.chars().next().is_some_and(is_opening_mark) && !lead.chars().any(is_quote_mark) {
            return (Some(lead), after);
        }
    }
    (None, text)
}

/// Removes the quotation marks around the whole of the words (the theme draws its own),
/// whatever their kind — the source mixes “…”, "…", '…' and mismatched pairs like “…’.
/// Marks that do not enclose the whole (‘…’ followed by more words) stay.
fn strip_outer_marks(text: &str) -> &str {
    let mut chars = text.chars();
    match (chars.next(), chars.next_back()) {
        (Some(open), Some(close)) if is_opening_mark(open) && is_closing_mark(close) => {
            text[open.len_utf8()..text.len() - close.len_utf8()].trim()
        }
        _ => text,
    }
}

// ---------------------------------------------------------------------------------------------
// Items

/// A paragraph read for what it is.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// Contents-list titles (page numbers dropped).
    Contents(Vec<String>),
    List(Vec<String>),
    Heading(String),
    Prose(String),
    Quote(Quote),
}

fn classify_paragraphs(paras: &[Para], vocabulary: &Vocabulary) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        let item = match para {
            Para::Contents(lines) => Item::Contents(
                lines
                    .iter()
                    .map(|l| {
                        l.trim_end_matches(|c: char| c.is_ascii_digit())
                            .trim()
                            .to_string()
                    })
                    .collect(),
            ),
            Para::List(lines) => Item::List(lines.clone()),
            Para::Text(lines) => {
                let text = join_lines(lines);
                if let Some(quote) = parse_quote(&text) {
                    Item::Quote(quote)
                } else if is_heading(lines, paras.get(i + 1)) {
                    Item::Heading(join_split_words(&text, vocabulary))
                } else {
                    Item::Prose(text)
                }
            }
        };
        // Two lists with only a blank line between them are one list.
        if let (Some(Item::List(prev)), Item::List(next)) = (items.last_mut(), &item) {
            prev.extend(next.iter().cloned());
        } else {
            items.push(item);
        }
    }
    items
}

/// A heading is one short line that does not end a sentence, followed by more text. A line
/// ending in a colon is a heading only when prose follows ("Questions asked:"); before a list
/// or another short colon line it introduces them ("Ideas included:", "Some of the key issues
/// highlighted are as follows:" before "Parents seeking help:" and its list).
fn is_heading(lines: &[String], next: Option<&Para>) -> bool {
    let Some(last) = short_line(lines).and_then(|line| line.chars().last()) else {
        return false;
    };
    match next {
        None | Some(Para::Contents(_)) => false,
        Some(Para::List(_)) => last != ':',
        Some(Para::Text(next_lines)) => {
            last != ':' || !short_line(next_lines).is_some_and(|n| n.ends_with(':'))
        }
    }
}

/// The paragraph's one line, when it has the shape of a heading: at most 80 characters and 12
/// words, starting with a capital or a digit, no sentence inside, and ending in a letter, a
/// digit, `?` or `:` rather than a full stop.
fn short_line(lines: &[String]) -> Option<&str> {
    let [line] = lines else {
        return None;
    };
    let starts_well = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ends_well = line
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == '?' || c == ':');
    (line.chars().count() <= 80
        && line.split_whitespace().count() <= 12
        && starts_well
        && ends_well
        && !line.contains(". "))
    .then_some(line.as_str())
}

// ---------------------------------------------------------------------------------------------
// Layout: the introduction and the sections

/// Where the introduction and each section lie in the item list.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    /// Item indices of the introduction (the summary's body).
    intro: std::ops::Range<usize>,
    sections: Vec<SectionSpan>,
}

#[derive(Debug, Clone, PartialEq)]
struct SectionSpan {
    title: String,
    /// Item indices of the section's body (after its heading).
    body: std::ops::Range<usize>,
}

/// Whether a heading is the one a contents entry names: the same words, or the same
/// "Appendix 1:" label (the contents list shortens "Appendix 1: Questions asked to each
/// group" to "Appendix 1: Group questions").
fn heading_matches(heading: &str, entry: &str) -> bool {
    let heading = collapse_whitespace(heading).to_lowercase();
    let entry = collapse_whitespace(entry).to_lowercase();
    if heading == entry {
        return true;
    }
    match (heading.split_once(':'), entry.split_once(':')) {
        (Some((a, _)), Some((b, _))) => a == b,
        _ => false,
    }
}

/// Finds the top-level headings, in contents order, and cuts the items into the introduction
/// and sections.
///
/// A contents entry whose heading the text lacks (the PDF set it as an image: "Working in the
/// system", "Parents") starts right after the contents list when the list stands between the
/// entries found before and after it. A heading right at the start is the introduction's own
/// ("Introduction"): its text is the summary's body, not a section.
fn lay_out(items: &[Item]) -> Layout {
    let contents_at = items.iter().position(|i| matches!(i, Item::Contents(_)));
    let entries: Vec<String> = match contents_at.and_then(|at| items.get(at)) {
        Some(Item::Contents(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    // (entry title, heading index if found)
    let mut found: Vec<(String, Option<usize>)> = Vec::new();
    let mut cursor = 0;
    for entry in &entries {
        let at = items
            .iter()
            .enumerate()
            .skip(cursor)
            .find_map(|(i, item)| match item {
                Item::Heading(h) if heading_matches(h, entry) => Some(i),
                _ => None,
            });
        if let Some(at) = at {
            cursor = at + 1;
        }
        found.push((entry.clone(), at));
    }
    // (title, heading index, body start)
    let mut starts: Vec<(String, Option<usize>, usize)> = Vec::new();
    for (k, (entry, at)) in found.iter().enumerate() {
        match at {
            Some(at) => {
                let title = match items.get(*at) {
                    Some(Item::Heading(h)) => h.clone(),
                    _ => entry.clone(),
                };
                starts.push((title, Some(*at), at + 1));
            }
            None => {
                let before = found[..k].iter().rev().find_map(|(_, a)| *a);
                let after = found[k + 1..].iter().find_map(|(_, a)| *a);
                let Some(contents) = contents_at else {
                    continue;
                };
                let in_gap =
                    before.is_none_or(|b| b < contents) && after.is_none_or(|a| contents < a);
                let gap_taken = starts
                    .iter()
                    .any(|(_, h, s)| h.is_none() && *s == contents + 1);
                if in_gap && !gap_taken {
                    starts.push((entry.clone(), None, contents + 1));
                }
            }
        }
    }
    starts.sort_by_key(|(_, heading, start)| heading.unwrap_or(*start));
    let first_at = |s: &(String, Option<usize>, usize)| s.1.unwrap_or(s.2);
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(first_at)
        .chain(std::iter::once(items.len()))
        .collect();
    let mut spans: Vec<SectionSpan> = starts
        .iter()
        .zip(ends)
        .map(|((title, _, start), end)| SectionSpan {
            title: title.clone(),
            body: *start..end.max(*start),
        })
        .collect();
    let intro = match starts.first() {
        Some((_, Some(0), _)) => {
            let span = spans.remove(0);
            span.body
        }
        Some(first) => {
            let skip = usize::from(matches!(items.first(), Some(Item::Heading(_))));
            skip.min(first_at(first))..first_at(first)
        }
        None => usize::from(matches!(items.first(), Some(Item::Heading(_))))..items.len(),
    };
    Layout {
        intro,
        sections: spans,
    }
}

// ---------------------------------------------------------------------------------------------
// Output

fn build_files(
    profile: &Profile,
    title: &str,
    text: &str,
    items: &[Item],
    layout: &Layout,
) -> Vec<ImportedFile> {
    let slug = profile.slug;
    let intro = items.get(layout.intro.clone()).unwrap_or_default();
    let mut quotes: Vec<ImportedFile> = Vec::new();
    let mut sections: Vec<ImportedFile> = Vec::new();
    let mut used_slugs: Vec<String> = Vec::new();
    for (n, span) in layout.sections.iter().enumerate() {
        let weight = i32::try_from(n + 1).unwrap_or(i32::MAX);
        let section_slug = unique_slug(&span.title, &mut used_slugs);
        let body_items = items.get(span.body.clone()).unwrap_or_default();
        let body = render_body(body_items, slug, &section_slug, &mut quotes);
        sections.push(ImportedFile {
            path: PathBuf::from(format!("summaries/{slug}/{weight:02}-{section_slug}.md")),
            front_matter: FrontMatter::Section(SectionMeta {
                title: span.title.clone(),
                weight,
                themes: Vec::new(),
                content_note: Vec::new(),
                aliases: Vec::new(),
                updated: None,
                changes: Vec::new(),
                lint_allow: Vec::new(),
                draft: false,
            }),
            body,
        });
    }
    // The introduction holds no quotes in either document; any it had would be placed there
    // under the summary's own slug.
    let intro_body = render_body(intro, slug, slug, &mut quotes);
    let summary = ImportedFile {
        path: PathBuf::from(format!("summaries/{slug}/_index.md")),
        front_matter: FrontMatter::Summary(SummaryMeta {
            title: title.to_string(),
            lede: lede(intro),
            published: published(text),
            audiences: audiences(intro),
            method: method(profile, items),
            participants: participants(text),
            source: Source {
                title: title.to_string(),
                url: None,
            },
            weight: profile.weight,
            themes: Vec::new(),
            aliases: Vec::new(),
            updated: None,
            changes: Vec::new(),
            lint_allow: Vec::new(),
            draft: false,
        }),
        body: intro_body,
    };
    let mut files = vec![summary];
    files.extend(sections);
    files.extend(quotes);
    files
}

fn unique_slug(title: &str, used: &mut Vec<String>) -> String {
    let base = match slugify(title) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while used.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    used.push(slug.clone());
    slug
}

/// Renders items as Markdown, numbering each quote it places and adding its quote file.
fn render_body(
    items: &[Item],
    summary: &str,
    section: &str,
    quotes: &mut Vec<ImportedFile>,
) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for item in items {
        match item {
            Item::Contents(_) => {}
            Item::List(lines) => blocks.push(
                lines
                    .iter()
                    .map(|l| drop_dead_links(l))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Item::Heading(h) => {
                blocks.push(format!("## {}", drop_dead_links(h.trim_end_matches(':'))))
            }
            Item::Prose(p) => blocks.push(escape_block_start(&drop_dead_links(p))),
            Item::Quote(quote) => {
                if let Some(lead) = &quote.lead_in {
                    blocks.push(escape_block_start(&drop_dead_links(lead)));
                }
                let id = format!("{summary}-{:03}", quotes.len() + 1);
                blocks.push(format!("{{{{ quote(id=\"{id}\") }}}}"));
                quotes.push(quote_file(quote, &id, summary, section));
            }
        }
    }
    blocks.join("\n\n")
}

fn quote_file(quote: &Quote, id: &str, summary: &str, section: &str) -> ImportedFile {
    let (speaker, provenance, attribution) = match &quote.attribution {
        Attribution::Speaker(s) => (Some(s.clone()), Provenance::Verbatim, None),
        Attribution::FromNotes(label) => (
            None,
            Provenance::FromNotes,
            Some(collapse_whitespace(label)),
        ),
    };
    ImportedFile {
        path: PathBuf::from(format!("quotes/{summary}/{id}.md")),
        front_matter: FrontMatter::Quote(QuoteMeta {
            id: id.to_string(),
            speaker,
            voice: None,
            provenance,
            attribution,
            summary: summary.to_string(),
            section: section.to_string(),
            themes: Vec::new(),
            content_note: Vec::new(),
            aliases: Vec::new(),
            updated: None,
            privacy_reviewed: false,
            changes: Vec::new(),
            lint_allow: Vec::new(),
            draft: false,
        }),
        body: escape_line_start(&collapse_whitespace(&quote.words)),
    }
}

/// `[Case for Change](#)` → `Case for Change`: the PDF's links lost their targets, and a link
/// to `#` goes nowhere. Links with a real target stay.
fn drop_dead_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(end) = rest.find("](#)") {
        let head = &rest[..end];
        match head.rfind('[') {
            Some(open) => {
                out.push_str(&head[..open]);
                out.push_str(&head[open + 1..]);
            }
            None => {
                out.push_str(head);
                out.push_str("](#)");
            }
        }
        rest = &rest[end + "](#)".len()..];
    }
    out.push_str(rest);
    out
}

/// Prose comes from the source already written in Markdown, so only a paragraph start that
/// Markdown would read as a block is escaped — the footnote `1. Contextual safeguarding is…`
/// is a note, not a list.
fn escape_block_start(text: &str) -> String {
    if let Some(n) = numbered_marker(text) {
        let digits = n.to_string();
        if let Some(rest) = text.get(digits.len()..) {
            return format!("{digits}\\{rest}");
        }
    }
    match text.chars().next() {
        Some('#' | '>' | '+') => format!("\\{text}"),
        _ => text.to_string(),
    }
}

/// Markdown reduced to plain text for the lede: bold markers and link brackets dropped.
fn plain(text: &str) -> String {
    collapse_whitespace(&drop_dead_links(text).replace("**", ""))
}

/// The first sentence of the introduction: the document's own description of itself.
fn lede(intro: &[Item]) -> String {
    let Some(first) = intro.iter().find_map(|i| match i {
        Item::Prose(p) => Some(plain(p)),
        _ => None,
    }) else {
        return String::new();
    };
    let chars: Vec<(usize, char)> = first.char_indices().collect();
    for w in chars.windows(3) {
        if let [(i, '.'), (_, ' '), (_, next)] = w
            && next.is_uppercase()
        {
            return first[..=*i].to_string();
        }
    }
    first
}

/// The people the summary heard from: the introduction's first list, and any list that follows
/// it after only a short lead-in line ("Adults who care for children:").
fn audiences(intro: &[Item]) -> Vec<String> {
    let Some(start) = intro.iter().position(|i| matches!(i, Item::List(_))) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = start;
    while let Some(Item::List(lines)) = intro.get(i) {
        out.extend(lines.iter().map(|l| {
            plain(l.trim_start_matches(['-', '*', ' ']))
                .trim_end_matches('.')
                .to_string()
        }));
        match intro.get(i + 1) {
            Some(Item::Prose(p)) if p.ends_with(':') && p.split_whitespace().count() <= 8 => {
                i += 2;
            }
            _ => break,
        }
    }
    out
}

/// A publication date the text states ("Published 23 May 2022"), or else the day the review
/// published its final report and these summaries.
fn published(text: &str) -> Date {
    let stated = text.lines().find_map(|line| {
        let line = line.trim();
        let head = line
            .get(..9)
            .filter(|h| h.eq_ignore_ascii_case("published"))?;
        let date: Vec<&str> = line[head.len()..]
            .trim_start_matches([':', ' '])
            .split_whitespace()
            .take(3)
            .collect();
        NaiveDate::parse_from_str(&date.join(" "), "%d %B %Y").ok()
    });
    let (y, m, d) = DEFAULT_PUBLISHED;
    Date(
        stated
            .or_else(|| NaiveDate::from_ymd_opt(y, m, d))
            .unwrap_or_default(),
    )
}

/// The phrase of the methods part that says how people were heard (see [`Profile`]), with its
/// first letter capitalised as a field value.
fn method(profile: &Profile, items: &[Item]) -> String {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Prose(p) => Some(plain(p)),
            _ => None,
        })
        .find_map(|p| {
            let start = p.find(profile.method_lead)? + profile.method_lead.len();
            let phrase = &p[start..];
            let phrase = phrase
                .find(profile.method_end)
                .map_or(phrase, |end| &phrase[..end]);
            let mut chars = phrase.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        })
        .unwrap_or_default()
}

/// How many people took part, where the text says so: "we have spoken to over 147 adults".
fn participants(text: &str) -> Option<u32> {
    let text = collapse_whitespace(text);
    text.match_indices("spoken to ").find_map(|(i, found)| {
        text[i + found.len()..]
            .split_whitespace()
            .take(2)
            .find_map(|w| w.parse().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::unescape;

    fn quotes(files: &[ImportedFile]) -> Vec<(&QuoteMeta, &str)> {
        files
            .iter()
            .filter_map(|f| match &f.front_matter {
                FrontMatter::Quote(q) => Some((q, f.body.as_str())),
                _ => None,
            })
            .collect()
    }

    fn sections(files: &[ImportedFile]) -> Vec<(&SectionMeta, &ImportedFile)> {
        files
            .iter()
            .filter_map(|f| match &f.front_matter {
                FrontMatter::Section(s) => Some((s, f)),
                _ => None,
            })
            .collect()
    }

    fn summary(files: &[ImportedFile]) -> Option<(&SummaryMeta, &str)> {
        files.iter().find_map(|f| match &f.front_matter {
            FrontMatter::Summary(s) => Some((s, f.body.as_str())),
            _ => None,
        })
    }

    /// A short workforce document around `body`: title, introduction, contents list.
    fn workforce(body: &str) -> String {
        format!(
            "Workforce Engagement Summary\n\nAbout this summary\n\n\
             This engagement summary details the findings. It was carried out later.\n\n\
             Working in the system\t 2\nCare Leavers\t 21\n\n{body}"
        )
    }

    fn quote_of(text: &str) -> Option<Quote> {
        parse_quote(text)
    }

    #[test]
    fn a_quote_split_by_a_page_break_is_one_quote() {
        let doc = workforce(
            "Legal framework\n\nThere was a feeling amongst the feedback.\n\n\
             Look at the main Acts – then social workers have to take the responsibility \
             (as the Children's Act makes them\n\n\n\n\
             take the responsibility). The Housing Act could say more. (Local Authority Staff)\n",
        );
        let files = parse(&doc);
        let q = quotes(&files);
        assert_eq!(q.len(), 1);
        assert_eq!(
            q[0].1,
            "Look at the main Acts – then social workers have to take the responsibility \
             (as the Children's Act makes them take the responsibility). The Housing Act could \
             say more."
        );
        assert_eq!(q[0].0.speaker.as_deref(), Some("Local Authority Staff"));
    }

    #[test]
    fn an_attribution_on_its_own_line_belongs_to_the_quote_before() {
        let doc = workforce(
            "Funding\n\nIt was felt the funding streams are complex.\n\n\
             Local authorities are underfunded. Other departments have shrunk.\n\
             (Director of Children's Services)\n\n\
             We need to support parents sympathetically and practically.\n\n\
             (Social Worker)\n",
        );
        let files = parse(&doc);
        let q = quotes(&files);
        assert_eq!(q.len(), 2);
        assert_eq!(
            q[0].1,
            "Local authorities are underfunded. Other departments have shrunk."
        );
        assert_eq!(
            q[0].0.speaker.as_deref(),
            Some("Director of Children's Services")
        );
        assert_eq!(
            q[1].1,
            "We need to support parents sympathetically and practically."
        );
        assert_eq!(q[1].0.speaker.as_deref(), Some("Social Worker"));
        let (_, section) = &sections(&files)[0];
        assert!(!section.body.contains("(Social Worker)"));
    }

    #[test]
    fn a_lone_opening_mark_before_a_quote_is_dropped() {
        let doc = workforce(
            "Motivation\n\nProfessionals told us things.\n\n\n\n“\n\
             Less paperwork, meetings and less emails. (Social Worker)\n",
        );
        let files = parse(&doc);
        let q = quotes(&files);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].1, "Less paperwork, meetings and less emails.");
        let (_, section) = &sections(&files)[0];
        assert_eq!(
            section.body,
            "## Motivation\n\nProfessionals told us things.\n\n{{ quote(id=\"workforce-001\") }}"
        );
    }

    #[test]
    fn an_italic_quote_loses_its_asterisks() {
        let q = quote_of(
            "*There needs to be a more diverse choice of foster placements \
             (Social Worker)*",
        );
        assert_eq!(
            q,
            Some(Quote {
                lead_in: None,
                words: "There needs to be a more diverse choice of foster placements".into(),
                attribution: Attribution::Speaker("Social Worker".into()),
            })
        );
        let q =
            quote_of("*“Going through the process is really harmful.” (Care experienced parent)*");
        assert_eq!(
            q.map(|q| q.words),
            Some("Going through the process is really harmful.".to_string())
        );
    }

    #[test]
    fn a_from_notes_quote_has_no_speaker() {
        let q = quote_of(
            "She was forced to have children because of abuse. No one thought it's because \
             of abuse. [from notes]",
        );
        assert_eq!(
            q,
            Some(Quote {
                lead_in: None,
                words: "She was forced to have children because of abuse. No one thought it's \
                        because of abuse."
                    .into(),
                attribution: Attribution::FromNotes("from notes".into()),
            })
        );
        let q = quote_of(
            "Would've handled things better. [from notes of a conversation with a parent with SEND]",
        );
        assert_eq!(
            q.map(|q| q.attribution),
            Some(Attribution::FromNotes(
                "from notes of a conversation with a parent with SEND".into()
            ))
        );
        // A quote whose own quotation marks close before the notes go on keeps them.
        let q = quote_of(
            "‘Support is non-existent.’ This means some parents turn to drink. [From notes]",
        );
        assert_eq!(
            q.map(|q| q.words),
            Some("‘Support is non-existent.’ This means some parents turn to drink.".to_string())
        );
    }

    #[test]
    fn mismatched_quotation_marks_are_stripped_as_a_pair() {
        let words = |t: &str| quote_of(t).map(|q| q.words);
        assert_eq!(
            words(
                "“[Children’s social care should be] supporting our children’ (Parent of SEND child)"
            ),
            Some("[Children’s social care should be] supporting our children".to_string())
        );
        assert_eq!(
            words("\"Support dropped after court proceedings.' (Kinship carer)"),
            Some("Support dropped after court proceedings.".to_string())
        );
        assert_eq!(
            words("\" There is no structure.\" (Kinship carer)"),
            Some("There is no structure.".to_string())
        );
        assert_eq!(
            words("'They still know me as an addict' (Parent)"),
            Some("They still know me as an addict".to_string())
        );
    }

    #[test]
    fn a_narrative_paragraph_ending_in_a_bracket_is_not_a_quote() {
        assert_eq!(
            quote_of(
                "Resources become more available following court action as part of the care \
                 plan (for example private therapy for parents)"
            ),
            None
        );
        assert_eq!(
            quote_of(
                "6. Do you feel that your training gave you the skills? (for residential staff)"
            ),
            None
        );
        assert_eq!(
            quote_of("Some parents felt judged by services (CAMHS)"),
            None
        );
        let doc = workforce(
            "Legal framework\n\nIt was commented that the court process was too adversarial \
             (for example private therapy for parents)\n\nMore text follows here.\n",
        );
        assert!(quotes(&parse(&doc)).is_empty());
    }

    #[test]
    fn a_sub_heading_becomes_a_markdown_heading_and_a_contents_entry_a_section() {
        let doc = workforce(
            "Motivation\n\nProfessionals came to help children.\n\nCare Leavers\n\n\
             Transition from care varied greatly.\n\nHousing\n\n\
             Housing is a basic need. It was raised.\n",
        );
        let files = parse(&doc);
        let s = sections(&files);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0.title, "Working in the system");
        assert_eq!(s[0].0.weight, 1);
        assert_eq!(
            s[0].1.path,
            PathBuf::from("summaries/workforce/01-working-in-the-system.md")
        );
        assert_eq!(
            s[0].1.body,
            "## Motivation\n\nProfessionals came to help children."
        );
        assert_eq!(s[1].0.title, "Care Leavers");
        assert_eq!(
            s[1].1.body,
            "Transition from care varied greatly.\n\n## Housing\n\nHousing is a basic need. It was raised."
        );
        let (meta, body) = summary(&files).unwrap_or_else(|| unreachable!("a summary file"));
        assert_eq!(meta.lede, "This engagement summary details the findings.");
        assert!(!body.contains("About this summary"));
        assert!(!body.contains('\t'));
    }

    #[test]
    fn a_colon_line_before_a_list_is_a_lead_in_and_lists_stay_lists() {
        let doc = workforce(
            "Suggestions to improve multi-agency working\n\nIdeas included:\n\n\
             - **Completing joint home visits**\n- **Shared group supervisions**\n\n\
             Questions asked:\n\nThe engagement activities were designed well.\n",
        );
        let files = parse(&doc);
        let (_, section) = &sections(&files)[0];
        assert_eq!(
            section.body,
            "## Suggestions to improve multi-agency working\n\nIdeas included:\n\n\
             - **Completing joint home visits**\n- **Shared group supervisions**\n\n\
             ## Questions asked\n\nThe engagement activities were designed well."
        );
    }

    #[test]
    fn an_inline_quote_stays_in_the_narrative_and_a_lead_in_is_split_off() {
        let doc = workforce(
            "Motivation\n\nThey felt there was higher expectation. “you’ve got 6 months to sort \
             out everything” (parent) – it’s not long.\n\n\
             Making the process more transparent: \"So a booklet, a 'how to'\" (Parent)\n",
        );
        let files = parse(&doc);
        let q = quotes(&files);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].1, "So a booklet, a 'how to'");
        let (_, section) = &sections(&files)[0];
        assert!(
            section
                .body
                .contains("“you’ve got 6 months to sort out everything” (parent) –")
        );
        assert!(section.body.ends_with(
            "Making the process more transparent:\n\n{{ quote(id=\"workforce-001\") }}"
        ));
    }

    #[test]
    fn dead_links_keep_their_text_and_a_footnote_is_not_a_list() {
        assert_eq!(
            drop_dead_links("after the [Case for Change](#) and [a site](https://x.org)"),
            "after the Case for Change and [a site](https://x.org)"
        );
        let doc = workforce(
            "Motivation\n\nModels such as Contextual Safeguarding¹ help.\n\n\
             1. Contextual safeguarding is an approach to safeguarding children.\n",
        );
        let files = parse(&doc);
        let (_, section) = &sections(&files)[0];
        assert!(section.body.ends_with(
            "\n\n1\\. Contextual safeguarding is an approach to safeguarding children."
        ));
    }

    #[test]
    fn unknown_empty_and_truncated_texts_do_not_panic() {
        assert!(parse("").is_empty());
        assert!(parse("Some other document\n\nText.").is_empty());
        let full = include_str!("../sources/adults.txt");
        for cut in [10, 200, 2_000, 20_000] {
            let end = full
                .char_indices()
                .map(|(i, _)| i)
                .find(|i| *i >= cut)
                .unwrap_or(full.len());
            let _ = parse(&full[..end]);
        }
        let files = parse("Adult Engagement Summary");
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn a_passage_out_of_reading_order_is_moved_back_and_rejoined() {
        let text = |s: &str| Para::Text(vec![s.to_string()]);
        // In the order the extraction left them.
        let mut paras = vec![
            text("carers outlined in this report we carried out engagement."),
            text("Methods"),
            text("Since the review was launched in March 2021 we met them and deep"),
            text("About this summary"),
            text("From the start of the review we listened to adults, parents and"),
            text("dives in local authority areas."),
        ];
        apply_move(
            &mut paras,
            &Move {
                first: "carers outlined in this report",
                last: "Since the review was launched in March 2021",
                after: "From the start of the review",
            },
        );
        let joined: Vec<String> = join_broken_paragraphs(paras)
            .iter()
            .map(|p| join_lines(p.lines()))
            .collect();
        assert_eq!(
            joined,
            [
                "About this summary",
                "From the start of the review we listened to adults, parents and carers \
                 outlined in this report we carried out engagement.",
                "Methods",
                "Since the review was launched in March 2021 we met them and deep dives in \
                 local authority areas.",
            ]
        );
    }

    #[test]
    fn a_stated_publication_date_is_used() {
        assert_eq!(
            published("Published 4 March 2021\n").to_string(),
            "2021-03-04"
        );
        assert_eq!(published("No date here.\n").to_string(), "2022-05-23");
    }

    /// Checks shared by both full-source tests: every quote's words are the source's, each
    /// shortcode has its quote file and the other way round, quotes are placed in the
    /// section their `section` names, and a speaker appears only with verbatim words.
    fn check_full_source(source: &str, slug: &str) -> Vec<ImportedFile> {
        let files = parse(source);
        let flat_source = collapse_whitespace(&fix_ligatures(source));
        let q = quotes(&files);
        for (meta, body) in &q {
            let words = collapse_whitespace(&unescape(body));
            assert!(flat_source.contains(&words), "{}: {words}", meta.id);
            assert_eq!(meta.summary, slug);
            if meta.provenance == Provenance::FromNotes {
                assert_eq!(meta.speaker, None, "{}", meta.id);
                let label = meta.attribution.as_deref().unwrap_or_default();
                assert!(flat_source.contains(&format!("[{label}]")), "{}", meta.id);
            }
            if let Some(speaker) = &meta.speaker {
                assert!(flat_source.contains(&format!("({speaker})")), "{}", meta.id);
            }
            assert!(!words.is_empty());
        }
        let mut placed: Vec<(String, String)> = Vec::new();
        for (meta, file) in sections(&files) {
            let section_slug = file
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.split_once('-'))
                .map(|(_, s)| s.to_string())
                .unwrap_or_default();
            assert!(!meta.title.is_empty());
            for line in file.body.lines() {
                if let Some(id) = line
                    .strip_prefix("{{ quote(id=\"")
                    .and_then(|l| l.strip_suffix("\") }}"))
                {
                    placed.push((id.to_string(), section_slug.clone()));
                }
            }
            assert!(!file.body.contains("](#)"));
        }
        let ids: Vec<(String, String)> = q
            .iter()
            .map(|(m, _)| (m.id.clone(), m.section.clone()))
            .collect();
        assert_eq!(placed, ids);
        for (n, (id, _)) in ids.iter().enumerate() {
            assert_eq!(*id, format!("{slug}-{:03}", n + 1));
        }
        files
    }

    fn speaker_counts(files: &[ImportedFile]) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (meta, _) in quotes(files) {
            let key = meta.speaker.clone().unwrap_or_else(|| "—".to_string());
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        counts.sort();
        counts
    }

    /// Counts by reading the whole text: the contents list has 7 entries, each a section
    /// ("Working in the system" has no heading line; its text starts after the contents list).
    /// 65 lines end in a bracket; one is "(for residential staff)" in the appendix's list, the
    /// other 64 attributions end one quote each (two quotes run across a page break, two have
    /// the attribution on its own line).
    #[test]
    fn the_full_workforce_summary() {
        let files = check_full_source(include_str!("../sources/workforce.txt"), "workforce");
        let titles: Vec<&str> = sections(&files)
            .iter()
            .map(|(s, _)| s.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Working in the system",
                "Early help and prevention",
                "The care system",
                "Care Leavers",
                "About this summary",
                "Appendix 1: Questions asked to each group",
                "References"
            ]
        );
        assert_eq!(quotes(&files).len(), 64);
        let expected: Vec<(String, usize)> = [
            ("Director of Children's Services", 2),
            ("Early Help Practitioner", 3),
            ("Education professional", 1),
            ("Fostering support staff", 1),
            ("Health professional", 2),
            ("LA staff", 1),
            ("Local Authority Staff", 9),
            ("Local Authority staff", 25),
            ("Social Worker", 14),
            ("Social Worker - Practice Leader", 1),
            ("Social worker", 1),
            ("Social worker - Practice Leader", 1),
            ("Third sector Professional", 1),
            ("Volunteer", 2),
        ]
        .iter()
        .map(|(s, n)| (s.to_string(), *n))
        .collect();
        assert_eq!(speaker_counts(&files), expected);
        let (meta, body) = summary(&files).unwrap_or_else(|| unreachable!("a summary file"));
        assert_eq!(meta.title, "Workforce Engagement Summary");
        assert_eq!(meta.published.to_string(), "2022-05-23");
        assert_eq!(meta.audiences.len(), 7);
        assert_eq!(meta.audiences[0], "Social workers");
        assert_eq!(
            meta.method,
            "Workshops, surveys, focus groups, and one-to-one conversations"
        );
        assert_eq!(meta.participants, None);
        assert!(body.starts_with("This engagement summary details"));
        assert!(body.contains("following the Case for Change which"));
        // The Housing part is back in "Care Leavers" and the split sentence is whole again.
        let s = sections(&files);
        assert!(s[3].1.body.contains("## Housing"));
        assert!(
            s[4].1
                .body
                .contains("Also, from August to October 2021, we hosted")
        );
    }

    /// Counts by reading the whole text: the contents list has 9 entries; "Introduction" is
    /// the summary's body, the other 8 are sections ("Parents" has no heading line). 95
    /// paragraphs end in an attribution or a from-notes marker; the inline “you’ve got 6
    /// months…” (parent) stays narrative.
    #[test]
    fn the_full_adults_summary() {
        let files = check_full_source(include_str!("../sources/adults.txt"), "adults");
        let titles: Vec<&str> = sections(&files)
            .iter()
            .map(|(s, _)| s.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "What have we learned?",
                "Parents",
                "Kinship carers",
                "Foster carers",
                "Adopters",
                "Working with children's social care",
                "Solutions",
                "About this summary"
            ]
        );
        assert_eq!(quotes(&files).len(), 95);
        let expected: Vec<(String, usize)> = [
            ("Adoptive parent", 1),
            ("Birth parent", 11),
            ("Care experienced parent", 11),
            ("Foster carer", 19),
            ("Kinship carer", 11),
            ("Parent", 23),
            ("Parent of SEND child", 1),
            ("Parent of child", 1),
            ("Parent of disabled child", 4),
            ("Parent with a learning disability", 1),
            ("Traveller Parent", 1),
            ("Traveller parent", 1),
            ("—", 10),
        ]
        .iter()
        .map(|(s, n)| (s.to_string(), *n))
        .collect();
        assert_eq!(speaker_counts(&files), expected);
        let (meta, _) = summary(&files).unwrap_or_else(|| unreachable!("a summary file"));
        assert_eq!(meta.title, "Adult Engagement Summary");
        assert_eq!(
            meta.audiences,
            [
                "Parents",
                "Birth Parents",
                "Care experienced parents",
                "Kinship carers",
                "Foster carers",
                "Adopters"
            ]
        );
        assert_eq!(meta.participants, Some(147));
        assert_eq!(meta.method, "Online meetings");
        let s = sections(&files);
        let about = &s[7].1.body;
        assert!(
            about.contains("care experienced adults, parents and carers outlined in this report")
        );
        assert!(
            about.contains(
                "in-person visits to organisations and deep dives in local authority areas"
            )
        );
        assert!(!s[6].1.body.contains("## Methods"));
        assert!(s[5].1.body.contains("Finally people wanted better support"));
    }
}
