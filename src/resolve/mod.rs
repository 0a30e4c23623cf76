//! RESOLVE: every cross-file check and link → [`Site`].
//!
//! Slugs and URLs, unique ids, quote placements, taxonomy terms (checked against closed
//! vocabularies), redirects and the targets of internal links are all worked out here,
//! once, so the render stage only reads. [`resolve`] runs the steps in order, one module
//! each: [`items`] gives every file its place and URL, [`placements`] finds where each
//! quote stands, [`taxonomies`] sorts items into terms, [`paths`] refuses two files at one
//! URL and maps content paths to URLs, and [`aliases`] collects redirects.

mod aliases;
mod allowances;
mod items;
mod paths;
mod placements;
mod shortcode;
mod taxonomies;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

pub use shortcode::{Shortcode, find as find_shortcodes, lookalikes as shortcode_lookalikes};

use crate::config::Config;
use crate::content::kinds::{
    Allowance, Change, Meta, PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta,
};
use crate::content::{Content, Document};
use crate::diagnostics::{Diagnostics, SourceText};
use crate::vocabulary::{TaxonomyKind, Term, Vocabularies};

/// One engagement summary and its sections in reading order.
#[derive(Debug, Clone)]
pub struct Summary {
    pub doc: Document<SummaryMeta>,
    pub slug: String,
    /// Site-relative URL path, e.g. `summaries/workforce/`.
    pub path: String,
    /// Indexes into [`Site::sections`], in reading order.
    pub sections: Vec<usize>,
}

/// One section of a summary.
#[derive(Debug, Clone)]
pub struct Section {
    pub doc: Document<SectionMeta>,
    pub slug: String,
    pub path: String,
    pub summary: usize,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    /// The quotes placed in the body, in body order.
    pub placements: Vec<Placement>,
}

/// A quote placed in a section body: the shortcode line's byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub range: Range<usize>,
    pub quote: usize,
}

/// One participant quote.
#[derive(Debug, Clone)]
pub struct Quote {
    pub doc: Document<QuoteMeta>,
    pub path: String,
    pub summary: usize,
    /// The section named in the quote's front matter.
    pub section: usize,
    /// Whether a section places it (it has an anchor there).
    pub placed: bool,
}

/// One response a respondent submitted.
#[derive(Debug, Clone)]
pub struct Response {
    pub doc: Document<ResponseMeta>,
    /// The slug of the file name: the response's id and the last segment of its URL.
    pub id: String,
    pub path: String,
    /// What the site calls it, e.g. "Response 12": the singular of `responses` in
    /// `site.yaml` and the response's number.
    pub title: String,
    /// The summary it belongs to, if any.
    pub summary: Option<usize>,
}

/// What a free-standing page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    News,
    Other,
}

/// A free-standing page: home, news item, accessibility statement…
#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document<PageMeta>,
    pub path: String,
    pub kind: PageKind,
}

/// A taxonomy term and everything tagged with it, across all documents.
#[derive(Debug, Clone)]
pub struct TaxonomyTerm {
    pub term: Term,
    pub path: String,
    pub summaries: Vec<usize>,
    pub sections: Vec<usize>,
    pub quotes: Vec<usize>,
    pub responses: Vec<usize>,
}

impl TaxonomyTerm {
    pub fn count(&self) -> usize {
        self.sections.len() + self.quotes.len() + self.responses.len()
    }
}

/// The terms of one taxonomy in vocabulary order.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub path: String,
    pub terms: Vec<TaxonomyTerm>,
}

/// The whole site, resolved: everything the render stage needs.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub vocabularies: Vocabularies,
    pub summaries: Vec<Summary>,
    pub sections: Vec<Section>,
    pub quotes: Vec<Quote>,
    pub responses: Vec<Response>,
    pub pages: Vec<Page>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content path (`summaries/workforce/02-stigma.md`) → site-relative URL path.
    pub link_targets: HashMap<String, String>,
    /// Non-Markdown files in `content/`: (source path, site-relative output path).
    pub assets: Vec<(PathBuf, String)>,
    /// Old paths that redirect to a page: (alias path, target path), both site-relative.
    pub aliases: Vec<(String, String)>,
}

/// The five kinds of content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Summary,
    Section,
    Quote,
    Response,
    Page,
}

/// A resolved item of any kind: its file and its URL.
pub trait Item {
    type Meta: Meta;
    fn doc(&self) -> &Document<Self::Meta>;
    /// The site-relative URL path.
    fn path(&self) -> &str;
}

