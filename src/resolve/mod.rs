//! RESOLVE: every cross-file check and link → [`Site`].
//!
//! Slugs and URLs, unique ids, quote placements, taxonomy terms (checked against closed
//! vocabularies) and the targets of internal links are all worked out here, once, so the
//! render stage only reads.

mod shortcode;
mod slug;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

pub use shortcode::{Shortcode, find as find_shortcodes};
pub use slug::slugify;

use crate::config::Config;
use crate::content::kinds::{IdeaMeta, PageMeta, QuoteMeta, SectionMeta, SummaryMeta};
use crate::content::{Content, Document};
use crate::diagnostics::{Diagnostic, Diagnostics};
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

/// One idea from a call for ideas.
#[derive(Debug, Clone)]
pub struct Idea {
    pub doc: Document<IdeaMeta>,
    pub id: String,
    pub path: String,
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
    pub ideas: Vec<usize>,
}

impl TaxonomyTerm {
    pub fn count(&self) -> usize {
        self.sections.len() + self.quotes.len() + self.ideas.len()
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
    pub ideas: Vec<Idea>,
    pub pages: Vec<Page>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content path (`summaries/workforce/02-stigma.md`) → site-relative URL path.
    pub link_targets: HashMap<String, String>,
    /// Non-Markdown files in `content/`: (source path, site-relative output path).
    pub assets: Vec<(PathBuf, String)>,
    /// Old paths that redirect to a page: (alias path, target path), both site-relative.
    pub aliases: Vec<(String, String)>,
}

impl Site {
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        &self.taxonomies[kind as usize]
    }

