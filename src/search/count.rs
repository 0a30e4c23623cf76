//! Counting: for every document, how often each term occurs in each field and how many
//! tokens each field has — the numbers elasticlunr-rs's `Index::add_doc` records, counted
//! directly with its text pipeline.
//!
//! elasticlunr-rs keeps its counts in a private trie whose only way out is serialising
//! the whole index; filling the trie and reading it back through JSON values took most of
//! the index stage. Here every field is split into pieces ([`analysis::pieces`]), the
//! pipeline runs once per distinct token of a piece (about 10,000 for the site in this
//! repository counted on one thread, against 225,000 words), and the counts go straight
//! into arrays.
//!
//! `add_doc` counts a field as follows, and so does [`Counter::add`]: the field's length is
//! the number of tokens the pipeline keeps, empty ones included; each distinct non-empty
//! token is one term of the field with its number of occurrences; an empty field has
//! length 0. The tests compare every count with elasticlunr-rs's own index.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Range;

use elasticlunr::Pipeline;
use rayon::prelude::*;

use super::{FIELDS, analysis};
use super::{Kind, SearchDocument, Tag};

/// How many fields a document has.
pub const FIELD_COUNT: usize = FIELDS.len();

/// A term's documents in one field, with its occurrences there, in document order.
pub type Occurrences = Vec<(u32, u32)>;

/// Marks a term a part of the documents does not have.
const ABSENT: u32 = u32::MAX;

/// The order of the fields in a document's positions: the body first, so that a position
/// in the body is its word's number there, which the client finds again in the stored
/// text to show an excerpt around the best match.
const POSITION_ORDER: [usize; FIELD_COUNT] = [3, 0, 1, 2];

/// Positions skipped after each text of a document (a field, or one tag name), so that no
/// phrase of a query, stop words included, reaches from one text into the next.
pub const TEXT_GAP: u32 = 1000;

