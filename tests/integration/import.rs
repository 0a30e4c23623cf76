//! `chorus import`: spreadsheet exports with consent, on a site made by `chorus new`. The
//! fixtures (`tests/fixtures/intake/`) are a Citizen Space-style CSV (BOM, CRLF, multi-line
//! cells, hostile text) and a Microsoft Forms-style XLSX; the tests read them on their own
//! (with `csv` and `calamine`) to know what each row may and may not publish.

use std::path::{Path, PathBuf};

use crate::common::{chorus, page, repo, select, snapshot, stderr, text};

/// A site made by `chorus new` in a temporary folder: (folder, site root).
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = chorus(dir.path(), &["new", "site"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let root = dir.path().join("site");
    (dir, root)
}

fn intake(name: &str) -> String {
    repo()
        .join("tests/fixtures/intake")
        .join(name)
        .display()
        .to_string()
}

fn import(root: &Path, export: &str, mapping: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", export, "--mapping", mapping];
    args.extend_from_slice(extra);
    chorus(root, &args)
}

/// A new site with `export` imported by `mapping` (fixtures under tests/fixtures/intake/):
/// (folder, site root, the import's output). The import must succeed.
fn imported(export: &str, mapping: &str) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let (dir, root) = new_site();
    let output = import(&root, &intake(export), &intake(mapping), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, root, output)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The export's header row and rows, read independently of Chorus.
fn read_export(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let rows: Vec<Vec<String>> = if path.ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .expect("open csv");
        reader
            .records()
            .map(|r| {
                r.expect("csv row")
                    .iter()
                    .map(|c| c.trim_start_matches('\u{feff}').to_string())
                    .collect()
            })
            .collect()
    } else {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(path).expect("open workbook");
        let range = book
            .worksheet_range_at(0)
            .expect("a sheet")
            .expect("read sheet");
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let mut rows = rows.into_iter();
    let headers = rows.next().expect("header row");
    (headers, rows.collect())
}

/// Every file under the site's content, data and output, as text.
fn every_file(root: &Path) -> Vec<(PathBuf, String)> {
    ["content", "data", "public"]
        .iter()
        .flat_map(|dir| {
            snapshot(&root.join(dir))
                .into_iter()
                .map(move |(p, b)| (PathBuf::from(dir).join(p), b))
        })
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

/// The pieces of `text` that survive any escaping (HTML, JSON, CSV, Markdown): the runs
/// between quotes, ampersands, angle brackets, backslashes and line breaks, of 8 characters
/// or more.
fn fragments(text: &str) -> Vec<String> {
    text.split([
        '\'', '"', '&', '<', '>', '\n', '\r', '\\', '*', '[', ']', '{', '}', '|', '#', '_', '~',
        '`',
    ])
    .map(str::trim)
    .filter(|f| f.chars().count() >= 8)
    .map(str::to_string)
    .collect()
}

fn assert_nowhere(files: &[(PathBuf, String)], secret: &str, what: &str) {
    for fragment in fragments(secret) {
        for (path, text) in files {
            assert!(
                !text.contains(&fragment),
                "{what}: “{fragment}” is in {}",
                path.display()
            );
        }
    }
}

/// What a fixture's columns are.
struct Export {
    file: &'static str,
    mapping: &'static str,
    id: &'static str,
    consent: &'static str,
    withhold: &'static str,
    anonymous: &'static str,
    names: &'static [&'static str],
    answers: &'static [&'static str],
    /// Columns the mapping does not name, which must never be published.
    unmapped: &'static [&'static str],
}

const CITIZEN_SPACE: Export = Export {
    file: "citizen-space.csv",
    mapping: "citizen-space.yaml",
    id: "Response ID",
    consent: "May we publish your response?",
    withhold: "No, do not publish my response",
    anonymous: "Yes, publish my response, but not my name",
    names: &["What is your name?", "Organisation (if any)"],
    answers: &[
        "What should the community centre offer?",
        "Anything else you would like to tell us?",
    ],
    unmapped: &["Email address", "Postcode"],
};

