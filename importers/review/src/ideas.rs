//! The Call for Ideas: the review's introduction and every idea submitted to it.
//!
//! The source is the text of a PDF that printed each submission as a table row: the
//! submission's topic tags, the idea, and the name and/or organisation that sent it (or the
//! sentence asking for an anonymous publication). The extraction kept none of the table:
//! what is left is a stream of lines in which
//!
//! - a blank line is no boundary (bullets, numbered points and page numbers sit between
//!   blank lines inside an idea, and ideas often follow each other without one);
//! - the topic line wraps, sometimes in the middle of a tag, and is sometimes cut short;
//! - the attribution wraps over up to three lines, and once is glued to the idea's last line;
//! - a few ideas have no topic line, and one has no attribution.
//!
//! So the parser first finds the topic lines, which it can recognise with certainty because
//! the tags come from the form's small fixed list ([`TOPICS`]); then it takes the line(s)
//! just before each topic line as the previous idea's attribution; and last it splits the
//! few stretches that hold more than one idea at an attribution followed by a blank line.
//! The importer's README records what was found in the document and each judgment made.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::text::{
    collapse_whitespace, ends_sentence, escape_inline, escape_line_start, fix_ligatures,
    is_page_number, join_lines, paragraphs, slugify,
};
use super::{FrontMatter, ImportedFile};
use chorus::content::date::Date;
use chorus::content::kinds::{ResponseMeta, Source, SummaryMeta};

/// The summary's slug and folder.
const SUMMARY_SLUG: &str = "call-for-ideas";

/// The line that ends the introduction and starts the ideas.
const IDEAS_HEADING: &str = "Your ideas";

/// What stands under that heading on the summary's page, where the ideas are not: a link to
/// the list of them, with the list's title as its text. Relative, so that it holds under
/// any base path; `chorus check` follows it.
const IDEAS_LINK: &str = "[Ideas submitted to the Call for Ideas](../../ideas/)";

/// The anonymity request, as the form printed it.
const ANONYMOUS: &str = "I would like my response to be published anonymously";

/// The document gives no publication date; this is the date the review published its final
/// report, with which the ideas were published.
const PUBLISHED: NaiveDate = match NaiveDate::from_ymd_opt(2022, 5, 23) {
    Some(date) => date,
    None => panic!("2022-05-23 is a real date"),
};

/// The topic tags of the submission form, spelt as the document spells them most often.
/// Every topic line of the document is made of these and nothing else, which is what lets
/// the parser recognise topic lines (and tags cut in two by a line wrap) with certainty.
/// "Workforce" on its own is printed eight times, where the two workforce tags stand in
/// other lists (once followed by `;` and another tag, so it is not a cut-short line); the
/// document does not say which it was, so it is a tag of its own.
const TOPICS: [&str; 20] = [
    "Children in care",
    "Care experienced adults",
    "Family help and early intervention",
    "Kinship care",
    "Foster care",
    "Adoption",
    "Funding",
    "Legislation",
    "Local Authorities",
    "National Government",
    "Regulation",
    "Stigma",
    "Child in need and child protection",
    "Care proceedings and pre-proceedings",
    "Teenagers and harms outside the home",
    "Workforce - social work",
    "Workforce - other services",
    "Workforce",
    "Mental health support",
    "Other",
];

/// A tag line is never longer than this many lines (the longest in the document has five).
const MAX_TOPIC_LINES: usize = 8;

/// Parses the whole document into the summary (the introduction) and one file per idea.
pub fn parse(text: &str) -> Vec<ImportedFile> {
    let text = fix_ligatures(text);
    let lines: Vec<&str> = text.lines().collect();
    let heading = lines.iter().position(|l| l.trim() == IDEAS_HEADING);
    let (intro, ideas) = match heading {
        Some(i) => (&lines[..i], &lines[i + 1..]),
        None => (&lines[..0], &lines[..]),
    };
    let mut files = vec![summary_file(intro, heading.is_some())];
    for (i, idea) in split_ideas(ideas).iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        files.push(idea_file(number, idea));
    }
    files
}

// ---------------------------------------------------------------------------------------
// The introduction

/// The summary file: the introduction as Markdown, with the footnotes it cites, and the
/// ideas' heading after them where the document has it (`ideas_follow`).
fn summary_file(intro: &[&str], ideas_follow: bool) -> ImportedFile {
    let intro = Introduction::read(intro);
    let meta = SummaryMeta {
        title: "Call for Ideas".to_string(),
        lede: intro.lede(),
        published: Date(PUBLISHED),
        audiences: Vec::new(),
        method: "Call for ideas (written submissions)".to_string(),
        participants: None,
        source: Source {
            title: "Call for Ideas".to_string(),
            url: None,
        },
        // The last of the site's summaries.
        weight: 4,
        themes: Vec::new(),
        aliases: Vec::new(),
        updated: None,
        changes: Vec::new(),
        lint_allow: Vec::new(),
        draft: false,
    };
    ImportedFile {
        path: PathBuf::from(format!("summaries/{SUMMARY_SLUG}/_index.md")),
        front_matter: FrontMatter::Summary(meta),
        body: intro.markdown(ideas_follow),
    }
}

/// The introduction's heading, its prose paragraphs and the footnotes printed under it.
struct Introduction {
    /// "Introduction to the Call for Ideas"; `None` when there is no text at all.
    heading: Option<String>,
    paragraphs: Vec<String>,
    /// Footnote texts, numbered from 1 in order.
    footnotes: Vec<String>,
}

impl Introduction {
    /// The first line is the heading ("Introduction to the Call for Ideas"). The prose runs
    /// until the first line that starts with a space or a number and a space: the footnotes
    /// under it, of which the first lost its number in the extraction.
    fn read(lines: &[&str]) -> Introduction {
        let mut rest = lines.iter().skip_while(|l| l.trim().is_empty());
        let heading = rest.next().map(|l| collapse_whitespace(l));
        let mut prose = Vec::new();
        let mut notes: Vec<Vec<&str>> = Vec::new();
        for line in rest.by_ref() {
            if line.starts_with(char::is_whitespace) || footnote_number(line).is_some() {
                notes.push(vec![line.trim()]);
                break;
            }
            prose.push(*line);
        }
        for line in rest {
            let line = line.trim();
            match footnote_number(line) {
                Some((n, text)) if n == notes.len() + 1 => notes.push(vec![text]),
                _ => match notes.last_mut() {
                    Some(note) => note.push(line),
                    None => notes.push(vec![line]),
                },
            }
        }
        Introduction {
            heading,
            paragraphs: paragraphs(&prose),
            footnotes: notes.iter().map(|n| join_lines(n)).collect(),
        }
    }

