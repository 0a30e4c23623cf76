//! The malformed-input corpus (`tests/malformed/*/case.yaml`, described in its README): every
//! broken site fails with its exit status and a message naming the file, never panics, and
//! leaves the previous `public/` byte for byte as it was; the unusual but valid ones build.
//! Also the documented limits (file size, YAML nesting, aliases) at their edges.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use chorus::content::MAX_FILE_BYTES;
use chorus::content::front_matter::{MAX_YAML_DEPTH, parse_yaml};
use chorus::diagnostics::SourceText;
use serde::Deserialize;

/// One case of the corpus, as its `case.yaml` describes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    exit: i32,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    messages: Vec<String>,
    #[serde(default)]
    deny_warnings: Option<i32>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    setup: Vec<Setup>,
    #[serde(default)]
    output: Vec<String>,
}

/// Breakage the test makes because it cannot, or should not, be stored in the repository.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Setup {
    Bom(String),
    Crlf(String),
    Empty(String),
    Dir(String),
    Fifo(String),
    AliasBomb(String),
    InvalidUtf8 { path: String, after: String },
    Big { path: String, bytes: usize },
    Nested { path: String, depth: usize },
    Symlink { path: String, to: String },
}

/// What one run of the binary left: exit status and both outputs.
struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `chorus` in `root` with its output in files (so a full pipe never blocks it) and a
/// time limit, since a case that hangs (an alias bomb expanding, a pipe read) is a failure.
fn run(root: &Path, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().expect("temporary folder");
    let (out, err) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("run chorus");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chorus") {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().expect("stop chorus");
            child.wait().expect("wait for chorus");
            break Some(-1);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read =
        |path: &Path| String::from_utf8_lossy(&std::fs::read(path).expect("output")).into_owned();
    Run {
        status,
        stdout: read(&out),
        stderr: read(&err),
    }
}

fn apply(root: &Path, setup: &Setup) {
    let edit = |path: &str, change: &dyn Fn(Vec<u8>) -> Vec<u8>| {
        let full = root.join(path);
        let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
        std::fs::write(&full, change(bytes)).expect("write");
    };
    match setup {
        Setup::Bom(path) => edit(path, &|bytes| [b"\xef\xbb\xbf".as_slice(), &bytes].concat()),
        Setup::Crlf(path) => edit(path, &|bytes| {
            String::from_utf8(bytes)
                .expect("text")
                .replace('\n', "\r\n")
                .into_bytes()
        }),
        Setup::Empty(path) => write(root, path, ""),
        Setup::Dir(path) => std::fs::create_dir_all(root.join(path)).expect("folder"),
        Setup::Fifo(path) => {
            let made = Command::new("mkfifo")
                .arg(root.join(path))
                .status()
                .expect("mkfifo");
            assert!(made.success(), "mkfifo {path}");
        }
        Setup::AliasBomb(path) => {
            let mut yaml =
                "---\ntitle: A\ndescription: [&a [x, x, x, x, x, x, x, x, x]".to_string();
            let mut previous = "a".to_string();
            for level in 1..=12 {
                let refs = vec![format!("*{previous}"); 9].join(", ");
                yaml.push_str(&format!(", &b{level} [{refs}]"));
                previous = format!("b{level}");
            }
            yaml.push_str("]\n---\nText.\n");
            write(root, path, &yaml);
        }
        Setup::InvalidUtf8 { path, after } => edit(path, &|bytes| {
            let text = String::from_utf8(bytes).expect("text");
            let at = text
                .find(after.as_str())
                .unwrap_or_else(|| panic!("`{after}` not in {path}"))
                + after.len();
            [&text.as_bytes()[..at], b"\xe9", &text.as_bytes()[at..]].concat()
        }),
        Setup::Big { path, bytes } => {
            let mut text = "---\ntitle: Huge\n---\n".to_string();
            let line = format!("{}\n", "a".repeat(79));
            while text.len() < *bytes {
                text.push_str(&line);
            }
            text.truncate(*bytes);
            write(root, path, &text);
        }
        Setup::Nested { path, depth } => {
            write(
                root,
                path,
                &format!(
                    "---\ntitle: {}{}\n---\n",
                    "[".repeat(*depth),
                    "]".repeat(*depth)
                ),
            );
        }
        Setup::Symlink { path, to } => {
            std::os::unix::fs::symlink(to, root.join(path)).expect("symlink")
        }
    }
}

