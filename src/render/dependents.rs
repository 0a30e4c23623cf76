//! Which pages an edit can change: what lets `serve` re-render a handful of pages after
//! a save instead of the whole site.
//!
//! The rules follow what each page's template context holds (`pages.rs`), not what a
//! theme happens to print of it, so they hold for any theme. They cover the edits editors
//! make all day:
//!
//! - the words of a quote or a response: the pages that show it;
//! - the prose of a section: its page;
//! - a section's front matter (its title, content note, dates): every page that shows the
//!   section's title: its summary's pages, the home page, its quotes wherever they are
//!   shown, and the terms that list it;
//! - a change of tagging (a quote's themes or voice, a response's topics, a section's
//!   themes): the pages that show the edited item, and for every term whose members
//!   changed, its pages and every page that lists its taxonomy with counts (the
//!   taxonomy's page, the search page, and the home page or the list of responses). An
//!   item's tags are links without counts, so the term's other items are not concerned;
//! - a free-standing page (the home page, the accessibility statement, a news item): the
//!   page, and for news the lists that show it.
//!
//! An item with change notes also re-renders the list of updates and its feed. Anything
//! that can reach further gets no answer, and the caller renders everything: a file added
//! or removed, a summary edited (its title is in every page's navigation), a section or
//! quote moved, a term that gains its first item or loses its last (the set of pages
//! changes), a quote placed or unplaced. The integration tests check that the pages named
//! here, rendered over the previous output, give exactly what a full render gives.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::PageJob;
use super::pages::{has_page, page_count};
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
        && old.sections.len() == new.sections.len()
        && old.quotes.len() == new.quotes.len()
        && old.responses.len() == new.responses.len();
    if !same_shape {
        return None;
    }
    let mut pages = BTreeSet::new();
    if !edited_pages(old, new, &mut pages) || !retagged(old, new, &mut pages) {
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
            pages.insert(PageJob::Section(i));
            if was.doc.meta != now.doc.meta {
                shows_section(new, i, &mut pages);
            }
            if has_changes(&was.doc.meta, &now.doc.meta) {
                pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
            }
        }
    }
    for (q, (was, now)) in old.quotes.iter().zip(&new.quotes).enumerate() {
        if (was.path.as_str(), was.summary, was.section, was.placed)
            != (now.path.as_str(), now.summary, now.section, now.placed)
        {
            return None;
        }
        if !Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            shows_quote(new, q, &mut pages);
            if has_changes(&was.doc.meta, &now.doc.meta) {
                pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
            }
        }
    }
    for (i, (was, now)) in old.responses.iter().zip(&new.responses).enumerate() {
        if (was.path.as_str(), was.id.as_str()) != (now.path.as_str(), now.id.as_str()) {
            return None;
        }
        if !Arc::ptr_eq(&was.doc.source, &now.doc.source) {
            shows_response(new, i, &mut pages);
            if has_changes(&was.doc.meta, &now.doc.meta) {
                pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
            }
        }
    }
    Some(pages)
}

/// Adds the pages an edit of free-standing pages changes: the page itself; for a news
/// item also the news list, the home page (its latest news) and the feed. `false` when a
/// page moved or changed kind.
fn edited_pages(old: &Site, new: &Site, pages: &mut BTreeSet<PageJob>) -> bool {
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
            pages.extend(home(new));
        }
        if has_changes(&was.doc.meta, &now.doc.meta) {
            pages.extend([PageJob::Updates, PageJob::UpdatesFeed]);
        }
    }
    true
}

