//! The mapping file: which column of a platform's export holds what. Columns are named by
//! their header text, so the same mapping reads next month's export of the same form.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::content::front_matter::parse_yaml;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, read_source};

/// `MAPPING.yaml`, as written by the publisher.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The column with each response's stable id in the platform.
    pub id: String,
    /// The column with the date the response was submitted.
    #[serde(default)]
    pub date: Option<String>,
    /// The answer columns; with more than one, each answer is headed by its question.
    pub body: Columns,
    /// The columns that name the respondent, joined with ", ".
    #[serde(default)]
    pub respondent: Columns,
    pub consent: Consent,
    #[serde(default)]
    pub topics: Option<Topics>,
    /// The slug of the summary the responses belong to.
    #[serde(default)]
    pub summary: Option<String>,
}

/// One column, or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

impl Default for Columns {
    fn default() -> Self {
        Columns::Many(Vec::new())
    }
}

impl Columns {
    pub fn names(&self) -> &[String] {
        match self {
            Columns::One(name) => std::slice::from_ref(name),
            Columns::Many(names) => names,
        }
    }
}

/// The consent question and which of its answers mean what. A value listed nowhere is an
/// error: consent is never guessed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub column: String,
    /// Publish the response with the respondent's name or organisation.
    #[serde(default)]
    pub named: Vec<String>,
    /// Publish the response without the name.
    #[serde(default)]
    pub anonymous: Vec<String>,
    /// Do not publish the response at all.
    #[serde(default)]
    pub withhold: Vec<String>,
}

/// What a respondent agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Named,
    Anonymous,
    Withhold,
}

impl Consent {
    /// The choice a cell's value means; values are compared with surrounding spaces
    /// trimmed, otherwise exactly.
    pub fn choice(&self, value: &str) -> Option<Choice> {
        let value = value.trim();
        let listed = |values: &[String]| values.iter().any(|v| v.trim() == value);
        if listed(&self.withhold) {
            Some(Choice::Withhold)
        } else if listed(&self.anonymous) {
            Some(Choice::Anonymous)
        } else if listed(&self.named) {
            Some(Choice::Named)
        } else {
            None
        }
    }
}

/// A multiple-choice topic column: the values ticked, joined by `separator`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topics {
    pub column: String,
    #[serde(default = "Topics::default_separator")]
    pub separator: String,
}

impl Topics {
    fn default_separator() -> String {
        ";".to_string()
    }
}

/// The mapping with its text, so that an error about a column can point at its name there.
pub struct MappingFile {
    pub mapping: Mapping,
    pub source: Arc<SourceText>,
}

impl MappingFile {
    /// Reads and checks the mapping file at `path`.
    pub fn read(path: &Path) -> Result<MappingFile, Diagnostics> {
        let base = path.parent().unwrap_or(Path::new(""));
        let source = read_source(base, path).map_err(Diagnostics::from)?;
        let mapping: Mapping = parse_yaml(&source, &source.text, 0).map_err(Diagnostics::from)?;
        let file = MappingFile { mapping, source };
        let found = file.check();
        if found.has_errors() {
            Err(found)
        } else {
            Ok(file)
        }
    }

    /// An error pointing at the first place `text` (a column name or a value) is written in
    /// the mapping.
    pub fn error_at(&self, code: &'static str, text: &str, message: String) -> Diagnostic {
        let (at, len) = self
            .source
            .text
            .find(text)
            .map_or((0, 0), |at| (at, text.len()));
        Diagnostic::error_at(code, &self.source, at, len, message)
    }

    fn check(&self) -> Diagnostics {
        let mut found = Diagnostics::default();
        let mapping = &self.mapping;
        if mapping.body.names().is_empty() {
            found.push(self.error_at(
                "import/mapping",
                "body",
                "`body` names no column: expected the column (or list of columns) with the answers"
                    .to_string(),
            ));
        }
        let consent = &mapping.consent;
        let lists = [
            ("named", &consent.named),
            ("anonymous", &consent.anonymous),
            ("withhold", &consent.withhold),
        ];
        for (i, (name, values)) in lists.iter().enumerate() {
            for value in values.iter() {
                if let Some((other, _)) = lists[i + 1..]
                    .iter()
                    .find(|(_, others)| others.iter().any(|o| o.trim() == value.trim()))
                {
                    found.push(self.error_at(
                        "import/mapping",
                        value,
                        format!("the consent value `{value}` is listed under both `{name}` and `{other}`: expected each under one"),
                    ));
                }
            }
        }
        if let Some(topics) = &mapping.topics
            && topics.separator.is_empty()
        {
            found.push(self.error_at(
                "import/mapping",
                "separator",
                "the topics `separator` is empty: expected the text between ticked values, e.g. \";\"".to_string(),
            ));
        }
        found
    }
}
