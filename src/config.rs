//! `site.yaml`: the site's configuration, typed. Unknown keys are errors.

use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::content::front_matter::parse_yaml;
use crate::diagnostics::{Diagnostic, SourceText, read_source};
use crate::slug::{SLUG_FORM, slugify};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The whole of `site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name.
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/review/`. The path part is
    /// the prefix of every generated URL.
    #[schemars(regex(pattern = BASE_URL_FORM))]
    pub base_url: String,
    /// The `lang` of every page.
    #[serde(default = "default_language")]
    pub language: String,
    /// A folder in `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The site's description, the fallback for every page's.
    #[serde(default)]
    pub description: String,
    /// Shown in the footer and the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Shown in the footer and the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The three taxonomies: `themes`, `voices` and `topics`.
    #[serde(default)]
    pub taxonomies: Taxonomies,
    /// What the consultation's responses are called, where they live and which call they
    /// answered.
    #[serde(default)]
    pub responses: Responses,
    /// Search index settings.
    #[serde(default)]
    pub search: SearchConfig,
    /// How many items a list page (responses, topic pages) shows before it paginates.
    #[serde(default = "default_page_size")]
    #[schemars(range(min = 1))]
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    /// What items are about: every kind but pages.
    #[serde(default = "Taxonomy::default_themes")]
    pub themes: Taxonomy,
    /// The speaker groups of quotes.
    #[serde(default = "Taxonomy::default_voices")]
    pub voices: Taxonomy,
    /// The topics respondents ticked.
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
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

/// The responses: what respondents submitted, one content file each. Everything a page
/// says about them in words comes from here, so that each consultation calls them by its
/// own name ("responses", "ideas", "comments") and names its own call.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Responses {
    /// What the site calls them, e.g. "Responses" or "Ideas": navigation, headings, charts.
    #[serde(default = "Responses::default_name")]
    pub name: String,
    /// One of them, e.g. "Response" or "Idea": each one's title ("Idea 12") and "Cite this idea".
    #[serde(default = "Responses::default_singular")]
    pub singular: String,
    /// Their folder under `content/`, and the first segment of their URLs.
    #[serde(default = "Responses::default_path")]
    #[schemars(regex(pattern = SLUG_FORM), transform = not_a_site_segment)]
    pub path: String,
    /// The slug of the summary they belong to, unless a response names its own `summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-chorus-vocabulary" = "summaries"))]
    pub summary: Option<String>,
    /// The call they answered, as a sentence names it after "submitted to", e.g. "the
    /// consultation on the local plan": in the list page's heading, its description and each
    /// citation.
    #[serde(default = "Responses::default_call")]
    pub call: String,
}

impl Responses {
    fn default_name() -> String {
        "Responses".to_string()
    }
    fn default_singular() -> String {
        "Response".to_string()
    }
    fn default_path() -> String {
        "responses".to_string()
    }
    fn default_call() -> String {
        "the consultation".to_string()
    }
}

impl Responses {
    /// The site-relative path of the list of every response, e.g. `ideas/`.
    pub fn list_path(&self) -> String {
        format!("{}/", self.path)
    }

    /// The URL segment of the kind of item a response is, in search filters: its singular
    /// name as a slug (`idea`, `response`).
    pub fn kind_slug(&self) -> String {
        slugify(&self.singular)
    }

    /// The path must be a slug of its own and the singular must name a kind of its own; the
    /// error names the key it is about.
    fn check(&self) -> Result<(), (&'static str, String)> {
        let path = &self.path;
        if path.is_empty() || slugify(path) != *path {
            return Err((
                "responses.path",
                format!(
                    "responses.path `{path}` is not a folder name of lowercase letters, digits and dashes: expected e.g. `responses` or `ideas`"
                ),
            ));
        }
        if SITE_SEGMENTS.contains(&path.as_str()) {
            return Err((
                "responses.path",
                format!(
                    "responses.path `{path}` is the address of the site's own {path} pages: expected another name, e.g. `responses`"
                ),
            ));
        }
        let kind = self.kind_slug();
        if kind.is_empty() || OTHER_KINDS.iter().any(|(slug, _)| *slug == kind) {
            return Err((
                "responses.singular",
                format!(
                    "responses.singular `{}` does not tell a response from a section, a quote or a page: expected a name such as `Response` or `Idea`",
                    self.singular
                ),
            ));
        }
        Ok(())
    }
}

