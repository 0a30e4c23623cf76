//! RENDER: Markdown to HTML, then every page through its Tera template → [`RenderedSite`].
//!
//! Each Markdown body is rendered once, in parallel; the views that templates see are
//! built from those results; then every page is rendered in parallel. Nothing here
//! writes to disk: the write stage (or `serve`) decides where the files go.

pub mod data;
mod glossary;
pub mod markdown;
mod templates;
pub mod text;
pub mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::resolve::{PageKind, Site};
use crate::vocabulary::TaxonomyKind;
use markdown::{Body, BodyPart, Links};
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
    Idea,
    Page,
}

/// One searchable item: a section (its own prose, without the quotes placed in it), a
/// quote, an idea or a page, with the plain text of its rendered body.
#[derive(Debug, Clone, Serialize)]
pub struct SearchDocument {
    pub url: String,
    pub title: String,
    pub kind: DocumentKind,
    /// The title of the summary it belongs to.
    pub summary: Option<String>,
    /// The speaker of a quote or the respondent of an idea, as published.
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
        template: &str,
        path: &str,
        title: impl Into<String>,
        description: impl Into<String>,
        context: Context,
    ) -> Job {
        Job {
            template: template.to_string(),
            path: path.to_string(),
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
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(head, _)| head)
        .trim_end_matches([',', ';', ':', '.']);
    format!("{cut}…")
}

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

/// Every body rendered once.
struct Bodies {
    summaries: Vec<String>,
    sections: Vec<Vec<BodyPart>>,
    quotes: Vec<String>,
    ideas: Vec<String>,
    pages: Vec<String>,
}

fn render_bodies(site: &Site) -> (Bodies, Vec<Diagnostic>) {
    let links = Links {
        config: &site.config,
        targets: &site.link_targets,
    };
    let html = |source, offset, verbatim| {
        markdown::render_html(
            &Body {
                source,
                offset,
                verbatim,
            },
            &links,
        )
    };
    let summaries: Vec<_> = site
        .summaries
        .par_iter()
        .map(|s| html(&s.doc.source, s.doc.body_offset, false))
        .collect();
    let sections: Vec<_> = site
        .sections
        .par_iter()
        .map(|s| {
            markdown::render(
                &Body {
                    source: &s.doc.source,
                    offset: s.doc.body_offset,
                    verbatim: false,
                },
                &s.placements,
                &links,
            )
        })
        .collect();
    let quotes: Vec<_> = site
        .quotes
        .par_iter()
        .map(|q| html(&q.doc.source, q.doc.body_offset, true))
        .collect();
    let ideas: Vec<_> = site
        .ideas
        .par_iter()
        .map(|i| html(&i.doc.source, i.doc.body_offset, true))
        .collect();
    let pages: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| html(&p.doc.source, p.doc.body_offset, false))
        .collect();
    let mut diagnostics = Vec::new();
    let mut take = |list: Vec<(String, Vec<Diagnostic>)>| -> Vec<String> {
        list.into_iter()
            .map(|(html, d)| {
                diagnostics.extend(d);
                html
            })
            .collect()
    };
    let summaries = take(summaries);
    let quotes = take(quotes);
    let ideas = take(ideas);
    let pages = take(pages);
    let sections = sections
        .into_iter()
        .map(|(parts, d)| {
            diagnostics.extend(d);
            parts
        })
        .collect();
    (
        Bodies {
            summaries,
            sections,
            quotes,
            ideas,
            pages,
        },
        diagnostics,
    )
}

/// Quote and idea views converted to template values once: a value is shared (not
/// copied) by every page that shows the quote or idea.
struct Values {
    quotes: Vec<Value>,
    ideas: Vec<Value>,
}

impl Values {
    fn ideas(&self, indexes: &[usize]) -> Value {
        Value::from(
            indexes
                .iter()
                .map(|&i| self.ideas[i].clone())
                .collect::<Vec<_>>(),
        )
    }
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
struct SectionCard {
    title: String,
    url: String,
    summary: Link,
}

#[derive(Serialize)]
struct TaxonomyView {
    key: &'static str,
    name: String,
    singular: String,
    url: String,
    terms: Vec<TermLink>,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    date: String,
    summary: String,
}

/// Renders the whole site into memory.
pub fn render(root: &Path, site: &Site) -> Result<RenderedSite, Diagnostics> {
    let mut templates = templates::load(root, &site.config.site.theme)?;
    check_page_templates(site, &templates)?;
    let (bodies, body_diagnostics) = render_bodies(site);
    if body_diagnostics.iter().any(Diagnostic::is_error) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(body_diagnostics);
        return Err(diagnostics);
    }
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

