//! INDEX: the search index, scored from [`SearchDocument`]s and written as many small
//! files so that a query downloads only what it needs. `docs/search.md` describes the
//! files; `themes/review/static/search.js` reads them.
//!
//! The index takes the resolved site and the plain text of the rendered bodies
//! ([`Texts`], handed over by the pipeline) and makes its own documents ([`documents`]); it
//! knows nothing of the render stage's types.
//!
//! The text pipeline is elasticlunr-rs's ([`pipeline`]) and the scores are elasticlunr's,
//! but its index is never built: [`count`] counts what it would record, each (term,
//! document) pair gets its final score here (so the client only adds numbers up), and the
//! terms are cut into shards by sorted ranges, next to a document store cut into chunks
//! and a manifest that says which shard holds which terms. Every step runs on all cores.

pub mod analysis;
mod count;
mod documents;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::config::OTHER_KINDS;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::output::fingerprint::{content_hash_of, fingerprinted};
use crate::resolve::Site;
use crate::vocabulary::TaxonomyKind;
use count::{Counts, TEXT_GAP};
pub use documents::{Kind, SearchDocument, Tag, Texts, documents};

/// The version of the file format, written in the manifest; `search.js` refuses others.
pub const FORMAT_VERSION: u32 = 2;

/// The indexed fields and their boosts. A title or a theme names what a whole item is
/// about, so a match there counts for more than one word among hundreds in a body; the
/// speaker counts as much as the body so "foster carer" finds what foster carers said.
pub const FIELDS: [(&str, f64); 4] = [
    ("title", 3.0),
    ("tags", 2.0),
    ("speaker", 1.0),
    ("body", 1.0),
];

/// Scores are stored as integers: the elasticlunr score times this, rounded, at least 1.
pub const SCORE_SCALE: f64 = 100.0;

/// A shard is closed once its JSON passes this many bytes (about 5 KB gzipped): small
/// enough that one word costs little, large enough that the manifest stays short.
const SHARD_BYTES: usize = 16 * 1024;

/// A chunk of the document store is closed once its JSON reaches this many bytes (about
/// 3 KB gzipped): a page of ten results spread over the collection fetches ten chunks at
/// most, and browsing by filters, in document order, reads neighbours from one chunk.
/// One file per document, as before, doubled the site's file count.
const CHUNK_BYTES: usize = 8 * 1024;

/// How much of a document's text the store keeps, in characters: all of it for every
/// document of the review site (its longest section has about 20,000), so that the
/// excerpt can be taken around the best match; a longer text is cut at a word, and a
/// match beyond the cut is shown from the start.
const TEXT_CHARS: usize = 40_000;

/// What the index stage produced.
#[derive(Debug, Default)]
pub struct Indexed {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
}

/// The folder of the index under the output, e.g. `search/en/`: one index per site
/// language, named by the language's primary subtag (`en-GB` → `en`).
pub fn index_path(config: &Config) -> String {
    let language = config
        .site
        .language
        .split('-')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    format!("search/{language}/")
}

