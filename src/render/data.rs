//! Open data: every quote and idea as CSV (RFC 4180, UTF-8, header row) and JSON, for
//! researchers. Written with the `csv` and `serde_json` crates, never by hand.

use serde::Serialize;

use super::views::{IdeaView, QuoteView};
use super::{FileData, OutputFile};

/// One quote as a data row.
#[derive(Debug, Serialize)]
pub struct QuoteRecord<'a> {
    pub id: &'a str,
    pub summary: &'a str,
    pub section: &'a str,
    pub speaker: &'a str,
    pub voice: &'a str,
    pub provenance: &'a str,
    pub themes: String,
    pub content_note: String,
    pub text: &'a str,
    pub permalink: &'a str,
}

/// One idea as a data row.
#[derive(Debug, Serialize)]
pub struct IdeaRecord<'a> {
    pub id: &'a str,
    pub number: u32,
    pub topics: String,
    pub topic_slugs: String,
    pub themes: String,
    pub respondent: &'a str,
    pub anonymous: bool,
    pub text: &'a str,
    pub permalink: &'a str,
}

/// Terms are joined with "; " in one column, as the Call for Ideas itself lists them.
fn join(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join("; ")
}

/// The quotes as rows; `(view, plain text)` each.
pub fn quote_records<'a>(quotes: &[(&'a QuoteView, &'a str)]) -> Vec<QuoteRecord<'a>> {
    quotes
        .iter()
        .map(|&(q, text)| QuoteRecord {
            id: &q.id,
            summary: &q.summary.title,
            section: &q.section.title,
            speaker: q.speaker.as_deref().unwrap_or(""),
            voice: q.voice.as_ref().map_or("", |v| v.name.as_str()),
            provenance: q.provenance,
            themes: join(q.themes.iter().map(|t| t.name.clone())),
            content_note: q.content_note.join("; "),
            text,
            permalink: &q.permalink,
        })
        .collect()
}

/// The ideas as rows; `(view, plain text)` each.
pub fn idea_records<'a>(ideas: &[(&'a IdeaView, &'a str)]) -> Vec<IdeaRecord<'a>> {
    ideas
        .iter()
        .map(|&(i, text)| IdeaRecord {
            id: &i.id,
            number: i.number,
            topics: join(i.topics.iter().map(|t| t.name.clone())),
            topic_slugs: i
                .topics
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            themes: join(i.themes.iter().map(|t| t.name.clone())),
            respondent: i.respondent.as_deref().unwrap_or(""),
            anonymous: i.anonymous,
            text,
            permalink: &i.permalink,
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
    pub description: &'static str,
}

/// The quote files' columns, in order.
pub const QUOTE_COLUMNS: [Column; 10] = [
    Column {
        name: "id",
        description: "the quote's identifier, also the last part of its web address",
    },
    Column {
        name: "summary",
        description: "the title of the engagement summary the quote appears in",
    },
    Column {
        name: "section",
        description: "the title of the section that places the quote",
    },
    Column {
        name: "speaker",
        description: "the attribution exactly as the source gives it; empty where the source gives none",
    },
    Column {
        name: "voice",
        description: "the speaker group the attribution belongs to; empty where there is no attribution",
    },
    Column {
        name: "provenance",
        description: "verbatim (the participant's own words) or from-notes (written down by a facilitator)",
    },
    Column {
        name: "themes",
        description: "the themes of the quote, separated by \"; \"",
    },
    Column {
        name: "content_note",
        description: "distressing subjects the quote mentions, separated by \"; \"",
    },
    Column {
        name: "text",
        description: "the words of the quote",
    },
    Column {
        name: "permalink",
        description: "the quote's web address",
    },
];

/// The idea files' columns, in order.
pub const IDEA_COLUMNS: [Column; 9] = [
    Column {
        name: "id",
        description: "the idea's identifier, also the last part of its web address",
    },
    Column {
        name: "number",
        description: "the idea's position in the published Call for Ideas document",
    },
    Column {
        name: "topics",
        description: "the topics the respondent chose, separated by \"; \"",
    },
    Column {
        name: "topic_slugs",
        description: "the same topics as short identifiers, separated by spaces",
    },
    Column {
        name: "themes",
        description: "the themes of the idea, separated by \"; \"",
    },
    Column {
        name: "respondent",
        description: "the name and/or organisation as published; empty where the respondent asked for anonymity or gave none",
    },
    Column {
        name: "anonymous",
        description: "true where the respondent asked to be published anonymously",
    },
    Column {
        name: "text",
        description: "the words of the idea",
    },
    Column {
        name: "permalink",
        description: "the idea's web address",
    },
];

/// The four data files.
pub fn files(
    quotes: &[(&QuoteView, &str)],
    ideas: &[(&IdeaView, &str)],
) -> Result<Vec<OutputFile>, String> {
    let quotes = quote_records(quotes);
    let ideas = idea_records(ideas);
    let json_error = |e: serde_json::Error| e.to_string();
    Ok(vec![
        OutputFile {
            path: "data/quotes.csv".into(),
            data: FileData::Bytes(csv_bytes(&quotes)?),
        },
        OutputFile {
            path: "data/quotes.json".into(),
            data: FileData::Bytes(serde_json::to_vec(&quotes).map_err(json_error)?),
        },
        OutputFile {
            path: "data/ideas.csv".into(),
            data: FileData::Bytes(csv_bytes(&ideas)?),
        },
        OutputFile {
            path: "data/ideas.json".into(),
            data: FileData::Bytes(serde_json::to_vec(&ideas).map_err(json_error)?),
        },
    ])
}
