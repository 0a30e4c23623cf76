//! Content fingerprints: the hash in the names of files that hosts may cache for ever (the
//! theme's CSS and JavaScript, the search index's shards), so that a changed file gets a new
//! name and an unchanged one keeps its name from one build to the next.
//!
//! The hash is XXH3-64 (`xxhash-rust`), whose output is fixed by its specification, unlike
//! Rust's `DefaultHasher`, which may change between Rust releases; its first 12 hex digits
//! (48 bits) go in the name. Everything that writes or reads such a name goes through
//! [`fingerprinted`] and [`unfingerprinted`].

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// Hex digits of the hash in a file name.
const DIGITS: usize = 12;

/// The hash of `bytes` as it goes in a name: 12 lowercase hex digits.
pub fn content_hash(bytes: &[u8]) -> String {
    short(xxh3_64(bytes))
}

/// The hash of several byte strings taken one after the other, as one name for all of them.
pub fn content_hash_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Xxh3::new();
    for part in parts {
        hasher.update(part);
    }
    short(hasher.digest())
}

fn short(hash: u64) -> String {
    format!("{hash:016x}")[..DIGITS].to_string()
}

/// `style.css` → `style.1a2b3c4d5e6f.css`, `t/3.json` → `t/3.<hash>.json`: the name with
/// the hash of `bytes` before its extension.
pub fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
        None => format!("{name}.{hash}"),
    }
}

/// `style.1a2b3c4d5e6f.css` → `style.css`: the name a fingerprinted file had before its
/// hash; any other name as it is.
pub fn unfingerprinted(path: &str) -> String {
    if let Some((stem, extension)) = path.rsplit_once('.')
        && let Some((name, hash)) = stem.rsplit_once('.')
        && hash.len() == DIGITS
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return format!("{name}.{extension}");
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_xxh3_and_does_not_change() {
        // XXH3-64 of the empty input and of "a", as the specification's reference gives them.
        assert_eq!(content_hash(b""), "2d06800538d3");
        assert_eq!(content_hash(b"a"), "e6c632b61e96");
        assert_eq!(
            content_hash_of([b"ab".as_slice(), b"c".as_slice()]),
            content_hash(b"abc")
        );
    }

    #[test]
    fn a_fingerprinted_name_gives_back_its_name() {
        let name = fingerprinted("static/style.css", b"body{}");
        assert_ne!(name, "static/style.css");
        assert!(name.starts_with("static/style.") && name.ends_with(".css"));
        assert_eq!(unfingerprinted(&name), "static/style.css");
    }

    #[test]
    fn only_twelve_lowercase_hex_digits_are_a_hash() {
        assert_eq!(unfingerprinted("a/style.0123456789ab.css"), "a/style.css");
        assert_eq!(unfingerprinted("jquery.min.css"), "jquery.min.css");
        assert_eq!(
            unfingerprinted("style.0123456789AB.css"),
            "style.0123456789AB.css"
        );
        assert_eq!(unfingerprinted("style.css"), "style.css");
    }
}
