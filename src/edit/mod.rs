//! Editing a content file's front matter from the preview (issue 18's edit panel): a few
//! keys an editor changes while reading (themes, content notes, `privacy_reviewed`, `draft`,
//! a quote's voice), written back so that only the lines of those keys change. The body,
//! comments, key order and the writing of every other key stay byte for byte, so that the
//! file's history shows the edit and nothing else.
//!
//! Like `chorus import`, this writes content and is no stage of the build. The steps: the
//! edit is checked against the kind and the site's vocabularies ([`FrontMatterEdit`]) →
//! the file's lines are rewritten ([`lines`]) → the result is read back with the load
//! stage's own parser and must give the old values with only the edited keys changed →
//! [`edit_file`] writes it in place, unless the file changed on disk since its page was made.
//!
//! A key set to its default (no themes, no content notes, `false`, no voice) is removed, as
//! `front_matter::to_markdown` leaves defaults out; a key already holding the value asked for
//! is left as written (`draft: false` stays).

mod lines;
#[cfg(test)]
mod tests;

use std::path::{Component, Path};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::front_matter::{parse_yaml, split};
use crate::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use crate::content::{Kind, is_ignored, kind_of};
use crate::diagnostics::{Diagnostic, SourceText, read_source};
use crate::output::replace_file;
use crate::vocabulary::{TaxonomyKind, Vocabularies};
use lines::{Lines, NewValue, Unsupported};

/// The hash a page's edit panel keeps of the file it was made from, and sends back with an
/// edit: [`edit_file`] refuses to write over a file whose bytes hash otherwise (changed on
/// disk since). The project's one content hash, XXH3-64.
pub use crate::output::fingerprint::content_hash;

/// The keys the edit panel may change and their new values; a key left out (`None`) is not
/// touched. As JSON, e.g. `{"themes": ["adoption"], "voice": null}`: `voice: null` removes
/// the voice, and a key that is not one of these is refused by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterEdit {
    /// Theme slugs, in the order to write them.
    pub themes: Option<Vec<String>>,
    /// Content notes, e.g. `domestic abuse`.
    pub content_note: Option<Vec<String>>,
    /// Whether an editor has read the text for personal data and found it fit to publish.
    pub privacy_reviewed: Option<bool>,
    /// Whether the item is a draft, built only with `--drafts`.
    pub draft: Option<bool>,
    /// A quote's voice slug; `Some(None)` removes it.
    #[serde(default, deserialize_with = "present")]
    pub voice: Option<Option<String>>,
}

/// A JSON `null` that is given, told apart from a key left out.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// The keys an edit can change, in the order a file's kind declares them (new keys are
/// added in this order, after every key already written).
const KEYS: [&str; 5] = [
    "voice",
    "themes",
    "content_note",
    "privacy_reviewed",
    "draft",
];

/// The editable keys each kind has.
fn keys_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Summary => &["themes", "draft"],
        Kind::Section => &["themes", "content_note", "draft"],
        Kind::Quote => &KEYS,
        Kind::Response => &["themes", "content_note", "privacy_reviewed", "draft"],
        Kind::Page => &["draft"],
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Summary => "summary",
        Kind::Section => "section",
        Kind::Quote => "quote",
        Kind::Response => "response",
        Kind::Page => "page",
    }
}

impl FrontMatterEdit {
    /// Each key given and its value as the front matter holds it once read (`None` for the
    /// key's default, which is written by leaving the key out), in [`KEYS`] order.
    fn settings(&self) -> Vec<(&'static str, Option<Value>)> {
        let list = |items: &Vec<String>| (!items.is_empty()).then(|| Value::from(items.clone()));
        let flag = |on: bool| on.then_some(Value::Bool(true));
        let settings = [
            (
                "voice",
                self.voice.as_ref().map(|v| v.clone().map(Value::from)),
            ),
            ("themes", self.themes.as_ref().map(list)),
            ("content_note", self.content_note.as_ref().map(list)),
            ("privacy_reviewed", self.privacy_reviewed.map(flag)),
            ("draft", self.draft.map(flag)),
        ];
        settings
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect()
    }
}

/// The site an edit is checked against: its settings and vocabularies.
#[derive(Debug, Clone, Copy)]
pub struct SiteData<'a> {
    pub config: &'a Config,
    pub vocabularies: &'a Vocabularies,
}

