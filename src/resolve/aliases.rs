//! Redirects: each item's `aliases`, old URL paths that lead to it.

use std::collections::HashMap;

use super::{ItemRef, Site, paths};
use crate::content::field_error;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The `aliases` of every item as redirects `(alias path, target path)`, normalised to
/// site-relative paths. An alias may not be the URL of a page or of another alias.
pub fn collect(site: &Site, found: &mut Diagnostics) -> Vec<(String, String)> {
    let mut taken: HashMap<String, String> = paths::generated_paths(site)
        .into_iter()
        .map(|path| (path, "a page the site makes itself".to_string()))
        .chain(
            site.items()
                .map(|item| (item.path.to_lowercase(), item.source.name.clone())),
        )
        .collect();
    let mut aliases = Vec::new();
    for item in site.items() {
        for alias in item.aliases {
            let Some(path) = site_path(alias) else {
                found.push(invalid(&item, alias));
                continue;
            };
            if let Some(owner) = taken.insert(path.to_lowercase(), item.source.name.clone()) {
                found.push(
                    Diagnostic::error(
                        "alias/collision",
                        item.source.name.clone(),
                        format!("the alias `{alias}` is already the URL of {owner}"),
                    )
                    .with_help("remove the alias or choose another path"),
                );
                continue;
            }
            aliases.push((path, item.path.to_string()));
        }
    }
    aliases
}

/// An alias as a site-relative path (`/old/name` → `old/name/`), or `None` when it is not
/// one: empty, with `.` or `..` segments, a backslash, a query or a fragment.
fn site_path(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_start_matches('/');
    let path = if trimmed.is_empty() || trimmed.ends_with('/') || trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    };
    let invalid = path.is_empty()
        || path
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
        || path.contains(['\\', '?', '#']);
    (!invalid).then_some(path)
}

fn invalid(item: &ItemRef<'_>, alias: &str) -> Diagnostic {
    field_error(
        item.source,
        item.body_offset,
        "alias/invalid",
        "aliases",
        alias,
        format!(
            "the alias `{alias}` is not a site path: expected a path such as `summaries/old-name/`"
        ),
    )
}
