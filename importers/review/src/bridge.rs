//! Parser for the Bridge the Gap summary (`sources/bridge-the-gap.txt`).
//!
//! The document is a PDF extraction with no title line. Its main part has numbered section
//! headings ("1 The Context"), display headings that the PDF split into pieces on separate
//! lines and letter-spaced ("About t he" / "Create Event Process"), sub-headings with and
//! without a trailing colon, a numbered and a lettered list, and lists whose bullets were lost.
//! Its appendix summarises each Create conversation: the conversation's title is set in
//! quotation marks exactly like the participant quotes that follow it, and only the next line
//! tells them apart — after a title comes a sentence about who took part.
//!
//! Output: `summaries/bridge-the-gap/_index.md`, one section file per main section
//! (`NN-<slug>.md`, weight NN), one section per conversation (`1NN-<slug>.md`, weight 1NN, so
//! they sort after every main section whatever their number), and one quote file per
//! participant quote, placed by shortcode where it stood.

use std::collections::HashSet;
use std::path::PathBuf;

use super::text::{
    Vocabulary, collapse_whitespace, ends_sentence, escape_inline, escape_line_start,
    first_sentence, fix_ligatures, join_lines, join_split_words, paragraphs, running_headers,
    slugify, strip_page_furniture,
};
use super::{FrontMatter, ImportedFile};
use chorus::content::date::Date;
use chorus::content::kinds::{Provenance, QuoteMeta, SectionMeta, SummaryMeta};

const SLUG: &str = "bridge-the-gap";
/// The document has no title line; this is the name its text gives the process.
const TITLE: &str = "Bridge the Gap";
/// The publication date is not in the text; this is the date the review published its
/// engagement summaries.
const PUBLISHED: &str = "2022-05-23";
/// "Bridge the Gap is a series of highly participatory online events…"
const METHOD: &str = "Online participatory events";
/// The summary's place among the site's summaries: the first.
const WEIGHT: i32 = 1;

/// Conversation sections are weighted from here, after every main section.
const CONVERSATION_WEIGHT_BASE: i32 = 100;
/// The most words of a title kept in a conversation's file slug.
const SLUG_WORDS: usize = 7;

/// A piece of a section body, in reading order.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Quote(RawQuote),
    /// The list of one round's conversations, linked (appendix only).
    Links(usize),
}

/// One list item, with the bullet items nested under it.
#[derive(Debug, Clone, PartialEq, Default)]
struct Item {
    text: String,
    children: Vec<String>,
}

/// A quotation block as the PDF laid it out: its lines, plus words the PDF scattered onto
/// lines of their own, which belong at the end of its first line.
#[derive(Debug, Clone, PartialEq, Default)]
struct RawQuote {
    lines: Vec<String>,
    scattered: Vec<String>,
}

impl RawQuote {
    /// The words, in order, with the outer quotation marks removed.
    fn words(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some((first, rest)) = self.lines.split_first() {
            parts.push(first);
            parts.extend(self.scattered.iter().map(String::as_str));
            parts.extend(rest.iter().map(String::as_str));
        }
        strip_quote_marks(&join_lines(&parts))
    }

    /// The first line has room left on it: the PDF set the line justified and some of its
    /// words were extracted elsewhere.
    fn has_gap(&self) -> bool {
        self.lines.len() > 1 && self.lines.first().is_some_and(|l| l.chars().count() < 50)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Section {
    title: String,
    blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
struct Conversation {
    round: usize,
    title: String,
    blocks: Vec<Block>,
}

/// Parses the Bridge the Gap summary into its summary, section and quote files.
pub fn parse(text: &str) -> Vec<ImportedFile> {
    let text = fix_ligatures(text);
    let headers = running_headers(&text, 3);
    let text = strip_page_furniture(&text, &headers);
    let vocabulary = Vocabulary::from_text(&text);
    let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    if lines.iter().all(String::is_empty) {
        return Vec::new();
    }
    let round_start = lines.iter().position(|l| round_number(l).is_some());
    let main_end = round_start.unwrap_or(lines.len());
    let main_lines = break_after_brackets(&bridge_blank_gaps(&lines[..main_end]), &text);
    let opening = opening_headings(&main_lines, &vocabulary);
    let mut sections = parse_main(&main_lines, &vocabulary);
    let (rounds, conversations) = parse_appendix(&lines[main_end..]);
    if let Some(appendix) = sections.last_mut() {
        for (round, intro) in rounds {
            appendix
                .blocks
                .push(Block::Heading(2, format!("Round {round}")));
            appendix.blocks.extend(intro);
            appendix.blocks.push(Block::Links(round));
        }
    }
    write(&opening, &sections, &conversations, &lines)
}

/// A blank line inside a sentence (the line before does not end one and the next starts in
/// lower case) is a PDF artefact; closing it up lets the sentence join into one paragraph.
fn bridge_blank_gaps(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            let prev = out.last().filter(|p| !p.is_empty());
            let next = lines[i + 1..].iter().find(|l| !l.is_empty());
            if let (Some(prev), Some(next)) = (prev, next)
                && !ends_sentence(prev)
                && !is_heading_piece(prev)
                && next.starts_with(char::is_lowercase)
            {
                continue;
            }
        }
        out.push(line.clone());
    }
    out
}

/// A bullet point that ends with a closing bracket and no full stop ("…peer group
/// networks)") runs straight into the next point's first line. Where the next line starts
/// with a capitalised word the document otherwise writes in lower case ("Many"), that
/// capital starts a new sentence, so a blank line is put between them.
fn break_after_brackets(lines: &[String], text: &str) -> Vec<String> {
    let lower_words: HashSet<&str> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && w.chars().all(char::is_lowercase))
        .collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push(line.clone());
        let Some(next) = lines.get(i + 1) else {
            continue;
        };
        let first: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        let capitalised = first.chars().next().is_some_and(char::is_uppercase)
            && first.chars().skip(1).all(char::is_lowercase);
        if line.ends_with(')')
            && capitalised
            && first.chars().count() > 1
            && lower_words.contains(first.to_lowercase().as_str())
        {
            out.push(String::new());
        }
    }
    out
}

/// `Round 2` on a line of its own: the appendix's round headings.
fn round_number(line: &str) -> Option<usize> {
    line.strip_prefix("Round ")
        .and_then(|n| n.trim().parse().ok())
}

fn first_word_len(line: &str) -> usize {
    line.split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count())
}

