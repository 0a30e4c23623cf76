//! The data templates see: plain serialisable views built from the resolved site.
//! Every field is documented in `docs/templates.md`; URLs are complete paths that
//! already carry the base path.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::content::date::Date;
use crate::content::kinds::{Change, Meta, Provenance};
use crate::resolve::{Page, Quote, Response, Section, Site, Summary, TaxonomyTerm};
use crate::vocabulary::TaxonomyKind;

/// A date both for people ("23 May 2022") and for machines ("2022-05-23").
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub display: String,
    pub iso: String,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        DateView {
            display: date.0.format("%-d %B %Y").to_string(),
            iso: date.to_string(),
        }
    }
}

/// One correction, as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub date: DateView,
    pub note: String,
}

/// When an item last changed (its `updated`, or its latest change note if later) and its
/// change notes, newest first.
pub fn history(meta: &impl Meta) -> (Option<DateView>, Vec<ChangeView>) {
    let mut changes: Vec<&Change> = meta.changes().iter().collect();
    changes.sort_by_key(|c| std::cmp::Reverse(c.date));
    let latest = changes.first().map(|c| c.date);
    let updated = meta.updated().copied().into_iter().chain(latest).max();
    let changes = changes
        .into_iter()
        .map(|c| ChangeView {
            date: c.date.into(),
            note: c.note.clone(),
        })
        .collect();
    (updated.map(DateView::from), changes)
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A link to a term, as an item shows its tags. It carries no count on purpose: a count on
/// every tag would tie each page that shows an item to every other item of its terms, and
/// one tag added in the preview would render hundreds of pages (see [`TermCount`]).
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub slug: String,
    pub name: String,
    pub url: String,
}

impl TermLink {
    pub fn new(site: &Site, term: &TaxonomyTerm) -> TermLink {
        TermLink {
            slug: term.term.slug.clone(),
            name: term.term.name.clone(),
            url: site.config.url(&term.path),
        }
    }
}

/// A term with how many items it tags, as the pages that list a taxonomy show it. The
/// link's fields are repeated, not `#[serde(flatten)]`ed: a flattened struct serialised into
/// template values made the home page's render about 8 ms slower.
#[derive(Debug, Clone, Serialize)]
pub struct TermCount {
    pub slug: String,
    pub name: String,
    pub url: String,
    /// Sections, quotes and responses with the term.
    pub count: usize,
}

impl TermCount {
    pub fn new(site: &Site, term: &TaxonomyTerm) -> TermCount {
        let TermLink { slug, name, url } = TermLink::new(site, term);
        TermCount {
            slug,
            name,
            url,
            count: term.count(),
        }
    }
}

/// The links to the terms `slugs` of taxonomy `kind`, in the order given.
pub fn term_links(site: &Site, kind: TaxonomyKind, slugs: &[String]) -> Vec<TermLink> {
    let taxonomy = site.taxonomy(kind);
    slugs
        .iter()
        .filter_map(|slug| taxonomy.terms.iter().find(|t| &t.term.slug == slug))
        .map(|t| TermLink::new(site, t))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub home_url: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub summaries: Vec<Link>,
    pub themes_url: String,
    pub voices_url: String,
    pub topics_url: String,
    pub responses: ResponsesView,
    pub news_url: String,
    pub search_url: String,
    pub feed_url: String,
    /// Whether the build writes a search index (`search.enabled` in site.yaml).
    pub search_enabled: bool,
    pub taxonomies: TaxonomyNames,
    /// The theme's static files, by name, with their URL (e.g. `style.css`).
    pub assets: std::collections::BTreeMap<String, String>,
}

/// What the site calls its responses and where they are: `responses` in `site.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsesView {
    /// E.g. "Responses" or "Ideas".
    pub name: String,
    /// E.g. "Response" or "Idea".
    pub singular: String,
    /// The call they answered, as it reads after "submitted to".
    pub call: String,
    /// The list of every response.
    pub url: String,
    /// The open data file of every response, as JSON.
    pub json_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyNames {
    pub themes: String,
    pub voices: String,
    pub topics: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub slug: String,
    pub title: String,
    pub lede: String,
    pub url: String,
    pub published: DateView,
    pub updated: Option<DateView>,
    /// Its change notes, newest first.
    pub changes: Vec<ChangeView>,
    pub audiences: Vec<String>,
    pub method: String,
    pub participants: Option<u32>,
    pub source: SourceView,
    pub themes: Vec<TermLink>,
    pub sections: Vec<Link>,
    pub quote_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: Option<String>,
}

