//! Personal data in quotes and responses: e-mail addresses, UK phone numbers, postcodes,
//! National Insurance numbers and street addresses. Participants sometimes leave contact
//! details in what they wrote; once published they cannot be taken back, so each is an
//! error until an editor has looked and, where the details may be published (an
//! organisation's public contact), says so with `privacy_reviewed: true`.
//!
//! The patterns are tuned against the text of the site in this repository: section numbers, years, "Children
//! Act 1989", ages ("0-25") and dates are not phone numbers; a capitalised acronym next to a
//! number is not a postcode unless it has a postcode's shape.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::Diagnostic;
use crate::resolve::{ItemKind, ItemRef, Site};

/// What kind of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Email,
    Phone,
    Postcode,
    NationalInsurance,
    Address,
}

impl Kind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Email => "privacy/email",
            Kind::Phone => "privacy/phone",
            Kind::Postcode => "privacy/postcode",
            Kind::NationalInsurance => "privacy/ni-number",
            Kind::Address => "privacy/address",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Email => "an e-mail address",
            Kind::Phone => "a UK phone number",
            Kind::Postcode => "a UK postcode",
            Kind::NationalInsurance => "a National Insurance number",
            Kind::Address => "a street address",
        }
    }

    fn redaction(self) -> &'static str {
        match self {
            Kind::Email => "[e-mail address removed]",
            Kind::Phone => "[phone number removed]",
            Kind::Postcode => "[postcode removed]",
            Kind::NationalInsurance => "[National Insurance number removed]",
            Kind::Address => "[address removed]",
        }
    }
}

/// One piece of personal data in a text: its kind and byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub kind: Kind,
    pub range: Range<usize>,
}

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let quotes = (0..site.quotes.len()).flat_map(|q| item(site, ItemKind::Quote, q));
    let responses = (0..site.responses.len()).flat_map(|r| item(site, ItemKind::Response, r));
    quotes.chain(responses).collect()
}

/// The personal data in quote or response `index` (`kind` says which), unless an editor
/// reviewed it; nothing for any other kind of item, whose words are the editors' own.
pub(super) fn item(site: &Site, kind: ItemKind, index: usize) -> Vec<Diagnostic> {
    match kind {
        ItemKind::Quote => {
            let quote = &site.quotes[index];
            if quote.doc.meta.privacy_reviewed {
                return Vec::new();
            }
            diagnostics(&ItemRef::new(kind, index, quote), "this quote")
        }
        ItemKind::Response => {
            let response = &site.responses[index];
            if response.doc.meta.privacy_reviewed {
                return Vec::new();
            }
            diagnostics(&ItemRef::new(kind, index, response), "this response")
        }
        _ => Vec::new(),
    }
}

fn diagnostics(text: &ItemRef<'_>, what: &str) -> Vec<Diagnostic> {
    let body = text.body();
    find(body)
        .into_iter()
        .map(|f| {
            let found = &body[f.range.clone()];
            Diagnostic::error_at(
                f.kind.code(),
                text.source,
                text.body_offset + f.range.start,
                f.range.len(),
                format!("{what} contains {} (`{found}`): personal data must not be published unreviewed", f.kind.name()),
            )
            .with_help(format!(
                "if it may be published (e.g. an organisation's public contact details), add `privacy_reviewed: true` \
                 to the front matter; if it is a private person's, replace it with {} and note the redaction",
                f.kind.redaction()
            ))
        })
        .collect()
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}(?-u:\b)",
    )
});

/// The shapes of a UK postcode (outward code, space, inward code), in capitals as written.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?-u:\b)(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})(?-u:\b)",
    )
});

/// Two prefix letters (never D, F, I, Q, U or V; O not second), six digits, a suffix A–D.
static NI_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?-u:\b)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?-u:\b)",
    )
});

/// Prefixes the NI number scheme never issues, which are used in examples.
const NI_UNUSED_PREFIXES: [&str; 7] = ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"];

