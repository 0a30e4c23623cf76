//! RENDER: Markdown to HTML, then every page through its Tera template, each page handed
//! to the write stage's [`Sink`] as soon as it is ready.
//!
//! [`bodies`] renders each Markdown body once, in parallel, into its HTML and its plain
//! text; [`Renderer::new`] loads the templates and builds the views many pages share; then
//! [`Renderer::render`] renders any list of pages ([`PageJob`]) in parallel, which is how an
//! edit re-renders only the pages it touched ([`changed_pages`]). Nothing here decides
//! where files go or in which order the steps run: the pipeline does.

pub mod bodies;
pub mod data;
mod dependents;
mod glossary;
pub mod markdown;
mod pages;
mod templates;
pub(crate) use templates::escape_html;
pub mod text;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::output::fingerprint::fingerprinted;
use crate::output::{FileData, OutputFile, Sink};
use crate::resolve::Site;
use crate::vocabulary::TaxonomyKind;
pub use bodies::{Bodies, Reuse, bodies};
pub use dependents::changed_pages;
use markdown::BodyPart;
pub use pages::PageJob;
use templates::Templates;
pub use templates::theme_dir;
use views::*;

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

/// The starting size of a page's output buffer: most pages of the site in this repository
/// fit in 32 KiB.
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

