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
use std::fmt::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::config::OTHER_KINDS;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::output::fingerprint::{content_hash_of, fingerprinted};
use crate::resolve::Site;
use count::Counts;
pub use documents::{Kind, SearchDocument, Tag, Texts, documents};

/// The version of the file format, written in the manifest; `search.js` refuses others.
pub const FORMAT_VERSION: u32 = 1;

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

/// Documents per chunk of the document store. Results are spread across the whole
/// collection, so a chunk of one is what fetches least for a page of results.
const CHUNK_DOCUMENTS: usize = 1;

/// How much of a document's text the store keeps for teasers, in characters.
const TEXT_CHARS: usize = 1200;

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
    let (shards, (chunks, (facets, items))) = rayon::join(
        || {
            let counts = Counts::new(documents);
            let terms = scores(&counts, documents.len());
            shards(&terms)
                .into_par_iter()
                .enumerate()
                .map(|(i, (from, json))| {
                    let name = fingerprinted(&format!("t/{i}.json"), json.as_bytes());
                    (from.to_string(), name, json)
                })
                .collect::<Vec<_>>()
        },
        || {
            let chunks: Vec<String> = documents
                .par_chunks(CHUNK_DOCUMENTS)
                .map(|chunk| to_json(&chunk.iter().map(StoredDocument::new).collect::<Vec<_>>()))
                .collect();
            (chunks, facets(site, documents))
        },
    );
    let base = index_path(config);
    let chunk_folder = format!(
        "d/{}/",
        content_hash_of(chunks.iter().map(|json| json.as_bytes()))
    );
    let mut shard_list = Vec::with_capacity(shards.len());
    let mut files = Vec::with_capacity(shards.len() + chunks.len() + 1);
    for (from, name, json) in shards {
        files.push(file(&base, &name, json));
        shard_list.push((from, name));
    }
    files.par_extend(
        chunks
            .into_par_iter()
            .enumerate()
            .map(|(i, json)| file(&base, &format!("{chunk_folder}{i}.json"), json)),
    );
    let manifest = Manifest {
        version: FORMAT_VERSION,
        language: language.clone(),
        documents: documents.len(),
        score_scale: SCORE_SCALE,
        fields: FIELDS
            .iter()
            .map(|(name, boost)| (name.to_string(), *boost))
            .collect(),
        shards: shard_list,
        chunk_size: CHUNK_DOCUMENTS,
        chunks: chunk_folder,
        facets,
        items,
    };
    files.push(file(&base, "manifest.json", to_json(&manifest)));
    Indexed { files, warnings }
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
    /// Field name → boost, for the record: the boosts are already in the scores.
    fields: BTreeMap<String, f64>,
    /// `[first term, file]` per shard, in term order. A shard holds every term from its
    /// first term up to (not including) the next shard's; the first shard's is "".
    shards: Vec<(String, String)>,
    chunk_size: usize,
    /// The folder of the document store: chunk `i` is `<chunks><i>.json` and holds
    /// documents `i * chunk_size ..`. The folder is named by a hash of every chunk, so a
    /// cached chunk of an older build is never mixed with a newer manifest.
    chunks: String,
    facets: Vec<Facet>,
    /// Per document: `[kind, summary, voice, theme…]`, indexes into the facets' values,
    /// -1 for no summary or voice.
    items: Vec<Vec<i64>>,
}

/// One facet the results can be filtered by.
#[derive(Serialize)]
struct Facet {
    /// The URL parameter, e.g. `kind`.
    key: &'static str,
    name: String,
    /// `[slug, display name]`; the slug goes in the URL.
    values: Vec<(String, String)>,
}

/// What a result shows: the store keeps only what is not in the manifest.
#[derive(Serialize)]
struct StoredDocument<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    /// The start of the body, for a teaser around the first matched word.
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

/// The first `limit` characters of `text`, cut at a word boundary.
fn truncate(text: &str, limit: usize) -> &str {
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

/// Scores every (term, document) pair as elasticlunr.js would score a one-word query in
/// that field — `boost × √tf × idf × 1/√(field length)` with `idf = 1 + ln(N / (df + 1))`
/// — summed over the fields in [`FIELDS`] order. Terms come in UTF-16 order, the order
/// of JavaScript's `<`, which the client's lookups use.
fn scores(counts: &Counts, documents: usize) -> Vec<(&str, Postings)> {
    let total = documents as f64;
    let mut terms: Vec<(&str, Postings)> = (0..counts.len())
        .into_par_iter()
        .map(|t| (counts.term(t), score(counts, t, total)))
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    terms
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

/// A score as stored: times [`SCORE_SCALE`], rounded, at least 1.
fn stored(score: f64) -> u32 {
    ((score * SCORE_SCALE).round() as u32).max(1)
}

/// Cuts the sorted terms into shards of about [`SHARD_BYTES`]: `(first term, JSON)`.
/// Each shard is `{"term": [doc, score, doc gap, score, …], …}`: document numbers after
/// the first are gaps from the previous one, which keeps the numbers short.
///
/// Each term's entry is written in parallel; a shard is closed before the entry that
/// finds it at [`SHARD_BYTES`] or more (counting its `{` and commas), then the entries of
/// each shard are joined in parallel.
fn shards<'a>(terms: &[(&'a str, Postings)]) -> Vec<(&'a str, String)> {
    let entries: Vec<String> = terms
        .par_iter()
        .map(|(term, postings)| {
            let mut entry = to_json(term);
            entry.push_str(":[");
            let mut previous = 0;
            for (i, &(doc, score)) in postings.iter().enumerate() {
                if i > 0 {
                    entry.push(',');
                }
                // Writing to a String cannot fail.
                let _ = write!(entry, "{},{}", doc - previous, stored(score));
                previous = doc;
            }
            entry.push(']');
            entry
        })
        .collect();
    let mut starts = vec![0];
    let mut length = 0;
    for (i, entry) in entries.iter().enumerate() {
        if length >= SHARD_BYTES {
            starts.push(i);
            length = 0;
        }
        length += 1 + entry.len();
    }
    starts.push(entries.len());
    starts
        .par_windows(2)
        .map(|range| {
            let (start, end) = (range[0], range[1]);
            let mut json = String::with_capacity(
                2 + entries[start..end]
                    .iter()
                    .map(|e| e.len() + 1)
                    .sum::<usize>(),
            );
            json.push('{');
            for (i, entry) in entries[start..end].iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push_str(entry);
            }
            json.push('}');
            let first = if start == 0 { "" } else { terms[start].0 };
            (first, json)
        })
        .collect()
}

