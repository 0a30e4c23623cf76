//! Reading a platform's export into a table of cells: CSV with the `csv` crate, XLSX and
//! ODS with `calamine`. The first row holds the questions (the headers); every later row
//! is one response. Rows are numbered as a spreadsheet numbers them (the header is row 1),
//! so an error's "row 12" is the row an editor finds when they open the file.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDateTime;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// One cell, as far as reading the file could tell what it holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A spreadsheet's date (XLSX and ODS store dates as numbers with a date format).
    Date(NaiveDateTime),
    /// What the file holds cannot be read as text: bytes that are not UTF-8, or a
    /// spreadsheet error such as `#N/A`. The text says which.
    Unreadable(String),
}

/// One response row.
#[derive(Debug)]
pub struct Row {
    /// The row's number as a spreadsheet shows it (the header row is 1).
    pub number: usize,
    /// The line of the file it starts on (CSV; a cell may hold line breaks), if the file
    /// has lines.
    pub line: Option<usize>,
    pub cells: Vec<Cell>,
}

/// An export: its headers and its rows.
#[derive(Debug)]
pub struct Table {
    /// The file as shown in messages.
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads the export at `path` by its extension: `.csv`, `.xlsx`, `.xlsm` or `.ods`.
    pub fn read(path: &Path, name: String) -> Result<Table, Diagnostics> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "csv" => read_csv(path, name),
            "xlsx" | "xlsm" | "ods" => read_workbook(path, name),
            _ => Err(Diagnostic::error(
                "import/file-type",
                name,
                format!("cannot read a `.{extension}` file: expected a .csv, .xlsx or .ods export"),
            )
            .with_help("export the responses from your platform as CSV (UTF-8) or Excel")
            .into()),
        }
    }

    /// An error about one cell, naming its row and column (and the line, for CSV).
    pub fn cell_error(
        &self,
        code: &'static str,
        row: &Row,
        column: usize,
        message: impl std::fmt::Display,
    ) -> Diagnostic {
        let header = self.headers.get(column).map_or("", String::as_str);
        let text = format!(
            "row {}, column {} (\u{201c}{header}\u{201d}): {message}",
            row.number,
            column_letters(column)
        );
        self.row_error_text(code, row, text)
    }

    /// An error about a whole row.
    pub fn row_error(
        &self,
        code: &'static str,
        row: &Row,
        message: impl std::fmt::Display,
    ) -> Diagnostic {
        self.row_error_text(code, row, format!("row {}: {message}", row.number))
    }

    fn row_error_text(&self, code: &'static str, row: &Row, text: String) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(code, self.name.clone(), text);
        diagnostic.location = row.line.map(|line| Location {
            line,
            column: 1,
            offset: 0,
            len: 0,
        });
        diagnostic
    }
}

/// A column's name as spreadsheets show it: A, B, …, Z, AA, AB…
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

fn read_csv(path: &Path, name: String) -> Result<Table, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            "import/read",
            name.clone(),
            format!("cannot read the file: {e}"),
        )
    })?;
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Diagnostic::error(
            "import/encoding",
            name,
            "the file is UTF-16 (\"Unicode text\"): expected UTF-8",
        )
        .with_help("save or export it as \"CSV UTF-8 (comma delimited)\"")
        .into());
    }
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut found = Diagnostics::default();
    let mut records = reader.byte_records();
    let headers = match records.next() {
        Some(Ok(record)) => headers_of(&record, &name, &mut found),
        Some(Err(e)) => return Err(csv_error(&name, &e).into()),
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                found.push(csv_error(&name, &e));
                break;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        let cells = record
            .iter()
            .map(|field| match std::str::from_utf8(field) {
                Ok(text) => Cell::Text(text.to_string()),
                Err(_) => Cell::Unreadable(not_utf8(field)),
            })
            .collect();
        rows.push(Row {
            number: index + 2,
            line,
            cells,
        });
    }
    finish(name, headers, rows, found)
}

