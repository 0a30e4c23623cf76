//! How long an editor waits: from writing a file to the new page served by `chorus serve`.
//!
//! Copies a site (the repository's own by default) into a temporary folder, starts the
//! release binary on it, then makes five kinds of edit in turn, each `--edits` times: a line
//! added to a quote, to a section and to the home page, a section's title changed, and a
//! theme added to another quote (and taken away again the next time). For every edit it measures
//! from the write to the `reload` event on the live-reload stream, and to the edited page's
//! new HTML fetched over HTTP; it prints the median, 90th percentile and extremes, and the
//! server's own time to the pages shown for the same rebuilds.
//!
//! `--against BINARY` runs another build of Chorus (an earlier commit's, say) side by side
//! on its own copy of the site, the two taking turns edit by edit, so that a busy machine
//! weighs on both alike.
//!
//!     cargo bench --bench serve -- [--site DIR] [--edits N] [--against BINARY]
//!
//! Under `cargo test` (no `--bench` argument) it does nothing: it is a measurement, not a test.

mod client;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chorus::BuildOptions;
use chorus::resolve::Site;
use chorus::vocabulary::TaxonomyKind;
use client::{Events, Server};

/// The site's sources, copied; `public/` and everything else stays behind.
const SOURCES: [&str; 6] = [
    "site.yaml",
    "content",
    "data",
    "themes",
    "templates",
    "static",
];

/// Time for the file system and the server to settle between two edits.
const PAUSE: Duration = Duration::from_millis(400);

/// Makes a file's next text from its text and the round.
type Change = Box<dyn Fn(&str, usize) -> String>;

/// One kind of edit: the file (relative to the site), the page that shows it, and how the
/// file changes.
struct Edit {
    kind: &'static str,
    file: String,
    page: String,
    change: Change,
}

/// A server under measurement, on its own copy of the site, with its times per edit kind:
/// (write → reload, write → new HTML, server's time to pages shown).
struct Run {
    label: String,
    server: Server,
    events: Events,
    root: PathBuf,
    /// Removed when the run is dropped, after its server has stopped.
    _copy: tempfile::TempDir,
    times: Vec<[Vec<f64>; 3]>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("serve benchmark skipped: run `cargo bench --bench serve`");
        return;
    }
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let source =
        value("--site").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let edits: usize = value("--edits").map_or(20, |n| n.parse().expect("--edits takes a number"));
    let mut binaries = vec![(
        "this build".to_string(),
        PathBuf::from(env!("CARGO_BIN_EXE_chorus")),
    )];
    if let Some(other) = value("--against") {
        binaries.push((format!("against {other}"), PathBuf::from(other)));
    }
    let (site, _) = chorus::pipeline::resolve_site(&source, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("the site does not build: {e:?}"));
    let kinds = edits_of(&site);
    println!(
        "site: {} ({} Markdown files)",
        source.display(),
        count_markdown(&source.join("content"))
    );
    let mut runs: Vec<Run> = binaries
        .into_iter()
        .map(|(label, binary)| start(label, &binary, &source, kinds.len()))
        .collect();
    for round in 0..=edits {
        for (k, edit) in kinds.iter().enumerate() {
            for run in &mut runs {
                let measured = measure(run, edit, round);
                // The first round warms caches and is not counted.
                if round > 0 {
                    for (all, time) in run.times[k].iter_mut().zip(measured) {
                        all.extend(time);
                    }
                }
            }
        }
    }
    for run in runs {
        report(&run, &kinds);
    }
}

/// The edits made to `site`: to its first section and its first two quotes, by file name
/// (the second takes the theme, which would otherwise change what the first one's edits
/// render every other round).
fn edits_of(site: &Site) -> Vec<Edit> {
    let mut quotes: Vec<_> = site.quotes.iter().collect();
    quotes.sort_by_key(|q| &q.doc.path);
    let (quote, tagged) = match quotes.as_slice() {
        [first, second, ..] => (*first, *second),
        _ => panic!("the benchmark needs two quotes"),
    };
    let section = site
        .sections
        .iter()
        .min_by_key(|s| &s.doc.path)
        .expect("a section");
    // The first theme in vocabulary order that has a page and that the quote lacks.
    let theme = site
        .taxonomy(TaxonomyKind::Themes)
        .terms
        .iter()
        .find(|t| t.count() > 0 && !tagged.doc.meta.themes.contains(&t.term.slug))
        .expect("a theme the quote lacks")
        .term
        .slug
        .clone();
    let content = |path: &str| format!("content/{path}");
    let append = |text: &str, n: usize| format!("{}\nBenchmark edit {n}.\n", text.trim_end());
    vec![
        Edit {
            kind: "quote",
            file: content(&quote.doc.path),
            page: quote.path.clone(),
            change: Box::new(append),
        },
        Edit {
            kind: "section",
            file: content(&section.doc.path),
            page: section.path.clone(),
            change: Box::new(append),
        },
        Edit {
            kind: "home page",
            file: content("_index.md"),
            page: String::new(),
            change: Box::new(append),
        },
        Edit {
            kind: "section title",
            file: content(&section.doc.path),
            page: section.path.clone(),
            change: Box::new(|text, n| {
                let title = text
                    .lines()
                    .find(|l| l.starts_with("title:"))
                    .expect("a title");
                text.replacen(title, &format!("{title} (edit {n})"), 1)
            }),
        },
        Edit {
            kind: "quote theme",
            file: content(&tagged.doc.path),
            page: tagged.path.clone(),
            // Added when the quote lacks it, taken away when it has it.
            change: Box::new(move |text, _| toggle_theme(text, &theme)),
        },
    ]
}

