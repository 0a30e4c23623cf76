//! The HTML of the editors' workbench, which only `serve` makes: the edit panel it adds
//! to a quote's or a response's page, and the page of review queues. Plain form controls
//! that work from the keyboard; `workbench.js` sends the panel's edits, `workbench.css`
//! styles both (with colours of its own, so that they read in the theme's light and dark
//! modes alike).

use std::fmt::Write;

use super::workbench::{Editable, EditableKind, Queue, Waiting, Workbench};
use crate::render::escape_html;
use crate::vocabulary::TaxonomyKind;

/// Where serve's own files and endpoints are, under the base path.
pub struct Endpoints<'a> {
    /// The site's base path, e.g. `/review/`.
    pub base_path: &'a str,
    /// The path of serve's reserved folder under it, e.g. `__chorus/`.
    pub reserved: &'a str,
}

impl Endpoints<'_> {
    fn url(&self, name: &str) -> String {
        format!("{}{}{name}", self.base_path, self.reserved)
    }
}

/// `text` escaped for HTML text and attribute values.
fn esc(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The edit panel of `item`'s page, which sends its edits with `token`.
pub fn panel(item: &Editable, workbench: &Workbench, at: &Endpoints<'_>, token: &str) -> String {
    let kind = item.kind.name();
    let mut html = format!(
        "<aside class=\"chorus-workbench\" aria-labelledby=\"chorus-edit-heading\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n\
         <h2 id=\"chorus-edit-heading\">Edit this {kind}</h2>\n\
         <p>Saving writes the front matter of <code>content/{file}</code>, only the fields you changed. \
         <a href=\"{queues}\">Review queues</a></p>\n\
         <form id=\"chorus-edit\" method=\"post\" action=\"{action}\" data-token=\"{token}\" data-path=\"{file}\" data-hash=\"{hash}\">\n",
        css = esc(&at.url("workbench.css")),
        file = esc(&item.file),
        queues = esc(&at.url("queues")),
        action = esc(&at.url("edit")),
        token = esc(token),
        hash = esc(&item.hash),
    );
    let themes = with_current(workbench.terms(TaxonomyKind::Themes), &item.themes);
    checkboxes(&mut html, "Themes", "themes", &themes, &item.themes);
    html.push_str("</fieldset>\n");
    let known = workbench.known_notes().map(|n| (n, n));
    let notes = with_current(known, &item.content_note);
    checkboxes(
        &mut html,
        "Content notes",
        "content_note",
        &notes,
        &item.content_note,
    );
    html.push_str(
        "<p><label for=\"chorus-new-note\">Add a content note</label>\n\
         <input type=\"text\" id=\"chorus-new-note\" name=\"new_note\" autocomplete=\"off\"></p>\n\
         </fieldset>\n",
    );
    review_flags(&mut html, item);
    if item.kind == EditableKind::Quote {
        voice(&mut html, item, workbench);
    }
    html.push_str(
        "<p><button type=\"submit\">Save</button>\n\
         <button type=\"button\" id=\"chorus-edit-reload\" hidden>Reload the page</button></p>\n\
         <p id=\"chorus-edit-status\" role=\"status\" aria-live=\"polite\"></p>\n\
         </form>\n",
    );
    let _ = writeln!(
        html,
        "<script src=\"{}\"></script>\n</aside>",
        esc(&at.url("workbench.js"))
    );
    html
}

/// The terms of a vocabulary as (value, label), followed by the values `current` holds
/// that the vocabulary does not (an open vocabulary's new words).
fn with_current<'a>(
    terms: impl Iterator<Item = (&'a str, &'a str)>,
    current: &'a [String],
) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = terms.collect();
    for value in current {
        if !all.iter().any(|(v, _)| v == value) {
            all.push((value, value));
        }
    }
    all
}

/// A fieldset, left open, of checkboxes named `name`, one per (value, label), ticked when
/// `checked` holds the value.
fn checkboxes(
    html: &mut String,
    legend: &str,
    name: &str,
    options: &[(&str, &str)],
    checked: &[String],
) {
    let _ = writeln!(html, "<fieldset>\n<legend>{legend}</legend>");
    if options.is_empty() {
        html.push_str("<p>None yet.</p>\n");
    }
    for (i, (value, label)) in options.iter().enumerate() {
        let ticked = if checked.iter().any(|c| c == value) {
            " checked"
        } else {
            ""
        };
        let _ = writeln!(
            html,
            "<div><input type=\"checkbox\" id=\"chorus-{name}-{i}\" name=\"{name}\" value=\"{value}\"{ticked}> \
             <label for=\"chorus-{name}-{i}\">{label}</label></div>",
            value = esc(value),
            label = esc(label),
        );
    }
}

/// The `privacy_reviewed` and `draft` checkboxes.
fn review_flags(html: &mut String, item: &Editable) {
    let ticked = |on: bool| if on { " checked" } else { "" };
    let _ = writeln!(
        html,
        "<fieldset>\n<legend>Review</legend>\n\
         <div><input type=\"checkbox\" id=\"chorus-privacy-reviewed\" name=\"privacy_reviewed\"{}> \
         <label for=\"chorus-privacy-reviewed\">Read for personal data, fit to publish</label></div>\n\
         <div><input type=\"checkbox\" id=\"chorus-draft\" name=\"draft\"{}> \
         <label for=\"chorus-draft\">Draft (left out of the site unless built with <code>--drafts</code>)</label></div>\n\
         </fieldset>",
        ticked(item.privacy_reviewed),
        ticked(item.draft),
    );
}

