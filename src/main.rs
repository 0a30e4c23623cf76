use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Chorus publishes engagement summaries, quotes and ideas as an accessible static site.
#[derive(Parser)]
#[command(name = "chorus", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Turn plain-text engagement documents into content files.
    Import {
        /// The documents to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The content directory to write into.
        #[arg(long, default_value = "content")]
        into: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Import { files, into } => match chorus::import::import_files(&files, &into) {
            Ok(written) => {
                println!("Wrote {} files under {}", written.len(), into.display());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("error: {e}");
                }
                ExitCode::FAILURE
            }
        },
    }
}
