//! INDEX: the search index, built with elasticlunr-rs from [`SearchDocument`]s and written
//! as many small files so that a query downloads only what it needs. `docs/search.md`
//! describes the files; `themes/review/static/search.js` reads them.
//!
//! elasticlunr-rs tokenizes, stems and counts; its one big JSON file is never written.
//! Instead its inverted index is read back, each (term, document) pair gets its final
//! score here (so the client only adds numbers up), and the terms are cut into shards
//! by sorted ranges, next to a document store cut into chunks and a manifest that says
//! which shard holds which terms.

pub mod pipeline;

use std::collections::{BTreeMap, HashMap};

use elasticlunr::IndexBuilder;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{DocumentKind, FileData, OutputFile, SearchDocument};
use crate::resolve::Site;
use crate::vocabulary::TaxonomyKind;

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

/// Builds the search index of `documents` (nothing when search is switched off).
pub fn index(site: &Site, documents: &[SearchDocument]) -> Result<Indexed, Diagnostics> {
    let config = &site.config;
    if !config.site.search.enabled {
        return Ok(Indexed::default());
    }
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
    let postings = postings(documents).map_err(|message| {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("search/index", "(search index)", message));
        diagnostics
    })?;
    let base = index_path(config);
    let mut files = Vec::new();
    let shards = shards(&postings);
    let mut shard_list = Vec::with_capacity(shards.len());
    for (i, (from, json)) in shards.into_iter().enumerate() {
        let name = named(&format!("t/{i}"), &json);
        files.push(file(&base, &name, json));
        shard_list.push((from, name));
    }
    let chunks: Vec<String> = documents
        .chunks(CHUNK_DOCUMENTS)
        .map(|chunk| to_json(&chunk.iter().map(StoredDocument::new).collect::<Vec<_>>()))
        .collect();
    let chunk_folder = format!(
        "d/{:08x}/",
        chunks
            .iter()
            .fold(FNV_OFFSET, |hash, json| fnv1a(hash, json.as_bytes())) as u32
    );
    for (i, json) in chunks.into_iter().enumerate() {
        files.push(file(&base, &format!("{chunk_folder}{i}.json"), json));
    }
    let (facets, items) = facets(site, documents);
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
    Ok(Indexed { files, warnings })
}

fn file(base: &str, name: &str, json: String) -> OutputFile {
    OutputFile {
        path: format!("{base}{name}"),
        data: FileData::Bytes(json.into_bytes()),
    }
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| unreachable!("plain data serialises: {e}"))
}

/// `t/3` → `t/3.1a2b3c4d.json`: the content hash in the name lets hosts cache shards
/// forever, while the small manifest that names them is fetched fresh.
fn named(stem: &str, json: &str) -> String {
    format!(
        "{stem}.{:08x}.json",
        fnv1a(FNV_OFFSET, json.as_bytes()) as u32
    )
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, continuing from `hash`: stable across Rust versions, unlike `DefaultHasher`,
/// so unchanged files keep their names from one build to the next.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
struct StoredDocument {
    url: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<String>,
    /// The start of the body, for a teaser around the first matched word.
    text: String,
}

impl StoredDocument {
    fn new(document: &SearchDocument) -> StoredDocument {
        StoredDocument {
            url: document.url.clone(),
            title: document.title.clone(),
            speaker: document.speaker.clone(),
            text: truncate(&document.body, TEXT_CHARS),
        }
    }
}

/// The first `limit` characters of `text`, cut at a word boundary.
fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            text[..cut].to_string()
        }
    }
}

/// The texts of a document's fields, in [`FIELDS`] order.
fn field_texts(document: &SearchDocument) -> [String; 4] {
    // A quote's title is made from its speaker, already in its own field.
    let title = if document.kind == DocumentKind::Quote {
        String::new()
    } else {
        document.title.clone()
    };
    let tags = document
        .themes
        .iter()
        .chain(&document.topics)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    [
        title,
        tags,
        document.speaker.clone().unwrap_or_default(),
        document.body.clone(),
    ]
}