    pub fn quote_index(&self, id: &str) -> Option<usize> {
        self.quotes.iter().position(|q| q.doc.meta.id == id)
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
    let mut diagnostics = Diagnostics::default();
    let Content {
        summaries,
        sections,
        quotes,
        ideas,
        pages,
        assets,
    } = content;
    let keep = |draft: bool| drafts || !draft;

    let mut summaries: Vec<Summary> = summaries
        .into_iter()
        .filter(|d| keep(d.meta.draft))
        .map(|doc| {
            let slug = slugify(doc.folders()[1]);
            let path = format!("summaries/{slug}/");
            Summary {
                doc,
                slug,
                path,
                sections: Vec::new(),
            }
        })
        .collect();
    summaries.sort_by(|a, b| (a.doc.meta.weight, &a.slug).cmp(&(b.doc.meta.weight, &b.slug)));
    let summary_by_folder: HashMap<String, usize> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.doc.folders()[1].to_string(), i))
        .collect();
    let summary_by_slug: HashMap<String, usize> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.clone(), i))
        .collect();

    let mut resolved_sections = Vec::new();
    for doc in sections.into_iter().filter(|d| keep(d.meta.draft)) {
        let folder = doc.folders()[1].to_string();
        let Some(&summary) = summary_by_folder.get(&folder) else {
            diagnostics.push(
                Diagnostic::error(
                    "section/no-summary",
                    doc.source.name.clone(),
                    format!("this section's folder `summaries/{folder}/` has no `_index.md`"),
                )
                .with_help(
                    "add the summary's _index.md, or move the section into a summary folder",
                ),
            );
            continue;
        };
        let slug = slugify(doc.stem());
        let path = format!("{}{slug}/", summaries[summary].path);
        resolved_sections.push(Section {
            doc,
            slug,
            path,
            summary,
            prev: None,
            next: None,
            placements: Vec::new(),
        });
    }
    let mut sections = resolved_sections;
    sections.sort_by(|a, b| {
        (a.summary, a.doc.meta.weight, &a.slug).cmp(&(b.summary, b.doc.meta.weight, &b.slug))
    });
    for (i, section) in sections.iter().enumerate() {
        summaries[section.summary].sections.push(i);
    }
    for summary in &summaries {
        for pair in summary.sections.windows(2) {
            sections[pair[0]].next = Some(pair[1]);
            sections[pair[1]].prev = Some(pair[0]);
        }
    }
    let section_by_slug: HashMap<(usize, String), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.summary, s.slug.clone()), i))
        .collect();

    let mut ids: HashMap<String, String> = HashMap::new();
    let mut resolved_quotes = Vec::new();
    for doc in quotes.into_iter().filter(|d| keep(d.meta.draft)) {
        let meta = &doc.meta;
        if let Some(first) = ids.insert(meta.id.to_lowercase(), doc.source.name.clone()) {
            diagnostics.push(
                doc.field_error(
                    "id/duplicate",
                    "id",
                    &meta.id,
                    format!("the id `{}` is already used by {first}", meta.id),
                )
                .with_help("give every quote and idea its own id"),
            );
            continue;
        }
        let folder = doc.folders()[1];
        if folder != meta.summary {
            diagnostics.push(doc.field_error("quote/folder",
                "summary",
                &meta.summary,
                format!("the quote names the summary `{}` but lives in content/quotes/{folder}/: expected the folder to match", meta.summary),
            ));
            continue;
        }
        let Some(&summary) = summary_by_slug.get(&meta.summary) else {
            diagnostics.push(doc.field_error(
                "quote/unknown-summary",
                "summary",
                &meta.summary,
                format!(
                    "there is no summary `{}`: expected the slug of a folder in content/summaries/",
                    meta.summary
                ),
            ));
            continue;
        };
        let Some(&section) = section_by_slug.get(&(summary, meta.section.clone())) else {
            diagnostics.push(doc.field_error("quote/unknown-section",
                "section",
                &meta.section,
                format!("the summary `{}` has no section `{}`", meta.summary, meta.section),
            ).with_help("use the slug of a section file: its file name without the `NN-` prefix and `.md`"));
            continue;
        };
        if meta.speaker.is_none() && meta.voice.is_some() {
            diagnostics.push(doc.field_error("quote/voice-without-speaker",
                "voice",
                meta.voice.as_deref().unwrap_or_default(),
                "a voice is given but no speaker: the source gives no attribution, so none may be implied".to_string(),
            ).with_help("remove `voice`, or add the `speaker` exactly as the source attributes the quote"));
        }
        let path = format!("quotes/{}/", slugify(&meta.id));
        resolved_quotes.push(Quote {
            doc,
            path,
            summary,
            section,
            placed: false,
        });
    }
    let mut quotes = resolved_quotes;
    quotes.sort_by(|a, b| {
        (a.summary, a.section, &a.doc.meta.id).cmp(&(b.summary, b.section, &b.doc.meta.id))
    });
    let quote_by_id: HashMap<&str, usize> = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| (q.doc.meta.id.as_str(), i))
        .collect();

    let mut placed_count = vec![0usize; quotes.len()];
    for section in &mut sections {
        let body = section.doc.body();
        let (found, errors) = find_shortcodes(body);
        let base = section.doc.body_offset;
        for error in errors {
            diagnostics.push(Diagnostic::error_at(
                "shortcode/syntax",
                &section.doc.source,
                base + error.range.start,
                error.range.len(),
                error.message,
            ));
        }
        for code in found {
            match quote_by_id.get(code.id.as_str()) {
                Some(&quote) => {
                    placed_count[quote] += 1;
                    section.placements.push(Placement {
                        range: code.range,
                        quote,
                    });
                }
                None => diagnostics.push(
                    Diagnostic::error_at(
                        "shortcode/unknown-quote",
                        &section.doc.source,
                        base + code.range.start,
                        code.range.len(),
                        format!("there is no quote with the id `{}`", code.id),
                    )
                    .with_help(
                        "check the id against the `id` field of the files in content/quotes/",
                    ),
                ),
            }
        }
    }
    for (i, quote) in quotes.iter_mut().enumerate() {
        quote.placed = placed_count[i] > 0;
        let (offset, len) = quote.doc.field_span("id", &quote.doc.meta.id);
        match placed_count[i] {
            0 => diagnostics.push(
                Diagnostic::error_at("quote/unplaced", &quote.doc.source, offset, len,
                    format!("the quote `{}` is not placed in any section", quote.doc.meta.id))
                .with_help(format!("add {{{{ quote(id=\"{}\") }}}} where it belongs in its section", quote.doc.meta.id))
                .warning(),
            ),
            1 => {}
            n => diagnostics.push(
                Diagnostic::error_at("quote/placed-twice", &quote.doc.source, offset, len,
                    format!("the quote `{}` is placed {n} times; its anchor and permalink need one place", quote.doc.meta.id))
                .with_help("keep one shortcode for it")
                .warning(),
            ),
        }
    }

    let mut resolved_ideas = Vec::new();
    for doc in ideas.into_iter().filter(|d| keep(d.meta.draft)) {
        let id = slugify(doc.stem());
        if let Some(first) = ids.insert(id.clone(), doc.source.name.clone()) {
            diagnostics.push(
                Diagnostic::error(
                    "id/duplicate",
                    doc.source.name.clone(),
                    format!("the id `{id}` (from the file name) is already used by {first}"),
                )
                .with_help("rename the file"),
            );
            continue;
        }
        if doc.meta.anonymous && doc.meta.respondent.is_some() {
            diagnostics.push(doc.field_error("idea/anonymous-respondent",
                "anonymous",
                "true",
                "the idea is marked anonymous but names a respondent: expected one or the other"
                    .to_string(),
            ));
        }
        let path = format!("ideas/{id}/");
        resolved_ideas.push(Idea { doc, id, path });
    }
    let mut ideas = resolved_ideas;
    ideas.sort_by(|a, b| (a.doc.meta.number, &a.id).cmp(&(b.doc.meta.number, &b.id)));

    let mut resolved_pages = Vec::new();
    for doc in pages.into_iter().filter(|d| keep(d.meta.draft)) {
        let mut segments: Vec<String> = doc.folders().iter().map(|f| slugify(f)).collect();
        if doc.stem() != "_index" {
            segments.push(slugify(doc.stem()));
        }
        let path = if segments.is_empty() {
            String::new()
        } else {
            format!("{}/", segments.join("/"))
        };
        let kind = if path.is_empty() {
            PageKind::Home
        } else if segments.len() == 2 && segments[0] == "news" {
            PageKind::News
        } else {
            PageKind::Other
        };
        if kind == PageKind::News && doc.meta.date.is_none() {
            diagnostics.push(
                Diagnostic::error_at(
                    "news/no-date",
                    &doc.source,
                    0,
                    3,
                    "a news item needs a `date` (YYYY-MM-DD)".to_string(),
                )
                .with_help("add `date: 2021-09-30` to the front matter"),
            );
        }
        resolved_pages.push(Page { doc, path, kind });
    }
    let mut pages = resolved_pages;
    pages.sort_by(|a, b| (a.doc.meta.weight, &a.path).cmp(&(b.doc.meta.weight, &b.path)));

    check_unique_paths(
        &summaries,
        &sections,
        &quotes,
        &ideas,
        &pages,
        &mut diagnostics,
    );
    let aliases = collect_aliases(
        &summaries,
        &sections,
        &quotes,
        &ideas,
        &pages,
        &mut diagnostics,
    );

    let taxonomies = TaxonomyKind::ALL
        .iter()
        .map(|&kind| {
            collect_taxonomy(
                kind,
                &config,
                &vocabularies,
                &summaries,
                &sections,
                &quotes,
                &ideas,
                &mut diagnostics,
            )
        })
        .collect();

    let mut link_targets = HashMap::new();
    for s in &summaries {
        link_targets.insert(s.doc.path.clone(), s.path.clone());
    }
    for s in &sections {
        link_targets.insert(s.doc.path.clone(), s.path.clone());
    }
    for q in &quotes {
        link_targets.insert(q.doc.path.clone(), q.path.clone());
    }
    for i in &ideas {
        link_targets.insert(i.doc.path.clone(), i.path.clone());
    }
    for p in &pages {
        link_targets.insert(p.doc.path.clone(), p.path.clone());
    }

    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((
        Site {
            config,
            vocabularies,
            summaries,
            sections,
            quotes,
            ideas,
            pages,
            taxonomies,
            link_targets,
            assets,
            aliases,
        },
        diagnostics,
    ))
}

