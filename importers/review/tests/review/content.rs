//! The committed review content, checked against what the importer's README states and against
//! the documents in `sources/` it was imported from.
//!
//! The counts come from the tables in the importer's README rather than from constants here, so the
//! page and the content cannot drift apart: an edit that loses (or adds) a section, quote or
//! idea fails until the page says so too. The word-for-word checks guard the rule that every
//! quote and idea keeps the source's words, whatever later hand edits do.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chorus::content::kinds::Provenance;
use chorus::resolve::Site;

use crate::common;

/// The page whose tables state the counts.
const DOC: &str = "README.md";

/// The summary the ideas belong to; ideas are counted in its row.
const IDEAS_SUMMARY: &str = "call-for-ideas";

/// The source document of each summary's quotes, and of the ideas.
const SOURCES: [(&str, &str); 4] = [
    ("bridge-the-gap", "bridge-the-gap.txt"),
    ("workforce", "workforce.txt"),
    ("adults", "adults.txt"),
    (IDEAS_SUMMARY, "call-for-ideas.txt"),
];

/// Quotes whose words the PDF scattered over several lines and the importer put back in
/// order (see "Scattered quotes" in the importer's README): their words are in the source, but
/// not as one run.
const SCATTERED: [&str; 3] = [
    "More signposting for earlier support (with problems - drugs/ drinking, abuse, etc)",
    "Could it lead to nationalised (more effective/efficient) recruitment?",
    "Trained team of people knowing what counts as special guardianship",
];

/// The committed site, loaded and resolved once for all tests (rendering is not needed for
/// counts and would make the suite slow).
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        match chorus::pipeline::resolve_site(&common::repo(), &chorus::BuildOptions::default()) {
            Ok((site, _warnings)) => site,
            Err(diagnostics) => {
                let text: Vec<String> = diagnostics.items.iter().map(ToString::to_string).collect();
                panic!("the committed site does not load:\n{}", text.join("\n"))
            }
        }
    })
}

/// The cells of one Markdown table row, trimmed, with code backticks removed.
fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|cell| cell.trim().trim_matches('`').to_string())
        .collect()
}

/// The rows of the table in the importer's README whose heading row is exactly `header`.
fn table(header: &[&str]) -> Vec<Vec<String>> {
    let path = common::importer().join(DOC);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{DOC}: {e}"));
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('|') && cells(line) == header {
            let separator = lines.next().unwrap_or_default();
            assert!(
                separator.starts_with("| ---"),
                "{DOC}: the table {header:?} has no separator row"
            );
            let rows: Vec<Vec<String>> = lines
                .take_while(|l| l.starts_with('|'))
                .map(cells)
                .collect();
            for row in &rows {
                assert_eq!(
                    row.len(),
                    header.len(),
                    "{DOC}: the row {row:?} of the table {header:?}"
                );
            }
            return rows;
        }
    }
    panic!(
        "{DOC} has no table with the columns {header:?}; keep its heading row as the test expects"
    )
}

/// A count cell of the importer's README.
fn number(cell: &str, what: &str) -> usize {
    cell.parse()
        .unwrap_or_else(|_| panic!("{DOC}: {what}: {cell:?} is not a number"))
}