macro_rules! item {
    ($($item:ty => $meta:ty),*) => {$(
        impl Item for $item {
            type Meta = $meta;
            fn doc(&self) -> &Document<$meta> {
                &self.doc
            }
            fn path(&self) -> &str {
                &self.path
            }
        }
    )*};
}

item!(
    Summary => SummaryMeta,
    Section => SectionMeta,
    Quote => QuoteMeta,
    Response => ResponseMeta,
    Page => PageMeta
);

/// What one item of any kind is, for the steps and checks that treat every kind alike.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    pub kind: ItemKind,
    /// Its index in the site's list of its kind.
    pub index: usize,
    pub source: &'a Arc<SourceText>,
    /// The content path, e.g. `summaries/workforce/02-stigma.md`.
    pub file: &'a str,
    pub body_offset: usize,
    /// The site-relative URL path.
    pub path: &'a str,
    pub aliases: &'a [String],
    /// The warnings accepted for the file.
    pub lint_allow: &'a [Allowance],
    /// Its corrections since publication.
    pub changes: &'a [Change],
}

impl<'a> ItemRef<'a> {
    /// `item`, the one at `index` in the site's list of `kind`.
    pub fn new<T: Item>(kind: ItemKind, index: usize, item: &'a T) -> ItemRef<'a> {
        let doc = item.doc();
        ItemRef {
            kind,
            index,
            source: &doc.source,
            file: &doc.path,
            body_offset: doc.body_offset,
            path: item.path(),
            aliases: doc.meta.aliases(),
            lint_allow: doc.meta.lint_allow(),
            changes: doc.meta.changes(),
        }
    }

    /// The Markdown body.
    pub fn body(&self) -> &'a str {
        &self.source.text[self.body_offset..]
    }
}

fn refs<T: Item>(kind: ItemKind, items: &[T]) -> impl Iterator<Item = ItemRef<'_>> {
    items
        .iter()
        .enumerate()
        .map(move |(index, item)| ItemRef::new(kind, index, item))
}

impl Site {
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        &self.taxonomies[kind as usize]
    }

    /// Every item of every kind: summaries, sections, quotes, responses, then pages.
    pub fn items(&self) -> impl Iterator<Item = ItemRef<'_>> {
        refs(ItemKind::Summary, &self.summaries)
            .chain(refs(ItemKind::Section, &self.sections))
            .chain(refs(ItemKind::Quote, &self.quotes))
            .chain(refs(ItemKind::Response, &self.responses))
            .chain(refs(ItemKind::Page, &self.pages))
    }

    /// News items, newest first.
    pub fn news(&self) -> Vec<&Page> {
        let mut news: Vec<&Page> = self
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::News)
            .collect();
        news.sort_by(|a, b| {
            b.doc
                .meta
                .date
                .cmp(&a.doc.meta.date)
                .then(a.path.cmp(&b.path))
        });
        news
    }
}

/// Resolves loaded content. Returns the site and its warnings, or every error found.
pub fn resolve(
    content: Content,
    config: Config,
    vocabularies: Vocabularies,
    drafts: bool,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut found = Diagnostics::default();
    let content = if drafts {
        content
    } else {
        without_drafts(content)
    };
    let mut summaries = items::summaries(content.summaries);
    let sections = items::sections(content.sections, &mut summaries, &mut found);
    let mut ids = items::Ids::default();
    let quotes = items::quotes(content.quotes, &summaries, &sections, &mut ids, &mut found);
    let responses = items::responses(content.responses, &config, &summaries, &mut ids, &mut found);
    let pages = items::pages(content.pages, &mut found);
    let mut site = Site {
        config,
        vocabularies,
        summaries,
        sections,
        quotes,
        responses,
        pages,
        taxonomies: Vec::new(),
        link_targets: HashMap::new(),
        assets: content.assets,
        aliases: Vec::new(),
    };
    placements::place_quotes(&mut site, &mut found);
    placements::refuse_stray_shortcodes(&site, &mut found);
    site.taxonomies = taxonomies::collect(&site, &mut found);
    paths::check_unique(&site, &mut found);
    site.aliases = aliases::collect(&site, &mut found);
    site.link_targets = paths::link_targets(&site);
    if found.has_errors() {
        Err(found)
    } else {
        Ok((site, found))
    }
}

/// `content` without the files marked `draft: true`.
fn without_drafts(content: Content) -> Content {
    fn published<M: Meta>(docs: Vec<Document<M>>) -> Vec<Document<M>> {
        docs.into_iter().filter(|d| !d.meta.draft()).collect()
    }
    Content {
        summaries: published(content.summaries),
        sections: published(content.sections),
        quotes: published(content.quotes),
        responses: published(content.responses),
        pages: published(content.pages),
        ..content
    }
}
