//! Internal links and `#anchors` that point nowhere, checked in the rendered HTML of every
//! page, so that links written by hand in Markdown, links rewritten from `@/` paths and
//! links made by templates are all checked the same way, against the files the build
//! would write and the ids on the target page.
//!
//! A finding is reported where the link was written: the Markdown that holds it (its `@/`
//! form or the URL as written) when one does, else the page, once per link for all pages
//! that share it (a template's link).

use std::collections::{BTreeMap, HashMap, HashSet};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use scraper::{ElementRef, Html};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::{FileData, Files};
use crate::render::output_path;
use crate::resolve::{ItemRef, Site};

/// The ids and outgoing links of one rendered page.
struct PageLinks {
    path: String,
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Where a link leads, once resolved against its page and the base path.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Another host, or a scheme such as `mailto:`: not checked.
    External,
    /// A path of this site (relative to the output folder) and an optional anchor.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An absolute path on this host that is not under the site's base path.
    Outside,
}

/// A link that points nowhere, on the page `page`.
struct Broken<'a> {
    page: &'a str,
    href: &'a str,
    code: &'static str,
    message: String,
    /// Site-relative path of the target page, for finding the `@/` form in Markdown.
    target: Option<String>,
    fragment: Option<String>,
}

pub(super) fn check(site: &Site, files: &Files) -> Vec<Diagnostic> {
    let outputs: HashSet<&str> = files.keys().map(String::as_str).collect();
    // In path order, so that a link many pages share is reported on the same page each run.
    let mut html: Vec<(&String, &FileData)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect();
    html.sort_by_key(|(path, _)| *path);
    let pages: Vec<PageLinks> = html
        .par_iter()
        .filter_map(|(path, data)| match data {
            FileData::Bytes(bytes) => Some(page_links(path, &String::from_utf8_lossy(bytes))),
            FileData::Copy(_) => None,
        })
        .collect();
    let by_path: HashMap<&str, &PageLinks> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let mut broken = Vec::new();
    for page in &pages {
        let mut seen = HashSet::new();
        for href in &page.links {
            if !seen.insert(href.as_str()) {
                continue;
            }
            if let Some(b) = check_link(&site.config, page, href, &outputs, &by_path) {
                broken.push(b);
            }
        }
    }
    report(site, broken)
}

/// Parses a page and collects its ids and the URLs of its links, images and scripts.
fn page_links(path: &str, html: &str) -> PageLinks {
    let document = Html::parse_document(html);
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for element in document
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let element = element.value();
        if let Some(id) = element.id() {
            ids.insert(id.to_string());
        }
        match element.name() {
            "a" | "area" | "link" => {
                if let Some(name) = element.attr("name") {
                    ids.insert(name.to_string());
                }
                if let Some(href) = element.attr("href") {
                    links.push(href.to_string());
                }
            }
            "img" | "script" | "iframe" | "source" | "audio" | "video" => {
                if let Some(src) = element.attr("src") {
                    links.push(src.to_string());
                }
            }
            _ => {}
        }
    }
    PageLinks {
        path: path.to_string(),
        ids,
        links,
    }
}

fn check_link<'a>(
    config: &Config,
    page: &'a PageLinks,
    href: &'a str,
    outputs: &HashSet<&str>,
    pages: &HashMap<&str, &PageLinks>,
) -> Option<Broken<'a>> {
    let broken = |code, message, target: Option<String>, fragment: Option<String>| Broken {
        page: &page.path,
        href,
        code,
        message,
        target,
        fragment,
    };
    let (path, fragment) = match resolve(config, &page.path, href) {
        Target::External => return None,
        Target::Outside => {
            return Some(broken(
                "link/broken",
                format!(
                    "the link `{href}` points outside the site's base path {}: it will not be found once the site is published",
                    config.base_path
                ),
                None,
                None,
            ));
        }
        Target::Internal { path, fragment } => (path, fragment),
    };
    let Some(file) = existing_file(&path, outputs) else {
        return Some(broken(
            "link/broken",
            format!("the link `{href}` points to /{path}, which is not a page or file of the site"),
            Some(path),
            fragment,
        ));
    };
    let fragment = fragment.filter(|f| !f.is_empty() && f != "top")?;
    let target = pages.get(file.as_str())?;
    if target.ids.contains(&fragment) {
        return None;
    }
    Some(broken(
        "link/anchor",
        format!(
            "the link `{href}` points to the anchor #{fragment}, but /{path} has no element with the id `{fragment}`"
        ),
        Some(path),
        Some(fragment),
    ))
}

