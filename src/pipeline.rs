//! The pipeline: the one piece of code that runs the stages, in their order, for every
//! command. `build`, `check`, `serve` and the tests run a [`Session`]; nothing else calls
//! the stages one after the other.
//!
//! ```text
//! load ──► resolve ──► render: bodies ──► pages ─────────────┬──► write (a Sink: disk or memory)
//!                                     └──► index, open data ─┘
//! ```
//!
//! A session remembers what its last good run loaded, resolved and rendered. After an edit
//! of content files ([`Session::rebuild`]) it parses only those files again and reuses every
//! other body and the theme (templates and static files); it renders only the pages the
//! edit can change ([`render::changed_pages`]), over what the sink holds already, or every
//! page when the edit may reach further. Any
//! other change (a file added or removed, a template, `site.yaml`) loads and renders
//! everything. Either way the run goes through the same steps below, and the sink gets the
//! same files a full run would leave it with. A full run makes the index while the pages
//! render; after an edit the pages come first, since an editor is waiting for them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::output::{self, Run, Sink, Staging};
use crate::render::bodies::Rendered;
use crate::render::{self, Bodies, PageJob, Renderer, Reuse, Theme};
use crate::resolve::{self, Site};
use crate::search;
use crate::vocabulary::Vocabularies;

/// What a run is asked to do, beyond what `site.yaml` says.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include files marked `draft: true`.
    pub drafts: bool,
    /// Write `.gz` and `.br` copies of the text files, whatever `compress` in `site.yaml` says.
    pub compress: bool,
}

/// Time spent in each stage. Render and index run side by side.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub render: Duration,
    pub index: Duration,
    pub write: Duration,
}

/// What a successful run made.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// HTML pages this run rendered.
    pub pages: usize,
    /// Whether it rendered every page; otherwise only the pages an edit touched.
    pub full: bool,
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
    pub content: Content,
}

/// What a good run leaves for the next one: the sources as loaded, the site as resolved and
/// its rendered bodies, so that an edit costs one file parsed and a few pages rendered.
struct Last {
    /// Kept only by a session for edits: the documents are also in the site, and copying
    /// them costs a build that will not be edited.
    sources: Option<Sources>,
    site: Site,
    bodies: Bodies,
    /// The templates, parsed, and the static files, which an edit of content files does
    /// not change: the run after an edit takes them.
    theme: Option<Theme>,
}

/// One site, built once or again and again.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    /// Whether the session keeps what it loaded for a run after an edit.
    for_edits: bool,
    last: Option<Last>,
}

impl Session {
    /// A session that builds once (`build`, `check`): a later run loads everything again.
    pub fn new(root: impl Into<PathBuf>, options: BuildOptions) -> Session {
        Session {
            root: root.into(),
            options,
            for_edits: false,
            last: None,
        }
    }

    /// A session that builds again after edits (`serve`): it keeps what each good run
    /// loaded, so that a run after an edit of content files parses only those.
    pub fn for_edits(root: impl Into<PathBuf>, options: BuildOptions) -> Session {
        Session {
            for_edits: true,
            ..Session::new(root, options)
        }
    }

    /// Runs every stage on every file into `sink`.
    pub fn build(&mut self, sink: &dyn Sink) -> Result<Report, Diagnostics> {
        self.last = None;
        self.run(&[], sink)
    }

