//! Every Markdown body of the site rendered once, in parallel, into its HTML and its plain
//! text: the first half of the render stage. Pages, descriptions, the open data and the
//! search index all take their words from here, so no body is rendered or read twice.

use std::sync::Arc;

use rayon::prelude::*;

use super::markdown::{self, BodyPart, Links};
use super::text::html_to_text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{Item, Site};

/// One rendered body: its HTML and its plain text (tags gone, entities decoded, whitespace
/// collapsed).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

/// A section's rendered body: its parts (runs of prose, and the places of the quotes it
/// places) and the plain text of its own prose, without the quotes.
#[derive(Debug, Clone, Default)]
pub struct SectionBody {
    pub parts: Vec<BodyPart>,
    pub text: String,
}

/// Every body, by index into the site's lists.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub summaries: Vec<Rendered>,
    pub sections: Vec<SectionBody>,
    pub quotes: Vec<Rendered>,
    pub responses: Vec<Rendered>,
    pub pages: Vec<Rendered>,
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
    let kind = Kind {
        site,
        old: old.as_ref(),
        links: &links,
    };
    let summaries = kind.rendered(|s| &s.summaries, |b| &b.summaries, false);
    let quotes = kind.rendered(|s| &s.quotes, |b| &b.quotes, true);
    let responses = kind.rendered(|s| &s.responses, |b| &b.responses, true);
    let pages = kind.rendered(|s| &s.pages, |b| &b.pages, false);
    let sections = sections(site, old.as_ref(), &links);
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

/// The sections' bodies, split at the quotes they place. A section's body depends on its
/// text and on where its quotes are placed.
fn sections(
    site: &Site,
    old: Option<&Reuse<'_>>,
    links: &Links<'_>,
) -> Vec<(SectionBody, Vec<Diagnostic>)> {
    each(&site.sections, |i, s| {
        let reusable = old.and_then(|o| {
            let was = o.site.sections.get(i)?;
            let same =
                Arc::ptr_eq(&was.doc.source, &s.doc.source) && was.placements == s.placements;
            same.then(|| o.bodies.sections.get(i)).flatten()
        });
        if let Some(body) = reusable {
            return (body.clone(), Vec::new());
        }
        let (parts, found) = markdown::render(
            &markdown::Body {
                source: &s.doc.source,
                offset: s.doc.body_offset,
                verbatim: false,
            },
            &s.placements,
            links,
        );
        let text = prose(&parts).join(" ");
        (SectionBody { parts, text }, found)
    })
}

/// The plain text of a section's own prose, one string per run of prose between quotes.
pub fn prose(parts: &[BodyPart]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|part| match part {
            BodyPart::Html(html) => Some(html_to_text(html)),
            BodyPart::Quote(_) => None,
        })
        .collect()
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

/// What rendering the bodies of one kind needs: the site, the last run's site and bodies to
/// reuse, and the link targets.
struct Kind<'a> {
    site: &'a Site,
    old: Option<&'a Reuse<'a>>,
    links: &'a Links<'a>,
}

impl Kind<'_> {
    /// The bodies of the items `items` picks from a site, in parallel. A body is taken from
    /// the last run's (`bodies` picks them) when the item at the same place had the very same
    /// source: it rendered without errors then, and its warnings were shown. `verbatim` keeps
    /// the characters of participants' words (no smart punctuation).
    fn rendered<T: Item + Sync>(
        &self,
        items: fn(&Site) -> &[T],
        bodies: fn(&Bodies) -> &[Rendered],
        verbatim: bool,
    ) -> Vec<(Rendered, Vec<Diagnostic>)> {
        let old = self.old.map(|o| (items(o.site), bodies(o.bodies)));
        each(items(self.site), |i, item| {
            let doc = item.doc();
            let reusable = old.and_then(|(items, bodies)| {
                let same = Arc::ptr_eq(&items.get(i)?.doc().source, &doc.source);
                same.then(|| bodies.get(i)).flatten()
            });
            if let Some(body) = reusable {
                return (body.clone(), Vec::new());
            }
            let (html, found) = markdown::render_html(
                &markdown::Body {
                    source: &doc.source,
                    offset: doc.body_offset,
                    verbatim,
                },
                self.links,
            );
            let text = html_to_text(&html);
            (Rendered { html, text }, found)
        })
    }
}

/// `body(i, item)` for every item, in parallel.
fn each<T: Sync, R: Send>(items: &[T], body: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    items
        .par_iter()
        .enumerate()
        .map(|(i, item)| body(i, item))
        .collect()
}
