//! The front matter as the lines it is written in: each top-level key with the lines of its
//! value, so that one key's value can be rewritten and every other byte kept.
//!
//! It reads only what it is sure of: a key at the start of a line, and a value that is a
//! scalar on the key's line, a one-line flow list (`[a, b]`) or a block list (`- a` lines).
//! Any other form of a key it is asked to change (a multi-line value, a nested map) is
//! refused; what it writes is checked by the caller with the loader itself.

use std::ops::Range;

use crate::content::front_matter::read_with_serde_saphyr;

/// How a list is written: kept when a list is rewritten, copied when one is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ListStyle {
    /// `key: [a, b]`: what is written after `[` (and before `]`), and between two items.
    Flow { padding: String, separator: String },
    /// `key:` and then a `- a` line for each item, after this indentation.
    Block { indent: String },
}

impl Default for ListStyle {
    /// Block lists at the key's indentation, as serde-saphyr and the importers write them.
    fn default() -> Self {
        ListStyle::Block {
            indent: String::new(),
        }
    }
}

/// A value the editor writes for a key.
#[derive(Debug, Clone, Copy)]
pub(super) enum NewValue<'a> {
    /// A list of text items, each written as YAML by [`scalar`].
    List(&'a [String]),
    /// A scalar, already YAML (`true`, or what [`scalar`] made of a slug).
    Scalar(&'a str),
}

/// A key's value written in a form this module does not rewrite, and the line (0-based,
/// within the front matter) where the key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unsupported {
    pub line: usize,
    pub form: &'static str,
}

/// The front matter's YAML, line by line, each line with its own line ending.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    lines: Vec<String>,
    /// The file's line ending, for the lines the editor adds.
    newline: &'static str,
}

/// One top-level key's value as it is written.
#[derive(Debug, Clone, PartialEq)]
enum Written {
    /// Nothing after `key:` (YAML's null), perhaps a comment.
    Nothing,
    /// One scalar on the key's line.
    Scalar,
    /// A one-line flow list: its bytes in the line (from `[` to `]`) and each item's.
    Flow(Range<usize>, Vec<Range<usize>>),
    /// A block list: each item's line and the item's bytes in it.
    Block(Vec<(usize, Range<usize>)>),
}

/// Where a top-level key is: its line, and the end (exclusive) of the lines of its value.
#[derive(Debug, Clone, Copy)]
struct Entry {
    line: usize,
    end: usize,
}

impl Lines {
    /// The lines of `yaml`; `newline` is written at the end of every line added.
    pub(super) fn new(yaml: &str, newline: &'static str) -> Lines {
        Lines {
            lines: yaml.split_inclusive('\n').map(str::to_string).collect(),
            newline,
        }
    }

    /// The YAML, with the edits made.
    pub(super) fn text(&self) -> String {
        self.lines.concat()
    }

    /// Whether `key`'s list, as written, holds `items` as this module reads its items: the
    /// error (at the key) if not, or if it is not a list this module can rewrite. A list it
    /// misread would be rewritten wrong.
    pub(super) fn check_list(&self, key: &str, items: &[String]) -> Result<(), Unsupported> {
        let Some(entry) = self.entry(key) else {
            return Ok(());
        };
        let read: Option<Vec<String>> = match self.written(entry)? {
            Written::Nothing => Some(Vec::new()),
            Written::Flow(_, items) => items
                .iter()
                .map(|r| decode(&self.lines[entry.line][r.clone()]))
                .collect(),
            Written::Block(items) => items
                .iter()
                .map(|(line, r)| decode(&self.lines[*line][r.clone()]))
                .collect(),
            Written::Scalar => None,
        };
        if read.as_deref() == Some(items) {
            Ok(())
        } else {
            Err(unsupported(
                entry,
                "a list whose items are not all plain text",
            ))
        }
    }