impl Default for Responses {
    fn default() -> Self {
        Responses {
            name: Responses::default_name(),
            singular: Responses::default_singular(),
            path: Responses::default_path(),
            summary: None,
            call: Responses::default_call(),
        }
    }
}

/// The first URL segments the site's own pages take (a responses folder of the same name
/// would put two pages at one address).
pub const SITE_SEGMENTS: [&str; 9] = [
    "summaries",
    "quotes",
    "themes",
    "voices",
    "topics",
    "news",
    "search",
    "data",
    "updates",
];

/// In `responses.path`'s JSON Schema, what [`Responses::check`] refuses besides a
/// non-slug: the site's own segments.
fn not_a_site_segment(schema: &mut schemars::Schema) {
    schema.insert("not".into(), serde_json::json!({ "enum": SITE_SEGMENTS }));
}

/// How search filters name the kinds of item other than responses (whose slug is their
/// singular's, e.g. `response` or `idea`), and how they show them.
pub const OTHER_KINDS: [(&str, &str); 3] =
    [("section", "Section"), ("quote", "Quote"), ("page", "Page")];

/// Search index settings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
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
    /// The text of `site.yaml`, so that a later stage can point at a key in it.
    pub file: Option<Arc<SourceText>>,
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
        let BaseUrl { origin, path } =
            BaseUrl::parse(&site.base_url).map_err(|m| ("base_url", m))?;
        let base_path = path;
        if site.page_size == 0 {
            return Err(("page_size", "page_size must be at least 1".to_string()));
        }
        site.responses.check()?;
        Ok(Config {
            site,
            base_path,
            origin,
            file: None,
        })
    }

    fn from_site(
        site: SiteConfig,
        source: &Arc<SourceText>,
        overridden: bool,
    ) -> Result<Config, Diagnostic> {
        let mut config = Config::new(site).map_err(|(key, message)| {
            let diagnostic = if overridden && key == "base_url" {
                Diagnostic::error("config/invalid", "--base-url", message)
            } else {
                key_error(source, "config/invalid", key, message)
            };
            if key == "base_url" {
                diagnostic.with_help("write the full address, e.g. https://example.org/review/")
            } else {
                diagnostic
            }
        })?;
        config.file = Some(Arc::clone(source));
        Ok(config)
    }

    /// An error about the value of `key` (a top-level key, or one nested as `a.b`) in
    /// `site.yaml`, pointing at it there.
    pub fn error_at(&self, code: &'static str, key: &str, message: String) -> Diagnostic {
        match &self.file {
            Some(source) => key_error(source, code, key, message),
            None => Diagnostic::error(code, CONFIG_FILE, message),
        }
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

/// An error pointing at `key` in `site.yaml`: for `a.b`, at the first `b:` after `a:`; at
/// the start of the file when the key is not written there (a default was used).
fn key_error(
    source: &Arc<SourceText>,
    code: &'static str,
    key: &str,
    message: String,
) -> Diagnostic {
    let text = &source.text;
    let mut at = Some(0);
    for part in key.split('.') {
        at = at.and_then(|from| key_at(text, from, part));
    }
    let len = at.map_or(0, |_| key.rsplit('.').next().map_or(0, str::len));
    Diagnostic::error_at(code, source, at.unwrap_or(0), len, message)
}

/// Where the key `key` is written at the start of a line (after its indentation), at or
/// after byte `from`: a comment, a value or a longer key that holds the name is not it.
fn key_at(text: &str, from: usize, key: &str) -> Option<usize> {
    text[from..]
        .match_indices(&format!("{key}:"))
        .map(|(i, _)| from + i)
        .find(|&i| {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            text[line_start..i].bytes().all(|b| b == b' ')
        })
}

/// What [`BaseUrl::parse`] accepts, as a regular expression for `base_url`'s JSON Schema:
/// http or https, a host without spaces, and a path without a query, fragment or backslash.
pub const BASE_URL_FORM: &str = r"^https?://[^/\s]+(?:/[^?#\\]*)?$";

/// A base URL split into the parts every URL of the site is made from: the one parser of
/// base URLs, for `site.yaml`, `--base-url` and the address `serve` listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The path prefix, starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Checks that `url` is an http(s) address with a host and no query or fragment, and
    /// splits it.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
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
        if path.contains('\\') {
            return Err(format!(
                "base_url `{url}` has a backslash in its path: expected `/` between its parts"
            ));
        }
        let trimmed = path.trim_matches('/');
        Ok(BaseUrl {
            origin: format!("{scheme}://{host}"),
            path: if trimmed.is_empty() {
                "/".to_string()
            } else {
                format!("/{trimmed}/")
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{BaseUrl, Config};

    fn split(url: &str) -> (String, String) {
        let base = BaseUrl::parse(url).unwrap();
        (base.origin, base.path)
    }

    #[test]
    fn base_url_at_root_and_under_a_sub_path() {
        assert_eq!(
            split("https://example.org"),
            ("https://example.org".to_string(), "/".to_string())
        );
        assert_eq!(
            split("https://example.org/review"),
            ("https://example.org".to_string(), "/review/".to_string())
        );
        assert_eq!(
            split("http://127.0.0.1:8080/a/b/"),
            ("http://127.0.0.1:8080".to_string(), "/a/b/".to_string())
        );
        assert_eq!(split("http://[::1]:8000/review").1, "/review/");
        assert_eq!(split("http://127.0.0.1:1111/").1, "/");
    }

    #[test]
    fn the_base_url_form_of_the_schema_is_what_the_parser_accepts() {
        let form = regex::Regex::new(super::BASE_URL_FORM).unwrap();
        for url in [
            "https://example.org",
            "https://example.org/review/",
            "http://[::1]:8000/a b",
            "https://a?b",
            "example.org/review",
            "ftp://example.org/",
            "http://example.org/a?b",
            "http://example.org/a#b",
            "http://example.org/a\\b",
            "https:///review/",
            "https://exa mple.org/",
            "https://",
        ] {
            assert_eq!(form.is_match(url), BaseUrl::parse(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn base_url_without_scheme_or_with_more_than_a_path_is_rejected() {
        let error = BaseUrl::parse("example.org/review").unwrap_err();
        assert!(error.contains("no scheme"), "{error}");
        assert!(BaseUrl::parse("127.0.0.1:1111/review/").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
        assert!(BaseUrl::parse("http://example.org/a?b").is_err());
        assert!(BaseUrl::parse("http://example.org/a#b").is_err());
        assert!(BaseUrl::parse("http://example.org/a\\b").is_err());
        assert!(BaseUrl::parse("https:///review/").is_err());
    }

    /// The error of `site.yaml` holding `text`, as `line:column message`.
    fn error(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), text).unwrap();
        let error = Config::load(dir.path(), None).unwrap_err();
        let at = error.location.expect("a place in site.yaml");
        format!("{}:{} {}", at.line, at.column, error.message)
    }

    #[test]
    fn a_responses_setting_is_reported_at_its_own_key() {
        let found = error(
            "title: T\n# path: responses would be fine\nbase_url: https://example.org/\nresponses:\n  name: Ideas\n  path: Ideas Folder\n",
        );
        assert!(
            found.starts_with("6:3 responses.path `Ideas Folder`"),
            "{found}"
        );
        let found =
            error("title: T\nbase_url: https://example.org/\nresponses:\n  singular: Quote\n");
        assert!(
            found.starts_with("4:3 responses.singular `Quote`"),
            "{found}"
        );
        let found = error("title: T\nbase_url: https://example.org/\nresponses:\n  path: news\n");
        assert!(found.contains("the site's own news pages"), "{found}");
    }
}