/// Builds the search index of `site`, whose bodies' plain text is `texts`; nothing, and no
/// documents made, when search is switched off.
pub fn index(site: &Site, texts: &Texts<'_>) -> Indexed {
    let config = &site.config;
    if !config.site.search.enabled {
        return Indexed::default();
    }
    let documents = &documents(site, texts);
    let mut warnings = Diagnostics::default();
    let language = &config.site.language;
    if !language.to_lowercase().starts_with("en") {
        warnings.push(
            Diagnostic::error(
                "search/language",
                "site.yaml",
                format!("the search index stems words as English, but the site's language is `{language}`"),
            )
            .warning()
            .with_help("searching still works for whole words; only English stemming is built in"),
        );
    }
    // The terms and the store do not depend on each other: either fills a core the
    // other leaves idle.
    let (shards, (chunks, facets)) = rayon::join(
        || {
            let counts = Counts::new(documents);
            let terms = scores(&counts, documents.len());
            shards(&terms, &counts)
                .into_par_iter()
                .enumerate()
                .map(|(i, (from, json))| {
                    let name = fingerprinted(&format!("t/{i}.json"), json.as_bytes());
                    (from.to_string(), name, json)
                })
                .collect::<Vec<_>>()
        },
        || rayon::join(|| chunks(documents), || facets(site, documents)),
    );
    let base = index_path(config);
    let folder = format!(
        "d/{}/",
        content_hash_of(chunks.iter().map(|(_, json)| json.as_bytes()))
    );
    let mut shard_list = Vec::with_capacity(shards.len());
    let mut files = Vec::with_capacity(shards.len() + chunks.len() + 1);
    for (from, name, json) in shards {
        files.push(file(&base, &name, json));
        shard_list.push((from, name));
    }
    let starts = chunks.iter().map(|(start, _)| *start).collect();
    files.par_extend(
        chunks
            .into_par_iter()
            .enumerate()
            .map(|(i, (_, json))| file(&base, &format!("{folder}{i}.json"), json)),
    );
    let manifest = Manifest {
        version: FORMAT_VERSION,
        language: language.clone(),
        documents: documents.len(),
        score_scale: SCORE_SCALE,
        text_gap: TEXT_GAP,
        fields: FIELDS
            .iter()
            .map(|(name, boost)| (name.to_string(), *boost))
            .collect(),
        shards: shard_list,
        store: Store { folder, starts },
        facets,
    };
    files.push(file(&base, "manifest.json", to_json(&manifest)));
    Indexed { files, warnings }
}

/// The document store: documents in order, cut into chunks of about [`CHUNK_BYTES`] of
/// JSON, each `(its first document, JSON array of its documents)`. A chunk is closed once
/// it reaches the size, so a long section is a chunk of its own and short quotes share one.
fn chunks(documents: &[SearchDocument<'_>]) -> Vec<(usize, String)> {
    let stored: Vec<String> = documents
        .par_iter()
        .map(|document| to_json(&StoredDocument::new(document)))
        .collect();
    cuts(&stored, CHUNK_BYTES)
        .par_windows(2)
        .filter(|range| range[0] < range[1])
        .map(|range| {
            let mut json = String::from("[");
            json.push_str(&stored[range[0]..range[1]].join(","));
            json.push(']');
            (range[0], json)
        })
        .collect()
}

/// Where to cut `items`, pieces of JSON, into runs of about `limit` bytes: the first item
/// of each run, then `items.len()`. A run is closed before the item that finds it at
/// `limit` bytes or more, counting one separator per item. Shards and chunks are both cut
/// so.
fn cuts(items: &[String], limit: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut length = 0;
    for (i, item) in items.iter().enumerate() {
        if length >= limit {
            starts.push(i);
            length = 0;
        }
        length += item.len() + 1;
    }
    starts.push(items.len());
    starts
}

fn file(base: &str, name: &str, json: String) -> OutputFile {
    OutputFile::bytes(format!("{base}{name}"), json.into_bytes())
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| unreachable!("plain data serialises: {e}"))
}

/// The manifest: everything the client needs before it knows which files to fetch.
#[derive(Serialize)]
struct Manifest {
    version: u32,
    language: String,
    documents: usize,
    score_scale: f64,
    /// Positions skipped between the texts of a document ([`TEXT_GAP`]): a position at or
    /// beyond the body's number of words is in the title, tags or speaker.
    text_gap: u32,
    /// Field name → boost, for the record: the boosts are already in the scores.
    fields: BTreeMap<String, f64>,
    /// `[first term, file]` per shard, in term order. A shard holds every term from its
    /// first term up to (not including) the next shard's; the first shard's is "".
    shards: Vec<(String, String)>,
    store: Store,
    facets: Vec<Facet>,
}

/// Where the stored documents are.
#[derive(Serialize)]
struct Store {
    /// The folder of the chunks: chunk `i` is `<folder><i>.json`. It is named by a hash
    /// of every chunk, so a cached chunk of an older build is never mixed with a newer
    /// manifest.
    folder: String,
    /// The first document of each chunk, increasing from 0.
    starts: Vec<usize>,
}

/// One facet the results can be filtered by.
#[derive(Serialize)]
struct Facet {
    /// The URL parameter: `kind`, `summary`, or the taxonomy's key in `site.yaml`.
    key: &'static str,
    name: String,
    /// `[slug, display name]`; the slug goes in the URL.
    values: Vec<(String, String)>,
    /// Per document, the values it has, as indexes into `values`.
    documents: Column,
}

