use proptest::strategy::Strategy;
use std::sync::Arc;

use super::*;
use crate::config::SiteConfig;
use crate::vocabulary::Term;

fn term(slug: &str) -> Term {
    Term {
        slug: slug.to_string(),
        name: slug.replace('-', " "),
        description: None,
        keywords: Vec::new(),
        speakers: Vec::new(),
        variants: Vec::new(),
    }
}

fn config() -> Config {
    let site: SiteConfig = crate::content::front_matter::read_with_serde_saphyr(
        "title: T\nbase_url: https://example.org/\n",
    )
    .unwrap();
    Config::new(site).unwrap()
}

fn vocabularies() -> Vocabularies {
    Vocabularies {
        themes: ["adoption", "stigma", "kinship-care", "yes"]
            .map(term)
            .to_vec(),
        voices: ["parent", "social-worker"].map(term).to_vec(),
        ..Vocabularies::default()
    }
}

fn source(text: &str) -> Arc<SourceText> {
    Arc::new(SourceText {
        name: "content/quotes/adults/adults-001.md".to_string(),
        text: text.to_string(),
    })
}

/// `text` (a quote unless `kind` says otherwise) with `edit` made, or the error's message.
fn edited(kind: Kind, text: &str, edit: &FrontMatterEdit) -> Result<String, String> {
    let (config, vocabularies) = (config(), vocabularies());
    let site = SiteData {
        config: &config,
        vocabularies: &vocabularies,
    };
    edit_front_matter(&source(text), kind, edit, site).map_err(|d| d.to_string())
}

fn quote(text: &str, edit: &FrontMatterEdit) -> String {
    edited(Kind::Quote, text, edit).unwrap_or_else(|e| panic!("{e}"))
}

fn themes(slugs: &[&str]) -> FrontMatterEdit {
    FrontMatterEdit {
        themes: Some(slugs.iter().map(|s| s.to_string()).collect()),
        ..FrontMatterEdit::default()
    }
}

/// A quote's front matter with `extra` lines at its end, and a body.
fn front(extra: &str) -> String {
    format!("---\nid: a\nprovenance: verbatim\nsummary: s\nsection: t\n{extra}---\nWords.\n")
}

/// `text` with `lines` added at the end of its front matter.
fn with_added(text: &str, lines: &str) -> String {
    text.replace("---\nWords", &format!("{lines}---\nWords"))
}

/// An edit of `privacy_reviewed` and `draft` alone.
fn flags(privacy_reviewed: bool, draft: bool) -> FrontMatterEdit {
    FrontMatterEdit {
        privacy_reviewed: Some(privacy_reviewed),
        draft: Some(draft),
        ..FrontMatterEdit::default()
    }
}

const QUOTE: &str = concat!(
    "---\n",
    "id: adults-001\n",
    "# Who spoke, as the source prints it.\n",
    "speaker: 'Parent'   # checked against the PDF\n",
    "voice: parent\n",
    "provenance: \"verbatim\"\n",
    "summary: adults\n",
    "section: parents\n",
    "themes:\n",
    "  - stigma   # the source's own word\n",
    "\n",
    "  - adoption\n",
    "---\n",
    "\n",
    "Words, exactly.\n",
    "---\n",
    "More words: themes: [x]\n",
);

#[test]
fn a_theme_added_to_a_block_list_is_one_new_line_after_the_last() {
    let after = quote(QUOTE, &themes(&["stigma", "adoption", "kinship-care"]));
    assert_eq!(
        after,
        QUOTE.replace("  - adoption\n", "  - adoption\n  - kinship-care\n")
    );
}

#[test]
fn a_theme_removed_from_a_block_list_takes_only_its_line() {
    let after = quote(QUOTE, &themes(&["adoption"]));
    assert_eq!(
        after,
        QUOTE.replace("  - stigma   # the source's own word\n", "")
    );
    let after = quote(QUOTE, &themes(&["stigma", "kinship-care"]));
    assert_eq!(after, QUOTE.replace("  - adoption\n", "  - kinship-care\n"));
}