/// One term's documents with their scores, in document order.
type Postings = Vec<(u32, u32)>;

/// Indexes `documents` with elasticlunr-rs and scores every (term, document) pair as
/// elasticlunr.js would score a one-word query in that field — `boost × √tf × idf ×
/// 1/√(field length)` with `idf = 1 + ln(N / (df + 1))` — summed over the fields.
///
/// The documents are indexed in parts, one per thread; document frequencies are then
/// summed across parts, which gives exactly the numbers of one index over them all.
fn postings(documents: &[SearchDocument]) -> Result<Vec<(String, Postings)>, String> {
    let size = documents.len().div_ceil(rayon::current_num_threads());
    postings_in_parts(documents, size.max(1))
}

/// [`postings`] with the documents indexed `size` at a time.
fn postings_in_parts(
    documents: &[SearchDocument],
    size: usize,
) -> Result<Vec<(String, Postings)>, String> {
    let parts: Vec<Counts> = documents
        .par_chunks(size)
        .enumerate()
        .map(|(i, part)| count(part, i * size))
        .collect::<Result<_, _>>()?;
    let total = documents.len() as f64;
    let mut scores: HashMap<&str, BTreeMap<u32, f64>> = HashMap::new();
    for (f, (_, boost)) in FIELDS.iter().enumerate() {
        let mut merged: HashMap<&str, Vec<(u32, f64)>> = HashMap::new();
        for part in &parts {
            for (term, docs) in &part.terms[f] {
                merged.entry(term.as_str()).or_default().extend(docs);
            }
        }
        for (term, docs) in merged {
            let idf = 1.0 + (total / (docs.len() as f64 + 1.0)).ln();
            let entry = scores.entry(term).or_default();
            for (doc, tf) in docs {
                let length = parts
                    .iter()
                    .find_map(|p| p.lengths.get(&doc))
                    .map_or(0.0, |l| l[f]);
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
        .map(|(term, docs)| {
            let postings = docs
                .into_iter()
                .map(|(doc, score)| (doc, ((score * SCORE_SCALE).round() as u32).max(1)))
                .collect();
            (term.to_string(), postings)
        })
        .collect();
    // UTF-16 order is the order of JavaScript's `<`, which the client's lookups use.
    terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    Ok(terms)
}

/// What elasticlunr-rs recorded for some documents: per field (in [`FIELDS`] order), each
/// term's documents with `√tf`; and each document's field lengths in terms.
struct Counts {
    terms: [HashMap<String, Vec<(u32, f64)>>; 4],
    lengths: HashMap<u32, [f64; 4]>,
}

/// Indexes `documents`, numbered from `first`, and reads elasticlunr's counts back.
fn count(documents: &[SearchDocument], first: usize) -> Result<Counts, String> {
    let mut builder = IndexBuilder::new().save_docs(false);
    for (name, _) in FIELDS {
        builder = builder.add_field_with_tokenizer(name, Box::new(pipeline::tokenize));
    }
    let mut index = builder.build();
    for (i, document) in documents.iter().enumerate() {
        index.add_doc(&(first + i).to_string(), field_texts(document));
    }
    // The inverted index is private to elasticlunr-rs; its serialised form is its API.
    let dump = serde_json::to_value(&index)
        .map_err(|e| format!("cannot read the elasticlunr index back: {e}"))?;
    let number = |doc: &str| {
        doc.parse::<u32>()
            .map_err(|_| format!("unexpected document reference `{doc}`"))
    };
    let mut lengths = HashMap::new();
    for (doc, fields) in dump["documentStore"]["docInfo"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let length = |f: usize| fields[FIELDS[f].0].as_f64().unwrap_or_default();
        lengths.insert(number(doc)?, [length(0), length(1), length(2), length(3)]);
    }
    let mut terms: [HashMap<String, Vec<(u32, f64)>>; 4] = Default::default();
    for (f, (field, _)) in FIELDS.iter().enumerate() {
        let Some(root) = dump["index"][field]["root"].as_object() else {
            return Err(format!("the elasticlunr index has no field `{field}`"));
        };
        // A trie node: `docs` (document → `{"tf": √count}`), `df`, and one child per next
        // character of the terms below it.
        let mut stack = vec![(String::new(), root)];
        while let Some((term, node)) = stack.pop() {
            for (key, child) in node {
                if let (false, Some(child)) = (key == "docs" || key == "df", child.as_object()) {
                    stack.push((format!("{term}{key}"), child));
                }
            }
            let Some(docs) = node
                .get("docs")
                .and_then(|d| d.as_object())
                .filter(|d| !d.is_empty())
            else {
                continue;
            };
            let list = docs
                .iter()
                .map(|(doc, frequency)| {
                    Ok((number(doc)?, frequency["tf"].as_f64().unwrap_or_default()))
                })
                .collect::<Result<_, String>>()?;
            terms[f].insert(term, list);
        }
    }
    Ok(Counts { terms, lengths })
}

/// Cuts the sorted terms into shards of about [`SHARD_BYTES`]: `(first term, JSON)`.
/// Each shard is `{"term": [doc, score, doc gap, score, …], …}`: document numbers after
/// the first are gaps from the previous one, which keeps the numbers short.
fn shards(terms: &[(String, Postings)]) -> Vec<(String, String)> {
    let mut shards = Vec::new();
    let mut current = String::new();
    let mut first = String::new();
    for (term, postings) in terms {
        if current.len() >= SHARD_BYTES {
            current.push('}');
            shards.push((std::mem::take(&mut first), std::mem::take(&mut current)));
            first = term.clone();
        }
        current.push(if current.is_empty() { '{' } else { ',' });
        current.push_str(&to_json(term));
        current.push_str(":[");
        let mut previous = 0;
        for (i, (doc, score)) in postings.iter().enumerate() {
            if i > 0 {
                current.push(',');
            }
            current.push_str(&format!("{},{score}", doc - previous));
            previous = *doc;
        }
        current.push(']');
    }
    current.push_str(if current.is_empty() { "{}" } else { "}" });
    shards.push((first, current));
    shards
}

/// The facets and each document's values in them.
fn facets(site: &Site, documents: &[SearchDocument]) -> (Vec<Facet>, Vec<Vec<i64>>) {
    let kinds = [
        (DocumentKind::Section, "section", "Section"),
        (DocumentKind::Quote, "quote", "Quote"),
        (DocumentKind::Idea, "idea", "Idea"),
        (DocumentKind::Page, "page", "Page"),
    ];
    let summary_slugs: HashMap<&str, &str> = site
        .summaries
        .iter()
        .map(|s| (s.doc.meta.title.as_str(), s.slug.as_str()))
        .collect();
    let term_slugs = |kind: TaxonomyKind| -> HashMap<String, String> {
        site.vocabularies
            .terms(kind)
            .iter()
            .map(|t| (t.name.clone(), t.slug.clone()))
            .collect()
    };
    let voice_slugs = term_slugs(TaxonomyKind::Voices);
    let theme_slugs = term_slugs(TaxonomyKind::Themes);
    let mut summaries = Values::default();
    let mut voices = Values::default();
    let mut themes = Values::default();
    let items = documents
        .iter()
        .map(|d| {
            let kind = kinds
                .iter()
                .position(|(k, _, _)| *k == d.kind)
                .unwrap_or_default() as i64;
            let summary = d.summary.as_ref().map_or(-1, |name| {
                summaries.of(
                    summary_slugs
                        .get(name.as_str())
                        .map_or_else(|| slugify(name), |s| s.to_string()),
                    name,
                )
            });
            let voice = d
                .voice
                .as_ref()
                .map_or(-1, |name| voices.of(slug_of(&voice_slugs, name), name));
            let mut item = vec![kind, summary, voice];
            item.extend(
                d.themes
                    .iter()
                    .map(|name| themes.of(slug_of(&theme_slugs, name), name)),
            );
            item
        })
        .collect();
    let taxonomies = &site.config.site.taxonomies;
    let facets = vec![
        Facet {
            key: "kind",
            name: "Type".into(),
            values: kinds
                .iter()
                .map(|(_, s, n)| (s.to_string(), n.to_string()))
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

fn slug_of(slugs: &HashMap<String, String>, name: &str) -> String {
    slugs.get(name).cloned().unwrap_or_else(|| slugify(name))
}

/// A URL-friendly key for a name that has no slug of its own.
fn slugify(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The distinct values of one facet, in order of first appearance.
#[derive(Default)]
struct Values {
    list: Vec<(String, String)>,
    positions: HashMap<String, i64>,
}

impl Values {
    fn of(&mut self, slug: String, name: &str) -> i64 {
        if let Some(&i) = self.positions.get(&slug) {
            return i;
        }
        let i = self.list.len() as i64;
        self.positions.insert(slug.clone(), i);
        self.list.push((slug, name.to_string()));
        i
    }
}

#[cfg(test)]
mod tests {
    use super::{FNV_OFFSET, fnv1a, postings_in_parts, shards, truncate};
    use crate::render::{DocumentKind, SearchDocument};

    fn document(title: &str, body: &str, themes: &[&str]) -> SearchDocument {
        SearchDocument {
            url: format!("/{title}/"),
            title: title.to_string(),
            kind: DocumentKind::Idea,
            summary: None,
            speaker: Some("A kinship carer".to_string()),
            voice: None,
            themes: themes.iter().map(ToString::to_string).collect(),
            topics: Vec::new(),
            body: body.to_string(),
        }
    }

    #[test]
    fn indexing_in_parts_scores_as_one_index_does() {
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
        let whole = postings_in_parts(&documents, documents.len()).unwrap();
        assert_eq!(postings_in_parts(&documents, 1).unwrap(), whole);
        assert_eq!(postings_in_parts(&documents, 3).unwrap(), whole);
        let kinship = &whole.iter().find(|(term, _)| term == "kinship").unwrap().1;
        let docs: Vec<u32> = kinship.iter().map(|(doc, _)| *doc).collect();
        assert_eq!(docs, [0, 1, 2, 3], "speaker, body or theme");
        assert!(
            kinship[0].1 > kinship[2].1,
            "title and body outweigh body alone"
        );
    }

    #[test]
    fn shards_partition_the_terms_in_order() {
        let terms: Vec<(String, Vec<(u32, u32)>)> = (0..2000)
            .map(|i| (format!("term{i:05}"), vec![(i, 150), (i + 7, 20)]))
            .collect();
        let shards = shards(&terms);
        assert!(shards.len() > 1, "{} shards", shards.len());
        assert_eq!(shards[0].0, "");
        let mut seen = Vec::new();
        for (i, (from, json)) in shards.iter().enumerate() {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(json).unwrap();
            for term in map.keys() {
                assert!(term.as_str() >= from.as_str());
                if let Some((next, _)) = shards.get(i + 1) {
                    assert!(term < next);
                }
                seen.push(term.clone());
            }
        }
        assert_eq!(seen.len(), terms.len());
        let first: serde_json::Value = serde_json::from_str(&shards[0].1).unwrap();
        assert_eq!(first["term00000"], serde_json::json!([0, 150, 7, 20]));
    }

    #[test]
    fn teaser_text_is_cut_at_a_word_boundary() {
        assert_eq!(truncate("one two three", 9), "one two");
        assert_eq!(truncate("short", 9), "short");
    }

    #[test]
    fn file_hashes_are_stable() {
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
