//! What the editors' workbench knows of the site after each good build: the quotes and
//! responses an editor can edit from their pages (with the hash of the bytes each page was
//! built from), and what waits for an editor in the review queues.
//!
//! It is made from the resolved [`Site`] once per good build, so that serving a page or the
//! queues never waits for the pipeline; `generation` ties it to the pages it describes.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::EditorialLints;
use crate::config::Config;
use crate::content::Document;
use crate::content::kinds::{QuoteMeta, ResponseMeta};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceText};
use crate::edit::content_hash;
use crate::render::output_path;
use crate::resolve::{ItemKind, Site};
use crate::vocabulary::{TaxonomyKind, Vocabularies};

/// A quote or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditableKind {
    Quote,
    Response,
}

impl EditableKind {
    pub fn name(self) -> &'static str {
        match self {
            EditableKind::Quote => "quote",
            EditableKind::Response => "response",
        }
    }
}

/// One quote or response as its page shows it, with the values its edit panel starts from.
#[derive(Debug, Clone)]
pub struct Editable {
    pub kind: EditableKind,
    /// How the site names it: the quote's id, or e.g. "Response 12".
    pub title: String,
    /// The content path, e.g. `quotes/adults/adults-001.md`.
    pub file: String,
    /// The site-relative URL path of its page.
    pub url: String,
    /// The slug of the summary it belongs to, if any.
    pub summary: Option<String>,
    /// The [`content_hash`] of the bytes its page was built from.
    pub hash: String,
    pub themes: Vec<String>,
    pub content_note: Vec<String>,
    pub privacy_reviewed: bool,
    pub draft: bool,
    /// A quote's voice.
    pub voice: Option<String>,
    /// Whether a quote names a speaker: only then can it have a voice.
    pub has_speaker: bool,
}

/// Why an item is in the review queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    /// The privacy lint finds personal data and nobody has reviewed it.
    Privacy,
    /// It has no theme.
    NoTheme,
    /// A content-note rule matches its words but it does not carry the note.
    ContentNote,
    /// It is a draft.
    Draft,
}

impl Queue {
    pub const ALL: [Queue; 4] = [
        Queue::Privacy,
        Queue::NoTheme,
        Queue::ContentNote,
        Queue::Draft,
    ];

    /// The queue's heading.
    pub fn title(self) -> &'static str {
        match self {
            Queue::Privacy => "Personal data to review",
            Queue::NoTheme => "No theme",
            Queue::ContentNote => "Content note missing",
            Queue::Draft => "Drafts",
        }
    }

    /// The fragment identifier of the queue's section on the page.
    pub fn id(self) -> &'static str {
        match self {
            Queue::Privacy => "privacy",
            Queue::NoTheme => "no-theme",
            Queue::ContentNote => "content-note",
            Queue::Draft => "draft",
        }
    }
}

/// One item in a queue: which editable, and what the lint said, if a lint put it there.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub queue: Queue,
    /// The index of the item in [`Workbench::items`].
    pub item: usize,
    pub findings: Vec<String>,
}

/// The workbench's view of one good build.
#[derive(Debug)]
pub struct Workbench {
    /// The good build (`Status::generation`) it was made from.
    pub generation: u64,
    pub items: Vec<Editable>,
    /// Output path of a page (`quotes/adults-001/index.html`) → its index in `items`.
    pages: HashMap<String, usize>,
    pub waiting: Vec<Waiting>,
    /// Per item, the text its file was loaded from and what the editorial lints found in
    /// it (the queue each finding puts it in, and the message), for the next workbench.
    sources: Vec<Arc<SourceText>>,
    findings: Vec<Findings>,
    /// The summaries, as (slug, title), in site order.
    pub summaries: Vec<(String, String)>,
    /// What edits are checked against.
    pub config: Config,
    pub vocabularies: Vocabularies,
    /// Whether drafts are built (`serve --drafts`): without it, no draft is in the site.
    pub drafts: bool,
}

impl Workbench {
    /// The workbench of `site`, built as good build `generation`. The lints of an item
    /// whose file is the very text `previous` saw (the same loaded source: the pipeline
    /// keeps what an edit did not touch) are taken from it, so that after a save only the
    /// saved files are linted.
    pub fn new(
        site: &Site,
        generation: u64,
        drafts: bool,
        previous: Option<&Workbench>,
    ) -> Workbench {
        let summary_slug = |index: usize| site.summaries.get(index).map(|s| s.slug.clone());
        let quotes = site.quotes.iter().map(|q| {
            let mut item = editable(EditableKind::Quote, &q.doc, &q.path, &q.doc.meta.id);
            item.summary = summary_slug(q.summary);
            quote_values(&mut item, &q.doc.meta);
            (item, Arc::clone(&q.doc.source))
        });
        let responses = site.responses.iter().map(|r| {
            let mut item = editable(EditableKind::Response, &r.doc, &r.path, &r.title);
            item.summary = r.summary.and_then(summary_slug);
            response_values(&mut item, &r.doc.meta);
            (item, Arc::clone(&r.doc.source))
        });
        let (items, sources): (Vec<Editable>, Vec<Arc<SourceText>>) =
            quotes.chain(responses).unzip();
        let findings = findings(site, &items, &sources, previous);
        let pages = items
            .iter()
            .enumerate()
            .map(|(i, item)| (output_path(&item.url), i))
            .collect();
        Workbench {
            generation,
            waiting: waiting(&items, &findings),
            items,
            sources,
            findings,
            pages,
            summaries: site
                .summaries
                .iter()
                .map(|s| (s.slug.clone(), s.doc.meta.title.clone()))
                .collect(),
            config: site.config.clone(),
            vocabularies: site.vocabularies.clone(),
            drafts,
        }
    }

