//! Every Markdown body of the site rendered once, in parallel, into its HTML and its plain
//! text: the first half of the render stage. Pages, descriptions, the open data and the
//! search index all take their words from here, so a build renders no body twice, and an
//! edit renders only the bodies it changed.

use std::sync::Arc;

use rayon::prelude::*;

use super::markdown::{self, BodyPart, Links};
use super::text::html_to_text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{Item, Site};

/// One rendered body: its HTML, its plain text (tags gone, entities decoded, whitespace
/// collapsed) and what rendering it found (warnings, since a body with errors fails the run).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub text: String,
    pub found: Vec<Diagnostic>,
}

/// A section's rendered body: its parts (runs of prose, and the places of the quotes it
/// places), the plain text of its own prose without the quotes, and what rendering found.
#[derive(Debug, Clone, Default)]
pub struct SectionBody {
    pub parts: Vec<BodyPart>,
    pub text: String,
    pub found: Vec<Diagnostic>,
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

impl Bodies {
    /// What rendering every body found, reused bodies included: a run after an edit reports
    /// what a full run would.
    fn found(&self) -> Diagnostics {
        let mut found = Diagnostics::default();
        let lists = [&self.summaries, &self.quotes, &self.responses, &self.pages];
        for body in lists.into_iter().flatten() {
            found.extend(body.found.iter().cloned());
        }
        for section in &self.sections {
            found.extend(section.found.iter().cloned());
        }
        found
    }
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
    let renderer = BodyRenderer {
        site,
        old: old.as_ref(),
        links: &links,
    };
    let bodies = Bodies {
        summaries: renderer.bodies(|s| &s.summaries, |b| &b.summaries, false),
        quotes: renderer.bodies(|s| &s.quotes, |b| &b.quotes, true),
        responses: renderer.bodies(|s| &s.responses, |b| &b.responses, true),
        pages: renderer.bodies(|s| &s.pages, |b| &b.pages, false),
        sections: renderer.sections(),
    };
    let found = bodies.found();
    if found.has_errors() {
        Err(found)
    } else {
        Ok((bodies, found))
    }
}

/// What rendering the bodies needs: the site, the last run's site and bodies to reuse, and
/// the link targets.
struct BodyRenderer<'a> {
    site: &'a Site,
    old: Option<&'a Reuse<'a>>,
    links: &'a Links<'a>,
}

impl BodyRenderer<'_> {
    /// The bodies of the items `items` picks from a site, in parallel. A body is taken from
    /// the last run's (`bodies` picks them) when the item at the same place had the very same
    /// source. `verbatim` keeps the characters of participants' words (no smart punctuation).
    fn bodies<T: Item + Sync>(
        &self,
        items: fn(&Site) -> &[T],
        bodies: fn(&Bodies) -> &[Rendered],
        verbatim: bool,
    ) -> Vec<Rendered> {
        let old = self.old.map(|o| (items(o.site), bodies(o.bodies)));
        each(items(self.site), |i, item| {
            let doc = item.doc();
            let reusable = old.and_then(|(items, bodies)| {
                let same = Arc::ptr_eq(&items.get(i)?.doc().source, &doc.source);
                same.then(|| bodies.get(i)).flatten()
            });
            if let Some(body) = reusable {
                return body.clone();
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
            Rendered { html, text, found }
        })
    }

    /// The sections' bodies, split at the quotes they place. A section's body depends on
    /// its text and on where its quotes are placed.
    fn sections(&self) -> Vec<SectionBody> {
        each(&self.site.sections, |i, s| {
            let reusable = self.old.and_then(|o| {
                let was = o.site.sections.get(i)?;
                let same =
                    Arc::ptr_eq(&was.doc.source, &s.doc.source) && was.placements == s.placements;
                same.then(|| o.bodies.sections.get(i)).flatten()
            });
            if let Some(body) = reusable {
                return body.clone();
            }
            let (parts, found) = markdown::render(
                &markdown::Body {
                    source: &s.doc.source,
                    offset: s.doc.body_offset,
                    verbatim: false,
                },
                &s.placements,
                self.links,
            );
            let text = prose_text(&parts);
            SectionBody { parts, text, found }
        })
    }
}

/// The plain text of a section's own prose: each run of prose between its quotes, joined
/// with a space.
fn prose_text(parts: &[BodyPart]) -> String {
    parts
        .iter()
        .filter_map(|part| match part {
            BodyPart::Html(html) => Some(html_to_text(html)),
            BodyPart::Quote(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `body(i, item)` for every item, in parallel.
fn each<T: Sync, R: Send>(items: &[T], body: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    items
        .par_iter()
        .enumerate()
        .map(|(i, item)| body(i, item))
        .collect()
}
