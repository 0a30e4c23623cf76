//! RENDER: Markdown to HTML, then every page through its Tera template → [`RenderedSite`].
//!
//! Each Markdown body is rendered once, in parallel; the views that templates see are
//! built from those results; then every page ([`PageJob`]) is rendered in parallel and
//! handed to a sink as soon as it is ready. Nothing here writes to disk: the write stage
//! (or `serve`) decides where the files go. [`Renderer`] renders any subset of the pages,
//! which is how `serve` re-renders only what an edit touched ([`changed_pages`]).

pub mod data;
mod dependents;
mod glossary;
pub mod markdown;
mod pages;
mod templates;
pub mod text;
pub mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, display_path};
use crate::resolve::Site;
use crate::vocabulary::TaxonomyKind;
pub use dependents::changed_pages;
use markdown::{Body, BodyPart, Links};
pub use pages::PageJob;
use templates::Templates;
pub use templates::theme_dir;
use views::*;

/// The contents of one output file.
#[derive(Debug, Clone)]
pub enum FileData {
    Bytes(Vec<u8>),
    /// A static file copied as it is from this path.
    Copy(PathBuf),
}

/// One file of the built site, at a path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub data: FileData,
}

/// The built site in memory.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// How many HTML pages were rendered.
    pub pages: usize,
    /// Every searchable item with its text, for the index stage.
    pub documents: Vec<SearchDocument>,
    pub warnings: Diagnostics,
}

/// What kind of thing a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Section,
    Quote,
    Response,
    Page,
}

/// One searchable item: a section (its own prose, without the quotes placed in it), a
/// quote, a response or a page, with the plain text of its rendered body.
#[derive(Debug, Clone, Serialize)]
pub struct SearchDocument {
    pub url: String,
    pub title: String,
    pub kind: DocumentKind,
    /// The title of the summary it belongs to.
    pub summary: Option<String>,
    /// The speaker of a quote or the respondent of a response, as published.
    pub speaker: Option<String>,
    /// The display name of a quote's voice.
    pub voice: Option<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    pub body: String,
}

/// A page to render: its template, its site-relative path, and its own context.
struct Job {
    template: String,
    path: String,
    context: Context,
    /// The page's own title and description, for sharing metadata and search engines.
    title: String,
    description: String,
}

impl Job {
    fn new(
        template: impl Into<String>,
        path: String,
        title: impl Into<String>,
        description: impl Into<String>,
        context: Context,
    ) -> Job {
        Job {
            template: template.into(),
            path,
            context,
            title: title.into(),
            description: description.into(),
        }
    }
}

/// A page's `template` must name a template that exists; the error points at the page's
/// front matter, where the fix is, rather than at a template file that is not there.
fn check_page_templates(site: &Site, templates: &Templates) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for page in &site.pages {
        if let Some(name) = &page.doc.meta.template
            && !templates.tera.contains_template(name)
        {
            let (offset, len) = page.doc.field_span("template", name);
            let known: Vec<&str> = templates
                .files
                .keys()
                .map(String::as_str)
                .filter(|n| n.ends_with(".html") && !n.starts_with("partials/"))
                .collect();
            diagnostics.push(
                Diagnostic::error_at(
                    "template/unknown",
                    &page.doc.source,
                    offset,
                    len,
                    format!(
                        "there is no template `{name}`: expected one of {}",
                        known.join(", ")
                    ),
                )
                .with_help(
                    "use the name of a file in the theme's templates/ or the site's templates/",
                ),
            );
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(())
    }
}

/// The first words of `text`, at most `max` characters, cut at a word boundary.
pub fn teaser(text: &str, max: usize) -> String {
    // The words with single spaces, up to the first that goes past `max`: a long body is
    // never joined up in full for the few words a description takes.
    let mut words = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
            count += 1;
        }
        words.push_str(word);
        count += word.chars().count();
        if count > max {
            break;
        }
    }
    if count <= max {
        return words;
    }
    let cut: String = words.chars().take(max).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(head, _)| head)
        .trim_end_matches([',', ';', ':', '.']);
    format!("{cut}…")
}