/// The facets and each document's values in them.
fn facets(site: &Site, documents: &[SearchDocument<'_>]) -> (Vec<Facet>, Vec<Vec<i64>>) {
    let responses = &site.config.site.responses;
    let [section, quote, page] = OTHER_KINDS.map(|(slug, name)| Tag { slug, name });
    let response_slug = responses.kind_slug();
    let response = Tag {
        slug: &response_slug,
        name: &responses.singular,
    };
    // In the order of `Kind`'s variants.
    let kinds = [section, quote, response, page];
    let mut summaries = Values::default();
    let mut voices = Values::default();
    let mut themes = Values::default();
    let items = documents
        .iter()
        .map(|d| {
            // The table is in the order of `Kind`.
            let kind = d.kind as i64;
            let summary = d.summary.as_ref().map_or(-1, |tag| summaries.of(tag));
            let voice = d.voice.as_ref().map_or(-1, |tag| voices.of(tag));
            let mut item = vec![kind, summary, voice];
            item.extend(d.themes.iter().map(|tag| themes.of(tag)));
            item
        })
        .collect();
    let taxonomies = &site.config.site.taxonomies;
    let facets = vec![
        Facet {
            key: "kind",
            name: "Type".into(),
            values: kinds
                .into_iter()
                .map(|tag| (tag.slug.to_string(), tag.name.to_string()))
                .collect(),
        },
        Facet {
            key: "summary",
            name: "Summary".into(),
            values: summaries.list,
        },
        Facet {
            key: "voice",
            name: taxonomies.voices.singular.clone(),
            values: voices.list,
        },
        Facet {
            key: "theme",
            name: taxonomies.themes.singular.clone(),
            values: themes.list,
        },
    ];
    (facets, items)
}

/// The distinct values of one facet, in order of first appearance.
#[derive(Default)]
struct Values {
    list: Vec<(String, String)>,
    positions: HashMap<String, i64>,
}

impl Values {
    /// The position of `tag` among the values, added at the end the first time.
    fn of(&mut self, tag: &Tag<'_>) -> i64 {
        if let Some(&i) = self.positions.get(tag.slug) {
            return i;
        }
        let i = self.list.len() as i64;
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
        let actual = scores(&counts, documents.len());
        let expected = scores_from(&elasticlunr(documents), documents.len());
        assert_eq!(actual.len(), expected.len(), "number of terms");
        for ((term, postings), (expected_term, expected_postings)) in actual.iter().zip(&expected) {
            assert_eq!(term, expected_term);
            assert_eq!(postings, expected_postings, "scores of `{term}`");
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
        let kinship = &terms.iter().find(|(term, _)| *term == "kinship").unwrap().1;
        let docs: Vec<u32> = kinship.iter().map(|(doc, _)| *doc).collect();
        assert_eq!(docs, [0, 1, 2, 3], "speaker, body or theme");
        assert!(
            kinship[0].1 > kinship[2].1,
            "title and body outweigh body alone"
        );
        assert_eq!(stored(0.0001), 1, "every posting keeps a score");
        assert_eq!(stored(1.234), 123);
    }

    #[test]
    fn shards_partition_the_terms_in_order() {
        let names: Vec<String> = (0..2000).map(|i| format!("term{i:05}")).collect();
        let terms: Vec<(&str, Postings)> = (0..2000)
            .map(|i| (names[i as usize].as_str(), vec![(i, 1.5), (i + 7, 0.2)]))
            .collect();
        let shards = shards(&terms);
        assert!(shards.len() > 1, "{} shards", shards.len());
        assert_eq!(shards[0].0, "");
        let mut seen = Vec::new();
        for (i, (from, json)) in shards.iter().enumerate() {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(json).unwrap();
            for term in map.keys() {
                assert!(term.as_str() >= *from);
                if let Some((next, _)) = shards.get(i + 1) {
                    assert!(term.as_str() < *next);
                }
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
        assert_eq!(seen, names);
        let first: serde_json::Value = serde_json::from_str(&shards[0].1).unwrap();
        assert_eq!(first["term00000"], serde_json::json!([0, 150, 7, 20]));
        let none: [(&str, Postings); 0] = [];
        assert_eq!(super::shards(&none), [("", "{}".to_string())]);
    }

    #[test]
    fn teaser_text_is_cut_at_a_word_boundary() {
        assert_eq!(truncate("one two three", 9), "one two");
        assert_eq!(truncate("short", 9), "short");
    }
}
