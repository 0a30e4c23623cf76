//! Prints the index terms the search pipeline makes of each text, with their positions,
//! for the node parity test (`tests/search-parity/`): reads a JSON array of strings on
//! standard input and writes a JSON array holding, for each, its `[position, term]` pairs.
//!
//! `echo '["Children’s caseloads"]' | cargo run --quiet --example search_pipeline`

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("search_pipeline: cannot read standard input: {e}");
        return ExitCode::FAILURE;
    }
    let texts: Vec<String> = match serde_json::from_str(&input) {
        Ok(texts) => texts,
        Err(e) => {
            eprintln!("search_pipeline: expected a JSON array of strings on standard input: {e}");
            return ExitCode::FAILURE;
        }
    };
    let terms: Vec<Vec<(u32, String)>> = texts
        .iter()
        .map(|text| chorus::search::analysis::analyse_with_positions(text))
        .collect();
    match serde_json::to_string(&terms) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("search_pipeline: {e}");
            ExitCode::FAILURE
        }
    }
}