fn headers_of(record: &csv::ByteRecord, name: &str, found: &mut Diagnostics) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, field)| match std::str::from_utf8(field) {
            Ok(text) => text.trim().to_string(),
            Err(_) => {
                let mut d = Diagnostic::error(
                    "import/encoding",
                    name.to_string(),
                    format!(
                        "row 1, column {} (the header): {}",
                        column_letters(i),
                        not_utf8(field)
                    ),
                );
                d.location = Some(Location {
                    line: 1,
                    column: 1,
                    offset: 0,
                    len: 0,
                });
                found.push(d);
                String::new()
            }
        })
        .collect()
}

fn not_utf8(field: &[u8]) -> String {
    let at = std::str::from_utf8(field)
        .err()
        .map_or(0, |e| e.valid_up_to());
    format!(
        "byte {} of the cell is not UTF-8: expected a UTF-8 file (this looks like a Windows or Mac \
         encoding; save the export as \"CSV UTF-8\")",
        at + 1
    )
}

fn csv_error(name: &str, error: &csv::Error) -> Diagnostic {
    let mut d = Diagnostic::error(
        "import/csv",
        name.to_string(),
        format!("the file is not readable as CSV: {error}"),
    );
    if let Some(position) = error.position() {
        d.location = Some(Location {
            line: position.line() as usize,
            column: 1,
            offset: 0,
            len: 0,
        });
    }
    d
}

fn read_workbook(path: &Path, name: String) -> Result<Table, Diagnostics> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostics::from(Diagnostic::error(
            "import/read",
            name.clone(),
            format!("cannot read the workbook: {e}"),
        ))
    };
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(unreadable(&e)),
        None => return Err(unreadable(&"it has no worksheet")),
    };
    // A range starts at its first used cell; rows and columns before it are empty.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut lines = range.rows();
    let pad = first_column as usize;
    let headers: Vec<String> = match lines.next() {
        Some(cells) => std::iter::repeat_n(String::new(), pad)
            .chain(cells.iter().map(|c| match workbook_cell(c) {
                Cell::Text(t) => t.trim().to_string(),
                _ => String::new(),
            }))
            .collect(),
        None => Vec::new(),
    };
    let rows = lines
        .enumerate()
        .map(|(i, cells)| Row {
            number: first_row as usize + i + 2,
            line: None,
            cells: std::iter::repeat_n(Cell::Text(String::new()), pad)
                .chain(cells.iter().map(workbook_cell))
                .collect(),
        })
        .collect();
    finish(name, headers, rows, Diagnostics::default())
}

fn workbook_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Text(String::new()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Text(i.to_string()),
        // Whole numbers (ids, years) as a person typed them: "1234", not "1234.0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            Cell::Text(format!("{}", *f as i64))
        }
        Data::Float(f) => Cell::Text(f.to_string()),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => Cell::Date(dt),
            None => Cell::Unreadable(format!("the date {d} is out of range")),
        },
        Data::Error(e) => Cell::Unreadable(format!("the cell holds the spreadsheet error {e}")),
    }
}

/// Drops rows with nothing in them (spreadsheets keep formatted but empty rows) and reports
/// rows whose number of cells differs from the header's.
fn finish(
    name: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    mut found: Diagnostics,
) -> Result<Table, Diagnostics> {
    let mut table = Table {
        name,
        headers,
        rows: Vec::new(),
    };
    if table.headers.iter().all(String::is_empty) {
        found.push(Diagnostic::error(
            "import/empty",
            table.name.clone(),
            "the file has no header row: expected the questions in row 1",
        ));
    }
    for row in rows {
        let blank = row
            .cells
            .iter()
            .all(|c| matches!(c, Cell::Text(t) if t.trim().is_empty()));
        if blank {
            continue;
        }
        // A CSV row says how many cells it has; a workbook's rows are cut to the used range,
        // so their length says nothing.
        let csv_row = row.line.is_some();
        if csv_row && row.cells.len() != table.headers.len() {
            let hint = if row.cells.len() < table.headers.len() {
                "a missing comma, or a cell whose quote is never closed?"
            } else {
                "a comma in a cell that is not in quotes?"
            };
            found.push(table.row_error(
                "import/ragged",
                &row,
                format!(
                    "it has {} cells, the header row {}: expected one cell per question ({hint})",
                    row.cells.len(),
                    table.headers.len()
                ),
            ));
        }
        table.rows.push(row);
    }
    if found.has_errors() {
        Err(found)
    } else {
        Ok(table)
    }
}
