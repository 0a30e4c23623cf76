//! Writes the benchmark corpus that `benches/run` builds: N idea pages from the committed
//! Call for Ideas as a Chorus, a Hugo and a Zola site with equivalent pages.
//!
//! ```sh
//! cargo run --release --example corpus -- --multiplier 10 --out target/bench/x10
//! ```

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Pages per multiplier: the corpus the peers were first measured on had 974 idea pages.
const PAGES_PER_MULTIPLIER: usize = 974;

/// Writes N = 974 × multiplier idea pages as three equivalent sites under OUT:
/// OUT/chorus, OUT/hugo and OUT/zola.
#[derive(Parser)]
struct Args {
    /// N = 974 × this.
    #[arg(long, default_value_t = 1)]
    multiplier: usize,
    /// N itself, instead of a multiple of 974.
    #[arg(long, conflicts_with = "multiplier")]
    pages: Option<usize>,
    /// The folder to write; an earlier corpus there is replaced.
    #[arg(long)]
    out: PathBuf,
    /// The repository whose content/ideas/, data/, themes/review/ and benches/corpus/ the
    /// corpus is made from.
    #[arg(long, default_value = env!("CARGO_MANIFEST_DIR"))]
    repo: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let pages = args.pages.unwrap_or(PAGES_PER_MULTIPLIER * args.multiplier);
    let source = match generate::load_source(&args.repo) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match generate::write_corpus(&source, &args.out, pages) {
        Ok(corpus) => {
            println!(
                "Wrote {} idea pages ({:.2} MB of Markdown, from {} committed ideas) as {}, {} and {}",
                corpus.pages,
                corpus.markdown_bytes as f64 / 1e6,
                source.ideas.len(),
                corpus.chorus.display(),
                corpus.hugo.display(),
                corpus.zola.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