/// Two files may not produce the same URL, compared without regard to capitals (hosts on
/// case-insensitive file systems would serve one for the other).
fn check_unique_paths(
    summaries: &[Summary],
    sections: &[Section],
    quotes: &[Quote],
    ideas: &[Idea],
    pages: &[Page],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let all = summaries
        .iter()
        .map(|s| (&s.path, &s.doc.source.name))
        .chain(sections.iter().map(|s| (&s.path, &s.doc.source.name)))
        .chain(quotes.iter().map(|q| (&q.path, &q.doc.source.name)))
        .chain(ideas.iter().map(|i| (&i.path, &i.doc.source.name)))
        .chain(pages.iter().map(|p| (&p.path, &p.doc.source.name)));
    for (path, file) in all {
        if let Some(first) = seen.insert(path.to_lowercase(), file) {
            diagnostics.push(
                Diagnostic::error(
                    "slug/collision",
                    file.clone(),
                    format!("this file's URL /{path} is the same as that of {first} (URLs are compared without regard to capitals)"),
                )
                .with_help("rename one of the two files"),
            );
        }
    }
}

/// The terms of one taxonomy while items are being sorted into them.
struct TermIndex<'a> {
    kind: TaxonomyKind,
    closed: bool,
    vocabulary_file: String,
    terms: Vec<TaxonomyTerm>,
    by_slug: HashMap<String, usize>,
    diagnostics: &'a mut Diagnostics,
}