/// The starting size of a page's output buffer: most pages of the review fit in 32 KiB.
const PAGE_BUFFER: usize = 32 * 1024;

/// What `<head>` says about a page: title, description, canonical and sharing URLs.
#[derive(Serialize)]
struct MetaView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    permalink: String,
    /// Open Graph type: `website` for the home page, `article` elsewhere.
    og_type: &'static str,
}

/// The output file of a site-relative page path: `a/b/` → `a/b/index.html`.
pub fn output_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Every body rendered once, by index into the site's lists.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    summaries: Vec<String>,
    sections: Vec<Vec<BodyPart>>,
    quotes: Vec<String>,
    responses: Vec<String>,
    pages: Vec<String>,
}

/// What an earlier render can lend the next: its site and its bodies. A body is reused
/// when its document is the very same (the loader reuses unchanged files) and nothing it
/// depends on (its quote placements, the link targets) moved.
pub struct Reuse<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
}

/// Renders every Markdown body of `site` once, in parallel, or takes it from `reuse`
/// when its source is unchanged. Returns the bodies and their warnings, or every error.
pub fn bodies(site: &Site, reuse: Option<Reuse<'_>>) -> Result<(Bodies, Diagnostics), Diagnostics> {
    let links = Links {
        config: &site.config,
        targets: &site.link_targets,
    };
    let old = reuse.filter(|r| r.site.link_targets == site.link_targets);
    let summaries = html_bodies(
        &site.summaries,
        |s| (&s.doc.source, s.doc.body_offset),
        old.as_ref()
            .map(|o| (o.site.summaries.as_slice(), o.bodies.summaries.as_slice())),
        false,
        &links,
    );
    let quotes = html_bodies(
        &site.quotes,
        |q| (&q.doc.source, q.doc.body_offset),
        old.as_ref()
            .map(|o| (o.site.quotes.as_slice(), o.bodies.quotes.as_slice())),
        true,
        &links,
    );
    let responses = html_bodies(
        &site.responses,
        |d| (&d.doc.source, d.doc.body_offset),
        old.as_ref()
            .map(|o| (o.site.responses.as_slice(), o.bodies.responses.as_slice())),
        true,
        &links,
    );
    let pages = html_bodies(
        &site.pages,
        |p| (&p.doc.source, p.doc.body_offset),
        old.as_ref()
            .map(|o| (o.site.pages.as_slice(), o.bodies.pages.as_slice())),
        false,
        &links,
    );
    // A section's body also depends on where its quotes are placed.
    let sections = each(&site.sections, |i, s| {
        let reusable = old.as_ref().and_then(|o| {
            let was = o.site.sections.get(i)?;
            let same =
                Arc::ptr_eq(&was.doc.source, &s.doc.source) && was.placements == s.placements;
            same.then(|| o.bodies.sections.get(i)).flatten()
        });
        match reusable {
            Some(parts) => (parts.clone(), Vec::new()),
            None => markdown::render(
                &Body {
                    source: &s.doc.source,
                    offset: s.doc.body_offset,
                    verbatim: false,
                },
                &s.placements,
                &links,
            ),
        }
    });
    let mut diagnostics = Diagnostics::default();
    let bodies = Bodies {
        summaries: without_diagnostics(summaries, &mut diagnostics),
        quotes: without_diagnostics(quotes, &mut diagnostics),
        responses: without_diagnostics(responses, &mut diagnostics),
        pages: without_diagnostics(pages, &mut diagnostics),
        sections: without_diagnostics(sections, &mut diagnostics),
    };
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((bodies, diagnostics))
    }
}

/// The bodies of a list rendered with their diagnostics, the diagnostics moved to `all`.
fn without_diagnostics<B>(list: Vec<(B, Vec<Diagnostic>)>, all: &mut Diagnostics) -> Vec<B> {
    list.into_iter()
        .map(|(body, found)| {
            all.extend(found);
            body
        })
        .collect()
}