/// A template value for a map with fixed keys.
fn map(entries: Vec<(&'static str, Value)>) -> Value {
    Value::from(
        entries
            .into_iter()
            .collect::<BTreeMap<&'static str, Value>>(),
    )
}

/// What a page says of a taxonomy: its names and the address of its page. A term's pages
/// get this, not the [`TaxonomyView`], so that they depend on their own term's items only.
#[derive(Serialize)]
struct TaxonomyName {
    key: &'static str,
    name: String,
    singular: String,
    url: String,
}

/// A taxonomy with every term that has a page and its count, for the pages that list the
/// taxonomy (its own page, the home page, the list of responses, the search page). Its
/// names repeat [`TaxonomyName`]'s fields rather than flatten it, as [`TermCount`] does.
#[derive(Serialize)]
struct TaxonomyView {
    key: &'static str,
    name: String,
    singular: String,
    url: String,
    terms: Vec<TermCount>,
}

impl TaxonomyView {
    /// The taxonomy without its terms.
    fn names(&self) -> TaxonomyName {
        TaxonomyName {
            key: self.key,
            name: self.name.clone(),
            singular: self.singular.clone(),
            url: self.url.clone(),
        }
    }
}

/// A quote or a response as pages use it: its view and the view as a template value `T`
/// (converted once, and shared, not copied, by every page that shows it). Each is made the
/// first time a page asks.
struct Item<V, T = Value> {
    view: OnceLock<V>,
    value: OnceLock<T>,
}

/// The template of a response's card. Lists show hundreds of cards on every page of a topic or
/// a theme, so each response's card is rendered once and handed to every list as `response.card`.
const RESPONSE_CARD: &str = "partials/response_card.html";

impl<V, T> Default for Item<V, T> {
    fn default() -> Self {
        Item {
            view: OnceLock::new(),
            value: OnceLock::new(),
        }
    }
}

/// The theme as a run loaded it: the templates, parsed, and the static files, with the
/// names templates find them by. An edit of content files changes neither, so a session
/// hands them from one run to the next instead of reading and parsing them again.
pub struct Theme {
    templates: Templates,
    static_files: Vec<OutputFile>,
    /// The theme's static files by name, with their URLs.
    assets: BTreeMap<String, String>,
}

impl Theme {
    /// Loads the templates of the site's theme and its own, and lists the static files.
    pub fn load(root: &Path, site: &Site) -> Result<Theme, Diagnostics> {
        let templates = templates::load(root, &site.config.site.theme)?;
        let static_files = static_files(root, site)?;
        let assets = static_files
            .iter()
            .filter_map(|(name, file)| {
                name.as_ref()
                    .map(|n| (n.clone(), site.config.url(&file.path)))
            })
            .collect();
        Ok(Theme {
            templates,
            static_files: static_files.into_iter().map(|(_, f)| f).collect(),
            assets,
        })
    }
}

/// Renders the pages of one resolved site. Views that many pages share are built once;
/// a quote's or a response's view only when a page first shows it.
pub struct Renderer<'a> {
    root: &'a Path,
    site: &'a Site,
    theme: Theme,
    bodies: &'a Bodies,
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
    /// Prepares the views that many pages share, for rendering with `theme`.
    pub fn new(
        root: &'a Path,
        site: &'a Site,
        bodies: &'a Bodies,
        mut theme: Theme,
    ) -> Result<Renderer<'a>, Diagnostics> {
        check_page_templates(site, &theme.templates)?;
        let view = site_view(site, theme.assets.clone());
        theme.templates.tera.global_context().insert("site", &view);
        let news = site
            .news()
            .into_iter()
            .map(|p| {
                let i = site
                    .pages
                    .iter()
                    .position(|q| q.path == p.path)
                    .unwrap_or_default();
                PageView::new(site, p, &bodies.pages[i].html)
            })
            .collect();
        Ok(Renderer {
            root,
            site,
            theme,
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
        &self.theme.static_files
    }

    /// The theme, for the next run of the same session.
    pub fn into_theme(self) -> Theme {
        self.theme
    }

    fn quote(&self, i: usize) -> &QuoteView<'a> {
        self.quotes[i]
            .view
            .get_or_init(|| QuoteView::new(self.site, i, &self.bodies.quotes[i].html))
    }

    fn response(&self, i: usize) -> &ResponseView<'a> {
        self.responses[i]
            .view
            .get_or_init(|| ResponseView::new(self.site, i, &self.bodies.responses[i].html))
    }

    fn quote_text(&self, i: usize) -> &str {
        &self.bodies.quotes[i].text
    }

    fn response_text(&self, i: usize) -> &str {
        &self.bodies.responses[i].text
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
                if !self.theme.templates.tera.contains_template(RESPONSE_CARD) {
                    return Ok(value);
                }
                let card = {
                    let mut context = Context::new();
                    context.insert_value("response", value.clone());
                    self.theme
                        .templates
                        .tera
                        .render(RESPONSE_CARD, &context)
                        .map_err(|e| self.theme.templates.error(self.root, &e, RESPONSE_CARD))?
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
        self.responses.iter_mut().for_each(|r| drop(r.value.take()));
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
    /// Returns how many HTML pages there were, or every error found (each once).
    pub fn render(&self, pages: &[PageJob], sink: &dyn Sink) -> Result<usize, Diagnostics> {
        let results: Vec<Result<bool, Diagnostic>> = pages
            .par_iter()
            .map(|&page| {
                let file = self.render_page(page)?;
                let html = file.path.ends_with(".html");
                sink.put(file)?;
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
        self.theme
            .templates
            .tera
            .render_to(&job.template, &context, &mut buffer)
            .map_err(|e| self.theme.templates.error(self.root, &e, &job.template))?;
        if !job.template.ends_with(".html") {
            return Ok(OutputFile {
                path: output_path(&job.path),
                data: FileData::Bytes(buffer.into()),
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
            data: FileData::Bytes(self.glossary.apply(html).into_bytes().into()),
        })
    }
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
        themes_url: config.url(&TaxonomyKind::Themes.path()),
        voices_url: config.url(&TaxonomyKind::Voices.path()),
        topics_url: config.url(&TaxonomyKind::Topics.path()),
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
            let mut terms: Vec<TermCount> = taxonomy
                .terms
                .iter()
                .filter(|t| t.count() > 0 || !t.summaries.is_empty())
                .map(|t| TermCount::new(site, t))
                .collect();
            terms.sort_by_cached_key(|t| t.name.to_lowercase());
            terms
        },
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
