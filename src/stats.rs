//! The content report of `chorus stats`: counts per document, so an editor can see at a
//! glance that nothing went missing.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::resolve::Site;
use crate::vocabulary::TaxonomyKind;

/// The report as text: per summary its sections and quotes (with quotes per voice), then
/// the responses with responses per topic.
pub fn report(site: &Site) -> String {
    let mut out = String::new();
    for (i, summary) in site.summaries.iter().enumerate() {
        let quotes: Vec<_> = site.quotes.iter().filter(|q| q.summary == i).collect();
        let _ = writeln!(out, "{} ({})", summary.doc.meta.title, summary.slug);
        let _ = writeln!(out, "  sections: {}", summary.sections.len());
        let _ = writeln!(out, "  quotes:   {}", quotes.len());
        let mut by_voice: BTreeMap<&str, usize> = BTreeMap::new();
        for quote in &quotes {
            *by_voice
                .entry(
                    quote
                        .doc
                        .meta
                        .voice
                        .as_deref()
                        .unwrap_or("(no attribution)"),
                )
                .or_default() += 1;
        }
        for (voice, count) in by_voice {
            let _ = writeln!(out, "    {voice:<40} {count:>5}");
        }
    }
    let name = &site.config.site.responses.name;
    let _ = writeln!(out, "{name}: {}", site.responses.len());
    let anonymous = site
        .responses
        .iter()
        .filter(|r| r.doc.meta.anonymous)
        .count();
    let _ = writeln!(out, "  published anonymously: {anonymous}");
    for term in &site.taxonomy(TaxonomyKind::Topics).terms {
        let _ = writeln!(
            out,
            "    {:<40} {:>5}",
            term.term.name,
            term.responses.len()
        );
    }
    let news = site.news().len();
    let _ = writeln!(out, "News items: {news}");
    let _ = writeln!(out, "Pages: {}", site.pages.len());
    out
}
