//! The front matter of each content kind, as typed structs.
//!
//! These structs are both read (by the load stage) and written (by importers, with
//! `front_matter::to_markdown`), so a file an importer writes always parses back. Every
//! struct denies unknown keys: a misspelt key is an error that lists the allowed ones.
//!
//! They are also the source of `chorus schema`'s JSON Schemas (`crate::schema`), so the
//! schemas an editor's tools read cannot drift from what the loader accepts: doc comments
//! become the fields' descriptions, and `x-chorus-vocabulary` marks a field whose values
//! come from a vocabulary of the site (filled in when the schemas are written).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::Date;

/// `content/summaries/<slug>/_index.md`: one engagement summary document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SummaryMeta {
    /// The document's title.
    pub title: String,
    /// A plain-text summary of the document, shown on cards and as the page description.
    pub lede: String,
    /// When the original was published.
    pub published: Date,
    /// Who the document was written for or about, e.g. "Social workers".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// How people were heard, e.g. "Online events and surveys".
    pub method: String,
    /// How many people took part, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u32>,
    /// The original document this summary publishes.
    pub source: Source,
    /// Order among the summaries: lower comes first.
    #[serde(default)]
    pub weight: i32,
    /// Slugs of the themes vocabulary: what this is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "themes"))]
    pub themes: Vec<String>,
    /// Old URL paths of this item (e.g. `summaries/old-name/`) that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When the item was last changed, if it has been since publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// Corrections made since publication, each with its date and what changed: shown on
    /// the item's page and on the site's list of updates, with its feed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Warnings of `chorus check` accepted for this file, each with why (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<Allowance>,
    /// A draft is built only with `--drafts`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// One correction of a published item, as readers see it in its change history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When the correction was made.
    pub date: Date,
    /// What was corrected, e.g. "Corrected the attribution, which the source gives as
    /// 'from notes'".
    pub note: String,
}

/// One warning rule accepted for a file: `check` shows its findings there as accepted, and
/// `check --deny-warnings` passes. For what the source does on purpose (a document's long
/// headings, a newsletter's printed addresses), so a content repository's CI can deny the
/// rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// The warning's code, e.g. `link/bare-url`.
    pub rule: String,
    /// Why the file is right as it is.
    pub reason: String,
}

/// Title and address of the original document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The original's title, as it prints it.
    pub title: String,
    /// Where the original can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Any other `.md` file in a summary folder: one section of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    /// The section's heading.
    pub title: String,
    /// Order within the summary: lower comes first.
    pub weight: i32,
    /// Slugs of the themes vocabulary: what this is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "themes"))]
    pub themes: Vec<String>,
    /// Distressing subjects the section describes; shown before the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "content-notes"))]
    pub content_note: Vec<String>,
    /// Old URL paths of this item (e.g. `summaries/old-name/`) that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When the item was last changed, if it has been since publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// Corrections made since publication, each with its date and what changed: shown on
    /// the item's page and on the site's list of updates, with its feed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Warnings of `chorus check` accepted for this file, each with why (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<Allowance>,
    /// A draft is built only with `--drafts`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// Where the words of a quote come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// The participant's own words.
    Verbatim,
    /// Words the source says come from notes, not quoted as said. A source need not say
    /// whose notes; nor does the site.
    FromNotes,
}

/// `content/quotes/<summary>/<id>.md`: one participant quote; the body is the words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteMeta {
    /// Unique across the site; used by `{{ quote(id="…") }}` and in the URL.
    pub id: String,
    /// Who spoke, exactly as the source names them. Absent when the source names no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The speaker group, from the voices vocabulary. Absent when `speaker` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-chorus-vocabulary" = "voices"))]
    pub voice: Option<String>,
    /// `verbatim`, or `from-notes` where the source says the words come from notes.
    pub provenance: Provenance,
    /// What the source prints about where the words come from, word for word, without its
    /// brackets: `from notes of a conversation with a parent with SEND`. `provenance` puts
    /// the quote in one of two kinds, for filtering; the source's label can say more than
    /// its kind, and showing the label rather than a description of the kind keeps the site
    /// from attributing the words to more than the source does. Absent when the source
    /// prints nothing but the speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Slug of the summary the quote belongs to.
    #[schemars(extend("x-chorus-vocabulary" = "summaries"))]
    pub summary: String,
    /// Slug of the section (within that summary) that places the quote.
    pub section: String,
    /// Slugs of the themes vocabulary: what this is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "themes"))]
    pub themes: Vec<String>,
    /// Distressing subjects the text describes, e.g. `domestic abuse`; shown before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "content-notes"))]
    pub content_note: Vec<String>,
    /// Old URL paths of this item (e.g. `summaries/old-name/`) that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When the item was last changed, if it has been since publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// Corrections made since publication, each with its date and what changed: shown on
    /// the item's page and on the site's list of updates, with its feed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// An editor has read the text for personal data (an e-mail address, a phone number, a
    /// postcode…) and found it fit to publish, e.g. an organisation's public contact details;
    /// `chorus check` then does not report it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privacy_reviewed: bool,
    /// Warnings of `chorus check` accepted for this file, each with why (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<Allowance>,
    /// A draft is built only with `--drafts`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// `content/<responses.path>/<id>.md` (`content/responses/` unless `site.yaml` names another