    /// Writes `value` for `key`: in place if the key is there, at the end if not; `None`
    /// removes the key with the lines of its value. Comments and blank lines among those
    /// lines, and every other line, are kept as they are.
    pub(super) fn set(
        &mut self,
        key: &str,
        value: Option<NewValue<'_>>,
    ) -> Result<(), Unsupported> {
        let Some(entry) = self.entry(key) else {
            if let Some(value) = value {
                self.append(key, value);
            }
            return Ok(());
        };
        match (value, self.written(entry)?) {
            (None, _) => self.remove(entry),
            (Some(NewValue::Scalar(text)), Written::Nothing | Written::Scalar) => {
                self.set_scalar(entry, text);
            }
            (Some(NewValue::List(items)), Written::Nothing) => self.fill_nothing(entry, items),
            (Some(NewValue::List(items)), Written::Flow(span, spans)) => {
                self.set_flow(entry.line, span, &spans, items);
            }
            (Some(NewValue::List(items)), Written::Block(lines)) => self.set_block(&lines, items),
            (Some(NewValue::Scalar(_)), _) => {
                return Err(unsupported(entry, "a list where one value is expected"));
            }
            (Some(NewValue::List(_)), Written::Scalar) => {
                return Err(unsupported(entry, "one value where a list is expected"));
            }
        }
        Ok(())
    }

    /// The line of top-level `key` and the end of its value's lines: every line up to the
    /// next top-level key, less the blank and comment lines just before it.
    fn entry(&self, key: &str) -> Option<Entry> {
        let line = self.lines.iter().position(|l| key_of(l) == Some(key))?;
        let next_key = (line + 1..self.lines.len())
            .find(|&i| starts_entry(&self.lines[i]))
            .unwrap_or(self.lines.len());
        let end = (line + 1..next_key)
            .rev()
            .find(|&i| !is_blank_or_comment(&self.lines[i]))
            .map_or(line + 1, |i| i + 1);
        Some(Entry { line, end })
    }

    /// Where the value on the key line of `entry` starts and ends.
    fn value_on_key_line(&self, entry: Entry) -> Range<usize> {
        let line = &self.lines[entry.line];
        let colon = line.find(':').map_or(line.len(), |i| i + 1);
        let start = colon + leading_spaces(&line[colon..]);
        start..start + value_len(&line[start..])
    }

    /// How the value of `entry` is written.
    fn written(&self, entry: Entry) -> Result<Written, Unsupported> {
        let line = &self.lines[entry.line];
        let value = self.value_on_key_line(entry);
        let below: Vec<usize> = (entry.line + 1..entry.end)
            .filter(|&i| !is_blank_or_comment(&self.lines[i]))
            .collect();
        match (value.is_empty(), below.is_empty()) {
            (true, true) => Ok(Written::Nothing),
            (true, false)
                if self.lines[below[0]]
                    .trim_start_matches(' ')
                    .starts_with('-') =>
            {
                self.block(entry, &below)
            }
            (true, false) => Err(unsupported(entry, "a value over several lines")),
            (false, false) => Err(unsupported(entry, "a value over several lines")),
            (false, true) if line[value.clone()].starts_with('[') => {
                let (_, items) = flow_items(&line[value.clone()]).ok_or(unsupported(
                    entry,
                    "a flow list that is not one line of text items",
                ))?;
                let items = items
                    .into_iter()
                    .map(|r| value.start + r.start..value.start + r.end);
                Ok(Written::Flow(value.clone(), items.collect()))
            }
            (false, true) if line[value.clone()].starts_with(NOT_PLAIN_TEXT) => Err(unsupported(
                entry,
                "a map, a block scalar, an anchor, an alias or a tag",
            )),
            (false, true) => Ok(Written::Scalar),
        }
    }

    /// The items of a block list whose item lines are `lines`: all `- item` at one
    /// indentation, each item one line of text.
    fn block(&self, entry: Entry, lines: &[usize]) -> Result<Written, Unsupported> {
        let not_items = || unsupported(entry, "a list whose items are not one line of text each");
        let mut indent = None;
        let mut items = Vec::with_capacity(lines.len());
        for &i in lines {
            let line = &self.lines[i];
            let spaces = leading_spaces(line);
            if !line[spaces..].starts_with("- ") || *indent.get_or_insert(spaces) != spaces {
                return Err(not_items());
            }
            let at = spaces + 2 + leading_spaces(&line[spaces + 2..]);
            let len = value_len(&line[at..]);
            if len == 0
                || line[at..].starts_with(['-', '['])
                || line[at..].starts_with(NOT_PLAIN_TEXT)
            {
                return Err(not_items());
            }
            items.push((i, at..at + len));
        }
        Ok(Written::Block(items))
    }