impl TermIndex<'_> {
    /// The term for `slug`, created on first use in an open vocabulary; in a closed one an
    /// unknown slug is an error pointing at the value in `doc`'s front matter.
    fn term<M>(&mut self, doc: &Document<M>, field: &str, slug: &str) -> Option<&mut TaxonomyTerm> {
        let i = match self.by_slug.get(slug) {
            Some(&i) => i,
            None if self.closed => {
                let known: Vec<&str> = self
                    .terms
                    .iter()
                    .take(12)
                    .map(|t| t.term.slug.as_str())
                    .collect();
                self.diagnostics.push(
                    doc.field_error("taxonomy/unknown-term", field, slug, format!(
                        "`{slug}` is not in the closed {} vocabulary ({}): expected one of {}{}",
                        self.kind.key(),
                        self.vocabulary_file,
                        known.join(", "),
                        if self.terms.len() > known.len() { ", …" } else { "" },
                    ))
                    .with_help(format!("use a slug from {} or add the term there", self.vocabulary_file)),
                );
                return None;
            }
            None => {
                let term_slug = slugify(slug);
                self.terms.push(TaxonomyTerm {
                    path: format!("{}/{term_slug}/", self.kind.key()),
                    term: Term {
                        name: slug.replace('-', " "),
                        slug: term_slug,
                        description: None,
                        keywords: Vec::new(),
                        speakers: Vec::new(),
                        variants: Vec::new(),
                    },
                    summaries: Vec::new(),
                    sections: Vec::new(),
                    quotes: Vec::new(),
                    ideas: Vec::new(),
                });
                self.by_slug.insert(slug.to_string(), self.terms.len() - 1);
                self.terms.len() - 1
            }
        };
        self.terms.get_mut(i)
    }
}

impl TermIndex<'_> {
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
}

