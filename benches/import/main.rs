//! How long `chorus import` takes on a large export: 10,000 rows of a Citizen Space-style
//! CSV (two answer columns of a few sentences each, a name and an organisation, a consent
//! answer in the proportions 7 named : 2 anonymous : 1 withheld, three ticked topics of
//! twelve), imported into a site made by `chorus new`.
//!
//! Times, with the release binary, each `--runs` times (median, min, max):
//! the first import (every file added), the same export again (every file unchanged),
//! and a `--dry-run`.
//!
//!     cargo bench --bench import -- [--rows N] [--runs N]
//!
//! Under `cargo test` (no `--bench` argument) it does nothing: it is a measurement, not a test.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SENTENCES: [&str; 8] = [
    "The centre should stay open in the evenings, when people who work can come.",
    "We need a ramp at the side door and a hearing loop in the main hall.",
    "Young people have nowhere warm to go after school; a youth club would change that.",
    "Please keep the prices low: £2 for a class is what most of us can manage.",
    "A community fridge would stop food from the market being thrown away.",
    "Buses stop at six, so anything later is out of reach without a car.",
    "Older neighbours are lonely — a lunch club twice a week would help them.",
    "The garden could grow vegetables with the primary school's eco club.",
];

const TOPICS: [&str; 12] = [
    "Opening hours",
    "Transport",
    "Activities",
    "Parking",
    "Youth work",
    "Older people",
    "Food",
    "Gardening",
    "Accessibility",
    "Prices",
    "Safety",
    "Volunteering",
];

const CONSENT: [&str; 3] = [
    "Yes, publish my response with my name or organisation",
    "Yes, publish my response, but not my name",
    "No, do not publish my response",
];

const MAPPING: &str = r#"id: "Response ID"
date: "Submitted on"
body:
  - "What should the community centre offer?"
  - "Anything else you would like to tell us?"
respondent: ["What is your name?", "Organisation (if any)"]
consent:
  column: "May we publish your response?"
  named: ["Yes, publish my response with my name or organisation"]
  anonymous: ["Yes, publish my response, but not my name"]
  withhold: ["No, do not publish my response"]
topics:
  column: "Which topics does your response cover?"
  separator: ";"
summary: community
"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("import benchmark skipped: run `cargo bench --bench import`");
        return;
    }
    let value = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |n| n.parse().expect("a number"))
    };
    let rows = value("--rows", 10_000);
    let runs = value("--runs", 5);
    let work = tempfile::tempdir().expect("temporary folder");
    let export = work.path().join("export.csv");
    write_export(&export, rows);
    let mapping = work.path().join("mapping.yaml");
    std::fs::write(&mapping, MAPPING).expect("write mapping");
    let size = std::fs::metadata(&export).map_or(0, |m| m.len());
    println!(
        "{rows} rows, {:.1} MB of CSV; {runs} runs each",
        size as f64 / 1e6
    );

    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut dry = Vec::new();
    for run in 0..runs {
        let site = work.path().join(format!("site-{run}"));
        chorus(work.path(), &["new", &site.display().to_string()]);
        let import = |extra: &[&str]| {
            let mut args = vec!["import", export.to_str().expect("utf-8"), "--mapping"];
            args.push(mapping.to_str().expect("utf-8"));
            args.extend_from_slice(extra);
            chorus(&site, &args)
        };
        dry.push(import(&["--dry-run"]));
        first.push(import(&[]));
        again.push(import(&[]));
    }
    report("first import (all added)", &mut first);
    report("the same export again (all unchanged)", &mut again);
    report("--dry-run", &mut dry);
}

/// Runs the release `chorus` with `args` in `dir`, quietly, and times it.
fn chorus(dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .output()
        .expect("run chorus");
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "chorus {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    took
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<40} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

/// A deterministic export of `rows` rows.
fn write_export(path: &Path, rows: usize) {
    let mut writer = csv::Writer::from_path(path).expect("create export");
    writer
        .write_record([
            "Response ID",
            "Submitted on",
            "What is your name?",
            "Organisation (if any)",
            "May we publish your response?",
            "Which topics does your response cover?",
            "What should the community centre offer?",
            "Anything else you would like to tell us?",
        ])
        .expect("write header");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for row in 0..rows {
        let sentences = |count: usize, next: &mut dyn FnMut(usize) -> usize| {
            (0..count)
                .map(|_| SENTENCES[next(SENTENCES.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let offer = sentences(4, &mut next);
        let more = sentences(2, &mut next);
        let topics = (0..3)
            .map(|_| TOPICS[next(TOPICS.len())])
            .collect::<Vec<_>>()
            .join(";");
        let consent = CONSENT[match next(10) {
            0..=6 => 0,
            7 | 8 => 1,
            _ => 2,
        }];
        writer
            .write_record([
                format!("ANON-{row:06}"),
                format!("2025-03-{:02} 10:00:00", 1 + row % 28),
                format!("Respondent {row}"),
                if row % 5 == 0 {
                    "Residents' Association".to_string()
                } else {
                    String::new()
                },
                consent.to_string(),
                topics,
                offer,
                more,
            ])
            .expect("write row");
    }
    writer.flush().expect("flush export");
}
