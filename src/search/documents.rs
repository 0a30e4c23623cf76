//! What is searchable: one [`SearchDocument`] per section, quote, response and page, made
//! from the resolved site and the plain text of each rendered body ([`Texts`]).

use std::borrow::Cow;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

/// What kind of item a document is, in the order the search filters list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Section,
    Quote,
    Response,
    Page,
}

/// One searchable item, its words borrowed from the site and the bodies' texts.
#[derive(Debug, Clone)]
pub struct SearchDocument<'a> {
    pub url: String,
    pub title: Cow<'a, str>,
    pub kind: Kind,
    /// The summary it belongs to.
    pub summary: Option<Tag<'a>>,
    /// The speaker of a quote or the respondent of a response, as published.
    pub speaker: Option<&'a str>,
    /// A quote's voice.
    pub voice: Option<Tag<'a>>,
    pub themes: Vec<Tag<'a>>,
    pub topics: Vec<Tag<'a>>,
    pub body: &'a str,
}

/// Every searchable item of `site`: its sections, quotes, responses and pages, in that
/// order and in the site's order within each.
pub fn documents<'a>(site: &'a Site, texts: &Texts<'a>) -> Vec<SearchDocument<'a>> {
    let sections = site
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, section)| SearchDocument {
            url: site.config.url(&section.path),
            title: Cow::Borrowed(&section.doc.meta.title),
            kind: Kind::Section,
            summary: Some(summary(site, section.summary)),
            speaker: None,
            voice: None,
            themes: tags(site, TaxonomyKind::Themes, &section.doc.meta.themes),
            topics: Vec::new(),
            body: texts.sections[i],
        });
    let quotes = site.quotes.par_iter().enumerate().map(|(i, quote)| {
        let meta = &quote.doc.meta;
        SearchDocument {
            url: site.config.url(&quote.path),
            title: Cow::Owned(match &meta.speaker {
                Some(speaker) => format!("Quote from {speaker}"),
                None => format!("Quote in {}", site.sections[quote.section].doc.meta.title),
            }),
            kind: Kind::Quote,
            summary: Some(summary(site, quote.summary)),
            speaker: meta.speaker.as_deref(),
            voice: tags(site, TaxonomyKind::Voices, meta.voice.as_slice()).pop(),
            themes: tags(site, TaxonomyKind::Themes, &meta.themes),
            topics: Vec::new(),
            body: texts.quotes[i],
        }
    });
    let responses = site.responses.par_iter().enumerate().map(|(i, response)| {
        let meta = &response.doc.meta;
        SearchDocument {
            url: site.config.url(&response.path),
            title: Cow::Borrowed(&response.title),
            kind: Kind::Response,
            summary: response.summary.map(|s| summary(site, s)),
            speaker: meta.respondent.as_deref(),
            voice: None,
            themes: tags(site, TaxonomyKind::Themes, &meta.themes),
            topics: tags(site, TaxonomyKind::Topics, &meta.topics),
            body: texts.responses[i],
        }
    });
    let pages = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| SearchDocument {
            url: site.config.url(&page.path),
            title: Cow::Borrowed(&page.doc.meta.title),
            kind: Kind::Page,
            summary: None,
            speaker: None,
            voice: None,
            themes: Vec::new(),
            topics: Vec::new(),
            body: texts.pages[i],
        });
    let mut documents: Vec<SearchDocument> = sections.collect();
    documents.par_extend(quotes);
    documents.par_extend(responses);
    documents.par_extend(pages);
    documents
}

fn summary(site: &Site, index: usize) -> Tag<'_> {
    let summary = &site.summaries[index];
    Tag {
        slug: &summary.slug,
        name: &summary.doc.meta.title,
    }
}

/// The terms `slugs` of taxonomy `kind`, in the order given; a slug with no term is left
/// out (the resolve stage has reported it).
fn tags<'a>(site: &'a Site, kind: TaxonomyKind, slugs: &[String]) -> Vec<Tag<'a>> {
    let terms = &site.taxonomy(kind).terms;
    slugs
        .iter()
        .filter_map(|slug| terms.iter().find(|t| &t.term.slug == slug))
        .map(|term: &TaxonomyTerm| Tag {
            slug: &term.term.slug,
            name: &term.term.name,
        })
        .collect()
}