    let quote_views: Vec<QuoteView> = (0..site.quotes.len())
        .into_par_iter()
        .map(|i| QuoteView::new(site, i, &bodies.quotes[i]))
        .collect();
    let idea_views: Vec<IdeaView> = (0..site.ideas.len())
        .into_par_iter()
        .map(|i| IdeaView::new(site, i, &bodies.ideas[i]))
        .collect();
    let data_files = data::files(&quote_views, &idea_views).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            "data/write",
            "data/",
            format!("cannot write the open data files: {e}"),
        ))
    })?;
    let values = Values {
        quotes: quote_views
            .par_iter()
            .map(Value::from_serializable)
            .collect(),
        ideas: idea_views
            .par_iter()
            .map(Value::from_serializable)
            .collect(),
    };
    let jobs = jobs(
        site,
        &bodies,
        &values,
        &quote_views,
        &idea_views,
        &data_files,
    );
    let glossary = glossary::Glossary::new(&site.vocabularies.glossary);

    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut context = job.context.clone();
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
            templates
                .tera
                .render(&job.template, &context)
                .map(|html| {
                    let html = if job.template.ends_with(".html") {
                        glossary.apply(&html)
                    } else {
                        html
                    };
                    OutputFile {
                        path: output_path(&job.path),
                        data: FileData::Bytes(html.into_bytes()),
                    }
                })
                .map_err(|e| templates.error(root, &e, &job.template))
        })
        .collect();
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::with_capacity(rendered.len() + static_files.len());
    for result in rendered {
        match result {
            Ok(file) => files.push(file),
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
        return Err(diagnostics);
    }
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    files.extend(static_files.into_iter().map(|(_, f)| f));
    files.extend(data_files);
    let mut warnings = Diagnostics::default();
    warnings.extend(body_diagnostics);
    let documents = search_documents(site, &bodies, &quote_views, &idea_views);
    Ok(RenderedSite {
        files,
        pages,
        documents,
        warnings,
    })
}

fn site_view(site: &Site, assets: BTreeMap<String, String>) -> SiteView {
    let config = &site.config;
    let taxonomies = &config.site.taxonomies;
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
        ideas_url: config.url("ideas/"),
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

/// The chart on a taxonomy's index page: ideas per topic, quotes per voice, items per theme.
fn taxonomy_chart(site: &Site, kind: TaxonomyKind) -> BarChart {
    let settings = kind.settings(&site.config);
    let (title, value_header) = match kind {
        TaxonomyKind::Topics => (
            format!("Ideas per {}", settings.singular.to_lowercase()),
            "Ideas",
        ),
        TaxonomyKind::Voices => (
            format!("Quotes per {}", settings.singular.to_lowercase()),
            "Quotes",
        ),
        TaxonomyKind::Themes => (
            format!(
                "Sections, quotes and ideas per {}",
                settings.singular.to_lowercase()
            ),
            "Items",
        ),
    };
    let items = site
        .taxonomy(kind)
        .terms
        .iter()
        .filter(|t| t.count() > 0)
        .map(|t| (t.term.name.clone(), t.count(), site.config.url(&t.path)))
        .collect();
    BarChart::new(
        kind.key(),
        &title,
        (&settings.singular, value_header),
        items,
    )
}

/// A Tera context from `"key" => value` pairs.
macro_rules! context {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut context = Context::new();
        $(context.insert($key, $value);)*
        context
    }};
}

