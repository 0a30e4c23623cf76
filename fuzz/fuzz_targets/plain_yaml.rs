//! The plain-YAML fast path against serde-saphyr: for any text the fast path accepts as a
//! content kind's front matter, serde-saphyr (as `parse_yaml` calls it) reads an equal value.
#![no_main]

use std::fmt::Debug;

use chorus::content::front_matter::read_with_serde_saphyr;
use chorus::content::kinds::{PageMeta, QuoteMeta, ResponseMeta, SectionMeta, SummaryMeta};
use chorus::content::plain_yaml;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;

fn agrees<T: DeserializeOwned + PartialEq + Debug>(yaml: &str) {
    if let Some(quick) = plain_yaml::parse::<T>(yaml) {
        let slow = read_with_serde_saphyr::<T>(yaml);
        assert!(
            slow.as_ref().is_ok_and(|slow| *slow == quick),
            "the fast path reads {yaml:?} as {quick:?}, serde-saphyr as {slow:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    agrees::<SummaryMeta>(yaml);
    agrees::<SectionMeta>(yaml);
    agrees::<QuoteMeta>(yaml);
    agrees::<ResponseMeta>(yaml);
    agrees::<PageMeta>(yaml);
});
