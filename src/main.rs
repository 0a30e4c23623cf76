//! The `chorus` command line: parse arguments, call the library, report, exit.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use chorus::BuildOptions;
use chorus::diagnostics::{Diagnostics, Severity, display_path};
use chorus::pipeline::Timings;

/// Chorus publishes engagement summaries, quotes and responses as an accessible static site.
#[derive(Parser)]
#[command(name = "chorus", version)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail: warnings in full and per-stage timings.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct SiteArgs {
    /// The site's root folder (the one that holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Overrides base_url from site.yaml, e.g. https://example.org/review/.
    #[arg(long)]
    base_url: Option<String>,
    /// Include files marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site; replaced only when the build succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
        /// Also write .gz and .br copies of every HTML, CSS, JS, JSON, XML and SVG file over
        /// 1 KB, for static hosts that serve them (same as `compress: true` in site.yaml).
        #[arg(long)]
        compress: bool,
    },
    /// Create a new, minimal engagement-summary site with example content and the theme.
    New {
        /// The folder to create; it must not exist yet or be empty.
        dir: PathBuf,
    },
    /// Run every validation of `build` without writing anything, then the editor's lints
    /// (broken links, personal data, headings, content notes…; see docs/reliability.md).
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// How to print findings: for people, or one JSON object per line.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print per document the number of sections, quotes and responses, quotes per voice
    /// and responses per topic, so an editor can check nothing went missing.
    Stats {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Import a consultation's responses from its platform's spreadsheet export (.csv, .xlsx
    /// or .ods): one content file per published response, as each respondent consented.
    /// See docs/import.md.
    Import {
        /// The export.
        file: PathBuf,
        /// The mapping file: which column holds what.
        #[arg(long)]
        mapping: PathBuf,
        /// The site's root folder (the one that holds site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print what would be added, updated, kept and removed, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write JSON Schemas of site.yaml and of each kind's front matter, with the site's
    /// vocabularies as the values their fields take, for editors' tools that check YAML as
    /// it is typed. See docs/content.md.
    Schema {
        /// The site's root folder (the one that holds site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder to write them into; .chorus/schema/ in the site by default.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Build the site into memory and serve it for preview, rebuilding on every change;
    /// open pages reload by themselves. Never writes the output folder. Links use the
    /// address it listens on, or --base-url (whose path becomes the prefix served).
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; any but loopback (127.0.0.1, ::1) lets other machines in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Keep the edit panel on when --bind is not loopback: anyone who can reach the
        /// address can then change content files.
        #[arg(long)]
        allow_remote_editing: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let reporter = Reporter {
        quiet: cli.quiet,
        verbose: cli.verbose,
        colour: std::io::stderr().is_terminal(),
    };
    match cli.command {
        Command::Build {
            site,
            output,
            timings,
            compress,
        } => build(&reporter, &site, output, timings, compress),
        Command::Check {
            site,
            format,
            deny_warnings,
        } => check(&reporter, &site, format, deny_warnings),
        Command::Stats { site } => {
            match chorus::pipeline::resolve_site(&site.root, &options(&site)) {
                Ok((site, _)) => {
                    print!("{}", chorus::stats::report(&site));
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => reporter.failed(&diagnostics, "stats"),
            }
        }
        Command::New { dir } => new(&reporter, &dir),
        Command::Import {
            file,
            mapping,
            root,
            dry_run,
        } => import(
            &reporter,
            chorus::import::ImportOptions {
                root,
                file,
                mapping,
                dry_run,
            },
        ),
        Command::Schema { root, output } => schema(&reporter, &root, output),
        Command::Serve {
            site,
            port,
            bind,
            open,
            allow_remote_editing,
        } => serve(&chorus::serve::ServeOptions {
            root: site.root.clone(),
            port,
            bind,
            base_url: site.base_url.clone(),
            open,
            drafts: site.drafts,
            allow_remote_editing,
        }),
    }
}

/// `chorus build`: the site into its output folder, with a summary line and its warnings.
fn build(
    reporter: &Reporter,
    site: &SiteArgs,
    output: Option<PathBuf>,
    timings: bool,
    compress: bool,
) -> ExitCode {
    let started = Instant::now();
    let output = output.unwrap_or_else(|| chorus::default_output(&site.root));
    let options = BuildOptions {
        compress,
        ..options(site)
    };
    match chorus::build(&site.root, &output, &options) {
        Ok(report) => {
            // Accepted warnings are `check`'s to list; a build shows them with --verbose.
            let mut warnings = report.warnings.clone();
            if !reporter.verbose {
                warnings.items.retain(|d| d.severity != Severity::Accepted);
            }
            reporter.diagnostics(&warnings);
            if timings || reporter.verbose {
                print_timings(&report.timings);
            }
            if !reporter.quiet {
                println!(
                    "Built {} pages ({} summaries, {} sections, {} quotes, {} responses) in {} ms",
                    report.pages,
                    report.summaries,
                    report.sections,
                    report.quotes,
                    report.responses,
                    started.elapsed().as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => reporter.failed(&diagnostics, "build"),
    }
}

/// `chorus check`: every validation and lint, printed for people or as JSON lines.
fn check(reporter: &Reporter, site: &SiteArgs, format: Format, deny_warnings: bool) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    let diagnostics = chorus::check::check(&site.root, &options(site), today);
    match format {
        Format::Json => {
            for d in &diagnostics.clone().sorted().items {
                println!("{}", d.to_json());
            }
        }
        Format::Human => reporter.diagnostics(&diagnostics),
    }
    if !reporter.quiet && matches!(format, Format::Human) {
        eprintln!(
            "{} errors, {} warnings, {} accepted",
            diagnostics.error_count(),
            diagnostics.warning_count(),
            diagnostics.accepted_count()
        );
    }
    let failed = diagnostics.has_errors() || (deny_warnings && diagnostics.warning_count() > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `chorus new`: a working example site in a new folder.
fn new(reporter: &Reporter, dir: &Path) -> ExitCode {
    match chorus::scaffold::create(dir) {
        Ok(files) => {
            if !reporter.quiet {
                println!(
                    "Created a new site in {} ({files} files). Build it with: chorus build --root {}",
                    dir.display(),
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            reporter.diagnostics(&error.into());
            ExitCode::FAILURE
        }
    }
}

/// `chorus import`: the report on stdout; errors on stderr, and nothing written.
fn import(reporter: &Reporter, options: chorus::import::ImportOptions) -> ExitCode {
    match chorus::import::import(&options) {
        Ok(report) => {
            if !reporter.quiet {
                print!("{report}");
                if options.dry_run {
                    println!("dry run: nothing was written");
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            reporter.diagnostics(&diagnostics);
            eprintln!(
                "import failed: {} errors; the site was not changed",
                diagnostics.error_count()
            );
            ExitCode::FAILURE
        }
    }
}

/// `chorus schema`: the schemas written, and what each describes.
fn schema(reporter: &Reporter, root: &Path, output: Option<PathBuf>) -> ExitCode {
    let folder = output.unwrap_or_else(|| root.join(chorus::schema::DEFAULT_FOLDER));
    match chorus::schema::write(root, &folder) {
        Ok(written) => {
            if !reporter.quiet {
                println!("Wrote {} JSON Schemas:", written.len());
                for (file, path) in &written {
                    let shown = display_path(root, path);
                    println!("  {shown:<36} {}", file.describes);
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            reporter.diagnostics(&diagnostics);
            eprintln!("schema failed: {} errors", diagnostics.error_count());
            ExitCode::FAILURE
        }
    }
}

/// `chorus serve`: the live preview, until Ctrl-C.
fn serve(options: &chorus::serve::ServeOptions) -> ExitCode {
    match chorus::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn options(site: &SiteArgs) -> BuildOptions {
    BuildOptions {
        base_url: site.base_url.clone(),
        drafts: site.drafts,
        compress: false,
    }
}

fn print_timings(timings: &Timings) {
    for (stage, time) in [
        ("load", timings.load),
        ("resolve", timings.resolve),
        ("render", timings.render),
        ("index", timings.index),
        ("write", timings.write),
    ] {
        eprintln!("  {stage:<8} {:>8.1} ms", time.as_secs_f64() * 1000.0);
    }
    eprintln!("  (render and index run side by side; render includes writing each page)");
}

/// How findings are printed.
struct Reporter {
    quiet: bool,
    verbose: bool,
    colour: bool,
}

impl Reporter {
    fn diagnostics(&self, diagnostics: &Diagnostics) {
        for d in &diagnostics.clone().sorted().items {
            if self.quiet && !d.is_error() {
                continue;
            }
            if self.verbose || d.is_error() {
                eprint!("{}", d.render(self.colour));
            } else {
                eprintln!("{d}");
            }
        }
    }

    fn failed(&self, diagnostics: &Diagnostics, what: &str) -> ExitCode {
        self.diagnostics(diagnostics);
        eprintln!(
            "{what} failed: {} errors, {} warnings; nothing was written",
            diagnostics.error_count(),
            diagnostics.warning_count()
        );
        ExitCode::FAILURE
    }
}