/// `path[:line[:column]]` of a case's `file`.
fn location(file: &str) -> (&str, Option<u64>, Option<u64>) {
    let mut parts = file.splitn(3, ':');
    let path = parts.next().unwrap_or_default();
    let mut number = || parts.next().and_then(|n| n.parse().ok());
    let line = number();
    (path, line, number())
}

/// Collapses the whitespace of wrapped terminal output so messages can be found in it.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("case.yaml")).expect("case.yaml");
    let case: Case =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    expect(!case.about.trim().is_empty(), "no `about`".into());
    expect(
        case.exit == 0 || case.file.is_some(),
        "an error case must say which `file` its message names".into(),
    );

    let site = fixture("basic");
    let root = site.path();
    build(root, None);
    let public = root.join("public");
    let before = snapshot(&public);

    for path in &case.remove {
        let full = root.join(path);
        if full.is_dir() {
            std::fs::remove_dir_all(&full)
        } else {
            std::fs::remove_file(&full)
        }
        .unwrap_or_else(|e| panic!("remove {path}: {e}"));
    }
    if dir.join("site").is_dir() {
        copy_dir(&dir.join("site"), root);
    }
    for setup in &case.setup {
        apply(root, setup);
    }

    let built = run(root, &["build"]);
    let checked = run(root, &["check"]);
    let json = run(root, &["check", "--format", "json"]);
    for (name, run) in [
        ("build", &built),
        ("check", &checked),
        ("check --format json", &json),
    ] {
        expect(
            !run.stderr.contains("panicked"),
            format!("`{name}` panicked:\n{}", run.stderr),
        );
        expect(
            run.status == Some(case.exit),
            format!(
                "`{name}` exited with {:?}, expected {}:\n{}",
                run.status, case.exit, run.stderr
            ),
        );
    }
    if let Some(status) = case.deny_warnings {
        let denied = run(root, &["check", "--deny-warnings"]);
        expect(
            denied.status == Some(status),
            format!(
                "`check --deny-warnings` exited with {:?}, expected {status}",
                denied.status
            ),
        );
    }

    let findings: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    if let Some(file) = &case.file {
        for (name, run) in [("build", &built), ("check", &checked)] {
            expect(
                run.stderr.contains(file.as_str()),
                format!("`{name}` does not name `{file}`:\n{}", run.stderr),
            );
        }
        let (path, line, column) = location(file);
        let named = findings.iter().any(|f| {
            f["file"].as_str().is_some_and(|p| p.contains(path))
                && line.is_none_or(|l| f["line"].as_u64() == Some(l))
                && column.is_none_or(|c| f["column"].as_u64() == Some(c))
        });
        expect(named, format!("no JSON finding at `{file}`: {findings:?}"));
    }
    for message in &case.messages {
        expect(
            flat(&built.stderr).contains(message.as_str()),
            format!("`build` does not say `{message}`:\n{}", built.stderr),
        );
        let in_json = findings.iter().any(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains(message.as_str()))
        });
        expect(
            in_json,
            format!("no JSON finding says `{message}`: {findings:?}"),
        );
    }

    if case.exit == 0 {
        for wanted in &case.output {
            let (path, text) = wanted
                .split_once(": ")
                .map_or((wanted.as_str(), None), |(p, t)| (p, Some(t)));
            match std::fs::read_to_string(public.join(path)) {
                Ok(html) => {
                    let words = flat(
                        &scraper::Html::parse_document(&html)
                            .root_element()
                            .text()
                            .collect::<String>(),
                    );
                    expect(
                        text.is_none_or(|t| words.contains(t)),
                        format!("{path} does not show `{}`", text.unwrap_or_default()),
                    );
                }
                Err(e) => expect(false, format!("the build did not write {path}: {e}")),
            }
        }
    } else {
        expect(
            snapshot(&public) == before,
            "the failed build changed public/".into(),
        );
    }
    let leftovers: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("site folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".public"))
        })
        .collect();
    expect(
        leftovers.is_empty(),
        format!("temporary folders left behind: {leftovers:?}"),
    );
    problems
}