/// The bodies of `items` as HTML, in parallel; `document` gives an item's source and where
/// its body starts. A body is taken from `old` (the last build's items and bodies) when the
/// item at the same place had the very same source: it rendered without errors then, and
/// its warnings were shown.
fn html_bodies<T: Sync>(
    items: &[T],
    document: impl Fn(&T) -> (&Arc<SourceText>, usize) + Sync,
    old: Option<(&[T], &[String])>,
    verbatim: bool,
    links: &Links<'_>,
) -> Vec<(String, Vec<Diagnostic>)> {
    each(items, |i, item| {
        let (source, offset) = document(item);
        let reusable = old.and_then(|(items, bodies)| {
            let same = Arc::ptr_eq(document(items.get(i)?).0, source);
            same.then(|| bodies.get(i)).flatten()
        });
        match reusable {
            Some(body) => (body.clone(), Vec::new()),
            None => markdown::render_html(
                &Body {
                    source,
                    offset,
                    verbatim,
                },
                links,
            ),
        }
    })
}

/// `body(i, item)` for every item, in parallel.
fn each<T: Sync, R: Send>(items: &[T], body: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    items
        .par_iter()
        .enumerate()
        .map(|(i, item)| body(i, item))
        .collect()
}

/// The plain text of a section's own prose, one string per run of prose between quotes.
fn prose(parts: &[BodyPart]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|part| match part {
            BodyPart::Html(html) => Some(text::html_to_text(html)),
            BodyPart::Quote(_) => None,
        })
        .collect()
}

/// A template value for a map with fixed keys.
fn map(entries: Vec<(&'static str, Value)>) -> Value {
    Value::from(
        entries
            .into_iter()
            .collect::<BTreeMap<&'static str, Value>>(),
    )
}

#[derive(Serialize)]
struct TaxonomyView {
    key: &'static str,
    name: String,
    singular: String,
    url: String,
    terms: Vec<TermLink>,
}

/// A quote or a response as pages use it: its view, the view as a template value `T` (converted
/// once, and shared, not copied, by every page that shows it) and its plain text (for the
/// page's description, the search document and the open data). Each is made the first time
/// a page asks.
struct Item<V, T = Value> {
    view: OnceLock<V>,
    value: OnceLock<T>,
    text: OnceLock<String>,
}

/// The template of a response's card. Lists show hundreds of cards on every page of a topic or
/// a theme, so each response's card is rendered once and handed to every list as `response.card`.
const RESPONSE_CARD: &str = "partials/response_card.html";

impl<V, T> Default for Item<V, T> {
    fn default() -> Self {
        Item {
            view: OnceLock::new(),
            value: OnceLock::new(),
            text: OnceLock::new(),
        }
    }
}

/// Renders the pages of one resolved site. Views that many pages share are built once;
/// a quote's or a response's view only when a page first shows it.
pub struct Renderer<'a> {
    root: &'a Path,
    site: &'a Site,
    templates: Templates,
    bodies: &'a Bodies,
    static_files: Vec<OutputFile>,
    summaries: Vec<SummaryView>,
    news: Vec<PageView<'a>>,
    /// One per taxonomy, indexed by [`TaxonomyKind`].
    taxonomies: Vec<TaxonomyView>,
    quotes: Vec<Item<QuoteView<'a>>>,
    responses: Vec<Item<ResponseView<'a>, Result<Value, Diagnostic>>>,
    /// The open data files' paths and sizes, for the page that offers them.
    data_sizes: OnceLock<Vec<(String, usize)>>,
    glossary: glossary::Glossary,
    pages: Vec<PageJob>,
}