    /// Removes the key line of `entry` and the lines of its value, but not the comments
    /// and blank lines among them.
    fn remove(&mut self, entry: Entry) {
        for i in (entry.line..entry.end).rev() {
            if i == entry.line || !is_blank_or_comment(&self.lines[i]) {
                self.lines.remove(i);
            }
        }
    }

    /// `key: old # note` → `key: new # note`; `key:` → `key: new`.
    fn set_scalar(&mut self, entry: Entry, text: &str) {
        let value = self.value_on_key_line(entry);
        let line = &self.lines[entry.line];
        let (before, after) = (&line[..value.start], &line[value.end..]);
        self.lines[entry.line] = if !value.is_empty() {
            format!("{before}{text}{after}")
        } else {
            let key = &line[..line.find(':').unwrap_or(line.len())];
            let gap = if after.starts_with('#') { " " } else { "" };
            format!("{key}: {text}{gap}{after}")
        };
    }

    /// A list where `key:` had nothing: in the file's style, flow on the key's line or
    /// block below it.
    fn fill_nothing(&mut self, entry: Entry, items: &[String]) {
        match self.list_style() {
            style @ ListStyle::Flow { .. } => {
                let flow = flow_text(items, &style, &|_| None);
                self.set_scalar(entry, &flow);
            }
            ListStyle::Block { indent } => {
                let lines: Vec<String> = items.iter().map(|i| self.item_line(&indent, i)).collect();
                let at = entry.line + 1;
                self.lines.splice(at..at, lines);
            }
        }
    }

    /// Rewrites the flow list at `span` of line `line`, whose items are at `spans`, to hold
    /// `items`, in its own style: an item that stays is written as it was.
    fn set_flow(
        &mut self,
        line: usize,
        span: Range<usize>,
        spans: &[Range<usize>],
        items: &[String],
    ) {
        let text = &self.lines[line];
        let style = flow_style(text, &span, spans);
        let written: Vec<(&str, Option<String>)> = spans
            .iter()
            .map(|r| (&text[r.clone()], decode(&text[r.clone()])))
            .collect();
        let kept = |item: &String| {
            let found = written
                .iter()
                .find(|(_, value)| value.as_ref() == Some(item));
            found.map(|(as_written, _)| as_written.to_string())
        };
        let flow = flow_text(items, &style, &kept);
        self.lines[line] = format!("{}{flow}{}", &text[..span.start], &text[span.end..]);
    }

    /// Rewrites a block list's item lines (`lines`: each line and its item's bytes) to hold
    /// `items`: an item that stays keeps its line as it was; a new one gets a line after the
    /// item before it. If the items that stay change order, the items are written anew in
    /// order where the first item was.
    fn set_block(&mut self, lines: &[(usize, Range<usize>)], items: &[String]) {
        let old: Vec<Option<String>> = lines
            .iter()
            .map(|(i, r)| decode(&self.lines[*i][r.clone()]))
            .collect();
        let mut kept = vec![false; old.len()];
        let matched: Vec<Option<usize>> = items
            .iter()
            .map(|item| {
                let i = (0..old.len()).find(|&i| !kept[i] && old[i].as_ref() == Some(item))?;
                kept[i] = true;
                Some(i)
            })
            .collect();
        let order: Vec<usize> = matched.iter().flatten().copied().collect();
        let in_order = order.windows(2).all(|w| w[0] < w[1]);
        let indent = " ".repeat(leading_spaces(&self.lines[lines[0].0]));
        let line_of = |item: &String, at: Option<usize>| match at {
            Some(i) => self.lines[lines[i].0].clone(),
            None => self.item_line(&indent, item),
        };
        // The lines to write ahead of each old item line, and (last) after the last.
        let mut ahead: Vec<Vec<String>> = vec![Vec::new(); old.len() + 1];
        let mut slot = 0;
        for (item, &at) in items.iter().zip(&matched) {
            match at {
                Some(i) if in_order => slot = i + 1,
                _ => ahead[slot].push(line_of(item, at)),
            }
        }
        if !in_order {
            kept.fill(false);
        }
        self.splice_items(lines, ahead, &kept);
    }