/// The texts of field `field` (numbered as in [`FIELDS`]) of a document: borrowed, never
/// joined, since splitting texts one after the other gives the pieces of their join.
pub fn texts<'a>(document: &'a SearchDocument<'_>, field: usize) -> impl Iterator<Item = &'a str> {
    let single = match field {
        // A quote's title is made from its speaker, already in its own field.
        0 => (document.kind != Kind::Quote).then_some(document.title.as_ref()),
        2 => document.speaker,
        3 => Some(document.body),
        _ => None,
    };
    let tags: [&[Tag<'_>]; 2] = if field == 1 {
        [&document.themes, &document.topics]
    } else {
        [&[], &[]]
    };
    single
        .into_iter()
        .chain(tags.into_iter().flatten().map(|tag| tag.name))
}

/// The counts of all documents, numbered from 0 in the order given.
pub struct Counts {
    parts: Vec<Part>,
    /// Every distinct term once, as the part that met it first and its number there.
    terms: Vec<(usize, u32)>,
    /// Per part, each term's number there (by its index in `terms`), or [`ABSENT`].
    numbers: Vec<Vec<u32>>,
    /// Per document, its fields' lengths in tokens.
    lengths: Vec<[u32; FIELD_COUNT]>,
}

impl Counts {
    /// Counts `documents`, in parallel: one contiguous part per thread, of about equal
    /// text, each with its own memo of the pipeline.
    pub fn new(documents: &[SearchDocument<'_>]) -> Counts {
        let parts = split(documents, rayon::current_num_threads())
            .into_par_iter()
            .map(|range| count(documents, range))
            .collect();
        Counts::merge(parts)
    }

    /// Counts `documents` in parts of `size`: the numbers do not depend on the parts.
    #[cfg(test)]
    fn in_parts(documents: &[SearchDocument<'_>], size: usize) -> Counts {
        let parts = (0..documents.len())
            .step_by(size)
            .map(|start| count(documents, start..documents.len().min(start + size)))
            .collect();
        Counts::merge(parts)
    }

    /// Gives every term one number across the parts.
    fn merge(mut parts: Vec<Part>) -> Counts {
        let mut terms = Vec::new();
        let mut globals = Vec::with_capacity(parts.len());
        {
            let mut known: HashMap<&str, u32> =
                HashMap::with_capacity(parts.first().map_or(0, |p| p.terms.len() * 2));
            for (p, part) in parts.iter().enumerate() {
                let numbers: Vec<u32> = (0..)
                    .zip(&part.terms)
                    .map(|(local, term)| {
                        *known.entry(term).or_insert_with(|| {
                            terms.push((p, local));
                            (terms.len() - 1) as u32
                        })
                    })
                    .collect();
                globals.push(numbers);
            }
        }
        let numbers = globals
            .iter()
            .map(|globals| {
                let mut numbers = vec![ABSENT; terms.len()];
                for (local, &global) in (0..).zip(globals) {
                    numbers[global as usize] = local;
                }
                numbers
            })
            .collect();
        let lengths = parts
            .iter_mut()
            .flat_map(|part| std::mem::take(&mut part.lengths))
            .collect();
        Counts {
            parts,
            terms,
            numbers,
            lengths,
        }
    }

    /// How many distinct terms there are.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Term `t`.
    pub fn term(&self, t: usize) -> &str {
        let (part, local) = self.terms[t];
        &self.parts[part].terms[local as usize]
    }

    /// Term `t`'s documents in field `field` with its occurrences, in document order.
    pub fn occurrences(&self, t: usize, field: usize) -> impl Iterator<Item = (u32, u32)> {
        self.parts
            .iter()
            .zip(&self.numbers)
            .filter(move |(_, numbers)| numbers[t] != ABSENT)
            .flat_map(move |(part, numbers)| {
                part.occurrences[numbers[t] as usize][field].iter().copied()
            })
    }

    /// Term `t`'s positions: per document that has it, in document order, the document and
    /// the positions of its words that are `t`, increasing.
    pub fn positions(&self, t: usize) -> impl Iterator<Item = (u32, &[u32])> {
        self.parts
            .iter()
            .zip(&self.numbers)
            .filter(move |(_, numbers)| numbers[t] != ABSENT)
            .flat_map(move |(part, numbers)| {
                let local = numbers[t] as usize;
                Positions {
                    rest: &part.positions[part.starts[local]..part.starts[local + 1]],
                }
            })
    }

    /// How many tokens field `field` of document `doc` has.
    pub fn length(&self, doc: u32, field: usize) -> u32 {
        self.lengths[doc as usize][field]
    }
}

/// Reads a term's list of positions, `doc, n, position × n, …`, one document at a time.
struct Positions<'a> {
    rest: &'a [u32],
}

impl<'a> Iterator for Positions<'a> {
    type Item = (u32, &'a [u32]);

    fn next(&mut self) -> Option<(u32, &'a [u32])> {
        let [doc, n, rest @ ..] = self.rest else {
            return None;
        };
        let (positions, rest) = rest.split_at(*n as usize);
        self.rest = rest;
        Some((*doc, positions))
    }
}

/// Counts the documents of `range`, with a memo of the pipeline of their own.
fn count(documents: &[SearchDocument<'_>], range: Range<usize>) -> Part {
    let mut counter = Counter::new();
    for (doc, document) in (range.start..).zip(&documents[range.clone()]) {
        counter.add(doc as u32, document);
    }
    counter.finish(range.start as u32)
}

/// Cuts `documents` into at most `count` contiguous runs with about as much text each.
fn split(documents: &[SearchDocument<'_>], count: usize) -> Vec<Range<usize>> {
    let weight = |d: &SearchDocument<'_>| d.body.len() + d.title.len() + 64;
    let total: usize = documents.iter().map(weight).sum();
    let mut ranges = Vec::with_capacity(count);
    let mut start = 0;
    let mut sum = 0;
    for (i, document) in documents.iter().enumerate() {
        sum += weight(document);
        if ranges.len() + 1 < count && sum * count >= total * (ranges.len() + 1) {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    ranges.push(start..documents.len());
    ranges
}

/// What one thread counted in a run of documents; terms are numbered locally.
#[derive(Default)]
struct Part {
    /// Local term number → term.
    terms: Vec<String>,
    /// Local term number → per field, its documents with occurrences.
    occurrences: Vec<[Occurrences; FIELD_COUNT]>,
    /// Per document of the run, its fields' lengths.
    lengths: Vec<[u32; FIELD_COUNT]>,
    /// Every term's positions in every document that has it, one term after the other,
    /// each in document order: `doc, n, position × n, doc, n, …`.
    positions: Vec<u32>,
    /// Local term number → where its positions start; then their end.
    starts: Vec<usize>,
}

/// Counts documents one after the other, remembering what the pipeline made of each piece.
struct Counter<'a> {
    pipeline: Pipeline,
    /// A piece → the range of `tokens` holding what the pipeline made of it.
    pieces: HashMap<Key<'a>, Made, BuildHasherDefault<WordHasher>>,
    /// The same by the piece's token, which pieces differing only in case share.
    by_token: HashMap<String, Made, BuildHasherDefault<WordHasher>>,
    /// Tokens the pipeline kept: a local term number, or `None` for an empty token,
    /// which counts in the field's length but is not a term.
    tokens: Vec<Option<u32>>,
    /// Term → local number.
    numbers: HashMap<String, u32, BuildHasherDefault<WordHasher>>,
    part: Part,
    /// Occurrences of each term in the field being counted, and the terms met there.
    counts: Vec<u32>,
    met: Vec<u32>,
    /// Every kept word of the documents counted, in order: its term and position.
    hits: Vec<(u32, u32)>,
    /// Per document counted, how many `hits` there were at its end.
    hit_ends: Vec<usize>,
    /// Local term number → the last document it was met in (or [`ABSENT`]) and the length
    /// of its list of positions so far.
    sizes: Vec<(u32, usize)>,
}

impl<'a> Counter<'a> {
    fn new() -> Counter<'a> {
        Counter {
            pipeline: analysis::pipeline(),
            pieces: HashMap::default(),
            by_token: HashMap::default(),
            tokens: Vec::new(),
            numbers: HashMap::default(),
            part: Part::default(),
            counts: Vec::new(),
            met: Vec::new(),
            hits: Vec::new(),
            hit_ends: Vec::new(),
            sizes: Vec::new(),
        }
    }

    fn add(&mut self, doc: u32, document: &'a SearchDocument) {
        let mut lengths = [0; FIELD_COUNT];
        let mut position = 0;
        for field in POSITION_ORDER {
            for text in texts(document, field) {
                for piece in analysis::pieces(text) {
                    let Made { start, end, stop } = self.tokens_of(piece);
                    lengths[field] += end - start;
                    if let Some(stop) = stop {
                        self.record_position(doc, stop, position);
                    }
                    for token in start..end {
                        if let Some(term) = self.tokens[token as usize] {
                            let count = &mut self.counts[term as usize];
                            if *count == 0 {
                                self.met.push(term);
                            }
                            *count += 1;
                            self.record_position(doc, term, position);
                        }
                    }
                    position += 1;
                }
                position += TEXT_GAP;
            }
            for term in self.met.drain(..) {
                let count = std::mem::take(&mut self.counts[term as usize]);
                self.part.occurrences[term as usize][field].push((doc, count));
            }
        }
        self.part.lengths.push(lengths);
        self.hit_ends.push(self.hits.len());
    }

    /// Notes that `term` is at `position` of document `doc`, and how long that makes its
    /// list of positions: a document adds its number and count, and each position.
    fn record_position(&mut self, doc: u32, term: u32, position: u32) {
        self.hits.push((term, position));
        let (last, size) = &mut self.sizes[term as usize];
        if *last != doc {
            *last = doc;
            *size += 2;
        }
        *size += 1;
    }

    /// The part counted, its documents numbered from `first_doc`. The positions are laid
    /// out one term after the other, each term's in the room its size needs, and the hits
    /// placed in the order they were met: a term's first hit in a document opens the
    /// document's run with a count of 0, which each of its hits then raises. Positions come
    /// in increasing order within a document and documents in order, so nothing is sorted,
    /// and no list grows one push at a time.
    fn finish(mut self, first_doc: u32) -> Part {
        let mut starts = Vec::with_capacity(self.sizes.len() + 1);
        starts.push(0);
        for &(_, size) in &self.sizes {
            starts.push(starts[starts.len() - 1] + size);
        }
        let mut positions = vec![0; starts[starts.len() - 1]];
        // Per term: the last document placed, where its count is, and the next free slot.
        let mut cursors: Vec<(u32, usize, usize)> =
            starts.iter().map(|&start| (ABSENT, 0, start)).collect();
        let mut from = 0;
        for (doc, &end) in (first_doc..).zip(&self.hit_ends) {
            for &(term, position) in &self.hits[from..end] {
                let (last, count, next) = &mut cursors[term as usize];
                if *last != doc {
                    *last = doc;
                    positions[*next] = doc;
                    *count = *next + 1;
                    *next += 2;
                }
                positions[*next] = position;
                *next += 1;
                positions[*count] += 1;
            }
            from = end;
        }
        self.part.positions = positions;
        self.part.starts = starts;
        self.part
    }

    /// What the pipeline makes of `piece`. A piece is one token of [`analysis::tokenize`];
    /// the pipeline runs once per distinct token, so that "The" and "the", or "Carers’"
    /// and "carers'", share one run.
    fn tokens_of(&mut self, piece: &'a str) -> Made {
        let key = Key::new(piece);
        if let Some(&made) = self.pieces.get(&key) {
            return made;
        }
        let token = analysis::token(piece);
        let made = match self.by_token.get(&token) {
            Some(&made) => made,
            None => {
                let made = self.run_pipeline(&token);
                self.by_token.insert(token, made);
                made
            }
        };
        self.pieces.insert(key, made);
        made
    }

    /// Runs the pipeline on `token` and numbers the terms it keeps.
    fn run_pipeline(&mut self, token: &str) -> Made {
        let start = self.tokens.len() as u32;
        for term in self.pipeline.run(vec![token.to_string()]) {
            let term = (!term.is_empty()).then(|| self.number(term));
            self.tokens.push(term);
        }
        let end = self.tokens.len() as u32;
        let stop = if start == end {
            analysis::stop_entry(token).map(|entry| self.number(entry))
        } else {
            None
        };
        Made { start, end, stop }
    }

    fn number(&mut self, term: String) -> u32 {
        if let Some(&number) = self.numbers.get(&term) {
            return number;
        }
        let number = self.part.terms.len() as u32;
        self.numbers.insert(term.clone(), number);
        self.part.terms.push(term);
        self.part.occurrences.push(Default::default());
        self.sizes.push((ABSENT, 0));
        self.counts.push(0);
        number
    }
}

/// What the pipeline made of a piece: the range of `tokens` it kept and, when it kept
/// none, the term number of the piece's stop-word entry, if it has one.
#[derive(Clone, Copy)]
struct Made {
    start: u32,
    end: u32,
    stop: Option<u32>,
}

/// A piece as a key of the memo. Most pieces are short words, packed into the key itself
/// with their length, so that a lookup compares two numbers instead of following a
/// pointer to wherever in the documents the piece was first met.
#[derive(PartialEq, Eq)]
enum Key<'a> {
    Short(u128),
    Long(&'a str),
}

impl Key<'_> {
    fn new(piece: &str) -> Key<'_> {
        let bytes = piece.as_bytes();
        if bytes.len() < 16 {
            let mut packed = [0; 16];
            packed[..bytes.len()].copy_from_slice(bytes);
            packed[15] = bytes.len() as u8;
            Key::Short(u128::from_le_bytes(packed))
        } else {
            Key::Long(piece)
        }
    }
}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::Short(packed) => state.write_u128(*packed),
            Key::Long(piece) => piece.hash(state),
        }
    }
}