const FORMS: Export = Export {
    file: "forms.xlsx",
    mapping: "forms.yaml",
    id: "ID",
    consent: "Can we publish what you wrote?",
    withhold: "No",
    anonymous: "Yes, but anonymously",
    names: &[
        "Your name (optional)",
        "Your group or organisation (optional)",
    ],
    answers: &["Your suggestion"],
    unmapped: &[],
};

/// The text of every response page's answer, as readers see it.
fn published_answers(public: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(public.join("responses")).expect("responses folder") {
        let path = entry.expect("entry").path().join("index.html");
        if path.is_file() {
            let html = page(
                public,
                path.strip_prefix(public)
                    .expect("inside")
                    .to_str()
                    .expect("utf-8"),
            );
            texts.extend(select(&html, ".prose.response p").iter().map(text));
        }
    }
    texts
}

fn consent_holds(export: &Export) {
    let (_dir, root, output) = imported(export.file, export.mapping);
    let public = crate::common::build(&root, None);
    let (headers, rows) = read_export(&intake(export.file));
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let files = every_file(&root);
    let answers = published_answers(&public);
    let mut published = 0;
    for row in &rows {
        let consent = row[column(export.consent)].trim();
        let mut names: Vec<&str> = export
            .names
            .iter()
            .map(|n| row[column(n)].as_str())
            .collect();
        // An anonymous respondent's name in their own answer is replaced, longest first.
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for unmapped in export.unmapped {
            assert_nowhere(&files, &row[column(unmapped)], "an unmapped column");
        }
        if consent == export.withhold {
            for cell in export
                .answers
                .iter()
                .chain(export.names)
                .chain([&export.id])
            {
                assert_nowhere(&files, &row[column(cell)], "a withheld row");
            }
            let report = [(
                PathBuf::from("the report"),
                stdout(&output) + &stderr(&output),
            )];
            assert_nowhere(&report, &row[column(export.id)], "a withheld row's id");
            for answer in export.answers {
                assert_nowhere(&report, &row[column(answer)], "a withheld row");
            }
            continue;
        }
        if consent == export.anonymous {
            for name in &names {
                assert_nowhere(&files, name, "an anonymous row's name");
            }
        }
        for answer in export.answers.iter().map(|a| &row[column(a)]) {
            for line in answer.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let shown = names
                    .iter()
                    .filter(|n| n.len() >= 3)
                    .fold(line.to_string(), |l, n| {
                        if consent == export.anonymous {
                            l.replace(n, "[name removed]")
                        } else {
                            l
                        }
                    });
                assert!(
                    answers.iter().any(|a| a == &shown),
                    "the answer line “{shown}” is not published"
                );
                published += 1;
            }
        }
    }
    assert!(published > 20, "only {published} answer lines checked");
}

#[test]
fn a_citizen_space_csv_publishes_what_each_respondent_allowed_and_nothing_else() {
    consent_holds(&CITIZEN_SPACE);
}

#[test]
fn a_forms_xlsx_publishes_what_each_respondent_allowed_and_nothing_else() {
    consent_holds(&FORMS);
}

/// The content file of the response with `source_id: id`, and its text.
fn file_of(root: &Path, id: &str) -> Option<(PathBuf, String)> {
    let wanted = format!("source_id: {id}\n");
    snapshot(&root.join("content/responses"))
        .into_iter()
        .map(|(p, b)| {
            (
                root.join("content/responses").join(p),
                String::from_utf8_lossy(&b).into_owned(),
            )
        })
        .find(|(_, text)| text.contains(&wanted))
}

/// A CSV of `rows` under `headers`.
fn csv_bytes(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(headers).expect("write header");
    for row in rows {
        writer.write_record(row).expect("write row");
    }
    writer.into_inner().expect("flush")
}

