//! Every kind of content error: a non-zero exit, a message naming the file and line, and
//! the previous output left exactly as it was.

use crate::common::*;

/// Breaks the fixture with `edit`, runs `chorus build`, and returns stderr after checking
/// the build failed, named `file` with a line, and left the old `public/` intact.
fn failing_build(edit: impl FnOnce(&std::path::Path), file_and_line: &str) -> String {
    let site = fixture("basic");
    let first = chorus(site.path(), &["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&site.path().join("public"));
    edit(site.path());
    let output = chorus(site.path(), &["build"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(file_and_line),
        "expected `{file_and_line}` in:\n{message}"
    );
    assert_eq!(
        snapshot(&site.path().join("public")),
        before,
        "public/ changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
    message
}

const QUOTE: &str = "content/quotes/workforce/workforce-001.md";

#[test]
fn bad_yaml() {
    let m = failing_build(
        |root| {
            write(
                root,
                QUOTE,
                "---\nid: [workforce-001\nprovenance: verbatim\n---\nWords.\n",
            )
        },
        "content/quotes/workforce/workforce-001.md:2:",
    );
    assert!(m.contains("error"), "{m}");
}

#[test]
fn unknown_key_lists_the_allowed_ones() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/workforce/01-working.md",
                "---\ntitle: W\nweight: 1\ncolour: red\n---\nText.\n",
            )
        },
        "content/summaries/workforce/01-working.md:4:1",
    );
    assert!(
        m.contains("unknown field `colour`")
            && m.contains(
                "title, weight, themes, content_note, aliases, updated, changes, lint_allow, draft"
            ),
        "{m}"
    );
}

#[test]
fn wrong_type() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/workforce/01-working.md",
                "---\ntitle: W\nweight: first\n---\nText.\n",
            )
        },
        "content/summaries/workforce/01-working.md:3:9",
    );
    assert!(m.contains("expected a whole number"), "{m}");
}

#[test]
fn missing_required_field() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/adults/01-kinship.md",
                "---\nweight: 1\n---\nText.\n",
            )
        },
        "content/summaries/adults/01-kinship.md:2:1",
    );
    assert!(m.contains("missing field `title`"), "{m}");
}

#[test]
fn duplicate_id() {
    let m = failing_build(
        |root| {
            let text = std::fs::read_to_string(root.join(QUOTE)).unwrap();
            write(root, "content/quotes/workforce/copy.md", &text);
        },
        "content/quotes/workforce/",
    );
    assert!(m.contains("the id `workforce-001` is already used"), "{m}");
    assert!(m.contains(":2:5"), "points at the id value: {m}");
}

#[test]
fn duplicate_slug_by_case() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/Accessibility.md",
                "---\ntitle: Another\n---\nText.\n",
            )
        },
        "ccessibility.md",
    );
    assert!(m.contains("is the same as that of"), "{m}");
}

#[test]
fn unknown_quote_id() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/adults/01-kinship.md",
                "---\ntitle: K\nweight: 1\n---\n\nIntro.\n\n{{ quote(id=\"adults-999\") }}\n\n{{ quote(id=\"adults-001\") }}\n",
            )
        },
        "content/summaries/adults/01-kinship.md:8:1",
    );
    assert!(
        m.contains("there is no quote with the id `adults-999`"),
        "{m}"
    );
}

#[test]
fn unclosed_shortcode() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/adults/01-kinship.md",
                "---\ntitle: K\nweight: 1\n---\n\n{{ quote(id=\"adults-001\")\n",
            )
        },
        "content/summaries/adults/01-kinship.md:6:1",
    );
    assert!(m.contains("not closed"), "{m}");
}

#[test]
fn unknown_closed_vocabulary_term() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/adults/01-kinship.md",
                "---\ntitle: K\nweight: 1\nthemes: [kinship-care, poverty]\n---\n\n{{ quote(id=\"adults-001\") }}\n",
            )
        },
        "content/summaries/adults/01-kinship.md:4:24",
    );
    assert!(
        m.contains("`poverty` is not in the closed themes vocabulary"),
        "{m}"
    );
}

#[test]
fn invalid_date() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/news/first.md",
                "---\ntitle: First news\ndate: 2021-02-30\n---\nNews.\n",
            )
        },
        "content/news/first.md:3:",
    );
    assert!(
        m.contains("2021-02-30") && m.contains("not a real date"),
        "{m}"
    );
}

#[test]
fn invalid_utf8() {
    let m = failing_build(
        |root| {
            std::fs::write(
                root.join("content/accessibility.md"),
                b"---\ntitle: A\n---\nCaf\xe9\n",
            )
            .unwrap()
        },
        "content/accessibility.md:4:4",
    );
    assert!(m.contains("not valid UTF-8"), "{m}");
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture("basic");
    let path = site.path().join("content/accessibility.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reads, so make the path a broken link.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(site.path().join("missing.md"), &path).unwrap();
    }
    let output = chorus(site.path(), &["build"]);
    let m = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{m}");
    assert!(m.contains("content/accessibility.md"), "{m}");
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let m = failing_build(
        |root| {
            write(
                root,
                "content/summaries/adults/01-kinship.md",
                "---\ntitle: K\nweight: x\n---\n",
            );
            write(
                root,
                "content/news/first.md",
                "---\ntitle: N\ndate: 2021-13-01\n---\n",
            );
        },
        "content/summaries/adults/01-kinship.md:3:",
    );
    assert!(m.contains("content/news/first.md:3:"), "{m}");
    assert!(m.contains("2 errors"), "{m}");
}

#[test]
fn a_base_url_without_a_scheme_is_refused() {
    let m = failing_build(
        |root| {
            write(
                root,
                "site.yaml",
                "title: T\nbase_url: example.org/review/\n",
            )
        },
        "site.yaml:2:1",
    );
    assert!(m.contains("no scheme"), "{m}");
}

#[test]
fn a_missing_theme_is_named() {
    let m = failing_build(
        |root| {
            write(
                root,
                "site.yaml",
                "title: T\nbase_url: https://example.org/\ntheme: nope\n",
            )
        },
        "site.yaml",
    );
    assert!(m.contains("the theme `nope` does not exist"), "{m}");
}

#[test]
fn a_template_syntax_error_names_the_template_line() {
    let m = failing_build(
        |root| {
            write(
                root,
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock content %}\n",
            )
        },
        "templates/page.html:3:",
    );
    assert!(m.contains("template error"), "{m}");
}

#[test]
fn a_template_reading_an_undefined_variable_is_an_error() {
    let m = failing_build(
        |root| {
            write(
                root,
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nothing_here }}\n{% endblock content %}\n",
            )
        },
        "templates/page.html:3:",
    );
    assert!(m.contains("template error"), "{m}");
}

#[test]
fn a_symbolic_link_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for publication").unwrap();
    let target = outside.path().join("secret.txt");
    let m = failing_build(
        |root| std::os::unix::fs::symlink(&target, root.join("content/leak.txt")).unwrap(),
        "content/leak.txt",
    );
    assert!(m.contains("outside the site"), "{m}");
}

#[test]
fn a_file_in_a_linked_folder_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for publication").unwrap();
    let folder = outside.path().to_path_buf();
    let m = failing_build(
        |root| std::os::unix::fs::symlink(&folder, root.join("content/linked")).unwrap(),
        "content/linked/secret.txt",
    );
    assert!(m.contains("outside the site"), "{m}");
}