impl SummaryView {
    pub fn new(site: &Site, index: usize) -> SummaryView {
        let summary: &Summary = &site.summaries[index];
        let meta = &summary.doc.meta;
        let (updated, changes) = history(meta);
        SummaryView {
            slug: summary.slug.clone(),
            title: meta.title.clone(),
            lede: meta.lede.clone(),
            url: site.config.url(&summary.path),
            published: meta.published.into(),
            updated,
            changes,
            audiences: meta.audiences.clone(),
            method: meta.method.clone(),
            participants: meta.participants,
            source: SourceView {
                title: meta.source.title.clone(),
                url: meta.source.url.clone(),
            },
            themes: term_links(site, TaxonomyKind::Themes, &meta.themes),
            sections: summary
                .sections
                .iter()
                .map(|&s| section_link(site, s))
                .collect(),
            quote_count: site.quotes.iter().filter(|q| q.summary == index).count(),
        }
    }
}

pub fn section_link(site: &Site, index: usize) -> Link {
    let section: &Section = &site.sections[index];
    Link {
        title: section.doc.meta.title.clone(),
        url: site.config.url(&section.path),
    }
}

pub fn summary_link(site: &Site, index: usize) -> Link {
    let summary = &site.summaries[index];
    Link {
        title: summary.doc.meta.title.clone(),
        url: site.config.url(&summary.path),
    }
}

/// A quote as templates see it. Its HTML is borrowed from the rendered bodies, which
/// outlive every view: a body is never copied into the views that show it.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView<'a> {
    pub id: String,
    /// The id of the quote's anchor in its section, `quote-<id>`.
    pub anchor: String,
    /// The quote's own page.
    pub url: String,
    pub permalink: String,
    /// The quote where it stands in its section (`…/section/#quote-<id>`), if placed.
    pub in_context_url: Option<String>,
    pub html: &'a str,
    pub speaker: Option<String>,
    pub voice: Option<TermLink>,
    pub provenance: &'static str,
    pub from_notes: bool,
    /// The source's own label of where the words come from (`from notes`), as printed.
    pub attribution: Option<String>,
    pub summary: Link,
    pub section: Link,
    pub themes: Vec<TermLink>,
    pub content_note: Vec<String>,
    pub updated: Option<DateView>,
    /// Its change notes, newest first.
    pub changes: Vec<ChangeView>,
    pub citation: String,
}

impl<'a> QuoteView<'a> {
    pub fn new(site: &Site, index: usize, html: &'a str) -> QuoteView<'a> {
        let quote: &Quote = &site.quotes[index];
        let meta = &quote.doc.meta;
        let (updated, changes) = history(meta);
        let anchor = format!("quote-{}", meta.id);
        let section = section_link(site, quote.section);
        let summary = &site.summaries[quote.summary];
        let permalink = site.config.permalink(&quote.path);
        let who = meta
            .speaker
            .as_deref()
            .unwrap_or("Unattributed participant");
        // The source's own label if it gives one; else no more than "from notes", since a
        // source that says so need not say whose notes they were.
        let notes = match (&meta.attribution, meta.provenance) {
            (Some(label), _) => format!(" ({label})"),
            (None, Provenance::FromNotes) => " (from notes)".to_string(),
            (None, Provenance::Verbatim) => String::new(),
        };
        let citation = format!(
            "{who}{notes}, quoted in “{}”, {}, {}. {permalink}",
            summary.doc.meta.title,
            site.config.site.title,
            DateView::from(summary.doc.meta.published).display,
        );
        QuoteView {
            id: meta.id.clone(),
            in_context_url: quote.placed.then(|| format!("{}#{anchor}", section.url)),
            anchor,
            url: site.config.url(&quote.path),
            permalink,
            html,
            speaker: meta.speaker.clone(),
            voice: meta.voice.as_ref().and_then(|v| {
                term_links(site, TaxonomyKind::Voices, std::slice::from_ref(v)).pop()
            }),
            provenance: match meta.provenance {
                Provenance::Verbatim => "verbatim",
                Provenance::FromNotes => "from-notes",
            },
            from_notes: meta.provenance == Provenance::FromNotes,
            attribution: meta.attribution.clone(),
            summary: summary_link(site, quote.summary),
            section,
            themes: term_links(site, TaxonomyKind::Themes, &meta.themes),
            content_note: meta.content_note.clone(),
            updated,
            changes,
            citation,
        }
    }
}

/// A response as templates see it, its HTML borrowed like a [`QuoteView`]'s.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseView<'a> {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub html: &'a str,
    /// The HTML as a card shows it, in a list of many under headings of their own: the
    /// headings of the response (the questions of an imported response) as paragraphs, so
    /// that no heading id repeats on a list and no heading breaks the list's outline.
    pub card_html: Cow<'a, str>,
    pub topics: Vec<TermLink>,
    pub themes: Vec<TermLink>,
    pub respondent: Option<String>,
    pub anonymous: bool,
    pub content_note: Vec<String>,
    /// When the respondent submitted it, where the export said.
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    /// Its change notes, newest first.
    pub changes: Vec<ChangeView>,
    pub citation: String,
}