#[test]
fn a_reimport_keeps_editors_work_and_removes_a_withdrawn_response() {
    let (dir, root) = new_site();
    let mapping = intake("citizen-space.yaml");
    let first = import(&root, &intake("citizen-space.csv"), &mapping, &[]);
    assert!(first.status.success(), "{}", stderr(&first));

    // An editor themes a response and gives it a content note.
    let (edited, text) = file_of(&root, "ANON-K3PQ-7Y2K-G").expect("Hamid's response");
    let text = text.replacen(
        "summary: community\n",
        "summary: community\nthemes:\n- opening-hours\ncontent_note:\n- loneliness\nprivacy_reviewed: true\n",
        1,
    );
    std::fs::write(&edited, text).expect("edit");
    let (withdrawn, _) = file_of(&root, "ANON-K3PQ-7Y2E-B").expect("Tomasz's response");

    // The next export: one respondent withdraws, one answer changes, one response is new.
    let (headers, mut rows) = read_export(&intake("citizen-space.csv"));
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, consent, answer) = (
        column("Response ID"),
        column("May we publish your response?"),
        column("What should the community centre offer?"),
    );
    for row in rows.iter_mut() {
        if row[id] == "ANON-K3PQ-7Y2E-B" {
            row[consent] = "No, do not publish my response".to_string();
        }
        if row[id] == "ANON-K3PQ-7Y2K-G" {
            row[answer] =
                "A tenants' meeting room, free on the first Monday of the month.".to_string();
        }
    }
    let mut new_row = rows[0].clone();
    new_row[id] = "ANON-NEW1-0000-Z".to_string();
    new_row[answer] = "Showers for rough sleepers, no booking needed.".to_string();
    rows.push(new_row);
    let export = dir.path().join("next.csv");
    std::fs::write(&export, csv_bytes(&headers, &rows)).expect("export");
    let export = export.display().to_string();

    let before = snapshot(&root);
    let plan = import(&root, &export, &mapping, &["--dry-run"]);
    assert!(plan.status.success(), "{}", stderr(&plan));
    assert_eq!(snapshot(&root), before, "a dry run wrote something");
    let planned = stdout(&plan);
    assert!(planned.contains("remove (consent withdrawn)"), "{planned}");
    assert!(
        planned.contains("1 files would be added, 1 updated"),
        "{planned}"
    );

    let second = import(&root, &export, &mapping, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !withdrawn.exists(),
        "the withdrawn response's file is still there"
    );
    let (path, text) = file_of(&root, "ANON-K3PQ-7Y2K-G").expect("Hamid's response");
    assert_eq!(path, edited, "the response moved to another file");
    for kept in [
        "- opening-hours\n",
        "content_note:\n- loneliness\n",
        "privacy_reviewed: true\n",
    ] {
        assert!(
            text.contains(kept),
            "the editor's `{kept}` is gone:\n{text}"
        );
    }
    assert!(text.contains("A tenants' meeting room"), "{text}");
    let (added, _) = file_of(&root, "ANON-NEW1-0000-Z").expect("the new response");
    assert!(added.ends_with("response-0027.md"), "{}", added.display());

    crate::common::build(&root, None);
    let files = every_file(&root);
    assert_nowhere(
        &files,
        "A repair café once a month, where neighbours fix",
        "a withdrawn response",
    );
    assert_nowhere(&files, "we say more of the same", "replaced text");

    // The same export again changes nothing.
    let content = snapshot(&root.join("content"));
    let third = import(&root, &export, &mapping, &[]);
    assert!(
        stdout(&third).contains("0 files were added, 0 updated, 24 kept unchanged, 0 removed"),
        "{}",
        stdout(&third)
    );
    assert_eq!(snapshot(&root.join("content")), content);
}

#[test]
fn open_data_csv_cells_cannot_run_as_formulas_and_json_keeps_the_text() {
    let (_dir, root, _) = imported(FORMS.file, FORMS.mapping);
    let public = crate::common::build(&root, None);
    let mut reader = csv::Reader::from_path(public.join("data/responses.csv")).expect("csv");
    let text = reader
        .headers()
        .expect("headers")
        .iter()
        .position(|h| h == "text")
        .expect("text column");
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[text].to_string())
        .collect();
    for start in ["'@everyone should know", "'-5°C mornings"] {
        assert!(
            cells.iter().any(|c| c.starts_with(start)),
            "no cell starts with {start}: {cells:?}"
        );
    }
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/responses.json")).expect("json"))
            .expect("parse");
    let texts: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    for start in ["@everyone should know", "-5°C mornings"] {
        assert!(
            texts.iter().any(|t| t.starts_with(start)),
            "no JSON text starts with {start}"
        );
    }
}