    /// The item whose page is at output path `key`, if it is a quote's or a response's.
    pub fn page(&self, key: &str) -> Option<&Editable> {
        self.pages.get(key).map(|&i| &self.items[i])
    }

    /// The terms of `kind`'s vocabulary, as (slug, name).
    pub fn terms(&self, kind: TaxonomyKind) -> impl Iterator<Item = (&str, &str)> {
        self.vocabularies
            .terms(kind)
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str()))
    }

    /// The notes of the content-note rules (`data/content-notes.yaml`).
    pub fn known_notes(&self) -> impl Iterator<Item = &str> {
        self.vocabularies
            .content_notes
            .iter()
            .map(|rule| rule.note.as_str())
    }
}

fn editable<M>(kind: EditableKind, doc: &Document<M>, url: &str, title: &str) -> Editable {
    Editable {
        kind,
        title: title.to_string(),
        file: doc.path.clone(),
        url: url.to_string(),
        summary: None,
        hash: content_hash(doc.source.text.as_bytes()),
        themes: Vec::new(),
        content_note: Vec::new(),
        privacy_reviewed: false,
        draft: false,
        voice: None,
        has_speaker: false,
    }
}

fn quote_values(item: &mut Editable, meta: &QuoteMeta) {
    item.themes.clone_from(&meta.themes);
    item.content_note.clone_from(&meta.content_note);
    item.privacy_reviewed = meta.privacy_reviewed;
    item.draft = meta.draft;
    item.voice.clone_from(&meta.voice);
    item.has_speaker = meta.speaker.is_some();
}

fn response_values(item: &mut Editable, meta: &ResponseMeta) {
    item.themes.clone_from(&meta.themes);
    item.content_note.clone_from(&meta.content_note);
    item.privacy_reviewed = meta.privacy_reviewed;
    item.draft = meta.draft;
}

/// What the editorial lints found in one item: per finding, the queue it puts the item in
/// and its message.
type Findings = Vec<(Queue, String)>;

/// The editorial lints' findings in each of `items` (whose loaded texts are `sources`):
/// `previous`'s for an item whose file it saw as the same text, linted afresh, on all
/// cores, for the rest. A warning the file accepts (`lint_allow`) does not count.
fn findings(
    site: &Site,
    items: &[Editable],
    sources: &[Arc<SourceText>],
    previous: Option<&Workbench>,
) -> Vec<Findings> {
    let earlier: HashMap<&str, usize> = previous
        .map(|p| {
            (0..)
                .zip(&p.items)
                .map(|(i, item)| (item.file.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let kept = |i: usize| {
        let p = previous?;
        let &j = earlier.get(items[i].file.as_str())?;
        Arc::ptr_eq(&p.sources[j], &sources[i]).then(|| p.findings[j].clone())
    };
    let mut stale = Vec::new();
    let mut findings: Vec<Findings> = (0..items.len())
        .map(|i| {
            kept(i).unwrap_or_else(|| {
                stale.push(i);
                Vec::new()
            })
        })
        .collect();
    let lints = EditorialLints::new(site);
    let quotes = site.quotes.len();
    let found: Vec<(usize, Diagnostic)> = stale
        .par_iter()
        .flat_map_iter(|&i| {
            let (kind, index) = if i < quotes {
                (ItemKind::Quote, i)
            } else {
                (ItemKind::Response, i - quotes)
            };
            lints
                .item(site, kind, index)
                .into_iter()
                .map(move |d| (i, d))
        })
        .collect();
    let (owners, diagnostics): (Vec<usize>, Vec<Diagnostic>) = found.into_iter().unzip();
    let accepted = site.accept_allowed(Diagnostics { items: diagnostics });
    for (i, finding) in owners.into_iter().zip(accepted.items) {
        if finding.severity == Severity::Accepted {
            continue;
        }
        let queue = if finding.code.starts_with("privacy/") {
            Queue::Privacy
        } else {
            Queue::ContentNote
        };
        findings[i].push((queue, finding.message));
    }
    findings
}

/// Every item that waits for an editor, queue by queue, in site order within each. The
/// privacy and content-note queues hold the items with such findings.
fn waiting(items: &[Editable], findings: &[Findings]) -> Vec<Waiting> {
    let mut waiting = Vec::new();
    for queue in Queue::ALL {
        for (i, item) in items.iter().enumerate() {
            let findings: Vec<String> = findings[i]
                .iter()
                .filter(|(q, _)| *q == queue)
                .map(|(_, message)| message.clone())
                .collect();
            let waits = match queue {
                Queue::Privacy | Queue::ContentNote => !findings.is_empty(),
                Queue::NoTheme => item.themes.is_empty(),
                Queue::Draft => item.draft,
            };
            if waits {
                waiting.push(Waiting {
                    queue,
                    item: i,
                    findings,
                });
            }
        }
    }
    waiting
}
