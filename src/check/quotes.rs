//! The same quote text in two files: usually one quote imported twice, which then has two
//! permalinks and is counted twice in the data. (Quotes never placed or placed twice are
//! found by the resolve stage, which `check` runs first.)

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::resolve::Site;

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut diagnostics = Vec::new();
    for (i, quote) in site.quotes.iter().enumerate() {
        let words = comparable(quote.doc.body());
        if words.is_empty() {
            continue;
        }
        match first.get(&words) {
            Some(&earlier) => {
                let other = &site.quotes[earlier].doc;
                let body = quote.doc.body();
                let lead = body.len() - body.trim_start().len();
                diagnostics.push(
                    Diagnostic::error_at(
                        "quote/duplicate-text",
                        &quote.doc.source,
                        quote.doc.body_offset + lead,
                        body.trim().len(),
                        format!(
                            "the quote `{}` has the same words as `{}` ({})",
                            quote.doc.meta.id, other.meta.id, other.source.name
                        ),
                    )
                    .with_help("if it is one quote imported twice, keep one file and place it once; if the source really repeats it, compare both with the source")
                    .warning(),
                );
            }
            None => {
                first.insert(words, i);
            }
        }
    }
    diagnostics
}

/// The words of a quote as compared: letters and digits only, lowercase, so that a
/// difference in quotation marks, punctuation or line breaks does not hide a copy.
fn comparable(body: &str) -> String {
    body.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::comparable;

    #[test]
    fn punctuation_quotation_marks_and_line_breaks_do_not_hide_a_copy() {
        assert_eq!(
            comparable("\u{201c}We were\nnot heard.\u{201d}"),
            comparable("\"We were not heard\"")
        );
        assert_ne!(comparable("We were heard"), comparable("We were not heard"));
    }
}