#[test]
fn the_last_theme_removed_removes_the_key_and_keeps_the_comments_and_body() {
    let after = quote(QUOTE, &themes(&[]));
    let expected = QUOTE
        .replace("themes:\n  - stigma   # the source's own word\n", "")
        .replace("\n  - adoption\n", "\n");
    assert_eq!(after, expected);
}

#[test]
fn themes_put_in_another_order_are_written_in_that_order() {
    let after = quote(QUOTE, &themes(&["adoption", "kinship-care", "stigma"]));
    let expected = QUOTE.replace(
        "  - stigma   # the source's own word\n\n  - adoption\n",
        "  - adoption\n  - kinship-care\n  - stigma   # the source's own word\n\n",
    );
    assert_eq!(after, expected);
}

#[test]
fn a_flow_list_keeps_its_style_and_its_items_as_written() {
    let text = &front("themes: [ \"stigma\",adoption ] # ok\n");
    let after = quote(text, &themes(&["stigma", "kinship-care"]));
    assert_eq!(
        after,
        text.replace("[ \"stigma\",adoption ]", "[ \"stigma\",kinship-care ]")
    );
    let after = quote(text, &themes(&[]));
    assert_eq!(
        after,
        text.replace("themes: [ \"stigma\",adoption ] # ok\n", "")
    );
}

#[test]
fn a_new_list_is_added_at_the_end_in_the_style_of_the_file() {
    let flow = &front("content_note: [suicide]\n");
    let after = quote(flow, &themes(&["adoption", "stigma"]));
    assert_eq!(after, with_added(flow, "themes: [adoption, stigma]\n"));
    let block = &front("aliases:\n    - a/\n");
    let after = quote(block, &themes(&["adoption"]));
    assert_eq!(after, with_added(block, "themes:\n    - adoption\n"));
    let neither = &front("");
    let after = quote(neither, &themes(&["adoption"]));
    assert_eq!(after, with_added(neither, "themes:\n- adoption\n"));
}

#[test]
fn flags_are_written_true_and_removed_when_false() {
    let text = &front("draft: true # until checked\n");
    let edit = flags(true, false);
    let after = quote(text, &edit);
    let expected = text.replace("draft: true # until checked\n", "privacy_reviewed: true\n");
    assert_eq!(after, expected);
    let back = flags(false, true);
    let again = quote(&after, &back);
    assert_eq!(
        again,
        expected.replace("privacy_reviewed: true\n", "draft: true\n")
    );
}

#[test]
fn a_flag_is_rewritten_in_place_and_one_holding_its_value_is_kept_as_written() {
    let text = "---\nid: a\nprovenance: verbatim\ndraft:   yes # for now\nsummary: s\nsection: t\n---\nWords.\n";
    let edit = flags(true, true);
    let after = quote(text, &edit);
    assert_eq!(after, with_added(text, "privacy_reviewed: true\n"));
    let text = "---\nid: a\nprovenance: verbatim\nprivacy_reviewed: false\nsummary: s\nsection: t\n---\nWords.\n";
    let after = quote(text, &edit);
    let expected = text
        .replace("privacy_reviewed: false", "privacy_reviewed: true")
        .replace("---\nWords", "draft: true\n---\nWords");
    assert_eq!(after, expected);
}

#[test]
fn a_value_already_held_leaves_the_file_as_it_is() {
    let text = &front("draft: false\nthemes:   [adoption]\n");
    let edit = FrontMatterEdit {
        themes: Some(vec!["adoption".to_string()]),
        draft: Some(false),
        privacy_reviewed: Some(false),
        ..FrontMatterEdit::default()
    };
    assert_eq!(quote(text, &edit), *text);
}