    /// Writes the lines of a block list anew: `ahead[i]` before old item line `i` (and the
    /// last of `ahead` after the last), and old item line `i` only if `kept[i]`.
    fn splice_items(
        &mut self,
        lines: &[(usize, Range<usize>)],
        ahead: Vec<Vec<String>>,
        kept: &[bool],
    ) {
        let mut out =
            Vec::with_capacity(self.lines.len() + ahead.iter().map(Vec::len).sum::<usize>());
        let mut ahead = ahead.into_iter();
        let mut item = 0;
        for (i, line) in std::mem::take(&mut self.lines).into_iter().enumerate() {
            if lines.get(item).is_none_or(|(at, _)| *at != i) {
                out.push(line);
                continue;
            }
            out.extend(ahead.next().unwrap_or_default());
            if kept[item] {
                out.push(line);
            }
            item += 1;
            if item == lines.len() {
                out.extend(ahead.next().unwrap_or_default());
            }
        }
        self.lines = out;
    }

    /// `key: value` (or `key:` and the list's lines) at the end of the front matter.
    fn append(&mut self, key: &str, value: NewValue<'_>) {
        let newline = self.newline;
        match value {
            NewValue::Scalar(text) => self.lines.push(format!("{key}: {text}{newline}")),
            NewValue::List(items) => match self.list_style() {
                style @ ListStyle::Flow { .. } => {
                    let flow = flow_text(items, &style, &|_| None);
                    self.lines.push(format!("{key}: {flow}{newline}"));
                }
                ListStyle::Block { indent } => {
                    let lines: Vec<String> =
                        items.iter().map(|i| self.item_line(&indent, i)).collect();
                    self.lines.push(format!("{key}:{newline}"));
                    self.lines.extend(lines);
                }
            },
        }
    }

    /// The style of the first list in the front matter that has items, or the default.
    fn list_style(&self) -> ListStyle {
        let entries = self.lines.iter().filter_map(|l| self.entry(key_of(l)?));
        for entry in entries {
            match self.written(entry) {
                Ok(Written::Flow(span, spans)) if !spans.is_empty() => {
                    let line = &self.lines[entry.line];
                    return flow_style(line, &span, &spans);
                }
                Ok(Written::Block(items)) => {
                    let indent = leading_spaces(&self.lines[items[0].0]);
                    return ListStyle::Block {
                        indent: " ".repeat(indent),
                    };
                }
                _ => {}
            }
        }
        ListStyle::default()
    }

    fn item_line(&self, indent: &str, item: &str) -> String {
        format!("{indent}- {}{}", scalar(item), self.newline)
    }
}

/// What a value may start with that makes it more than plain text to YAML: a map, a block
/// scalar, an anchor, an alias, a tag, a directive.
const NOT_PLAIN_TEXT: [char; 7] = ['{', '|', '>', '&', '*', '!', '%'];

fn unsupported(entry: Entry, form: &'static str) -> Unsupported {
    Unsupported {
        line: entry.line,
        form,
    }
}

/// The top-level key a line starts, if it is written plainly: `key:` at the line's start,
/// then a space or the line's end.
fn key_of(line: &str) -> Option<&str> {
    let (key, rest) = line.split_once(':')?;
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let ends = rest.is_empty() || rest.starts_with([' ', '\r', '\n']);
    (plain && ends).then_some(key)
}

/// Whether a line begins a new top-level entry, and so ends the one before: anything at
/// the line's start but a list item, a comment or a blank.
fn starts_entry(line: &str) -> bool {
    !line.is_empty() && !line.starts_with([' ', '-', '#', '\r', '\n'])
}