#[test]
fn every_case_of_the_corpus_fails_clearly_or_works() {
    let corpus = repo().join("tests/malformed");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("tests/malformed")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "the corpus has only {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .flat_map(|dir| {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            run_case(dir)
                .into_iter()
                .map(move |problem| format!("[{name}] {problem}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} problems:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn source(text: &str) -> std::sync::Arc<SourceText> {
    std::sync::Arc::new(SourceText {
        name: "content/limits.md".to_string(),
        text: text.to_string(),
    })
}

/// YAML of `depth` nested lists.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn yaml_nesting_is_accepted_up_to_the_limit_and_refused_past_it() {
    let at_limit = nested(MAX_YAML_DEPTH);
    let parsed = parse_yaml::<serde_json::Value>(&source(&at_limit), &at_limit, 0);
    assert!(parsed.is_ok(), "{:?}", parsed.err().map(|d| d.to_string()));
    let past = nested(MAX_YAML_DEPTH + 1);
    let error = parse_yaml::<serde_json::Value>(&source(&past), &past, 0)
        .expect_err("too deep")
        .to_string();
    assert!(error.starts_with("content/limits.md:1:"), "{error}");
    assert!(
        error.contains("yaml/too-large") && error.contains("simplify the YAML"),
        "{error}"
    );
}

#[test]
fn an_alias_bomb_is_refused_by_the_alias_limit_and_plain_aliases_work() {
    let mut yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n".to_string();
    for level in 1..=9 {
        let previous = if level == 1 {
            "a".to_string()
        } else {
            format!("b{}", level - 1)
        };
        yaml.push_str(&format!(
            "b{level}: &b{level} [{}]\n",
            vec![format!("*{previous}"); 9].join(", ")
        ));
    }
    let error = parse_yaml::<serde_json::Value>(&source(&yaml), &yaml, 0)
        .expect_err("a billion laughs")
        .to_string();
    assert!(
        error.contains("yaml/too-large") && error.contains("alias"),
        "{error}"
    );
    let small = "a: &a [x, z]\nb: *a\n";
    let parsed =
        parse_yaml::<serde_json::Value>(&source(small), small, 0).map_err(|d| d.to_string());
    assert_eq!(
        parsed,
        Ok(serde_json::json!({"a": ["x", "z"], "b": ["x", "z"]}))
    );
}

#[test]
fn a_content_file_is_accepted_up_to_the_size_limit_and_refused_past_it() {
    let site = tempfile::tempdir().expect("temporary folder");
    let limit = usize::try_from(MAX_FILE_BYTES).expect("the limit fits in memory");
    let sized = |bytes: usize| {
        let mut text = "---\ntitle: Big\n---\n".to_string();
        text.push_str(&"word ".repeat(bytes / 5 + 1));
        text.truncate(bytes);
        text
    };
    write(site.path(), "content/big.md", &sized(limit));
    let content = chorus::content::load(site.path(), &site.path().join("content"), "responses");
    assert!(content.is_ok(), "a file of exactly the limit is refused");
    write(site.path(), "content/big.md", &sized(limit + 1));
    let errors = chorus::content::load(site.path(), &site.path().join("content"), "responses")
        .expect_err("one byte over the limit");
    let message = errors.items[0].to_string();
    assert!(
        message.starts_with("content/big.md: error[content/too-large]"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "the limit for one content file is {MAX_FILE_BYTES} bytes"
        )),
        "{message}"
    );
}

