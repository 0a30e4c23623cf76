//! From rows to responses: the mapping's columns found among the headers, each row's
//! consent decided, and what a published row says read out of its cells. A withheld row
//! yields its id and nothing else: no other cell of it is read.

use std::collections::HashMap;

use super::mapping::{Choice, MappingFile};
use super::table::{Cell, Row, Table, column_letters};
use crate::content::date::Date;
use crate::diagnostics::Diagnostics;

/// Where each mapped column is in the table.
struct Layout {
    id: usize,
    date: Option<usize>,
    /// Each answer column with its question, as the header gives it.
    body: Vec<(usize, String)>,
    respondent: Vec<usize>,
    consent: usize,
    /// The topic column and the text between its ticked values.
    topics: Option<(usize, String)>,
}

/// One row of the export, as far as the import needs it.
#[derive(Debug)]
pub enum Record {
    /// The respondent asked not to be published; the id only finds a file to remove.
    Withheld {
        id: String,
    },
    Published(Submission),
}

/// A row whose respondent agreed to publication.
#[derive(Debug)]
pub struct Submission {
    /// The row's number in the spreadsheet.
    pub row: usize,
    pub id: String,
    pub anonymous: bool,
    pub date: Option<Date>,
    /// The non-empty answers, each with its question.
    pub answers: Vec<(String, String)>,
    /// The name and organisation joined with ", "; never set for an anonymous row.
    pub respondent: Option<String>,
    /// The ticked topic values, as written.
    pub topics: Vec<String>,
    /// An anonymous row whose answer gave the name it asked to keep out (now replaced).
    pub names_respondent: bool,
}

/// Reads every row; all errors of the table are reported together.
pub fn read(table: &Table, mapping: &MappingFile) -> Result<Vec<Record>, Diagnostics> {
    let layout = layout(table, mapping)?;
    let mut found = Diagnostics::default();
    let mut records = Vec::with_capacity(table.rows.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let Some(id) = text(table, row, layout.id, &mut found) else {
            continue;
        };
        let id = id.trim().to_string();
        if id.is_empty() {
            found.push(table.cell_error(
                "import/empty-id",
                row,
                layout.id,
                "the id is empty: expected the response's id in the platform",
            ));
            continue;
        }
        if let Some(first) = ids.insert(id.clone(), row.number) {
            found.push(table.cell_error(
                "import/duplicate-id",
                row,
                layout.id,
                format!("the id is the same as row {first}'s: expected each response once"),
            ));
            continue;
        }
        match consent(table, row, &layout, mapping, &mut found) {
            Some(Choice::Withhold) => records.push(Record::Withheld { id }),
            Some(choice) => {
                if let Some(submission) = submission(table, row, &layout, id, choice, &mut found) {
                    records.push(Record::Published(submission));
                }
            }
            None => {}
        }
    }
    if found.has_errors() {
        Err(found)
    } else {
        Ok(records)
    }
}

fn layout(table: &Table, file: &MappingFile) -> Result<Layout, Diagnostics> {
    let mut found = Diagnostics::default();
    let mut column = |name: &str| -> Option<usize> {
        let matches: Vec<usize> = (0..table.headers.len())
            .filter(|&i| table.headers[i] == name.trim())
            .collect();
        match matches[..] {
            [one] => Some(one),
            [] => {
                found.push(file.error_at(
                    "import/missing-column",
                    name,
                    format!(
                        "{} has no column \u{201c}{name}\u{201d}: expected one of its headers: {}",
                        table.name,
                        headers_list(table)
                    ),
                ));
                None
            }
            _ => {
                let letters: Vec<String> = matches.iter().map(|&i| column_letters(i)).collect();
                found.push(file.error_at(
                    "import/ambiguous-column",
                    name,
                    format!(
                        "{} has {} columns \u{201c}{name}\u{201d} ({}): expected one",
                        table.name,
                        matches.len(),
                        letters.join(", ")
                    ),
                ));
                None
            }
        }
    };
    let mapping = &file.mapping;
    let id = column(&mapping.id);
    let date = mapping.date.as_deref().map(&mut column);
    let body: Vec<_> = mapping.body.names().iter().map(|n| column(n)).collect();
    let respondent: Vec<_> = mapping
        .respondent
        .names()
        .iter()
        .map(|n| column(n))
        .collect();
    let consent = column(&mapping.consent.column);
    let topics = mapping
        .topics
        .as_ref()
        .map(|t| column(&t.column).map(|c| (c, t.separator.clone())));
    if found.has_errors() {
        return Err(found);
    }
    let unwrap_all =
        |columns: Vec<Option<usize>>| columns.into_iter().flatten().collect::<Vec<_>>();
    Ok(Layout {
        id: id.unwrap_or_default(),
        date: date.flatten(),
        body: unwrap_all(body)
            .into_iter()
            .map(|i| (i, table.headers[i].clone()))
            .collect(),
        respondent: unwrap_all(respondent),
        consent: consent.unwrap_or_default(),
        topics: topics.flatten(),
    })
}