impl<'a> Renderer<'a> {
    /// Loads the templates and prepares the views that many pages share.
    pub fn new(
        root: &'a Path,
        site: &'a Site,
        bodies: &'a Bodies,
    ) -> Result<Renderer<'a>, Diagnostics> {
        let mut templates = templates::load(root, &site.config.site.theme)?;
        check_page_templates(site, &templates)?;
        let static_files = static_files(root, site)?;
        let assets: BTreeMap<String, String> = static_files
            .iter()
            .filter_map(|(name, file)| {
                name.as_ref()
                    .map(|n| (n.clone(), site.config.url(&file.path)))
            })
            .collect();
        templates
            .tera
            .global_context()
            .insert("site", &site_view(site, assets));
        let news = site
            .news()
            .into_iter()
            .map(|p| {
                let i = site
                    .pages
                    .iter()
                    .position(|q| q.path == p.path)
                    .unwrap_or_default();
                PageView::new(site, p, &bodies.pages[i])
            })
            .collect();
        Ok(Renderer {
            root,
            site,
            templates,
            static_files: static_files.into_iter().map(|(_, f)| f).collect(),
            summaries: (0..site.summaries.len())
                .map(|i| SummaryView::new(site, i))
                .collect(),
            news,
            taxonomies: TaxonomyKind::ALL
                .iter()
                .map(|&kind| taxonomy_view(site, kind))
                .collect(),
            quotes: site.quotes.iter().map(|_| Item::default()).collect(),
            responses: site.responses.iter().map(|_| Item::default()).collect(),
            data_sizes: OnceLock::new(),
            glossary: glossary::Glossary::new(&site.vocabularies.glossary),
            pages: PageJob::all(site),
            bodies,
        })
    }

    /// Every page of the site.
    pub fn pages(&self) -> &[PageJob] {
        &self.pages
    }

    /// The theme's and the site's static files and the content folder's other files.
    pub fn static_files(&self) -> &[OutputFile] {
        &self.static_files
    }

    fn quote(&self, i: usize) -> &QuoteView<'a> {
        self.quotes[i]
            .view
            .get_or_init(|| QuoteView::new(self.site, i, &self.bodies.quotes[i]))
    }

    fn response(&self, i: usize) -> &ResponseView<'a> {
        self.responses[i]
            .view
            .get_or_init(|| ResponseView::new(self.site, i, &self.bodies.responses[i]))
    }

    fn quote_text(&self, i: usize) -> &str {
        self.quotes[i]
            .text
            .get_or_init(|| text::html_to_text(&self.bodies.quotes[i]))
    }

    fn response_text(&self, i: usize) -> &str {
        self.responses[i]
            .text
            .get_or_init(|| text::html_to_text(&self.bodies.responses[i]))
    }

    fn quote_value(&self, i: usize) -> Value {
        self.quotes[i]
            .value
            .get_or_init(|| Value::from_serializable(self.quote(i)))
            .clone()
    }

    /// The response's template value, with its card (when the theme has one) as `card`.
    fn response_value(&self, i: usize) -> Result<Value, Diagnostic> {
        self.responses[i]
            .value
            .get_or_init(|| {
                let value = Value::from_serializable(self.response(i));
                if !self.templates.tera.contains_template(RESPONSE_CARD) {
                    return Ok(value);
                }
                let card = {
                    let mut context = Context::new();
                    context.insert_value("response", value.clone());
                    self.templates
                        .tera
                        .render(RESPONSE_CARD, &context)
                        .map_err(|e| self.templates.error(self.root, &e, RESPONSE_CARD))?
                };
                // The context is gone, so the map is taken over, not copied.
                let mut map = value.into_map().unwrap_or_default();
                map.insert("card".into(), Value::safe_string(&card));
                Ok(Value::from(map))
            })
            .clone()
    }

    fn response_values(&self, indexes: &[usize]) -> Result<Value, Diagnostic> {
        let values = indexes
            .iter()
            .map(|&i| self.response_value(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::from(values))
    }

    /// Lets go of the template values of quotes and responses once the pages that show them
    /// are rendered: on a large site they are the biggest thing a build holds.
    pub fn release_values(&mut self) {
        self.quotes.iter_mut().for_each(|q| drop(q.value.take()));
        self.responses.iter_mut().for_each(|i| drop(i.value.take()));
    }

    /// The open data files: every quote and response as CSV and JSON. They are made afresh
    /// on each call, not kept: the caller writes them and lets them go.
    pub fn data_files(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let quotes: Vec<(&QuoteView, &str)> = (0..self.site.quotes.len())
            .into_par_iter()
            .map(|i| (self.quote(i), self.quote_text(i)))
            .collect();
        let responses: Vec<(&ResponseView, &str)> = (0..self.site.responses.len())
            .into_par_iter()
            .map(|i| (self.response(i), self.response_text(i)))
            .collect();
        let files =
            data::files(&quotes, &responses, &self.site.config.site.responses).map_err(|e| {
                Diagnostic::error(
                    "data/write",
                    "data/",
                    format!("cannot write the open data files: {e}"),
                )
            })?;
        let sizes = files
            .iter()
            .map(|f| match &f.data {
                FileData::Bytes(bytes) => (f.path.clone(), bytes.len()),
                FileData::Copy(_) => (f.path.clone(), 0),
            })
            .collect();
        // Every call makes the same files, so the first sizes recorded are the sizes.
        let _ = self.data_sizes.set(sizes);
        Ok(files)
    }

    /// The paths and sizes of the open data files.
    fn data_sizes(&self) -> Result<&[(String, usize)], Diagnostic> {
        if self.data_sizes.get().is_none() {
            self.data_files()?;
        }
        Ok(self.data_sizes.get().map_or(&[], Vec::as_slice))
    }

    /// Renders `pages` in parallel and hands each file to `sink` as soon as it is ready,
    /// so that a build writes pages while others render and never holds them all.
    /// Returns how many HTML pages there were, or every error found.
    pub fn render(
        &self,
        pages: &[PageJob],
        sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
    ) -> Result<usize, Diagnostics> {
        let results: Vec<Result<bool, Diagnostic>> = pages
            .par_iter()
            .map(|&page| {
                let file = self.render_page(page)?;
                let html = file.path.ends_with(".html");
                sink(file)?;
                Ok(html)
            })
            .collect();
        let mut diagnostics = Diagnostics::default();
        let mut count = 0;
        for result in results {
            match result {
                Ok(html) => count += usize::from(html),
                Err(d) => {
                    if !diagnostics
                        .items
                        .iter()
                        .any(|seen| seen.to_string() == d.to_string())
                    {
                        diagnostics.push(d);
                    }
                }
            }
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(count)
        }
    }

    /// Renders `pages` into memory, for `check` and `serve`.
    pub fn render_to_memory(&self, pages: &[PageJob]) -> Result<Vec<OutputFile>, Diagnostics> {
        let files = Mutex::new(Vec::with_capacity(pages.len()));
        self.render(pages, &|file| {
            files
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(file);
            Ok(())
        })?;
        Ok(files.into_inner().unwrap_or_else(PoisonError::into_inner))
    }

    fn render_page(&self, page: PageJob) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let job = self.job(page)?;
        let mut context = job.context;
        context.insert("current_url", &site.config.url(&job.path));
        let description = if job.description.is_empty() {
            site.config.site.description.as_str()
        } else {
            job.description.as_str()
        };
        context.insert(
            "meta",
            &MetaView {
                title: &job.title,
                description,
                url: site.config.url(&job.path),
                permalink: site.config.permalink(&job.path),
                og_type: if job.path.is_empty() {
                    "website"
                } else {
                    "article"
                },
            },
        );
        // Room for a typical page from the start, so the buffer is not regrown and copied
        // as Tera writes.
        let mut buffer = Vec::with_capacity(PAGE_BUFFER);
        self.templates
            .tera
            .render_to(&job.template, &context, &mut buffer)
            .map_err(|e| self.templates.error(self.root, &e, &job.template))?;
        if !job.template.ends_with(".html") {
            return Ok(OutputFile {
                path: output_path(&job.path),
                data: FileData::Bytes(buffer),
            });
        }
        let html = String::from_utf8(buffer).map_err(|e| {
            Diagnostic::error(
                "template/encoding",
                job.template.clone(),
                format!("the template wrote text that is not UTF-8: {e}"),
            )
        })?;
        Ok(OutputFile {
            path: output_path(&job.path),
            data: FileData::Bytes(self.glossary.apply(html).into_bytes()),
        })
    }

    /// The searchable items of the site, with plain text taken from their rendered bodies.
    pub fn documents(&self) -> Vec<SearchDocument> {
        let site = self.site;
        let sections = each(&site.sections, |i, section| SearchDocument {
            url: site.config.url(&section.path),
            title: section.doc.meta.title.clone(),
            kind: DocumentKind::Section,
            summary: Some(site.summaries[section.summary].doc.meta.title.clone()),
            speaker: None,
            voice: None,
            themes: names(&term_links(
                site,
                TaxonomyKind::Themes,
                &section.doc.meta.themes,
            )),
            topics: Vec::new(),
            body: prose(&self.bodies.sections[i]).join(" "),
        });
        let quotes = each(&site.quotes, |i, _| {
            let quote = self.quote(i);
            SearchDocument {
                url: quote.url.clone(),
                title: match &quote.speaker {
                    Some(speaker) => format!("Quote from {speaker}"),
                    None => format!("Quote in {}", quote.section.title),
                },
                kind: DocumentKind::Quote,
                summary: Some(quote.summary.title.clone()),
                speaker: quote.speaker.clone(),
                voice: quote.voice.as_ref().map(|v| v.name.clone()),
                themes: names(&quote.themes),
                topics: Vec::new(),
                body: self.quote_text(i).to_string(),
            }
        });
        let responses = each(&site.responses, |i, _| {
            let response = self.response(i);
            SearchDocument {
                url: response.url.clone(),
                title: response.title.clone(),
                kind: DocumentKind::Response,
                summary: site.responses[i]
                    .summary
                    .map(|s| site.summaries[s].doc.meta.title.clone()),
                speaker: response.respondent.clone(),
                voice: None,
                themes: names(&response.themes),
                topics: names(&response.topics),
                body: self.response_text(i).to_string(),
            }
        });
        let pages = each(&site.pages, |i, page| SearchDocument {
            url: site.config.url(&page.path),
            title: page.doc.meta.title.clone(),
            kind: DocumentKind::Page,
            summary: None,
            speaker: None,
            voice: None,
            themes: Vec::new(),
            topics: Vec::new(),
            body: text::html_to_text(&self.bodies.pages[i]),
        });
        let mut documents = sections;
        documents.extend(quotes);
        documents.extend(responses);
        documents.extend(pages);
        documents
    }
}

