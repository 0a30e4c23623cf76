//! Front matter that is valid but suspicious: a date in the future (usually a typo in the
//! year), a term an open vocabulary does not list (the build accepts it as a new term, so a
//! misspelling silently makes a second one), a title too long for a heading or a search
//! result.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::field_warning;
use crate::content::Document;
use crate::content::date::Date;
use crate::content::kinds::Meta;
use crate::diagnostics::Diagnostic;
use crate::resolve::{Item, Site};
use crate::vocabulary::TaxonomyKind;

/// Longer titles wrap over several lines as headings and are cut off in search results
/// and when shared.
pub const MAX_TITLE_CHARS: usize = 120;

pub(super) fn check(site: &Site, today: NaiveDate) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for s in &site.summaries {
        let published = Some(&s.doc.meta.published);
        diagnostics.extend(future(&s.doc, "published", published, today));
    }
    for p in &site.pages {
        diagnostics.extend(future(&p.doc, "date", p.doc.meta.date.as_ref(), today));
    }
    diagnostics.extend(updated_in_future(&site.summaries, today));
    diagnostics.extend(updated_in_future(&site.sections, today));
    diagnostics.extend(updated_in_future(&site.quotes, today));
    diagnostics.extend(updated_in_future(&site.responses, today));
    diagnostics.extend(updated_in_future(&site.pages, today));

    let titles = site
        .summaries
        .iter()
        .map(|s| long_title(&s.doc, &s.doc.meta.title));
    let titles = titles.chain(
        site.sections
            .iter()
            .map(|s| long_title(&s.doc, &s.doc.meta.title)),
    );
    let titles = titles.chain(
        site.pages
            .iter()
            .map(|p| long_title(&p.doc, &p.doc.meta.title)),
    );
    diagnostics.extend(titles.flatten());

    diagnostics.extend(new_terms(site));
    diagnostics
}

/// A warning when the date given for `key` is after `today`.
fn future<M>(
    doc: &Document<M>,
    key: &str,
    value: Option<&Date>,
    today: NaiveDate,
) -> Option<Diagnostic> {
    let value = value.filter(|v| v.0 > today)?;
    let message =
        format!("`{key}: {value}` is in the future (today is {today}); is the year right?");
    Some(
        field_warning(doc, "front-matter/future-date", key, &value.to_string(), message)
            .with_help("correct the date; a date that is right but not yet reached can stay, since this is a warning"),
    )
}

fn long_title<M>(doc: &Document<M>, title: &str) -> Option<Diagnostic> {
    let chars = title.chars().count();
    (chars > MAX_TITLE_CHARS).then(|| {
        field_warning(
            doc,
            "front-matter/long-title",
            "title",
            title,
            format!("the title is {chars} characters long; over {MAX_TITLE_CHARS} it wraps as a heading and is cut off in search results"),
        )
        .with_help("shorten the title and move the detail into the text")
    })
}

/// Terms of open vocabularies that their vocabulary file does not list.
fn new_terms(site: &Site) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for kind in TaxonomyKind::ALL {
        let settings = kind.settings(&site.config);
        if settings.closed {
            continue;
        }
        let vocabulary = Vocabulary {
            kind,
            file: settings
                .vocabulary
                .clone()
                .unwrap_or_else(|| format!("data/{}.yaml", kind.key())),
            known: site
                .vocabularies
                .terms(kind)
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
        };
        match kind {
            TaxonomyKind::Themes => {
                for s in &site.summaries {
                    diagnostics.extend(vocabulary.unknown(&s.doc, "themes", &s.doc.meta.themes));
                }
                for s in &site.sections {
                    diagnostics.extend(vocabulary.unknown(&s.doc, "themes", &s.doc.meta.themes));
                }
                for q in &site.quotes {
                    diagnostics.extend(vocabulary.unknown(&q.doc, "themes", &q.doc.meta.themes));
                }
                for r in &site.responses {
                    diagnostics.extend(vocabulary.unknown(&r.doc, "themes", &r.doc.meta.themes));
                }
            }
            TaxonomyKind::Voices => {
                for q in &site.quotes {
                    diagnostics.extend(vocabulary.unknown(
                        &q.doc,
                        "voice",
                        q.doc.meta.voice.as_slice(),
                    ));
                }
            }
            TaxonomyKind::Topics => {
                for r in &site.responses {
                    diagnostics.extend(vocabulary.unknown(&r.doc, "topics", &r.doc.meta.topics));
                }
            }
        }
    }
    diagnostics
}

/// A warning for each of `items` whose `updated` date is after `today`.
fn updated_in_future<T: Item>(items: &[T], today: NaiveDate) -> Vec<Diagnostic> {
    items
        .iter()
        .filter_map(|item| {
            let doc = item.doc();
            future(doc, "updated", doc.meta.updated(), today)
        })
        .collect()
}

/// An open vocabulary and the slugs its file lists.
struct Vocabulary<'a> {
    kind: TaxonomyKind,
    file: String,
    known: HashSet<&'a str>,
}

impl Vocabulary<'_> {
    fn unknown<M>(&self, doc: &Document<M>, key: &str, values: &[String]) -> Vec<Diagnostic> {
        values
            .iter()
            .filter(|v| !self.known.contains(v.as_str()))
            .map(|value| {
                let message = format!(
                    "`{value}` is not in {}, so the open {} vocabulary makes it a new term",
                    self.file,
                    self.kind.key()
                );
                field_warning(doc, "taxonomy/new-term", key, value, message).with_help(format!(
                    "if it is a misspelling, correct it; if it is a new term, add it to {} with its display name",
                    self.file
                ))
            })
            .collect()
    }
}