fn starts_upper(line: &str) -> bool {
    line.starts_with(|c: char| c.is_uppercase())
}

/// A short line that could be (part of) a display heading: no sentence punctuation at the
/// end except a colon, no comma, not a quotation, and starting with a capital or `&`.
fn is_heading_piece(line: &str) -> bool {
    let len = line.chars().count();
    len > 0
        && len <= 40
        && !line.contains(',')
        && (starts_upper(line) || line.starts_with('&'))
        && !line.ends_with(['.', '?', '!', '”', '"', ';', ')'])
        && lettered_item(line).is_none()
}

/// `a Create, the final…`: a lettered list item; returns the letter's index (a = 0).
fn lettered_item(line: &str) -> Option<usize> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    let space = chars.next()?;
    let next = chars.next()?;
    (letter.is_ascii_lowercase() && space == ' ' && next.is_uppercase())
        .then(|| usize::from(letter as u8 - b'a'))
}

/// `2 Explore stories…`: a number, a space and text; returns the number.
fn numbered(line: &str) -> Option<(usize, &str)> {
    let (number, rest) = line.split_once(' ')?;
    if number.is_empty() || number.len() > 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, rest.trim()))
}

fn next_non_blank(lines: &[String], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].is_empty())
}

fn prev_non_blank(lines: &[String], before: usize) -> Option<usize> {
    (0..before).rev().find(|&j| !lines[j].is_empty())
}

/// Whether a line starts a quotation block rather than continuing prose with an inline
/// quotation: it opens with a quotation mark and does not close it before the line ends
/// (`“pitch” why they feel…` and `“conferences”.` are prose).
fn is_quote_start(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(['“', '"']) else {
        return false;
    };
    match rest.find('”') {
        Some(pos) => rest[pos + '”'.len_utf8()..].trim().is_empty(),
        None => true,
    }
}

/// Whether line `i` starts a quotation block, in its context: besides [`is_quote_start`], a
/// quotation opening in lower case right after prose that stops mid-sentence continues that
/// sentence ("…by stating that" / "“adoptees will always remain…”.").
fn quote_starts_at(lines: &[String], i: usize) -> bool {
    let line = &lines[i];
    if !is_quote_start(line) {
        return false;
    }
    let lower = line.chars().nth(1).is_some_and(char::is_lowercase);
    let prev = prev_non_blank(lines, i).map(|p| lines[p].as_str());
    !(lower && prev.is_some_and(|p| !ends_sentence(p) && !p.ends_with(['”', '"'])))
}

/// Whether a quotation that began with `open` closes at the end of `line`. A straight `"`
/// closes only when it is unpaired, so `“Establish "kinship orders", …` stays open.
fn closes_quote(line: &str, straight_quotes_so_far: usize) -> bool {
    line.ends_with('”') || (line.ends_with('"') && straight_quotes_so_far % 2 == 1)
}

fn strip_quote_marks(text: &str) -> String {
    let text = text.trim();
    let text = text.strip_prefix(['“', '"']).unwrap_or(text);
    let text = text.strip_suffix(['”', '"']).unwrap_or(text);
    text.trim().to_string()
}

// ---------------------------------------------------------------------------------------------
// Main part

/// What a line of the main part starts.
enum Start {
    /// A new section with this title; the value is the index after its last line.
    Section(String, usize),
    Heading(usize, String, usize),
}

/// The headings the document opens with, before its first section: its "Summary", which
/// heads the whole summary. Reading stops at the first line that is no heading.
fn opening_headings(lines: &[String], vocabulary: &Vocabulary) -> Vec<String> {
    let mut headings = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        match heading_at(lines, i, None, false, vocabulary) {
            Some(Start::Heading(_, text, next)) => {
                headings.push(text);
                i = next;
            }
            _ => break,
        }
    }
    headings
}

/// Parses the main part (everything before the first `Round` heading) into sections.
/// Text before the first section heading is left out: its headings are the summary's
/// ([`opening_headings`]), and this document has nothing else there.
fn parse_main(lines: &[String], vocabulary: &Vocabulary) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    // The number the next numbered heading must have; any number before the first one.
    let mut expected_number: Option<usize> = None;
    let mut prose: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_empty() {
            prose.push(String::new());
            i += 1;
            continue;
        }
        let has_sub_heading = sections
            .last()
            .is_some_and(|s| s.blocks.iter().any(|b| matches!(b, Block::Heading(2, _))));
        if let Some(start) = heading_at(lines, i, expected_number, has_sub_heading, vocabulary) {
            flush_prose(&mut prose, &mut sections);
            match start {
                Start::Section(title, next) => {
                    if let Some((n, _)) = numbered(&lines[i])
                        && expected_number.is_none_or(|e| n == e)
                    {
                        expected_number = Some(n + 1);
                    }
                    sections.push(Section {
                        title,
                        blocks: Vec::new(),
                    });
                    i = next;
                }
                Start::Heading(level, text, next) => {
                    push_block(&mut sections, Block::Heading(level, text));
                    i = next;
                }
            }
            continue;
        }
        let intro_ends_colon = prev_non_blank(lines, i).is_some_and(|p| lines[p].ends_with(':'));
        if intro_ends_colon && numbered(line).is_some_and(|(n, rest)| n == 1 && starts_upper(rest))
        {
            flush_prose(&mut prose, &mut sections);
            let (list, next) = numbered_list(lines, i);
            push_block(&mut sections, list);
            i = next;
            continue;
        }
        if lettered_item(line) == Some(0) {
            flush_prose(&mut prose, &mut sections);
            let (blocks, next) = lettered_list(lines, i, expected_number, vocabulary);
            for block in blocks {
                push_block(&mut sections, block);
            }
            i = next.max(i + 1);
            continue;
        }
        if quote_starts_at(lines, i) {
            flush_prose(&mut prose, &mut sections);
            let (quote, next) = read_quote(lines, i);
            push_block(&mut sections, Block::Quote(quote));
            i = next;
            continue;
        }
        if line.ends_with(':') && !prose.iter().all(String::is_empty) {
            let next = next_non_blank(lines, i + 1);
            let list_follows = next.is_some_and(|j| {
                starts_upper(&lines[j])
                    && !is_quote_start(&lines[j])
                    && heading_at(lines, j, expected_number, has_sub_heading, vocabulary).is_none()
                    && numbered(&lines[j]).is_none_or(|(n, _)| n != 1)
            });
            if list_follows {
                prose.push(line.clone());
                flush_prose(&mut prose, &mut sections);
                let (blocks, next) = bullet_list(lines, i + 1, expected_number, vocabulary);
                for block in blocks {
                    push_block(&mut sections, block);
                }
                i = next;
                continue;
            }
        }
        prose.push(line.clone());
        i += 1;
    }
    flush_prose(&mut prose, &mut sections);
    sections
}