    /// The sentences of the introduction that say what the call was and what it received,
    /// as plain text (footnote numbers removed).
    fn lede(&self) -> String {
        let text = self.paragraphs.join(" ");
        let plain = self.mark_footnotes(&text, |_| String::new());
        let sentences: Vec<&str> = sentences(&plain)
            .into_iter()
            .filter(|s| s.contains("submit ideas") || s.contains("responses from"))
            .collect();
        if sentences.is_empty() {
            first_sentences(&plain)
        } else {
            sentences.join(" ")
        }
    }

    /// The heading, the prose with footnote markers as Markdown footnotes, the footnotes
    /// after it, and, when the ideas follow, their heading over a link to them.
    fn markdown(&self, ideas_follow: bool) -> String {
        let prose: Vec<String> = self
            .paragraphs
            .iter()
            .map(|p| escape_line_start(p))
            .collect();
        let mut parts: Vec<String> = Vec::new();
        if let Some(heading) = &self.heading {
            parts.push(format!("## {}", escape_inline(heading)));
        }
        parts.push(self.mark_footnotes(&prose.join("\n\n"), |n| format!("[^{n}]")));
        for (i, note) in self.footnotes.iter().enumerate() {
            parts.push(format!("[^{}]: {}", i + 1, escape_inline(note)));
        }
        if ideas_follow {
            parts.push(format!("## {IDEAS_HEADING}\n\n{IDEAS_LINK}"));
        }
        parts.retain(|part| !part.is_empty());
        parts.join("\n\n")
    }

    /// Replaces each footnote number glued to the end of a word ("Call for Advice1",
    /// "Evidence,2") with `marker(n)`. Numbers are looked for in order, 1 first, and only
    /// as many as there are footnotes, so a number that is part of the text ("2021",
    /// "985 responses") is never taken for one.
    fn mark_footnotes(&self, text: &str, marker: impl Fn(usize) -> String) -> String {
        let mut out = String::new();
        let mut rest = text;
        for n in 1..=self.footnotes.len() {
            let digits = n.to_string();
            let found = rest.match_indices(&digits).find(|(at, _)| {
                let before = rest[..*at].chars().next_back();
                let after = rest[at + digits.len()..].chars().next();
                before.is_some_and(|c| !c.is_whitespace() && !c.is_ascii_digit())
                    && after.is_none_or(|c| !c.is_ascii_digit() && !c.is_alphabetic())
            });
            let Some((at, _)) = found else { break };
            out.push_str(&rest[..at]);
            out.push_str(&marker(n));
            rest = &rest[at + digits.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// A footnote line's number and text: "2 case-for-change…" or a lone "3".
fn footnote_number(line: &str) -> Option<(usize, &str)> {
    let line = line.trim();
    let digits = line
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(line.len());
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = &line[digits..];
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((line[..digits].parse().ok()?, rest.trim()))
}

/// Splits text into sentences at ". ", "! " or "? ".
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    let tail = text[start..].trim();
    if !tail.is_empty() {
        out.push(tail);
    }
    out
}

/// The first two sentences: the lede when the introduction does not say what the call was.
fn first_sentences(text: &str) -> String {
    sentences(text)
        .into_iter()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// Splitting the ideas

/// One submitted idea as found in the source.
#[derive(Debug, Clone, PartialEq)]
struct Idea {
    /// Indexes into [`TOPICS`], in the submission's order, without repeats.
    topics: Vec<usize>,
    attribution: Attribution,
    /// The idea's lines (page numbers removed), blank lines kept.
    lines: Vec<String>,
}

/// Who the idea is attributed to.
#[derive(Debug, Clone, PartialEq)]
enum Attribution {
    Named(String),
    Anonymous,
    /// The document prints no name and no anonymity request.
    Unnamed,
}

/// A stretch of lines between two topic lines: one idea, or several when an idea without
/// a topic line follows its predecessor's attribution.
struct Stretch<'a> {
    topics: Vec<usize>,
    lines: Vec<&'a str>,
}

/// Splits the ideas part of the document into ideas, in document order.
fn split_ideas(lines: &[&str]) -> Vec<Idea> {
    let lines = without_page_numbers(lines);
    let stretches = stretches(&lines);
    // Attributions that end a stretch are certain (the next line is a topic line); they
    // are what recognises the rarer attribution inside a stretch or glued to a text line.
    let known: HashSet<String> = stretches
        .iter()
        .filter_map(|s| {
            let text: Vec<&str> = s.lines.iter().copied().filter(|l| !is_blank(l)).collect();
            match attribution_at_end(&text, &HashSet::new()).attribution {
                Attribution::Named(name) => Some(name),
                _ => None,
            }
        })
        .collect();
    let mut ideas = Vec::new();
    for stretch in &stretches {
        let mut topics = stretch.topics.clone();
        for part in split_stretch(&stretch.lines, &known) {
            let text: Vec<&str> = part.iter().copied().filter(|l| !is_blank(l)).collect();
            if text.is_empty() {
                continue;
            }
            let ending = attribution_at_end(&text, &known);
            ideas.push(Idea {
                topics: std::mem::take(&mut topics),
                lines: body_lines(&part, &ending),
                attribution: ending.attribution,
            });
        }
    }
    ideas
}

/// The idea's own lines, blank lines kept: the part up to its last text line, which is
/// replaced when an attribution was glued to it.
fn body_lines(part: &[&str], ending: &Ending) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = 0;
    for line in part {
        if seen == ending.kept {
            break;
        }
        if is_blank(line) {
            out.push(String::new());
            continue;
        }
        seen += 1;
        match &ending.last_line {
            Some(last) if seen == ending.kept => out.push(last.clone()),
            _ => out.push((*line).to_string()),
        }
    }
    out
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Removes the page numbers the PDF left behind. A page number is a bare number on its own
/// line, higher than the last one removed, followed by a blank line (or the end): the
/// extraction put a blank line after every page number it kept, and numbered points inside
/// ideas are written `1.` or `1)`, never as a bare number.
fn without_page_numbers<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(lines.len());
    let mut last_page = 0;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let next_blank = lines.get(i + 1).is_none_or(|l| is_blank(l));
        if let Ok(n) = t.parse::<u32>()
            && is_page_number(t)
            && n > last_page
            && next_blank
        {
            last_page = n;
            continue;
        }
        out.push(*line);
    }
    out
}

/// Cuts the lines at every topic line. The first stretch, before any topic line, has no
/// topics (and is dropped later if it is empty).
fn stretches<'a>(lines: &[&'a str]) -> Vec<Stretch<'a>> {
    let mut out = vec![Stretch {
        topics: Vec::new(),
        lines: Vec::new(),
    }];
    let mut i = 0;
    while i < lines.len() {
        if may_start_topic_line(lines, i)
            && let Some((end, topics)) = topic_block(lines, i)
        {
            out.push(Stretch {
                topics,
                lines: Vec::new(),
            });
            i = end;
            continue;
        }
        if let Some(stretch) = out.last_mut() {
            stretch.lines.push(lines[i]);
        }
        i += 1;
    }
    out
}