/// A facet's values per document: one (or -1 for none) where a document has at most one,
/// a list where it may have several.
#[derive(Serialize)]
#[serde(untagged)]
enum Column {
    One(Vec<i64>),
    Many(Vec<Vec<u32>>),
}

/// What a result shows: the store keeps only what is not in the manifest.
#[derive(Serialize)]
struct StoredDocument<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    /// The body, for an excerpt around the best match: word *n* of this text (as the
    /// text pipeline splits words) is position *n* in the index.
    text: &'a str,
}

impl StoredDocument<'_> {
    fn new<'a>(document: &'a SearchDocument<'_>) -> StoredDocument<'a> {
        StoredDocument {
            url: &document.url,
            title: &document.title,
            speaker: document.speaker,
            text: truncate(document.body, TEXT_CHARS),
        }
    }
}

/// The first `limit` characters of `text`, cut at a word boundary. A text of no more
/// bytes than `limit` has no more characters either, and is not walked.
fn truncate(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    match text.char_indices().nth(limit) {
        None => text,
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            &text[..cut]
        }
    }
}

/// One term's documents with their scores, in document order.
type Postings = Vec<(u32, f64)>;

/// A term of the index: its text, its number in the [`Counts`] and its postings.
struct Term<'a> {
    text: &'a str,
    number: usize,
    postings: Postings,
}

/// Scores every (term, document) pair as elasticlunr.js would score a one-word query in
/// that field — `boost × √tf × idf × 1/√(field length)` with `idf = 1 + ln(N / (df + 1))`
/// — summed over the fields in [`FIELDS`] order. Terms come in UTF-16 order, the order
/// of JavaScript's `<`, which the client's lookups use.
fn scores(counts: &Counts, documents: usize) -> Vec<Term<'_>> {
    let total = documents as f64;
    let mut terms: Vec<Term> = (0..counts.len())
        .into_par_iter()
        .map(|t| {
            let text = counts.term(t);
            let postings = if analysis::is_stop_entry(text) {
                counts.positions(t).map(|(doc, _)| (doc, 0.0)).collect()
            } else {
                score(counts, t, total)
            };
            Term {
                text,
                number: t,
                postings,
            }
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| utf16_order(a.text, b.text));
    terms
}

/// The order of `a` and `b` as UTF-16 code units, JavaScript's `<`, without encoding them
/// (which cost as much as the rest of scoring). UTF-8's byte order is code point order,
/// which UTF-16 shares except that a character beyond U+FFFF (a surrogate pair, from
/// 0xD800) comes before U+E000–U+FFFF. Where the two first differ, either both bytes begin
/// a character, or both continue characters with the same lead byte, which order alike
/// in both; lead bytes 0xEE–0xEF begin U+E000–U+FFFF, and 0xF0–0xF4 the characters beyond.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).find(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some((&x, &y)) if x.min(y) >= 0xEE && (x >= 0xF0) != (y >= 0xF0) => y.cmp(&x),
        Some((x, y)) => x.cmp(y),
    }
}

/// The scores of term `t` in the documents that have it, out of `total` documents.
fn score(counts: &Counts, t: usize, total: f64) -> Postings {
    let mut scores = Vec::new();
    for (field, (_, boost)) in FIELDS.iter().enumerate() {
        let df = counts.occurrences(t, field).count();
        if df == 0 {
            continue;
        }
        let idf = 1.0 + (total / (df as f64 + 1.0)).ln();
        for (doc, count) in counts.occurrences(t, field) {
            let tf = f64::from(count).sqrt();
            let length = f64::from(counts.length(doc, field));
            let norm = if length == 0.0 {
                1.0
            } else {
                1.0 / length.sqrt()
            };
            scores.push((doc, boost * tf * idf * norm));
        }
    }
    // Stable: a document's fields stay in order, and are added up in that order.
    scores.sort_by_key(|&(doc, _)| doc);
    scores.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    scores
}

