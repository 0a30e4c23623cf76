//! `chorus schema`: the JSON Schemas it writes describe every file of the review site and of
//! the basic fixture, and refuse what the loader refuses (an unknown key, a term outside a
//! closed vocabulary, a date in another form), as a JSON-Schema validator reads them.

use std::path::Path;

use jsonschema::{Draft, Validator};
use serde_json::{Value, json};

use crate::common::*;

/// The schemas `chorus schema` writes for the site at `root`, by file name, compiled.
fn schemas(root: &Path) -> Vec<(String, Validator)> {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = folder.path().to_string_lossy().into_owned();
    let root_arg = root.to_string_lossy().into_owned();
    let run = chorus(
        &repo(),
        &["schema", "--root", &root_arg, "--output", &output],
    );
    let printed = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(printed.starts_with("Wrote 6 JSON Schemas:"), "{printed}");
    let mut compiled = Vec::new();
    for entry in std::fs::read_dir(folder.path()).expect("schemas written") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(printed.contains(&name), "{name} not in:\n{printed}");
        let text = std::fs::read_to_string(&path).expect("read schema");
        let schema: Value = serde_json::from_str(&text).expect("a schema is JSON");
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(!text.contains("x-chorus-vocabulary"), "{name} keeps a mark");
        compiled.push((name, validator(&schema)));
    }
    compiled.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(compiled.len(), 6);
    compiled
}

fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("not a valid draft 7 schema: {e}"))
}

fn schema_of<'a>(schemas: &'a [(String, Validator)], name: &str) -> &'a Validator {
    &schemas
        .iter()
        .find(|(n, _)| n == name)
        .expect("schema written")
        .1
}

/// The schema of the file at `relative` (from the site root) of a site whose responses are
/// in `content/<responses>/`.
fn schema_name(relative: &str, responses: &str) -> String {
    if relative == "site.yaml" {
        return "site.schema.json".to_string();
    }
    let in_content = relative.strip_prefix("content/").expect("a content file");
    let kind = match chorus::content::kind_of(in_content, responses).expect("a known place") {
        chorus::content::Kind::Summary => "summary",
        chorus::content::Kind::Section => "section",
        chorus::content::Kind::Quote => "quote",
        chorus::content::Kind::Response => "response",
        chorus::content::Kind::Page => "page",
    };
    format!("{kind}.schema.json")
}

/// The front matter of a content file (or the whole of `site.yaml`) as the JSON a YAML
/// reader makes of it.
fn values(relative: &str, text: &str) -> Value {
    let yaml = if relative == "site.yaml" {
        text
    } else {
        let source = std::sync::Arc::new(chorus::diagnostics::SourceText {
            name: relative.to_string(),
            text: text.to_string(),
        });
        let parts = chorus::content::front_matter::split(&source).expect("front matter");
        &text[parts.yaml_offset..parts.yaml_offset + parts.yaml.len()]
    };
    chorus::content::front_matter::read_with_serde_saphyr(yaml).expect("YAML")
}

/// The messages of `validator` for `instance`, empty if it is valid.
fn errors(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every content file of the site at `root` and its `site.yaml` validate against the schema
/// of its kind; returns how many files were checked.
fn every_file_is_valid(root: &Path, responses: &str) -> usize {
    let schemas = schemas(root);
    let mut files = vec![root.join("site.yaml")];
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let path = entry.expect("walk").into_path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    for path in &files {
        let relative = path
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).expect("read");
        let validator = schema_of(&schemas, &schema_name(&relative, responses));
        let found = errors(validator, &values(&relative, &text));
        assert!(found.is_empty(), "{relative}: {found:?}");
    }
    files.len()
}

#[test]
fn every_file_of_the_review_site_is_valid_against_its_schema() {
    assert!(every_file_is_valid(&repo(), "ideas") > 1500);
}

#[test]
fn every_file_of_the_basic_fixture_is_valid_against_its_schema() {
    assert!(every_file_is_valid(&repo().join("tests/fixtures/basic"), "responses") > 10);
}

const QUOTE: &str = "content/quotes/workforce/workforce-001.md";
const RESPONSE: &str = "content/responses/response-0001.md";

/// A quote of the basic fixture with `extra` lines in its front matter.
fn quote(extra: &str) -> String {
    format!(
        "---\nid: workforce-001\nspeaker: Social Worker\nprovenance: verbatim\nsummary: workforce\nsection: working\n{extra}---\n\nWords.\n"
    )
}

/// Whether the loader and the resolve step take `text` at `relative` in the basic fixture
/// at `site` (left as it was).
fn loader_accepts(site: &Path, relative: &str, text: &str) -> bool {
    let path = site.join(relative);
    let old = std::fs::read(&path).expect("a fixture file");
    write(site, relative, text);
    let result = chorus::pipeline::resolve_site(site, &chorus::BuildOptions::default());
    std::fs::write(&path, old).expect("restore");
    result.is_ok()
}

