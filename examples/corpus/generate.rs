//! The benchmark corpus: the committed Call for Ideas as N idea pages, written three times
//! (a Chorus, a Hugo and a Zola site) so the three generators build the same pages.
//!
//! The text is the review's own: idea `i` (0-based) takes the body, topics and respondent of
//! committed idea `i mod 976`, with its own id (`idea-00001`…) and number, so a corpus of
//! any size reads like the real one. Only the fields all three generators model are kept
//! (number, topics, respondent or anonymous): themes and content notes would give Chorus
//! pages the peers do not have.
//!
//! The parts that do not depend on N (configuration, templates, home page) are committed
//! under `benches/corpus/<generator>/` and copied; this module writes the rest.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chorus::BuildOptions;
use chorus::content::front_matter::to_markdown;
use chorus::content::kinds::ResponseMeta;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The file, beside the three sites, that marks a folder as a generated corpus: only such a
/// folder is emptied before writing, so a mistyped `--out` cannot delete anything else. Its
/// last line, `pages: N`, is written once the corpus is complete.
const MARKER: &str = ".chorus-bench-corpus";
const MARKER_TEXT: &str = "A benchmark corpus written by `cargo run --example corpus`.\n";

/// One committed idea, reduced to what the corpus keeps.
#[derive(Debug, Clone)]
pub struct SourceIdea {
    pub topics: Vec<String>,
    pub respondent: Option<String>,
    pub anonymous: bool,
    pub privacy_reviewed: bool,
    pub body: String,
}

/// What the corpus is derived from: the committed ideas in number order and the topics
/// vocabulary (slug, display name).
#[derive(Debug, Clone)]
pub struct Source {
    pub repo: PathBuf,
    pub ideas: Vec<SourceIdea>,
    pub topics: Vec<(String, String)>,
}

/// Reads the committed site under `repo` with Chorus's own loader, so the corpus starts
/// from content that is known to be valid.
pub fn load_source(repo: &Path) -> Result<Source, String> {
    let (site, _) =
        chorus::pipeline::resolve_site(repo, &BuildOptions::default()).map_err(|d| {
            let lines: Vec<String> = d.items.iter().map(ToString::to_string).collect();
            format!(
                "the site in {} does not load:\n{}",
                repo.display(),
                lines.join("\n")
            )
        })?;
    let mut ideas: Vec<(u32, SourceIdea)> = site
        .responses
        .iter()
        .map(|idea| {
            let meta = &idea.doc.meta;
            let idea_source = SourceIdea {
                topics: meta.topics.clone(),
                respondent: meta.respondent.clone(),
                anonymous: meta.anonymous,
                privacy_reviewed: meta.privacy_reviewed,
                body: idea.doc.body().trim().to_string(),
            };
            (meta.number, idea_source)
        })
        .collect();
    if ideas.is_empty() {
        return Err(format!("{} has no ideas in content/ideas/", repo.display()));
    }
    ideas.sort_by_key(|(number, _)| *number);
    let topics = site
        .vocabularies
        .topics
        .iter()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .collect();
    Ok(Source {
        repo: repo.to_path_buf(),
        ideas: ideas.into_iter().map(|(_, idea)| idea).collect(),
        topics,
    })
}

/// Front matter of a Hugo idea page: `topics` is the taxonomy (display names, which Hugo
/// turns into term URLs), the rest are page parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HugoIdea {
    pub title: String,
    pub weight: u32,
    pub number: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
}

/// Front matter of a Zola idea page: Zola rejects unknown top-level keys, so taxonomies and
/// the idea's own fields go in their tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZolaIdea {
    pub title: String,
    pub weight: u32,
    #[serde(default)]
    pub taxonomies: ZolaTaxonomies,
    pub extra: ZolaExtra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZolaTaxonomies {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZolaExtra {
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
}

/// Where a corpus was written and how big it is.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub chorus: PathBuf,
    pub hugo: PathBuf,
    pub zola: PathBuf,
    pub pages: usize,
    /// Bytes of Markdown in the Chorus site's idea files.
    pub markdown_bytes: u64,
}

/// The id of the `index`-th (0-based) idea page: five digits, enough for ×100.
pub fn idea_id(index: usize) -> String {
    format!("idea-{:05}", index + 1)
}