/// A score as stored: times [`SCORE_SCALE`], rounded, at least 1; 0 for a stop word's
/// entry, which has positions but no score.
fn stored(score: f64) -> u32 {
    if score == 0.0 {
        return 0;
    }
    ((score * SCORE_SCALE).round() as u32).max(1)
}

/// Cuts the sorted terms into shards of about [`SHARD_BYTES`]: `(first term, JSON)`.
/// Each shard is `{"term": [doc, score, n, position × n, doc gap, score, n, …], …}`:
/// per document that has the term, its number (after the first, the gap from the one
/// before), the score, and the `n` positions of the term's words in it (after the first,
/// each the gap from the one before), which phrase queries, nearness and excerpts need.
///
/// Each term's entry is written in parallel; a shard is closed before the entry that
/// finds it at [`SHARD_BYTES`] or more (counting its `{` and commas), then the entries of
/// each shard are joined in parallel.
fn shards<'a>(terms: &[Term<'a>], counts: &Counts) -> Vec<(&'a str, String)> {
    let entries: Vec<String> = terms
        .par_iter()
        .map(|term| entry(term, counts.positions(term.number)))
        .collect();
    cuts(&entries, SHARD_BYTES)
        .par_windows(2)
        .map(|range| {
            let (start, end) = (range[0], range[1]);
            let first = if start == 0 { "" } else { terms[start].text };
            (first, joined(&entries[start..end]))
        })
        .collect()
}

/// One term's entry of a shard, `"term":[…]`, from its postings and its positions in the
/// same documents.
fn entry<'c>(term: &Term<'_>, positions: impl Iterator<Item = (u32, &'c [u32])>) -> String {
    let mut entry = Vec::with_capacity(term.text.len() + 16 * term.postings.len() + 8);
    entry.extend_from_slice(to_json(&term.text).as_bytes());
    entry.extend_from_slice(b":[");
    let mut previous = 0;
    for (i, (&(doc, score), (_, positions))) in term.postings.iter().zip(positions).enumerate() {
        if i > 0 {
            entry.push(b',');
        }
        push_number(&mut entry, doc - previous);
        entry.push(b',');
        push_number(&mut entry, stored(score));
        entry.push(b',');
        push_number(&mut entry, positions.len() as u32);
        let mut at = 0;
        for &position in positions {
            entry.push(b',');
            push_number(&mut entry, position - at);
            at = position;
        }
        previous = doc;
    }
    entry.push(b']');
    String::from_utf8(entry).unwrap_or_else(|e| unreachable!("JSON is UTF-8: {e}"))
}

/// Appends `number` in decimal. The shards are about 600,000 numbers for the review site,
/// most of one to three digits: formatting them through `write!` cost more than anything
/// else in the index stage, so the short ones are written digit by digit and the rest
/// with `itoa`, with no formatter between.
fn push_number(json: &mut Vec<u8>, number: u32) {
    let digit = |n: u32| b'0' + (n % 10) as u8;
    match number {
        0..10 => json.push(digit(number)),
        10..100 => json.extend_from_slice(&[digit(number / 10), digit(number)]),
        100..1000 => {
            json.extend_from_slice(&[digit(number / 100), digit(number / 10), digit(number)])
        }
        _ => json.extend_from_slice(itoa::Buffer::new().format(number).as_bytes()),
    }
}

/// `{` entries joined by commas `}`.
fn joined(entries: &[String]) -> String {
    let mut json = String::with_capacity(2 + entries.iter().map(|e| e.len() + 1).sum::<usize>());
    json.push('{');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(entry);
    }
    json.push('}');
    json
}

