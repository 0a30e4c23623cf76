//! Vocabularies in `data/`: the terms of each taxonomy, the content-note rules and the
//! glossary. They are data files so that editors change them without touching code.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{Config, Taxonomy};
use crate::content::front_matter::parse_yaml;
use crate::diagnostics::{Diagnostic, Diagnostics, read_source};

/// One term of a taxonomy vocabulary (`data/themes.yaml`, `data/voices.yaml`, `data/topics.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub slug: String,
    /// Display name, e.g. "Kinship carer".
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Themes: words and phrases that suggest the theme, for importers that tag by keyword
    /// (`crate::rules`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Voices: the attributions, as sources write them, that belong to this voice
    /// (compared without regard to capitals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
    /// Topics: other spellings of the tag found in submissions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

/// A content-note rule (`data/content-notes.yaml`): a note and the words that call for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentNoteRule {
    /// The note as readers see it, e.g. "domestic abuse".
    pub note: String,
    pub keywords: Vec<String>,
}

/// An acronym and its expansion (`data/glossary.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: String,
    pub expansion: String,
}

/// Everything in `data/`.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    pub themes: Vec<Term>,
    pub voices: Vec<Term>,
    pub topics: Vec<Term>,
    pub content_notes: Vec<ContentNoteRule>,
    pub glossary: Vec<GlossaryEntry>,
}

/// Which taxonomy a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyKind {
    Themes,
    Voices,
    Topics,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Themes,
        TaxonomyKind::Voices,
        TaxonomyKind::Topics,
    ];

    /// The taxonomy's key in `site.yaml` and its URL segment.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Themes => "themes",
            TaxonomyKind::Voices => "voices",
            TaxonomyKind::Topics => "topics",
        }
    }

    /// The site-relative path of the taxonomy's index page, e.g. `themes/`; its terms' pages
    /// are below it.
    pub fn path(self) -> String {
        format!("{}/", self.key())
    }

    pub fn settings(self, config: &Config) -> &Taxonomy {
        let taxonomies = &config.site.taxonomies;
        match self {
            TaxonomyKind::Themes => &taxonomies.themes,
            TaxonomyKind::Voices => &taxonomies.voices,
            TaxonomyKind::Topics => &taxonomies.topics,
        }
    }
}

impl Vocabularies {
    pub fn terms(&self, kind: TaxonomyKind) -> &[Term] {
        match kind {
            TaxonomyKind::Themes => &self.themes,
            TaxonomyKind::Voices => &self.voices,
            TaxonomyKind::Topics => &self.topics,
        }
    }

    fn terms_mut(&mut self, kind: TaxonomyKind) -> &mut Vec<Term> {
        match kind {
            TaxonomyKind::Themes => &mut self.themes,
            TaxonomyKind::Voices => &mut self.voices,
            TaxonomyKind::Topics => &mut self.topics,
        }
    }

    /// Loads every vocabulary file under `root`. A closed taxonomy needs its file; the
    /// content-note rules and the glossary are optional.
    pub fn load(root: &Path, config: &Config) -> Result<Vocabularies, Diagnostics> {
        let mut vocabularies = Vocabularies::default();
        let mut diagnostics = Diagnostics::default();
        for kind in TaxonomyKind::ALL {
            match Vocabularies::load_terms(root, kind, config) {
                Ok(terms) => *vocabularies.terms_mut(kind) = terms,
                Err(found) => diagnostics.extend(found),
            }
        }
        match load_list(root, "data/content-notes.yaml", false) {
            Ok(rules) => vocabularies.content_notes = rules,
            Err(d) => diagnostics.push(d),
        }
        match load_list(root, "data/glossary.yaml", false) {
            Ok(entries) => vocabularies.glossary = entries,
            Err(d) => diagnostics.push(d),
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(vocabularies)
        }
    }
}

impl Vocabularies {
    /// The vocabulary file of a taxonomy, relative to the site root: `vocabulary` in
    /// `site.yaml`, or `data/<taxonomy>.yaml`.
    pub fn file(kind: TaxonomyKind, config: &Config) -> String {
        kind.settings(config)
            .vocabulary
            .clone()
            .unwrap_or_else(|| format!("data/{}.yaml", kind.key()))
    }

    /// One taxonomy's terms; a closed taxonomy needs its file.
    pub fn load_terms(
        root: &Path,
        kind: TaxonomyKind,
        config: &Config,
    ) -> Result<Vec<Term>, Diagnostics> {
        let file = Vocabularies::file(kind, config);
        let terms = load_list::<Term>(root, &file, kind.settings(config).closed)?;
        let mut found = Diagnostics::default();
        check_unique_slugs(root, &file, &terms, &mut found);
        if found.has_errors() {
            Err(found)
        } else {
            Ok(terms)
        }
    }
}

fn load_list<T: serde::de::DeserializeOwned>(
    root: &Path,
    file: &str,
    required: bool,
) -> Result<Vec<T>, Diagnostic> {
    let path = root.join(file);
    if !path.exists() {
        return if required {
            Err(Diagnostic::error(
                "vocabulary/missing",
                file,
                "this closed vocabulary's file does not exist",
            )
            .with_help("create it, or set `closed: false` for the taxonomy in site.yaml"))
        } else {
            Ok(Vec::new())
        };
    }
    let source = read_source(root, &path)?;
    if source.text.trim().is_empty() {
        return Ok(Vec::new());
    }
    parse_yaml(&source, &source.text, 0)
}

fn check_unique_slugs(root: &Path, file: &str, terms: &[Term], diagnostics: &mut Diagnostics) {
    let mut seen = std::collections::HashSet::new();
    for term in terms {
        if !seen.insert(term.slug.to_lowercase()) {
            diagnostics.push(
                Diagnostic::error(
                    "vocabulary/duplicate",
                    crate::diagnostics::display_path(root, &root.join(file)),
                    format!("the slug `{}` is listed twice", term.slug),
                )
                .with_help("keep one entry per slug"),
            );
        }
    }
}