/// A topic line starts a row of the table: it comes first, after a blank line, after a
/// line the extraction indented (a new cell), or after a line that can end an idea (an
/// attribution, or a last line without a full stop). This keeps a one-word heading such as
/// "Adoption" inside an idea's running text from being read as a topic line.
fn may_start_topic_line(lines: &[&str], i: usize) -> bool {
    if i == 0 || lines[i].starts_with(char::is_whitespace) {
        return true;
    }
    let prev = lines[i - 1];
    is_blank(prev) || is_anonymous(prev) || !ends_sentence(prev) || looks_like_name(prev.trim())
}

/// The topic line starting at `i`: the index of the first line after it and the topics.
///
/// Lines are joined (a wrap inside "pre-" "proceedings" closes up) and the text is split at
/// `;`. Each piece must be one or more tags of [`TOPICS`], compared without spaces and
/// hyphens so that "Care proceedings and preproceedings" and "Workforce social work" are
/// the same tags. The last piece may be the start of a tag, which the next line completes;
/// when the topic line ends there (the PDF cut it: "Mental health", "Workforce - other"),
/// the tag counts if only one tag starts that way, and is dropped if several do. A piece
/// after the first may also be the end of a tag whose start was lost ("Government" for
/// "National Government").
fn topic_block(lines: &[&str], i: usize) -> Option<(usize, Vec<usize>)> {
    let mut joined = String::new();
    let mut best = None;
    for (j, line) in lines.iter().enumerate().skip(i).take(MAX_TOPIC_LINES) {
        if is_blank(line) {
            break;
        }
        joined = join_lines(&[joined.as_str(), line]);
        let Some(parsed) = parse_topics(&joined) else {
            break;
        };
        match parsed {
            Topics::Complete(topics) if !topics.is_empty() => best = Some((j + 1, topics)),
            Topics::Complete(_) => {}
            Topics::Partial(mut topics, candidates) => {
                if let [only] = candidates.as_slice() {
                    topics.push(*only);
                }
                best = Some((j + 1, topics));
            }
        }
    }
    best.map(|(end, topics)| (end, dedup(topics)))
}

fn dedup(topics: Vec<usize>) -> Vec<usize> {
    let mut seen = HashSet::new();
    topics.into_iter().filter(|t| seen.insert(*t)).collect()
}

/// What a (partial) topic line says.
#[derive(Debug, PartialEq)]
enum Topics {
    /// Every piece is a tag.
    Complete(Vec<usize>),
    /// The last piece is the start of each of the given candidate tags.
    Partial(Vec<usize>, Vec<usize>),
}

fn parse_topics(text: &str) -> Option<Topics> {
    let pieces: Vec<&str> = text.split(';').collect();
    let mut topics = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        if !piece
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-')
        {
            return None;
        }
        let key = tag_key(piece);
        if key.is_empty() {
            continue;
        }
        if let Some(found) = segment_tags(&key) {
            topics.extend(found);
            continue;
        }
        if k > 0
            && let [only] = tags_ending_with(&key).as_slice()
        {
            topics.push(*only);
            continue;
        }
        if k + 1 == pieces.len() {
            let candidates = tags_starting_with(&key);
            if !candidates.is_empty() {
                return Some(Topics::Partial(topics, candidates));
            }
        }
        return None;
    }
    Some(Topics::Complete(topics))
}

/// A tag compared without spaces and hyphens (case kept: a topic line is written in the
/// form's capitals, which keeps "kinship care." in running text from matching).
fn tag_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// The word boundaries of a tag's key: the key lengths after each of its words.
fn word_ends(tag: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut len = 0;
    for word in tag.split([' ', '-']).filter(|w| !w.is_empty()) {
        len += word.len();
        ends.push(len);
    }
    ends
}

/// The tags that one piece of a topic line is made of: usually one; two or more where a
/// separator is missing.
fn segment_tags(key: &str) -> Option<Vec<usize>> {
    if key.is_empty() {
        return Some(Vec::new());
    }
    TOPICS.iter().enumerate().find_map(|(t, tag)| {
        let rest = key.strip_prefix(tag_key(tag).as_str())?;
        let mut found = segment_tags(rest)?;
        found.insert(0, t);
        Some(found)
    })
}

/// The tags whose key starts with `key`, ending at a word boundary, without being equal.
fn tags_starting_with(key: &str) -> Vec<usize> {
    (0..TOPICS.len())
        .filter(|&t| {
            let full = tag_key(TOPICS[t]);
            full.len() > key.len()
                && full.starts_with(key)
                && word_ends(TOPICS[t]).contains(&key.len())
        })
        .collect()
}

