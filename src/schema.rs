//! `chorus schema`: JSON Schemas of `site.yaml` and of each content kind's front matter, for
//! editors' tools that check YAML as it is typed (`docs/content.md` says how to wire them).
//!
//! The schemas are generated from the very types the load stage parses (`config::SiteConfig`,
//! `content::kinds`), so they name the same keys, require the same ones and refuse unknown
//! ones as the loader does. What only the site knows is then written into them: a field that
//! `x-chorus-vocabulary` marks takes the slugs of that vocabulary as an `enum` when the
//! vocabulary is closed (as the resolve step would refuse any other), and as `examples` to
//! complete from when it is open.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::config::{Config, SiteConfig};
use crate::content::is_ignored;
use crate::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::output::replace_file;
use crate::slug::slugify;
use crate::vocabulary::{TaxonomyKind, Vocabularies};

/// The keyword that marks a field whose values come from one of the site's vocabularies.
const VOCABULARY_MARK: &str = "x-chorus-vocabulary";

/// Where `chorus schema` writes unless told otherwise, relative to the site root: hidden,
/// as it is made from the site rather than part of it.
pub const DEFAULT_FOLDER: &str = ".chorus/schema";

/// One generated schema.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// Its file name, e.g. `quote.schema.json`.
    pub name: String,
    /// The files it describes, as a glob from the site root, e.g. `content/quotes/*/*.md`.
    pub describes: String,
    pub schema: Value,
}

/// The words a marked field may take: `closed` ones are all there is.
struct Words {
    terms: Vec<(String, Option<String>)>,
    closed: bool,
}

/// The schemas of `site.yaml` and of the five kinds, with the vocabularies of the site at
/// `root` written in. Errors are those of loading `site.yaml` and `data/`.
pub fn schemas(root: &Path) -> Result<Vec<SchemaFile>, Diagnostics> {
    let config = Config::load(root, None)?;
    let vocabularies = Vocabularies::load(root, &config)?;
    let summaries = summary_slugs(root)?;
    let responses = &config.site.responses.path;
    let mut files = vec![
        file::<SiteConfig>("site.schema.json", "Chorus site.yaml", "site.yaml"),
        front_matter::<SummaryMeta>("summary", "content/summaries/*/_index.md"),
        front_matter::<SectionMeta>("section", "content/summaries/*/*.md, but _index.md"),
        front_matter::<QuoteMeta>("quote", "content/quotes/*/*.md"),
        front_matter::<ResponseMeta>("response", &format!("content/{responses}/*.md")),
        front_matter::<PageMeta>("page", "every other content/**/*.md"),
    ];
    for file in &mut files {
        complete(&mut file.schema, &|mark| {
            words(mark, &config, &vocabularies, &summaries)
        });
    }
    Ok(files)
}

/// Writes [`schemas`] into `folder` (created if need be), each file replaced whole, and
/// returns them with the path each was written to.
pub fn write(root: &Path, folder: &Path) -> Result<Vec<(SchemaFile, PathBuf)>, Diagnostics> {
    let files = schemas(root)?;
    let failed = |path: &Path, e: std::io::Error| {
        Diagnostic::error(
            "schema/write",
            display_path(root, path),
            format!("cannot write the schema: {e}"),
        )
    };
    std::fs::create_dir_all(folder).map_err(|e| failed(folder, e))?;
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = folder.join(&file.name);
        let mut text = serde_json::to_string_pretty(&file.schema)
            .map_err(|e| failed(&path, std::io::Error::other(e)))?;
        text.push('\n');
        replace_file(&path, text.as_bytes()).map_err(|e| failed(&path, e))?;
        written.push((file, path));
    }
    Ok(written)
}

/// The schema of the front matter of a `kind`, in `kind.schema.json`.
fn front_matter<T: JsonSchema>(kind: &str, describes: &str) -> SchemaFile {
    let title = format!("Chorus front matter of a {kind}");
    file::<T>(&format!("{kind}.schema.json"), &title, describes)
}

/// The schema of `T`, self-contained (no `$ref`s) and in JSON Schema draft 7, the newest
/// that VS Code's YAML extension reads.
fn file<T: JsonSchema>(name: &str, title: &str, describes: &str) -> SchemaFile {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let mut schema = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), title.into());
    }
    SchemaFile {
        name: name.to_string(),
        describes: describes.to_string(),
        schema,
    }
}

/// The words of the vocabulary a field is marked with: a taxonomy's terms (slug and name),
/// the summaries' slugs, or the content notes' notes (always open: a note may be any text).
fn words(
    mark: &str,
    config: &Config,
    vocabularies: &Vocabularies,
    summaries: &[String],
) -> Option<Words> {
    let taxonomy = TaxonomyKind::ALL
        .into_iter()
        .find(|kind| kind.key() == mark);
    if let Some(kind) = taxonomy {
        let terms = vocabularies.terms(kind).iter();
        return Some(Words {
            terms: terms
                .map(|t| (t.slug.clone(), Some(t.name.clone())))
                .collect(),
            closed: kind.settings(config).closed,
        });
    }
    let (terms, closed): (Vec<String>, bool) = match mark {
        "summaries" => (summaries.to_vec(), true),
        "content-notes" => {
            let notes = vocabularies.content_notes.iter();
            (notes.map(|rule| rule.note.clone()).collect(), false)
        }
        _ => return None,
    };
    Some(Words {
        terms: terms.into_iter().map(|word| (word, None)).collect(),
        closed,
    })
}