fn push_block(sections: &mut [Section], block: Block) {
    if let Some(section) = sections.last_mut() {
        section.blocks.push(block);
    }
}

fn flush_prose(prose: &mut Vec<String>, sections: &mut [Section]) {
    for paragraph in paragraphs(prose) {
        push_block(sections, Block::Paragraph(paragraph));
    }
    prose.clear();
}

/// Decides whether line `i` starts a section or a heading.
///
/// - A numbered heading: the next section number, a short title without sentence
///   punctuation, and no list context (the line before does not end with a colon).
/// - A display heading: short heading-like pieces separated by single blank lines, after a
///   blank line or a finished sentence. In this document the large display headings were
///   extracted as several pieces ("About t he" / "Create Event Process"); a group of two or
///   more pieces starts a section, a single piece after a blank line is a `##` heading
///   ("Met hodology", "Notes").
/// - A sub-heading right after a finished sentence: either ending with a colon ("Inclusion:",
///   `##`), or without any end punctuation where the next line's first word would have fitted
///   on it (so it is not a wrapped line) (`###` under a `##`, else `##`).
fn heading_at(
    lines: &[String],
    i: usize,
    expected_number: Option<usize>,
    has_sub_heading: bool,
    vocabulary: &Vocabulary,
) -> Option<Start> {
    let line = &lines[i];
    let prev = prev_non_blank(lines, i);
    let blank_before = i == 0 || lines[i - 1].is_empty();
    // A finished sentence, or a heading on a line of its own after a blank line.
    let after_sentence = prev.is_none_or(|p| {
        ends_sentence(&lines[p])
            || (is_heading_piece(&lines[p]) && (p == 0 || lines[p - 1].is_empty()))
    });
    let next = next_non_blank(lines, i + 1);
    let next_line = next.map(|j| lines[j].as_str());
    let clean = |t: &str| join_split_words(t, vocabulary);

    if let Some((n, rest)) = numbered(line)
        && expected_number.is_none_or(|e| n == e)
        && line.chars().count() <= 60
        && !ends_sentence(line)
        && !line.ends_with(',')
        && prev.is_none_or(|p| !lines[p].ends_with(':'))
        && next_line
            .is_none_or(|l| !l.starts_with(char::is_lowercase) || lettered_item(l).is_some())
    {
        return Some(Start::Section(clean(rest), i + 1));
    }

    if is_heading_piece(line) && (blank_before || after_sentence) {
        let mut pieces = vec![line.clone()];
        let mut end = i + 1;
        while end + 1 < lines.len() && lines[end].is_empty() && is_heading_piece(&lines[end + 1]) {
            pieces.push(lines[end + 1].clone());
            end += 2;
        }
        if pieces.len() > 1 {
            return Some(Start::Section(clean(&pieces.join(" ")), end));
        }
        if blank_before && !line.ends_with(':') {
            return Some(Start::Heading(2, clean(line), i + 1));
        }
    }

    if !after_sentence || !next_line.is_some_and(starts_upper) || line.contains(',') {
        return None;
    }
    let len = line.chars().count();
    if let Some(title) = line.strip_suffix(':')
        && len <= 60
        && starts_upper(line)
        && !title.contains(". ")
    {
        return Some(Start::Heading(2, clean(title), i + 1));
    }
    let next_len = next_line.map_or(0, |l| l.chars().count());
    let fits = len + 1 + next_line.map_or(0, first_word_len) <= next_len;
    if len <= 70
        && fits
        && starts_upper(line)
        && !is_quote_start(line)
        && !line.ends_with(['.', '?', '!', ':', ';', ',', '”', '"', ')'])
    {
        let level = if has_sub_heading { 3 } else { 2 };
        return Some(Start::Heading(level, clean(line), i + 1));
    }
    None
}

/// A numbered list ("1 Connect with…", "2 Explore…"): items start with the next number,
/// other lines continue the item; the list ends at a blank line not followed by the next item.
fn numbered_list(lines: &[String], start: usize) -> (Block, usize) {
    let mut items: Vec<Vec<String>> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_empty() {
            let next = next_non_blank(lines, i + 1);
            if next.is_some_and(|j| numbered(&lines[j]).is_some_and(|(n, _)| n == items.len() + 1))
            {
                i += 1;
                continue;
            }
            break;
        }
        match numbered(line) {
            Some((n, rest)) if n == items.len() + 1 => items.push(vec![rest.to_string()]),
            _ => match items.last_mut() {
                Some(item) => item.push(line.clone()),
                None => items.push(vec![line.clone()]),
            },
        }
        i += 1;
    }
    let items = items
        .iter()
        .map(|lines| Item {
            text: join_lines(lines),
            children: Vec::new(),
        })
        .collect();
    (
        Block::List {
            ordered: true,
            items,
        },
        i,
    )
}

/// A lettered list ("a Create, the final…", "b …", "c …"), rendered as an ordered list since
/// Markdown has no lettered lists. An item that ends with a colon takes the bullet list that
/// follows it as nested items; prose after that list follows the list.
fn lettered_list(
    lines: &[String],
    start: usize,
    expected_number: Option<usize>,
    vocabulary: &Vocabulary,
) -> (Vec<Block>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut after: Vec<Block> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_empty() {
            i += 1;
            continue;
        }
        if heading_at(lines, i, expected_number, false, vocabulary).is_some() {
            break;
        }
        if lettered_item(line) == Some(items.len() + usize::from(!current.is_empty())) {
            if !current.is_empty() {
                items.push(Item {
                    text: join_lines(&current),
                    children: Vec::new(),
                });
            }
            current = vec![line.get(2..).unwrap_or_default().to_string()];
            i += 1;
            continue;
        }
        if line.ends_with(':') && !current.is_empty() {
            current.push(line.clone());
            let (blocks, next) = bullet_list(lines, i + 1, expected_number, vocabulary);
            let mut item = Item {
                text: join_lines(&current),
                children: Vec::new(),
            };
            current.clear();
            for block in blocks {
                match block {
                    Block::List { items: sub, .. } if item.children.is_empty() => {
                        item.children = sub.into_iter().map(|s| s.text).collect();
                    }
                    other => after.push(other),
                }
            }
            items.push(item);
            i = next;
            break;
        }
        current.push(line.clone());
        i += 1;
    }
    if !current.is_empty() {
        items.push(Item {
            text: join_lines(&current),
            children: Vec::new(),
        });
    }
    let mut blocks = vec![Block::List {
        ordered: true,
        items,
    }];
    blocks.extend(after);
    (blocks, i)
}

