//! The benchmark corpus generator (`examples/corpus/`): it writes N idea pages as three
//! equivalent sites, whose front matter each generator accepts, and the Chorus one builds.

#[path = "../../examples/corpus/generate.rs"]
mod generate;

use std::path::Path;

use crate::common::{page, repo, select, text};
use generate::{HugoIdea, Source, ZolaIdea};

/// The Markdown files directly in `dir`.
fn markdown_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".md") && name != "_index.md")
        .collect();
    names.sort();
    names
}

/// Parses the YAML front matter of a Hugo or Zola page into `T` (which rejects unknown keys)
/// and returns it with the body.
fn front_matter<T: serde::de::DeserializeOwned>(file: &Path) -> (T, String) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{}: no opening ---", file.display()));
    let (yaml, body) = rest
        .split_once("\n---\n")
        .unwrap_or_else(|| panic!("{}: no closing ---", file.display()));
    let parsed = serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (parsed, body.trim().to_string())
}

fn source() -> Source {
    generate::load_source(&repo()).unwrap_or_else(|e| panic!("{e}"))
}

fn topic_name(source: &Source, slug: &str) -> String {
    source
        .topics
        .iter()
        .find(|(s, _)| s == slug)
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| panic!("unknown topic {slug}"))
}

#[test]
fn writes_n_pages_with_valid_front_matter_in_all_three_sites() {
    let source = source();
    assert_eq!(source.ideas.len(), 976, "the committed Call for Ideas");
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = generate::write_corpus(&source, dir.path(), 50).expect("corpus written");
    assert_eq!(corpus.pages, 50);
    let expected: Vec<String> = (0..50)
        .map(|i| format!("{}.md", generate::idea_id(i)))
        .collect();
    for site in [&corpus.chorus, &corpus.hugo, &corpus.zola] {
        assert_eq!(
            markdown_files(&site.join("content/ideas")),
            expected,
            "{}",
            site.display()
        );
    }
    assert!(
        corpus.markdown_bytes > 50 * 100,
        "realistic text, not stubs: {} bytes",
        corpus.markdown_bytes
    );

    // Chorus: the crate's own loader accepts every file and sees the source's fields.
    let (site, _) =
        chorus::pipeline::resolve_site(&corpus.chorus, &chorus::BuildOptions::default())
            .unwrap_or_else(|d| panic!("{:?}", d.items));
    assert_eq!(site.responses.len(), 50);
    for idea in &site.responses {
        let index = usize::try_from(idea.doc.meta.number).expect("number") - 1;
        let original = &source.ideas[index];
        assert_eq!(idea.id, generate::idea_id(index));
        assert_eq!(idea.doc.meta.topics, original.topics, "{}", idea.id);
        assert_eq!(idea.doc.meta.respondent, original.respondent, "{}", idea.id);
        assert_eq!(idea.doc.meta.anonymous, original.anonymous, "{}", idea.id);
        assert!(
            idea.doc.meta.themes.is_empty(),
            "the peers have no themes: {}",
            idea.id
        );
        assert_eq!(idea.doc.body().trim(), original.body, "{}", idea.id);
    }

    // Hugo and Zola: the same ideas, topics by display name, in the shape each expects.
    for index in [0, 1, 24, 49] {
        let original = &source.ideas[index];
        let names: Vec<String> = original
            .topics
            .iter()
            .map(|slug| topic_name(&source, slug))
            .collect();
        let number = u32::try_from(index + 1).expect("number");
        let file = format!("{}.md", generate::idea_id(index));
        let (hugo, body): (HugoIdea, String) =
            front_matter(&corpus.hugo.join("content/ideas").join(&file));
        assert_eq!(hugo.title, format!("Idea {number}"));
        assert_eq!((hugo.weight, hugo.number), (number, number));
        assert_eq!(hugo.topics, names);
        assert_eq!(
            (hugo.respondent.as_ref(), hugo.anonymous),
            (original.respondent.as_ref(), original.anonymous)
        );
        assert_eq!(body, original.body);
        let (zola, body): (ZolaIdea, String) =
            front_matter(&corpus.zola.join("content/ideas").join(&file));
        assert_eq!(zola.title, format!("Idea {number}"));
        assert_eq!((zola.weight, zola.extra.number), (number, number));
        assert_eq!(zola.taxonomies.topics, names);
        assert_eq!(
            (zola.extra.respondent.as_ref(), zola.extra.anonymous),
            (original.respondent.as_ref(), original.anonymous)
        );
        assert_eq!(body, original.body);
    }

    // The peers' configuration: Zola builds its search index, Hugo none, both know `topics`.
    let zola_config =
        std::fs::read_to_string(corpus.zola.join("config.toml")).expect("config.toml");
    assert!(zola_config.contains("build_search_index = true"));
    assert!(zola_config.contains("name = \"topics\""));
    assert!(
        zola_config.contains("\"Children in care\""),
        "the topic names, for the term lists"
    );
    let hugo_config =
        std::fs::read_to_string(corpus.hugo.join("config.toml")).expect("config.toml");
    assert!(hugo_config.contains("topic = \"topics\""));
    for template in [
        "layouts/_default/single.html",
        "layouts/_default/list.html",
        "layouts/_default/term.html",
    ] {
        assert!(corpus.hugo.join(template).is_file(), "hugo {template}");
    }
    for template in [
        "templates/page.html",
        "templates/section.html",
        "templates/topics/single.html",
    ] {
        assert!(corpus.zola.join(template).is_file(), "zola {template}");
    }
}