/// Writes `pages` idea pages as three sites under `out` (`chorus/`, `hugo/`, `zola/`),
/// replacing a corpus written there before.
pub fn write_corpus(source: &Source, out: &Path, pages: usize) -> io::Result<Corpus> {
    prepare_out(out)?;
    let skeletons = source.repo.join("benches/corpus");
    let corpus = Corpus {
        chorus: out.join("chorus"),
        hugo: out.join("hugo"),
        zola: out.join("zola"),
        pages,
        markdown_bytes: 0,
    };
    for site in [&corpus.chorus, &corpus.hugo, &corpus.zola] {
        let name = site.file_name().unwrap_or_default();
        copy_dir(&skeletons.join(name), site)?;
    }
    copy_dir(&source.repo.join("data"), &corpus.chorus.join("data"))?;
    copy_dir(
        &source.repo.join("themes/review"),
        &corpus.chorus.join("themes/review"),
    )?;
    for peer in [&corpus.hugo, &corpus.zola] {
        fs::create_dir_all(peer.join("static"))?;
        fs::copy(
            source.repo.join("themes/review/static/style.css"),
            peer.join("static/style.css"),
        )?;
    }
    fs::write(corpus.zola.join("config.toml"), zola_config(source))?;
    for site in [&corpus.chorus, &corpus.hugo, &corpus.zola] {
        fs::create_dir_all(site.join("content/ideas"))?;
    }
    let markdown_bytes = (0..pages)
        .into_par_iter()
        .map(|index| write_idea(source, &corpus, index))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    // Written last, so that a corpus cut short is never taken for a complete one by
    // `benches/run`, which reuses a complete corpus of the right size.
    fs::write(out.join(MARKER), format!("{MARKER_TEXT}pages: {pages}\n"))?;
    Ok(Corpus {
        markdown_bytes,
        ..corpus
    })
}

/// Empties `out` if it holds an earlier corpus; refuses a non-empty folder that does not.
fn prepare_out(out: &Path) -> io::Result<()> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        if !out.join(MARKER).is_file() {
            return Err(io::Error::other(format!(
                "{} is not empty and holds no earlier corpus (no {MARKER} file): \
                 choose an empty or new folder",
                out.display()
            )));
        }
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    fs::write(out.join(MARKER), MARKER_TEXT)
}

/// Writes idea `index` into the three sites and returns the size of the Chorus file.
fn write_idea(source: &Source, corpus: &Corpus, index: usize) -> io::Result<u64> {
    let idea = &source.ideas[index % source.ideas.len()];
    let id = idea_id(index);
    let number = u32::try_from(index + 1).map_err(io::Error::other)?;
    let file = format!("{id}.md");
    let meta = ResponseMeta {
        number,
        topics: idea.topics.clone(),
        respondent: idea.respondent.clone(),
        anonymous: idea.anonymous,
        privacy_reviewed: idea.privacy_reviewed,
        ..ResponseMeta::default()
    };
    let chorus = to_markdown(&meta, &idea.body).map_err(io::Error::other)?;
    let names: Vec<String> = idea
        .topics
        .iter()
        .map(|slug| topic_name(source, slug))
        .collect();
    let title = format!("Idea {number}");
    let hugo = HugoIdea {
        title: title.clone(),
        weight: number,
        number,
        topics: names.clone(),
        respondent: idea.respondent.clone(),
        anonymous: idea.anonymous,
    };
    let zola = ZolaIdea {
        title,
        weight: number,
        taxonomies: ZolaTaxonomies { topics: names },
        extra: ZolaExtra {
            number,
            respondent: idea.respondent.clone(),
            anonymous: idea.anonymous,
        },
    };
    fs::write(corpus.chorus.join("content/ideas").join(&file), &chorus)?;
    fs::write(
        corpus.hugo.join("content/ideas").join(&file),
        with_front_matter(&hugo, &idea.body)?,
    )?;
    fs::write(
        corpus.zola.join("content/ideas").join(&file),
        with_front_matter(&zola, &idea.body)?,
    )?;
    Ok(chorus.len() as u64)
}

/// The display name of a topic slug; a slug missing from the vocabulary (which the loader
/// would already have refused) stands for itself.
fn topic_name(source: &Source, slug: &str) -> String {
    source
        .topics
        .iter()
        .find(|(s, _)| s == slug)
        .map_or_else(|| slug.to_string(), |(_, name)| name.clone())
}

/// A Markdown file with YAML front matter, which Hugo and Zola both read between `---` lines.
fn with_front_matter<T: Serialize>(front_matter: &T, body: &str) -> io::Result<String> {
    let yaml = serde_saphyr::to_string(front_matter).map_err(io::Error::other)?;
    let newline = if yaml.ends_with('\n') { "" } else { "\n" };
    Ok(format!("---\n{yaml}{newline}---\n\n{body}\n"))
}

/// Zola's `config.toml`. The topic names are listed under `extra` so that list pages can show
/// every topic with its count through `get_taxonomy_term(include_pages=false)`, which is
/// cheap; `get_taxonomy` would serialise every page on every list page.
fn zola_config(source: &Source) -> String {
    let topics: Vec<String> = source
        .topics
        .iter()
        .map(|(_, name)| toml_string(name))
        .collect();
    format!(
        "# Written by `cargo run --example corpus`: the Zola site of the benchmark corpus.\n\
         base_url = \"https://example.org\"\n\
         title = \"What the review heard\"\n\
         description = \"The ideas sent to the Call for Ideas of the Independent Review of Children's Social Care.\"\n\
         default_language = \"en\"\n\
         compile_sass = false\n\
         build_search_index = true\n\
         taxonomies = [{{ name = \"topics\", paginate_by = 50 }}]\n\
         \n\
         [extra]\n\
         publisher = \"Independent Review of Children's Social Care\"\n\
         topics = [{}]\n",
        topics.join(", ")
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Copies the folder `src` into `dst`, creating folders as needed.
fn copy_dir(src: &Path, dst: &Path) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let target = dst.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