/// Sorts every tagged item into the terms of taxonomy `kind`.
/// The `aliases` of every item as redirects, normalised to site-relative paths. An alias
/// may not be the URL of another page or another alias.
fn collect_aliases(
    summaries: &[Summary],
    sections: &[Section],
    quotes: &[Quote],
    ideas: &[Idea],
    pages: &[Page],
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String)> {
    let mut taken: HashMap<String, String> = summaries
        .iter()
        .map(|s| (s.path.to_lowercase(), s.doc.source.name.clone()))
        .chain(
            sections
                .iter()
                .map(|s| (s.path.to_lowercase(), s.doc.source.name.clone())),
        )
        .chain(
            quotes
                .iter()
                .map(|q| (q.path.to_lowercase(), q.doc.source.name.clone())),
        )
        .chain(
            ideas
                .iter()
                .map(|i| (i.path.to_lowercase(), i.doc.source.name.clone())),
        )
        .chain(
            pages
                .iter()
                .map(|p| (p.path.to_lowercase(), p.doc.source.name.clone())),
        )
        .collect();
    let mut aliases = Vec::new();
    let mut add = |doc_aliases: &[String],
                   target: &str,
                   name: &str,
                   diagnostics: &mut Diagnostics,
                   span: &dyn Fn(&str) -> Diagnostic| {
        for alias in doc_aliases {
            let trimmed = alias.trim().trim_start_matches('/');
            let path = if trimmed.is_empty() || trimmed.ends_with('/') || trimmed.ends_with(".html")
            {
                trimmed.to_string()
            } else {
                format!("{trimmed}/")
            };
            if path.is_empty()
                || path
                    .split('/')
                    .any(|segment| segment == ".." || segment == ".")
                || path.contains(['\\', '?', '#'])
            {
                diagnostics.push(span(alias));
                continue;
            }
            if let Some(owner) = taken.insert(path.to_lowercase(), name.to_string()) {
                diagnostics.push(
                    Diagnostic::error(
                        "alias/collision",
                        name.to_string(),
                        format!("the alias `{alias}` is already the URL of {owner}"),
                    )
                    .with_help("remove the alias or choose another path"),
                );
                continue;
            }
            aliases.push((path, target.to_string()));
        }
    };
    macro_rules! items {
        ($list:expr) => {
            for item in $list {
                let doc = &item.doc;
                let invalid = |alias: &str| {
                    doc.field_error("alias/invalid", "aliases", alias, format!("the alias `{alias}` is not a site path: expected a path such as `summaries/old-name/`"))
                };
                add(&doc.meta.aliases, &item.path, &doc.source.name, diagnostics, &invalid);
            }
        };
    }
    items!(summaries);
    items!(sections);
    items!(quotes);
    items!(ideas);
    items!(pages);
    aliases
}

#[allow(clippy::too_many_arguments)]
fn collect_taxonomy(
    kind: TaxonomyKind,
    config: &Config,
    vocabularies: &Vocabularies,
    summaries: &[Summary],
    sections: &[Section],
    quotes: &[Quote],
    ideas: &[Idea],
    diagnostics: &mut Diagnostics,
) -> Taxonomy {
    let settings = kind.settings(config);
    let key = kind.key();
    let terms: Vec<TaxonomyTerm> = vocabularies
        .terms(kind)
        .iter()
        .map(|term| TaxonomyTerm {
            path: format!("{key}/{}/", term.slug),
            term: term.clone(),
            summaries: Vec::new(),
            sections: Vec::new(),
            quotes: Vec::new(),
            ideas: Vec::new(),
        })
        .collect();
    let by_slug = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.term.slug.clone(), i))
        .collect();
    let mut index = TermIndex {
        kind,
        closed: settings.closed,
        vocabulary_file: settings
            .vocabulary
            .clone()
            .unwrap_or_else(|| format!("data/{key}.yaml")),
        terms,
        by_slug,
        diagnostics,
    };
    match kind {
        TaxonomyKind::Themes => {
            index.tag(
                summaries.iter().map(|s| &s.doc),
                "themes",
                |m| &m.themes,
                |t| &mut t.summaries,
            );
            index.tag(
                sections.iter().map(|s| &s.doc),
                "themes",
                |m| &m.themes,
                |t| &mut t.sections,
            );
            index.tag(
                quotes.iter().map(|q| &q.doc),
                "themes",
                |m| &m.themes,
                |t| &mut t.quotes,
            );
            index.tag(
                ideas.iter().map(|i| &i.doc),
                "themes",
                |m| &m.themes,
                |t| &mut t.ideas,
            );
        }
        TaxonomyKind::Voices => {
            index.tag(
                quotes.iter().map(|q| &q.doc),
                "voice",
                |m| m.voice.as_slice(),
                |t| &mut t.quotes,
            );
        }
        TaxonomyKind::Topics => {
            index.tag(
                ideas.iter().map(|i| &i.doc),
                "topics",
                |m| &m.topics,
                |t| &mut t.ideas,
            );
        }
    }
    Taxonomy {
        kind,
        path: format!("{key}/"),
        terms: index.terms,
    }
}
