//! Taxonomies: every tagged item sorted into the terms of themes, voices and topics. A
//! closed vocabulary refuses a term it does not list; an open one gains it.

use std::collections::HashMap;

use super::{Site, Taxonomy, TaxonomyTerm};
use crate::content::Document;
use crate::diagnostics::Diagnostics;
use crate::slug::slugify;
use crate::vocabulary::{TaxonomyKind, Term};

/// Every taxonomy, in [`TaxonomyKind`] order, with its terms in vocabulary order (then the
/// terms an open vocabulary gained, in order of first use).
pub fn collect(site: &Site, found: &mut Diagnostics) -> Vec<Taxonomy> {
    TaxonomyKind::ALL
        .iter()
        .map(|&kind| collect_one(site, kind, found))
        .collect()
}

/// Which items each taxonomy tags, and with which field: themes tag every kind but pages,
/// voices tag quotes, topics tag responses.
fn collect_one(site: &Site, kind: TaxonomyKind, found: &mut Diagnostics) -> Taxonomy {
    let mut index = TermIndex::new(site, kind, found);
    let summaries = site.summaries.iter().map(|s| &s.doc);
    let sections = site.sections.iter().map(|s| &s.doc);
    let quotes = site.quotes.iter().map(|q| &q.doc);
    let responses = site.responses.iter().map(|r| &r.doc);
    match kind {
        TaxonomyKind::Themes => {
            index.tag(summaries, "themes", |m| &m.themes, |t| &mut t.summaries);
            index.tag(sections, "themes", |m| &m.themes, |t| &mut t.sections);
            index.tag(quotes, "themes", |m| &m.themes, |t| &mut t.quotes);
            index.tag(responses, "themes", |m| &m.themes, |t| &mut t.responses);
        }
        TaxonomyKind::Voices => {
            index.tag(quotes, "voice", |m| m.voice.as_slice(), |t| &mut t.quotes);
        }
        TaxonomyKind::Topics => {
            index.tag(responses, "topics", |m| &m.topics, |t| &mut t.responses);
        }
    }
    Taxonomy {
        kind,
        path: kind.path(),
        terms: index.terms,
    }
}

/// The terms of one taxonomy while items are being sorted into them.
struct TermIndex<'a> {
    kind: TaxonomyKind,
    closed: bool,
    vocabulary_file: String,
    terms: Vec<TaxonomyTerm>,
    by_slug: HashMap<String, usize>,
    found: &'a mut Diagnostics,
}

impl<'a> TermIndex<'a> {
    /// The terms of the vocabulary, none tagging anything yet.
    fn new(site: &Site, kind: TaxonomyKind, found: &'a mut Diagnostics) -> TermIndex<'a> {
        let settings = kind.settings(&site.config);
        let terms: Vec<TaxonomyTerm> = site
            .vocabularies
            .terms(kind)
            .iter()
            .map(|term| empty_term(kind, term.clone()))
            .collect();
        let by_slug = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.term.slug.clone(), i))
            .collect();
        TermIndex {
            kind,
            closed: settings.closed,
            vocabulary_file: settings
                .vocabulary
                .clone()
                .unwrap_or_else(|| format!("data/{}.yaml", kind.key())),
            terms,
            by_slug,
            found,
        }
    }

    /// Adds the position of each of `docs` to the list `list` picks on every term its
    /// `slugs` name.
    fn tag<'d, M: 'd>(
        &mut self,
        docs: impl Iterator<Item = &'d Document<M>>,
        field: &str,
        slugs: fn(&M) -> &[String],
        list: fn(&mut TaxonomyTerm) -> &mut Vec<usize>,
    ) {
        for (i, doc) in docs.enumerate() {
            for slug in slugs(&doc.meta) {
                if let Some(term) = self.term(doc, field, slug) {
                    list(term).push(i);
                }
            }
        }
    }

    /// The term for `slug`, created on first use in an open vocabulary; in a closed one an
    /// unknown slug is an error pointing at the value in `doc`'s front matter.
    fn term<M>(&mut self, doc: &Document<M>, field: &str, slug: &str) -> Option<&mut TaxonomyTerm> {
        let i = match self.by_slug.get(slug) {
            Some(&i) => i,
            None if self.closed => {
                self.unknown(doc, field, slug);
                return None;
            }
            None => {
                let term = Term {
                    name: slug.replace('-', " "),
                    slug: slugify(slug),
                    description: None,
                    keywords: Vec::new(),
                    speakers: Vec::new(),
                    variants: Vec::new(),
                };
                self.terms.push(empty_term(self.kind, term));
                self.by_slug.insert(slug.to_string(), self.terms.len() - 1);
                self.terms.len() - 1
            }
        };
        self.terms.get_mut(i)
    }

    /// Reports a slug a closed vocabulary does not list, with the first of those it does.
    fn unknown<M>(&mut self, doc: &Document<M>, field: &str, slug: &str) {
        let known: Vec<&str> = self
            .terms
            .iter()
            .take(12)
            .map(|t| t.term.slug.as_str())
            .collect();
        let more = if self.terms.len() > known.len() {
            ", …"
        } else {
            ""
        };
        self.found.push(
            doc.field_error(
                "taxonomy/unknown-term",
                field,
                slug,
                format!(
                    "`{slug}` is not in the closed {} vocabulary ({}): expected one of {}{more}",
                    self.kind.key(),
                    self.vocabulary_file,
                    known.join(", "),
                ),
            )
            .with_help(format!(
                "use a slug from {} or add the term there",
                self.vocabulary_file
            )),
        );
    }
}

/// A term of taxonomy `kind` that tags nothing yet.
fn empty_term(kind: TaxonomyKind, term: Term) -> TaxonomyTerm {
    TaxonomyTerm {
        path: format!("{}{}/", kind.path(), term.slug),
        term,
        summaries: Vec::new(),
        sections: Vec::new(),
        quotes: Vec::new(),
        responses: Vec::new(),
    }
}
