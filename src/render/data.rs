//! Open data: every quote and response as CSV (RFC 4180, UTF-8, header row) and JSON, for
//! researchers. Written with the `csv` and `serde_json` crates, never by hand.
//!
//! Participants' words go into spreadsheets: in the CSV files a cell that a spreadsheet
//! would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return)
//! starts with a `'` instead, as OWASP's advice on CSV injection says; the JSON files keep
//! every text exactly.

use std::borrow::Cow;

use serde::Serialize;

use super::views::{QuoteView, ResponseView};
use crate::config::Responses;
use crate::output::{FileData, OutputFile};

/// One quote as a data row.
#[derive(Debug, Serialize)]
pub struct QuoteRecord<'a> {
    pub id: &'a str,
    pub summary: Cow<'a, str>,
    pub section: Cow<'a, str>,
    pub speaker: Cow<'a, str>,
    pub voice: Cow<'a, str>,
    pub provenance: &'a str,
    pub attribution: Cow<'a, str>,
    pub themes: Cow<'a, str>,
    pub content_note: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub permalink: &'a str,
}

/// One response as a data row.
#[derive(Debug, Serialize)]
pub struct ResponseRecord<'a> {
    pub id: &'a str,
    pub number: u32,
    pub topics: Cow<'a, str>,
    pub topic_slugs: String,
    pub themes: Cow<'a, str>,
    pub respondent: Cow<'a, str>,
    pub anonymous: bool,
    pub text: Cow<'a, str>,
    pub permalink: &'a str,
}

/// A cell a spreadsheet cannot run: text starting with a formula's first character gets a
/// leading `'`, which spreadsheets show as text (OWASP, "CSV Injection").
pub fn spreadsheet_safe(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

impl QuoteRecord<'_> {
    /// The record as the CSV file holds it.
    fn for_spreadsheet(self) -> Self {
        QuoteRecord {
            summary: spreadsheet_safe(self.summary),
            section: spreadsheet_safe(self.section),
            speaker: spreadsheet_safe(self.speaker),
            voice: spreadsheet_safe(self.voice),
            attribution: spreadsheet_safe(self.attribution),
            themes: spreadsheet_safe(self.themes),
            content_note: spreadsheet_safe(self.content_note),
            text: spreadsheet_safe(self.text),
            ..self
        }
    }
}

impl ResponseRecord<'_> {
    /// The record as the CSV file holds it.
    fn for_spreadsheet(self) -> Self {
        ResponseRecord {
            topics: spreadsheet_safe(self.topics),
            themes: spreadsheet_safe(self.themes),
            respondent: spreadsheet_safe(self.respondent),
            text: spreadsheet_safe(self.text),
            ..self
        }
    }
}

/// Terms are joined with "; " in one column, as consultation platforms' exports list a
/// multiple choice.
fn join(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join("; ")
}

/// The quotes as rows; `(view, plain text)` each.
pub fn quote_records<'a>(quotes: &[(&'a QuoteView, &'a str)]) -> Vec<QuoteRecord<'a>> {
    quotes
        .iter()
        .map(|&(q, text)| QuoteRecord {
            id: &q.id,
            summary: Cow::Borrowed(&q.summary.title),
            section: Cow::Borrowed(&q.section.title),
            speaker: Cow::Borrowed(q.speaker.as_deref().unwrap_or("")),
            voice: Cow::Borrowed(q.voice.as_ref().map_or("", |v| v.name.as_str())),
            provenance: q.provenance,
            attribution: Cow::Borrowed(q.attribution.as_deref().unwrap_or("")),
            themes: Cow::Owned(join(q.themes.iter().map(|t| t.name.clone()))),
            content_note: Cow::Owned(q.content_note.join("; ")),
            text: Cow::Borrowed(text),
            permalink: &q.permalink,
        })
        .collect()
}

/// The responses as rows; `(view, plain text)` each.
pub fn response_records<'a>(responses: &[(&'a ResponseView, &'a str)]) -> Vec<ResponseRecord<'a>> {
    responses
        .iter()
        .map(|&(r, text)| ResponseRecord {
            id: &r.id,
            number: r.number,
            topics: Cow::Owned(join(r.topics.iter().map(|t| t.name.clone()))),
            topic_slugs: r
                .topics
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            themes: Cow::Owned(join(r.themes.iter().map(|t| t.name.clone()))),
            respondent: Cow::Borrowed(r.respondent.as_deref().unwrap_or("")),
            anonymous: r.anonymous,
            text: Cow::Borrowed(text),
            permalink: &r.permalink,
        })
        .collect()
}

