//! A distressing passage without its content note: the rules of `data/content-notes.yaml`,
//! applied by the same matcher importers use to give notes ([`crate::rules`]), to every section,
//! quote and response whose `content_note` lacks a note that its words call for. Sections are
//! read with their title, as an importer that gives notes by keyword reads them.

use crate::content::Document;
use crate::diagnostics::Diagnostic;
use crate::resolve::{ItemKind, Site};
use crate::rules::{Haystack, KeywordRule, first_matches, prose};

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let rules = rules(site);
    let sections = (0..site.sections.len()).map(|s| (ItemKind::Section, s));
    let quotes = (0..site.quotes.len()).map(|q| (ItemKind::Quote, q));
    let responses = (0..site.responses.len()).map(|r| (ItemKind::Response, r));
    sections
        .chain(quotes)
        .chain(responses)
        .flat_map(|(kind, index)| item(&rules, site, kind, index))
        .collect()
}

/// The rules of `data/content-notes.yaml`, ready to match.
pub(super) fn rules(site: &Site) -> Vec<KeywordRule> {
    site.vocabularies
        .content_notes
        .iter()
        .map(|rule| KeywordRule::new(&rule.note, &rule.keywords))
        .collect()
}

/// The notes that section, quote or response `index` (`kind` says which) lacks; nothing
/// for a summary or a page.
pub(super) fn item(
    rules: &[KeywordRule],
    site: &Site,
    kind: ItemKind,
    index: usize,
) -> Vec<Diagnostic> {
    if rules.is_empty() {
        return Vec::new();
    }
    match kind {
        ItemKind::Section => {
            let doc = &site.sections[index].doc;
            missing(rules, doc, Some(&doc.meta.title), &doc.meta.content_note)
        }
        ItemKind::Quote => {
            let doc = &site.quotes[index].doc;
            missing(rules, doc, None, &doc.meta.content_note)
        }
        ItemKind::Response => {
            let doc = &site.responses[index].doc;
            missing(rules, doc, None, &doc.meta.content_note)
        }
        ItemKind::Summary | ItemKind::Page => Vec::new(),
    }
}

/// A warning for each rule that matches the document but whose note it does not have, at
/// the first words that call for it.
fn missing<M>(
    rules: &[KeywordRule],
    doc: &Document<M>,
    title: Option<&str>,
    notes: &[String],
) -> Vec<Diagnostic> {
    let title_part = title.map(|t| format!("{t}\n\n")).unwrap_or_default();
    let text = format!("{title_part}{}", prose(doc.body()));
    let matches = first_matches(rules, &Haystack::new(&text));
    rules
        .iter()
        .zip(matches)
        .filter(|(rule, _)| !notes.iter().any(|n| n.eq_ignore_ascii_case(&rule.label)))
        .filter_map(|(rule, found)| {
            let found = found?;
            let words = text[found.clone()].split_whitespace().collect::<Vec<_>>().join(" ");
            let (offset, len) = if found.start < title_part.len() {
                let front = &doc.source.text[..doc.body_offset];
                let at = front.find(&text[found.clone()]).unwrap_or(0);
                (at, found.len())
            } else {
                (doc.body_offset + found.start - title_part.len(), found.len())
            };
            let note = &rule.label;
            Some(
                Diagnostic::error_at(
                    "content-note/missing",
                    &doc.source,
                    offset,
                    len,
                    format!("“{words}” calls for the content note `{note}`, which this file does not have"),
                )
                .with_help(format!(
                    "add `{note}` to `content_note` in the front matter so readers are warned before the text; \
                     if the words do not describe the subject, leave it out and tell whoever keeps data/content-notes.yaml"
                ))
                .warning(),
            )
        })
        .collect()
}
