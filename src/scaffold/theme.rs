//! The `review` theme, embedded in the binary so that `chorus new` can copy it anywhere.
//!
//! The list is kept by hand: `tests/publish.rs` compares it with `themes/review/` and fails,
//! naming the missing line, when a theme file is added, renamed or removed there.

/// Every file of `themes/review/`, by its path relative to that folder, with its bytes.
pub const FILES: &[(&str, &[u8])] = &[
    ("static/ideas-filter.js", include_bytes!("../../themes/review/static/ideas-filter.js")),
    ("static/print.css", include_bytes!("../../themes/review/static/print.css")),
    ("static/search.css", include_bytes!("../../themes/review/static/search.css")),
    ("static/search.js", include_bytes!("../../themes/review/static/search.js")),
    ("static/style.css", include_bytes!("../../themes/review/static/style.css")),
    ("templates/404.html", include_bytes!("../../themes/review/templates/404.html")),
    ("templates/atom.xml", include_bytes!("../../themes/review/templates/atom.xml")),
    ("templates/base.html", include_bytes!("../../themes/review/templates/base.html")),
    ("templates/data.html", include_bytes!("../../themes/review/templates/data.html")),
    ("templates/idea.html", include_bytes!("../../themes/review/templates/idea.html")),
    ("templates/ideas.html", include_bytes!("../../themes/review/templates/ideas.html")),
    ("templates/index.html", include_bytes!("../../themes/review/templates/index.html")),
    ("templates/news.html", include_bytes!("../../themes/review/templates/news.html")),
    ("templates/news_item.html", include_bytes!("../../themes/review/templates/news_item.html")),
    ("templates/page.html", include_bytes!("../../themes/review/templates/page.html")),
    ("templates/partials/bar_chart.html", include_bytes!("../../themes/review/templates/partials/bar_chart.html")),
    ("templates/partials/breadcrumbs.html", include_bytes!("../../themes/review/templates/partials/breadcrumbs.html")),
    ("templates/partials/content_note.html", include_bytes!("../../themes/review/templates/partials/content_note.html")),
    ("templates/partials/idea_card.html", include_bytes!("../../themes/review/templates/partials/idea_card.html")),
    ("templates/partials/pagination.html", include_bytes!("../../themes/review/templates/partials/pagination.html")),
    ("templates/partials/quote.html", include_bytes!("../../themes/review/templates/partials/quote.html")),
    ("templates/partials/terms.html", include_bytes!("../../themes/review/templates/partials/terms.html")),
    ("templates/quote.html", include_bytes!("../../themes/review/templates/quote.html")),
    ("templates/redirect.html", include_bytes!("../../themes/review/templates/redirect.html")),
    ("templates/robots.txt", include_bytes!("../../themes/review/templates/robots.txt")),
    ("templates/search.html", include_bytes!("../../themes/review/templates/search.html")),
    ("templates/section.html", include_bytes!("../../themes/review/templates/section.html")),
    ("templates/sitemap.xml", include_bytes!("../../themes/review/templates/sitemap.xml")),
    ("templates/summary.html", include_bytes!("../../themes/review/templates/summary.html")),
    ("templates/taxonomy.html", include_bytes!("../../themes/review/templates/taxonomy.html")),
    ("templates/term.html", include_bytes!("../../themes/review/templates/term.html")),
];
