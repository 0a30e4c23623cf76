//! Plain text from rendered HTML, for the search index and for teasers.

/// The text of an HTML fragment: tags removed, the entities pulldown-cmark and ammonia
/// emit decoded, whitespace collapsed. Block boundaries become spaces so words never
/// run together.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
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
                None => {
                    rest = "";
                }
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
    use super::html_to_text;

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
}