/// The output file a site path is served from: the file itself, or the `index.html` of a
/// folder (with or without the trailing `/`, as a server redirects one to the other).
fn existing_file(path: &str, outputs: &HashSet<&str>) -> Option<String> {
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    };
    candidates
        .into_iter()
        .find(|c| outputs.contains(c.as_str()))
}

/// Resolves `href` found on the page at output path `page` (e.g. `a/b/index.html`).
fn resolve(config: &Config, page: &str, href: &str) -> Target {
    let href = href.trim();
    let (href, fragment) = match href.split_once('#') {
        Some((before, fragment)) => (before, Some(decode(fragment))),
        None => (href, None),
    };
    let href = href.split('?').next().unwrap_or_default();
    let site_root = format!("{}{}", config.origin, config.base_path);
    let relative = if href.starts_with("//") {
        return Target::External;
    } else if let Some(rest) = href.strip_prefix(&site_root) {
        rest.to_string()
    } else if has_scheme(href) {
        return match href.strip_prefix(&config.origin) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Target::Outside,
            _ => Target::External,
        };
    } else if let Some(rest) = href.strip_prefix(&config.base_path) {
        rest.to_string()
    } else if href.starts_with('/') {
        return if format!("{href}/") == config.base_path {
            Target::Internal {
                path: String::new(),
                fragment,
            }
        } else {
            Target::Outside
        };
    } else if href.is_empty() {
        page.rsplit_once('/').map_or_else(
            || page.to_string(),
            |(dir, name)| {
                if name == "index.html" {
                    format!("{dir}/")
                } else {
                    page.to_string()
                }
            },
        )
    } else {
        let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        if dir.is_empty() {
            href.to_string()
        } else {
            format!("{dir}/{href}")
        }
    };
    let path = normalise(&decode(&relative));
    let path = if path == "index.html" {
        String::new()
    } else {
        path
    };
    Target::Internal { path, fragment }
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(colon) => {
            let scheme = &href[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Removes `.` and `..` segments; `..` above the root stays at the root, as browsers do.
fn normalise(path: &str) -> String {
    let folder = path.ends_with('/')
        || path.ends_with("/.")
        || path.ends_with("/..")
        || path == "."
        || path == "..";
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if folder && !joined.is_empty() {
        format!("{joined}/")
    } else {
        joined
    }
}

/// Turns broken links into diagnostics at the Markdown that holds them where one does, and
/// otherwise one per link against the first page that has it.
fn report(site: &Site, broken: Vec<Broken<'_>>) -> Vec<Diagnostic> {
    let texts: Vec<ItemRef<'_>> = site.items().collect();
    let mut by_page: HashMap<String, usize> = HashMap::new();
    for (i, text) in texts.iter().enumerate() {
        by_page.insert(output_path(&page_path(site, text)), i);
    }
    let mut located: BTreeMap<(String, usize, &'static str), Diagnostic> = BTreeMap::new();
    let mut unlocated: BTreeMap<(&str, &'static str), (Broken<'_>, usize)> = BTreeMap::new();
    for b in broken {
        let needles = needles(site, &b);
        let own = by_page.get(b.page).map(|&i| &texts[i]);
        let mut found: Vec<(&ItemRef<'_>, usize, usize)> =
            own.map(|t| occurrences(t, &needles)).unwrap_or_default();
        if found.is_empty() && !b.href.starts_with('#') {
            found = texts
                .iter()
                .flat_map(|t| occurrences(t, &needles))
                .collect();
        }
        if found.is_empty() {
            unlocated
                .entry((b.href, b.code))
                .and_modify(|(_, n)| *n += 1)
                .or_insert((b, 0));
            continue;
        }
        for (text, offset, len) in found {
            let key = (text.source.name.clone(), offset, b.code);
            located.entry(key).or_insert_with(|| {
                Diagnostic::error_at(b.code, text.source, offset, len, b.message.clone())
                    .with_help(help(b.code))
            });
        }
    }
    let mut diagnostics: Vec<Diagnostic> = located.into_values().collect();
    for (b, others) in unlocated.into_values() {
        let also = match others {
            0 => String::new(),
            1 => " (and on 1 other page)".to_string(),
            n => format!(" (and on {n} other pages)"),
        };
        diagnostics.push(
            Diagnostic::error(b.code, format!("public/{}", b.page), format!("{}{also}", b.message))
                .with_help("no content file holds this link, so it comes from a template: check the template's URLs"),
        );
    }
    diagnostics
}

fn help(code: &str) -> &'static str {
    if code == "link/anchor" {
        "a heading's anchor is its text in lowercase with dashes (`## Early help` → #early-help): correct the anchor or the heading"
    } else {
        "link to a page of the site as @/ followed by the path of its .md file under content/, e.g. @/summaries/workforce/02-stigma.md"
    }
}

/// The site-relative path of the page a text is rendered on.
fn page_path(site: &Site, text: &ItemRef<'_>) -> String {
    site.link_targets
        .get(text.file)
        .cloned()
        .unwrap_or_default()
}

/// The ways the link may be written in Markdown: as rendered, and as the `@/` path of
/// each content file whose page is the target.
fn needles(site: &Site, b: &Broken<'_>) -> Vec<String> {
    let mut needles = vec![b.href.to_string()];
    if let Some(target) = &b.target {
        let page = target.strip_suffix("index.html").unwrap_or(target);
        for (content, url) in &site.link_targets {
            if url == page || url.trim_end_matches('/') == page.trim_end_matches('/') {
                needles.push(match &b.fragment {
                    Some(fragment) => format!("@/{content}#{fragment}"),
                    None => format!("@/{content}"),
                });
            }
        }
    }
    needles
}

/// Where any of `needles` occurs in the body of `text`, as (text, file offset, length).
fn occurrences<'t, 'a>(
    text: &'t ItemRef<'a>,
    needles: &[String],
) -> Vec<(&'t ItemRef<'a>, usize, usize)> {
    let body = text.body();
    let mut found = Vec::new();
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        for (at, _) in body.match_indices(needle.as_str()) {
            let end = at + needle.len();
            let next = body[end..].chars().next();
            if next.is_some_and(|c| c.is_alphanumeric() || c == '#' || c == '/' || c == '-') {
                continue;
            }
            found.push((text, text.body_offset + at, needle.len()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn config(base: &str) -> Config {
        let site: SiteConfig =
            serde_json::from_value(serde_json::json!({"title": "T", "base_url": base}))
                .expect("config");
        Config::new(site).expect("config")
    }

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn links_resolve_against_the_base_path_and_the_page() {
        let c = config("https://example.org/review/");
        let page = "summaries/w/care/index.html";
        assert_eq!(
            resolve(&c, page, "/review/summaries/w/"),
            internal("summaries/w/", None)
        );
        assert_eq!(
            resolve(&c, page, "https://example.org/review/a/#x"),
            internal("a/", Some("x"))
        );
        assert_eq!(
            resolve(&c, page, "#support"),
            internal("summaries/w/care/", Some("support"))
        );
        assert_eq!(
            resolve(&c, page, "../stigma/?q=1#a%20b"),
            internal("summaries/w/stigma/", Some("a b"))
        );
        assert_eq!(resolve(&c, page, "/review"), internal("", None));
        assert_eq!(resolve(&c, page, "/elsewhere/"), Target::Outside);
        assert_eq!(
            resolve(&c, page, "https://example.org/other/"),
            Target::Outside
        );
        assert_eq!(resolve(&c, page, "https://gov.uk/x"), Target::External);
        assert_eq!(resolve(&c, page, "mailto:a@example.org"), Target::External);
        assert_eq!(
            resolve(&c, page, "//cdn.example.com/x.js"),
            Target::External
        );
        assert_eq!(
            resolve(&c, "index.html", "style.css"),
            internal("style.css", None)
        );
    }

    #[test]
    fn folders_are_found_with_or_without_their_slash() {
        let outputs: HashSet<&str> = ["index.html", "a/index.html", "data/quotes.csv"]
            .into_iter()
            .collect();
        assert_eq!(existing_file("", &outputs).as_deref(), Some("index.html"));
        assert_eq!(
            existing_file("a/", &outputs).as_deref(),
            Some("a/index.html")
        );
        assert_eq!(
            existing_file("a", &outputs).as_deref(),
            Some("a/index.html")
        );
        assert_eq!(
            existing_file("data/quotes.csv", &outputs).as_deref(),
            Some("data/quotes.csv")
        );
        assert_eq!(existing_file("b/", &outputs), None);
    }

    #[test]
    fn dot_segments_are_removed() {
        assert_eq!(normalise("a/./b/../c/"), "a/c/");
        assert_eq!(normalise("../../x"), "x");
        assert_eq!(normalise("a/.."), "");
    }

    #[test]
    fn ids_and_links_are_collected_from_the_page() {
        let page = page_links(
            "a/index.html",
            r#"<h2 id="x">X</h2><a name="old"></a><a href="/b/#x">b</a><img src="/i.png" alt="i">"#,
        );
        assert!(page.ids.contains("x") && page.ids.contains("old"));
        assert_eq!(page.links, ["/b/#x", "/i.png"]);
    }
}
