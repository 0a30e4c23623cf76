//! The pages of the site: what each one is ([`PageJob`]), where it goes, and what its
//! template sees.
//!
//! A page's template context is built only when the page is rendered. A full build thus
//! builds contexts on every core, and `serve` can render just the few pages an edit
//! touches without building the thousands of contexts it does not need.

use serde::Serialize;
use tera::{Context, Value};

use super::views::*;
use super::{Job, Renderer, data, map, teaser};
use crate::diagnostics::Diagnostic;
use crate::resolve::{ItemKind, ItemRef, PageKind, Site, TaxonomyTerm};
use crate::vocabulary::TaxonomyKind;

/// One page of the site, named by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageJob {
    /// A free-standing page (home, news item, accessibility statement), by its index in
    /// [`Site::pages`].
    Page(usize),
    /// The list of news items.
    News,
    Summary(usize),
    Section(usize),
    Quote(usize),
    Response(usize),
    /// Page `n` (from 1) of the list of every response.
    Responses(usize),
    /// A taxonomy's own page: its terms and its chart.
    Taxonomy(TaxonomyKind),
    /// Page `n` (from 1) of a term, by the term's index in its taxonomy.
    Term(TaxonomyKind, usize, usize),
    /// The page that offers the open data files.
    Data,
    Search,
    NotFound,
    /// A redirect from an old path, by its index in [`Site::aliases`].
    Alias(usize),
    Sitemap,
    Atom,
    /// Every change note of the site, newest first, and its feed.
    Updates,
    UpdatesFeed,
    Robots,
}

impl PageJob {
    /// Every page of `site`, in sitemap order.
    pub fn all(site: &Site) -> Vec<PageJob> {
        let size = site.config.site.page_size;
        let mut pages: Vec<PageJob> = (0..site.pages.len()).map(PageJob::Page).collect();
        pages.push(PageJob::News);
        pages.extend((0..site.summaries.len()).map(PageJob::Summary));
        pages.extend((0..site.sections.len()).map(PageJob::Section));
        pages.extend((0..site.quotes.len()).map(PageJob::Quote));
        pages.extend((0..site.responses.len()).map(PageJob::Response));
        pages.extend((1..=page_count(site.responses.len(), size)).map(PageJob::Responses));
        for kind in TaxonomyKind::ALL {
            pages.push(PageJob::Taxonomy(kind));
            pages.extend(PageJob::terms(site, kind));
        }
        pages.extend([
            PageJob::Data,
            PageJob::Search,
            PageJob::Updates,
            PageJob::NotFound,
        ]);
        pages.extend((0..site.aliases.len()).map(PageJob::Alias));
        pages.extend([
            PageJob::Sitemap,
            PageJob::Atom,
            PageJob::UpdatesFeed,
            PageJob::Robots,
        ]);
        pages
    }

    /// Every page of every term of taxonomy `kind`: a term with a page has one for each
    /// `page_size` of its responses.
    pub fn terms(site: &Site, kind: TaxonomyKind) -> impl Iterator<Item = PageJob> + '_ {
        (0..site.taxonomy(kind).terms.len()).flat_map(move |t| PageJob::term(site, kind, t))
    }

    /// Every page of term `t` of taxonomy `kind`: none when it has no page.
    pub fn term(site: &Site, kind: TaxonomyKind, t: usize) -> impl Iterator<Item = PageJob> {
        let term = &site.taxonomy(kind).terms[t];
        let count = if has_page(term) {
            page_count(term.responses.len(), site.config.site.page_size)
        } else {
            0
        };
        (1..=count).map(move |n| PageJob::Term(kind, t, n))
    }

    /// The page's site-relative path, e.g. `themes/kinship-care/page/2/`.
    pub fn path(self, site: &Site) -> String {
        match self {
            PageJob::Page(i) => site.pages[i].path.clone(),
            PageJob::News => "news/".into(),
            PageJob::Summary(i) => site.summaries[i].path.clone(),
            PageJob::Section(i) => site.sections[i].path.clone(),
            PageJob::Quote(i) => site.quotes[i].path.clone(),
            PageJob::Response(i) => site.responses[i].path.clone(),
            PageJob::Responses(n) => page_path(&site.config.site.responses.list_path(), n),
            PageJob::Taxonomy(kind) => site.taxonomy(kind).path.clone(),
            PageJob::Term(kind, t, n) => page_path(&site.taxonomy(kind).terms[t].path, n),
            PageJob::Data => "data/".into(),
            PageJob::Search => "search/".into(),
            PageJob::NotFound => "404.html".into(),
            PageJob::Alias(i) => site.aliases[i].0.clone(),
            PageJob::Sitemap => "sitemap.xml".into(),
            PageJob::Atom => "atom.xml".into(),
            PageJob::Updates => "updates/".into(),
            PageJob::UpdatesFeed => "updates/atom.xml".into(),
            PageJob::Robots => "robots.txt".into(),
        }
    }

    /// Whether the page is an HTML page (not the sitemap, the feed or robots.txt).
    pub fn is_html(self) -> bool {
        !matches!(
            self,
            PageJob::Sitemap | PageJob::Atom | PageJob::UpdatesFeed | PageJob::Robots
        )
    }

    /// Whether the sitemap lists the page: every page with content of its own.
    fn in_sitemap(self) -> bool {
        !matches!(
            self,
            PageJob::Data
                | PageJob::Search
                | PageJob::NotFound
                | PageJob::Alias(_)
                | PageJob::Sitemap
                | PageJob::Atom
                | PageJob::UpdatesFeed
                | PageJob::Robots
        )
    }
}

