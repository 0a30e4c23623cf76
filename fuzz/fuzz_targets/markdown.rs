//! Markdown rendering with the sanitiser: any body renders without a panic, with its
//! shortcodes placed, and nothing the sanitiser lets through can run script.
#![no_main]

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use chorus::config::{Config, SiteConfig};
use chorus::diagnostics::SourceText;
use chorus::render::markdown::{Body, BodyPart, Links, render, sanitise};
use chorus::resolve::{Placement, find_shortcodes};
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let mut site: SiteConfig =
        serde_json::from_str(r#"{"title":"T","base_url":"https://example.org/review/"}"#)
            .expect("a valid configuration");
    site.page_size = 10;
    Config::new(site).expect("a valid configuration")
});

/// The first tag or attribute in `html` that could run script or load something if a
/// browser met it in a page. Text outside tags has its `<` escaped by the sanitiser, so
/// every `<` starts a real tag; attribute values are in double quotes.
fn dangerous(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        let mut quoted = false;
        let end = tag.char_indices().find(|&(_, c)| {
            if c == '"' {
                quoted = !quoted;
            }
            c == '>' && !quoted
        });
        let Some((end, _)) = end else {
            return Some(format!("unclosed tag {tag:?}"));
        };
        let inside = tag[..end].to_ascii_lowercase();
        rest = &tag[end + 1..];
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if [
            "script", "iframe", "object", "embed", "style", "svg", "math", "base", "form", "meta",
            "link",
        ]
        .contains(&name.as_str())
        {
            return Some(format!("<{inside}>"));
        }
        for attribute in attributes(&inside) {
            let (key, value) = attribute;
            let value: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            if key.starts_with("on") || key == "style" || key == "srcdoc" || key == "formaction" {
                return Some(format!("<{inside}>"));
            }
            if ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|scheme| value.starts_with(scheme))
            {
                return Some(format!("<{inside}>"));
            }
        }
    }
    None
}

/// The attributes of a tag's inside (lowercased), as (name, value) pairs.
fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = inside.trim_start_matches('/');
    rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(quoted) = after.strip_prefix('"') {
                let close = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..close].to_string();
                rest = quoted.get(close + 1..).unwrap_or("");
            } else {
                let close = after.find(char::is_whitespace).unwrap_or(after.len());
                value = after[..close].to_string();
                rest = &after[close..];
            }
        }
        found.push((key, value));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let clean = sanitise(text);
    assert_eq!(dangerous(&clean), None, "sanitised output {clean:?}");

    let source = Arc::new(SourceText {
        name: "content/fuzz.md".to_string(),
        text: text.to_string(),
    });
    let mut targets = HashMap::new();
    targets.insert(
        "summaries/w/02-stigma.md".to_string(),
        "summaries/w/stigma/".to_string(),
    );
    let links = Links {
        config: &CONFIG,
        targets: &targets,
    };
    let (found, _) = find_shortcodes(text);
    let placements: Vec<Placement> = found
        .into_iter()
        .enumerate()
        .map(|(quote, s)| Placement {
            range: s.range,
            quote,
        })
        .collect();
    for verbatim in [false, true] {
        let (parts, diagnostics) = render(
            &Body {
                source: &source,
                offset: 0,
                verbatim,
            },
            &placements,
            &links,
        );
        for part in &parts {
            if let BodyPart::Html(html) = part {
                assert_eq!(dangerous(html), None, "rendered {html:?}");
            }
        }
        for d in diagnostics {
            let location = d.location.expect("a rendering diagnostic has a position");
            assert!(location.offset + location.len <= text.len(), "{d}");
        }
    }
});