/// A hasher for short words, looked up once per word of every document: the standard
/// SipHash spends more on a five-letter word than the rest of counting it. This is the
/// multiply-and-rotate hash of rustc's `FxHasher`; the words are the site's own, so
/// resistance to crafted collisions is not needed.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    const SEED: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u128(&mut self, number: u128) {
        self.add(number as u64);
        self.add((number >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        // The table picks buckets with the low bits, which the multiplication mixes least.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeMap;

    use elasticlunr::IndexBuilder;

    use super::{Counts, FIELD_COUNT, POSITION_ORDER, TEXT_GAP, split};
    use crate::search::{FIELDS, Kind, SearchDocument, Tag, analysis};

    /// What elasticlunr-rs recorded: per field, term → documents with `√occurrences`; and
    /// per document its field lengths.
    pub struct Recorded {
        pub terms: [BTreeMap<String, BTreeMap<u32, f64>>; FIELD_COUNT],
        pub lengths: Vec<[f64; FIELD_COUNT]>,
    }

    /// The reference: indexes `documents` with elasticlunr-rs (one index, our tokenizer,
    /// its pipeline) and reads its counts back from its serialised form, the trie of terms
    /// with `docs` (document → `{"tf": √count}`) at each term's node.
    pub fn elasticlunr(documents: &[SearchDocument<'_>]) -> Recorded {
        let mut builder = IndexBuilder::new().save_docs(false);
        for (name, _) in FIELDS {
            builder = builder.add_field_with_tokenizer(name, Box::new(analysis::tokenize));
        }
        let mut index = builder.build();
        for (doc, document) in documents.iter().enumerate() {
            let texts: [String; FIELD_COUNT] =
                std::array::from_fn(|field| joined_texts(document, field));
            index.add_doc(&doc.to_string(), texts);
        }
        let dump = serde_json::to_value(&index).unwrap();
        let lengths = (0..documents.len())
            .map(|doc| {
                let info = &dump["documentStore"]["docInfo"][doc.to_string()];
                std::array::from_fn(|field| info[FIELDS[field].0].as_f64().unwrap())
            })
            .collect();
        let terms = std::array::from_fn(|field| {
            let mut terms = BTreeMap::new();
            let root = dump["index"][FIELDS[field].0]["root"].as_object().unwrap();
            let mut stack = vec![(String::new(), root)];
            while let Some((term, node)) = stack.pop() {
                for (key, child) in node {
                    if key != "docs" && key != "df" {
                        stack.push((format!("{term}{key}"), child.as_object().unwrap()));
                    }
                }
                let docs: BTreeMap<u32, f64> = node["docs"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(doc, tf)| (doc.parse().unwrap(), tf["tf"].as_f64().unwrap()))
                    .collect();
                if !docs.is_empty() {
                    assert_eq!(node["df"].as_u64(), Some(docs.len() as u64));
                    terms.insert(term, docs);
                }
            }
            terms
        });
        Recorded { terms, lengths }
    }

    /// A field's text as one string, the way elasticlunr-rs was given it: tags joined.
    fn joined_texts(document: &SearchDocument<'_>, field: usize) -> String {
        super::texts(document, field).collect::<Vec<_>>().join(" ")
    }

    /// The counts as elasticlunr-rs records them, for comparison.
    fn recorded(counts: &Counts, documents: usize) -> Recorded {
        let terms = std::array::from_fn(|field| {
            (0..counts.len())
                .filter_map(|t| {
                    let docs: BTreeMap<u32, f64> = counts
                        .occurrences(t, field)
                        .map(|(doc, count)| (doc, f64::from(count).sqrt()))
                        .collect();
                    (!docs.is_empty()).then(|| (counts.term(t).to_string(), docs))
                })
                .collect()
        });
        let lengths = (0..documents as u32)
            .map(|doc| std::array::from_fn(|field| f64::from(counts.length(doc, field))))
            .collect();
        Recorded { terms, lengths }
    }

    pub fn assert_same(documents: &[SearchDocument<'_>], counts: &Counts) {
        let expected = elasticlunr(documents);
        let actual = recorded(counts, documents.len());
        assert_eq!(actual.lengths, expected.lengths, "field lengths");
        for (field, (name, _)) in FIELDS.iter().enumerate() {
            assert_eq!(
                actual.terms[field].len(),
                expected.terms[field].len(),
                "number of terms in field {name}"
            );
            for (term, docs) in &expected.terms[field] {
                assert_eq!(actual.terms[field].get(term), Some(docs), "{name}: {term}");
            }
        }
    }

    pub fn document<'a>(title: &'a str, body: &'a str, themes: &[&'a str]) -> SearchDocument<'a> {
        SearchDocument {
            url: format!("/{title}/"),
            title: title.into(),
            kind: Kind::Response,
            summary: None,
            speaker: Some("A kinship carer"),
            voice: None,
            themes: themes.iter().map(|name| tag(name)).collect(),
            topics: Vec::new(),
            body,
        }
    }

    /// A tag named `name`; counting reads only the name.
    fn tag(name: &str) -> Tag<'_> {
        Tag { slug: name, name }
    }

    /// Documents with the cases `add_doc` could count differently: repeated words, tokens
    /// the pipeline empties or drops, empty and missing fields, hyphens, possessives,
    /// letters outside ASCII, several tags, a quote (whose title is not indexed).
    pub fn awkward_documents() -> Vec<SearchDocument<'static>> {
        let mut documents = vec![
            document(
                "Kinship care",
                "Kinship care and kinship carers — kinship carers’ needs… “Support”, support!",
                &["Kinship care", "Courts"],
            ),
            document("", "", &[]),
            document("The", "the and of — … -- - ' ’ \" 123 1,2 _x_ ", &[]),
            document(
                "Children’s social-care",
                "Children's children’s CHILDREN Children\u{a0}care\u{2003}cafés café naïve Ελλάδα İstanbul ß",
                &["Children’s services"],
            ),
            document("Caseloads", "caseloads caseloads caseloads caseload", &[]),
        ];
        let mut quote = document(
            "A foster carer",
            "Less paperwork, meetings and less emails.",
            &[],
        );
        quote.kind = Kind::Quote;
        quote.topics = vec![tag("paperwork"), tag("foster-care")];
        documents.push(quote);
        let mut silent = document("Response 12", "   \n\t ", &[]);
        silent.speaker = None;
        documents.push(silent);
        documents
    }

    #[test]
    fn counts_equal_elasticlunr_on_awkward_documents() {
        let documents = awkward_documents();
        assert_same(&documents, &Counts::new(&documents));
        for size in 1..documents.len() {
            assert_same(&documents, &Counts::in_parts(&documents, size));
        }
    }

    /// Term → per document that has it, its positions there.
    type AllPositions = BTreeMap<String, Vec<(u32, Vec<u32>)>>;

    fn all_positions(counts: &Counts) -> AllPositions {
        (0..counts.len())
            .map(|t| {
                let docs = counts.positions(t).map(|(d, p)| (d, p.to_vec())).collect();
                (counts.term(t).to_string(), docs)
            })
            .collect()
    }

    /// The positions as `search.js` numbers a query's words, each text of a document
    /// after the one before and [`TEXT_GAP`] more.
    fn positions_word_by_word(documents: &[SearchDocument<'_>]) -> AllPositions {
        let mut all = AllPositions::new();
        for (doc, document) in (0..).zip(documents) {
            let mut offset = 0;
            for field in POSITION_ORDER {
                for text in super::texts(document, field) {
                    for (position, term) in analysis::analyse_with_positions(text) {
                        let docs = all.entry(term).or_default();
                        match docs.last_mut() {
                            Some((last, positions)) if *last == doc => {
                                positions.push(offset + position)
                            }
                            _ => docs.push((doc, vec![offset + position])),
                        }
                    }
                    offset += analysis::pieces(text).count() as u32 + TEXT_GAP;
                }
            }
        }
        all
    }

    #[test]
    fn positions_are_each_words_in_order_whole_or_in_parts() {
        let documents = awkward_documents();
        let expected = positions_word_by_word(&documents);
        assert_eq!(all_positions(&Counts::new(&documents)), expected);
        for size in 1..documents.len() {
            let counts = Counts::in_parts(&documents, size);
            assert_eq!(all_positions(&counts), expected, "in parts of {size}");
        }
    }

    #[test]
    fn parts_cover_the_documents_with_about_equal_text() {
        let bodies: Vec<String> = (0..10)
            .map(|i| "word ".repeat(if i < 5 { 100 } else { 10 }))
            .collect();
        let documents: Vec<SearchDocument<'_>> =
            bodies.iter().map(|body| document("t", body, &[])).collect();
        let ranges = split(&documents, 2);
        assert_eq!(ranges, [0..4, 4..10]);
        let whole = split(&documents, 1);
        assert_eq!((whole.len(), &whole[0]), (1, &(0..10)));
        let none = split(&[], 2);
        assert_eq!((none.len(), &none[0]), (1, &(0..0)));
        assert_eq!(split(&documents[..1], 2), [0..1, 1..1]);
    }
}