/// The tags whose key ends with `key`, starting at a word boundary, without being equal.
fn tags_ending_with(key: &str) -> Vec<usize> {
    (0..TOPICS.len())
        .filter(|&t| {
            let full = tag_key(TOPICS[t]);
            full.len() > key.len()
                && full.ends_with(key)
                && word_ends(TOPICS[t]).contains(&(full.len() - key.len()))
        })
        .collect()
}

fn is_anonymous(line: &str) -> bool {
    line.trim().trim_end_matches(';').trim_end() == ANONYMOUS
}

/// A name or "Name, Organisation" line: it starts with a bracketed redaction
/// ("[Name redacted…]"), a title, or one or more capitalised words followed by a comma or
/// a bracket ("Anne Neale & Tracey Norton, Legal Action…", "Ben Twomey and David Graham
/// (Co-Chairs), …"), or it is two to four capitalised words and nothing else.
fn looks_like_name(line: &str) -> bool {
    name_start(line) || is_bare_name(line)
}

fn name_start(line: &str) -> bool {
    if line.starts_with('[') {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or("");
    if matches!(
        first,
        "Dr" | "Mr" | "Mrs" | "Ms" | "Miss" | "Professor" | "Prof" | "Emeritus"
    ) {
        return true;
    }
    for (i, word) in line.split(' ').enumerate() {
        let capitalised = word.starts_with(|c: char| c.is_uppercase());
        let joiner = matches!(word, "and" | "&");
        let core = word.trim_end_matches([',', '(']);
        if word.starts_with('(') && i > 0 {
            return bracket_closes_name(line);
        }
        if !(capitalised || joiner)
            || !core
                .chars()
                .all(|c| c.is_alphanumeric() || "'’.-&".contains(c))
        {
            return false;
        }
        if word.ends_with(',') || word.ends_with('(') {
            return true;
        }
    }
    false
}

/// After "Name (": the bracket is still open at the end of the line, or is closed and
/// followed by a comma or nothing ("(Co-Chairs), The…"), not by more of a sentence
/// ("What Works Centre (WWC) to evaluate…").
fn bracket_closes_name(line: &str) -> bool {
    let Some(open) = line.find('(') else {
        return false;
    };
    match line[open..].find(')') {
        None => true,
        Some(close) => {
            let after = line[open + close + 1..].trim_start();
            after.is_empty() || after.starts_with(',')
        }
    }
}

fn is_bare_name(line: &str) -> bool {
    let words: Vec<&str> = line.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                && w.chars().all(|c| c.is_alphabetic() || "'’-".contains(c))
        })
}

/// Splits a stretch where one idea ends and the next, which has no topic line, begins:
/// after an anonymity request that is followed by more text, and after an attribution
/// that is followed by a blank line and more text. Such an attribution is one already
/// known from the end of another idea, or a name line that follows a finished sentence.
/// (Inside an idea a blank line only surrounds bullets, numbered points and page numbers.)
fn split_stretch<'a>(lines: &[&'a str], known: &HashSet<String>) -> Vec<Vec<&'a str>> {
    let mut parts = vec![Vec::new()];
    for (i, line) in lines.iter().enumerate() {
        if let Some(part) = parts.last_mut() {
            part.push(*line);
        }
        let more_text = lines[i + 1..].iter().any(|l| !is_blank(l));
        if !more_text || is_blank(line) {
            continue;
        }
        let t = line.trim();
        let blank_after = lines.get(i + 1).is_some_and(|l| is_blank(l));
        let after_sentence = i
            .checked_sub(1)
            .and_then(|p| lines.get(p))
            .is_some_and(|p| ends_sentence(p) && !is_marker(p.trim()));
        let ends_idea = is_anonymous(t)
            || (blank_after && known.contains(t))
            || (blank_after && after_sentence && looks_like_name(t) && !ends_sentence(t));
        if ends_idea {
            parts.push(Vec::new());
        }
    }
    parts
}

/// How an idea ends: how many of its non-blank lines are text, the last of them shortened
/// when an attribution was glued to it, and the attribution.
struct Ending {
    kept: usize,
    last_line: Option<String>,
    attribution: Attribution,
}

/// Finds the attribution at the end of an idea's non-blank lines.
///
/// - The anonymity request is its own line.
/// - An attribution known from elsewhere may be glued to the last sentence.
/// - An attribution wraps over two or three lines when its first line looks like a name
///   ("Name, Organisation of the"), follows a finished sentence (or starts a new cell),
///   and no line but its last ends a sentence; "Maya Pritchard" / "RMCC" is a bare name
///   over a short organisation line.
/// - Otherwise the last line is the attribution unless it ends a sentence and does not look
///   like a name: then the idea was published without one.
fn attribution_at_end(text: &[&str], known: &HashSet<String>) -> Ending {
    let n = text.len();
    let ending = |kept: usize, attribution: Attribution| Ending {
        kept,
        last_line: None,
        attribution,
    };
    let Some(last) = text.last().map(|l| l.trim()) else {
        return ending(0, Attribution::Unnamed);
    };
    if is_anonymous(last) {
        return ending(n - 1, Attribution::Anonymous);
    }
    if let Some((before, name)) = glued_attribution(last, known) {
        return Ending {
            kept: n,
            last_line: Some(before),
            attribution: Attribution::Named(name),
        };
    }
    for lines in [3, 2] {
        if n <= lines {
            continue;
        }
        let first = text[n - lines];
        let starts_cell = first.starts_with(char::is_whitespace) || first.trim().starts_with('[');
        if !(starts_cell || ends_sentence(text[n - lines - 1])) {
            continue;
        }
        if text[n - lines..n - 1].iter().any(|l| ends_sentence(l)) {
            continue;
        }
        let first = first.trim();
        let bare_name_over_organisation = lines == 2
            && is_bare_name(first)
            && last.chars().count() < 50
            && !ends_sentence(last)
            && !name_start(last);
        if name_start(first) || bare_name_over_organisation {
            let name = join_lines(&text[n - lines..]);
            return ending(n - lines, Attribution::Named(name));
        }
    }
    if n > 1 && (!ends_sentence(last) || looks_like_name(last) || known.contains(last)) {
        return ending(n - 1, Attribution::Named(collapse_whitespace(last)));
    }
    ending(n, Attribution::Unnamed)
}