#[test]
fn a_voice_is_set_changed_and_removed() {
    let set = |voice: Option<&str>| FrontMatterEdit {
        voice: Some(voice.map(str::to_string)),
        ..FrontMatterEdit::default()
    };
    let changed = quote(QUOTE, &set(Some("social-worker")));
    assert_eq!(
        changed,
        QUOTE.replace("voice: parent", "voice: social-worker")
    );
    let removed = quote(QUOTE, &set(None));
    assert_eq!(removed, QUOTE.replace("voice: parent\n", ""));
    let added = quote(&removed, &set(Some("parent")));
    assert_eq!(
        added,
        removed.replace("  - adoption\n", "  - adoption\nvoice: parent\n")
    );
    let empty = QUOTE.replace("voice: parent", "voice: # to do");
    assert_eq!(
        quote(&empty, &set(Some("parent"))),
        QUOTE.replace("voice: parent", "voice: parent # to do")
    );
}

#[test]
fn content_notes_are_text_quoted_where_yaml_would_read_them_otherwise() {
    let text = "---\nnumber: 4\nrespondent: A\n---\nWords.\n";
    let edit = FrontMatterEdit {
        content_note: Some(vec![
            "domestic abuse".to_string(),
            "no".to_string(),
            "abuse: of trust, #1".to_string(),
        ]),
        ..FrontMatterEdit::default()
    };
    let after = edited(Kind::Response, text, &edit).unwrap();
    let expected = "---\nnumber: 4\nrespondent: A\ncontent_note:\n- domestic abuse\n- \"no\"\n- \"abuse: of trust, #1\"\n---\nWords.\n";
    assert_eq!(after, expected);
}

#[test]
fn quoted_items_holding_commas_quotes_and_hashes_are_read_and_kept_as_written() {
    let notes = |notes: &[&str]| FrontMatterEdit {
        content_note: Some(notes.iter().map(|n| n.to_string()).collect()),
        ..FrontMatterEdit::default()
    };
    let flow = front("content_note: [\"abuse, neglect\", 'child''s death'] # 2 notes\n");
    let after = quote(
        &flow,
        &notes(&["abuse, neglect", "child's death", "suicide"]),
    );
    assert_eq!(after, flow.replace("death']", "death', suicide]"));
    let after = quote(&flow, &notes(&["child's death"]));
    assert_eq!(after, flow.replace("\"abuse, neglect\", ", ""));
    let block = front("content_note:\n- \"a # b\"  # not the note\n- 'it''s'\n");
    let after = quote(&block, &notes(&["it's", "a # b"]));
    assert_eq!(
        after,
        front("content_note:\n- 'it''s'\n- \"a # b\"  # not the note\n")
    );
}

#[test]
fn crlf_and_a_byte_order_mark_are_kept_and_new_lines_end_like_the_others() {
    let text = "\u{feff}---\r\nid: a\r\nprovenance: verbatim\r\nsummary: s\r\nsection: t\r\nthemes:\r\n- stigma\r\n---\r\nWords\r\n";
    let edit = FrontMatterEdit {
        themes: Some(vec!["stigma".to_string(), "adoption".to_string()]),
        draft: Some(true),
        ..FrontMatterEdit::default()
    };
    let after = quote(text, &edit);
    let expected = text.replace("- stigma\r\n", "- stigma\r\n- adoption\r\ndraft: true\r\n");
    assert_eq!(after, expected);
    let back = FrontMatterEdit {
        themes: Some(vec!["stigma".to_string()]),
        draft: Some(false),
        ..FrontMatterEdit::default()
    };
    assert_eq!(quote(&after, &back), text);
}