    /// Runs again after the files `changed` changed (absolute paths), into the `sink` the
    /// last run wrote: only what they touch when they are edits of content files the last
    /// good run loaded, every stage on every file otherwise.
    pub fn rebuild(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Result<Report, Diagnostics> {
        self.run(changed, sink)
    }

    /// The site as the last good run resolved it.
    pub fn site(&self) -> Option<&Site> {
        self.last.as_ref().map(|last| &last.site)
    }

    /// The bodies as the last good run rendered them.
    pub fn bodies(&self) -> Option<&Bodies> {
        self.last.as_ref().map(|last| &last.bodies)
    }

    /// The steps of a run. A run that fails keeps nothing, so that the next one starts
    /// from the files on disk rather than from a site that no longer matches them.
    fn run(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Result<Report, Diagnostics> {
        let mut last = self.last.take();
        let mut timings = Timings::default();
        let started = Instant::now();
        let kept = last.as_mut().and_then(|last| last.sources.take());
        let (sources, edited) = self.load(kept, changed)?;
        timings.load = started.elapsed();
        let started = Instant::now();
        let (sources, (site, mut warnings)) = self.resolve(sources)?;
        timings.resolve = started.elapsed();
        let mut previous = last.filter(|_| edited);
        let plan = previous
            .as_ref()
            .and_then(|last| render::changed_pages(&last.site, &site));
        let started = Instant::now();
        let reuse = previous.as_ref().map(|last| Reuse {
            site: &last.site,
            bodies: &last.bodies,
        });
        let (bodies, found) = render::bodies(&site, reuse)?;
        warnings.extend(found.items);
        let theme = match previous.as_mut().and_then(|last| last.theme.take()) {
            Some(theme) => theme,
            None => Theme::load(&self.root, &site)?,
        };
        let bodies_time = started.elapsed();
        let run = Publish {
            root: &self.root,
            site: &site,
            bodies: &bodies,
            compress: self.options.compress || site.config.site.compress,
        };
        let pages = run.publish(theme, plan, sink, &mut timings)?;
        timings.render += bodies_time;
        warnings.extend(pages.warnings.items);
        let report = Report {
            pages: pages.rendered,
            full: pages.full,
            summaries: site.summaries.len(),
            sections: site.sections.len(),
            quotes: site.quotes.len(),
            responses: site.responses.len(),
            warnings: site.accept_allowed(warnings),
            timings,
        };
        // The run succeeded: what it made is what the next one starts from.
        self.last = Some(Last {
            sources,
            site,
            bodies,
            theme: Some(pages.theme),
        });
        Ok(report)
    }

    /// The resolve stage, on a copy of the sources when the session keeps them for a run
    /// after an edit, on the sources themselves otherwise.
    fn resolve(
        &self,
        sources: Sources,
    ) -> Result<(Option<Sources>, (Site, Diagnostics)), Diagnostics> {
        let drafts = self.options.drafts;
        if self.for_edits {
            let resolved = resolve::resolve(
                sources.content.clone(),
                sources.config.clone(),
                sources.vocabularies.clone(),
                drafts,
            )?;
            return Ok((Some(sources), resolved));
        }
        let Sources {
            config,
            vocabularies,
            content,
        } = sources;
        Ok((
            None,
            resolve::resolve(content, config, vocabularies, drafts)?,
        ))
    }

    /// The sources: the last run's (`kept`) with only the `changed` files parsed again when
    /// they are edits of content files it loaded (then `true`), or everything read afresh.
    fn load(
        &self,
        kept: Option<Sources>,
        changed: &[PathBuf],
    ) -> Result<(Sources, bool), Diagnostics> {
        if let Some(kept) = kept.filter(|_| !changed.is_empty()) {
            let content_dir = self.root.join("content");
            let Sources {
                config,
                vocabularies,
                content,
            } = kept;
            if let Some(content) = content::reload(&self.root, &content_dir, content, changed) {
                let sources = Sources {
                    config,
                    vocabularies,
                    content: content?,
                };
                return Ok((sources, true));
            }
        }
        Ok((load(&self.root, &self.options)?, false))
    }
}

/// What the render, index and write stages of a run made.
struct Published {
    rendered: usize,
    full: bool,
    warnings: Diagnostics,
    theme: Theme,
}

/// What the render, index and write stages of a run work from.
struct Publish<'a> {
    root: &'a Path,
    site: &'a Site,
    bodies: &'a Bodies,
    compress: bool,
}

impl Publish<'_> {
    /// Renders the pages of `plan` (every page when `None`) with `theme` into `sink` while
    /// the search index and the open data are made, then writes those, then the page about
    /// the open data (which shows their sizes), and commits.
    fn publish(
        &self,
        theme: Theme,
        plan: Option<BTreeSet<PageJob>>,
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<Published, Diagnostics> {
        let started = Instant::now();
        let (site, bodies) = (self.site, self.bodies);
        let mut renderer = Renderer::new(self.root, site, bodies, theme)?;
        let full = plan.is_none();
        let pages: Vec<PageJob> = match plan {
            Some(plan) => plan.into_iter().collect(),
            None => renderer
                .pages()
                .iter()
                .copied()
                .filter(|&page| page != PageJob::Data)
                .collect(),
        };
        sink.begin(Run {
            full,
            compress: self.compress,
        })?;
        let render_pages = || {
            let rendered = renderer.render(&pages, sink)?;
            if full {
                output::put_all(sink, renderer.static_files().to_vec())?;
            }
            sink.pages_done(site);
            Ok::<_, Diagnostics>((rendered, started.elapsed()))
        };
        let index = || {
            let started = Instant::now();
            let indexed = search::index(site, &texts(bodies));
            (indexed, renderer.data_files(), started.elapsed())
        };
        // A full run makes the index while the pages render, each on the core the other
        // leaves idle. After an edit, an editor is waiting for a few pages: they come
        // first, on both cores, and the index after them.
        let (rendered, (indexed, data, index_time)) = if full {
            rayon::join(render_pages, index)
        } else {
            (render_pages(), index())
        };
        let (rendered, render_time) = match (rendered, data) {
            (Ok(rendered), Ok(data)) => {
                let started = Instant::now();
                output::put_all(sink, indexed.files)?;
                output::put_all(sink, data)?;
                timings.write = started.elapsed();
                rendered
            }
            (rendered, data) => {
                let mut all = Diagnostics::default();
                if let Err(found) = rendered {
                    all.extend(found.items);
                }
                if let Err(found) = data {
                    all.push(found);
                }
                return Err(all);
            }
        };
        timings.render = render_time;
        timings.index = index_time;
        let started = Instant::now();
        // The pages are done with the quotes' and responses' template values, the largest
        // thing a build holds, before the last page renders.
        renderer.release_values();
        let data_page = renderer.render(&[PageJob::Data], sink)?;
        sink.commit()?;
        timings.write += started.elapsed();
        Ok(Published {
            rendered: rendered + data_page,
            full,
            warnings: indexed.warnings,
            theme: renderer.into_theme(),
        })
    }
}

/// The plain text of every body, as the index takes it.
pub fn texts(bodies: &Bodies) -> search::Texts<'_> {
    fn plain(list: &[Rendered]) -> Vec<&str> {
        list.iter().map(|body| body.text.as_str()).collect()
    }
    search::Texts {
        sections: bodies.sections.iter().map(|b| b.text.as_str()).collect(),
        quotes: plain(&bodies.quotes),
        responses: plain(&bodies.responses),
        pages: plain(&bodies.pages),
    }
}