#[test]
fn topics_are_matched_by_name_and_new_ones_added_to_the_vocabulary() {
    let (_dir, root, output) = imported("citizen-space.csv", "citizen-space.yaml");
    let report = stdout(&output);
    assert!(
        report.contains("Parking (parking)") && report.contains("Youth work (youth-work)"),
        "{report}"
    );
    let vocabulary = std::fs::read_to_string(root.join("data/topics.yaml")).expect("topics");
    assert!(
        vocabulary.starts_with("# Topics"),
        "the file's comment is gone"
    );
    let terms: Vec<chorus::vocabulary::Term> =
        serde_saphyr::from_str(&vocabulary).expect("vocabulary parses");
    let slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "opening-hours",
            "transport",
            "activities",
            "parking",
            "youth-work"
        ]
    );
    // "opening hours ; ACTIVITIES" is two known topics.
    let (_, text) = file_of(&root, "ANON-K3PQ-7Y2R-N").expect("Lin's response");
    assert!(
        text.contains("topics:\n- opening-hours\n- activities\n"),
        "{text}"
    );
}

#[test]
fn the_report_points_at_each_privacy_flag() {
    let (_dir, root, output) = imported("citizen-space.csv", "citizen-space.yaml");
    let report = stdout(&output);
    let flag = report
        .lines()
        .find(|l| l.contains("[privacy/phone]"))
        .expect("a phone flag");
    let mut parts = flag.trim().split(':');
    let (file, line) = (parts.next().expect("file"), parts.next().expect("line"));
    let line: usize = line.parse().expect("a line number");
    let text = std::fs::read_to_string(root.join(file)).expect("flagged file");
    assert!(
        text.lines()
            .nth(line - 1)
            .expect("the line")
            .contains("0113 496 0123"),
        "{flag}"
    );
    assert!(
        !report.contains("0113 496 0123"),
        "the report repeats personal data"
    );
    let check = chorus(&root, &["check"]);
    assert!(
        stderr(&check).contains("privacy/phone"),
        "{}",
        stderr(&check)
    );
}

/// A small mapping for the bad-file cases: columns ID, Answer, Name, Consent.
const SIMPLE_MAPPING: &str = "id: ID\nbody: Answer\nrespondent: Name\nconsent:\n  column: Consent\n  named: [Named]\n  anonymous: [Anonymous]\n  withhold: [Withhold]\n";

/// Writes `export` (a CSV's bytes) and the simple mapping into `dir` as `export.csv` and
/// `mapping.yaml`, and imports them into the site at `root`.
fn import_simple(dir: &Path, root: &Path, export: &[u8], extra: &[&str]) -> std::process::Output {
    std::fs::write(dir.join("mapping.yaml"), SIMPLE_MAPPING).expect("mapping");
    std::fs::write(dir.join("export.csv"), export).expect("export");
    import(
        root,
        &dir.join("export.csv").display().to_string(),
        &dir.join("mapping.yaml").display().to_string(),
        extra,
    )
}

/// Imports `export` (bytes of a CSV) with the simple mapping into a new site: the run
/// must fail, leave the site as it was and report every one of `expected` in its errors.
fn refused(export: &[u8], expected: &[&str]) {
    let (dir, root) = new_site();
    let before = snapshot(&root);
    let output = import_simple(dir.path(), &root, export, &[]);
    let errors = stderr(&output);
    assert!(!output.status.success(), "accepted: {}", stdout(&output));
    for wanted in expected {
        assert!(errors.contains(wanted), "expected “{wanted}” in:\n{errors}");
    }
    assert!(errors.contains("the site was not changed"), "{errors}");
    assert_eq!(snapshot(&root), before, "a failed import changed the site");
}

#[test]
fn a_missing_mapped_column_is_named_with_the_headers_there_are() {
    refused(
        b"ID,Answers,Name,Consent\n1,Hello there,Ann,Named\n",
        &[
            "mapping.yaml:2:7",
            "no column \u{201c}Answer\u{201d}",
            "\u{201c}Answers\u{201d}",
        ],
    );
}