/// The inputs kept from fuzzing (`fuzz/regressions/<target>/`), replayed through what
/// each fuzz target calls, with the same checks, on every test run.
fn regressions(target: &str) -> Vec<(String, String)> {
    let dir = repo().join("fuzz/regressions").join(target);
    let mut inputs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("input");
            (
                e.file_name().to_string_lossy().into_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    inputs
}

/// A diagnostic's location, if any, lies inside `text` on a character boundary.
fn inside(diagnostic: &chorus::diagnostics::Diagnostic, text: &str, input: &str) {
    if let Some(l) = diagnostic.location {
        assert!(
            l.offset + l.len <= text.len() && text.is_char_boundary(l.offset),
            "{input}: {diagnostic}"
        );
    }
    assert!(!diagnostic.render(false).is_empty(), "{input}");
}

#[test]
fn front_matter_fuzz_regressions_parse_or_fail_cleanly() {
    use chorus::content::front_matter::split;
    use chorus::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
    for (name, text) in regressions("front_matter") {
        let source = source(&text);
        if let Err(d) = parse_yaml::<chorus::config::SiteConfig>(&source, &text, 0) {
            inside(&d, &text, &name);
        }
        match split(&source) {
            Ok(parts) => {
                let (yaml, at) = (parts.yaml, parts.yaml_offset);
                let results = [
                    parse_yaml::<SummaryMeta>(&source, yaml, at).err(),
                    parse_yaml::<SectionMeta>(&source, yaml, at).err(),
                    parse_yaml::<QuoteMeta>(&source, yaml, at).err(),
                    parse_yaml::<ResponseMeta>(&source, yaml, at).err(),
                    parse_yaml::<PageMeta>(&source, yaml, at).err(),
                ];
                for d in results.iter().flatten() {
                    inside(d, &text, &name);
                }
            }
            Err(d) => inside(&d, &text, &name),
        }
    }
}

#[test]
fn shortcode_fuzz_regressions_give_ranges_inside_the_body() {
    for (name, body) in regressions("shortcode") {
        let (found, errors) = chorus::resolve::find_shortcodes(&body);
        let mut ranges: Vec<_> = found
            .iter()
            .map(|s| s.range.clone())
            .chain(errors.iter().map(|e| e.range.clone()))
            .collect();
        ranges.sort_by_key(|r| r.start);
        assert!(
            ranges.windows(2).all(|pair| pair[0].end <= pair[1].start),
            "{name}: overlapping {ranges:?}"
        );
        assert!(
            ranges.iter().all(|r| body.get(r.clone()).is_some()),
            "{name}: {ranges:?}"
        );
    }
}

/// Where the plain-YAML fast path reads a kept input, serde-saphyr reads the same value.
#[test]
fn plain_yaml_fuzz_regressions_read_as_serde_saphyr_reads_them() {
    use chorus::content::front_matter::read_with_serde_saphyr;
    use chorus::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
    use chorus::content::plain_yaml;

    fn agrees<T>(name: &str, yaml: &str) -> bool
    where
        T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let Some(quick) = plain_yaml::parse::<T>(yaml) else {
            return false;
        };
        let slow = read_with_serde_saphyr::<T>(yaml);
        assert!(
            slow.as_ref().is_ok_and(|slow| *slow == quick),
            "{name}: the fast path reads {quick:?}, serde-saphyr {slow:?}"
        );
        true
    }

    let mut accepted = 0;
    for (name, yaml) in regressions("plain_yaml") {
        let read = [
            agrees::<SummaryMeta>(&name, &yaml),
            agrees::<SectionMeta>(&name, &yaml),
            agrees::<QuoteMeta>(&name, &yaml),
            agrees::<ResponseMeta>(&name, &yaml),
            agrees::<PageMeta>(&name, &yaml),
        ];
        accepted += read.iter().filter(|&&read| read).count();
    }
    assert!(accepted >= 2, "the fast path read only {accepted} inputs");
}

#[test]
fn markdown_fuzz_regressions_render_without_script() {
    use chorus::render::markdown::{Body, BodyPart, Links, render, sanitise};
    let config = chorus::config::Config::new(
        serde_saphyr::from_str("title: T\nbase_url: https://example.org/review/\n")
            .expect("config"),
    )
    .expect("config");
    let targets = std::collections::HashMap::new();
    let links = Links {
        config: &config,
        targets: &targets,
    };
    for (name, text) in regressions("markdown") {
        let clean = sanitise(&text).to_ascii_lowercase();
        assert!(
            !clean.contains("<script") && !clean.contains("=\"javascript:"),
            "{name}: {clean}"
        );
        let source = source(&text);
        let (found, _) = chorus::resolve::find_shortcodes(&text);
        let placements: Vec<chorus::resolve::Placement> = found
            .into_iter()
            .enumerate()
            .map(|(quote, s)| chorus::resolve::Placement {
                range: s.range,
                quote,
            })
            .collect();
        for verbatim in [false, true] {
            let (parts, diagnostics) = render(
                &Body {
                    source: &source,
                    offset: 0,
                    verbatim,
                },
                &placements,
                &links,
            );
            for part in parts {
                if let BodyPart::Html(html) = part {
                    assert!(
                        !html.to_ascii_lowercase().contains("<script"),
                        "{name}: {html}"
                    );
                }
            }
            for d in &diagnostics {
                inside(d, &text, &name);
            }
        }
    }
}