/// Every page of the site with its template and context.
fn jobs(
    site: &Site,
    bodies: &Bodies,
    values: &Values,
    quotes: &[QuoteView],
    ideas: &[IdeaView],
    data_files: &[OutputFile],
) -> Vec<Job> {
    let mut jobs = Vec::new();
    let page_size = site.config.site.page_size;
    let summaries: Vec<SummaryView> = (0..site.summaries.len())
        .map(|i| SummaryView::new(site, i))
        .collect();
    let news: Vec<PageView> = site
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

    for (i, page) in site.pages.iter().enumerate() {
        let view = PageView::new(site, page, &bodies.pages[i]);
        let (default_template, extra) = match page.kind {
            PageKind::Home => (
                "index.html",
                context![
                    "summaries" => &summaries,
                    "themes" => &taxonomy_view(site, TaxonomyKind::Themes),
                    "voices" => &taxonomy_view(site, TaxonomyKind::Voices),
                    "news" => &news.iter().take(3).collect::<Vec<_>>(),
                ],
            ),
            PageKind::News => ("news_item.html", Context::new()),
            PageKind::Other => ("page.html", Context::new()),
        };
        let mut context = extra;
        context.insert("page", &view);
        let template = page
            .doc
            .meta
            .template
            .clone()
            .unwrap_or_else(|| default_template.to_string());
        let description = view
            .description
            .clone()
            .unwrap_or_else(|| teaser(&text::html_to_text(&view.html), 160));
        jobs.push(Job::new(
            &template,
            &page.path,
            &view.title,
            description,
            context,
        ));
    }
    jobs.push(Job::new(
        "news.html",
        "news/",
        "News",
        format!("News from {}", site.config.site.title),
        context!["news" => &news],
    ));

    for (i, summary) in site.summaries.iter().enumerate() {
        let view = &summaries[i];
        jobs.push(Job::new(
            "summary.html",
            &summary.path,
            &view.title,
            &view.lede,
            context!["summary" => view, "html" => &bodies.summaries[i]],
        ));
    }

    for (i, section) in site.sections.iter().enumerate() {
        let parts: Vec<Value> = bodies.sections[i]
            .iter()
            .map(|part| match part {
                BodyPart::Html(html) => map(vec![("html", Value::safe_string(html))]),
                BodyPart::Quote(q) => map(vec![("quote", values.quotes[*q].clone())]),
            })
            .collect();
        let meta = &section.doc.meta;
        let prose: Vec<String> = bodies.sections[i]
            .iter()
            .filter_map(|part| match part {
                BodyPart::Html(html) => Some(text::html_to_text(html)),
                BodyPart::Quote(_) => None,
            })
            .collect();
        let description = match teaser(&prose.join(" "), 160) {
            t if t.is_empty() => summaries[section.summary].lede.clone(),
            t => t,
        };
        jobs.push(Job {
            template: "section.html".into(),
            path: section.path.clone(),
            title: meta.title.clone(),
            description,
            context: {
                let mut context = context!["summary" => &summaries[section.summary]];
                context.insert_value(
                    "section",
                    map(vec![
                        ("title", Value::from(meta.title.as_str())),
                        ("url", Value::from(site.config.url(&section.path))),
                        (
                            "themes",
                            Value::from_serializable(&term_links(
                                site,
                                TaxonomyKind::Themes,
                                &meta.themes,
                            )),
                        ),
                        ("content_note", Value::from_serializable(&meta.content_note)),
                        (
                            "updated",
                            Value::from_serializable(&meta.updated.map(DateView::from)),
                        ),
                        ("parts", Value::from(parts)),
                        (
                            "prev",
                            Value::from_serializable(&section.prev.map(|p| section_link(site, p))),
                        ),
                        (
                            "next",
                            Value::from_serializable(&section.next.map(|n| section_link(site, n))),
                        ),
                    ]),
                );
                context
            },
        });
    }

    for (i, quote) in site.quotes.iter().enumerate() {
        let view = &quotes[i];
        let words = teaser(&text::html_to_text(&view.html), 140);
        let description = match &view.speaker {
            Some(speaker) => format!("“{words}” – {speaker}, in {}", view.summary.title),
            None => format!("“{words}” – in {}", view.summary.title),
        };
        let title = format!("Quote from {}", view.summary.title);
        let mut context = Context::new();
        context.insert_value("quote", values.quotes[i].clone());
        jobs.push(Job::new(
            "quote.html",
            &quote.path,
            title,
            description,
            context,
        ));
    }
    for (i, idea) in site.ideas.iter().enumerate() {
        let view = &ideas[i];
        let description = teaser(&text::html_to_text(&view.html), 160);
        let mut context = Context::new();
        context.insert_value("idea", values.ideas[i].clone());
        jobs.push(Job::new(
            "idea.html",
            &idea.path,
            &view.title,
            description,
            context,
        ));
    }

    let all_ideas: Vec<usize> = (0..site.ideas.len()).collect();
    let topics = taxonomy_view(site, TaxonomyKind::Topics);
    let ideas_description = format!(
        "{} ideas submitted to the Call for Ideas, browsable by topic.",
        ideas.len()
    );
    paginate(
        site,
        "ideas/",
        &all_ideas,
        page_size,
        |paginator, chunk| {
            let mut context = context!["topics" => &topics, "paginator" => paginator];
            context.insert_value("ideas", values.ideas(chunk));
            Job::new(
                "ideas.html",
                &page_path("ideas/", paginator.current),
                "Ideas",
                &ideas_description,
                context,
            )
        },
        &mut jobs,
    );

    for kind in TaxonomyKind::ALL {
        let view = taxonomy_view(site, kind);
        let taxonomy = site.taxonomy(kind);
        let chart = taxonomy_chart(site, kind);
        let description = format!(
            "{} of {}, with how many items each covers.",
            view.name, site.config.site.title
        );
        jobs.push(Job::new(
            "taxonomy.html",
            &taxonomy.path,
            &view.name,
            description,
            context!["taxonomy" => &view, "chart" => &chart],
        ));
        for term in &taxonomy.terms {
            if term.count() == 0 && term.summaries.is_empty() {
                continue;
            }
            let link = TermLink::new(site, term);
            let sections: Vec<SectionCard> = term
                .sections
                .iter()
                .map(|&s| SectionCard {
                    title: site.sections[s].doc.meta.title.clone(),
                    url: site.config.url(&site.sections[s].path),
                    summary: summary_link(site, site.sections[s].summary),
                })
                .collect();
            let mut grouped: Vec<(usize, Vec<Value>)> = Vec::new();
            for &q in &term.quotes {
                let summary = site.quotes[q].summary;
                match grouped.last_mut() {
                    Some((s, quotes)) if *s == summary => quotes.push(values.quotes[q].clone()),
                    _ => grouped.push((summary, vec![values.quotes[q].clone()])),
                }
            }
            let groups = Value::from(
                grouped
                    .into_iter()
                    .map(|(s, quotes)| {
                        map(vec![
                            ("summary", Value::from_serializable(&summary_link(site, s))),
                            ("quotes", Value::from(quotes)),
                        ])
                    })
                    .collect::<Vec<_>>(),
            );
            let description = term.term.description.clone();
            let counts = [
                (term.sections.len(), "section"),
                (term.quotes.len(), "quote"),
                (term.ideas.len(), "idea"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", ");
            let meta_description = description
                .clone()
                .unwrap_or_else(|| format!("{}: {counts}.", term.term.name));
            paginate(
                site,
                &term.path,
                &term.ideas,
                page_size,
                |paginator, chunk| {
                    let first = paginator.current == 1;
                    Job {
                        template: "term.html".into(),
                        path: page_path(&term.path, paginator.current),
                        title: term.term.name.clone(),
                        description: meta_description.clone(),
                        context: {
                            let mut context = context![
                                "taxonomy" => &view,
                                "term" => &link,
                                "description" => &description,
                                "summaries" => &term.summaries.iter().map(|&s| summary_link(site, s)).collect::<Vec<_>>(),
                                "sections" => if first { sections.as_slice() } else { &[] },
                                "quote_count" => &term.quotes.len(),
                                "section_count" => &term.sections.len(),
                                "idea_count" => &term.ideas.len(),
                                "paginator" => paginator,
                            ];
                            context.insert_value(
                                "quote_groups",
                                if first {
                                    groups.clone()
                                } else {
                                    Value::from(Vec::<Value>::new())
                                },
                            );
                            context.insert_value("ideas", values.ideas(chunk));
                            context
                        },
                    }
                },
                &mut jobs,
            );
        }
    }

    let sitemap: Vec<SitemapEntry> = jobs
        .iter()
        .map(|job| SitemapEntry {
            url: site.config.permalink(&job.path),
            lastmod: None,
        })
        .collect();
    let mut feed: Vec<FeedEntry> = site
        .summaries
        .iter()
        .map(|s| FeedEntry {
            title: s.doc.meta.title.clone(),
            url: site.config.permalink(&s.path),
            date: s.doc.meta.published.to_string(),
            summary: s.doc.meta.lede.clone(),
        })
        .chain(news.iter().map(|n| FeedEntry {
            title: n.title.clone(),
            url: format!("{}{}", site.config.origin, n.url),
            date: n.date.as_ref().map(|d| d.iso.clone()).unwrap_or_default(),
            summary: n.description.clone().unwrap_or_default(),
        }))
        .collect();
    feed.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    let updated = feed
        .first()
        .map(|e| e.date.clone())
        .unwrap_or_else(|| "1970-01-01".into());
    let downloads: Vec<DownloadView> = data_files
        .iter()
        .map(|file| DownloadView {
            url: site.config.url(&file.path),
            name: file
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&file.path)
                .to_string(),
            format: if file.path.ends_with(".csv") {
                "CSV"
            } else {
                "JSON"
            },
            size: match &file.data {
                FileData::Bytes(bytes) => human_size(bytes.len()),
                FileData::Copy(_) => String::new(),
            },
        })
        .collect();
    jobs.push(Job::new(
        "data.html",
        "data/",
        "Download the data",
        "Every quote and idea on this site as CSV and JSON files, with their columns explained.",
        context![
            "downloads" => &downloads,
            "quote_columns" => &data::QUOTE_COLUMNS,
            "idea_columns" => &data::IDEA_COLUMNS,
            "quote_count" => &quotes.len(),
            "idea_count" => &ideas.len(),
        ],
    ));
    jobs.push(Job::new(
        "search.html",
        "search/",
        "Search",
        format!("Search {}", site.config.site.title),
        Context::new(),
    ));
    jobs.push(Job::new(
        "404.html",
        "404.html",
        "Page not found",
        "",
        Context::new(),
    ));
    for (alias, target) in &site.aliases {
        let context = context!["target_url" => &site.config.url(target), "target_permalink" => &site.config.permalink(target)];
        jobs.push(Job::new(
            "redirect.html",
            alias,
            "This page has moved",
            "",
            context,
        ));
    }
    jobs.push(Job::new(
        "sitemap.xml",
        "sitemap.xml",
        "",
        "",
        context!["entries" => &sitemap],
    ));
    jobs.push(Job::new(
        "atom.xml",
        "atom.xml",
        "",
        "",
        context!["entries" => &feed, "updated" => &updated],
    ));
    jobs.push(Job::new(
        "robots.txt",
        "robots.txt",
        "",
        "",
        context!["sitemap_url" => &site.config.permalink("sitemap.xml")],
    ));
    jobs
}

