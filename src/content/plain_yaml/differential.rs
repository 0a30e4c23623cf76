//! The property that makes the fast path safe: for any text it accepts, serde-saphyr (as
//! `parse_yaml` calls it) reads the same value. Front matter is generated in the shapes the
//! fast path accepts and in near misses of them, for every content kind; the fuzz target
//! `plain_yaml` checks the same property on arbitrary bytes.

use std::cell::Cell;
use std::fmt::Debug;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestRunner, contextualize_config};
use serde::de::DeserializeOwned;

use crate::content::front_matter::read_with_serde_saphyr;
use crate::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};

/// Documents per kind: enough to reach every branch of the fast path many times, few
/// enough to stay around a second in a debug build. `PROPTEST_CASES` and
/// `PROPTEST_RNG_SEED` override them, to search longer or elsewhere.
const CASES: u32 = 2_000;

/// What a field holds, so that most generated values fit it and the fast path accepts
/// a fair share of the documents.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Text,
    Number,
    Bool,
    Date,
    List,
    Provenance,
}

/// A field of a kind: its key, what it holds, and whether the kind requires it.
type Field = (&'static str, Shape, bool);

const SUMMARY: &[Field] = &[
    ("title", Shape::Text, true),
    ("lede", Shape::Text, true),
    ("published", Shape::Date, true),
    ("audiences", Shape::List, false),
    ("method", Shape::Text, true),
    ("participants", Shape::Number, false),
    ("source", Shape::Text, true),
    ("weight", Shape::Number, false),
    ("themes", Shape::List, false),
    ("aliases", Shape::List, false),
    ("updated", Shape::Date, false),
    ("draft", Shape::Bool, false),
];
const SECTION: &[Field] = &[
    ("title", Shape::Text, true),
    ("weight", Shape::Number, true),
    ("themes", Shape::List, false),
    ("content_note", Shape::List, false),
    ("aliases", Shape::List, false),
    ("updated", Shape::Date, false),
    ("draft", Shape::Bool, false),
];
const QUOTE: &[Field] = &[
    ("id", Shape::Text, true),
    ("speaker", Shape::Text, false),
    ("voice", Shape::Text, false),
    ("provenance", Shape::Provenance, true),
    ("attribution", Shape::Text, false),
    ("summary", Shape::Text, true),
    ("section", Shape::Text, true),
    ("themes", Shape::List, false),
    ("content_note", Shape::List, false),
    ("aliases", Shape::List, false),
    ("updated", Shape::Date, false),
    ("privacy_reviewed", Shape::Bool, false),
    ("draft", Shape::Bool, false),
];
const RESPONSE: &[Field] = &[
    ("number", Shape::Number, true),
    ("source_id", Shape::Text, false),
    ("date", Shape::Date, false),
    ("topics", Shape::List, false),
    ("respondent", Shape::Text, false),
    ("anonymous", Shape::Bool, false),
    ("summary", Shape::Text, false),
    ("themes", Shape::List, false),
    ("content_note", Shape::List, false),
    ("aliases", Shape::List, false),
    ("updated", Shape::Date, false),
    ("privacy_reviewed", Shape::Bool, false),
    ("draft", Shape::Bool, false),
];
const PAGE: &[Field] = &[
    ("title", Shape::Text, true),
    ("description", Shape::Text, false),
    ("date", Shape::Date, false),
    ("weight", Shape::Number, false),
    ("template", Shape::Text, false),
    ("aliases", Shape::List, false),
    ("updated", Shape::Date, false),
    ("draft", Shape::Bool, false),
];

/// Keys for the stray lines: those of other kinds, and near misses of real ones.
const STRAY_KEYS: &[&str] = &[
    "title",
    "number",
    "themes",
    "speaker",
    "weight",
    "draft",
    "url",
    "Title",
    "TITLE",
    "content-note",
    "colour",
    "_",
    "title ",
    " title",
    "-",
    "? title",
    "\"title\"",
    "'title'",
    "&a title",
    "<<",
    "日本",
];

/// Words that fit a text field whether plain or quoted.
const WORDS: &[&str] = &[
    "a",
    "Parent",
    "foster-care",
    "adults-001",
    "Will Calver, Isabel’s Voice",
    "Parent (of a child, 7)",
    "Dr. A-B",
    "C&D",
    "ok?",
    "a:b",
    "x.y",
    "café",
    "日本語",
    "🙂",
    "a, b",
    "a [b] {c}",
    "50%",
    "e-mail@example.org",
    "https://example.org/a?b=c",
    "verbatim",
    "from-notes",
    "x-",
    "Ünïcode\u{a0}space",
    "zero\u{200b}width",
];

/// Words that fit a text field only as some scalars, or in no scalar the fast path reads.
const TRICKY_WORDS: &[&str] = &[
    "it's",
    "say \"hi\"",
    "[a] {b}",
    "https://example.org/#d",
    "a: b",
    "a :b",
    "- a",
    "true",
    "12",
    "~",
    "\u{a0}a",
    "a\u{85}b",
    "a\u{2028}b",
];

/// Fragments for the values that are anything at all: what YAML reads as other than
/// text, indicators, quotes, escapes, odd whitespace and characters YAML forbids.
const FRAGMENTS: &[&str] = &[
    "",
    "a",
    "b c",
    "true",
    "false",
    "True",
    "FALSE",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "N",
    "~",
    "null",
    "Null",
    "NULL",
    "nUll",
    "0",
    "7",
    "010",
    "007",
    "1_000",
    "1e3",
    "0x1F",
    "0o17",
    "0b1",
    "1.5",
    ".5",
    "-3",
    "+4",
    "4294967296",
    "2147483648",
    ".inf",
    "-.inf",
    ".nan",
    "nan",
    "NaN",
    "inf",
    "=",
    "<<",
    "2022-05-23",
    "2021-02-30",
    "2022-5-3",
    "2022-05-23T10:00:00Z",
    "12:30",
    "1:2:3",
    ":",
    ": ",
    "a: b",
    "a:",
    "#",
    " #c",
    "a#b",
    "- ",
    "-",
    "?",
    "? ",
    ",",
    "[",
    "]",
    "[a, b]",
    "{",
    "}",
    "{a: 1}",
    "&",
    "&x ",
    "*x",
    "!",
    "!!str ",
    "|",
    ">",
    "%",
    "@",
    "`",
    "'",
    "''",
    "\"",
    "\\",
    "\\n",
    "\\\"",
    " ",
    "  ",
    "\t",
    "\r",
    "\n",
    "\n  ",
    "\n- ",
    "\u{a0}",
    "\u{3000}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "\u{1}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{9f}",
    "\u{fffe}",
    "é",
    "日本",
    "🙂",
    "---",
    "...",
];

/// A value made of one to three fragments, or of none.
fn anything() -> BoxedStrategy<String> {
    prop::collection::vec(select(FRAGMENTS), 1..=3)
        .prop_map(|parts| parts.concat())
        .boxed()
}

/// The text of a value that fits `shape`, as importers and editors write it, and now and
/// then a near miss of one.
fn fitting(shape: Shape) -> BoxedStrategy<String> {
    let pick = |fits: &'static [&'static str], misses: &'static [&'static str]| {
        prop_oneof![12 => select(fits), 1 => select(misses)].prop_map(String::from)
    };
    match shape {
        Shape::Text | Shape::List => {
            let word = prop_oneof![12 => select(WORDS), 1 => select(TRICKY_WORDS)];
            prop::collection::vec(word, 1..=3)
                .prop_map(|words| words.join(" "))
                .boxed()
        }
        Shape::Number => prop_oneof![
            12 => (0u64..100).prop_map(|n| n.to_string()),
            1 => (0u64..5_000_000_000).prop_map(|n| n.to_string()),
            1 => (-100i64..0).prop_map(|n| n.to_string()),
        ]
        .boxed(),
        Shape::Bool => pick(&["true", "false"], &["True", "yes", "1"]).boxed(),
        Shape::Date => pick(&["2022-05-23", "2024-02-29"], &["2023-02-29", "2022-5-23"]).boxed(),
        Shape::Provenance => pick(&["verbatim", "from-notes"], &["from_notes", "Verbatim"]).boxed(),
    }
}

