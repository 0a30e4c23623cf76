//! CHECK: the lints `chorus check` runs after every validation of `build`, so that an editor
//! finds what the build accepts but a reader should not meet: links that point nowhere,
//! personal data, headings that skip a level, distressing passages without a content note,
//! suspicious front matter. Every finding is a [`Diagnostic`] with a stable code; the codes
//! and what to do about each are listed in `docs/reliability.md`.
//!
//! The lints only read: the [`Site`] as resolved and the [`RenderedSite`] as rendered in
//! memory. Nothing here is needed to build, so `build` stays as fast as it was.

mod front_matter;
mod links;
mod notes;
mod privacy;
mod quotes;
mod structure;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::content::Document;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::render::RenderedSite;
use crate::resolve::Site;

/// Runs every lint. `today` decides what counts as a future date.
pub fn lint(site: &Site, rendered: &RenderedSite, today: NaiveDate) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(links::check(site, rendered));
    diagnostics.extend(quotes::check(site));
    diagnostics.extend(privacy::check(site));
    diagnostics.extend(structure::check(site));
    diagnostics.extend(notes::check(site));
    diagnostics.extend(front_matter::check(site, today));
    diagnostics
}

/// A Markdown body of any content kind, with what the lints need to know about it.
struct Text<'a> {
    source: &'a Arc<SourceText>,
    body_offset: usize,
    /// Participants' words (quotes, ideas): reported, never reworded by a suggestion.
    verbatim: bool,
    /// The content-file path under `content/`.
    path: &'a str,
}

impl Text<'_> {
    fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

fn text<M>(doc: &Document<M>, verbatim: bool) -> Text<'_> {
    Text {
        source: &doc.source,
        body_offset: doc.body_offset,
        verbatim,
        path: &doc.path,
    }
}

/// Every Markdown body of the site: summaries, sections, quotes, ideas and pages.
fn texts(site: &Site) -> Vec<Text<'_>> {
    let summaries = site.summaries.iter().map(|s| text(&s.doc, false));
    let sections = site.sections.iter().map(|s| text(&s.doc, false));
    let quotes = site.quotes.iter().map(|q| text(&q.doc, true));
    let ideas = site.ideas.iter().map(|i| text(&i.doc, true));
    let pages = site.pages.iter().map(|p| text(&p.doc, false));
    summaries.chain(sections).chain(quotes).chain(ideas).chain(pages).collect()
}

/// The byte range of `value` given for `key` in a document's front matter, so a finding
/// about a field points at the value; the key where the value is not found as written.
fn field_span<M>(doc: &Document<M>, key: &str, value: &str) -> (usize, usize) {
    let front = &doc.source.text[..doc.body_offset];
    let key_at = front
        .match_indices(&format!("{key}:"))
        .map(|(i, _)| i)
        .find(|&i| i == 0 || front[..i].ends_with('\n'))
        .unwrap_or(0);
    match front[key_at..].find(value) {
        Some(i) if !value.is_empty() => (key_at + i, value.len()),
        _ => (key_at, key.len()),
    }
}

/// A warning about a front-matter field's value.
fn field_warning<M>(
    doc: &Document<M>,
    code: &'static str,
    key: &str,
    value: &str,
    message: String,
) -> Diagnostic {
    let (offset, len) = field_span(doc, key, value);
    Diagnostic::error_at(code, &doc.source, offset, len, message).warning()
}