/// A house number, then one to three capitalised words and a street word.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?-u:\b)[0-9]{1,3}[A-Za-z]?,? +((?:[A-Z][a-z'’-]+ +){1,3})(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Grove|Terrace|Square|Mews|Way|Place|Row|Court|Parade|Walk|Hill|Rise|Park)(?-u:\b)",
    )
});

/// Words before "Court", "Place"… that name an institution or an idea, not a street.
const NOT_STREETS: [&str; 14] = [
    "Family",
    "High",
    "Crown",
    "Youth",
    "County",
    "Supreme",
    "Magistrates",
    "Magistrates'",
    "Magistrates’",
    "Appeal",
    "Safe",
    "Care",
    "Social",
    "Market",
];

/// Compiles one of this module's constant patterns. Their word boundaries are ASCII ones
/// (`(?-u:\b)`): a Unicode boundary makes the regex engine fall back to a slow search on
/// any text with a non-ASCII character (a "£", a "—"), and an ASCII boundary is only ever
/// more eager (an accented letter next to a postcode counts as a boundary).
fn pattern(source: &str) -> Regex {
    match Regex::new(source) {
        Ok(regex) => regex,
        Err(e) => unreachable!("a constant pattern does not compile: {e}"),
    }
}

/// Every piece of personal data in `text`, in order.
pub(crate) fn find(text: &str) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    let mut add = |kind, range: Range<usize>| found.push(Finding { kind, range });
    for m in EMAIL.find_iter(text) {
        add(Kind::Email, m.range());
    }
    for range in phone_numbers(text) {
        add(Kind::Phone, range);
    }
    for m in POSTCODE.find_iter(text) {
        add(Kind::Postcode, m.range());
    }
    for m in NI_NUMBER.find_iter(text) {
        if !NI_UNUSED_PREFIXES.contains(&&m.as_str()[..2]) {
            add(Kind::NationalInsurance, m.range());
        }
    }
    for c in ADDRESS.captures_iter(text) {
        let (Some(all), Some(words)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if !words
            .as_str()
            .split_whitespace()
            .any(|w| NOT_STREETS.contains(&w))
        {
            add(Kind::Address, all.range());
        }
    }
    found.sort_by_key(|f| (f.range.start, f.range.end));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        if kept
            .last()
            .is_none_or(|last| f.range.start >= last.range.end)
        {
            kept.push(f);
        }
    }
    kept
}

/// UK phone numbers: `0` and 9–10 more digits, or `+44` (optionally `(0)`) and 9–10
/// digits, in at most four groups split by one space or hyphen, the area code possibly in
/// brackets. The first group of a `0` number has at least three digits and later groups
/// at least three, so lists of small numbers, ages and dates do not qualify.
fn phone_numbers(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A start is an ASCII byte, so always a character boundary of `text`.
        let starts = bytes[i] == b'0' || bytes[i] == b'(' || bytes[i..].starts_with(b"+44");
        if starts
            && !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || ".,/+-_£$€#".contains(c))
            && let Some(end) = phone_at(bytes, i)
        {
            found.push(i..end);
            i = end;
            continue;
        }
        i += 1;
    }
    found
}