/// The bullet list after an introduction ending in a colon, whose bullets the PDF dropped.
///
/// Each item is one sentence: it ends at a line ending a sentence or at a blank line. The
/// list ends at a heading, a quotation, or a line at least 10 characters wider than the width
/// the items so far wrapped at (the items were indented, so running prose is wider); the
/// remaining lines up to the next heading are returned as paragraphs after the list.
fn bullet_list(
    lines: &[String],
    start: usize,
    expected_number: Option<usize>,
    vocabulary: &Vocabulary,
) -> (Vec<Block>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut widest = 0;
    let mut i = start;
    let mut rest: Vec<String> = Vec::new();
    while i < lines.len() {
        let line = &lines[i];
        if !line.is_empty()
            && (heading_at(lines, i, expected_number, true, vocabulary).is_some()
                || is_quote_start(line)
                || lettered_item(line).is_some())
        {
            break;
        }
        if !rest.is_empty() {
            rest.push(line.clone());
            i += 1;
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                widest = widest.max(full_width(&current));
                items.push(Item {
                    text: join_lines(&current),
                    children: Vec::new(),
                });
                current.clear();
            }
            i += 1;
            continue;
        }
        let len = line.chars().count();
        if current.is_empty() && widest > 0 && len >= widest + 10 {
            rest.push(line.clone());
            i += 1;
            continue;
        }
        current.push(line.clone());
        if ends_sentence(line) {
            widest = widest.max(full_width(&current));
            items.push(Item {
                text: join_lines(&current),
                children: Vec::new(),
            });
            current.clear();
        }
        i += 1;
    }
    if !current.is_empty() {
        items.push(Item {
            text: join_lines(&current),
            children: Vec::new(),
        });
    }
    let mut blocks = Vec::new();
    if !items.is_empty() {
        blocks.push(Block::List {
            ordered: false,
            items,
        });
    }
    blocks.extend(paragraphs(&rest).into_iter().map(Block::Paragraph));
    (blocks, i)
}

/// The widest of an item's lines that wrapped (every line but its last): the width the
/// items were set at.
fn full_width(lines: &[String]) -> usize {
    let wrapped = lines.len().saturating_sub(1);
    lines[..wrapped]
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

/// Reads a quotation block starting at `start`: up to the line that closes it. A quotation
/// the PDF left unclosed ends before a blank line, another quotation, or a sentence saying who
/// took part in a conversation (which only ever follows a conversation's title).
fn read_quote(lines: &[String], start: usize) -> (RawQuote, usize) {
    let mut quote = RawQuote::default();
    let mut straight = 0;
    let mut i = start;
    while i < lines.len() && quote.lines.len() < 12 {
        let line = &lines[i];
        straight += line.matches('"').count();
        quote.lines.push(line.clone());
        i += 1;
        if closes_quote(line, straight) {
            break;
        }
        let next = lines.get(i).map(String::as_str).unwrap_or_default();
        if next.is_empty()
            || quote_starts_at(lines, i)
            || round_number(next).is_some()
            || (!next.contains('”') && is_participants_sentence(&opening_sentence(lines, i)))
        {
            break;
        }
    }
    (quote, i)
}

// ---------------------------------------------------------------------------------------------
// Appendix

/// The first sentence of the prose starting at line `from` (up to three lines).
fn opening_sentence(lines: &[String], from: usize) -> String {
    let opening: Vec<&String> = lines
        .iter()
        .skip(from)
        .take(3)
        .take_while(|l| !l.is_empty())
        .collect();
    first_sentence(&join_lines(&opening))
}

/// Whether a sentence says who took part in a conversation ("Six participants joined the
/// proposer…", "This conversation attracted 10 participants.", "A total of two people took
/// part…"). Such a sentence follows every conversation title and no participant quote.
fn is_participants_sentence(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    starts_upper(sentence)
        && ["proposer", "took part", "this conversation", "the caller"]
            .iter()
            .any(|k| lower.contains(k))
}

/// A line the PDF scattered out of a justified quotation line: one or two short tokens on a
/// line of their own between blank lines ("support", "(with", "-").
fn is_fragment(lines: &[String], i: usize) -> bool {
    let line = &lines[i];
    let blank = |j: Option<&String>| j.is_none_or(|l| l.is_empty());
    !line.is_empty()
        && line.split_whitespace().count() <= 2
        && line.chars().count() <= 24
        && !is_quote_start(line)
        && round_number(line).is_none()
        && i > 0
        && blank(lines.get(i - 1))
        && blank(lines.get(i + 1))
}

/// Parses the appendix from its first `Round` heading: each round's introduction, and every
/// conversation with its prose and quotes.
fn parse_appendix(lines: &[String]) -> (Vec<(usize, Vec<Block>)>, Vec<Conversation>) {
    let mut rounds: Vec<(usize, Vec<Block>)> = Vec::new();
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut prose: Vec<String> = Vec::new();
    // Whether prose goes to the current conversation (true) or the round's introduction.
    let mut in_conversation = false;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(round) = round_number(line) {
            flush_appendix_prose(&mut prose, &mut rounds, &mut conversations, in_conversation);
            rounds.push((round, Vec::new()));
            in_conversation = false;
            i += 1;
            continue;
        }
        if is_fragment(lines, i) {
            flush_appendix_prose(&mut prose, &mut rounds, &mut conversations, in_conversation);
            let gappy = conversations
                .last_mut()
                .filter(|_| in_conversation)
                .and_then(|c| {
                    c.blocks.iter_mut().rev().find_map(|b| match b {
                        Block::Quote(q) if q.has_gap() => Some(q),
                        _ => None,
                    })
                });
            match gappy {
                Some(quote) => quote.scattered.push(line.clone()),
                None => prose.push(line.clone()),
            }
            i += 1;
            continue;
        }
        if quote_starts_at(lines, i) {
            flush_appendix_prose(&mut prose, &mut rounds, &mut conversations, in_conversation);
            let (quote, next) = read_quote(lines, i);
            let following = next_non_blank(lines, next);
            let is_title = following.is_some_and(|j| {
                !is_quote_start(&lines[j]) && is_participants_sentence(&opening_sentence(lines, j))
            });
            if is_title {
                conversations.push(Conversation {
                    round: rounds.last().map_or(0, |r| r.0),
                    title: quote.words(),
                    blocks: Vec::new(),
                });
                in_conversation = true;
            } else {
                appendix_target(&mut rounds, &mut conversations, in_conversation)
                    .push(Block::Quote(quote));
            }
            i = next;
            continue;
        }
        prose.push(line.clone());
        i += 1;
    }
    flush_appendix_prose(&mut prose, &mut rounds, &mut conversations, in_conversation);
    (rounds, conversations)
}