/// Writes into `schema` what the generated schema leaves out: the words `words_for` gives
/// for each vocabulary mark, and the range of each fixed-size integer (the loader refuses a
/// `weight` that does not fit 32 bits) in place of its Rust size. `default`, `enum` and `examples` hold values, not
/// schemas, and are left as they are.
fn complete(schema: &mut Value, words_for: &dyn Fn(&str) -> Option<Words>) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(mark) = object.remove(VOCABULARY_MARK)
        && let Some(words) = mark.as_str().and_then(words_for)
    {
        let values = match object.get_mut("items") {
            Some(Value::Object(items)) => items,
            _ => &mut *object,
        };
        allow(values, &words);
    }
    if object
        .get("type")
        .is_some_and(|t| t == "integer" || t == &json!(["integer", "null"]))
    {
        // The Rust size (`int32`, `uint`) is no JSON Schema format: validators that check
        // formats warn of it. The range says the same in JSON Schema's words.
        let range = match object.remove("format").as_ref().and_then(Value::as_str) {
            Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            Some("uint32") => Some((0, i64::from(u32::MAX))),
            _ => None,
        };
        if let Some((minimum, maximum)) = range {
            object.insert("minimum".into(), minimum.into());
            object.insert("maximum".into(), maximum.into());
        }
    }
    for (key, value) in object.iter_mut() {
        if !matches!(key.as_str(), "default" | "enum" | "examples") {
            match value {
                Value::Array(schemas) => schemas.iter_mut().for_each(|s| complete(s, words_for)),
                other => complete(other, words_for),
            }
        }
    }
}

/// Makes the string schema `values` take `words`: only them (and null, where it was
/// allowed) if they are closed, any text with them to complete from if not.
fn allow(values: &mut Map<String, Value>, words: &Words) {
    let slugs: Vec<Value> = words.terms.iter().map(|(slug, _)| json!(slug)).collect();
    if !words.closed {
        if !slugs.is_empty() {
            values.insert("examples".into(), slugs.into());
        }
        return;
    }
    let nullable = values
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.contains(&json!("null")));
    let mut allowed = slugs;
    if nullable {
        allowed.push(Value::Null);
    }
    if allowed.is_empty() {
        // An empty closed vocabulary takes no word at all; `enum` may not be empty.
        values.insert("not".into(), json!({}));
        return;
    }
    values.insert("enum".into(), allowed.into());
    if words.terms.iter().any(|(_, name)| name.is_some()) {
        let names = words
            .terms
            .iter()
            .map(|(_, name)| json!(name.as_deref().unwrap_or("")));
        values.insert("enumDescriptions".into(), names.collect::<Vec<_>>().into());
    }
}

/// The slugs of the summaries: the folders of `content/summaries/` that hold an `_index.md`.
fn summary_slugs(root: &Path) -> Result<Vec<String>, Diagnostic> {
    let folder = root.join("content/summaries");
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostic::error(
                "io/unreadable",
                display_path(root, &folder),
                format!("cannot read the folder: {e}"),
            ));
        }
    };
    let mut slugs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| !is_ignored(&entry.file_name()))
        .filter(|entry| entry.path().join("_index.md").is_file())
        .map(|entry| slugify(&entry.file_name().to_string_lossy()))
        .collect();
    slugs.sort();
    slugs.dedup();
    Ok(slugs)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Words, complete};

    /// A schema of two text fields and a list, marked with the vocabularies `a`, `b`, `c`,
    /// and a 32-bit whole number, completed with closed `a` (empty) and `c`, and open `b`.
    #[test]
    fn closed_words_are_the_only_values_and_open_ones_are_offered() {
        let mut schema = json!({"properties": {
            "one": {"type": "string", "x-chorus-vocabulary": "a"},
            "two": {"type": ["string", "null"], "x-chorus-vocabulary": "b"},
            "list": {"type": "array", "items": {"type": "string"}, "x-chorus-vocabulary": "c"},
            "voice": {"type": ["string", "null"], "x-chorus-vocabulary": "c"},
            "weight": {"type": "integer", "format": "int32", "default": 0},
        }});
        complete(&mut schema, &|mark| {
            let (terms, closed): (&[&str], bool) = match mark {
                "a" => (&[], true),
                "b" => (&["x", "y"], false),
                _ => (&["z"], true),
            };
            let terms = terms
                .iter()
                .map(|t| (t.to_string(), Some(t.to_uppercase())));
            Some(Words {
                terms: terms.collect(),
                closed,
            })
        });
        assert_eq!(
            schema["properties"]["one"],
            json!({"type": "string", "not": {}})
        );
        assert_eq!(schema["properties"]["two"]["examples"], json!(["x", "y"]));
        assert_eq!(schema["properties"]["list"]["items"]["enum"], json!(["z"]));
        assert_eq!(
            schema["properties"]["list"]["items"]["enumDescriptions"],
            json!(["Z"])
        );
        assert_eq!(schema["properties"]["voice"]["enum"], json!(["z", null]));
        let weight = &schema["properties"]["weight"];
        assert_eq!(
            weight,
            &json!({"type": "integer", "default": 0, "minimum": -2147483648i64, "maximum": 2147483647})
        );
        assert!(!schema.to_string().contains("x-chorus-vocabulary"));
    }
}