impl<'a> ResponseView<'a> {
    pub fn new(site: &Site, index: usize, html: &'a str) -> ResponseView<'a> {
        let response: &Response = &site.responses[index];
        let meta = &response.doc.meta;
        let (updated, changes) = history(meta);
        let permalink = site.config.permalink(&response.path);
        let who = match (&meta.respondent, meta.anonymous) {
            (Some(r), _) => r.clone(),
            (None, true) => "Published anonymously".to_string(),
            (None, false) => "Respondent not named".to_string(),
        };
        let responses = &site.config.site.responses;
        ResponseView {
            id: response.id.clone(),
            number: meta.number,
            title: response.title.clone(),
            url: site.config.url(&response.path),
            html,
            card_html: headings_as_paragraphs(html),
            topics: term_links(site, TaxonomyKind::Topics, &meta.topics),
            themes: term_links(site, TaxonomyKind::Themes, &meta.themes),
            respondent: meta.respondent.clone(),
            anonymous: meta.anonymous,
            content_note: meta.content_note.clone(),
            date: meta.date.map(DateView::from),
            updated,
            changes,
            citation: format!(
                "{who}, {} {} submitted to {}, {}. {permalink}",
                responses.singular.to_lowercase(),
                meta.number,
                responses.call,
                site.config.site.title
            ),
            permalink,
        }
    }
}

/// `html` (the sanitised output of the Markdown stage, whose headings are `<hN id="…">`)
/// with every heading turned into a `<p class="card__question">`.
fn headings_as_paragraphs(html: &str) -> Cow<'_, str> {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<h[1-6](?: id="[^"]*")?>"#).unwrap_or_else(|e| unreachable!("{e}"))
    });
    static CLOSING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"</h[1-6]>").unwrap_or_else(|e| unreachable!("{e}")));
    if !html.contains("<h") {
        return Cow::Borrowed(html);
    }
    let opened = OPENING.replace_all(html, r#"<p class="card__question">"#);
    Cow::Owned(CLOSING.replace_all(&opened, "</p>").into_owned())
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    /// Its change notes, newest first.
    pub changes: Vec<ChangeView>,
    pub url: String,
    pub html: &'a str,
}

impl<'a> PageView<'a> {
    pub fn new(site: &Site, page: &Page, html: &'a str) -> PageView<'a> {
        let (updated, changes) = history(&page.doc.meta);
        PageView {
            title: page.doc.meta.title.clone(),
            description: page.doc.meta.description.clone(),
            date: page.doc.meta.date.map(DateView::from),
            updated,
            changes,
            url: site.config.url(&page.path),
            html,
        }
    }
}

/// Where a list page stands among its pages.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub first_url: String,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
    /// 1-based position of the first and last item on this page, and the total.
    pub first_item: usize,
    pub last_item: usize,
    pub item_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out between this one and the previous link (the theme shows "…").
    pub gap_before: bool,
}

/// How many page links stand either side of the current page; the first and last page
/// are always linked. A list of every page would grow with the square of the page count.
const PAGE_WINDOW: usize = 2;