/// A quote's voice: a choice of the voices vocabulary, or why there is none.
fn voice(html: &mut String, item: &Editable, workbench: &Workbench) {
    if !item.has_speaker {
        html.push_str("<p>This quote names no speaker, so it can have no voice.</p>\n");
        return;
    }
    let current: Vec<String> = item.voice.iter().cloned().collect();
    let voices = with_current(workbench.terms(TaxonomyKind::Voices), &current);
    html.push_str(
        "<p><label for=\"chorus-voice\">Voice</label>\n<select id=\"chorus-voice\" name=\"voice\">\n<option value=\"\">No voice</option>\n",
    );
    for (value, label) in voices {
        let selected = if item.voice.as_deref() == Some(value) {
            " selected"
        } else {
            ""
        };
        let _ = writeln!(
            html,
            "<option value=\"{}\"{selected}>{}</option>",
            esc(value),
            esc(label)
        );
    }
    html.push_str("</select></p>\n");
}

/// Which items the queue page shows: one summary's, one kind's.
#[derive(Debug, Default)]
pub struct Filter {
    pub summary: Option<String>,
    pub kind: Option<EditableKind>,
}

impl Filter {
    fn admits(&self, item: &Editable) -> bool {
        self.summary
            .as_ref()
            .is_none_or(|s| item.summary.as_ref() == Some(s))
            && self.kind.is_none_or(|k| item.kind == k)
    }
}

/// The page of review queues, filtered; `site_title` names the site.
pub fn queues(workbench: &Workbench, filter: &Filter, at: &Endpoints<'_>) -> String {
    let title = &workbench.config.site.title;
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Review queues — {title}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n</head>\n\
         <body class=\"chorus-queues\">\n<main>\n<h1>Review queues</h1>\n\
         <p>What waits for an editor in this preview of {title}. Open an item and edit it in the panel at the foot of its page. \
         <a href=\"{home}\">Back to the site</a></p>\n",
        title = esc(title),
        css = esc(&at.url("workbench.css")),
        home = esc(at.base_path),
    );
    filter_form(&mut html, workbench, filter, at);
    let shown: Vec<&Waiting> = workbench
        .waiting
        .iter()
        .filter(|w| filter.admits(&workbench.items[w.item]))
        .collect();
    html.push_str("<nav aria-label=\"Queues\">\n<ul>\n");
    for queue in Queue::ALL {
        let count = shown.iter().filter(|w| w.queue == queue).count();
        let _ = writeln!(
            html,
            "<li><a href=\"#{}\">{}</a>: {count}</li>",
            queue.id(),
            queue.title()
        );
    }
    html.push_str("</ul>\n</nav>\n");
    for queue in Queue::ALL {
        let items: Vec<&Waiting> = shown.iter().copied().filter(|w| w.queue == queue).collect();
        queue_section(&mut html, workbench, queue, &items, at);
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// The form that filters the queues by summary and kind (a plain GET of this page).
fn filter_form(html: &mut String, workbench: &Workbench, filter: &Filter, at: &Endpoints<'_>) {
    let selected = |on: bool| if on { " selected" } else { "" };
    let _ = writeln!(
        html,
        "<form method=\"get\" action=\"{}\" class=\"chorus-filter\">\n\
         <p><label for=\"chorus-summary\">Summary</label>\n<select id=\"chorus-summary\" name=\"summary\">\n\
         <option value=\"\">All summaries</option>",
        esc(&at.url("queues"))
    );
    for (slug, title) in &workbench.summaries {
        let _ = writeln!(
            html,
            "<option value=\"{}\"{}>{}</option>",
            esc(slug),
            selected(filter.summary.as_ref() == Some(slug)),
            esc(title)
        );
    }
    let _ = writeln!(
        html,
        "</select></p>\n<p><label for=\"chorus-kind\">Kind</label>\n<select id=\"chorus-kind\" name=\"kind\">\n\
         <option value=\"\">Quotes and responses</option>\n\
         <option value=\"quote\"{}>Quotes</option>\n<option value=\"response\"{}>Responses</option>\n\
         </select></p>\n<p><button type=\"submit\">Filter</button></p>\n</form>",
        selected(filter.kind == Some(EditableKind::Quote)),
        selected(filter.kind == Some(EditableKind::Response)),
    );
}

/// One queue: its heading with the count, and its items with links to their pages.
fn queue_section(
    html: &mut String,
    workbench: &Workbench,
    queue: Queue,
    items: &[&Waiting],
    at: &Endpoints<'_>,
) {
    let _ = writeln!(
        html,
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{} ({})</h2>",
        queue.title(),
        items.len(),
        id = queue.id(),
    );
    if queue == Queue::Draft && !workbench.drafts {
        html.push_str(
            "<p>Drafts are left out of this preview: run <code>chorus serve --drafts</code> to list them.</p>\n",
        );
    } else if items.is_empty() {
        html.push_str("<p>Nothing waits here.</p>\n");
    }
    if !items.is_empty() {
        html.push_str("<ul>\n");
        for waiting in items {
            let item = &workbench.items[waiting.item];
            let _ = write!(
                html,
                "<li><a href=\"{}{}\">{}</a> ({}, <code>content/{}</code>)",
                esc(at.base_path),
                esc(&item.url),
                esc(&item.title),
                item.kind.name(),
                esc(&item.file),
            );
            if !waiting.findings.is_empty() {
                html.push_str("\n<ul>\n");
                for finding in &waiting.findings {
                    let _ = writeln!(html, "<li>{}</li>", esc(finding));
                }
                html.push_str("</ul>\n");
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</section>\n");
}