/// The text of the content file `source`, of `kind`, with `edit` made: only the lines of
/// the edited keys differ. An error, and no text, if the kind has no such key, a slug is not
/// in its closed vocabulary, the file does not load as it is, a key is written in a form the
/// editor does not rewrite, or the result would not read back as the old values with the
/// edited ones changed.
pub fn edit_front_matter(
    source: &Arc<SourceText>,
    kind: Kind,
    edit: &FrontMatterEdit,
    site: SiteData<'_>,
) -> Result<String, Diagnostic> {
    let settings = edit.settings();
    let before = read_values(source, kind)?;
    check_edit(source, kind, &settings, &before, site)?;
    let parts = split(source)?;
    let text = &source.text;
    let newline = if text[..parts.yaml_offset].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut lines = Lines::new(parts.yaml, newline);
    let mut expected = before.clone();
    for (key, value) in settings {
        if before.get(key) == value.as_ref() {
            continue;
        }
        let at_key = |u: Unsupported| unsupported(source, parts.yaml, parts.yaml_offset, key, &u);
        if let Some(Value::Array(items)) = before.get(key) {
            lines.check_list(key, &texts(items)).map_err(at_key)?;
        }
        set(&mut lines, key, value.as_ref()).map_err(at_key)?;
        match value {
            Some(value) => expected.insert(key.to_string(), value),
            None => expected.remove(key),
        };
    }
    let yaml_end = parts.yaml_offset + parts.yaml.len();
    let edited = format!(
        "{}{}{}",
        &text[..parts.yaml_offset],
        lines.text(),
        &text[yaml_end..]
    );
    check_read_back(source, kind, &edited, &expected)?;
    Ok(edited)
}

/// Writes `value` for `key` into `lines`: a list, a flag, or a slug.
fn set(lines: &mut Lines, key: &str, value: Option<&Value>) -> Result<(), Unsupported> {
    match value {
        None => lines.set(key, None),
        Some(Value::Array(items)) => lines.set(key, Some(NewValue::List(&texts(items)))),
        Some(Value::String(word)) => lines.set(key, Some(NewValue::Scalar(&lines::scalar(word)))),
        Some(other) => lines.set(key, Some(NewValue::Scalar(&other.to_string()))),
    }
}

/// The text items of a list of JSON values (the kinds' lists hold only text).
fn texts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The front matter of `source` as the loader reads it for `kind`, as JSON values without
/// the keys at their defaults (as the kinds serialise).
fn read_values(source: &Arc<SourceText>, kind: Kind) -> Result<Map<String, Value>, Diagnostic> {
    fn read<M: serde::de::DeserializeOwned + Serialize>(
        source: &Arc<SourceText>,
    ) -> Result<Value, Diagnostic> {
        let parts = split(source)?;
        let meta: M = parse_yaml(source, parts.yaml, parts.yaml_offset)?;
        serde_json::to_value(meta)
            .map_err(|e| Diagnostic::error("edit/internal", source.name.clone(), e.to_string()))
    }
    let value = match kind {
        Kind::Summary => read::<SummaryMeta>(source),
        Kind::Section => read::<SectionMeta>(source),
        Kind::Quote => read::<QuoteMeta>(source),
        Kind::Response => read::<ResponseMeta>(source),
        Kind::Page => read::<PageMeta>(source),
    }?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(Diagnostic::error(
            "edit/internal",
            source.name.clone(),
            "the front matter did not read as a map",
        )),
    }
}