/// Renders the whole site into memory: every page, the static and data files, and the
/// search documents (not yet indexed).
pub fn render(root: &Path, site: &Site) -> Result<RenderedSite, Diagnostics> {
    let (bodies, warnings) = bodies(site, None)?;
    let renderer = Renderer::new(root, site, &bodies)?;
    let data_files = renderer.data_files()?;
    let mut files = renderer.render_to_memory(renderer.pages())?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    files.extend_from_slice(renderer.static_files());
    files.extend(data_files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(RenderedSite {
        files,
        pages,
        documents: renderer.documents(),
        warnings,
    })
}

fn site_view(site: &Site, assets: BTreeMap<String, String>) -> SiteView {
    let config = &site.config;
    let taxonomies = &config.site.taxonomies;
    let responses = &config.site.responses;
    SiteView {
        title: config.site.title.clone(),
        description: config.site.description.clone(),
        language: config.site.language.clone(),
        base_url: config.permalink(""),
        home_url: config.url(""),
        author: config.site.author.clone(),
        publisher: config.site.publisher.clone(),
        summaries: (0..site.summaries.len())
            .map(|i| summary_link(site, i))
            .collect(),
        themes_url: config.url("themes/"),
        voices_url: config.url("voices/"),
        topics_url: config.url("topics/"),
        responses: ResponsesView {
            name: responses.name.clone(),
            singular: responses.singular.clone(),
            call: responses.call.clone(),
            url: config.url(&responses.list_path()),
            json_url: config.url(&data::json_path(responses)),
        },
        news_url: config.url("news/"),
        search_url: config.url("search/"),
        feed_url: config.url("atom.xml"),
        search_enabled: config.site.search.enabled,
        taxonomies: TaxonomyNames {
            themes: taxonomies.themes.name.clone(),
            voices: taxonomies.voices.name.clone(),
            topics: taxonomies.topics.name.clone(),
        },
        assets,
    }
}

fn taxonomy_view(site: &Site, kind: TaxonomyKind) -> TaxonomyView {
    let settings = kind.settings(&site.config);
    let taxonomy = site.taxonomy(kind);
    TaxonomyView {
        key: kind.key(),
        name: settings.name.clone(),
        singular: settings.singular.clone(),
        url: site.config.url(&taxonomy.path),
        terms: {
            let mut terms: Vec<TermLink> = taxonomy
                .terms
                .iter()
                .filter(|t| t.count() > 0 || !t.summaries.is_empty())
                .map(|t| TermLink::new(site, t))
                .collect();
            terms.sort_by_cached_key(|t| t.name.to_lowercase());
            terms
        },
    }
}

fn names(links: &[TermLink]) -> Vec<String> {
    links.iter().map(|l| l.name.clone()).collect()
}

/// The theme's and the site's static files, and the content folder's non-Markdown files.
/// Theme CSS and JavaScript get a content hash in their name so hosts can cache them
/// forever; the first element is the name templates use to find them.
fn static_files(
    root: &Path,
    site: &Site,
) -> Result<Vec<(Option<String>, OutputFile)>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    let theme_static = theme_dir(root, &site.config.site.theme).join("static");
    for (dir, fingerprint) in [(theme_static, true), (root.join("static"), false)] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(
                        "io/walk",
                        display_path(root, &dir),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            let name = display_path(&dir, entry.path());
            let hashed = fingerprint && (name.ends_with(".css") || name.ends_with(".js"));
            let path = if hashed {
                match std::fs::read(entry.path()) {
                    Ok(bytes) => fingerprinted(&name, &bytes),
                    Err(e) => {
                        diagnostics.push(Diagnostic::error(
                            "io/unreadable",
                            display_path(root, entry.path()),
                            e.to_string(),
                        ));
                        continue;
                    }
                }
            } else {
                name.clone()
            };
            let key = name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
            files.retain(|(_, f): &(Option<String>, OutputFile)| f.path != path);
            files.push((
                Some(key),
                OutputFile {
                    path,
                    data: FileData::Copy(entry.path().to_path_buf()),
                },
            ));
        }
    }
    for (from, relative) in &site.assets {
        files.push((
            None,
            OutputFile {
                path: relative.clone(),
                data: FileData::Copy(from.clone()),
            },
        ));
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(files)
    }
}

/// `style.css` → `style.1a2b3c4d5e6f7a8b.css`, from the bytes' hash.
fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let hash = format!("{:016x}", hasher.finish());
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..12]),
        None => format!("{name}.{}", &hash[..12]),
    }
}

#[cfg(test)]
mod tests {
    use super::teaser;

    #[test]
    fn teasers_join_words_with_single_spaces_and_cut_long_text_at_a_word() {
        assert_eq!(teaser("  one\n two\tthree ", 20), "one two three");
        assert_eq!(teaser("one two three", 13), "one two three");
        assert_eq!(teaser("one two, three four", 12), "one two…");
        assert_eq!(teaser("abcdefghijkl", 5), "abcde…");
    }
}
