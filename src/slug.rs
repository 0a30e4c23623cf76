//! Slugs: the one rule that makes a URL segment of a name. Every URL of the site comes from
//! it (summary folders, section and page files, quote ids, response files, open-vocabulary
//! terms), as do heading ids and the names `site.yaml` checks.

/// The names [`slugify`] gives back unchanged, as a regular expression for JSON Schemas:
/// lowercase ASCII letters and digits in runs joined by single dashes, where a first run of
/// digits alone may not be followed by a dash (that would be an order prefix).
pub const SLUG_FORM: &str = "^(?:[0-9]+|[0-9]*[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$";

/// The slug of a file stem or folder name: a leading `NN-` order prefix is dropped,
/// letters are transliterated to ASCII, and runs of anything else become one `-`.
pub fn slugify(name: &str) -> String {
    let without_order = match name.split_once('-') {
        Some((number, rest))
            if !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty() =>
        {
            rest
        }
        _ => name,
    };
    let ascii = deunicode::deunicode(without_order);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{SLUG_FORM, slugify};

    proptest! {
        /// The schemas' slug pattern matches a name exactly when the name is its own slug.
        #[test]
        fn the_slug_form_matches_exactly_the_names_that_are_their_own_slug(name in "[a-z0-9A-Z_ -]{0,12}") {
            let form = regex::Regex::new(SLUG_FORM).unwrap();
            prop_assert_eq!(form.is_match(&name), !name.is_empty() && slugify(&name) == name);
        }
    }

    #[test]
    fn order_prefix_is_dropped_and_case_folded() {
        assert_eq!(slugify("03-Stigma and Support"), "stigma-and-support");
        assert_eq!(slugify("2021-newsletter"), "newsletter");
        assert_eq!(slugify("101"), "101");
    }

    #[test]
    fn spaces_and_non_ascii_letters_become_ascii() {
        assert_eq!(slugify("Café voices"), "cafe-voices");
        assert_eq!(slugify("Łódź  —  notes!"), "lodz-notes");
        assert_eq!(slugify("--x--"), "x");
    }

    #[test]
    fn letters_of_other_languages_and_scripts_are_transliterated() {
        // Welsh, German, Irish, Polish: the languages of UK and Irish consultations.
        assert_eq!(slugify("Ŵyr ac wyresau"), "wyr-ac-wyresau");
        assert_eq!(slugify("Straße und Übergänge"), "strasse-und-ubergange");
        assert_eq!(slugify("Gaeilge: Tuairimí"), "gaeilge-tuairimi");
        assert_eq!(slugify("Zażółć gęślą jaźń"), "zazolc-gesla-jazn");
        assert_eq!(slugify("Москва"), "moskva");
        assert_eq!(slugify("Ελλάδα"), "ellada");
        // Curly apostrophes and quotation marks separate words like any other mark.
        assert_eq!(slugify("Children’s “voices”"), "children-s-voices");
    }

    #[test]
    fn a_name_with_nothing_to_keep_has_an_empty_slug() {
        assert_eq!(slugify("—"), "");
        assert_eq!(slugify("  "), "");
        // An emoji has a name to keep.
        assert_eq!(slugify("Parks 🙂"), "parks-slight-smile");
    }
}