/// The edit is one `kind` can take, with the site's words: every key is the kind's, every
/// slug of a closed vocabulary is in it, no item is given twice or blank, and a voice goes
/// only with a speaker (as the resolve step requires).
fn check_edit(
    source: &Arc<SourceText>,
    kind: Kind,
    settings: &[(&'static str, Option<Value>)],
    before: &Map<String, Value>,
    site: SiteData<'_>,
) -> Result<(), Diagnostic> {
    let refuse =
        |code: &'static str, message: String| Diagnostic::error(code, source.name.clone(), message);
    for (key, value) in settings {
        if !keys_of(kind).contains(key) {
            return Err(refuse(
                "edit/not-in-kind",
                format!(
                    "a {} has no `{key}`: expected one of {}",
                    kind_name(kind),
                    keys_of(kind).join(", ")
                ),
            ));
        }
        let words: Vec<&str> = match value {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(word)) => vec![word.as_str()],
            _ => Vec::new(),
        };
        check_words(key, &words, site).map_err(|m| refuse("edit/invalid-value", m))?;
        if *key == "voice" && value.is_some() && !before.contains_key("speaker") {
            return Err(refuse(
                "edit/voice-without-speaker",
                "the quote names no speaker, so it can have no voice: expected a `speaker` first"
                    .to_string(),
            ));
        }
    }
    Ok(())
}

/// The words given for `key`: each a line of text, none twice, and each a term of the
/// key's vocabulary when it is closed.
fn check_words(key: &str, words: &[&str], site: SiteData<'_>) -> Result<(), String> {
    for (i, word) in words.iter().enumerate() {
        if word.trim().is_empty() || word.trim() != *word || word.contains(char::is_control) {
            return Err(format!(
                "`{word}` is not a value for `{key}`: expected text on one line, without spaces around it"
            ));
        }
        if words[..i].contains(word) {
            return Err(format!("`{word}` is given twice for `{key}`"));
        }
    }
    let taxonomy = match key {
        "themes" => TaxonomyKind::Themes,
        "voice" => TaxonomyKind::Voices,
        _ => return Ok(()),
    };
    if !taxonomy.settings(site.config).closed {
        return Ok(());
    }
    let terms = site.vocabularies.terms(taxonomy);
    match words.iter().find(|w| !terms.iter().any(|t| t.slug == **w)) {
        Some(unknown) => Err(format!(
            "`{unknown}` is not in the closed {} vocabulary ({}): expected one of {}",
            taxonomy.key(),
            Vocabularies::file(taxonomy, site.config),
            terms
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Ok(()),
    }
}

/// The edited text reads back with the loader as `expected`: the old values with the
/// edited keys changed, and nothing else.
fn check_read_back(
    source: &Arc<SourceText>,
    kind: Kind,
    edited: &str,
    expected: &Map<String, Value>,
) -> Result<(), Diagnostic> {
    let edited_source = Arc::new(SourceText {
        name: source.name.clone(),
        text: edited.to_string(),
    });
    let failed = |what: String| {
        Diagnostic::error(
            "edit/not-preserved",
            source.name.clone(),
            format!("the edit was not made, because the edited front matter {what}"),
        )
        .with_help("make this change in the file itself")
    };
    match read_values(&edited_source, kind) {
        Ok(after) if after == *expected => Ok(()),
        Ok(_) => Err(failed("would change more than the keys edited".to_string())),
        Err(d) => Err(failed(format!("would not load: {}", d.message))),
    }
}

/// An error at `key` in the front matter `yaml` (at `yaml_offset` of `source`) written in a
/// form the editor does not rewrite.
fn unsupported(
    source: &Arc<SourceText>,
    yaml: &str,
    yaml_offset: usize,
    key: &str,
    unsupported: &Unsupported,
) -> Diagnostic {
    let offset: usize = yaml
        .split_inclusive('\n')
        .take(unsupported.line)
        .map(str::len)
        .sum();
    Diagnostic::error_at(
        "edit/unsupported-form",
        source,
        yaml_offset + offset,
        key.len(),
        format!(
            "`{key}` is written as {}, which the editor does not rewrite: expected a value on the key's line or a list of `- item` lines",
            unsupported.form
        ),
    )
    .with_help("make this change in the file itself")
}

/// Edits the content file at `path` (relative to `content/`, as `Document::path` gives it)
/// and writes it in place ([`replace_file`]); returns the new [`content_hash`] of its bytes.
/// `loaded_hash` is the hash of the bytes the editor's page was made from: if the file has
/// changed since, nothing is written and the error says so. An edit that changes nothing
/// writes nothing.
pub fn edit_file(
    root: &Path,
    path: &str,
    loaded_hash: &str,
    edit: &FrontMatterEdit,
    site: SiteData<'_>,
) -> Result<String, Diagnostic> {
    let shown = format!("content/{path}");
    let inside = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(n) if !is_ignored(n)));
    if !inside || !path.ends_with(".md") {
        return Err(Diagnostic::error(
            "edit/not-content",
            shown,
            "expected the path of a Markdown file in content/, e.g. quotes/adults/adults-001.md",
        ));
    }
    let kind = kind_of(path, &site.config.site.responses.path)
        .map_err(|m| Diagnostic::error("content/location", shown.clone(), m))?;
    let full = root.join("content").join(path);
    let source = read_source(root, &full)?;
    if content_hash(source.text.as_bytes()) != loaded_hash {
        return Err(Diagnostic::error(
            "edit/changed-on-disk",
            shown,
            "the file has changed since this page was made, so the edit was not saved",
        )
        .with_help("reload the page and make the edit again"));
    }
    let edited = edit_front_matter(&source, kind, edit, site)?;
    if edited != source.text {
        replace_file(&full, edited.as_bytes()).map_err(|e| {
            Diagnostic::error("edit/write", shown, format!("cannot write the file: {e}"))
        })?;
    }
    Ok(content_hash(edited.as_bytes()))
}