fn headers_list(table: &Table) -> String {
    table
        .headers
        .iter()
        .filter(|h| !h.is_empty())
        .map(|h| format!("\u{201c}{h}\u{201d}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text of a cell, or an error for a cell that holds none.
fn text<'a>(
    table: &Table,
    row: &'a Row,
    column: usize,
    found: &mut Diagnostics,
) -> Option<&'a str> {
    match row.cells.get(column) {
        None => Some(""),
        Some(Cell::Text(text)) => Some(text),
        Some(Cell::Date(_)) => {
            found.push(table.cell_error(
                "import/cell",
                row,
                column,
                "the cell holds a date: expected text",
            ));
            None
        }
        Some(Cell::Unreadable(why)) => {
            found.push(table.cell_error("import/encoding", row, column, why));
            None
        }
    }
}

fn consent(
    table: &Table,
    row: &Row,
    layout: &Layout,
    mapping: &MappingFile,
    found: &mut Diagnostics,
) -> Option<Choice> {
    let value = text(table, row, layout.consent, found)?;
    let choice = mapping.mapping.consent.choice(value);
    if choice.is_none() {
        found.push(
            table
                .cell_error(
                    "import/unknown-consent",
                    row,
                    layout.consent,
                    format!(
                        "the consent answer \u{201c}{}\u{201d} is not in the mapping: expected a value listed under `consent`'s `named`, `anonymous` or `withhold`",
                        value.trim()
                    ),
                )
                .with_help("add the value to the list it means in the mapping file; nothing is published on a guess"),
        );
    }
    choice
}

fn submission(
    table: &Table,
    row: &Row,
    layout: &Layout,
    id: String,
    choice: Choice,
    found: &mut Diagnostics,
) -> Option<Submission> {
    let errors_before = found.error_count();
    let mut answers = Vec::new();
    for (column, question) in &layout.body {
        if let Some(answer) = text(table, row, *column, found) {
            let answer = answer.replace("\r\n", "\n").replace('\r', "\n");
            if !answer.trim().is_empty() {
                answers.push((question.clone(), answer.trim().to_string()));
            }
        }
    }
    let names: Vec<String> = layout
        .respondent
        .iter()
        .filter_map(|&c| text(table, row, c, found))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();
    let date = layout.date.and_then(|c| date(table, row, c, found));
    let topics: Vec<String> = match &layout.topics {
        Some((column, separator)) => text(table, row, *column, found)
            .unwrap_or_default()
            .split(separator.as_str())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .collect(),
        None => Vec::new(),
    };
    if found.error_count() > errors_before {
        return None;
    }
    let anonymous = choice == Choice::Anonymous;
    let names_respondent = anonymous && redact(&names, &mut answers);
    Some(Submission {
        row: row.number,
        id,
        anonymous,
        date: date.flatten(),
        answers,
        respondent: (!anonymous && !names.is_empty()).then(|| names.join(", ")),
        topics,
        names_respondent,
    })
}

/// What an anonymous respondent's name becomes where their own answer gives it.
pub const NAME_REMOVED: &str = "[name removed]";

/// Replaces, in the answers, each name or organisation (of three letters or more) that an
/// anonymous respondent gave, ignoring case: they asked for it not to be published, and
/// it must not leave the spreadsheet even when they also typed it into their answer.
/// Whether anything was replaced.
fn redact(names: &[String], answers: &mut [(String, String)]) -> bool {
    let mut replaced = false;
    // Longest first, so that "Rhodri Vaughan Plumbing" goes whole before "Rhodri Vaughan".
    let mut names: Vec<&String> = names.iter().filter(|n| n.chars().count() >= 3).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let lowered: Vec<String> = answers.iter().map(|(_, a)| a.to_lowercase()).collect();
    for name in names {
        // Most answers do not name their respondent: look before compiling a pattern.
        let name_lowered = name.to_lowercase();
        if !lowered.iter().any(|a| a.contains(&name_lowered)) {
            continue;
        }
        let pattern = format!("(?i){}", regex::escape(name));
        let Ok(pattern) = regex::Regex::new(&pattern) else {
            continue;
        };
        for (_, answer) in answers.iter_mut() {
            if pattern.is_match(answer) {
                *answer = pattern.replace_all(answer, NAME_REMOVED).into_owned();
                replaced = true;
            }
        }
    }
    replaced
}

/// The date of a cell: a spreadsheet date, `YYYY-MM-DD` or `YYYY/MM/DD` (Google Forms), or
/// `DD/MM/YYYY` or `DD.MM.YYYY` (day first, as UK and European platforms write it), each
/// with or without a time after it. An empty cell has none.
fn date(table: &Table, row: &Row, column: usize, found: &mut Diagnostics) -> Option<Option<Date>> {
    if let Some(Cell::Date(at)) = row.cells.get(column) {
        return Some(Some(Date(at.date())));
    }
    let value = text(table, row, column, found)?.trim();
    if value.is_empty() {
        return Some(None);
    }
    match parse_date(value) {
        Some(date) => Some(Some(date)),
        None => {
            found.push(table.cell_error(
                "import/date",
                row,
                column,
                format!("\u{201c}{value}\u{201d} is not a date: expected YYYY-MM-DD or DD/MM/YYYY, with or without a time"),
            ));
            None
        }
    }
}

fn parse_date(value: &str) -> Option<Date> {
    let day = value
        .split(['T', ' '])
        .next()
        .unwrap_or(value)
        .trim_end_matches(',');
    ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|format| chrono::NaiveDate::parse_from_str(day, format).ok())
        .map(Date)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_in_the_forms_platforms_export() {
        for value in [
            "2021-03-14",
            "2021-03-14 10:22:01",
            "2021-03-14T10:22:01Z",
            "14/03/2021",
            "14/03/2021 10:22",
            "14.03.2021",
            "2021/03/14 10:22:01 AM GMT",
        ] {
            assert_eq!(
                parse_date(value).map(|d| d.to_string()).as_deref(),
                Some("2021-03-14"),
                "{value}"
            );
        }
        assert_eq!(parse_date("03/14/2021"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