/// One scalar for a field of `shape`: nearly always one that fits, written plain or
/// quoted (a date mostly quoted, as the fast path reads no plain date), and now and then
/// anything at all, trailing spaces, a comment or text after the closing quote.
fn scalar(shape: Shape) -> BoxedStrategy<String> {
    let text = prop_oneof![40 => fitting(shape), 1 => anything()];
    let plain = if matches!(shape, Shape::Date) { 4 } else { 60 };
    let written = prop_oneof![
        plain => Just("{}"),
        8 => Just("\"{}\""),
        8 => Just("'{}'"),
        2 => Just("{}   "),
        1 => Just("{} # a note"),
        1 => Just("\"{}\" "),
        1 => Just("'{}'x"),
    ];
    (text, written)
        .prop_map(|(text, written)| written.replacen("{}", &text, 1))
        .boxed()
}

/// What follows a key's colon for a list: block items (`- a` lines, all at one
/// indentation or, now and then, not), a flow list, or nothing.
fn list() -> BoxedStrategy<String> {
    let items = prop::collection::vec(scalar(Shape::List), 1..=3);
    let indent = select(&["", "  ", "    "][..]);
    let odd_indent = prop::option::weighted(0.05, (0usize..3, select(&[" ", "  "][..])));
    prop_oneof![
        20 => (items.clone(), indent, odd_indent).prop_map(|(items, indent, odd)| {
            let mut text = String::new();
            for (i, item) in items.iter().enumerate() {
                let extra = odd.filter(|(at, _)| *at == i).map_or("", |(_, extra)| extra);
                text.push_str(&format!("\n{indent}{extra}- {item}"));
            }
            text
        }),
        1 => items.prop_map(|items| format!(" [{}]", items.join(", "))),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// One field as text: the key, then a scalar after a separator or a list after the
/// colon; now and then a list field holds a scalar, which is the wrong type.
fn field(key: &'static str, shape: Shape) -> BoxedStrategy<String> {
    let separator = prop_oneof![
        60 => Just(": "),
        1 => Just(":"),
        1 => Just(":  "),
        1 => Just(" : "),
    ];
    let value_shape = match shape {
        Shape::List => Shape::Text,
        other => other,
    };
    let scalar_field = (separator, scalar(value_shape))
        .prop_map(move |(separator, value)| format!("{key}{separator}{value}"));
    match shape {
        Shape::List => prop_oneof![
            20 => list().prop_map(move |items| format!("{key}:{items}")),
            1 => scalar_field,
        ]
        .boxed(),
        _ => scalar_field.boxed(),
    }
}

/// Lines that do not belong: keys of other kinds and near misses of keys, list items
/// with no list, comments, blank lines and odd lines.
fn stray() -> BoxedStrategy<String> {
    const ODD_LINES: &[&str] = &[
        "",
        "   ",
        "# a comment",
        "  # an indented comment",
        "---",
        "...",
        "-",
        "- ",
        "  continued",
        "%YAML 1.2",
        "? a",
        "\u{a0}",
        "\u{3000}",
        "\u{feff}",
        "\t",
        "key",
        "title:: x",
        "title:x",
    ];
    prop_oneof![
        3 => (select(STRAY_KEYS), scalar(Shape::Text))
            .prop_map(|(key, value)| format!("{key}: {value}")),
        2 => (select(&["", "  "][..]), scalar(Shape::Text))
            .prop_map(|(indent, item)| format!("{indent}- {item}")),
        2 => select(ODD_LINES).prop_map(String::from),
    ]
    .boxed()
}

/// Front matter for a kind of `fields`: most fields present (nearly always the required
/// ones), in any order, a stray line or two now and then, a final newline or not.
fn document(fields: &'static [Field]) -> BoxedStrategy<String> {
    let present: Vec<_> = fields
        .iter()
        .map(|&(key, shape, required)| {
            prop::option::weighted(if required { 0.97 } else { 0.3 }, field(key, shape))
        })
        .collect();
    let strays = prop_oneof![
        8 => Just(Vec::new()),
        1 => prop::collection::vec(stray(), 1..=3),
    ];
    let lines = (present, strays)
        .prop_map(|(present, strays)| present.into_iter().flatten().chain(strays).collect())
        .prop_shuffle();
    let end = prop_oneof![4 => Just("\n"), 1 => Just("")];
    (lines, end)
        .prop_map(|(lines, end): (Vec<String>, _)| lines.join("\n") + end)
        .boxed()
}

/// Runs the property for `T` on generated documents of `fields`; returns how many
/// documents there were and how many of them the fast path accepted.
fn check<T: DeserializeOwned + PartialEq + Debug>(fields: &'static [Field]) -> (u32, u32) {
    let config = contextualize_config(Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(17),
        failure_persistence: None,
        ..Config::default()
    });
    let cases = config.cases;
    let accepted = Cell::new(0);
    let outcome = TestRunner::new(config).run(&document(fields), |yaml| {
        if let Some(quick) = super::parse::<T>(&yaml) {
            accepted.set(accepted.get() + 1);
            let slow = read_with_serde_saphyr::<T>(&yaml);
            prop_assert!(
                slow.as_ref().is_ok_and(|slow| *slow == quick),
                "the fast path reads {yaml:?} as {quick:?}, serde-saphyr as {slow:?}"
            );
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    (cases, accepted.get())
}

/// Checks `T` and that the fast path accepted at least a tenth of the documents, so
/// that the property is not proven on nothing.
fn check_accepting<T: DeserializeOwned + PartialEq + Debug>(fields: &'static [Field]) {
    let (cases, accepted) = check::<T>(fields);
    assert!(
        accepted * 10 >= cases,
        "the fast path accepted only {accepted} of {cases} documents"
    );
}

#[test]
fn quotes_read_as_serde_saphyr_reads_them() {
    check_accepting::<QuoteMeta>(QUOTE);
}

#[test]
fn responses_read_as_serde_saphyr_reads_them() {
    check_accepting::<ResponseMeta>(RESPONSE);
}

#[test]
fn sections_read_as_serde_saphyr_reads_them() {
    check_accepting::<SectionMeta>(SECTION);
}

#[test]
fn pages_read_as_serde_saphyr_reads_them() {
    check_accepting::<PageMeta>(PAGE);
}

/// A summary's `source` is a map, which the fast path never reads: it accepts no
/// summary, and this holds it to that or to serde-saphyr's value should it ever do.
#[test]
fn summaries_read_as_serde_saphyr_reads_them() {
    check::<SummaryMeta>(SUMMARY);
}