/// The end of a phone number starting at `start`, if one does.
fn phone_at(bytes: &[u8], start: usize) -> Option<usize> {
    let digit_at = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_digit);
    let mut j = start;
    let international = bytes[j..].starts_with(b"+44");
    let mut bracket = false;
    if international {
        j += 3;
        if bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        if bytes[j..].starts_with(b"(0)") {
            j += 3;
            if bytes.get(j) == Some(&b' ') {
                j += 1;
            }
        }
    } else if bytes[j] == b'(' {
        j += 1;
        bracket = true;
    }
    let first_group = j;
    // Each group: its number of digits and the end of the number if it stopped there.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    loop {
        let run = bytes[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 {
            break;
        }
        j += run;
        if bracket {
            if bytes.get(j) != Some(&b')') {
                return None;
            }
            bracket = false;
            j += 1;
        }
        groups.push((run, j));
        if groups.len() == 6 {
            break;
        }
        if digit_at(j) {
            continue;
        }
        if matches!(bytes.get(j), Some(b' ' | b'-')) && digit_at(j + 1) {
            j += 1;
            continue;
        }
        break;
    }
    (1..=groups.len().min(4)).rev().find_map(|n| {
        let taken = &groups[..n];
        let end = taken[n - 1].1;
        let next_ok = !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
            && (n == groups.len() || !digit_at(end));
        let sizes: Vec<usize> = taken.iter().map(|&(run, _)| run).collect();
        let digits: usize = sizes.iter().sum();
        let later_ok = sizes.iter().skip(1).all(|&g| g >= 3);
        let valid = if international {
            (9..=10).contains(&digits) && bytes.get(first_group) != Some(&b'0')
        } else {
            let leading: Vec<u8> = bytes[start..end]
                .iter()
                .filter(|b| b.is_ascii_digit())
                .take(2)
                .copied()
                .collect();
            leading.first() == Some(&b'0')
                && leading.get(1).is_some_and(|&d| d != b'0')
                && (10..=11).contains(&digits)
                && sizes[0] >= 3
        };
        (next_ok && later_ok && valid).then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            kinds("write to jo.bloggs+review@example.co.uk."),
            [(Kind::Email, "jo.bloggs+review@example.co.uk")]
        );
        assert!(kinds("we met @ the centre; see @/summaries/a.md and twitter @review").is_empty());
    }

    #[test]
    fn uk_phone_numbers() {
        for number in [
            "020 7946 0000",
            "07700 900123",
            "07700-900-123",
            "(01632) 960001",
            "+44 7700 900123",
            "+44 (0)20 7946 0000",
            "0800 123 4567",
            "01632960001",
        ] {
            assert_eq!(
                kinds(&format!("Call {number} today")),
                [(Kind::Phone, number)],
                "{number}"
            );
        }
    }

    #[test]
    fn numbers_that_are_not_phone_numbers() {
        for text in [
            "a section 47 enquiry",
            "the Children Act 1989 and 2004",
            "in 2019 2020 2021",
            "young people aged 0-25 years",
            "on 01/02/2021 and 01.02.2021",
            "0 1 2 3 4 5 6 7 8 9",
            "£0 123 4567 8",
            "ref 012345678901234",
            "figures of 0.5 and 0,75",
            "page 0123 456",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    /// `chorus check` on the content of the site in this repository once panicked here: a phone number is looked
    /// for only at ASCII bytes, never inside a character such as `´`.
    #[test]
    fn text_with_non_ascii_characters_is_scanned_without_slicing_them() {
        assert!(kinds("today´s (´0´) — £0 and ´(0").is_empty());
        assert_eq!(
            kinds("today´s number: 07700 900123"),
            [(Kind::Phone, "07700 900123")]
        );
    }

    #[test]
    fn postcodes() {
        for code in [
            "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB",
        ] {
            assert_eq!(
                kinds(&format!("at {code}.")),
                [(Kind::Postcode, code)],
                "{code}"
            );
        }
        for text in [
            "SEND and CAMHS",
            "the A1 road",
            "COVID-19",
            "KS2 results",
            "Year 10 pupils",
            "sw1a 1aa",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn national_insurance_numbers() {
        assert_eq!(
            kinds("NI AB 12 34 56 C"),
            [(Kind::NationalInsurance, "AB 12 34 56 C")]
        );
        assert_eq!(kinds("JG103759A"), [(Kind::NationalInsurance, "JG103759A")]);
        assert!(kinds("GB 12 34 56 A, QQ123456C and AB 12 34 56 E").is_empty());
    }

    #[test]
    fn street_addresses() {
        assert_eq!(
            kinds("she lives at 12 Acacia Avenue now"),
            [(Kind::Address, "12 Acacia Avenue")]
        );
        assert_eq!(
            kinds("14b, Old Mill Lane"),
            [(Kind::Address, "14b, Old Mill Lane")]
        );
        for text in [
            "3 Family Court hearings",
            "in 2 High Court cases",
            "10 social workers lane",
            "5 Local Authorities",
            "2 Safe Place",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }
}
