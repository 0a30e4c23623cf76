//! What is searchable: one [`SearchDocument`] per section, quote, response and page, made
//! from the resolved site and the plain text of each rendered body ([`Texts`]).

use rayon::prelude::*;

use crate::resolve::{Site, TaxonomyTerm};
use crate::vocabulary::TaxonomyKind;

/// The plain text of each item's rendered body, by index into the site's lists: all the
/// index needs of the render stage. A section's text is its own prose, without the quotes
/// placed in it (they are documents of their own).
#[derive(Debug, Clone, Default)]
pub struct Texts<'a> {
    pub sections: Vec<&'a str>,
    pub quotes: Vec<&'a str>,
    pub responses: Vec<&'a str>,
    pub pages: Vec<&'a str>,
}

/// A facet value of a document: the slug a filter URL carries and the name readers see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

impl Tag {
    pub fn new(slug: &str, name: &str) -> Tag {
        Tag {
            slug: slug.to_string(),
            name: name.to_string(),
        }
    }
}

/// What kind of item a document is, in the order the search filters list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Section,
    Quote,
    Response,
    Page,
}

/// One searchable item.
#[derive(Debug, Clone)]
pub struct SearchDocument {
    pub url: String,
    pub title: String,
    pub kind: Kind,
    /// The summary it belongs to.
    pub summary: Option<Tag>,
    /// The speaker of a quote or the respondent of a response, as published.
    pub speaker: Option<String>,
    /// A quote's voice.
    pub voice: Option<Tag>,
    pub themes: Vec<Tag>,
    pub topics: Vec<Tag>,
    pub body: String,
}

/// Every searchable item of `site`: its sections, quotes, responses and pages, in that
/// order and in the site's order within each.
pub fn documents(site: &Site, texts: &Texts<'_>) -> Vec<SearchDocument> {
    let sections = site
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, section)| SearchDocument {
            url: site.config.url(&section.path),
            title: section.doc.meta.title.clone(),
            kind: Kind::Section,
            summary: Some(summary(site, section.summary)),
            speaker: None,
            voice: None,
            themes: tags(site, TaxonomyKind::Themes, &section.doc.meta.themes),
            topics: Vec::new(),
            body: texts.sections[i].to_string(),
        });
    let quotes = site.quotes.par_iter().enumerate().map(|(i, quote)| {
        let meta = &quote.doc.meta;
        SearchDocument {
            url: site.config.url(&quote.path),
            title: match &meta.speaker {
                Some(speaker) => format!("Quote from {speaker}"),
                None => format!("Quote in {}", site.sections[quote.section].doc.meta.title),
            },
            kind: Kind::Quote,
            summary: Some(summary(site, quote.summary)),
            speaker: meta.speaker.clone(),
            voice: tags(site, TaxonomyKind::Voices, meta.voice.as_slice()).pop(),
            themes: tags(site, TaxonomyKind::Themes, &meta.themes),
            topics: Vec::new(),
            body: texts.quotes[i].to_string(),
        }
    });
    let responses = site.responses.par_iter().enumerate().map(|(i, response)| {
        let meta = &response.doc.meta;
        SearchDocument {
            url: site.config.url(&response.path),
            title: response.title.clone(),
            kind: Kind::Response,
            summary: response.summary.map(|s| summary(site, s)),
            speaker: meta.respondent.clone(),
            voice: None,
            themes: tags(site, TaxonomyKind::Themes, &meta.themes),
            topics: tags(site, TaxonomyKind::Topics, &meta.topics),
            body: texts.responses[i].to_string(),
        }
    });
    let pages = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| SearchDocument {
            url: site.config.url(&page.path),
            title: page.doc.meta.title.clone(),
            kind: Kind::Page,
            summary: None,
            speaker: None,
            voice: None,
            themes: Vec::new(),
            topics: Vec::new(),
            body: texts.pages[i].to_string(),
        });
    let mut documents: Vec<SearchDocument> = sections.collect();
    documents.par_extend(quotes);
    documents.par_extend(responses);
    documents.par_extend(pages);
    documents
}

fn summary(site: &Site, index: usize) -> Tag {
    let summary = &site.summaries[index];
    Tag {
        slug: summary.slug.clone(),
        name: summary.doc.meta.title.clone(),
    }
}

/// The terms `slugs` of taxonomy `kind`, in the order given; a slug with no term is left
/// out (the resolve stage has reported it).
fn tags(site: &Site, kind: TaxonomyKind, slugs: &[String]) -> Vec<Tag> {
    let terms = &site.taxonomy(kind).terms;
    slugs
        .iter()
        .filter_map(|slug| terms.iter().find(|t| &t.term.slug == slug))
        .map(|term: &TaxonomyTerm| Tag {
            slug: term.term.slug.clone(),
            name: term.term.name.clone(),
        })
        .collect()
}
