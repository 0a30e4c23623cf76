//! Slugs: derived once from file and folder names, ASCII and lowercase.

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
    use super::slugify;

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
}
