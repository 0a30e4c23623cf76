//! Open data: every quote and idea as CSV (RFC 4180, UTF-8, header row) and JSON, for
//! researchers. Written with the `csv` and `serde_json` crates, never by hand.

use serde::Serialize;

use super::text::html_to_text;
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
    pub text: String,
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
    pub text: String,
    pub permalink: &'a str,
}

/// Terms are joined with "; " in one column, as the Call for Ideas itself lists them.
fn join(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join("; ")
}

pub fn quote_records(quotes: &[QuoteView]) -> Vec<QuoteRecord<'_>> {
    quotes
        .iter()
        .map(|q| QuoteRecord {
            id: &q.id,
            summary: &q.summary.title,
            section: &q.section.title,
            speaker: q.speaker.as_deref().unwrap_or(""),
            voice: q.voice.as_ref().map_or("", |v| v.name.as_str()),
            provenance: q.provenance,
            themes: join(q.themes.iter().map(|t| t.name.clone())),
            content_note: q.content_note.join("; "),
            text: html_to_text(&q.html),
            permalink: &q.permalink,
        })
        .collect()
}

pub fn idea_records(ideas: &[IdeaView]) -> Vec<IdeaRecord<'_>> {
    ideas
        .iter()
        .map(|i| IdeaRecord {
            id: &i.id,
            number: i.number,
            topics: join(i.topics.iter().map(|t| t.name.clone())),
            topic_slugs: i.topics.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>().join(" "),
            themes: join(i.themes.iter().map(|t| t.name.clone())),
            respondent: i.respondent.as_deref().unwrap_or(""),
            anonymous: i.anonymous,
            text: html_to_text(&i.html),
            permalink: &i.permalink,
        })
        .collect()
}

fn csv_bytes<T: Serialize>(records: &[T]) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for record in records {
        writer.serialize(record).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// The four data files.
pub fn files(quotes: &[QuoteView], ideas: &[IdeaView]) -> Result<Vec<OutputFile>, String> {
    let quotes = quote_records(quotes);
    let ideas = idea_records(ideas);
    let json_error = |e: serde_json::Error| e.to_string();
    Ok(vec![
        OutputFile { path: "data/quotes.csv".into(), data: FileData::Bytes(csv_bytes(&quotes)?) },
        OutputFile { path: "data/quotes.json".into(), data: FileData::Bytes(serde_json::to_vec(&quotes).map_err(json_error)?) },
        OutputFile { path: "data/ideas.csv".into(), data: FileData::Bytes(csv_bytes(&ideas)?) },
        OutputFile { path: "data/ideas.json".into(), data: FileData::Bytes(serde_json::to_vec(&ideas).map_err(json_error)?) },
    ])
}
