//! `site.yaml`: the site's configuration, typed. Unknown keys are errors.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::content::front_matter::parse_yaml;
use crate::diagnostics::{Diagnostic, SourceText, read_source};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The whole of `site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/review/`. The path part is
    /// the prefix of every generated URL.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The three taxonomies: `themes`, `voices` and `topics`.
    #[serde(default)]
    pub taxonomies: Taxonomies,
    #[serde(default)]
    pub search: SearchConfig,
    /// How many items a list page (ideas, topic pages) shows before it paginates.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    /// Write a gzip and a Brotli copy beside every text file over 1 KB, as `build --compress`
    /// does, for a site that is always published to a host that serves them.
    #[serde(default)]
    pub compress: bool,
}

fn default_language() -> String {
    "en-GB".to_string()
}

fn default_theme() -> String {
    "review".to_string()
}

fn default_page_size() -> usize {
    50
}

/// The taxonomies, each with its display name and whether its vocabulary is closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    #[serde(default = "Taxonomy::default_themes")]
    pub themes: Taxonomy,
    #[serde(default = "Taxonomy::default_voices")]
    pub voices: Taxonomy,
    #[serde(default = "Taxonomy::default_topics")]
    pub topics: Taxonomy,
}

impl Default for Taxonomies {
    fn default() -> Self {
        Taxonomies {
            themes: Taxonomy::default_themes(),
            voices: Taxonomy::default_voices(),
            topics: Taxonomy::default_topics(),
        }
    }
}

/// One taxonomy's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Display name, e.g. "Themes".
    pub name: String,
    /// Display name of one term's kind, e.g. "Theme".
    pub singular: String,
    /// A closed vocabulary rejects any term not in its file.
    #[serde(default)]
    pub closed: bool,
    /// The vocabulary file, relative to the site root. Defaults to `data/<taxonomy>.yaml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
}

impl Taxonomy {
    fn new(name: &str, singular: &str) -> Taxonomy {
        Taxonomy {
            name: name.to_string(),
            singular: singular.to_string(),
            closed: true,
            vocabulary: None,
        }
    }
    fn default_themes() -> Taxonomy {
        Taxonomy::new("Themes", "Theme")
    }
    fn default_voices() -> Taxonomy {
        Taxonomy::new("Voices", "Voice")
    }
    fn default_topics() -> Taxonomy {
        Taxonomy::new("Topics", "Topic")
    }
}

/// Search index settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether `build` writes a search index.
    #[serde(default = "default_true")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

fn default_true() -> bool {
    true
}

/// The configuration together with the parts derived from it once.
#[derive(Debug, Clone)]
pub struct Config {
    pub site: SiteConfig,
    /// The path prefix of every URL, always starting and ending with `/`.
    pub base_path: String,
    /// `scheme://host[:port]` of `base_url`.
    pub origin: String,
}

impl Config {
    /// Reads `site.yaml` under `root`, applying a `--base-url` override.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Diagnostic::error(
                "config/missing",
                CONFIG_FILE,
                format!(
                    "no {CONFIG_FILE} in {}: is this the root of a Chorus site?",
                    root.display()
                ),
            )
            .with_help("run chorus in the folder that holds site.yaml, or pass --root DIR"));
        }
        let source = read_source(root, &path)?;
        let mut site: SiteConfig = parse_yaml(&source, &source.text, 0)?;
        if let Some(url) = base_url_override {
            site.base_url = url.to_string();
        }
        Config::from_site(site, &source, base_url_override.is_some())
    }

    /// Derives the URL parts from a parsed configuration; the error says what is wrong
    /// with which key.
    pub fn new(site: SiteConfig) -> Result<Config, (&'static str, String)> {
        let (origin, base_path) = split_base_url(&site.base_url).map_err(|m| ("base_url", m))?;
        if site.page_size == 0 {
            return Err(("page_size", "page_size must be at least 1".to_string()));
        }
        Ok(Config {
            site,
            base_path,
            origin,
        })
    }

    fn from_site(
        site: SiteConfig,
        source: &Arc<SourceText>,
        overridden: bool,
    ) -> Result<Config, Diagnostic> {
        Config::new(site).map_err(|(key, message)| {
            let diagnostic = if overridden && key == "base_url" {
                Diagnostic::error("config/invalid", "--base-url", message)
            } else {
                let at = source.text.find(key).unwrap_or(0);
                Diagnostic::error_at("config/invalid", source, at, key.len(), message)
            };
            if key == "base_url" {
                diagnostic.with_help("write the full address, e.g. https://example.org/review/")
            } else {
                diagnostic
            }
        })
    }

    /// The URL path of a site-relative path such as `summaries/workforce/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The absolute URL (with scheme and host) of a site-relative path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.url(path))
    }
}

/// Splits a base URL into its origin and its path, checking it is an http(s) address.
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        format!(
            "base_url `{url}` has no scheme: expected an address starting with https:// or http://"
        )
    })?;
    if scheme != "https" && scheme != "http" {
        return Err(format!(
            "base_url `{url}` uses the scheme `{scheme}`: expected https or http"
        ));
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no host name"));
    }
    if path.contains(['?', '#']) {
        return Err(format!(
            "base_url `{url}` has a query or fragment: expected only a scheme, host and path"
        ));
    }
    let path = format!("/{}/", path.trim_matches('/'));
    let path = if path == "//" { "/".to_string() } else { path };
    Ok((format!("{scheme}://{host}"), path))
}

#[cfg(test)]
mod tests {
    use super::split_base_url;

    #[test]
    fn base_url_at_root_and_under_a_sub_path() {
        assert_eq!(
            split_base_url("https://example.org").unwrap(),
            ("https://example.org".to_string(), "/".to_string())
        );
        assert_eq!(
            split_base_url("https://example.org/review").unwrap(),
            ("https://example.org".to_string(), "/review/".to_string())
        );
        assert_eq!(
            split_base_url("http://127.0.0.1:8080/a/b/").unwrap(),
            ("http://127.0.0.1:8080".to_string(), "/a/b/".to_string())
        );
    }

    #[test]
    fn base_url_without_scheme_is_rejected() {
        let error = split_base_url("example.org/review").unwrap_err();
        assert!(error.contains("no scheme"), "{error}");
        assert!(split_base_url("ftp://example.org/").is_err());
    }
}