/// `text` (a content file) with `theme` added to its themes, or taken away if it has it;
/// the themes written as one flow list.
fn toggle_theme(text: &str, theme: &str) -> String {
    let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
    let mut themes = Vec::new();
    let mut kept = String::new();
    let mut in_list = false;
    for line in front.lines() {
        if let Some(value) = line.strip_prefix("themes:") {
            let value = value.trim().trim_start_matches('[').trim_end_matches(']');
            themes.extend(value.split(',').map(str::trim).filter(|v| !v.is_empty()));
            in_list = true;
        } else if let Some(item) = line.strip_prefix("- ").filter(|_| in_list) {
            themes.push(item.trim());
        } else {
            in_list = false;
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let had = themes.contains(&theme);
    themes.retain(|t| *t != theme);
    if !had {
        themes.push(theme);
    }
    format!("---\n{kept}themes: [{}]\n---\n{body}", themes.join(", "))
}

/// Copies the site and starts `binary` on the copy.
fn start(label: String, binary: &Path, source: &Path, kinds: usize) -> Run {
    let copy = tempfile::tempdir().expect("temporary folder");
    for name in SOURCES {
        let from = source.join(name);
        if from.is_dir() {
            copy_dir(&from, &copy.path().join(name));
        } else if from.is_file() {
            std::fs::copy(&from, copy.path().join(name)).expect("copy site.yaml");
        }
    }
    let server = Server::start(binary, copy.path(), &[], Duration::from_secs(600));
    for line in &server.startup {
        println!("{label}: first build: {line}");
    }
    let mut events = server.events(None);
    events.expect("hello", Duration::from_secs(60));
    Run {
        label,
        server,
        events,
        root: copy.path().to_path_buf(),
        _copy: copy,
        times: (0..kinds).map(|_| Default::default()).collect(),
    }
}

/// Makes `edit` for round `n` and measures it: write → reload, write → the page's new HTML
/// fetched, and the server's own time to the pages shown.
fn measure(run: &mut Run, edit: &Edit, round: usize) -> [Option<f64>; 3] {
    std::thread::sleep(PAUSE);
    while run.server.next_line(Duration::ZERO).is_some() {}
    let path = run.root.join(&edit.file);
    let original = std::fs::read_to_string(&path).expect("read the file");
    let edited = (edit.change)(&original, round);
    assert_ne!(original, edited, "{}: the edit changes the file", edit.kind);
    let before = run.server.get(&edit.page).body;
    let started = Instant::now();
    std::fs::write(&path, edited).expect("write the file");
    run.events.expect("reload", Duration::from_secs(120));
    let reloaded = ms(started);
    let after = run.server.get(&edit.page).body;
    let served = ms(started);
    assert_ne!(before, after, "{}: the page shows the edit", edit.kind);
    let built = run
        .server
        .next_line(Duration::from_secs(5))
        .as_deref()
        .and_then(build_ms);
    [Some(reloaded), Some(served), built]
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Prints one run's table.
fn report(run: &Run, kinds: &[Edit]) {
    println!("\n{}:\n", run.label);
    println!(
        "| edit | edits | median write→reload | write→new HTML: median | p90 | min | max | median to pages shown |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (edit, times) in kinds.iter().zip(&run.times) {
        let [reloads, served, built] = times.clone().map(|mut v| {
            v.sort_by(f64::total_cmp);
            v
        });
        println!(
            "| {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            edit.kind,
            served.len(),
            percentile(&reloads, 50.0),
            percentile(&served, 50.0),
            percentile(&served, 90.0),
            served.first().copied().unwrap_or_default(),
            served.last().copied().unwrap_or_default(),
            percentile(&built, 50.0)
        );
    }
}

/// The build time in a line such as `Rebuilt 1880 pages in 934 ms after …`.
fn build_ms(line: &str) -> Option<f64> {
    let after = line.split(" in ").nth(1)?;
    after.split(" ms").next()?.trim().parse().ok()
}

/// The nearest-rank percentile of sorted `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

fn count_markdown(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}