/// A term has a page when something is tagged with it or a summary names it.
pub fn has_page(term: &TaxonomyTerm) -> bool {
    term.count() > 0 || !term.summaries.is_empty()
}

/// How many pages a list of `items` takes at `size` a page: at least one.
pub fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size).max(1)
}

/// The items on page `n` (from 1) of `items`.
fn chunk(items: &[usize], n: usize, size: usize) -> &[usize] {
    items
        .get((n - 1) * size..(n * size).min(items.len()))
        .unwrap_or(&[])
}

/// A Tera context from `"key" => value` pairs.
macro_rules! context {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut context = Context::new();
        $(context.insert($key, $value);)*
        context
    }};
}

#[derive(Serialize)]
struct SectionCard {
    title: String,
    url: String,
    summary: Link,
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

impl Renderer<'_> {
    /// The template, path, title, description and context of `page`.
    pub(super) fn job(&self, page: PageJob) -> Result<Job, Diagnostic> {
        let site = self.site;
        let path = page.path(site);
        Ok(match page {
            PageJob::Page(i) => self.page_job(i, path),
            PageJob::News => Job::new(
                "news.html",
                path,
                "News",
                format!("News from {}", site.config.site.title),
                context!["news" => &self.news],
            ),
            PageJob::Summary(i) => {
                let view = &self.summaries[i];
                Job::new(
                    "summary.html",
                    path,
                    &view.title,
                    &view.lede,
                    context!["summary" => view, "html" => &self.bodies.summaries[i].html],
                )
            }
            PageJob::Section(i) => self.section_job(i, path),
            PageJob::Quote(i) => self.quote_job(i, path),
            PageJob::Response(i) => {
                let view = self.response(i);
                let description = teaser(self.response_text(i), 160);
                let summary = site.responses[i].summary.map(|s| summary_link(site, s));
                let mut context = context!["summary" => &summary];
                context.insert_value("response", self.response_value(i)?);
                Job::new("response.html", path, &view.title, description, context)
            }
            PageJob::Responses(n) => self.responses_job(n, path)?,
            PageJob::Taxonomy(kind) => {
                let view = &self.taxonomies[kind as usize];
                let chart = taxonomy_chart(site, kind);
                Job::new(
                    "taxonomy.html",
                    path,
                    &view.name,
                    format!(
                        "{} of {}, with how many items each covers.",
                        view.name, site.config.site.title
                    ),
                    context!["taxonomy" => view, "chart" => &chart],
                )
            }
            PageJob::Term(kind, t, n) => self.term_job(kind, t, n, path)?,
            PageJob::Data => self.data_job(path)?,
            PageJob::Search => Job::new(
                "search.html",
                path,
                "Search",
                format!("Search {}", site.config.site.title),
                context!["taxonomies" => &self.taxonomies],
            ),
            PageJob::NotFound => Job::new("404.html", path, "Page not found", "", Context::new()),
            PageJob::Alias(i) => self.alias_job(i, path),
            PageJob::Sitemap => self.sitemap_job(path),
            PageJob::Atom => self.feed_job(path),
            PageJob::Updates => {
                let updates = updates(site);
                Job::new(
                    "updates.html",
                    path,
                    "Updates",
                    format!(
                        "Every correction made to {} since it was published, newest first.",
                        site.config.site.title
                    ),
                    context!["updates" => &updates],
                )
            }
            PageJob::UpdatesFeed => {
                let updates = updates(site);
                let updated = updates
                    .first()
                    .map_or_else(|| "1970-01-01".to_string(), |u| u.date.iso.clone());
                Job::new(
                    "updates.xml",
                    path,
                    "",
                    "",
                    context!["updates" => &updates, "updated" => &updated],
                )
            }
            PageJob::Robots => Job::new(
                "robots.txt",
                path,
                "",
                "",
                context!["sitemap_url" => &site.config.permalink("sitemap.xml")],
            ),
        })
    }

