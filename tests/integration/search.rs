//! The search index as the browser reads it: the files under `search/en/` of a built site,
//! looked up the way `search.js` looks them up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::*;
use chorus::search::analysis::{analyse, analyse_with_positions};
use serde_json::Value;

/// A built site's index, read from disk.
struct Index {
    dir: PathBuf,
    manifest: Value,
    /// Every shard's terms with their postings, in manifest order.
    shards: Vec<BTreeMap<String, Vec<u64>>>,
}

impl Index {
    fn read(public: &Path) -> Index {
        let dir = public.join("search/en");
        let manifest: Value = json(&dir.join("manifest.json"));
        let shards = manifest["shards"]
            .as_array()
            .expect("shard list")
            .iter()
            .map(|shard| {
                serde_json::from_value(json(&dir.join(shard[1].as_str().expect("file"))))
                    .expect("shard")
            })
            .collect();
        Index {
            dir,
            manifest,
            shards,
        }
    }

    fn first_terms(&self) -> Vec<&str> {
        self.manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[0].as_str().unwrap())
            .collect()
    }

    /// Every indexed term.
    fn vocabulary(&self) -> BTreeSet<String> {
        self.shards.iter().flat_map(|s| s.keys().cloned()).collect()
    }

    /// The documents of `term` with their scores and the positions of its words, from the
    /// one shard the manifest names.
    fn postings(&self, term: &str) -> BTreeMap<u64, (u64, Vec<u64>)> {
        let shard = self
            .first_terms()
            .iter()
            .rposition(|first| *first <= term)
            .expect("a shard for every term");
        let list = self.shards[shard]
            .get(term)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut docs = BTreeMap::new();
        let (mut at, mut doc) = (0, 0);
        while at < list.len() {
            doc += list[at];
            let n = list[at + 2] as usize;
            let mut position = 0;
            let positions = list[at + 3..at + 3 + n]
                .iter()
                .map(|gap| {
                    position += gap;
                    position
                })
                .collect();
            docs.insert(doc, (list[at + 1], positions));
            at += 3 + n;
        }
        docs
    }

    /// The documents that have every term of `query`, best first.
    fn search(&self, query: &str) -> Vec<u64> {
        let mut total: Option<BTreeMap<u64, u64>> = None;
        for term in analyse(query) {
            let postings: BTreeMap<u64, u64> = self
                .postings(&term)
                .into_iter()
                .map(|(doc, (score, _))| (doc, score))
                .collect();
            total = Some(match total {
                None => postings,
                Some(total) => total
                    .into_iter()
                    .filter_map(|(d, s)| postings.get(&d).map(|t| (d, s + t)))
                    .collect(),
            });
        }
        let mut ranked: Vec<(u64, u64)> = total.unwrap_or_default().into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().map(|(d, _)| d).collect()
    }

    /// The documents that have the words of `phrase` at the distances they have in it, as
    /// `search.js` matches a query in double quotes, in document order.
    fn phrase(&self, phrase: &str) -> Vec<u64> {
        let terms = analyse_with_positions(phrase);
        let postings: Vec<_> = terms.iter().map(|(_, term)| self.postings(term)).collect();
        let Some(first) = postings.first() else {
            return Vec::new();
        };
        first
            .iter()
            .filter(|(doc, (_, starts))| {
                starts.iter().any(|start| {
                    terms.iter().zip(&postings).all(|((at, _), docs)| {
                        docs.get(doc).is_some_and(|(_, positions)| {
                            positions.contains(&(start + u64::from(*at) - u64::from(terms[0].0)))
                        })
                    })
                })
            })
            .map(|(doc, _)| *doc)
            .collect()
    }

    /// The stored document `doc`: url, title, speaker, text.
    fn document(&self, doc: u64) -> Value {
        let store = &self.manifest["store"];
        let starts: Vec<u64> = store["starts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_u64().unwrap())
            .collect();
        let chunk = starts.iter().rposition(|&start| start <= doc).unwrap();
        let folder = store["folder"].as_str().unwrap();
        let list: Value = json(&self.dir.join(format!("{folder}{chunk}.json")));
        list[(doc - starts[chunk]) as usize].clone()
    }

    /// The display names of document `doc`'s values in facet `f` (0 kind, 1 summary,
    /// 2 voices, 3 themes, 4 topics).
    fn facet_names(&self, doc: u64, f: usize) -> Vec<String> {
        let facet = &self.manifest["facets"][f];
        let values: Vec<i64> = match &facet["documents"][doc as usize] {
            Value::Array(values) => values.iter().map(|v| v.as_i64().unwrap()).collect(),
            one => vec![one.as_i64().unwrap()],
        };
        values
            .iter()
            .filter(|&&v| v >= 0)
            .map(|&v| facet["values"][v as usize][1].as_str().unwrap().to_string())
            .collect()
    }
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_phrase_from_a_quote_finds_that_quote_first() {
    let site = fixture("basic");
    let index = Index::read(&build(site.path(), None));
    let results = index.search("Less paperwork, meetings and less emails");
    assert!(!results.is_empty(), "no result for the phrase");
    let first = index.document(results[0]);
    assert_eq!(first["url"], "/quotes/workforce-001/");
    assert_eq!(first["text"], "Less paperwork, meetings and less emails.");
    assert_eq!(first["speaker"], "Social Worker");
    assert_eq!(index.facet_names(results[0], 0), ["Quote"]);
    assert_eq!(
        index.facet_names(results[0], 1),
        ["Workforce engagement summary"]
    );
    assert_eq!(index.facet_names(results[0], 2), ["Social worker"]);
    assert_eq!(index.facet_names(results[0], 3), ["Workforce"]);
}

#[test]
fn a_phrase_matches_its_words_in_order_at_their_distances() {
    let site = fixture("basic");
    let index = Index::read(&build(site.path(), None));
    let urls = |docs: Vec<u64>| -> Vec<String> {
        docs.iter()
            .map(|&d| index.document(d)["url"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        urls(index.phrase("meetings and less emails")),
        ["/quotes/workforce-001/"]
    );
    assert!(
        index.phrase("meetings or less emails").is_empty(),
        "a phrase's stop words are matched too"
    );
    assert!(index.phrase("emails and less meetings").is_empty());
    assert!(index.phrase("meetings less emails").is_empty());
    assert!(
        !index.search("meetings less emails").is_empty(),
        "the same words, loose"
    );
}

#[test]
fn facets_take_the_site_yaml_keys_and_the_store_few_files() {
    let site = large_fixture(300);
    let index = Index::read(&build(site.path(), None));
    let keys: Vec<&str> = index.manifest["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["kind", "summary", "voices", "themes", "topics"]);
    let documents = index.manifest["documents"].as_u64().unwrap();
    let chunks = index.manifest["store"]["starts"].as_array().unwrap().len() as u64;
    assert!(
        chunks * 10 < documents,
        "{chunks} files for {documents} documents"
    );
    let response = (0..documents)
        .find(|&d| index.facet_names(d, 0) == ["Response"])
        .expect("a response");
    assert!(!index.facet_names(response, 4).is_empty(), "its topics");
}

#[test]
fn a_word_is_found_in_every_kind_it_occurs_in_and_ranked_by_score() {
    let site = fixture("basic");
    let index = Index::read(&build(site.path(), None));
    let results = index.search("kinship");
    let urls: Vec<String> = results
        .iter()
        .map(|&d| index.document(d)["url"].as_str().unwrap().to_string())
        .collect();
    for url in [
        "/summaries/adults/kinship/",
        "/quotes/workforce-002/",
        "/responses/response-0001/",
    ] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    // The section is titled "Kinship carers": a title match outweighs one word in a body.
    assert_eq!(urls[0], "/summaries/adults/kinship/");
    assert!(index.search("nosuchwordanywhere").is_empty());
}

#[test]
fn stop_words_are_not_indexed() {
    let site = fixture("basic");
    let index = Index::read(&build(site.path(), None));
    let vocabulary = index.vocabulary();
    // The fixture's texts are full of these; their neighbours are indexed.
    for word in ["the", "and", "about", "we", "were", "of", "a", "without"]
        .iter()
        .filter(|w| analyse(w).is_empty())
    {
        assert!(!vocabulary.contains(*word), "stop word `{word}` is indexed");
    }
    for word in ["paperwork", "left", "support", "unattribut"] {
        assert!(
            vocabulary.contains(word),
            "`{word}` is not indexed: {vocabulary:?}"
        );
    }
    assert!(analyse("the and of we were").is_empty());
}

/// A copy of the fixture with `count` more responses, each with words of its own, so that the
/// index needs many shards.
fn large_fixture(count: usize) -> tempfile::TempDir {
    let site = fixture("basic");
    for n in 0..count {
        let words: Vec<String> = (0..12).map(|w| format!("w{n:04}x{w}")).collect();
        write(
            site.path(),
            &format!("content/responses/response-{:04}.md", 100 + n),
            &format!(
                "---\nnumber: {}\n---\n\nKinship placements {} and caseloads.\n",
                100 + n,
                words.join(" ")
            ),
        );
    }
    site
}

#[test]
fn the_shards_cover_every_term_exactly_once() {
    let site = large_fixture(300);
    let public = build(site.path(), None);
    let index = Index::read(&public);
    let firsts = index.first_terms();
    assert!(
        firsts.len() > 2,
        "expected several shards, got {}",
        firsts.len()
    );
    assert_eq!(firsts[0], "", "the first shard starts before every term");
    let mut seen = BTreeSet::new();
    for (i, shard) in index.shards.iter().enumerate() {
        assert!(!shard.is_empty(), "shard {i} is empty");
        for term in shard.keys() {
            assert!(
                term.as_str() >= firsts[i],
                "`{term}` is before its shard {i} ({})",
                firsts[i]
            );
            if let Some(next) = firsts.get(i + 1) {
                assert!(
                    term.as_str() < *next,
                    "`{term}` in shard {i} belongs to a later one"
                );
            }
            assert!(seen.insert(term.clone()), "`{term}` is in two shards");
        }
    }
    // The same terms as the pipeline makes of every document's fields.
    let mut session = chorus::Session::new(site.path(), chorus::BuildOptions::default());
    session
        .build(&chorus::output::Memory::default())
        .expect("builds");
    let (built, bodies) = session.site().zip(session.bodies()).expect("built");
    let documents = chorus::search::documents(built, &chorus::pipeline::texts(bodies));
    let mut expected = BTreeSet::new();
    for d in &documents {
        let title = if d.kind == chorus::search::Kind::Quote {
            ""
        } else {
            &d.title
        };
        let tags = d
            .themes
            .iter()
            .chain(&d.topics)
            .map(|tag| tag.name)
            .collect::<Vec<_>>()
            .join(" ");
        for text in [title, &tags, d.speaker.unwrap_or_default(), d.body] {
            expected.extend(analyse_with_positions(text).into_iter().map(|(_, t)| t));
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(
        index.manifest["documents"].as_u64(),
        Some(documents.len() as u64)
    );
    for facet in index.manifest["facets"].as_array().unwrap() {
        assert_eq!(
            facet["documents"].as_array().unwrap().len(),
            documents.len(),
            "{}",
            facet["key"]
        );
    }
    assert_eq!(index.search("w0123x4").len(), 1);
}

/// The browser shows stored text with `textContent`; the store must keep markup as the
/// characters the reader sees (here written as entities in the Markdown source).
#[test]
fn markup_in_a_quote_is_stored_as_text() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/quotes/workforce/workforce-003.md",
        "---\nid: workforce-003\nprovenance: verbatim\nsummary: workforce\nsection: care\n---\n\nThey typed &lt;script&gt;alert(1)&lt;/script&gt; into the form.\n",
    );
    let section = site.path().join("content/summaries/workforce/02-care.md");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        format!("{text}\n{{{{ quote(id=\"workforce-003\") }}}}\n"),
    )
    .unwrap();
    let index = Index::read(&build(site.path(), None));
    let results = index.search("typed form");
    assert_eq!(results.len(), 1);
    let text = index.document(results[0])["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
}

#[test]
fn the_search_page_points_at_the_index_under_a_sub_path() {
    let site = fixture("basic");
    let public = build(site.path(), Some("https://example.org/review/"));
    let html = page(&public, "search/index.html");
    let app = select(&html, "#search-app[data-index-url]");
    assert_eq!(app.len(), 1);
    let url = app[0].value().attr("data-index-url").unwrap();
    assert_eq!(url, "/review/search/en/manifest.json");
    assert!(public.join("search/en/manifest.json").is_file());
    let index = Index::read(&public);
    assert!(
        index.document(0)["url"]
            .as_str()
            .unwrap()
            .starts_with("/review/")
    );
    for shard in index.manifest["shards"].as_array().unwrap() {
        assert!(index.dir.join(shard[1].as_str().unwrap()).is_file());
    }
    let script = select(&html, "script[src]");
    assert_eq!(script.len(), 1);
    let src = script[0].value().attr("src").unwrap();
    assert!(
        src.starts_with("/review/search.") && src.ends_with(".js"),
        "{src}"
    );
    assert!(public.join(&src["/review/".len()..]).is_file());
}

#[test]
fn the_search_page_has_a_labelled_search_form_and_keeps_its_fallback() {
    let site = fixture("basic");
    let html = page(&build(site.path(), None), "search/index.html");
    let input = select(
        &html,
        "form[role=search] input#search-input[type=search][name=q]",
    );
    assert_eq!(input.len(), 1);
    let label = select(&html, "form[role=search] label[for=search-input]");
    assert_eq!(label.len(), 1);
    assert!(!text(&label[0]).is_empty());
    assert_eq!(select(&html, "#search-status[role=status]").len(), 1);
    assert_eq!(select(&html, "ol#search-results").len(), 1);
    assert_eq!(
        select(&html, "#search-app[hidden]").len(),
        1,
        "hidden until search.js runs"
    );
    let fallback = text(&select(&html, ".search-fallback")[0]);
    assert!(fallback.contains("needs JavaScript"), "{fallback}");
    let links = |selector: &str| -> Vec<String> {
        select(&html, selector)
            .iter()
            .filter_map(|a| a.value().attr("href").map(String::from))
            .collect()
    };
    assert_eq!(
        links(".search-fallback > ul a"),
        ["/themes/", "/voices/", "/responses/"]
    );
    // Each filter's values, as the pages that list what one value filters to.
    assert_eq!(
        links(".search-fallback details.search-browse a"),
        [
            "/summaries/workforce/",
            "/summaries/adults/",
            "/themes/kinship-care/",
            "/themes/workforce/",
            "/voices/kinship-carer/",
            "/voices/social-worker/",
            "/topics/kinship-care/"
        ]
    );
    let public = build(site.path(), None);
    for link in links(".search-fallback a") {
        assert!(
            public
                .join(link.trim_start_matches('/'))
                .join("index.html")
                .is_file(),
            "{link} is a page"
        );
    }
}

#[test]
fn no_index_when_search_is_switched_off() {
    let site = fixture("basic");
    let config = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}search:\n  enabled: false\n")).unwrap();
    let public = build(site.path(), None);
    assert!(
        public.join("search/index.html").is_file(),
        "the page stays, with its fallback"
    );
    assert!(!public.join("search/en").exists(), "no index files");
}