/// The facets, each with every document's values: the kind, the summary, then the
/// taxonomies under their keys in `site.yaml` (`voices`, `themes`, `topics`), so that a
/// filtered search's address reads like the site's own (`?voices=parent&themes=housing`).
fn facets(site: &Site, documents: &[SearchDocument<'_>]) -> Vec<Facet> {
    let responses = &site.config.site.responses;
    let [section, quote, page] = OTHER_KINDS.map(|(slug, name)| Tag { slug, name });
    let response_slug = responses.kind_slug();
    let response = Tag {
        slug: &response_slug,
        name: &responses.singular,
    };
    // In the order of `Kind`'s variants, which `d.kind as i64` indexes.
    let kinds = [section, quote, response, page];
    let kind = Facet {
        key: "kind",
        name: "Type".into(),
        values: kinds
            .into_iter()
            .map(|tag| (tag.slug.to_string(), tag.name.to_string()))
            .collect(),
        documents: Column::One(documents.iter().map(|d| d.kind as i64).collect()),
    };
    let summary = single("summary", "Summary", documents, |d| d.summary.as_ref());
    let taxonomy = |kind: TaxonomyKind| (kind.key(), kind.settings(&site.config).singular.clone());
    let (key, name) = taxonomy(TaxonomyKind::Voices);
    let voices = single(key, &name, documents, |d| d.voice.as_ref());
    let (key, name) = taxonomy(TaxonomyKind::Themes);
    let themes = multiple(key, name, documents, |d| &d.themes);
    let (key, name) = taxonomy(TaxonomyKind::Topics);
    let topics = multiple(key, name, documents, |d| &d.topics);
    vec![kind, summary, voices, themes, topics]
}

/// A facet whose documents have at most one value each.
fn single<'a>(
    key: &'static str,
    name: &str,
    documents: &'a [SearchDocument<'a>],
    value: impl Fn(&'a SearchDocument<'a>) -> Option<&'a Tag<'a>>,
) -> Facet {
    let mut values = Values::default();
    let column = documents
        .iter()
        .map(|d| value(d).map_or(-1, |tag| i64::from(values.of(tag))))
        .collect();
    Facet {
        key,
        name: name.to_string(),
        values: values.list,
        documents: Column::One(column),
    }
}

/// A facet whose documents may have several values.
fn multiple<'a>(
    key: &'static str,
    name: String,
    documents: &'a [SearchDocument<'a>],
    tags: impl Fn(&'a SearchDocument<'a>) -> &'a [Tag<'a>],
) -> Facet {
    let mut values = Values::default();
    let column = documents
        .iter()
        .map(|d| tags(d).iter().map(|tag| values.of(tag)).collect())
        .collect();
    Facet {
        key,
        name,
        values: values.list,
        documents: Column::Many(column),
    }
}

/// The distinct values of one facet, in order of first appearance.
#[derive(Default)]
struct Values {
    list: Vec<(String, String)>,
    positions: HashMap<String, u32>,
}