/// A known attribution glued after the last sentence of a line: the line without it, and
/// the attribution.
fn glued_attribution(line: &str, known: &HashSet<String>) -> Option<(String, String)> {
    let mut names: Vec<&String> = known.iter().collect();
    // Longest first, so that "Kathy Evans, Children England" wins over "Children England".
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names.into_iter().find_map(|name| {
        let before = line.strip_suffix(name.as_str())?.strip_suffix(' ')?;
        (ends_sentence(before) && name_start(name)).then(|| (before.to_string(), name.clone()))
    })
}

// ---------------------------------------------------------------------------------------
// The idea files

fn idea_file(number: u32, idea: &Idea) -> ImportedFile {
    let (respondent, anonymous) = match &idea.attribution {
        Attribution::Named(name) => (Some(name.clone()), false),
        Attribution::Anonymous => (None, true),
        Attribution::Unnamed => (None, false),
    };
    let meta = ResponseMeta {
        number,
        topics: idea.topics.iter().map(|&t| slugify(TOPICS[t])).collect(),
        respondent,
        anonymous,
        privacy_reviewed: false,
        ..ResponseMeta::default()
    };
    ImportedFile {
        path: PathBuf::from(format!("ideas/idea-{number:04}.md")),
        front_matter: FrontMatter::Idea(meta),
        body: idea_markdown(&idea.lines),
    }
}

/// A line of its own that only marks the start of a list item; the item's text follows on
/// the next non-blank line.
#[derive(Debug, Clone, PartialEq)]
enum Marker {
    /// `•`, `·`, `-` and the like.
    Bullet,
    /// `o`: a bullet under a bullet.
    SubBullet,
    /// `1.`: a numbered point, written as a Markdown ordered list item.
    Number(u32),
    /// `a)`, `ii.`, `1)`: kept as written at the start of the item's paragraph.
    Label(String),
}

fn marker_of(line: &str) -> Option<Marker> {
    let t = line.trim();
    match t {
        "•" | "·" | "▪" | "●" | "\u{f0b7}" | "-" | "–" => return Some(Marker::Bullet),
        "o" | "◦" => return Some(Marker::SubBullet),
        _ => {}
    }
    let mut chars = t.chars();
    let end = chars.next_back()?;
    let body = chars.as_str();
    if !matches!(end, '.' | ')') || body.is_empty() || body.len() > 4 {
        return None;
    }
    let body = body.strip_prefix('(').unwrap_or(body);
    if end == '.' && body.len() <= 2 && body.chars().all(|c| c.is_ascii_digit()) {
        return body.parse().ok().map(Marker::Number);
    }
    let numbered = body.chars().all(|c| c.is_ascii_digit());
    let lettered = body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase());
    let roman = body.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    (numbered || lettered || roman).then(|| Marker::Label(t.to_string()))
}

fn is_marker(line: &str) -> bool {
    marker_of(line).is_some()
}

/// A bullet written at the start of a line, before the item's text: the text.
fn inline_bullet(line: &str) -> Option<&str> {
    ["• ", "· ", "▪ ", "● "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
}

/// Whether the line break after `line` is the author's rather than the PDF's wrap.
///
/// The text was wrapped at about 80 characters; a wrap never leaves room for the next
/// line's first word. A line that ends a sentence (or a clause with `;`) and would have
/// had room for at least that word plus a few characters is a paragraph's end; a line that
/// ends without punctuation must be shorter still (a heading, a list item), must not end
/// in a word that needs the next line ("deficiencies in"), and must be followed by a line
/// that starts like a new sentence. Capital letters are wider than the average letter, so
/// a line in capitals wraps after fewer characters: they count for more.
fn hard_break(line: &str, next: &str) -> bool {
    let line = line.trim();
    let next = next.trim();
    let first = next.split_whitespace().next().unwrap_or("");
    let room = printed_width(line) + 1.0 + printed_width(first);
    if ends_sentence(line) || line.ends_with(';') {
        return room < 72.0;
    }
    let last = line.split_whitespace().next_back().unwrap_or("");
    room < 60.0
        && !CONTINUING_WORDS.contains(&last.to_lowercase().as_str())
        && next.starts_with(|c: char| {
            c.is_uppercase() || c.is_ascii_digit() || "“\"‘'([•·-".contains(c)
        })
}

/// Words after which a sentence goes on.
const CONTINUING_WORDS: [&str; 22] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or",
    "our", "that", "the", "their", "this", "to", "with",
];

/// The width of a text in average letters, a capital counting for one and a third.
fn printed_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_uppercase() { 4.0 / 3.0 } else { 1.0 })
        .sum()
}

/// One paragraph or list item of an idea.
struct Block {
    marker: Option<Marker>,
    lines: Vec<String>,
}

/// The idea as Markdown: wrapped lines joined into paragraphs, bullets and numbered points
/// as list items, blank lines (which the PDF scattered) dropped.
fn idea_markdown(lines: &[String]) -> String {
    let text: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending: Option<Marker> = None;
    let mut new_block = true;
    for (i, line) in text.iter().enumerate() {
        if let Some(marker) = marker_of(line) {
            pending = Some(marker);
            new_block = true;
            continue;
        }
        let (marker, content) = if let Some(marker) = pending.take() {
            (Some(marker), *line)
        } else if let Some(rest) = inline_bullet(line) {
            (Some(Marker::Bullet), rest)
        } else if let (true, Some(rest)) = (new_block, line.strip_prefix("- ")) {
            (Some(Marker::Bullet), rest.trim())
        } else {
            (None, *line)
        };
        match blocks.last_mut() {
            Some(block) if !new_block && marker.is_none() => block.lines.push(content.to_string()),
            _ => blocks.push(Block {
                marker,
                lines: vec![content.to_string()],
            }),
        }
        new_block = text.get(i + 1).is_some_and(|next| {
            is_marker(next) || inline_bullet(next).is_some() || hard_break(line, next)
        });
    }
    render_blocks(&blocks)
}

