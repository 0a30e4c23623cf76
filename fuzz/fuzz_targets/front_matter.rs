//! Front-matter splitting and YAML parsing into every content kind and `site.yaml`: any
//! bytes must give a value or a diagnostic whose location lies inside the file.
#![no_main]

use std::sync::Arc;

use chorus::config::SiteConfig;
use chorus::content::front_matter::{parse_yaml, split};
use chorus::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use chorus::diagnostics::{Diagnostic, SourceText};
use libfuzzer_sys::fuzz_target;

fn located_inside(diagnostic: &Diagnostic, text: &str) {
    if let Some(location) = diagnostic.location {
        assert!(location.offset + location.len <= text.len(), "{diagnostic}");
        assert!(text.is_char_boundary(location.offset), "{diagnostic}");
    }
    let _ = diagnostic.to_string();
    let _ = diagnostic.render(false);
}

fn parse<T: serde::de::DeserializeOwned>(source: &Arc<SourceText>, yaml: &str, offset: usize) {
    if let Err(d) = parse_yaml::<T>(source, yaml, offset) {
        located_inside(&d, &source.text);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Arc::new(SourceText {
        name: "content/fuzz.md".to_string(),
        text: text.to_string(),
    });
    parse::<SiteConfig>(&source, &source.text, 0);
    match split(&source) {
        Ok(parts) => {
            assert_eq!(
                &source.text[parts.yaml_offset..parts.yaml_offset + parts.yaml.len()],
                parts.yaml
            );
            assert_eq!(&source.text[parts.body_offset..], parts.body);
            parse::<SummaryMeta>(&source, parts.yaml, parts.yaml_offset);
            parse::<SectionMeta>(&source, parts.yaml, parts.yaml_offset);
            parse::<QuoteMeta>(&source, parts.yaml, parts.yaml_offset);
            parse::<ResponseMeta>(&source, parts.yaml, parts.yaml_offset);
            parse::<PageMeta>(&source, parts.yaml, parts.yaml_offset);
        }
        Err(d) => located_inside(&d, &source.text),
    }
});