    fn quote_job(&self, i: usize, path: String) -> Job {
        let view = self.quote(i);
        let words = teaser(self.quote_text(i), 140);
        let description = match &view.speaker {
            Some(speaker) => format!("“{words}” – {speaker}, in {}", view.summary.title),
            None => format!("“{words}” – in {}", view.summary.title),
        };
        let mut context = Context::new();
        context.insert_value("quote", self.quote_value(i));
        Job::new(
            "quote.html",
            path,
            format!("Quote from {}", view.summary.title),
            description,
            context,
        )
    }

    /// The page at an old address, which sends readers on to the new one.
    fn alias_job(&self, i: usize, path: String) -> Job {
        let site = self.site;
        let target = &site.aliases[i].1;
        Job::new(
            "redirect.html",
            path,
            "This page has moved",
            "",
            context![
                "target_url" => &site.config.url(target),
                "target_permalink" => &site.config.permalink(target),
            ],
        )
    }

    fn sitemap_job(&self, path: String) -> Job {
        let site = self.site;
        let entries: Vec<SitemapEntry> = self
            .pages
            .iter()
            .filter(|p| p.in_sitemap())
            .map(|p| SitemapEntry {
                url: site.config.permalink(&p.path(site)),
                lastmod: None,
            })
            .collect();
        Job::new("sitemap.xml", path, "", "", context!["entries" => &entries])
    }

    fn page_job(&self, i: usize, path: String) -> Job {
        let site = self.site;
        let page = &site.pages[i];
        let body = &self.bodies.pages[i];
        let view = PageView::new(site, page, &body.html);
        let (default_template, mut context) = match page.kind {
            PageKind::Home => (
                "index.html",
                context![
                    "summaries" => &self.summaries,
                    "themes" => &self.taxonomies[TaxonomyKind::Themes as usize],
                    "voices" => &self.taxonomies[TaxonomyKind::Voices as usize],
                    "news" => &self.news.iter().take(3).collect::<Vec<_>>(),
                ],
            ),
            PageKind::News => ("news_item.html", Context::new()),
            PageKind::Other => ("page.html", Context::new()),
        };
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
            .unwrap_or_else(|| teaser(&body.text, 160));
        Job::new(template, path, &view.title, description, context)
    }

