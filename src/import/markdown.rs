//! A respondent's text as Markdown that renders as exactly that text. Whatever they typed
//! (`<script>`, `**`, `[link](…)`, `# `, `{{ quote(…) }}`, `&amp;`) is published as the
//! characters it is, never as markup: every character Markdown, the sanitiser or the
//! shortcode scanner could read as syntax is backslash-escaped, which CommonMark defines
//! for every ASCII punctuation character. Each line break of a cell starts a paragraph.

/// Characters escaped wherever they stand: emphasis, code, links, raw HTML, entities,
/// tables, strikethrough, headings' closing `#`s, shortcodes. Nothing more, so that the
/// file stays readable and `chorus check`'s privacy rules still see an e-mail address or a
/// phone number whole.
const ALWAYS: &[char] = &[
    '\\', '`', '*', '[', ']', '<', '>', '&', '|', '~', '{', '}', '#',
];

/// The body of a response: its answers, each under its question as a heading when the
/// mapping has several answer columns.
pub fn body(answers: &[(String, String)], with_questions: bool) -> String {
    let mut parts = Vec::with_capacity(answers.len() * 2);
    for (question, answer) in answers {
        if with_questions {
            parts.push(format!("## {}", escape_line(question.trim())));
        }
        parts.push(paragraphs(answer));
    }
    parts.join("\n\n")
}

/// `text` as paragraphs: one per non-blank line, each escaped.
pub fn paragraphs(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One line of text (no line breaks, no leading spaces), escaped so that Markdown reads
/// it as plain text.
pub fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    // A list item or a thematic break starts with `-`, `+` (or `*`, always escaped) and a
    // space or another marker; an ordered list with up to nine digits and `.` or `)`.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = match chars.first() {
        Some('-' | '+') => matches!(chars.get(1), None | Some(' ' | '\t' | '-' | '+')).then_some(0),
        _ if (1..=9).contains(&digits) && matches!(chars.get(digits), Some('.' | ')')) => {
            Some(digits)
        }
        _ => None,
    };
    for (i, &c) in chars.iter().enumerate() {
        let underscore_opens = c == '_' && !intraword(&chars, i);
        if ALWAYS.contains(&c) || underscore_opens || marker == Some(i) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the `_` at `i` stands between letters or digits (`first_last`), where CommonMark
/// never reads it as emphasis.
fn intraword(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).and_then(|b| chars.get(b));
    let after = chars.get(i + 1);
    before.is_some_and(|c| c.is_alphanumeric())
        && after.is_some_and(|&c| c.is_alphanumeric() || c == '_')
}
