//! Chorus: a static-site generator for the findings of public engagement.
//!
//! The build is a pipeline, one module per stage, each handing the next a plain type:
//! [`content::load`] → [`resolve::resolve`] → [`render::Renderer`] → [`search::index`] →
//! [`output::Staging`].
//! [`build`] runs them in order; `check` and `serve` call the same stages.

// Diagnostics travel on the error path only, once per failed run; boxing them to shrink
// `Result` would add an allocation and an indirection everywhere for no gain.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod output;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod stats;
pub mod vocabulary;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::Config;
use diagnostics::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use render::{OutputFile, PageJob, RenderedSite, Renderer};
use resolve::Site;
use vocabulary::Vocabularies;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include files marked `draft: true`.
    pub drafts: bool,
    /// Write `.gz` and `.br` copies of the text files, whatever `compress` in `site.yaml` says.
    pub compress: bool,
}

/// Time spent in each stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub render: Duration,
    pub index: Duration,
    pub write: Duration,
}

/// What a successful build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub summaries: usize,
    pub sections: usize,
    pub quotes: usize,
    pub responses: usize,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// The sources of a site, read and parsed, before any cross-file check.
#[derive(Debug, Clone)]
pub struct Sources {
    pub config: Config,
    pub vocabularies: Vocabularies,
    pub content: content::Content,
}

/// Reads and parses `site.yaml`, the vocabularies and every content file under `root`.
pub fn load_sources(root: &Path, options: &BuildOptions) -> Result<Sources, Diagnostics> {
    let config = Config::load(root, options.base_url.as_deref()).map_err(Diagnostics::from)?;
    let (vocabularies, content) = rayon::join(
        || Vocabularies::load(root, &config),
        || content::load(root, &root.join("content"), &config.site.responses.path),
    );
    match (vocabularies, content) {
        (Ok(vocabularies), Ok(content)) => Ok(Sources {
            config,
            vocabularies,
            content,
        }),
        (v, c) => {
            let mut all = Diagnostics::default();
            if let Err(d) = v {
                all.extend(d)
            }
            if let Err(d) = c {
                all.extend(d)
            }
            Err(all)
        }
    }
}

/// Loads and resolves the site under `root`: every validation, no output.
pub fn load_site(
    root: &Path,
    options: &BuildOptions,
    timings: &mut Timings,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let started = Instant::now();
    let sources = load_sources(root, options);
    timings.load = started.elapsed();
    let sources = sources?;
    let started = Instant::now();
    let result = resolve::resolve(
        sources.content,
        sources.config,
        sources.vocabularies,
        options.drafts,
    );
    timings.resolve = started.elapsed();
    result
}

/// Loads, resolves and renders the site into memory.
pub fn render_site(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Site, RenderedSite, Timings), Diagnostics> {
    let mut timings = Timings::default();
    let (site, mut warnings) = load_site(root, options, &mut timings)?;
    let started = Instant::now();
    let mut rendered = render::render(root, &site)?;
    timings.render = started.elapsed();
    let started = Instant::now();
    let indexed = search::index(&site, &rendered.documents);
    rendered.files.extend(indexed.files);
    warnings.extend(indexed.warnings.items);
    timings.index = started.elapsed();
    warnings.extend(std::mem::take(&mut rendered.warnings));
    rendered.warnings = warnings;
    Ok((site, rendered, timings))
}

/// Builds the site under `root` into `output`, replacing it only if everything succeeded.
///
/// Pages are written as they render, so no build holds the whole rendered site in
/// memory, and the search index is built at the same time as the pages: it needs only
/// the bodies. Both go into a staging folder that replaces `output` at the end.
pub fn build(
    root: &Path,
    output: &Path,
    options: &BuildOptions,
) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    let (site, mut warnings) = load_site(root, options, &mut timings)?;
    let write_error = |e: std::io::Error| {
        Diagnostic::error(
            "io/write",
            output.display().to_string(),
            format!("cannot write the site: {e}"),
        )
    };
    let compress = options.compress || site.config.site.compress;
    let staging = output::Staging::new(output, compress).map_err(write_error)?;
    let write = |file: OutputFile| staging.write(&file).map_err(write_error);
    let write_all = |files: &[OutputFile]| {
        files
            .par_iter()
            .try_for_each(|file| staging.write(file))
            .map_err(|e| Diagnostics::from(write_error(e)))
    };
    let started = Instant::now();
    let (bodies, body_warnings) = render::bodies(&site, None)?;
    warnings.extend(body_warnings.items);
    let mut renderer = Renderer::new(root, &site, &bodies)?;
    // The data page shows the sizes of the data files, so it is rendered after them.
    let pages: Vec<PageJob> = renderer
        .pages()
        .iter()
        .copied()
        .filter(|&page| page != PageJob::Data)
        .collect();
    let (pages, indexed) = rayon::join(
        || {
            let pages = renderer.render(&pages, &write);
            (pages, started.elapsed())
        },
        || {
            let started = Instant::now();
            let indexed = index_site(&site, &renderer);
            let written = write_all(&indexed.files).map(|()| indexed.warnings);
            drop(indexed.files);
            let elapsed = started.elapsed();
            // The open data needs the quotes and responses, not their pages: made while the
            // pages render, after the index has let go of its files.
            let data = renderer
                .data_files()
                .map_err(Diagnostics::from)
                .and_then(|files| write_all(&files));
            (
                written.and_then(|warnings| data.map(|()| warnings)),
                elapsed,
            )
        },
    );
    let (pages, index_warnings) = match (pages, indexed) {
        ((Ok(pages), render), (Ok(index_warnings), index)) => {
            timings.render = render;
            timings.index = index;
            (pages, index_warnings)
        }
        ((pages, _), (indexed, _)) => {
            let mut all = Diagnostics::default();
            for result in [pages.err(), indexed.err()].into_iter().flatten() {
                all.extend(result.items);
            }
            return Err(all);
        }
    };
    let started = Instant::now();
    warnings.extend(index_warnings.items);
    renderer.release_values();
    let pages = pages + renderer.render(&[PageJob::Data], &write)?;
    write_all(renderer.static_files())?;
    staging.finish().map_err(write_error)?;
    timings.write = started.elapsed();
    Ok(BuildReport {
        pages,
        summaries: site.summaries.len(),
        sections: site.sections.len(),
        quotes: site.quotes.len(),
        responses: site.responses.len(),
        warnings,
        timings,
    })
}

/// The search index of a rendered site; nothing, and no search documents made, when
/// search is off.
pub fn index_site(site: &Site, renderer: &Renderer<'_>) -> search::Indexed {
    if !site.config.site.search.enabled {
        return search::Indexed::default();
    }
    search::index(site, &renderer.documents())
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