/// A data file offered for download.
#[derive(Serialize)]
struct DownloadView {
    url: String,
    name: String,
    format: &'static str,
    size: String,
}

/// A file size for people: "840 bytes", "12.3 KB", "1.4 MB".
fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1000.0),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
}

fn names(links: &[TermLink]) -> Vec<String> {
    links.iter().map(|l| l.name.clone()).collect()
}

/// The searchable items of the site, with plain text taken from their rendered bodies.
fn search_documents(
    site: &Site,
    bodies: &Bodies,
    quotes: &[QuoteView],
    ideas: &[IdeaView],
) -> Vec<SearchDocument> {
    let mut documents =
        Vec::with_capacity(site.sections.len() + quotes.len() + ideas.len() + site.pages.len());
    for (i, section) in site.sections.iter().enumerate() {
        let body: Vec<String> = bodies.sections[i]
            .iter()
            .filter_map(|part| match part {
                BodyPart::Html(html) => Some(text::html_to_text(html)),
                BodyPart::Quote(_) => None,
            })
            .collect();
        documents.push(SearchDocument {
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
            body: body.join(" "),
        });
    }
    for quote in quotes {
        documents.push(SearchDocument {
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
            body: text::html_to_text(&quote.html),
        });
    }
    let call_for_ideas = site
        .summaries
        .iter()
        .find(|s| s.slug == "call-for-ideas")
        .map(|s| s.doc.meta.title.clone());
    for idea in ideas {
        documents.push(SearchDocument {
            url: idea.url.clone(),
            title: idea.title.clone(),
            kind: DocumentKind::Idea,
            summary: call_for_ideas.clone(),
            speaker: idea.respondent.clone(),
            voice: None,
            themes: names(&idea.themes),
            topics: names(&idea.topics),
            body: text::html_to_text(&idea.html),
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        documents.push(SearchDocument {
            url: site.config.url(&page.path),
            title: page.doc.meta.title.clone(),
            kind: DocumentKind::Page,
            summary: None,
            speaker: None,
            voice: None,
            themes: Vec::new(),
            topics: Vec::new(),
            body: text::html_to_text(&bodies.pages[i]),
        });
    }
    documents
}

/// Splits `items` into pages of `size` and adds one job per page (at least one page).
fn paginate(
    site: &Site,
    path: &str,
    items: &[usize],
    size: usize,
    mut job: impl FnMut(&Paginator, &[usize]) -> Job,
    jobs: &mut Vec<Job>,
) {
    let total = items.len().div_ceil(size).max(1);
    for n in 1..=total {
        let chunk = items
            .get((n - 1) * size..(n * size).min(items.len()))
            .unwrap_or(&[]);
        let paginator = Paginator::new(site, path, n, total, size, items.len());
        jobs.push(job(&paginator, chunk));
    }
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