fn is_blank_or_comment(line: &str) -> bool {
    let text = line.trim_start_matches(' ');
    text.trim_end().is_empty() || text.starts_with('#')
}

fn leading_spaces(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// The length of the value at the start of `text` (the rest of a line): a quoted scalar to
/// its closing quote, a flow list to its `]`, a plain scalar up to a comment (`#` after a
/// space) or the line's end; less trailing spaces. Nothing, if `text` starts a comment.
fn value_len(text: &str) -> usize {
    let line = text.trim_end_matches(['\r', '\n']);
    let end = match line.chars().next() {
        Some('#') | None => 0,
        Some(quote @ ('"' | '\'')) => closing_quote(line, quote).map_or(line.len(), |i| i + 1),
        Some('[') => flow_items(line).map_or(line.len(), |(end, _)| end),
        Some(_) => line.find(" #").unwrap_or(line.len()),
    };
    line[..end].trim_end_matches(' ').len()
}

/// The flow list at the start of `text`: where it ends (after its `]`) and where each of
/// its items is. `None` if it holds a nested list or map, or is not closed on the line.
fn flow_items(text: &str) -> Option<(usize, Vec<Range<usize>>)> {
    let mut items = Vec::new();
    let mut at = 1;
    loop {
        at += leading_spaces(&text[at..]);
        let rest = &text[at..];
        let len = match rest.chars().next()? {
            ']' if items.is_empty() => return Some((at + 1, items)),
            '[' | '{' | ']' | ',' => return None,
            quote @ ('"' | '\'') => closing_quote(rest, quote)? + 1,
            _ => rest
                .find([',', ']'])
                .map(|i| rest[..i].trim_end_matches(' ').len())?,
        };
        items.push(at..at + len);
        at += len;
        at += leading_spaces(&text[at..]);
        match text[at..].chars().next()? {
            ',' => at += 1,
            ']' => return Some((at + 1, items)),
            _ => return None,
        }
    }
}

/// The style of the flow list at `span` of `line`, its items at `spans`: the spaces after
/// its `[`, and what is between its first two items.
fn flow_style(line: &str, span: &Range<usize>, spans: &[Range<usize>]) -> ListStyle {
    let padding = " ".repeat(leading_spaces(&line[span.start + 1..span.end]));
    let separator = match spans {
        [first, second, ..] => line[first.end..second.start].to_string(),
        _ => ", ".to_string(),
    };
    ListStyle::Flow { padding, separator }
}

/// The byte index of the quote that closes the quoted scalar `text` starts with.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quote == '"' => escaped = true,
            '\'' if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// What YAML reads a scalar as, as text; `None` if it is not one scalar.
fn decode(written: &str) -> Option<String> {
    read_with_serde_saphyr::<String>(written).ok()
}

/// `[a, b]` in `style`: each item as `kept` says it was written, or anew.
fn flow_text(
    items: &[String],
    style: &ListStyle,
    kept: &dyn Fn(&String) -> Option<String>,
) -> String {
    let (padding, separator) = match style {
        ListStyle::Flow { padding, separator } => (padding.as_str(), separator.as_str()),
        ListStyle::Block { .. } => ("", ", "),
    };
    let written: Vec<String> = items
        .iter()
        .map(|item| kept(item).unwrap_or_else(|| scalar(item)))
        .collect();
    format!("[{padding}{}{padding}]", written.join(separator))
}

/// `text` as a YAML scalar: plain where any YAML reader takes it for text (letters, digits,
/// spaces and `-_.'`, starting with a letter, no double or trailing space, and not a word
/// some YAML version reads as a boolean or null), else double-quoted with JSON's escapes,
/// which YAML shares. Plain scalars hold no `,[]{}`, so either form fits in a flow list.
pub(super) fn scalar(text: &str) -> String {
    const NOT_TEXT: [&str; 10] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan",
    ];
    let plain = text.starts_with(|c: char| c.is_alphabetic())
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '\''))
        && !NOT_TEXT.contains(&text.to_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        serde_json::Value::from(text).to_string()
    }
}
