//! The ticked topic values matched to the site's topics vocabulary, by name, slug or a
//! listed variant, ignoring capitals and spacing. A value the vocabulary lacks becomes a
//! new term, appended to the vocabulary file and listed in the report: nothing is dropped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::slug::slugify;
use crate::vocabulary::{TaxonomyKind, Term, Vocabularies};

/// The vocabulary, and the terms this import adds to it.
pub struct TopicVocabulary {
    /// The vocabulary file, relative to the site root.
    pub file: String,
    by_key: HashMap<String, String>,
    pub added: Vec<Term>,
}

/// A name compared without capitals or spaces.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl TopicVocabulary {
    /// Reads the site's topics vocabulary (an empty one if the file does not exist yet).
    pub fn load(root: &Path, config: &Config) -> Result<TopicVocabulary, Diagnostics> {
        let kind = TaxonomyKind::Topics;
        let file = Vocabularies::file(kind, config);
        let terms = Vocabularies::load_terms(root, kind, config)?;
        let mut by_key = HashMap::new();
        for term in &terms {
            let names = std::iter::once(&term.name)
                .chain(&term.variants)
                .chain(std::iter::once(&term.slug));
            for name in names {
                by_key.entry(key(name)).or_insert_with(|| term.slug.clone());
            }
        }
        Ok(TopicVocabulary {
            file,
            by_key,
            added: Vec::new(),
        })
    }

    /// The slugs of `values`, in their order without repeats; unknown values are added.
    pub fn slugs(&mut self, values: &[String]) -> Result<Vec<String>, String> {
        let mut slugs: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            let slug = self.slug(value)?;
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        Ok(slugs)
    }

    fn slug(&mut self, value: &str) -> Result<String, String> {
        if let Some(slug) = self.by_key.get(&key(value)) {
            return Ok(slug.clone());
        }
        let slug = slugify(value);
        if slug.is_empty() {
            return Err(format!(
                "the topic \u{201c}{value}\u{201d} has no letters or digits to make a slug of: expected a topic name"
            ));
        }
        if let Some(known) = self.by_key.get(&key(&slug)) {
            let known = known.clone();
            self.by_key.insert(key(value), known.clone());
            return Ok(known);
        }
        self.added.push(Term {
            slug: slug.clone(),
            name: value.to_string(),
            description: None,
            keywords: Vec::new(),
            speakers: Vec::new(),
            variants: Vec::new(),
        });
        self.by_key.insert(key(value), slug.clone());
        self.by_key.insert(key(&slug), slug.clone());
        Ok(slug)
    }

    /// The vocabulary file's new text with the added terms appended (its comments and
    /// order untouched), or `None` when nothing was added.
    pub fn appended(&self, root: &Path) -> Result<Option<(PathBuf, String)>, String> {
        if self.added.is_empty() {
            return Ok(None);
        }
        let path = root.join(&self.file);
        let mut text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", self.file)),
        };
        // An empty flow list cannot be continued by block items.
        if text.trim() == "[]" {
            text.clear();
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let yaml = serde_saphyr::to_string(&self.added)
            .map_err(|e| format!("cannot write the new topics: {e}"))?;
        text.push_str(&yaml);
        Ok(Some((path, text)))
    }
}