/// Adds the pages a change of tagging changes, for every term whose members differ: the
/// term's pages (its items and counts) and the pages that list its taxonomy with counts
/// (the taxonomy's page, the search page, and the home page or the lists of responses).
/// An item's tags carry no counts, so the other items of the term are not shown anew; the
/// pages of an item whose own tags changed follow from its edit. `false` when a
/// taxonomy's pages are not the same pages any more (a term gained its first item, lost its
/// last, or its responses take another number of pages).
fn retagged(old: &Site, new: &Site, pages: &mut BTreeSet<PageJob>) -> bool {
    let size = new.config.site.page_size;
    for kind in TaxonomyKind::ALL {
        let (a, b) = (old.taxonomy(kind), new.taxonomy(kind));
        if a.path != b.path || a.terms.len() != b.terms.len() {
            return false;
        }
        let mut counts_changed = false;
        for (t, (x, y)) in a.terms.iter().zip(&b.terms).enumerate() {
            if x.path != y.path || x.summaries != y.summaries {
                return false;
            }
            if same_members(x, y) {
                continue;
            }
            let same_pages = has_page(x) == has_page(y)
                && page_count(x.responses.len(), size) == page_count(y.responses.len(), size);
            if !same_pages {
                return false;
            }
            counts_changed = true;
            pages.extend(PageJob::term(new, kind, t));
        }
        if counts_changed {
            pages.extend([PageJob::Taxonomy(kind), PageJob::Search]);
            match kind {
                TaxonomyKind::Themes | TaxonomyKind::Voices => pages.extend(home(new)),
                TaxonomyKind::Topics => {
                    let lists = page_count(new.responses.len(), size);
                    pages.extend((1..=lists).map(PageJob::Responses));
                }
            }
        }
    }
    true
}

/// Adds the pages that show quote `q`: its own, the sections that place it and the first
/// page of each term that lists it (a term lists its quotes on its first page only).
fn shows_quote(site: &Site, q: usize, pages: &mut BTreeSet<PageJob>) {
    pages.insert(PageJob::Quote(q));
    for (s, section) in site.sections.iter().enumerate() {
        if section.placements.iter().any(|p| p.quote == q) {
            pages.insert(PageJob::Section(s));
        }
    }
    for_terms(site, |kind, t, term| {
        if term.quotes.contains(&q) {
            pages.insert(PageJob::Term(kind, t, 1));
        }
    });
}

/// Adds the pages that show response `r`: its own, the page of the list of every response
/// and the page of each of its terms where it stands.
fn shows_response(site: &Site, r: usize, pages: &mut BTreeSet<PageJob>) {
    let size = site.config.site.page_size;
    pages.insert(PageJob::Response(r));
    pages.insert(PageJob::Responses(r / size + 1));
    for_terms(site, |kind, t, term| {
        if let Some(at) = term.responses.iter().position(|&d| d == r) {
            pages.insert(PageJob::Term(kind, t, at / size + 1));
        }
    });
}

/// Adds the pages that show what section `s`'s front matter gives: its title is in the
/// contents of its summary (the summary's page, each of its sections and the home page
/// show them), in each of its quotes wherever it is shown, and in the first page of each
/// term that lists the section.
fn shows_section(site: &Site, s: usize, pages: &mut BTreeSet<PageJob>) {
    shows_summary(site, site.sections[s].summary, pages);
    for (q, quote) in site.quotes.iter().enumerate() {
        if quote.section == s {
            shows_quote(site, q, pages);
        }
    }
    for_terms(site, |kind, t, term| {
        if term.sections.contains(&s) {
            pages.insert(PageJob::Term(kind, t, 1));
        }
    });
}

/// Adds the pages that show what summary `s` is (its title, its tags, its contents): its
/// page, each of its sections and the home page.
fn shows_summary(site: &Site, s: usize, pages: &mut BTreeSet<PageJob>) {
    pages.insert(PageJob::Summary(s));
    pages.extend(
        site.summaries[s]
            .sections
            .iter()
            .map(|&x| PageJob::Section(x)),
    );
    pages.extend(home(site));
}

/// The home page, if the site has one.
fn home(site: &Site) -> Option<PageJob> {
    let home = site.pages.iter().position(|p| p.kind == PageKind::Home);
    home.map(PageJob::Page)
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

/// Whether a term tags the same sections, quotes and responses in both sites.
fn same_members(x: &TaxonomyTerm, y: &TaxonomyTerm) -> bool {
    x.sections == y.sections && x.quotes == y.quotes && x.responses == y.responses
}

/// Calls `visit` with every term of every taxonomy.
fn for_terms(site: &Site, mut visit: impl FnMut(TaxonomyKind, usize, &TaxonomyTerm)) {
    for kind in TaxonomyKind::ALL {
        for (t, term) in site.taxonomy(kind).terms.iter().enumerate() {
            visit(kind, t, term);
        }
    }
}