#[test]
fn an_edit_the_kind_or_the_vocabulary_does_not_allow_is_refused() {
    let voice = FrontMatterEdit {
        voice: Some(Some("parent".to_string())),
        ..FrontMatterEdit::default()
    };
    let response = "---\nnumber: 4\n---\nWords.\n";
    let e = edited(Kind::Response, response, &voice).unwrap_err();
    assert!(
        e.contains("edit/not-in-kind") && e.contains("a response has no `voice`"),
        "{e}"
    );
    let page = "---\ntitle: About\n---\nWords.\n";
    let e = edited(Kind::Page, page, &themes(&["stigma"])).unwrap_err();
    assert!(
        e.contains("a page has no `themes`: expected one of draft"),
        "{e}"
    );
    let e = quote_error(QUOTE, &themes(&["stigma", "stgma"]));
    assert!(
        e.contains("`stgma` is not in the closed themes vocabulary (data/themes.yaml)"),
        "{e}"
    );
    let e = quote_error(QUOTE, &themes(&["stigma", "stigma"]));
    assert!(e.contains("`stigma` is given twice"), "{e}");
    let e = quote_error(
        QUOTE,
        &FrontMatterEdit {
            voice: Some(Some("carer".to_string())),
            ..FrontMatterEdit::default()
        },
    );
    assert!(
        e.contains("`carer` is not in the closed voices vocabulary"),
        "{e}"
    );
    let blank = FrontMatterEdit {
        content_note: Some(vec![" abuse".to_string()]),
        ..FrontMatterEdit::default()
    };
    assert!(quote_error(QUOTE, &blank).contains("expected text on one line"));
    let no_speaker = QUOTE.replace(
        "speaker: 'Parent'   # checked against the PDF\nvoice: parent\n",
        "",
    );
    let e = quote_error(&no_speaker, &voice);
    assert!(e.contains("edit/voice-without-speaker"), "{e}");
}

fn quote_error(text: &str, edit: &FrontMatterEdit) -> String {
    match edited(Kind::Quote, text, edit) {
        Ok(text) => panic!("expected an error, got\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn a_key_written_in_a_form_the_editor_does_not_rewrite_is_refused_at_its_line() {
    let cases = [
        (
            "themes: [stigma,\n  adoption]\n",
            "a value over several lines",
        ),
        ("themes: &t [stigma]\n", "an anchor"),
        (
            "themes:\n- stigma\n-\n  adoption\n",
            "a list whose items are not one line",
        ),
        ("draft:\n  true\n", "a value over several lines"),
    ];
    for (yaml, form) in cases {
        let text = front(yaml);
        let edit = FrontMatterEdit {
            themes: Some(vec!["kinship-care".to_string()]),
            draft: Some(false),
            ..FrontMatterEdit::default()
        };
        match edited(Kind::Quote, &text, &edit) {
            Ok(after) => panic!("{yaml}: expected an error, got\n{after}"),
            Err(e) => assert!(
                e.contains(":6:1: error[edit/") && e.contains(form),
                "{yaml}: {e}"
            ),
        }
    }
}

#[test]
fn a_file_that_does_not_load_is_not_edited() {
    let e = quote_error(
        "---\nid: a\ncolour: red\n---\nWords.\n",
        &themes(&["stigma"]),
    );
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn a_theme_that_yaml_would_read_as_a_boolean_is_quoted() {
    let text = &front("");
    let after = quote(text, &themes(&["yes"]));
    assert_eq!(after, with_added(text, "themes:\n- \"yes\"\n"));
}

#[test]
fn the_panel_sends_json_whose_keys_are_the_editable_ones() {
    let edit: FrontMatterEdit =
        serde_json::from_str(r#"{"themes": ["stigma"], "voice": null}"#).unwrap();
    assert_eq!(edit.voice, Some(None));
    assert_eq!(edit.themes, Some(vec!["stigma".to_string()]));
    let edit: FrontMatterEdit = serde_json::from_str(r#"{"draft": true}"#).unwrap();
    assert_eq!(edit.voice, None);
    let e = serde_json::from_str::<FrontMatterEdit>(r#"{"title": "New"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown field `title`, expected one of `themes`, `content_note`"),
        "{e}"
    );
}

#[test]
fn a_file_is_written_only_if_it_is_as_its_page_was_made_from() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("content/quotes/adults/adults-001.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, QUOTE).unwrap();
    let (config, vocabularies) = (config(), vocabularies());
    let site = SiteData {
        config: &config,
        vocabularies: &vocabularies,
    };
    let edit = themes(&["stigma"]);
    let stale = content_hash(b"what the page was made from");
    let e = edit_file(
        root.path(),
        "quotes/adults/adults-001.md",
        &stale,
        &edit,
        site,
    )
    .unwrap_err();
    assert_eq!(e.code, "edit/changed-on-disk");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), QUOTE);
    let loaded = content_hash(QUOTE.as_bytes());
    let hash = edit_file(
        root.path(),
        "quotes/adults/adults-001.md",
        &loaded,
        &edit,
        site,
    )
    .unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, QUOTE.replace("\n  - adoption\n", "\n"));
    assert_eq!(hash, content_hash(written.as_bytes()));
    for outside in [
        "../site.yaml",
        "/etc/passwd",
        "quotes/adults/.adults-001.md",
        "quotes/a/b.txt",
    ] {
        let e = edit_file(root.path(), outside, &hash, &edit, site).unwrap_err();
        assert_eq!(e.code, "edit/not-content", "{outside}");
    }
}

/// The edit and its reverse, made to every quote and idea of the review site: a theme and a
/// content note added, the flags set, a quote's voice changed; the edited file loads as the
/// old one with those fields changed and the same body, and the reverse gives back its
/// bytes exactly.
#[test]
fn every_quote_and_idea_of_the_review_site_edits_and_reverts_to_its_own_bytes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root, None).unwrap();
    let vocabularies = Vocabularies::load(root, &config).unwrap();
    let site = SiteData {
        config: &config,
        vocabularies: &vocabularies,
    };
    let mut edited_files = 0;
    for folder in ["content/quotes", "content/ideas"] {
        for entry in walkdir::WalkDir::new(root.join(folder)).sort_by_file_name() {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "md") {
                let source = crate::diagnostics::read_source(root, &path).unwrap();
                edit_and_revert(&source, site);
                edited_files += 1;
            }
        }
    }
    assert!(edited_files > 1500, "{edited_files}");
}