fn render_blocks(blocks: &[Block]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut previous_number: Option<u32> = None;
    for block in blocks {
        let text = join_lines(&block.lines);
        let mut number = None;
        let rendered = match &block.marker {
            Some(Marker::Bullet) => format!("- {}", escape_line_start(&text)),
            Some(Marker::SubBullet) => format!("  - {}", escape_line_start(&text)),
            Some(Marker::Label(label)) => escape_line_start(&format!("{label} {text}")),
            Some(Marker::Number(n)) => {
                number = Some(*n);
                numbered_item(*n, &escape_line_start(&text), previous_number)
            }
            None => match numbered_point(&text) {
                Some((n, rest)) => {
                    number = Some(n);
                    numbered_item(n, &escape_line_start(rest), previous_number)
                }
                None => escape_line_start(&text),
            },
        };
        previous_number = number;
        if !text.is_empty() {
            out.push(rendered);
        }
    }
    out.join("\n\n")
}

/// "3. Text": a paragraph that starts with a numbered point.
fn numbered_point(text: &str) -> Option<(u32, &str)> {
    let (digits, rest) = text.split_once(". ")?;
    if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

/// A numbered point as a Markdown list item. Markdown numbers the items of one list itself,
/// counting up from the first; a point that does not continue the count of the point just
/// before it is written with an escaped full stop so that its own number shows.
fn numbered_item(n: u32, text: &str, previous: Option<u32>) -> String {
    match previous {
        Some(p) if p + 1 != n => format!("{n}\\. {text}"),
        _ => format!("{n}. {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::unescape;

    /// Parses an excerpt of the ideas part (after "Your ideas").
    fn ideas(excerpt: &str) -> Vec<(ResponseMeta, String)> {
        parse(&format!(
            " Introduction to the Call for Ideas\nIntro.\n Your ideas\n{excerpt}"
        ))
        .into_iter()
        .filter_map(|f| match f.front_matter {
            FrontMatter::Idea(meta) => Some((meta, f.body)),
            _ => None,
        })
        .collect()
    }

    fn topics(meta: &ResponseMeta) -> Vec<&str> {
        meta.topics.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_topic_line_wraps_between_and_inside_tags() {
        let found = ideas(
            "Kinship care; Family help and early intervention; Children in care;\n\
             Foster care; Local Authorities; Care\n\
             proceedings and pre-proceedings; Workforce - social work; Workforce -\n\
             other services; Mental health support;\n\
             To make the family courts open and transparent.\n\
             Andrea Cockram, Collective for Reform of Family Court\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            topics(&found[0].0),
            [
                "kinship-care",
                "family-help-and-early-intervention",
                "children-in-care",
                "foster-care",
                "local-authorities",
                "care-proceedings-and-pre-proceedings",
                "workforce-social-work",
                "workforce-other-services",
                "mental-health-support",
            ]
        );
        assert_eq!(
            found[0].1,
            "To make the family courts open and transparent."
        );
    }

    #[test]
    fn spelling_variants_and_cut_short_topic_lines_give_the_canonical_tags() {
        let found = ideas(
            "Child in need and child protection;Care proceedings and preproceedings;\
             Workforce social work\n\
             First idea.\n\
             Ann Smith\n\
             Children in care; Foster care; Funding; Legislation; Local Authorities;\n\
             Government; Regulation; Teenagers and harms outside\n\
             Second idea.\n\
             I would like my response to be published anonymously\n\
             \n\
             Workforce\n\
             Third idea.\n\
             Bob Jones\n\
             \n\
             Foster care; Adoption; Care\n\
             proceedings and pre-proceedings; Workforce; Mental health support\n\
             Fourth idea.\n\
             Cy Twombly\n",
        );
        assert_eq!(found.len(), 4);
        assert_eq!(
            topics(&found[0].0),
            [
                "child-in-need-and-child-protection",
                "care-proceedings-and-pre-proceedings",
                "workforce-social-work",
            ]
        );
        assert_eq!(
            topics(&found[1].0),
            [
                "children-in-care",
                "foster-care",
                "funding",
                "legislation",
                "local-authorities",
                "national-government",
                "regulation",
                "teenagers-and-harms-outside-the-home",
            ]
        );
        // "Workforce" is printed on its own in eight topic lines: a tag of its own.
        assert_eq!(topics(&found[2].0), ["workforce"]);
        assert_eq!(
            topics(&found[3].0),
            [
                "foster-care",
                "adoption",
                "care-proceedings-and-pre-proceedings",
                "workforce",
                "mental-health-support",
            ]
        );
        assert_eq!(found[3].1, "Fourth idea.");
        assert_eq!(found[2].1, "Third idea.");
    }

    #[test]
    fn running_text_in_lower_case_is_not_a_topic_line() {
        let found = ideas(
            "Kinship care\n\
             Schools vary in how they respond to the needs of students in\n\
             kinship care.\n\
             Jane Doe\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].1,
            "Schools vary in how they respond to the needs of students in kinship care."
        );
        // A tag on a line of its own after a finished sentence is a heading of the idea.
        let found = ideas(
            "Children in care\n\
             We need change.\n\
             Adoption\n\
             Matching should take weeks, not months.\n\
             Jane Doe\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].1,
            "We need change.\n\nAdoption\n\nMatching should take weeks, not months."
        );
    }

    #[test]
    fn an_anonymous_idea_has_no_respondent() {
        let found = ideas(
            "Foster care;\n\
             Foster carer worker rights. At present foster carers are treated as 'parents'\n\
             rather than workers.\n\
             I would like my response to be published anonymously\n\
             \n\
             Adoption\n\
             Standardise use of Link Maker.\n \
             I would like my response to be published anonymously;\n",
        );
        assert_eq!(found.len(), 2);
        for (meta, _) in &found {
            assert!(meta.anonymous);
            assert_eq!(meta.respondent, None);
        }
        assert_eq!(
            found[0].1,
            "Foster carer worker rights. At present foster carers are treated as 'parents' \
             rather than workers."
        );
        assert_eq!(found[1].1, "Standardise use of Link Maker.");
    }

    #[test]
    fn an_attribution_over_two_or_three_lines_is_joined() {
        let found = ideas(
            "Foster care\n\
             Look at the schemes in Scotland and Northern Ireland.\n\
             Hilda Higiro, The Youth-led Commission on Separated Children, The\n\
             Children's Society.\n \
             Children in care\n\
             Regulate all types of residential care.\n\
             Maya Pritchard\n\
             RMCC\n\
             \n\
             Legislation\n\
             Services should share practice with child protection social work.\n\
             Susannah Bowyer, On behalf of the supporting parents Community of\n\
             Practice. This includes 30+ small scale local services and Pause working with\n\
             parents who have had child/ren removed in public law proceedings\n",
        );
        let respondents: Vec<Option<&str>> =
            found.iter().map(|(m, _)| m.respondent.as_deref()).collect();
        assert_eq!(
            respondents,
            [
                Some(
                    "Hilda Higiro, The Youth-led Commission on Separated Children, The \
                     Children's Society."
                ),
                Some("Maya Pritchard RMCC"),
                Some(
                    "Susannah Bowyer, On behalf of the supporting parents Community of \
                     Practice. This includes 30+ small scale local services and Pause working \
                     with parents who have had child/ren removed in public law proceedings"
                ),
            ]
        );
        assert_eq!(found[1].1, "Regulate all types of residential care.");
    }

    #[test]
    fn a_last_text_line_and_a_name_line_are_told_apart() {
        let found = ideas(
            "Foster care\n\
             Punishment does not work on these kids.\n\
             Break The Cycle\n\
             Melanie Boyce, Plant a tree for 2020 limited\n \
             Children in care\n\
             We have partnered with the\n \
             What Works Centre (WWC) to evaluate as we go. Our intention is to share the\n\
             learning from our work with our first three partners\n\
             Ryan Wise, Crescendo\n",
        );
        assert_eq!(
            found[0].0.respondent.as_deref(),
            Some("Melanie Boyce, Plant a tree for 2020 limited")
        );
        assert_eq!(
            found[0].1,
            "Punishment does not work on these kids.\n\nBreak The Cycle"
        );
        assert_eq!(
            found[1].0.respondent.as_deref(),
            Some("Ryan Wise, Crescendo")
        );
    }

    #[test]
    fn an_attribution_glued_to_the_last_line_is_split_off() {
        let found = ideas(
            "Adoption\n\
             Adoption support should be strengthened.\n\
             Katharine Slocombe, Adoption UK\n\
             \n\
             Adoption; Funding\n\
             Most families said that they ‘fell off a cliff’ in terms of adoption support\n\
             after the adoption order. Katharine Slocombe, Adoption UK\n\
             Foster care\n\
             Next idea.\n\
             I would like my response to be published anonymously\n",
        );
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[1].0.respondent.as_deref(),
            Some("Katharine Slocombe, Adoption UK")
        );
        assert_eq!(
            found[1].1,
            "Most families said that they ‘fell off a cliff’ in terms of adoption support \
             after the adoption order."
        );
    }

    #[test]
    fn an_idea_without_a_topic_line_follows_the_previous_attribution() {
        let found = ideas(
            "Foster care\n\
             To pilot schemes where foster carers are employees\n\
             Julie Dawkins, Child Action Northwest\n\
             \n\
             Kinship care\n\
             Kinship carers should be paired with foster carers.\n\
             Julie Dawkins, Child Action Northwest\n\
             \n\
             The emphasis for social services must be on the birth\n\
             mother/child bond.\n\
             Julie Crookes\n\
             \n\
             Children in care\n\
             Visits should be recorded.\n\
             Lindy Wootton\n\
             \n\
             The care review should uphold the UNCRC.\n\
             I would like my response to be published anonymously\n",
        );
        let summary: Vec<(usize, Option<&str>, bool)> = found
            .iter()
            .map(|(m, _)| (m.topics.len(), m.respondent.as_deref(), m.anonymous))
            .collect();
        assert_eq!(
            summary,
            [
                (1, Some("Julie Dawkins, Child Action Northwest"), false),
                (1, Some("Julie Dawkins, Child Action Northwest"), false),
                (0, Some("Julie Crookes"), false),
                (1, Some("Lindy Wootton"), false),
                (0, None, true),
            ]
        );
        assert_eq!(
            found[2].1,
            "The emphasis for social services must be on the birth mother/child bond."
        );
    }

    #[test]
    fn an_idea_without_attribution_ends_at_the_next_topic_line() {
        let found = ideas(
            "Children in care\n\
             These professionals would form a national network of practice consultants\n\
             contributing to practice learning and case reviews too.\n \
             Children in care;Family help and early intervention\n\
             Next idea.\n\
             Deborah Johnson\n",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.respondent, None);
        assert!(!found[0].0.anonymous);
        assert!(found[0].1.ends_with("case reviews too."));
    }

    #[test]
    fn numbered_points_and_bullets_become_lists() {
        let found = ideas(
            "Children in care; Kinship care\n\
             1. Establishing an 'independent' review system for children in care that is\n\
             outside of Local Authority control.\n\
             2. To make SGO Allowances payable through the benefits system.\n\
             We are collectively calling for\n\
             1.\n\
             Protocols for early engagement with families.\n\
             3.\n\
             Assistance for the partners.\n\
             •\n\
             \n\
             Assess needs on entry to and during care.\n\
             \n\
             o\n\
             \n\
             Priority for school admissions.\n\
             a)\n\
             \n\
             Over time reduce overall social care spending\n\
             I would like my response to be published anonymously\n",
        );
        assert_eq!(
            found[0].1,
            "1. Establishing an 'independent' review system for children in care that is \
             outside of Local Authority control.\n\n\
             2. To make SGO Allowances payable through the benefits system.\n\n\
             We are collectively calling for\n\n\
             1. Protocols for early engagement with families.\n\n\
             3\\. Assistance for the partners.\n\n\
             - Assess needs on entry to and during care.\n\n  \
             - Priority for school admissions.\n\n\
             a) Over time reduce overall social care spending"
        );
    }

    #[test]
    fn a_page_number_inside_an_idea_is_removed_but_numbers_in_words_stay() {
        let found = ideas(
            "Children in care; Foster care\n\
             The idea being that the LA retains the responsibility to support the\n\
             13\n\
             \n\
             application of an EHC for 13 children.\n\
             Sarah Hall\n\
             \n\
             Adoption\n\
             Staff turnover: 10 social workers in 6 years.\n\
             12\n\
             Jo Bloggs\n",
        );
        assert_eq!(
            found[0].1,
            "The idea being that the LA retains the responsibility to support the \
             application of an EHC for 13 children."
        );
        // "12" is lower than the last page number and is not followed by a blank line.
        assert_eq!(
            found[1].1,
            "Staff turnover: 10 social workers in 6 years.\n\n12"
        );
    }

    #[test]
    fn the_same_idea_submitted_twice_is_two_ideas() {
        let idea = "Kinship care\n\
                    Kinship Submission four:\n\
                    The development of public services for kinship carers.\n\
                    Paul McGrath, Kinship\n\n";
        let found = ideas(&format!("{idea}{idea}"));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, found[1].1);
        assert_eq!(found[0].0.number, 1);
        assert_eq!(found[1].0.number, 2);
    }

    #[test]
    fn the_introduction_keeps_its_heading_and_footnotes_and_the_ideas_their_heading() {
        let files = parse(
            " Introduction to the Call for Ideas\n\
             At the start of the Review, we ran a Call for Advice1, followed by a Call for\n\
             Evidence,2 and then in November 2021 we launched the “Call for Ideas”.\n\
             As part of the Call we asked people to submit ideas. We received 985\n\
             responses from over 600 organisations.\n \
             Early Findings from the ‘Call for Advice’\n\
             2 case-for-change-supporting-evidence.pdf\n \
             Your ideas\n",
        );
        let FrontMatter::Summary(meta) = &files[0].front_matter else {
            panic!("the first file is the summary");
        };
        assert_eq!(
            meta.lede,
            "As part of the Call we asked people to submit ideas. We received 985 responses \
             from over 600 organisations."
        );
        assert_eq!(meta.participants, None);
        assert_eq!(
            files[0].body,
            "## Introduction to the Call for Ideas\n\n\
             At the start of the Review, we ran a Call for Advice[^1], followed by a Call for \
             Evidence,[^2] and then in November 2021 we launched the “Call for Ideas”.\n\n\
             As part of the Call we asked people to submit ideas. We received 985 responses \
             from over 600 organisations.\n\n\
             [^1]: Early Findings from the ‘Call for Advice’\n\n\
             [^2]: case-for-change-supporting-evidence.pdf\n\n\
             ## Your ideas\n\n\
             [Ideas submitted to the Call for Ideas](../../ideas/)"
        );
    }

    #[test]
    fn empty_and_truncated_text_do_not_panic() {
        for text in [
            "",
            "\n\n",
            " Your ideas",
            "Children in care;",
            "•\n1.\n",
            "Care\n",
        ] {
            let files = parse(text);
            assert!(!files.is_empty());
        }
    }

    /// Words of the source after the clean-up the parser may do: page-number lines out,
    /// whitespace collapsed, a hyphen wrapped at a line end closed up (as `join_lines` does).
    fn normalised(text: &str) -> String {
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| l.trim().is_empty() || !l.trim().chars().all(|c| c.is_ascii_digit()))
            .collect();
        let collapsed = collapse_whitespace(&fix_ligatures(&kept.join("\n")));
        let chars: Vec<char> = collapsed.chars().collect();
        let mut out = String::with_capacity(collapsed.len());
        for (i, c) in chars.iter().enumerate() {
            let wrapped_hyphen = *c == ' '
                && i >= 2
                && chars[i - 1] == '-'
                && chars[i - 2].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if !wrapped_hyphen {
                out.push(*c);
            }
        }
        out
    }

    /// The full document. The counts were established by reading the whole text (in
    /// chunks, with greps for every topic tag, every anonymity request, every bare number
    /// and every name-like line followed by a blank line — see the importer's README):
    /// - 971 topic lines, each starting one idea;
    /// - 5 ideas without a topic line, each after an attribution followed by a blank line
    ///   (after Julie Dawkins, Patricia McCarthy, Lindy Wootton, Jared Percival and RMCC);
    /// - so 976 ideas, 9 fewer than the 985 responses the introduction counts: the text
    ///   has no further boundary to split at (see the notes);
    /// - 299 anonymity requests; one idea with neither a name nor an anonymity request.
    #[test]
    fn the_whole_document() {
        let source = include_str!("../sources/call-for-ideas.txt");
        let files = parse(source);
        let ideas: Vec<(&ResponseMeta, &str)> = files
            .iter()
            .filter_map(|f| match &f.front_matter {
                FrontMatter::Idea(meta) => Some((meta, f.body.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(files.len(), ideas.len() + 1);
        assert_eq!(ideas.len(), 976);
        assert_eq!(ideas.iter().filter(|(m, _)| m.anonymous).count(), 299);
        let unnamed: Vec<u32> = ideas
            .iter()
            .filter(|(m, _)| !m.anonymous && m.respondent.is_none())
            .map(|(m, _)| m.number)
            .collect();
        assert_eq!(unnamed, [781]);
        // Ideas without topics: the five without a topic line (each follows an attribution
        // and a blank line).
        let without_topics: Vec<u32> = ideas
            .iter()
            .filter(|(m, _)| m.topics.is_empty())
            .map(|(m, _)| m.number)
            .collect();
        assert_eq!(without_topics, [382, 399, 546, 613, 840]);

        let source = normalised(source);
        for (i, (meta, body)) in ideas.iter().enumerate() {
            assert_eq!(meta.number as usize, i + 1);
            assert!(!body.trim().is_empty(), "idea {} is empty", meta.number);
            for block in body.split("\n\n") {
                let words = block
                    .trim_start()
                    .strip_prefix("- ")
                    .unwrap_or(block.trim_start());
                let words = normalised(&unescape(words));
                assert!(
                    source.contains(&words),
                    "idea {}: {words:?} is not in the source",
                    meta.number
                );
            }
            if let Some(name) = &meta.respondent {
                assert!(source.contains(&normalised(name)), "{name:?}");
            }
        }
    }
}