fn csv_bytes<T: Serialize>(records: &[T]) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in records {
        writer.serialize(record).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// A column of a data file and what it holds, for the "Download the data" page.
#[derive(Debug, Serialize)]
pub struct Column {
    pub name: &'static str,
    pub description: String,
}

impl Column {
    fn new(name: &'static str, description: impl Into<String>) -> Column {
        Column {
            name,
            description: description.into(),
        }
    }
}

/// The quote files' columns, in order.
pub fn quote_columns() -> Vec<Column> {
    vec![
        Column::new(
            "id",
            "the quote's identifier, also the last part of its web address",
        ),
        Column::new(
            "summary",
            "the title of the engagement summary the quote appears in",
        ),
        Column::new("section", "the title of the section that places the quote"),
        Column::new(
            "speaker",
            "who spoke, exactly as the source names them; empty where the source names no one",
        ),
        Column::new(
            "voice",
            "the speaker group the speaker belongs to; empty where there is no speaker",
        ),
        Column::new(
            "provenance",
            "verbatim (the participant's own words) or from-notes (taken from notes, as the source says)",
        ),
        Column::new(
            "attribution",
            "what the source prints about where the words come from, word for word (such as \"from notes\"); empty where it prints nothing but the speaker",
        ),
        Column::new("themes", "the themes of the quote, separated by \"; \""),
        Column::new(
            "content_note",
            "distressing subjects the quote mentions, separated by \"; \"",
        ),
        Column::new("text", "the words of the quote"),
        Column::new("permalink", "the quote's web address"),
    ]
}

/// The response files' columns, in order, in the words of the site's `responses`
/// settings; `summary` is the title of the summary every response belongs to, if there is
/// one.
pub fn response_columns(responses: &Responses, summary: Option<&str>) -> Vec<Column> {
    let one = responses.singular.to_lowercase();
    let all = responses.name.to_lowercase();
    let position = match summary {
        Some(title) => format!("the {one}'s position in the published {title} document"),
        None => format!("the {one}'s position in the order the {all} are published"),
    };
    vec![
        Column::new(
            "id",
            format!("the {one}'s identifier, also the last part of its web address"),
        ),
        Column::new("number", position),
        Column::new(
            "topics",
            "the topics the respondent chose, separated by \"; \"",
        ),
        Column::new(
            "topic_slugs",
            "the same topics as short identifiers, separated by spaces",
        ),
        Column::new(
            "themes",
            format!("the themes of the {one}, separated by \"; \""),
        ),
        Column::new(
            "respondent",
            "the name and/or organisation as published; empty where the respondent asked for anonymity or gave none",
        ),
        Column::new(
            "anonymous",
            "true where the respondent asked to be published anonymously",
        ),
        Column::new("text", format!("the words of the {one}")),
        Column::new("permalink", format!("the {one}'s web address")),
    ]
}

/// The responses' CSV file, `data/<responses.path>.csv`.
pub fn csv_path(responses: &Responses) -> String {
    format!("data/{}.csv", responses.path)
}

/// The responses' JSON file, `data/<responses.path>.json`.
pub fn json_path(responses: &Responses) -> String {
    format!("data/{}.json", responses.path)
}

/// The four data files; `settings` names the responses' files.
pub fn files(
    quotes: &[(&QuoteView, &str)],
    responses: &[(&ResponseView, &str)],
    settings: &Responses,
) -> Result<Vec<OutputFile>, String> {
    let json_error = |e: serde_json::Error| e.to_string();
    let quotes = quote_records(quotes);
    let responses = response_records(responses);
    let quotes_json = serde_json::to_vec(&quotes).map_err(json_error)?;
    let responses_json = serde_json::to_vec(&responses).map_err(json_error)?;
    let quotes_csv: Vec<_> = quotes
        .into_iter()
        .map(QuoteRecord::for_spreadsheet)
        .collect();
    let responses_csv: Vec<_> = responses
        .into_iter()
        .map(ResponseRecord::for_spreadsheet)
        .collect();
    Ok(vec![
        OutputFile {
            path: "data/quotes.csv".into(),
            data: FileData::Bytes(csv_bytes(&quotes_csv)?.into()),
        },
        OutputFile {
            path: "data/quotes.json".into(),
            data: FileData::Bytes(quotes_json.into()),
        },
        OutputFile {
            path: csv_path(settings),
            data: FileData::Bytes(csv_bytes(&responses_csv)?.into()),
        },
        OutputFile {
            path: json_path(settings),
            data: FileData::Bytes(responses_json.into()),
        },
    ])
}