/// Fails with every problem found, one per line.
fn assert_none(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn summary_index(site: &Site, slug: &str) -> Option<usize> {
    site.summaries.iter().position(|s| s.slug == slug)
}

#[test]
fn the_sections_quotes_and_ideas_of_each_document_are_the_ones_docs_import_states() {
    let site = site();
    let rows = table(&[
        "document",
        "slug",
        "sections",
        "quotes",
        "quotes with no speaker",
        "ideas",
    ]);
    let mut problems = Vec::new();
    for row in &rows {
        let (name, slug) = (&row[0], &row[1]);
        let Some(i) = summary_index(site, slug) else {
            problems.push(format!(
                "{DOC} lists {name} (`{slug}`), but content/ has no such summary"
            ));
            continue;
        };
        let quotes: Vec<_> = site.quotes.iter().filter(|q| q.summary == i).collect();
        let ideas = if slug == IDEAS_SUMMARY {
            site.responses.len()
        } else {
            0
        };
        let actual = [
            ("sections", site.summaries[i].sections.len()),
            ("quotes", quotes.len()),
            (
                "quotes with no speaker",
                quotes
                    .iter()
                    .filter(|q| q.doc.meta.speaker.is_none())
                    .count(),
            ),
            ("ideas", ideas),
        ];
        for (column, (what, count)) in actual.into_iter().enumerate() {
            let stated = number(&row[column + 2], &format!("{name} {what}"));
            if stated != count {
                problems.push(format!(
                    "{name} (`{slug}`): {DOC} states {stated} {what}, content/ has {count}"
                ));
            }
        }
    }
    for summary in &site.summaries {
        if !rows.iter().any(|row| row[1] == summary.slug) {
            problems.push(format!(
                "the summary `{}` has no row in the counts table of {DOC}",
                summary.slug
            ));
        }
    }
    assert_none(&problems);
}

#[test]
fn the_site_totals_are_the_ones_docs_import_states() {
    let site = site();
    let ideas = &site.responses;
    let actual: BTreeMap<&str, usize> = [
        ("summaries", site.summaries.len()),
        ("sections", site.sections.len()),
        ("quotes", site.quotes.len()),
        (
            "quotes with no speaker",
            site.quotes
                .iter()
                .filter(|q| q.doc.meta.speaker.is_none())
                .count(),
        ),
        ("ideas", ideas.len()),
        (
            "ideas published anonymously",
            ideas.iter().filter(|i| i.doc.meta.anonymous).count(),
        ),
        (
            "ideas with a respondent",
            ideas
                .iter()
                .filter(|i| i.doc.meta.respondent.is_some())
                .count(),
        ),
        (
            "ideas published without a name",
            ideas
                .iter()
                .filter(|i| !i.doc.meta.anonymous && i.doc.meta.respondent.is_none())
                .count(),
        ),
        (
            "ideas without topics",
            ideas
                .iter()
                .filter(|i| i.doc.meta.topics.is_empty())
                .count(),
        ),
        ("news items", site.news().len()),
    ]
    .into_iter()
    .collect();
    let rows = table(&["site total", "count"]);
    let mut problems = Vec::new();
    for row in &rows {
        let label = row[0].as_str();
        match actual.get(label) {
            Some(&count) => {
                let stated = number(&row[1], label);
                if stated != count {
                    problems.push(format!(
                        "{DOC} states {stated} {label}, content/ has {count}"
                    ));
                }
            }
            None => problems.push(format!(
                "{DOC}: the site total {label:?} is not one this test knows"
            )),
        }
    }
    for label in actual.keys() {
        if !rows.iter().any(|row| row[0] == *label) {
            problems.push(format!("{DOC}: the site totals table has no row {label:?}"));
        }
    }
    assert_none(&problems);
}

#[test]
fn the_quotes_per_voice_are_the_ones_docs_import_states() {
    let site = site();
    let header = ["voice", "attributions as printed", "workforce", "adults"];
    let rows = table(&header);
    let summaries: Vec<(&str, usize)> = header[2..]
        .iter()
        .map(|slug| {
            (
                *slug,
                summary_index(site, slug).unwrap_or_else(|| panic!("no summary `{slug}`")),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let mut listed = vec![0; summaries.len()];
    for row in &rows {
        let voice = row[0].as_str();
        let mut total = 0;
        for (column, (slug, i)) in summaries.iter().enumerate() {
            let stated = number(&row[column + 2], &format!("voice {voice} in {slug}"));
            let count = site
                .quotes
                .iter()
                .filter(|q| q.summary == *i && q.doc.meta.voice.as_deref() == Some(voice))
                .count();
            if stated != count {
                problems.push(format!("{slug}: {DOC} states {stated} quotes with the voice `{voice}`, content/ has {count}"));
            }
            listed[column] += stated;
            total += stated;
        }
        let mut attributed = 0;
        for item in row[1].split(", ") {
            let parsed = item.rsplit_once(" (").and_then(|(speaker, n)| {
                Some((speaker, n.strip_suffix(')')?.parse::<usize>().ok()?))
            });
            let Some((speaker, stated)) = parsed else {
                problems.push(format!(
                    "{DOC}: voice `{voice}`: {item:?} is not \"Speaker (count)\""
                ));
                continue;
            };
            let quotes: Vec<_> = site
                .quotes
                .iter()
                .filter(|q| q.doc.meta.speaker.as_deref() == Some(speaker))
                .collect();
            if quotes.len() != stated {
                problems.push(format!(
                    "{DOC} states {stated} quotes attributed to {speaker:?}, content/ has {}",
                    quotes.len()
                ));
            }
            if let Some(q) = quotes
                .iter()
                .find(|q| q.doc.meta.voice.as_deref() != Some(voice))
            {
                problems.push(format!(
                    "{}: the speaker {speaker:?} is listed under `{voice}` in {DOC}",
                    q.doc.path
                ));
            }
            attributed += stated;
        }
        if attributed != total {
            problems.push(format!("{DOC}: voice `{voice}`: the attributions add up to {attributed}, the columns to {total}"));
        }
    }
    for (column, (slug, i)) in summaries.iter().enumerate() {
        let quotes = site.quotes.iter().filter(|q| q.summary == *i);
        let unattributed = quotes
            .clone()
            .filter(|q| q.doc.meta.speaker.is_none())
            .count();
        let all = quotes.count();
        if listed[column] + unattributed != all {
            problems.push(format!(
                "{slug}: the voices in {DOC} account for {} quotes and {unattributed} have no speaker, but there are {all}",
                listed[column]
            ));
        }
    }
    assert_none(&problems);
}

#[test]
fn the_ideas_per_topic_are_the_ones_docs_import_states() {
    let site = site();
    let rows = table(&["topic", "slug", "ideas"]);
    let mut problems = Vec::new();
    for row in &rows {
        let (name, slug) = (&row[0], &row[1]);
        let stated = number(&row[2], &format!("ideas on {name}"));
        let count = site
            .responses
            .iter()
            .filter(|i| i.doc.meta.topics.iter().any(|t| t == slug))
            .count();
        if stated != count {
            problems.push(format!(
                "topic {name} (`{slug}`): {DOC} states {stated} ideas, content/ has {count}"
            ));
        }
    }
    for topic in &site.vocabularies.topics {
        if !rows.iter().any(|row| row[1] == topic.slug) {
            problems.push(format!(
                "the topic `{}` has no row in the topics table of {DOC}",
                topic.slug
            ));
        }
    }
    assert_none(&problems);
}

#[test]
fn every_quote_is_placed_exactly_once_in_the_section_it_names() {
    let site = site();
    let mut placed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (s, section) in site.sections.iter().enumerate() {
        for placement in &section.placements {
            placed.entry(placement.quote).or_default().push(s);
        }
    }
    let mut problems = Vec::new();
    for (q, quote) in site.quotes.iter().enumerate() {
        let id = &quote.doc.meta.id;
        match placed.get(&q).map(Vec::as_slice) {
            None | Some([]) => problems.push(format!("{id} is placed in no section")),
            Some([s]) if *s != quote.section => problems.push(format!(
                "{id} is placed in {} but names the section `{}`",
                site.sections[*s].doc.path, quote.doc.meta.section
            )),
            Some([_]) => {}
            Some(many) => problems.push(format!("{id} is placed {} times", many.len())),
        }
    }
    assert!(!site.quotes.is_empty());
    assert_none(&problems);
}

#[test]
fn a_quote_without_a_speaker_has_no_voice() {
    let site = site();
    let unattributed: Vec<_> = site
        .quotes
        .iter()
        .filter(|q| q.doc.meta.speaker.is_none())
        .collect();
    assert!(
        !unattributed.is_empty(),
        "the review has quotes without attribution"
    );
    let problems: Vec<String> = unattributed
        .iter()
        .filter_map(|q| {
            let voice = q.doc.meta.voice.as_ref()?;
            Some(format!(
                "{}: no speaker, but the voice `{voice}`",
                q.doc.path
            ))
        })
        .collect();
    assert_none(&problems);
}

/// `text` as the word-for-word comparison sees it: bare page-number lines out, ligatures as
/// letters, whitespace collapsed, and a hyphen the PDF wrapped at a line end closed up —
/// exactly the clean-up the importer may do.
fn normalised(text: &str) -> String {
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let line = line.trim();
            line.is_empty() || !line.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    let mut letters = String::with_capacity(text.len());
    for c in kept.join("\n").chars() {
        match c {
            'ﬀ' => letters.push_str("ff"),
            'ﬁ' => letters.push_str("fi"),
            'ﬂ' => letters.push_str("fl"),
            'ﬃ' => letters.push_str("ffi"),
            'ﬄ' => letters.push_str("ffl"),
            'ﬅ' | 'ﬆ' => letters.push_str("st"),
            c => letters.push(c),
        }
    }
    let words: Vec<&str> = letters.split_whitespace().collect();
    let mut out = String::with_capacity(letters.len());
    for (i, word) in words.iter().enumerate() {
        let wrapped_hyphen = i > 0 && {
            let previous = words[i - 1];
            previous.ends_with('-')
                && previous
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(char::is_alphabetic)
                && word.chars().next().is_some_and(char::is_lowercase)
        };
        if i > 0 && !wrapped_hyphen {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Markdown text back to the words it shows: backslash escapes removed.
fn unescaped(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The runs of words a body shows: its paragraphs and list items, without list markers.
fn blocks(body: &str) -> Vec<String> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .map(|block| normalised(&unescaped(block.strip_prefix("- ").unwrap_or(block))))
        .collect()
}

/// The source document named in [`SOURCES`] for `slug`, normalised.
fn source(slug: &str) -> Option<String> {
    let (_, file) = SOURCES.iter().find(|(s, _)| *s == slug)?;
    let path = common::importer().join("sources").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(normalised(&text))
}

/// Whether every word of a scattered quote stands in the source close after its first
/// three words, which the PDF kept together.
fn scattered_in(source: &str, words: &str) -> bool {
    let opening: Vec<&str> = words.split(' ').take(3).collect();
    let Some(start) = source.find(&opening.join(" ")) else {
        return false;
    };
    let window: String = source[start..].chars().take(words.len() * 4).collect();
    words.split(' ').all(|word| window.contains(word))
}

#[test]
fn every_quote_is_word_for_word_in_its_source() {
    let site = site();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (i, summary) in site.summaries.iter().enumerate() {
        let quotes: Vec<_> = site.quotes.iter().filter(|q| q.summary == i).collect();
        if quotes.is_empty() {
            continue;
        }
        let Some(source) = source(&summary.slug) else {
            problems.push(format!(
                "no source document is known for the quotes of `{}`",
                summary.slug
            ));
            continue;
        };
        for quote in quotes {
            for block in blocks(quote.doc.body()) {
                let verbatim = source.contains(&block)
                    || (SCATTERED.contains(&block.as_str()) && scattered_in(&source, &block));
                if !verbatim {
                    problems.push(format!(
                        "{}: not word for word in the source: {block:?}",
                        quote.doc.path
                    ));
                }
                checked += 1;
            }
            if let Some(speaker) = &quote.doc.meta.speaker
                && !source.contains(&format!("({})", normalised(speaker)))
            {
                problems.push(format!(
                    "{}: the speaker {speaker:?} is not an attribution in the source",
                    quote.doc.path
                ));
            }
        }
    }
    assert!(checked >= site.quotes.len(), "every quote has words");
    assert_none(&problems);
}

/// A quote taken from notes keeps the label its source prints after it ("[from notes]", "[from
/// notes of a conversation with a parent with SEND]") word for word as its `attribution`, so
/// that the site says no more, and no less, about where the words come from than the source.
#[test]
fn a_quote_from_notes_has_the_label_its_source_prints_after_it() {
    let site = site();
    let mut problems = Vec::new();
    let mut labelled = 0;
    for quote in &site.quotes {
        let meta = &quote.doc.meta;
        let Some(label) = meta.attribution.as_deref() else {
            if meta.provenance == Provenance::FromNotes {
                problems.push(format!(
                    "{}: from notes, but no attribution",
                    quote.doc.path
                ));
            }
            continue;
        };
        labelled += 1;
        let source = source(&site.summaries[quote.summary].slug).unwrap_or_default();
        let last = blocks(quote.doc.body()).pop().unwrap_or_default();
        // The quotation marks or italics the importer removed stand between.
        let after = source.find(&last).map(|at| {
            source[at + last.len()..].trim_start_matches(['\'', '"', '”', '’', '*', ' '])
        });
        if !after.is_some_and(|rest| rest.starts_with(&format!("[{label}]"))) {
            problems.push(format!(
                "{}: the source does not print [{label}] after the quote",
                quote.doc.path
            ));
        }
    }
    assert_eq!(
        labelled, 10,
        "the Adult Engagement Summary's quotes from notes"
    );
    assert_none(&problems);
}

/// Where `words` stand in `source`, looked for after `from` first (where the next idea
/// starts when nothing moved) and then anywhere.
fn find_from(source: &str, from: usize, words: &str) -> Option<usize> {
    source[from..]
        .find(words)
        .map(|at| from + at)
        .or_else(|| source.find(words))
}

#[test]
fn every_idea_is_word_for_word_in_the_call_for_ideas() {
    let site = site();
    let source = source(IDEAS_SUMMARY).unwrap_or_else(|| panic!("no source for the ideas"));
    let mut ideas: Vec<_> = site.responses.iter().collect();
    ideas.sort_by_key(|idea| idea.doc.meta.number);
    let mut problems = Vec::new();
    // The ideas follow the source's order, so each is first looked for after the start of the
    // previous one; that keeps the search short. Anything not found there is looked for in
    // the whole source before it counts as a change of words.
    let mut from = 0;
    for idea in ideas {
        let blocks = blocks(idea.doc.body());
        if blocks.is_empty() {
            problems.push(format!("{}: the idea has no words", idea.doc.path));
        }
        let mut start = None;
        for block in &blocks {
            match find_from(&source, from, block) {
                Some(at) => {
                    start.get_or_insert(at);
                }
                None => problems.push(format!(
                    "{}: not word for word in the source: {block:?}",
                    idea.doc.path
                )),
            }
        }
        from = start.unwrap_or(from);
        if let Some(respondent) = &idea.doc.meta.respondent
            && find_from(&source, from, &normalised(respondent)).is_none()
        {
            problems.push(format!(
                "{}: the respondent {respondent:?} is not in the source",
                idea.doc.path
            ));
        }
    }
    assert_none(&problems);
}

#[test]
fn the_tables_name_only_voices_and_topics_of_the_vocabularies() {
    let site = site();
    let voices: BTreeSet<&str> = site
        .vocabularies
        .voices
        .iter()
        .map(|v| v.slug.as_str())
        .collect();
    let topics: BTreeSet<&str> = site
        .vocabularies
        .topics
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let mut problems = Vec::new();
    for row in table(&["voice", "attributions as printed", "workforce", "adults"]) {
        if !voices.contains(row[0].as_str()) {
            problems.push(format!(
                "{DOC}: `{}` is not a voice of data/voices.yaml",
                row[0]
            ));
        }
    }
    for row in table(&["topic", "slug", "ideas"]) {
        if !topics.contains(row[1].as_str()) {
            problems.push(format!(
                "{DOC}: `{}` is not a topic of data/topics.yaml",
                row[1]
            ));
        }
    }
    assert_none(&problems);
}