    fn section_job(&self, i: usize, path: String) -> Job {
        let site = self.site;
        let section = &site.sections[i];
        let body = &self.bodies.sections[i];
        let parts: Vec<Value> = body
            .parts
            .iter()
            .map(|part| match part {
                super::BodyPart::Html(html) => map(vec![("html", Value::safe_string(html))]),
                super::BodyPart::Quote(q) => map(vec![("quote", self.quote_value(*q))]),
            })
            .collect();
        let meta = &section.doc.meta;
        let description = match teaser(&body.text, 160) {
            t if t.is_empty() => self.summaries[section.summary].lede.clone(),
            t => t,
        };
        let (updated, changes) = history(meta);
        let mut context = context!["summary" => &self.summaries[section.summary]];
        context.insert_value(
            "section",
            map(vec![
                ("title", Value::from(meta.title.as_str())),
                ("url", Value::from(site.config.url(&section.path))),
                (
                    "themes",
                    Value::from_serializable(&term_links(site, TaxonomyKind::Themes, &meta.themes)),
                ),
                ("content_note", Value::from_serializable(&meta.content_note)),
                ("updated", Value::from_serializable(&updated)),
                ("changes", Value::from_serializable(&changes)),
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
        Job::new("section.html", path, &meta.title, description, context)
    }

    fn term_job(
        &self,
        kind: TaxonomyKind,
        t: usize,
        n: usize,
        path: String,
    ) -> Result<Job, Diagnostic> {
        let site = self.site;
        let term = &site.taxonomy(kind).terms[t];
        let size = site.config.site.page_size;
        let first = n == 1;
        let sections: Vec<SectionCard> = if first {
            term.sections
                .iter()
                .map(|&s| SectionCard {
                    title: site.sections[s].doc.meta.title.clone(),
                    url: site.config.url(&site.sections[s].path),
                    summary: summary_link(site, site.sections[s].summary),
                })
                .collect()
        } else {
            Vec::new()
        };
        let groups = if first {
            self.quote_groups(&term.quotes)
        } else {
            Vec::new()
        };
        let description = term.term.description.clone();
        let meta_description = description
            .clone()
            .unwrap_or_else(|| format!("{}: {}.", term.term.name, counts(site, term)));
        let total = page_count(term.responses.len(), size);
        let paginator = Paginator::new(site, &term.path, n, total, size, term.responses.len());
        let summaries: Vec<Link> = term
            .summaries
            .iter()
            .map(|&s| summary_link(site, s))
            .collect();
        let mut context = context![
            "taxonomy" => &self.taxonomies[kind as usize].names(),
            "term" => &TermLink::new(site, term),
            "description" => &description,
            "summaries" => &summaries,
            "sections" => &sections,
            "quote_count" => &term.quotes.len(),
            "section_count" => &term.sections.len(),
            "response_count" => &term.responses.len(),
            "paginator" => &paginator,
        ];
        context.insert_value("quote_groups", Value::from(groups));
        context.insert_value(
            "responses",
            self.response_values(chunk(&term.responses, n, size))?,
        );
        Ok(Job::new(
            "term.html",
            path,
            &term.term.name,
            meta_description,
            context,
        ))
    }

    /// `quotes` grouped by the summary they are in, in order: a term's first page shows
    /// them under each summary's title.
    fn quote_groups(&self, quotes: &[usize]) -> Vec<Value> {
        let site = self.site;
        let mut groups: Vec<(usize, Vec<Value>)> = Vec::new();
        for &q in quotes {
            let summary = site.quotes[q].summary;
            let value = self.quote_value(q);
            match groups.last_mut() {
                Some((s, quotes)) if *s == summary => quotes.push(value),
                _ => groups.push((summary, vec![value])),
            }
        }
        groups
            .into_iter()
            .map(|(s, quotes)| {
                map(vec![
                    ("summary", Value::from_serializable(&summary_link(site, s))),
                    ("quotes", Value::from(quotes)),
                ])
            })
            .collect()
    }

    /// Page `n` of the list of every response.
    fn responses_job(&self, n: usize, path: String) -> Result<Job, Diagnostic> {
        let site = self.site;
        let settings = &site.config.site.responses;
        let size = site.config.site.page_size;
        let all: Vec<usize> = (0..site.responses.len()).collect();
        let total = page_count(all.len(), size);
        let paginator = Paginator::new(site, &settings.list_path(), n, total, size, all.len());
        let topics = &self.taxonomies[TaxonomyKind::Topics as usize];
        let mut context = context!["topics" => topics, "paginator" => &paginator];
        context.insert_value("responses", self.response_values(chunk(&all, n, size))?);
        let description = format!(
            "{} {} submitted to {}, browsable by {}.",
            site.responses.len(),
            settings.name.to_lowercase(),
            settings.call,
            topics.singular.to_lowercase()
        );
        Ok(Job::new(
            "responses.html",
            path,
            &settings.name,
            description,
            context,
        ))
    }

    fn data_job(&self, path: String) -> Result<Job, Diagnostic> {
        let site = self.site;
        let downloads: Vec<DownloadView> = self
            .data_sizes()?
            .iter()
            .map(|(path, size)| DownloadView {
                url: site.config.url(path),
                name: path.rsplit('/').next().unwrap_or(path).to_string(),
                format: if path.ends_with(".csv") {
                    "CSV"
                } else {
                    "JSON"
                },
                size: human_size(*size),
            })
            .collect();
        let settings = &site.config.site.responses;
        // The summary every response belongs to, when they all belong to one.
        let first = site.responses.first().and_then(|r| r.summary);
        let summary = first
            .filter(|&s| site.responses.iter().all(|r| r.summary == Some(s)))
            .map(|s| site.summaries[s].doc.meta.title.as_str());
        Ok(Job::new(
            "data.html",
            path,
            "Download the data",
            format!(
                "Every quote and {} on this site as CSV and JSON files, with their columns explained.",
                settings.singular.to_lowercase()
            ),
            context![
                "downloads" => &downloads,
                "quote_columns" => &data::quote_columns(),
                "response_columns" => &data::response_columns(settings, summary),
                "response_files" => &[data::csv_path(settings), data::json_path(settings)]
                    .map(|path| path.trim_start_matches("data/").to_string()),
                "quote_count" => &site.quotes.len(),
                "response_count" => &site.responses.len(),
            ],
        ))
    }

    fn feed_job(&self, path: String) -> Job {
        let site = self.site;
        let mut feed: Vec<FeedEntry> = site
            .summaries
            .iter()
            .map(|s| FeedEntry {
                title: s.doc.meta.title.clone(),
                url: site.config.permalink(&s.path),
                date: s.doc.meta.published.to_string(),
                summary: s.doc.meta.lede.clone(),
            })
            .chain(self.news.iter().map(|n| FeedEntry {
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
        Job::new(
            "atom.xml",
            path,
            "",
            "",
            context!["entries" => &feed, "updated" => &updated],
        )
    }
}

/// One change note on the site's list of updates: when, what, and on which page.
#[derive(Serialize)]
struct UpdateView {
    date: DateView,
    note: String,
    title: String,
    url: String,
    permalink: String,
    /// The feed entry's id: the page's address, the date and the note's place among the
    /// page's changes as written, so that it stays the same as notes are added.
    id: String,
}

/// Every change note of every item, newest first (then by page, in site order).
fn updates(site: &Site) -> Vec<UpdateView> {
    let mut updates: Vec<UpdateView> = site
        .items()
        .flat_map(|item| {
            let title = item_title(site, &item);
            let permalink = site.config.permalink(item.path);
            item.changes
                .iter()
                .enumerate()
                .map(move |(n, change)| UpdateView {
                    date: change.date.into(),
                    note: change.note.clone(),
                    title: title.clone(),
                    url: site.config.url(item.path),
                    id: format!("{permalink}#change-{}-{}", change.date, n + 1),
                    permalink: permalink.clone(),
                })
        })
        .collect();
    updates.sort_by(|a, b| b.date.iso.cmp(&a.date.iso));
    updates
}

/// The title of an item's page, as lists name it.
fn item_title(site: &Site, item: &ItemRef<'_>) -> String {
    match item.kind {
        ItemKind::Summary => site.summaries[item.index].doc.meta.title.clone(),
        ItemKind::Section => site.sections[item.index].doc.meta.title.clone(),
        ItemKind::Quote => {
            let quote = &site.quotes[item.index];
            format!(
                "Quote from {}",
                site.summaries[quote.summary].doc.meta.title
            )
        }
        ItemKind::Response => site.responses[item.index].title.clone(),
        ItemKind::Page => site.pages[item.index].doc.meta.title.clone(),
    }
}

/// What a term tags, in words: "3 sections, 1 quote, 12 responses".
fn counts(site: &Site, term: &TaxonomyTerm) -> String {
    let responses = &site.config.site.responses;
    [
        (term.sections.len(), "section".into(), "sections".into()),
        (term.quotes.len(), "quote".into(), "quotes".into()),
        (
            term.responses.len(),
            responses.singular.to_lowercase(),
            responses.name.to_lowercase(),
        ),
    ]
    .iter()
    .filter(|(n, _, _): &&(usize, String, String)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
    .collect::<Vec<_>>()
    .join(", ")
}

/// The chart on a taxonomy's index page: responses per topic, quotes per voice, items per theme.
fn taxonomy_chart(site: &Site, kind: TaxonomyKind) -> BarChart {
    let settings = kind.settings(&site.config);
    let responses = &site.config.site.responses.name;
    let per = settings.singular.to_lowercase();
    let (title, value_header) = match kind {
        TaxonomyKind::Topics => (format!("{responses} per {per}"), responses.as_str()),
        TaxonomyKind::Voices => (format!("Quotes per {per}"), "Quotes"),
        TaxonomyKind::Themes => (
            format!(
                "Sections, quotes and {} per {per}",
                responses.to_lowercase()
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
