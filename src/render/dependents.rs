//! Which pages an edit can change: what lets `serve` re-render a handful of pages after
//! a save instead of the whole site.
//!
//! The rules cover the edits editors make all day: the words or front matter of quotes
//! and responses, and the prose of sections. Anything that can reach further — a file added
//! or removed, a summary edited, a section's front matter (its
//! title is in every page of its summary), a change of tagging or of which quotes a
//! section places — gets no answer, and the caller renders everything. A free-standing
//! page (the home page, the accessibility statement, a news item) re-renders itself and,
//! for news, the lists that show it. An edited item with change notes also re-renders the
//! list of updates and its feed. The integration
//! tests check that the pages named here, rendered over the previous output, give exactly
//! what a full render gives.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::PageJob;
use crate::content::Document;
use crate::content::kinds::Meta;
use crate::resolve::{PageKind, Section, Site, TaxonomyTerm};
use crate::vocabulary::TaxonomyKind;

/// The pages whose output can differ between `old` and `new`: two resolutions, under the
/// same configuration, vocabularies and templates, of content where only some files were
/// edited (an unchanged file keeps its loaded document, so its source is the same `Arc`).
///
/// `None` when the edit may reach pages these rules do not follow. The data page, the
/// data files and the search index depend on every quote and response and are not listed:
/// the caller rebuilds them after any change.
pub fn changed_pages(old: &Site, new: &Site) -> Option<BTreeSet<PageJob>> {
    let same_shape = old.aliases == new.aliases
        && old.assets == new.assets
        && old.link_targets == new.link_targets
        && unchanged(&old.summaries, &new.summaries, |s| &s.doc)
        && old.pages.len() == new.pages.len()
        && same_taxonomies(old, new)
        && old.sections.len() == new.sections.len()
        && old.quotes.len() == new.quotes.len()
        && old.responses.len() == new.responses.len();
    if !same_shape {
        return None;
    }
    let mut pages = BTreeSet::new();
    if !edited_pages(old, new, &mut pages) {
        return None;
    }
    for (i, (was, now)) in old.sections.iter().zip(&new.sections).enumerate() {
        if (was.path.as_str(), was.summary, was.prev, was.next)
            != (now.path.as_str(), now.summary, now.prev, now.next)
            || !placed(was).eq(placed(now))
        {
            return None;
        }
        if !Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            if was.doc.meta != now.doc.meta {
                return None;
            }
            pages.insert(PageJob::Section(i));
        }
    }
    for (q, (was, now)) in old.quotes.iter().zip(&new.quotes).enumerate() {
        if (was.path.as_str(), was.summary, was.section, was.placed)
            != (now.path.as_str(), now.summary, now.section, now.placed)
        {
            return None;
        }
        if !Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            pages.insert(PageJob::Quote(q));
            if has_changes(&was.doc.meta, &now.doc.meta) {
                pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
            }
            for (s, section) in new.sections.iter().enumerate() {
                if section.placements.iter().any(|p| p.quote == q) {
                    pages.insert(PageJob::Section(s));
                }
            }
            // A term lists its quotes on its first page only.
            for_terms(new, |kind, t, term| {
                if term.quotes.contains(&q) {
                    pages.insert(PageJob::Term(kind, t, 1));
                }
            });
        }
    }
    let size = new.config.site.page_size;
    for (i, (was, now)) in old.responses.iter().zip(&new.responses).enumerate() {
        if (was.path.as_str(), was.id.as_str()) != (now.path.as_str(), now.id.as_str()) {
            return None;
        }
        if !Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            pages.insert(PageJob::Response(i));
            if has_changes(&was.doc.meta, &now.doc.meta) {
                pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
            }
            pages.insert(PageJob::Responses(i / size + 1));
            for_terms(new, |kind, t, term| {
                if let Some(at) = term.responses.iter().position(|&d| d == i) {
                    pages.insert(PageJob::Term(kind, t, at / size + 1));
                }
            });
        }
    }
    Some(pages)
}

/// Adds the pages an edit of free-standing pages changes: the page itself; for a news
/// item also the news list, the home page (its latest news) and the feed. `false` when a
/// page moved or changed kind.
fn edited_pages(old: &Site, new: &Site, pages: &mut BTreeSet<PageJob>) -> bool {
    let home = new.pages.iter().position(|p| p.kind == PageKind::Home);
    for (i, (was, now)) in old.pages.iter().zip(&new.pages).enumerate() {
        if (was.path.as_str(), was.kind) != (now.path.as_str(), now.kind) {
            return false;
        }
        if Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            continue;
        }
        pages.insert(PageJob::Page(i));
        if now.kind == PageKind::News {
            pages.extend([PageJob::News, PageJob::Atom]);
            pages.extend(home.map(PageJob::Page));
        }
        if has_changes(&was.doc.meta, &now.doc.meta) {
            pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
        }
    }
    true
}

/// Whether the item was or is on the list of updates (its title or notes may be there).
fn has_changes(was: &impl Meta, now: &impl Meta) -> bool {
    !was.changes().is_empty() || !now.changes().is_empty()
}

/// The quotes a section places, in body order.
fn placed(section: &Section) -> impl Iterator<Item = usize> + '_ {
    section.placements.iter().map(|p| p.quote)
}

/// Whether both lists hold the very same documents, in the same order.
fn unchanged<T, M>(old: &[T], new: &[T], doc: impl Fn(&T) -> &Document<M>) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| Arc::ptr_eq(&doc(a).source, &doc(b).source))
}

/// Whether every term tags the same summaries, sections, quotes and responses in both.
fn same_taxonomies(old: &Site, new: &Site) -> bool {
    TaxonomyKind::ALL.iter().all(|&kind| {
        let (a, b) = (old.taxonomy(kind), new.taxonomy(kind));
        a.terms.len() == b.terms.len()
            && a.terms.iter().zip(&b.terms).all(|(x, y)| {
                x.path == y.path
                    && x.summaries == y.summaries
                    && x.sections == y.sections
                    && x.quotes == y.quotes
                    && x.responses == y.responses
            })
    })
}

/// Calls `visit` with every term of every taxonomy.
fn for_terms(site: &Site, mut visit: impl FnMut(TaxonomyKind, usize, &TaxonomyTerm)) {
    for kind in TaxonomyKind::ALL {
        for (t, term) in site.taxonomy(kind).terms.iter().enumerate() {
            visit(kind, t, term);
        }
    }
}