/// Reads and parses `site.yaml`, the vocabularies and every content file under `root`: the
/// load stage, all errors of it reported together.
pub fn load(root: &Path, options: &BuildOptions) -> Result<Sources, Diagnostics> {
    let config = Config::load(root, options.base_url.as_deref()).map_err(Diagnostics::from)?;
    let responses = config.site.responses.path.clone();
    let (vocabularies, content) = rayon::join(
        || Vocabularies::load(root, &config),
        || content::load(root, &root.join("content"), &responses),
    );
    match (vocabularies, content) {
        (Ok(vocabularies), Ok(content)) => Ok(Sources {
            config,
            vocabularies,
            content,
        }),
        (vocabularies, content) => {
            let mut all = Diagnostics::default();
            for found in [vocabularies.err(), content.err()].into_iter().flatten() {
                all.extend(found.items);
            }
            Err(all)
        }
    }
}

/// Loads and resolves the site under `root`: every cross-file check, nothing rendered.
/// What `chorus stats` and programs that read a site's content need.
pub fn resolve_site(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let sources = load(root, options)?;
    resolve::resolve(
        sources.content,
        sources.config,
        sources.vocabularies,
        options.drafts,
    )
}

/// Builds the site under `root` into the folder `output`, which is replaced only when
/// everything succeeded: what `chorus build` runs.
pub fn build(root: &Path, output: &Path, options: &BuildOptions) -> Result<Report, Diagnostics> {
    let staging = Staging::new(output)?;
    Session::new(root, options.clone()).build(&staging)
}