/// The page numbers a pager links to: the first, the last, and a window around `current`.
fn page_numbers(current: usize, total: usize) -> Vec<usize> {
    let low = current.saturating_sub(PAGE_WINDOW).max(1);
    let high = (current + PAGE_WINDOW).min(total);
    let mut numbers = vec![1];
    numbers.extend(low.max(2)..=high);
    if total > high {
        numbers.push(total);
    }
    numbers.dedup();
    numbers
}

/// The site-relative path of page `n` (1-based) of a list at `path`.
pub fn page_path(path: &str, n: usize) -> String {
    if n == 1 {
        path.to_string()
    } else {
        format!("{path}page/{n}/")
    }
}

impl Paginator {
    pub fn new(
        site: &Site,
        path: &str,
        current: usize,
        total: usize,
        page_size: usize,
        item_count: usize,
    ) -> Paginator {
        let url = |n: usize| site.config.url(&page_path(path, n));
        Paginator {
            current,
            total,
            first_url: url(1),
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages: {
                let numbers = page_numbers(current, total);
                let mut previous = 0;
                numbers
                    .into_iter()
                    .map(|n| {
                        let link = PageLink {
                            number: n,
                            url: url(n),
                            current: n == current,
                            gap_before: n > previous + 1,
                        };
                        previous = n;
                        link
                    })
                    .collect()
            },
            first_item: ((current - 1) * page_size + 1).min(item_count),
            last_item: (current * page_size).min(item_count),
            item_count,
        }
    }
}

/// A horizontal bar chart drawn as SVG by the theme at build time, with the same numbers
/// for its data table. Geometry is worked out here so templates only place elements.
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    /// Used for element ids, e.g. `topics`.
    pub id: String,
    pub title: String,
    /// A sentence describing what the chart shows, for its text alternative.
    pub description: String,
    /// Column headers of the data table.
    pub label_header: String,
    pub value_header: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub url: String,
    pub label_y: u32,
    pub bar_y: u32,
    pub bar_width: u32,
    pub bar_height: u32,
    pub value_x: u32,
    pub value_y: u32,
}

impl BarChart {
    const WIDTH: u32 = 640;
    const ROW: u32 = 40;
    const BAR_HEIGHT: u32 = 14;
    const BAR_MAX: u32 = 540;

    /// A chart of `items` (label, value, URL), largest first.
    pub fn new(
        id: &str,
        title: &str,
        headers: (&str, &str),
        mut items: Vec<(String, usize, String)>,
    ) -> BarChart {
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = items
            .into_iter()
            .zip(0u32..)
            .map(|((label, value, url), row)| {
                let top = row * Self::ROW;
                let bar_width = ((value as u64 * u64::from(Self::BAR_MAX)) / max as u64) as u32;
                Bar {
                    label,
                    value,
                    url,
                    label_y: top + 15,
                    bar_y: top + 20,
                    bar_width: bar_width.max(1),
                    bar_height: Self::BAR_HEIGHT,
                    value_x: bar_width.max(1) + 6,
                    value_y: top + 32,
                }
            })
            .collect();
        let description = match bars.first() {
            Some(top) => format!(
                "Bar chart of {} for {} {}, largest first. The largest is {} with {}. The same numbers are in the table that follows.",
                headers.1.to_lowercase(),
                bars.len(),
                headers.0.to_lowercase(),
                top.label,
                top.value
            ),
            None => "There is nothing to chart yet.".to_string(),
        };
        BarChart {
            id: id.to_string(),
            title: title.to_string(),
            description,
            label_header: headers.0.to_string(),
            value_header: headers.1.to_string(),
            width: Self::WIDTH,
            height: (bars.len() as u32 * Self::ROW).max(Self::ROW),
            bars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    #[test]
    fn the_pager_links_the_ends_and_a_window_around_the_current_page() {
        assert_eq!(page_numbers(1, 1), [1]);
        assert_eq!(page_numbers(1, 3), [1, 2, 3]);
        assert_eq!(page_numbers(1, 20), [1, 2, 3, 20]);
        assert_eq!(page_numbers(10, 20), [1, 8, 9, 10, 11, 12, 20]);
        assert_eq!(page_numbers(20, 20), [1, 18, 19, 20]);
    }
}