fn appendix_target<'a>(
    rounds: &'a mut Vec<(usize, Vec<Block>)>,
    conversations: &'a mut [Conversation],
    in_conversation: bool,
) -> &'a mut Vec<Block> {
    if in_conversation && let Some(c) = conversations.last_mut() {
        return &mut c.blocks;
    }
    if rounds.is_empty() {
        rounds.push((0, Vec::new()));
    }
    let last = rounds.len() - 1;
    &mut rounds[last].1
}

fn flush_appendix_prose(
    prose: &mut Vec<String>,
    rounds: &mut Vec<(usize, Vec<Block>)>,
    conversations: &mut [Conversation],
    in_conversation: bool,
) {
    if prose.iter().all(String::is_empty) {
        prose.clear();
        return;
    }
    let target = appendix_target(rounds, conversations, in_conversation);
    target.extend(paragraphs(prose).into_iter().map(Block::Paragraph));
    prose.clear();
}

// ---------------------------------------------------------------------------------------------
// Output

/// A slug of at most [`SLUG_WORDS`] words, unique among `used`.
fn unique_slug(title: &str, used: &mut HashSet<String>) -> String {
    let full = slugify(title);
    let short: Vec<&str> = full.split('-').take(SLUG_WORDS).collect();
    let base = match short.join("-") {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while !used.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

struct Rendered {
    files: Vec<ImportedFile>,
    quote_count: usize,
}

fn write(
    opening: &[String],
    sections: &[Section],
    conversations: &[Conversation],
    lines: &[String],
) -> Vec<ImportedFile> {
    let mut used = HashSet::new();
    let section_slugs: Vec<String> = sections
        .iter()
        .map(|s| unique_slug(&s.title, &mut used))
        .collect();
    let conversation_slugs: Vec<String> = conversations
        .iter()
        .map(|c| unique_slug(&c.title, &mut used))
        .collect();
    let conversation_paths: Vec<String> = conversations
        .iter()
        .zip(&conversation_slugs)
        .enumerate()
        .map(|(n, (_, slug))| {
            format!(
                "{:03}-{slug}.md",
                CONVERSATION_WEIGHT_BASE + i32::try_from(n + 1).unwrap_or(i32::MAX)
            )
        })
        .collect();

    let mut out = Rendered {
        files: vec![summary_file(
            lines,
            summary_body(opening, sections, &section_slugs),
        )],
        quote_count: 0,
    };
    for (n, (section, slug)) in sections.iter().zip(&section_slugs).enumerate() {
        let weight = i32::try_from(n + 1).unwrap_or(i32::MAX);
        let links = |round: usize| {
            conversations
                .iter()
                .zip(&conversation_paths)
                .filter(|(c, _)| c.round == round)
                .map(|(c, path)| {
                    format!("- [{}](@/summaries/{SLUG}/{path})", escape_inline(&c.title))
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let body = render(&section.blocks, slug, &mut out, &links);
        out.files.push(section_file(
            main_section_file(n, slug),
            &section.title,
            weight,
            body,
        ));
    }
    for (n, (conversation, path)) in conversations.iter().zip(&conversation_paths).enumerate() {
        let weight = CONVERSATION_WEIGHT_BASE + i32::try_from(n + 1).unwrap_or(i32::MAX);
        let slug = &conversation_slugs[n];
        let body = render(&conversation.blocks, slug, &mut out, &|_| String::new());
        out.files.push(section_file(
            path.clone(),
            &conversation.title,
            weight,
            body,
        ));
    }
    out.files
}

/// The file name of the `n`th main section (from 0): `01-the-context.md`.
fn main_section_file(n: usize, slug: &str) -> String {
    format!("{:02}-{slug}.md", n + 1)
}

/// The summary's body: the headings the document opens with ("Summary"), over the main
/// sections they head, linked, as each is a page of its own. Without an opening heading
/// the body is empty: the theme lists the sections already, and nothing is said that the
/// document does not.
fn summary_body(opening: &[String], sections: &[Section], slugs: &[String]) -> String {
    if opening.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = opening
        .iter()
        .map(|heading| format!("## {}", escape_inline(heading)))
        .collect();
    let links: Vec<String> = sections
        .iter()
        .zip(slugs)
        .enumerate()
        .map(|(n, (section, slug))| {
            format!(
                "- [{}](@/summaries/{SLUG}/{})",
                escape_inline(&section.title),
                main_section_file(n, slug)
            )
        })
        .collect();
    if !links.is_empty() {
        parts.push(links.join("\n"));
    }
    parts.join("\n\n")
}

fn section_file(name: String, title: &str, weight: i32, body: String) -> ImportedFile {
    ImportedFile {
        path: PathBuf::from(format!("summaries/{SLUG}/{name}")),
        front_matter: FrontMatter::Section(SectionMeta {
            title: title.to_string(),
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
    }
}

/// Renders blocks as Markdown, writing a quote file for each quote.
fn render(
    blocks: &[Block],
    section: &str,
    out: &mut Rendered,
    links: &dyn Fn(usize) -> String,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                parts.push(format!("{} {}", "#".repeat(*level), escape_inline(text)));
            }
            Block::Paragraph(text) => parts.push(escape_line_start(text)),
            Block::List { ordered, items } => {
                let mut list = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", n + 1)
                    } else {
                        "- ".to_string()
                    };
                    let indent = " ".repeat(marker.len());
                    list.push(format!("{marker}{}", escape_line_start(&item.text)));
                    for child in &item.children {
                        list.push(format!("{indent}- {}", escape_line_start(child)));
                    }
                }
                parts.push(list.join("\n"));
            }
            Block::Quote(quote) => {
                out.quote_count += 1;
                let id = format!("{SLUG}-{:03}", out.quote_count);
                parts.push(format!("{{{{ quote(id=\"{id}\") }}}}"));
                out.files.push(ImportedFile {
                    path: PathBuf::from(format!("quotes/{SLUG}/{id}.md")),
                    front_matter: FrontMatter::Quote(QuoteMeta {
                        id,
                        speaker: None,
                        voice: None,
                        provenance: Provenance::Verbatim,
                        attribution: None,
                        summary: SLUG.to_string(),
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
                    body: escape_line_start(&quote.words()),
                });
            }
            Block::Links(round) => {
                let list = links(*round);
                if !list.is_empty() {
                    parts.push(list);
                }
            }
        }
    }
    parts.join("\n\n")
}

/// The summary's `_index.md`. The lede is the document's own sentence defining Bridge the
/// Gap; the audiences are the groups that sentence lists as experts by experience.
fn summary_file(lines: &[String], body: String) -> ImportedFile {
    let all = collapse_whitespace(&lines.join(" "));
    let lede = all
        .find("Bridge the Gap is a series")
        .map(|start| first_sentence(&all[start..]))
        .or_else(|| {
            all.split(". ")
                .next()
                .map(|s| format!("{}.", s.trim_end_matches('.')))
        })
        .unwrap_or_else(|| TITLE.to_string());
    let audiences = lede
        .find("(i.e. ")
        .and_then(|start| {
            let rest = &lede[start + "(i.e. ".len()..];
            rest.find(')').map(|end| &rest[..end])
        })
        .map(audience_list)
        .unwrap_or_default();
    ImportedFile {
        path: PathBuf::from(format!("summaries/{SLUG}/_index.md")),
        front_matter: FrontMatter::Summary(SummaryMeta {
            title: TITLE.to_string(),
            lede,
            published: Date::parse(PUBLISHED)
                .unwrap_or_else(|e| unreachable!("the constant date is valid: {e}")),
            audiences,
            method: METHOD.to_string(),
            participants: None,
            source: chorus::content::kinds::Source {
                title: format!("{TITLE} Summary"),
                url: None,
            },
            weight: WEIGHT,
            themes: Vec::new(),
            aliases: Vec::new(),
            updated: None,
            changes: Vec::new(),
            lint_allow: Vec::new(),
            draft: false,
        }),
        body,
    }
}

/// "kinship carers, foster carers, …, social workers and other professionals" → the groups,
/// first letter capitalised. Only the last element is split at "and": earlier ones
/// ("birth parents and families") name one group.
fn audience_list(list: &str) -> Vec<String> {
    let mut parts: Vec<String> = list.split(", ").map(str::to_string).collect();
    if let Some(last) = parts.pop() {
        match last.rsplit_once(" and ") {
            Some((a, b)) => {
                parts.push(a.to_string());
                parts.push(b.to_string());
            }
            None => parts.push(last),
        }
    }
    parts
        .iter()
        .map(|p| {
            let mut chars = p.trim().chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .filter(|p: &String| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::unescape;

    fn sections(files: &[ImportedFile]) -> Vec<(&ImportedFile, &SectionMeta)> {
        files
            .iter()
            .filter_map(|f| match &f.front_matter {
                FrontMatter::Section(m) => Some((f, m)),
                _ => None,
            })
            .collect()
    }

    fn quotes(files: &[ImportedFile]) -> Vec<(&ImportedFile, &QuoteMeta)> {
        files
            .iter()
            .filter_map(|f| match &f.front_matter {
                FrontMatter::Quote(m) => Some((f, m)),
                _ => None,
            })
            .collect()
    }

    fn section<'a>(files: &'a [ImportedFile], title: &str) -> &'a ImportedFile {
        sections(files)
            .into_iter()
            .find(|(_, m)| m.title == title)
            .map(|(f, _)| f)
            .unwrap_or_else(|| panic!("no section {title:?}"))
    }

    /// The appendix and one conversation, in the document's layout.
    const APPENDIX: &str = "1 The Context\nIntro.\n\nAppendix:\n\nDetailed Conversat ion\n\nSummaries\n\
        The quotations in this appendix are a true reflection.\n\nRound 1\n\
        In Round One, the following conversations took place:\n";

    #[test]
    fn spaced_apart_display_heading_becomes_a_section_and_a_single_piece_a_heading() {
        let text = "1 The Context\nSome text about the methodology and the process.\n\
            It was about the event.\n About t he\n\nCreate Event Process\n\
            \"Create” is a collective participation event.\n\nMet hodology\n\
            Create uses a chaordic facilitation methodology known as Open Space.\n";
        let files = parse(text);
        let about = section(&files, "About the Create Event Process");
        assert_eq!(
            about.body,
            "\"Create” is a collective participation event.\n\n## Methodology\n\n\
             Create uses a chaordic facilitation methodology known as Open Space."
        );
        assert_eq!(
            about.path,
            PathBuf::from("summaries/bridge-the-gap/02-about-the-create-event-process.md")
        );
    }

    #[test]
    fn running_header_and_page_number_between_two_paragraphs_are_removed() {
        let text = "1 The Context\nThe review team conducted a preliminary analysis\n\
            of the system.\n3\nBridge the Gap Summary\nThe overall purpose of the review is\n\
            to answer a question.\n4\nBridge the Gap Summary\nMore text here.\n5\n\
            Bridge the Gap Summary\nEnd of text.\n";
        let files = parse(text);
        assert_eq!(
            section(&files, "The Context").body,
            "The review team conducted a preliminary analysis of the system.\n\n\
             The overall purpose of the review is to answer a question.\n\n\
             More text here. End of text."
        );
    }

    #[test]
    fn numbered_heading_and_numbered_list_are_told_apart() {
        let text = "2 Bridge the gap\nBridge the Gap is a 3-step process with the purpose of engaging people\n\
            from across the system to:\n\n1 Connect with each other and the Case for Change, open\n\
            up a dialogue around it.\n2 Explore stories of people’s experience of children's social\n\
            care.\n3 Create solutions for the whole system by co-creating an\nagenda of conversations.\n\n\
            3 Summary of Findings from the Explore Events\nIn the explore step of the process.\n";
        let files = parse(text);
        let titles: Vec<&str> = sections(&files)
            .iter()
            .map(|(_, m)| m.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Bridge the gap",
                "Summary of Findings from the Explore Events"
            ]
        );
        assert_eq!(
            section(&files, "Bridge the gap").body,
            "Bridge the Gap is a 3-step process with the purpose of engaging people from across \
             the system to:\n\n\
             1. Connect with each other and the Case for Change, open up a dialogue around it.\n\
             2. Explore stories of people’s experience of children's social care.\n\
             3. Create solutions for the whole system by co-creating an agenda of conversations."
        );
    }

    #[test]
    fn the_line_after_a_quoted_line_tells_a_conversation_title_from_a_quote() {
        let text = format!(
            "{APPENDIX}“Provide FASD training to all professionals”\n\
             In this conversation, it was claimed that 70% of all children in care are likely\n\
             to have FASD. The three participants made the following suggestions.\n\
             “FASD training should mandatory for all professionals”\n\
             “Regional FASD hubs should be created”\n\
             “How can we ensure children’s voices are heard?”\n\
             Six people, including care leavers, took part in the discussion of this proposer’s question.\n\
             “Not enough people are stepping forward”\n"
        );
        let files = parse(&text);
        let conversations: Vec<(&ImportedFile, &SectionMeta)> = sections(&files)
            .into_iter()
            .filter(|(_, m)| m.weight > CONVERSATION_WEIGHT_BASE)
            .collect();
        let titles: Vec<&str> = conversations
            .iter()
            .map(|(_, m)| m.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Provide FASD training to all professionals",
                "How can we ensure children’s voices are heard?"
            ]
        );
        assert_eq!(conversations[0].1.weight, 101);
        assert_eq!(
            conversations[0].0.path,
            PathBuf::from(
                "summaries/bridge-the-gap/101-provide-fasd-training-to-all-professionals.md"
            )
        );
        let words: Vec<&str> = quotes(&files)
            .iter()
            .map(|(f, _)| f.body.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "FASD training should mandatory for all professionals",
                "Regional FASD hubs should be created",
                "Not enough people are stepping forward"
            ]
        );
        assert!(quotes(&files).iter().all(|(_, m)| m.speaker.is_none()));
        assert_eq!(
            conversations[0].0.body,
            "In this conversation, it was claimed that 70% of all children in care are likely \
             to have FASD. The three participants made the following suggestions.\n\n\
             {{ quote(id=\"bridge-the-gap-001\") }}\n\n{{ quote(id=\"bridge-the-gap-002\") }}"
        );
        let appendix = section(&files, "Appendix: Detailed Conversation Summaries");
        assert!(appendix.body.contains(
            "## Round 1\n\nIn Round One, the following conversations took place:\n\n\
             - [Provide FASD training to all professionals](@/summaries/bridge-the-gap/\
             101-provide-fasd-training-to-all-professionals.md)\n"
        ));
    }

    #[test]
    fn a_quote_scattered_across_lines_is_rejoined_in_order() {
        let text = format!(
            "{APPENDIX}“How do we support families?”\nThe proposer was joined by six others.\n\
             “Early help would be much more helpful upfront to improve\n\
             situation of children (e.g. at first signs of attendance poor etc)”\n\
             “More signposting for earlier\ndrugs/ drinking, abuse, etc)”\n\nsupport\n\n(with\n\n\
             “Training for SWs to work with special needs children”\n\nproblems\n\n-\n\n\
             “Would a register help?\"\nFour participants including the proposer took part.\n"
        );
        let files = parse(&text);
        let words: Vec<&str> = quotes(&files)
            .iter()
            .map(|(f, _)| f.body.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "Early help would be much more helpful upfront to improve situation of children \
                 (e.g. at first signs of attendance poor etc)",
                "More signposting for earlier support (with problems - drugs/ drinking, abuse, etc)",
                "Training for SWs to work with special needs children",
            ]
        );
        let titles: Vec<&str> = sections(&files)
            .iter()
            .map(|(_, m)| m.title.as_str())
            .collect();
        assert!(titles.contains(&"Would a register help?"), "{titles:?}");
    }

    #[test]
    fn wrapped_prose_is_joined_and_inline_quotes_stay_in_it() {
        let text = "1 The Context\nIn 2019, the government committed to review\n\
            the care system to ensure that children and\nyoung adults were supported.\n\
            The review team conducted a preliminary analysis, defined the problem, and\n\
            published the “Case for Change”. The social workers express a desire to\n\
            “reclaim social work as a therapeutic profession”.\n";
        let files = parse(text);
        assert_eq!(
            section(&files, "The Context").body,
            "In 2019, the government committed to review the care system to ensure that children \
             and young adults were supported.\n\n\
             The review team conducted a preliminary analysis, defined the problem, and published \
             the “Case for Change”. The social workers express a desire to “reclaim social work \
             as a therapeutic profession”."
        );
        assert!(quotes(&files).is_empty());
    }

    #[test]
    fn a_quotation_continuing_a_sentence_stays_in_the_prose() {
        let text = format!(
            "{APPENDIX}“Adoptees as CEPs”\n\
             The proposer and two participants began this conversation by stating that\n\
             “adoptees will always remain care experienced and should be offered the\n\
             same support other children in care are entitled to”.\n\
             They then explored some of the specific issues:\n\
             “Myth: adopted kids are ok, their care journey is over”\n"
        );
        let files = parse(&text);
        assert_eq!(
            section(&files, "Adoptees as CEPs").body,
            "The proposer and two participants began this conversation by stating that \
             “adoptees will always remain care experienced and should be offered the same \
             support other children in care are entitled to”.\n\n\
             They then explored some of the specific issues:\n\n\
             {{ quote(id=\"bridge-the-gap-001\") }}"
        );
        let words: Vec<&str> = quotes(&files)
            .iter()
            .map(|(f, _)| f.body.as_str())
            .collect();
        assert_eq!(
            words,
            ["Myth: adopted kids are ok, their care journey is over"]
        );
    }

    #[test]
    fn a_point_ending_in_a_bracket_is_split_from_the_next_one() {
        let text = "1 The Context\nBorrow from how the military helps with transitions to civilian life\n\
            (e.g. life skills training, grants, and also peer group networks)\n\
            Many of the groups felt they were forgotten by the system when it\n\
            comes to the support they receive. Many did, many more.\n\
            Talks with (among others)\nZoom users went well.\n";
        let files = parse(text);
        assert_eq!(
            section(&files, "The Context").body,
            "Borrow from how the military helps with transitions to civilian life (e.g. life \
             skills training, grants, and also peer group networks)\n\n\
             Many of the groups felt they were forgotten by the system when it comes to the \
             support they receive. Many did, many more.\n\n\
             Talks with (among others) Zoom users went well."
        );
    }

    #[test]
    fn bullet_list_after_a_colon_ends_at_wider_prose() {
        let text = "4 Create\na Create was attended by nearly 100 participants.\n\n\
            b The purpose was to explore solutions.\n\nc In response to the prompt, participants created an agenda of 42 conversations.\n\
            These generated recommendations based around the following key ideas:\n\
            Reorienting the system to focus on trauma-informed\ntherapeutic support.\n\
            Eliminating the postcode lottery to create a consistent\nlevel of care provision.\n\
            Full details of these conversations can be found in the appendix of this\nreport.\n";
        let files = parse(text);
        assert_eq!(
            section(&files, "Create").body,
            "1. Create was attended by nearly 100 participants.\n\
             2. The purpose was to explore solutions.\n\
             3. In response to the prompt, participants created an agenda of 42 conversations. \
             These generated recommendations based around the following key ideas:\n   \
             - Reorienting the system to focus on trauma-informed therapeutic support.\n   \
             - Eliminating the postcode lottery to create a consistent level of care provision.\n\n\
             Full details of these conversations can be found in the appendix of this report."
        );
    }

    #[test]
    fn empty_or_truncated_input_does_not_panic() {
        assert!(parse("").is_empty());
        assert!(parse("\n \n").is_empty());
        for text in [
            "“",
            "1",
            "a B",
            "Round 1\n“x",
            "Appendix:\n\nx\n\nRound 2\n\nsupport\n\n",
        ] {
            let _ = parse(text);
        }
        // The real document cut off anywhere.
        let source = include_str!("../sources/bridge-the-gap.txt");
        for (n, (cut, _)) in source.char_indices().enumerate() {
            if n % 3000 == 0 {
                let _ = parse(&source[..cut]);
                let _ = parse(&source[cut..]);
            }
        }
    }

    /// Counts determined by reading the appendix: Round 1 describes 15 conversations,
    /// Round 2 describes 13 (its introduction says "a further 15") and Round 3 describes 13
    /// (its introduction says "fourteen"): 41 in all, although the text speaks of an agenda of
    /// 42. Every line that opens a quotation block — 471 of them, not counting quotations that
    /// continue a sentence of prose — is either one of those 41 titles or a participant quote,
    /// so there are 430 quotes: 1 in the Create findings and 429 in the conversations.
    #[test]
    fn full_source() {
        let source = include_str!("../sources/bridge-the-gap.txt");
        let files = parse(source);
        let all = sections(&files);
        let conversations: Vec<&SectionMeta> = all
            .iter()
            .map(|(_, m)| *m)
            .filter(|m| m.weight > CONVERSATION_WEIGHT_BASE)
            .collect();
        assert_eq!(conversations.len(), 41);
        assert_eq!(
            conversations[0].title,
            "How can we find effective solutions to blocked relationships in the children’s \
             social care system?"
        );
        assert_eq!(
            conversations[8].title,
            "How can the system ensure 'Equality within different forms of care"
        );
        assert_eq!(
            conversations[37].title,
            "Children & Young People do not deserve exhausted & burnt-out Social Workers"
        );
        assert_eq!(
            conversations[40].title,
            "A nationalised (consistent) approach to participation, children’s rights and advocacy"
        );
        let main: Vec<&str> = all
            .iter()
            .filter(|(_, m)| m.weight < CONVERSATION_WEIGHT_BASE)
            .map(|(_, m)| m.title.as_str())
            .collect();
        assert_eq!(
            main,
            [
                "The Context",
                "Bridge the gap",
                "Summary of Findings from the Explore Events",
                "Create",
                "About the Create Event Process",
                "Event information & Key Findings",
                "Appendix: Detailed Conversation Summaries",
            ]
        );

        let quotes = quotes(&files);
        assert_eq!(quotes.len(), 430);
        let collapsed = collapse_whitespace(&fix_ligatures(source));
        // The PDF scattered the words of three justified lines; the rejoined quotes keep
        // every word in order.
        let rejoined = [
            "More signposting for earlier support (with problems - drugs/ drinking, abuse, etc)",
            "Could it lead to nationalised (more effective/efficient) recruitment?",
            "Trained team of people knowing what counts as special guardianship",
        ];
        let mut found_rejoined = 0;
        for (n, (file, meta)) in quotes.iter().enumerate() {
            let words = unescape(&file.body);
            assert_eq!(meta.id, format!("bridge-the-gap-{:03}", n + 1));
            assert_eq!(meta.speaker, None, "{words}");
            assert_eq!(meta.voice, None);
            assert_eq!(meta.provenance, Provenance::Verbatim);
            if rejoined.contains(&words.as_str()) {
                found_rejoined += 1;
            } else {
                assert!(
                    collapsed.contains(&words),
                    "not verbatim in the source: {words}"
                );
            }
            let placing: Vec<&(&ImportedFile, &SectionMeta)> = all
                .iter()
                .filter(|(f, _)| {
                    f.body
                        .contains(&format!("{{{{ quote(id=\"{}\") }}}}", meta.id))
                })
                .collect();
            assert_eq!(placing.len(), 1, "{} placed once", meta.id);
            assert!(
                placing[0]
                    .0
                    .path
                    .to_string_lossy()
                    .ends_with(&format!("-{}.md", meta.section)),
                "{} is placed in {:?}",
                meta.id,
                placing[0].0.path
            );
        }
        assert_eq!(found_rejoined, rejoined.len());

        let (index_file, index) = files
            .iter()
            .find_map(|f| match &f.front_matter {
                FrontMatter::Summary(m) => Some((f, m)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no summary"));
        // The document opens with its heading "Summary", over its main sections.
        let body: Vec<&str> = index_file.body.lines().collect();
        assert_eq!(
            body[..3],
            [
                "## Summary",
                "",
                "- [The Context](@/summaries/bridge-the-gap/01-the-context.md)"
            ]
        );
        assert_eq!(body.len(), 2 + main.len());
        assert_eq!(index.title, "Bridge the Gap");
        assert!(
            index
                .lede
                .starts_with("Bridge the Gap is a series of highly participatory")
        );
        assert!(collapsed.contains(&index.lede));
        assert_eq!(index.participants, None);
        assert_eq!(index.audiences.len(), 7);
        // No page furniture or letter-spaced words survive anywhere.
        for (file, _) in &all {
            for bad in [
                "Met hodology",
                "Conversat ion",
                "informat ion",
                "t he ",
                "ﬁ",
            ] {
                assert!(!file.body.contains(bad), "{bad:?} in {:?}", file.path);
            }
        }
    }
}
