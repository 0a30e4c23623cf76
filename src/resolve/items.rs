//! Each kind's items: their slug, their URL path, their place (the summary and section they
//! belong to, their order) and the checks that need only their own kind and the kinds
//! before it.

use std::collections::HashMap;

use super::{Page, PageKind, Quote, Response, Section, Summary};
use crate::config::Config;
use crate::content::Document;
use crate::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;

/// The ids of quotes and responses seen so far, by id compared without regard to capitals,
/// with the file that has each: quotes and responses share one set of ids (and of URLs).
#[derive(Default)]
pub struct Ids(HashMap<String, String>);

impl Ids {
    /// Records `id` for `file`; the file that has it already, if one does.
    fn claim(&mut self, id: &str, file: &str) -> Option<String> {
        self.0.insert(id.to_lowercase(), file.to_string())
    }
}

/// The summaries, ordered by weight, then slug.
pub fn summaries(docs: Vec<Document<SummaryMeta>>) -> Vec<Summary> {
    let mut summaries: Vec<Summary> = docs
        .into_iter()
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
    summaries
}

/// The sections, each in the summary of its folder, in reading order, linked to the ones
/// before and after it; `summaries` learn their sections.
pub fn sections(
    docs: Vec<Document<SectionMeta>>,
    summaries: &mut [Summary],
    found: &mut Diagnostics,
) -> Vec<Section> {
    let summary_by_folder: HashMap<String, usize> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.doc.folders()[1].to_string(), i))
        .collect();
    let mut sections = Vec::new();
    for doc in docs {
        let folder = doc.folders()[1].to_string();
        let Some(&summary) = summary_by_folder.get(&folder) else {
            found.push(
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
        sections.push(Section {
            doc,
            slug,
            path,
            summary,
            prev: None,
            next: None,
            placements: Vec::new(),
        });
    }
    sections.sort_by(|a, b| {
        (a.summary, a.doc.meta.weight, &a.slug).cmp(&(b.summary, b.doc.meta.weight, &b.slug))
    });
    for (i, section) in sections.iter().enumerate() {
        summaries[section.summary].sections.push(i);
    }
    for summary in summaries.iter() {
        for pair in summary.sections.windows(2) {
            sections[pair[0]].next = Some(pair[1]);
            sections[pair[1]].prev = Some(pair[0]);
        }
    }
    sections
}

/// The quotes, each in the summary and the section its front matter names, ordered by
/// summary, section and id.
pub fn quotes(
    docs: Vec<Document<QuoteMeta>>,
    summaries: &[Summary],
    sections: &[Section],
    ids: &mut Ids,
    found: &mut Diagnostics,
) -> Vec<Quote> {
    let summary_by_slug = by_slug(summaries);
    let section_by_slug: HashMap<(usize, &str), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.summary, s.slug.as_str()), i))
        .collect();
    let mut quotes = Vec::new();
    for doc in docs {
        let meta = &doc.meta;
        if let Some(first) = ids.claim(&meta.id, &doc.source.name) {
            found.push(
                doc.field_error(
                    "id/duplicate",
                    "id",
                    &meta.id,
                    format!("the id `{}` is already used by {first}", meta.id),
                )
                .with_help("give every quote and response its own id"),
            );
            continue;
        }
        let Some((summary, section)) = quote_place(&doc, &summary_by_slug, &section_by_slug, found)
        else {
            continue;
        };
        if meta.speaker.is_none() && meta.voice.is_some() {
            found.push(doc.field_error("quote/voice-without-speaker",
                "voice",
                meta.voice.as_deref().unwrap_or_default(),
                "a voice is given but no speaker: the source gives no attribution, so none may be implied".to_string(),
            ).with_help("remove `voice`, or add the `speaker` exactly as the source attributes the quote"));
        }
        let path = format!("quotes/{}/", slugify(&meta.id));
        quotes.push(Quote {
            doc,
            path,
            summary,
            section,
            placed: false,
        });
    }
    quotes.sort_by(|a, b| {
        (a.summary, a.section, &a.doc.meta.id).cmp(&(b.summary, b.section, &b.doc.meta.id))
    });
    quotes
}