#[test]
fn the_chorus_site_builds_without_errors() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = generate::write_corpus(&source(), dir.path(), 50).expect("corpus written");
    let output = dir.path().join("public");
    let report = chorus::build(&corpus.chorus, &output, &chorus::BuildOptions::default())
        .unwrap_or_else(|d| panic!("build failed: {:?}", d.items));
    assert_eq!(report.warnings.error_count(), 0);
    assert_eq!(report.responses, 50);

    let idea = page(&output, "ideas/idea-00050/index.html");
    assert_eq!(text(&select(&idea, "h1")[0]), "Idea 50");
    let list = page(&output, "ideas/index.html");
    assert_eq!(
        select(&list, ".responses-list > li").len(),
        50,
        "one page of 50 ideas"
    );
    let topic = page(&output, "topics/children-in-care/index.html");
    assert!(
        !select(&topic, ".response-card").is_empty(),
        "a topic page lists its ideas"
    );
}

#[test]
fn repeats_the_source_with_distinct_ids_and_numbers() {
    let mut source = source();
    source.ideas.truncate(4);
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = generate::write_corpus(&source, dir.path(), 10).expect("corpus written");
    let (site, _) =
        chorus::pipeline::resolve_site(&corpus.chorus, &chorus::BuildOptions::default())
            .unwrap_or_else(|d| panic!("{:?}", d.items));
    let mut numbers: Vec<u32> = site.responses.iter().map(|i| i.doc.meta.number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=10).collect::<Vec<u32>>());
    let body = |number: u32| {
        site.responses
            .iter()
            .find(|i| i.doc.meta.number == number)
            .map(|i| i.doc.body().trim().to_string())
    };
    assert_eq!(body(5), body(1), "idea 5 repeats the first committed idea");
    assert_eq!(body(10), body(2));
    assert_ne!(body(1), body(2));
}

#[test]
fn refuses_to_empty_a_folder_that_holds_no_corpus() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("notes.txt"), "keep me").expect("write");
    let error = generate::write_corpus(&source(), dir.path(), 1).expect_err("refused");
    assert!(
        error.to_string().contains("holds no earlier corpus"),
        "{error}"
    );
    assert!(dir.path().join("notes.txt").is_file(), "nothing deleted");
}
