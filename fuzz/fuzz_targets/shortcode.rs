//! The quote shortcode parser: any text gives shortcodes and errors whose ranges are
//! inside the body, on character boundaries, and never overlap.
#![no_main]

use chorus::resolve::find_shortcodes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (found, errors) = find_shortcodes(body);
    let mut ranges: Vec<std::ops::Range<usize>> = found
        .iter()
        .map(|s| s.range.clone())
        .chain(errors.iter().map(|e| e.range.clone()))
        .collect();
    ranges.sort_by_key(|r| r.start);
    for pair in ranges.windows(2) {
        assert!(pair[0].end <= pair[1].start, "overlapping {pair:?}");
    }
    for range in &ranges {
        assert!(
            body.get(range.clone()).is_some(),
            "{range:?} is not a slice of the body"
        );
    }
    for shortcode in &found {
        assert!(!shortcode.id.is_empty() && !shortcode.id.contains('"'));
    }
});