#[test]
fn a_duplicate_id_names_both_rows() {
    refused(
        b"ID,Answer,Name,Consent\n7,One,Ann,Named\n8,Two,Bob,Named\n7,Three,Cy,Named\n",
        &[
            "export.csv:4:1",
            "row 4, column A (\u{201c}ID\u{201d}): the id is the same as row 2's",
        ],
    );
}

#[test]
fn a_ragged_row_is_named_with_its_cell_count() {
    refused(
        b"ID,Answer,Name,Consent\n1,One,Ann,Named\n2,Two, with a comma,Bob,Named\n",
        &["export.csv:3:1", "row 3: it has 5 cells, the header row 4"],
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_the_cell() {
    refused(
        b"ID,Answer,Name,Consent\n1,Caf\xe9 culture,Ann,Named\n",
        &[
            "row 2, column B (\u{201c}Answer\u{201d})",
            "not UTF-8",
            "CSV UTF-8",
        ],
    );
}

#[test]
fn an_empty_id_is_refused() {
    refused(
        b"ID,Answer,Name,Consent\n1,One,Ann,Named\n ,Two,Bob,Named\n",
        &["row 3, column A (\u{201c}ID\u{201d}): the id is empty"],
    );
}

#[test]
fn a_consent_the_mapping_does_not_list_is_never_guessed() {
    refused(
        b"ID,Answer,Name,Consent\n1,One,Ann,Named\n2,Two,Bob,Yes please\n",
        &[
            "row 3, column D (\u{201c}Consent\u{201d}): the consent answer \u{201c}Yes please\u{201d} is not in the mapping",
        ],
    );
}

#[test]
fn every_error_of_an_export_is_reported_together() {
    refused(
        b"\xef\xbb\xbfID,Answer,Name,Consent\r\n1,One,Ann,Maybe\r\n1,Two,Bob,Named\r\n,Three,Cy,Named\r\n",
        &["row 2, column D", "row 3, column A", "row 4, column A", "3 errors"],
    );
}

#[test]
fn a_bom_and_crlf_line_ends_are_read_as_usual() {
    let (dir, root) = new_site();
    let output = import_simple(
        dir.path(),
        &root,
        b"\xef\xbb\xbfID,Answer,Name,Consent\r\n1,\"First line\r\nSecond line\",Ann,Named\r\n",
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let (_, text) = file_of(&root, "\"1\"")
        .or_else(|| file_of(&root, "'1'"))
        .expect("the response");
    assert!(
        text.ends_with("---\n\nFirst line\n\nSecond line\n"),
        "{text}"
    );
    assert!(text.contains("respondent: Ann\n"), "{text}");
}

/// A small deterministic generator (xorshift), so that the hostile-text test is the same
/// on every run and its failures can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What Markdown, HTML, the sanitiser and the shortcode scanner might read as syntax, with
/// letters, digits, spaces, line breaks and non-ASCII text between.
const HOSTILE: &[&str] = &[
    "\\",
    "`",
    "``",
    "*",
    "**",
    "_",
    "__",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "</",
    "&",
    "&amp;",
    "&#60;",
    "|",
    "~",
    "~~",
    "{",
    "{{",
    "}}",
    "#",
    "## ",
    "!",
    "![",
    "-",
    "- ",
    "--",
    "---",
    "+",
    "+ ",
    "=",
    "==",
    "1.",
    "2)",
    ":",
    ";",
    "^",
    "$",
    "'",
    "\"",
    ".",
    "...",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "a",
    "word",
    "Ŵyn",
    "naïve",
    "Жизнь",
    "中文",
    "🙂",
    "x_y",
    "<script>alert(1)</script>",
    "<b>",
    "<!--",
    "-->",
    "http://example.org",
    "[x](javascript:alert(1))",
    "{{ quote(id=\"a\") }}",
    "    ",
    "1. ",
    "> ",
    "<https://example.org>",
    "[^1]",
    "\\*",
    "@",
];

fn hostile_text(random: &mut Random) -> String {
    let mut text = String::new();
    for _ in 0..1 + random.below(12) {
        text.push_str(HOSTILE[random.below(HOSTILE.len())]);
        if random.below(3) == 0 {
            text.push(' ');
        }
    }
    text
}

/// The paragraphs a reader should see for an answer: one per non-blank line, spaces
/// collapsed as HTML shows them.
fn expected_paragraphs(answer: &str) -> Vec<String> {
    answer
        .split(['\n', '\r'])
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn any_text_a_respondent_types_is_published_as_that_text() {
    let (dir, root) = new_site();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let answers: Vec<String> = (0..300)
        .map(|_| hostile_text(&mut random))
        .filter(|a| !expected_paragraphs(a).is_empty())
        .collect();
    let headers = ["ID", "Answer", "Name", "Consent"].map(String::from);
    let rows: Vec<Vec<String>> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                format!("R{i}"),
                a.clone(),
                String::new(),
                "Named".to_string(),
            ]
        })
        .collect();
    let output = import_simple(dir.path(), &root, &csv_bytes(&headers, &rows), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = crate::common::build(&root, None);
    for (i, answer) in answers.iter().enumerate() {
        let html = page(
            &public,
            &format!("responses/response-{:04}/index.html", i + 3),
        );
        let shown: Vec<String> = select(&html, ".prose.response > *")
            .iter()
            .map(text)
            .collect();
        assert_eq!(shown, expected_paragraphs(answer), "answer {i}: {answer:?}");
        assert!(
            select(&html, ".prose.response > :not(p)").is_empty(),
            "answer {i} made markup: {answer:?}"
        );
    }
}

#[test]
fn two_files_with_one_source_id_are_refused() {
    let (dir, root) = new_site();
    let export = b"ID,Answer,Name,Consent\nA1,One,Ann,Named\n";
    let first = import_simple(dir.path(), &root, export, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let (path, text) = file_of(&root, "A1").expect("the response");
    std::fs::write(path.with_file_name("copy.md"), text).expect("copy");
    let before = snapshot(&root);
    let again = import_simple(dir.path(), &root, export, &[]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("the same `source_id` as content/responses/"),
        "{}",
        stderr(&again)
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn lists_of_responses_with_questions_repeat_no_heading_id() {
    let (_dir, root, _) = imported("citizen-space.csv", "citizen-space.yaml");
    let public = crate::common::build(&root, None);
    let list = page(&public, "responses/index.html");
    let mut ids: Vec<&str> = select(&list, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        count,
        "a heading id repeats on the list of responses"
    );
    assert!(
        select(&list, ".card__text h2, .card__text h3").is_empty(),
        "a card holds a heading"
    );
    assert!(
        !select(&list, ".card__text .card__question").is_empty(),
        "the cards lost their questions"
    );
    // The response's own page keeps its questions as headings.
    let (path, _) = file_of(&root, "ANON-K3PQ-7Y2K-G").expect("a two-answer response");
    let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
    let own = page(&public, &format!("responses/{stem}/index.html"));
    let questions: Vec<String> = select(&own, ".prose.response h2")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        questions,
        [
            "What should the community centre offer?",
            "Anything else you would like to tell us?"
        ]
    );
}

#[test]
fn a_mapping_names_a_summary_by_its_slug() {
    let (dir, root) = new_site();
    std::fs::rename(
        root.join("content/summaries/community"),
        root.join("content/summaries/01-community"),
    )
    .expect("rename the summary folder");
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "ID,Answer,Name,Consent\nA1,One,Ann,Named\n").expect("export");
    let mapping = dir.path().join("mapping.yaml");
    for (summary, accepted) in [("community", true), ("communities", false)] {
        std::fs::write(&mapping, format!("{SIMPLE_MAPPING}summary: {summary}\n")).expect("mapping");
        let output = import(
            &root,
            &export.display().to_string(),
            &mapping.display().to_string(),
            &["--dry-run"],
        );
        assert_eq!(
            output.status.success(),
            accepted,
            "{summary}: {}",
            stderr(&output)
        );
        if !accepted {
            assert!(
                stderr(&output).contains("mapping.yaml:9:10: there is no summary `communities`"),
                "{}",
                stderr(&output)
            );
        }
    }
}
