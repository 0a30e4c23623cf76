//! How long an editor waits: from writing a file to the reload event of `chorus serve`.
//!
//! Copies a site (the repository's own by default) into a temporary folder, starts the
//! release binary on it, then edits one quote file, one section file and the home page in
//! turn, each `--edits` times, and measures from the write to the `reload` event on the live-reload
//! stream. Prints the median, 90th percentile and extremes, and the server's own build
//! time for the same rebuilds.
//!
//!     cargo bench --bench serve -- [--site DIR] [--edits N]
//!
//! Under `cargo test` (no `--bench` argument) it does nothing: it is a measurement, not a test.

mod client;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use client::Server;

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

    let copy = tempfile::tempdir().expect("temporary folder");
    for name in SOURCES {
        let from = source.join(name);
        if from.is_dir() {
            copy_dir(&from, &copy.path().join(name));
        } else if from.is_file() {
            std::fs::copy(&from, copy.path().join(name)).expect("copy site.yaml");
        }
    }
    let quote = first_markdown(&copy.path().join("content/quotes"), |_| true);
    let section = first_markdown(&copy.path().join("content/summaries"), |p| {
        p.file_name().is_some_and(|n| n != "_index.md")
    });
    println!(
        "site: {} ({} Markdown files)",
        source.display(),
        count_markdown(&copy.path().join("content"))
    );

    let server = Server::start(
        Path::new(env!("CARGO_BIN_EXE_chorus")),
        copy.path(),
        &[],
        Duration::from_secs(600),
    );
    for line in &server.startup {
        println!("first build: {line}");
    }
    let mut events = server.events(None);
    events.expect("hello", Duration::from_secs(60));

    let home = copy.path().join("content/_index.md");
    let targets = [("quote", quote), ("section", section), ("home page", home)];
    let mut results: Vec<(&str, Vec<f64>, Vec<f64>)> = targets
        .iter()
        .map(|(k, _)| (*k, Vec::new(), Vec::new()))
        .collect();
    for round in 0..=edits {
        for (i, (_, path)) in targets.iter().enumerate() {
            std::thread::sleep(PAUSE);
            while server.next_line(Duration::ZERO).is_some() {}
            let original = std::fs::read_to_string(path).expect("read the file");
            let edited = format!("{}\nBenchmark edit {round}.\n", original.trim_end());
            let started = Instant::now();
            std::fs::write(path, edited).expect("write the file");
            events.expect("reload", Duration::from_secs(120));
            let waited = started.elapsed().as_secs_f64() * 1000.0;
            let built = server
                .next_line(Duration::from_secs(5))
                .as_deref()
                .and_then(build_ms);
            // The first round warms caches and is not counted.
            if round > 0 {
                results[i].1.push(waited);
                results[i].2.extend(built);
            }
        }
    }

    println!("\n| file edited | edits | median write→reload | p90 | min | max | median build |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (kind, mut waits, mut builds) in results {
        waits.sort_by(f64::total_cmp);
        builds.sort_by(f64::total_cmp);
        println!(
            "| {kind} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            waits.len(),
            percentile(&waits, 50.0),
            percentile(&waits, 90.0),
            waits.first().copied().unwrap_or_default(),
            waits.last().copied().unwrap_or_default(),
            percentile(&builds, 50.0)
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

fn markdown(dir: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
}

fn first_markdown(dir: &Path, wanted: impl Fn(&Path) -> bool) -> PathBuf {
    markdown(dir)
        .find(|p| wanted(p))
        .unwrap_or_else(|| panic!("no Markdown file under {}", dir.display()))
}

fn count_markdown(dir: &Path) -> usize {
    markdown(dir).count()
}
