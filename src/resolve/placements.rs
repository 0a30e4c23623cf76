//! Quote placements: each `{{ quote(id="…") }}` line of a section places that quote there.
//! A quote should stand in exactly one place, where its anchor and its permalink point.

use std::collections::HashMap;

use super::{ItemKind, Placement, Site, find_shortcodes, shortcode_lookalikes};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Finds the shortcodes of every section, records each section's placements and each
/// quote's `placed`, and warns of quotes placed nowhere or more than once.
pub fn place_quotes(site: &mut Site, found: &mut Diagnostics) {
    let quote_by_id: HashMap<&str, usize> = site
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| (q.doc.meta.id.as_str(), i))
        .collect();
    let mut placed_count = vec![0usize; site.quotes.len()];
    for section in &mut site.sections {
        let (codes, errors) = find_shortcodes(section.doc.body());
        let base = section.doc.body_offset;
        for error in errors {
            found.push(Diagnostic::error_at(
                "shortcode/syntax",
                &section.doc.source,
                base + error.range.start,
                error.range.len(),
                error.message,
            ));
        }
        for code in codes {
            match quote_by_id.get(code.id.as_str()) {
                Some(&quote) => {
                    placed_count[quote] += 1;
                    section.placements.push(Placement {
                        range: code.range,
                        quote,
                    });
                }
                None => found.push(
                    Diagnostic::error_at(
                        "shortcode/unknown-quote",
                        &section.doc.source,
                        base + code.range.start,
                        code.range.len(),
                        format!("there is no quote with the id `{}`", code.id),
                    )
                    .with_help(
                        "check the id against the `id` field of the files in content/quotes/",
                    ),
                ),
            }
        }
    }
    for (quote, count) in site.quotes.iter_mut().zip(placed_count) {
        quote.placed = count > 0;
        let id = &quote.doc.meta.id;
        let (offset, len) = quote.doc.field_span("id", id);
        let source = &quote.doc.source;
        match count {
            0 => found.push(
                Diagnostic::error_at("quote/unplaced", source, offset, len,
                    format!("the quote `{id}` is not placed in any section"))
                .with_help(format!("add {{{{ quote(id=\"{id}\") }}}} where it belongs in its section"))
                .warning(),
            ),
            1 => {}
            n => found.push(
                Diagnostic::error_at("quote/placed-twice", source, offset, len,
                    format!("the quote `{id}` is placed {n} times; its anchor and permalink need one place"))
                .with_help("keep one shortcode for it")
                .warning(),
            ),
        }
    }
}

/// Text that looks like a shortcode where none can stand is an error, so that no page ever
/// prints `{{ quote(…) }}` as text: in a section, one that is not on a line of its own; in
/// any other kind, every one (only sections place quotes). `\{{` shows the braces as text.
pub fn refuse_stray_shortcodes(site: &Site, found: &mut Diagnostics) {
    for item in site.items() {
        let body = item.body();
        for range in shortcode_lookalikes(body) {
            let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
            let alone = body[line_start..range.start].trim().is_empty();
            let message = match item.kind {
                ItemKind::Section if alone => continue,
                ItemKind::Section => {
                    "text that looks like a shortcode is inside a paragraph: a quote shortcode stands on a line of its own"
                        .to_string()
                }
                kind => format!(
                    "text that looks like a shortcode is in {}: only sections place quotes",
                    match kind {
                        ItemKind::Summary => "a summary's introduction",
                        ItemKind::Quote => "a quote",
                        ItemKind::Response => "a response",
                        _ => "a page",
                    }
                ),
            };
            found.push(
                Diagnostic::error_at(
                    "shortcode/misplaced",
                    item.source,
                    item.body_offset + range.start,
                    range.len(),
                    message,
                )
                .with_help(
                    "to place a quote, put its shortcode on a line of its own in a section; to link to one, \
                     write [its words](@/quotes/<summary>/<id>.md); to show the braces as text, write \\{{",
                ),
            );
        }
    }
}