impl Values {
    /// The position of `tag` among the values, added at the end the first time.
    fn of(&mut self, tag: &Tag<'_>) -> u32 {
        if let Some(&i) = self.positions.get(tag.slug) {
            return i;
        }
        let i = self.list.len() as u32;
        self.positions.insert(tag.slug.to_string(), i);
        self.list.push((tag.slug.to_string(), tag.name.to_string()));
        i
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::count::tests::{Recorded, assert_same, awkward_documents, document, elasticlunr};
    use super::{
        Counts, FIELDS, Postings, SHARD_BYTES, SearchDocument, scores, shards, stored, truncate,
    };

    /// The scores as the index stage computed them from elasticlunr-rs's counts before it
    /// counted by itself: per field, per term, each document's score added to its total.
    fn scores_from(recorded: &Recorded, documents: usize) -> Vec<(String, Postings)> {
        let total = documents as f64;
        let mut scores: HashMap<&str, BTreeMap<u32, f64>> = HashMap::new();
        for (field, (_, boost)) in FIELDS.iter().enumerate() {
            for (term, docs) in &recorded.terms[field] {
                let idf = 1.0 + (total / (docs.len() as f64 + 1.0)).ln();
                let entry = scores.entry(term).or_default();
                for (&doc, &tf) in docs {
                    let length = recorded.lengths[doc as usize][field];
                    let norm = if length == 0.0 {
                        1.0
                    } else {
                        1.0 / length.sqrt()
                    };
                    *entry.entry(doc).or_default() += boost * tf * idf * norm;
                }
            }
        }
        let mut terms: Vec<(String, Postings)> = scores
            .into_iter()
            .map(|(term, docs)| (term.to_string(), docs.into_iter().collect()))
            .collect();
        terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        terms
    }

    /// Every term's scores equal, to the last bit, those computed from elasticlunr-rs's
    /// counts; and the counts themselves equal elasticlunr-rs's.
    fn assert_scores_as_elasticlunr(documents: &[SearchDocument<'_>]) {
        let counts = Counts::new(documents);
        assert_same(documents, &counts);
        // Stop words' entries carry positions, not scores: elasticlunr has no such terms.
        let actual: Vec<_> = scores(&counts, documents.len())
            .into_iter()
            .filter(|term| !super::analysis::is_stop_entry(term.text))
            .collect();
        let expected = scores_from(&elasticlunr(documents), documents.len());
        assert_eq!(actual.len(), expected.len(), "number of terms");
        for (term, (expected_term, expected_postings)) in actual.iter().zip(&expected) {
            assert_eq!(term.text, expected_term);
            assert_eq!(
                &term.postings, expected_postings,
                "scores of `{}`",
                term.text
            );
        }
    }

    #[test]
    fn scores_equal_elasticlunr_on_awkward_documents() {
        assert_scores_as_elasticlunr(&awkward_documents());
    }

    #[test]
    fn scores_equal_elasticlunr_on_the_review_site() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut session = crate::pipeline::Session::new(root, Default::default());
        session
            .build(&crate::output::Memory::default())
            .expect("the site in this repository builds");
        let (site, bodies) = session.site().zip(session.bodies()).expect("built");
        let documents = super::documents(site, &crate::pipeline::texts(bodies));
        assert!(documents.len() > 1000, "{} documents", documents.len());
        assert_scores_as_elasticlunr(&documents);
    }

    #[test]
    fn a_title_and_a_body_outweigh_a_body() {
        let documents = [
            document(
                "Kinship",
                "Kinship care and kinship carers need support.",
                &["Kinship care"],
            ),
            document("Caseloads", "Caseloads are too high; support workers.", &[]),
            document("Courts", "The courts and kinship carers.", &["Courts"]),
            document(
                "Money",
                "Allowances for special guardians.",
                &["Kinship care"],
            ),
        ];
        let counts = Counts::new(&documents);
        let terms = scores(&counts, documents.len());
        let kinship = &terms.iter().find(|t| t.text == "kinship").unwrap().postings;
        let docs: Vec<u32> = kinship.iter().map(|(doc, _)| *doc).collect();
        assert_eq!(docs, [0, 1, 2, 3], "speaker, body or theme");
        assert!(
            kinship[0].1 > kinship[2].1,
            "title and body outweigh body alone"
        );
        assert_eq!(stored(0.0001), 1, "every posting keeps a score");
        assert_eq!(stored(1.234), 123);
    }

    /// Decodes a shard's entry: per document, its number, stored score and positions.
    fn decode(entry: &serde_json::Value) -> Vec<(u64, u64, Vec<u64>)> {
        let numbers: Vec<u64> = entry
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        let mut decoded = Vec::new();
        let (mut at, mut doc) = (0, 0);
        while at < numbers.len() {
            doc += numbers[at];
            let n = numbers[at + 2] as usize;
            let mut position = 0;
            let positions = numbers[at + 3..at + 3 + n]
                .iter()
                .map(|gap| {
                    position += gap;
                    position
                })
                .collect();
            decoded.push((doc, numbers[at + 1], positions));
            at += 3 + n;
        }
        decoded
    }

    #[test]
    fn shards_partition_the_terms_in_order_with_their_positions() {
        // Word `w<j>` is in document j, twice, and in document j + 7 once, second.
        let bodies: Vec<String> = (0..2000)
            .map(|i| {
                let earlier = if i >= 7 { i - 7 } else { i };
                format!("w{i:05} w{earlier:05} w{i:05}")
            })
            .collect();
        let documents: Vec<SearchDocument<'_>> = bodies
            .iter()
            .map(|body| SearchDocument {
                speaker: None,
                ..document("", body, &[])
            })
            .collect();
        let counts = Counts::new(&documents);
        let terms = scores(&counts, documents.len());
        let shards = shards(&terms, &counts);
        assert!(shards.len() > 1, "{} shards", shards.len());
        assert_eq!(shards[0].0, "");
        let mut seen = Vec::new();
        for (i, (from, json)) in shards.iter().enumerate() {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(json).unwrap();
            for (term, entry) in &map {
                assert!(term.as_str() >= *from);
                if let Some((next, _)) = shards.get(i + 1) {
                    assert!(term.as_str() < *next);
                }
                let j: u64 = term[1..].parse().unwrap();
                let docs: Vec<(u64, Vec<u64>)> =
                    decode(entry).into_iter().map(|(d, _, p)| (d, p)).collect();
                let expected = if j < 7 {
                    vec![(j, vec![0, 1, 2])]
                } else if j + 7 < 2000 {
                    vec![(j, vec![0, 2]), (j + 7, vec![1])]
                } else {
                    vec![(j, vec![0, 2])]
                };
                let expected = if j < 7 && j + 7 < 2000 {
                    [expected, vec![(j + 7, vec![1])]].concat()
                } else {
                    expected
                };
                assert_eq!(docs, expected, "{term}");
                seen.push(term.clone());
            }
            if i + 1 < shards.len() {
                let last_entry = json.rfind(",\"").unwrap();
                assert!(
                    json.len() > SHARD_BYTES && last_entry < SHARD_BYTES,
                    "shard {i} is closed once it passes {SHARD_BYTES} bytes: {}",
                    json.len()
                );
            }
        }
        let names: Vec<String> = (0..2000).map(|i| format!("w{i:05}")).collect();
        assert_eq!(seen, names);
        let none: [super::Term; 0] = [];
        assert_eq!(super::shards(&none, &counts), [("", "{}".to_string())]);
    }

    #[test]
    fn positions_go_body_first_then_title_tags_and_speaker() {
        let documents = [document(
            "Kinship title",
            "Support for kinship carers",
            &["Kinship care"],
        )];
        let counts = Counts::new(&documents);
        let positions = |word: &str| -> Vec<u32> {
            let t = (0..counts.len()).find(|&t| counts.term(t) == word).unwrap();
            counts.positions(t).flat_map(|(_, p)| p.to_vec()).collect()
        };
        let gap = super::TEXT_GAP;
        // Body: 4 words; title from 4 + gap; the tag after the title's 2 words and a gap;
        // the speaker "A kinship carer" after the tag's 2 words and a gap.
        let title = 4 + gap;
        let tag = title + 2 + gap;
        let speaker = tag + 2 + gap;
        assert_eq!(positions("kinship"), [2, title, tag, speaker + 1]);
        assert_eq!(positions("carer"), [3, speaker + 2]);
        assert_eq!(positions("support"), [0]);
    }

    #[test]
    fn terms_are_ordered_as_utf16_code_units() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "z",
            "é",
            "éa",
            "\u{7ff}",
            "\u{800}",
            "\u{d7ff}",
            "\u{e000}",
            "\u{e000}b",
            "\u{fb01}",
            "\u{fffd}",
            "\u{ffff}",
            "\u{10000}",
            "\u{1f642}",
            "\u{1f642}a",
            "\u{10ffff}",
            "a\u{ffff}",
            "a\u{10000}",
            "a\u{1f600}",
            "a\u{1f642}",
            "x\u{fffd}y",
            "x\u{1f642}",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    super::utf16_order(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} against {b:?}"
                );
            }
        }
        assert_eq!(
            super::utf16_order("\u{1f642}", "\u{fffd}"),
            std::cmp::Ordering::Less,
            "a surrogate pair comes before U+FFFD, unlike in UTF-8"
        );
    }

    #[test]
    fn numbers_are_written_as_the_standard_library_writes_them() {
        let mut json = Vec::new();
        let mut expected = String::new();
        let numbers = (0..=100_000).chain([999_999, 1_000_000, u32::MAX - 1, u32::MAX]);
        for number in numbers {
            super::push_number(&mut json, number);
            json.push(b',');
            expected.push_str(&number.to_string());
            expected.push(',');
        }
        assert_eq!(String::from_utf8(json).unwrap(), expected);
    }

    #[test]
    fn teaser_text_is_cut_at_a_word_boundary() {
        assert_eq!(truncate("one two three", 9), "one two");
        assert_eq!(truncate("short", 9), "short");
        assert_eq!(
            truncate("café au lait", 12),
            "café au lait",
            "13 bytes, 12 characters"
        );
    }
}
