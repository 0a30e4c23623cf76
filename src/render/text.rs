//! Plain text from rendered HTML, for the search index and for teasers.

/// The text of an HTML fragment: tags removed, the entities pulldown-cmark and ammonia
/// emit decoded, whitespace collapsed. Block boundaries become spaces so words never
/// run together.
///
/// One pass, word by word: every body of a site goes through here (a description, the
/// search index, the open data), so the text is not first built whole and then split.
pub fn html_to_text(html: &str) -> String {
    let mut words = Words {
        text: String::with_capacity(html.len()),
        pending: false,
    };
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        let start = at + found;
        words.push(&html[at..start]);
        if bytes[start] == b'<' {
            match memchr::memchr(b'>', &bytes[start..]) {
                Some(end) => {
                    words.pending = true;
                    at = start + end + 1;
                }
                // A tag never closed: what follows is not text.
                None => at = html.len(),
            }
        } else {
            let (decoded, used) = decode_entity(&html[start..]);
            words.push(decoded);
            at = start + used;
        }
    }
    words.push(&html[at..]);
    words.text
}

/// Text put together word by word: any run of whitespace (and any tag) between two words
/// becomes one space, and there is none at either end.
struct Words {
    text: String,
    /// Whitespace or a tag came since the last word.
    pending: bool,
}

impl Words {
    fn push(&mut self, piece: &str) {
        for (i, word) in piece.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.pending = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.pending && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.pending = false;
            self.text.push_str(word);
        }
    }
}

/// Decodes the entity at the start of `text`; returns it and the bytes it used.
fn decode_entity(text: &str) -> (&'static str, usize) {
    const ENTITIES: [(&str, &str); 6] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&nbsp;", " "),
    ];
    ENTITIES
        .iter()
        .find(|(entity, _)| text.starts_with(entity))
        .map_or(("&", 1), |(entity, decoded)| (decoded, entity.len()))
}

#[cfg(test)]
mod tests {
    use super::{decode_entity, html_to_text};

    /// The straightforward version, built whole and then split: what `html_to_text` must
    /// give.
    fn reference(html: &str) -> String {
        let mut text = String::new();
        let mut rest = html;
        while let Some(start) = rest.find(['<', '&']) {
            text.push_str(&rest[..start]);
            rest = &rest[start..];
            if rest.starts_with('<') {
                match rest.find('>') {
                    Some(end) => {
                        text.push(' ');
                        rest = &rest[end + 1..];
                    }
                    None => rest = "",
                }
            } else {
                let (decoded, used) = decode_entity(rest);
                text.push_str(decoded);
                rest = &rest[used..];
            }
        }
        text.push_str(rest);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn tags_go_entities_decode_blocks_separate() {
        assert_eq!(
            html_to_text(
                "<h2 id=\"a\">Care &amp; support</h2><p>A&lt;b&gt; &quot;c&quot;</p><p>next</p>"
            ),
            "Care & support A<b> \"c\" next"
        );
        assert_eq!(html_to_text("a & b"), "a & b");
        assert_eq!(html_to_text("broken <tag"), "broken");
    }

    #[test]
    fn gives_what_the_text_built_whole_and_split_gives() {
        let awkward = [
            "",
            " ",
            "<p></p>",
            "a<b>c",
            "a <b> c",
            "x&nbsp;y",
            "&nbsp;&nbsp;x&nbsp;",
            "A&amp;B",
            "&amp",
            "&unknown; &",
            "\u{a0}no\u{2003}break\u{a0}",
            "<p>one</p>\n\n<p>two</p>",
            "tail <",
            "<",
            ">",
            "caf\u{e9} <em>na\u{ef}ve</em>&#39;s",
            "\tlead and trail\n",
        ];
        for html in awkward {
            assert_eq!(html_to_text(html), reference(html), "{html:?}");
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut session = crate::pipeline::Session::new(root, Default::default());
        session
            .build(&crate::output::Memory::default())
            .expect("the site in this repository builds");
        let bodies = session.bodies().expect("built");
        let lists = [
            &bodies.summaries,
            &bodies.quotes,
            &bodies.responses,
            &bodies.pages,
        ];
        let mut checked = 0;
        for body in lists.into_iter().flatten() {
            assert_eq!(html_to_text(&body.html), reference(&body.html));
            checked += 1;
        }
        assert!(checked > 1_500, "{checked} bodies");
    }
}