/// folder): one response a respondent submitted; the body is its text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseMeta {
    /// The response's number (1-based), as published: its title ("Response 12") and its
    /// place in the list of responses.
    pub number: u32,
    /// The response's id in the consultation platform's export it came from. `chorus import`
    /// finds the file again by it when the export is imported again; it is not published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// When the respondent submitted it, where the export says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The submission's own topic tags, as slugs of the topics vocabulary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "topics"))]
    pub topics: Vec<String>,
    /// The name and/or organisation exactly as published. Absent when anonymous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    /// The respondent asked for the response to be published anonymously.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
    /// The slug of the summary the response belongs to; `responses.summary` in `site.yaml`
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-chorus-vocabulary" = "summaries"))]
    pub summary: Option<String>,
    /// Slugs of the themes vocabulary: what this is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "themes"))]
    pub themes: Vec<String>,
    /// Distressing subjects the text describes, e.g. `domestic abuse`; shown before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-chorus-vocabulary" = "content-notes"))]
    pub content_note: Vec<String>,
    /// Old URL paths of this item (e.g. `summaries/old-name/`) that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When the item was last changed, if it has been since publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// Corrections made since publication, each with its date and what changed: shown on
    /// the item's page and on the site's list of updates, with its feed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// An editor has read the text for personal data (an e-mail address, a phone number, a
    /// postcode…) and found it fit to publish, e.g. an organisation's public contact details;
    /// `chorus check` then does not report it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privacy_reviewed: bool,
    /// Warnings of `chorus check` accepted for this file, each with why (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<Allowance>,
    /// A draft is built only with `--drafts`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// Any other Markdown file: home, about, accessibility statement, news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// The page's title.
    pub title: String,
    /// The page's description for search engines and sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Required for news (`content/news/*.md`), optional elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Order among the pages of a list: lower comes first.
    #[serde(default)]
    pub weight: i32,
    /// A template name to use instead of the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Old URL paths of this item (e.g. `summaries/old-name/`) that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When the item was last changed, if it has been since publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// Corrections made since publication, each with its date and what changed: shown on
    /// the item's page and on the site's list of updates, with its feed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Warnings of `chorus check` accepted for this file, each with why (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<Allowance>,
    /// A draft is built only with `--drafts`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// What the front matter of every kind has, so that one loop serves all five kinds.
pub trait Meta {
    /// Old URL paths of the item that redirect to it.
    fn aliases(&self) -> &[String];
    /// Whether the item is a draft, left out unless drafts are asked for.
    fn draft(&self) -> bool;
    /// When the item last changed after publication.
    fn updated(&self) -> Option<&Date>;
    /// The warnings accepted for the file.
    fn lint_allow(&self) -> &[Allowance];
    /// Corrections since publication, as written.
    fn changes(&self) -> &[Change];
}

macro_rules! meta {
    ($($kind:ty),*) => {$(
        impl Meta for $kind {
            fn aliases(&self) -> &[String] {
                &self.aliases
            }
            fn draft(&self) -> bool {
                self.draft
            }
            fn updated(&self) -> Option<&Date> {
                self.updated.as_ref()
            }
            fn lint_allow(&self) -> &[Allowance] {
                &self.lint_allow
            }
            fn changes(&self) -> &[Change] {
                &self.changes
            }
        }
    )*};
}

meta!(SummaryMeta, SectionMeta, QuoteMeta, ResponseMeta, PageMeta);