fn edit_and_revert(source: &Arc<SourceText>, site: SiteData<'_>) {
    let relative = source.name.strip_prefix("content/").unwrap();
    let kind = kind_of(relative, &site.config.site.responses.path).unwrap();
    let before = read_values(source, kind).unwrap();
    let list = |key: &str| -> Vec<String> {
        let items = before
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let (themes, notes) = (list("themes"), list("content_note"));
    let new_theme = site
        .vocabularies
        .themes
        .iter()
        .find(|t| !themes.contains(&t.slug))
        .unwrap();
    let voice = before.get("voice").and_then(Value::as_str);
    let other_voice = voice.and_then(|v| site.vocabularies.voices.iter().find(|t| t.slug != v));
    let flag = |key: &str| before.get(key) == Some(&Value::Bool(true));
    let forward = FrontMatterEdit {
        themes: Some([themes.clone(), vec![new_theme.slug.clone()]].concat()),
        content_note: (!notes.contains(&"self-harm".to_string()))
            .then(|| [notes.clone(), vec!["self-harm".to_string()]].concat()),
        privacy_reviewed: Some(!flag("privacy_reviewed")),
        draft: Some(!flag("draft")),
        voice: other_voice.map(|t| Some(t.slug.clone())),
    };
    let backward = FrontMatterEdit {
        themes: Some(themes),
        content_note: forward.content_note.as_ref().map(|_| notes),
        privacy_reviewed: Some(flag("privacy_reviewed")),
        draft: Some(flag("draft")),
        voice: forward.voice.as_ref().map(|_| voice.map(str::to_string)),
    };
    let edited = edit_front_matter(source, kind, &forward, site).unwrap_or_else(|d| panic!("{d}"));
    let edited_source = Arc::new(SourceText {
        name: source.name.clone(),
        text: edited,
    });
    assert_loads_as_edited(source, &edited_source, &forward);
    let reverted =
        edit_front_matter(&edited_source, kind, &backward, site).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(reverted, source.text, "{}", source.name);
}

/// `after` has the body of `before`, and loads with the loader's own types as `before` with
/// `edit` made.
fn assert_loads_as_edited(
    before: &Arc<SourceText>,
    after: &Arc<SourceText>,
    edit: &FrontMatterEdit,
) {
    let (old, new) = (split(before).unwrap(), split(after).unwrap());
    assert_eq!(old.body, new.body, "{}", before.name);
    if before.name.starts_with("content/quotes/") {
        let mut expected: QuoteMeta = parse_yaml(before, old.yaml, old.yaml_offset).unwrap();
        let found: QuoteMeta = parse_yaml(after, new.yaml, new.yaml_offset).unwrap();
        expected.themes = edit.themes.clone().unwrap();
        expected.content_note = edit.content_note.clone().unwrap_or(expected.content_note);
        expected.privacy_reviewed = edit.privacy_reviewed.unwrap();
        expected.draft = edit.draft.unwrap();
        expected.voice = edit.voice.clone().unwrap_or(expected.voice);
        assert_eq!(found, expected, "{}", before.name);
    } else {
        let mut expected: ResponseMeta = parse_yaml(before, old.yaml, old.yaml_offset).unwrap();
        let found: ResponseMeta = parse_yaml(after, new.yaml, new.yaml_offset).unwrap();
        expected.themes = edit.themes.clone().unwrap();
        expected.content_note = edit.content_note.clone().unwrap_or(expected.content_note);
        expected.privacy_reviewed = edit.privacy_reviewed.unwrap();
        expected.draft = edit.draft.unwrap();
        assert_eq!(found, expected, "{}", before.name);
    }
}

proptest::proptest! {
    /// Any front matter, well formed or not: the editor gives an edited text that loads, or
    /// an error, never a panic; and never the error of the read-back check, which would mean
    /// the lines were rewritten wrong.
    #[test]
    fn no_front_matter_makes_the_editor_panic(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(vec![
                    "themes:", "- stigma", "  - 'it''s'", "themes: [stigma, \"a,b\"]", "themes: [",
                    "draft: yes", "draft:", "# note", "", "voice: ~", "voice: parent # v",
                    "content_note: [x] # y", "content_note:", "  - \"a # b\"", "-", "- [a]",
                    "privacy_reviewed: true", "themes: &a [x]", "x: *a", "---", "  # c",
                ]).prop_map(str::to_string),
                "[a-z_:#\\[\\]'\", -]{0,12}",
            ],
            0..12,
        ),
        crlf in proptest::bool::ANY,
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let yaml: String = lines.iter().map(|l| format!("{l}{newline}")).collect();
        let known = ["id: a", "provenance: verbatim", "summary: s", "section: t", "speaker: P"];
        let known: String = known.iter().map(|l| format!("{l}{newline}")).collect();
        let text = format!("---{newline}{known}{yaml}---{newline}Words.{newline}");
        let edit = FrontMatterEdit {
            themes: Some(vec!["adoption".to_string(), "stigma".to_string()]),
            content_note: Some(vec!["a, b".to_string()]),
            privacy_reviewed: Some(true),
            draft: Some(false),
            voice: Some(Some("parent".to_string())),
        };
        match edited(Kind::Quote, &text, &edit) {
            Ok(after) => proptest::prop_assert!(read_values(&source(&after), Kind::Quote).is_ok()),
            Err(e) => proptest::prop_assert!(!e.contains("edit/not-preserved"), "{text:?}: {e}"),
        }
    }
}
