//! URL paths across kinds: no two files at one URL, and each content path's URL for the
//! `@/` links of the render stage.

use std::collections::{BTreeMap, HashMap};

use super::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Two files may not produce the same URL, compared without regard to capitals (hosts on
/// case-insensitive file systems would serve one for the other), nor the URL of a page the
/// site makes itself ([`generated_paths`]).
pub fn check_unique(site: &Site, found: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &str> = generated_paths(site)
        .into_iter()
        .map(|path| (path, "a page the site makes itself"))
        .collect();
    for item in site.items() {
        if let Some(first) = seen.insert(item.path.to_lowercase(), &item.source.name) {
            found.push(
                Diagnostic::error(
                    "slug/collision",
                    item.source.name.clone(),
                    format!("this file's URL /{} is the same as that of {first} (URLs are compared without regard to capitals)", item.path),
                )
                .with_help("rename one of the two files"),
            );
        }
    }
}

/// The paths of the pages and files the site makes without a content file of their own:
/// the lists (news, search, data, updates, the responses, each taxonomy and each of its terms) and the
/// files at the root (an alias may take a path ending in `.html`).
pub(super) fn generated_paths(site: &Site) -> Vec<String> {
    let mut paths: Vec<String> = [
        "news/",
        "search/",
        "data/",
        "updates/",
        "updates/atom.xml",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    paths.push(site.config.site.responses.list_path());
    for taxonomy in &site.taxonomies {
        paths.push(taxonomy.path.clone());
        paths.extend(taxonomy.terms.iter().map(|term| term.path.clone()));
    }
    paths
}

/// Content path (`summaries/workforce/02-stigma.md`) → site-relative URL path, for every
/// item.
pub fn link_targets(site: &Site) -> HashMap<String, String> {
    site.items()
        .map(|item| (item.file.to_string(), item.path.to_string()))
        .collect()
}