/// The summary and the section a quote names, checked against the folder it is in.
fn quote_place(
    doc: &Document<QuoteMeta>,
    summary_by_slug: &HashMap<&str, usize>,
    section_by_slug: &HashMap<(usize, &str), usize>,
    found: &mut Diagnostics,
) -> Option<(usize, usize)> {
    let meta = &doc.meta;
    let folder = doc.folders()[1];
    if folder != meta.summary {
        found.push(doc.field_error("quote/folder",
            "summary",
            &meta.summary,
            format!("the quote names the summary `{}` but lives in content/quotes/{folder}/: expected the folder to match", meta.summary),
        ));
        return None;
    }
    let Some(&summary) = summary_by_slug.get(meta.summary.as_str()) else {
        found.push(doc.field_error(
            "quote/unknown-summary",
            "summary",
            &meta.summary,
            format!(
                "there is no summary `{}`: expected the slug of a folder in content/summaries/",
                meta.summary
            ),
        ));
        return None;
    };
    let Some(&section) = section_by_slug.get(&(summary, meta.section.as_str())) else {
        found.push(
            doc.field_error(
                "quote/unknown-section",
                "section",
                &meta.section,
                format!(
                    "the summary `{}` has no section `{}`",
                    meta.summary, meta.section
                ),
            )
            .with_help(
                "use the slug of a section file: its file name without the `NN-` prefix and `.md`",
            ),
        );
        return None;
    };
    Some((summary, section))
}

/// The responses, each with its id (its file name), its title and its summary, ordered by
/// number, then id.
pub fn responses(
    docs: Vec<Document<ResponseMeta>>,
    config: &Config,
    summaries: &[Summary],
    ids: &mut Ids,
    found: &mut Diagnostics,
) -> Vec<Response> {
    let settings = &config.site.responses;
    let summary_by_slug = by_slug(summaries);
    // Checked only where it applies: a site whose responses are not written yet may name
    // their summary before it is written too.
    let default_summary = settings.summary.as_ref().filter(|_| !docs.is_empty()).and_then(|slug| {
        let summary = summary_by_slug.get(slug.as_str()).copied();
        if summary.is_none() {
            found.push(config.error_at(
                "config/unknown-summary",
                "responses.summary",
                format!("there is no summary `{slug}`: expected the slug of a folder in content/summaries/"),
            ));
        }
        summary
    });
    let mut responses = Vec::new();
    for doc in docs {
        let id = slugify(doc.stem());
        if let Some(first) = ids.claim(&id, &doc.source.name) {
            found.push(
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
            found.push(doc.field_error(
                "response/anonymous-respondent",
                "anonymous",
                "true",
                "the response is marked anonymous but names a respondent: expected one or the other"
                    .to_string(),
            ));
        }
        let summary = match &doc.meta.summary {
            Some(slug) => match summary_by_slug.get(slug.as_str()) {
                Some(&i) => Some(i),
                None => {
                    found.push(doc.field_error(
                        "response/unknown-summary",
                        "summary",
                        slug,
                        format!("there is no summary `{slug}`: expected the slug of a folder in content/summaries/"),
                    ));
                    continue;
                }
            },
            None => default_summary,
        };
        responses.push(Response {
            path: format!("{}{id}/", settings.list_path()),
            title: format!("{} {}", settings.singular, doc.meta.number),
            doc,
            id,
            summary,
        });
    }
    responses.sort_by(|a, b| (a.doc.meta.number, &a.id).cmp(&(b.doc.meta.number, &b.id)));
    responses
}

/// The free-standing pages, each at the path of its file, ordered by weight, then path.
/// A page in `content/news/` is a news item, which needs a date.
pub fn pages(docs: Vec<Document<PageMeta>>, found: &mut Diagnostics) -> Vec<Page> {
    let mut pages = Vec::new();
    for doc in docs {
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
            found.push(
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
        pages.push(Page { doc, path, kind });
    }
    pages.sort_by(|a, b| (a.doc.meta.weight, &a.path).cmp(&(b.doc.meta.weight, &b.path)));
    pages
}

fn by_slug(summaries: &[Summary]) -> HashMap<&str, usize> {
    summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect()
}
