//! `review-import`: writes the review site's content files from the plain text of its five
//! engagement documents. A one-off migration, kept so that the import can be checked and
//! repeated; Chorus itself knows nothing of these documents.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Turns the review's plain-text engagement documents into content files.
#[derive(Parser)]
#[command(name = "review-import", version)]
struct Args {
    /// The documents to import, e.g. importers/review/sources/*.txt.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The site's root folder, whose data/ vocabularies classify what is imported.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The content directory to write into.
    #[arg(long, default_value = "content")]
    into: PathBuf,
    /// Print only errors and warnings.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match chorus_review_import::import_files(&args.files, &args.root, &args.into) {
        Ok(report) => {
            for unknown in &report.unknown_speakers {
                eprintln!("warning: {unknown}");
            }
            if !args.quiet {
                println!(
                    "Wrote {} files under {}",
                    report.written.len(),
                    args.into.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}
