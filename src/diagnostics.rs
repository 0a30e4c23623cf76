//! One diagnostic type for every stage: a message, a severity, and where it happened.
//!
//! Every content error carries its file and byte span from the moment it is found, so
//! nothing later has to re-discover where a problem is. Rendering for people goes through
//! miette; `Display` gives the plain `file:line:column: message` form that tests and
//! tools match on.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

/// Whether a finding fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A warning an editor has accepted for its file (`lint_allow`), with a reason: shown,
    /// never failing a run.
    Accepted,
    Warning,
    Error,
}

/// The text of a file a diagnostic points into, shared between all its diagnostics.
#[derive(Debug)]
pub struct SourceText {
    /// The path as shown to people: relative to the site root where possible.
    pub name: String,
    pub text: String,
}

/// A position in a file: 1-based line and column (in characters), plus the byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

impl Location {
    /// The location of byte `offset` (with span `len`) in `text`.
    pub fn at(text: &str, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let len = len.min(text.len() - offset);
        Location {
            line,
            column,
            offset,
            len,
        }
    }

    /// The location of a 1-based `line` and `column` (in characters) in `text`.
    pub fn from_line_column(text: &str, line: usize, column: usize) -> Location {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let offset = text[line_start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| line_start + i);
        Location {
            line: line.max(1),
            column: column.max(1),
            offset,
            len: 0,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One finding of a run.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code, e.g. `front-matter/unknown-key`.
    pub code: &'static str,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    pub file: String,
    pub location: Option<Location>,
    source: Option<Arc<SourceText>>,
}

impl Diagnostic {
    /// An error in a file, without a position (e.g. the file cannot be read).
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            file: file.into(),
            location: None,
            source: None,
        }
    }

    /// An error at byte `offset` (spanning `len` bytes) of `source`.
    pub fn error_at(
        code: &'static str,
        source: &Arc<SourceText>,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            location: Some(Location::at(&source.text, offset, len)),
            source: Some(Arc::clone(source)),
            ..Diagnostic::error(code, source.name.clone(), message)
        }
    }

    /// An error at an already computed location of `source`.
    pub fn error_at_location(
        code: &'static str,
        source: &Arc<SourceText>,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            location: Some(location),
            source: Some(Arc::clone(source)),
            ..Diagnostic::error(code, source.name.clone(), message)
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The warning, accepted for `reason`.
    pub fn accepted(mut self, reason: &str) -> Self {
        self.severity = Severity::Accepted;
        self.help = Some(format!("accepted: {reason}"));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as a JSON object, for editors' tooling.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "line": self.location.map(|l| l.line),
            "column": self.location.map(|l| l.column),
            "message": self.message,
            "help": self.help,
        })
    }

    /// The diagnostic rendered for a terminal, with the offending line shown.
    pub fn render(&self, colour: bool) -> String {
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut out = String::new();
        match handler.render_report(&mut out, &Rendered(self)) {
            Ok(()) => out,
            Err(_) => format!("{self}\n"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Accepted => "accepted",
        };
        match self.location {
            Some(l) => write!(f, "{}:{}:{}: ", self.file, l.line, l.column)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(f, "{kind}[{}]: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Adapter that lets miette draw a [`Diagnostic`].
struct Rendered<'a>(&'a Diagnostic);

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        match d.location {
            Some(l) => write!(f, "{}:{}:{}: {}", d.file, l.line, l.column, d.message),
            None => write!(f, "{}: {}", d.file, d.message),
        }
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Accepted => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0
            .source
            .as_ref()
            .filter(|_| self.0.location.is_some())
            .map(|s| &s.text as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let location = self.0.location?;
        self.0.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".to_string()),
            location.offset,
            location.len,
        ))))
    }
}

/// All findings of a run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Warnings accepted by `lint_allow`.
    pub fn accepted_count(&self) -> usize {
        self.count(Severity::Accepted)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file and position so reports read top to bottom.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| {
            (&a.file, a.location.map(|l| l.offset)).cmp(&(&b.file, b.location.map(|l| l.offset)))
        });
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The path of `path` as shown to people: relative to `root` where it is inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Reads a file for a stage, turning I/O and UTF-8 failures into diagnostics.
pub fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceText>, Diagnostic> {
    let name = display_path(root, path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            "io/unreadable",
            name.clone(),
            format!("cannot read the file: {e}"),
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::new(SourceText { name, text })),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let location = Location::at(&prefix, valid, 0);
            Err(Diagnostic {
                location: Some(location),
                ..Diagnostic::error(
                    "io/invalid-utf8",
                    name,
                    format!(
                        "the file is not valid UTF-8 (invalid byte at offset {valid}); \
                         save it as UTF-8"
                    ),
                )
            })
        }
    }
}