/// For each front matter the loader refuses, the schema refuses it too; for each it takes,
/// the schema takes it too.
#[test]
fn the_schemas_refuse_what_the_loader_refuses_and_take_what_it_takes() {
    let site = fixture("basic");
    let schemas = schemas(site.path());
    let cases = [
        (QUOTE, quote("colour: red\n"), false),
        (QUOTE, quote("themes: [workforce, no-such-theme]\n"), false),
        (QUOTE, quote("voice: no-such-voice\n"), false),
        (QUOTE, quote("themes: workforce\n"), false),
        (QUOTE, quote("updated: 2022-5-3\n"), false),
        (QUOTE, quote("updated: 2021-02-30\n"), false),
        (QUOTE, quote("provenance2: verbatim\n"), false),
        (QUOTE, quote("changes:\n- date: 2022-05-03\n"), false),
        (
            QUOTE,
            quote("themes: [workforce]\nvoice: social-worker\nupdated: 2022-05-03\n"),
            true,
        ),
        (
            QUOTE,
            quote("themes: []\nvoice:\ndraft: false\nprivacy_reviewed: true\n"),
            true,
        ),
        (
            QUOTE,
            quote("changes:\n- date: 2022-05-03\n  note: Corrected.\n"),
            true,
        ),
        (
            QUOTE,
            quote("").replace("summary: workforce", "summary: nowhere"),
            false,
        ),
        (QUOTE, quote("").replace("id: workforce-001\n", ""), false),
        (
            QUOTE,
            quote("").replace("provenance: verbatim", "provenance: heard"),
            false,
        ),
        (
            RESPONSE,
            "---\nnumber: -1\n---\nWords.\n".to_string(),
            false,
        ),
        (
            RESPONSE,
            "---\nnumber: 4294967296\n---\nWords.\n".to_string(),
            false,
        ),
        (
            RESPONSE,
            "---\nnumber: 1\ntopics: [no-such-topic]\n---\nWords.\n".to_string(),
            false,
        ),
        (
            RESPONSE,
            "---\nnumber: 1\nsummary: adults\nanonymous: true\n---\nWords.\n".to_string(),
            true,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: example.org\n".to_string(),
            false,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\npage_size: 0\n".to_string(),
            false,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nresponses:\n  path: news\n".to_string(),
            false,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nresponses:\n  path: 01-ideas\n".to_string(),
            false,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nresponses:\n  summary: nowhere\n"
                .to_string(),
            false,
        ),
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/r/\nsearch: {enabled: false}\n".to_string(),
            true,
        ),
    ];
    for (relative, text, accepted) in cases {
        assert_eq!(
            loader_accepts(site.path(), relative, &text),
            accepted,
            "loader, {relative}:\n{text}"
        );
        let validator = schema_of(&schemas, &schema_name(relative, "responses"));
        let found = errors(validator, &values(relative, &text));
        assert_eq!(
            found.is_empty(),
            accepted,
            "schema, {relative}:\n{text}\n{found:?}"
        );
    }
}

/// What the loader takes but the schemas flag, as docs/content.md says: YAML 1.1's other
/// spellings of true and false, and a number or a quoted number where the other is
/// expected. An editor's YAML reader (YAML 1.2) reads them as the JSON here.
#[test]
fn the_schemas_flag_the_spellings_docs_content_md_lists() {
    let site = fixture("basic");
    let schemas = schemas(site.path());
    let validator = schema_of(&schemas, "quote.schema.json");
    let base = json!({"id": "workforce-001", "speaker": "Social Worker", "provenance": "verbatim", "summary": "workforce", "section": "working"});
    let cases = [
        (
            quote("privacy_reviewed: yes\n"),
            "privacy_reviewed",
            json!("yes"),
        ),
        (
            quote("").replace("Social Worker", "1984"),
            "speaker",
            json!(1984),
        ),
    ];
    for (text, key, as_read) in cases {
        assert!(loader_accepts(site.path(), QUOTE, &text), "{text}");
        let mut instance = base.clone();
        instance[key] = as_read;
        assert!(!validator.is_valid(&instance), "{text}");
    }
    let response = schema_of(&schemas, "response.schema.json");
    assert!(loader_accepts(
        site.path(),
        RESPONSE,
        "---\nnumber: \"2\"\n---\nWords.\n"
    ));
    assert!(!response.is_valid(&json!({"number": "2"})));
}

/// A vocabulary that does not load is an error naming its file and line, with a non-zero
/// exit, and no schema is written.
#[test]
fn a_broken_vocabulary_fails_the_command_at_its_line() {
    let site = fixture("basic");
    write(site.path(), "data/themes.yaml", "- slug: a\n  name: [\n");
    let run = chorus(site.path(), &["schema"]);
    let message = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{message}");
    assert!(message.contains("data/themes.yaml:2:9"), "{message}");
    assert!(message.contains("schema failed: 1 errors"), "{message}");
    assert!(!site.path().join(".chorus").exists());
}
