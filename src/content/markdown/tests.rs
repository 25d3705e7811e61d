//! Unit tests of the body pass.

use super::*;
use crate::model::body::Heading;
use crate::model::section::Section;

fn ctx_render(src: &str) -> Body {
    let lookup = |p: &str| {
        (p == "2023/2023-02-07-mail-queue-stall.md")
            .then(|| crate::model::url::incident_url("2023-02-07-mail-queue-stall"))
    };
    let ctx = LinkContext {
        root: "/base/",
        dir: "2024",
        incident_path: &lookup,
        html: true,
        sanitize: false,
        sections: SectionTable::built_in(),
    };
    render(src, 0, &ctx)
}

#[test]
fn html_alone_is_the_html_of_the_full_pass() {
    let src = "## Timeline\n\n- **09:30** [deploy](../2023/2023-02-07-mail-queue-stall.md#x) went out\n  - nested *item*\n\n## Timeline\n\n- [ ] Add an alert[^1]\n- [x] Roll back\n\n```bash\necho hi\n```\n\n| a | b |\n| - | - |\n| `c` | <b>d</b> |\n\n[^1]: See <https://example.com>.\n";
    let lookup = |_: &str| Some(crate::model::url::incident_url("x"));
    for sanitize in [false, true] {
        let ctx = LinkContext {
            root: "/base/",
            dir: "2024",
            incident_path: &lookup,
            html: true,
            sanitize,
            sections: SectionTable::built_in(),
        };
        let full = render(src, 7, &ctx);
        assert!(full.html.contains("timeline-1") && full.html.contains("hl-"));
        assert_eq!(render_html(src, 7, &ctx), full.html);
    }
}

#[test]
fn headings_get_unique_ids_and_anchors() {
    let body = ctx_render("## Timeline\n\ntext\n\n## Timeline\n\n### Custom {#mine}\n");
    let ids: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["timeline", "timeline-1", "mine"]);
    assert!(
        body.html
            .contains("<h2 id=\"timeline\">Timeline<a class=\"anchor\" href=\"#timeline\""),
        "{}",
        body.html
    );
    assert_eq!(body.headings[0].first_paragraph.as_deref(), Some("text"));
    assert_eq!(body.headings[0].offset, 0);
}

#[test]
fn items_keep_their_own_text_and_offsets() {
    let src = "- Oct 29\n  * **12:30 p.m.** - push\n  * 1:30 p.m.: deploy\n- [ ] Add alert (@sre, due 2027-01-01)\n";
    let body = ctx_render(src);
    let texts: Vec<(&str, usize, Option<bool>)> = body
        .items
        .iter()
        .map(|i| (i.text.as_str(), i.depth, i.task))
        .collect();
    assert_eq!(
        texts,
        [
            ("12:30 p.m. - push", 1, None),
            ("1:30 p.m.: deploy", 1, None),
            ("Oct 29", 0, None),
            ("Add alert (@sre, due 2027-01-01)", 0, Some(false))
        ]
    );
    assert_eq!(
        &src[body.items[0].offset..body.items[0].offset + 5],
        "12:30"
    );
}

#[test]
fn links_are_rewritten_and_recorded() {
    let src = "[a](../2023/2023-02-07-mail-queue-stall.md#root) [b](chart.svg) [c](/tags/dns/) [d](#x) [e](https://example.com) [f](javascript:alert(1)) [g](missing.md) [h](../../../etc/passwd)\n";
    let body = ctx_render(src);
    assert!(
        body.html
            .contains("href=\"/base/incidents/2023-02-07-mail-queue-stall/#root\""),
        "{}",
        body.html
    );
    assert!(body.html.contains("href=\"/base/2024/chart.svg\""));
    assert!(body.html.contains("href=\"/base/tags/dns/\""));
    assert!(body.html.contains("href=\"#x\""));
    assert!(body.html.contains("href=\"https://example.com\""));
    assert!(body.html.contains("href=\"#\">f</a>"), "{}", body.html);
    let paths: Vec<&str> = body.links.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "incidents/2023-02-07-mail-queue-stall/",
            "2024/chart.svg",
            "tags/dns/",
            "",
            "content/2024/missing.md",
            "../../../../etc/passwd"
        ]
    );
    assert_eq!(body.links[0].fragment.as_deref(), Some("root"));
    assert_eq!(body.links[1].offset, src.find("[b]").unwrap());
}

#[test]
fn code_is_highlighted_and_not_counted() {
    let body = ctx_render("One two three.\n\n```bash\necho a b c d e f\n```\n\n`inline` four\n");
    assert_eq!(body.words, 5);
    assert!(
        body.html
            .contains("<pre class=\"code\" tabindex=\"0\" data-lang=\"bash\">")
    );
}

#[test]
fn gfm_extensions() {
    let body = ctx_render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n\n- [x] done\n",
    );
    for needle in [
        "<table>",
        "<del>old</del>",
        "footnote-reference",
        "footnote-definition",
        "type=\"checkbox\"",
    ] {
        assert!(body.html.contains(needle), "{needle}: {}", body.html);
    }
}

fn headings(body: &Body) -> Vec<(u8, &str, Origin, Option<Section>)> {
    body.headings
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.origin, h.section()))
        .collect()
}

#[test]
fn html_headings_are_headings_with_anchors() {
    let src = "# Outage\n\n<h2 class=\"x\">Time<em>line</em>:</h2>\n<p>All times &amp; dates in UTC.</p>\n<ul>\n<li>09:30 alert</li>\n<li>09:40 fix</ul>\n\n<h3 id=\"rc\">Root cause</h3>\n";
    let body = ctx_render(src);
    assert_eq!(
        headings(&body),
        [
            (1, "Outage", Origin::Markdown, None),
            (2, "Timeline:", Origin::Html, Some(Section::Timeline)),
            (3, "Root cause", Origin::Html, Some(Section::RootCause)),
        ]
    );
    let h = &body.headings[1];
    assert_eq!(h.id, "timeline");
    assert_eq!(
        &src[h.offset..h.offset + h.len],
        "<h2 class=\"x\">Time<em>line</em>:</h2>"
    );
    assert_eq!(body.headings[2].id, "rc");
    assert!(
        body.html.contains("<h2 class=\"x\" id=\"timeline\">Time<em>line</em>:<a class=\"anchor\" href=\"#timeline\""),
        "{}",
        body.html
    );
    assert!(
        body.html
            .contains("<h3 id=\"rc\">Root cause<a class=\"anchor\" href=\"#rc\"")
    );
    assert!(body.html.contains("<p>All times &amp; dates in UTC.</p>"));
    let items: Vec<&str> = body.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(items, ["09:30 alert", "09:40 fix"]);
    assert_eq!(
        &src[body.items[1].offset..body.items[1].offset + 5],
        "09:40"
    );
    assert_eq!(
        h.first_paragraph.as_deref(),
        Some("All times & dates in UTC.")
    );
    // Outage, Timeline (one word across <em>), All times dates in UTC (`&`
    // is no word), 09:30 alert, 09:40 fix, Root cause.
    assert_eq!(body.words, 1 + 1 + 5 + 2 + 2 + 2);
}

#[test]
fn text_in_html_is_prose() {
    let src = "<div>\n<p>The deploy was <b>careless</b> and broke login.</p>\n<p>Four more words here.</p>\n</div>\n";
    let body = ctx_render(src);
    assert_eq!(body.words, 11);
    let careless = src.find("careless").unwrap();
    assert!(
        body.prose.iter().any(|r| r.contains(&careless)),
        "{:?}",
        body.prose
    );
}

#[test]
fn plain_and_bold_lines_naming_sections_become_headings() {
    let src = "# Outage report\n\nSummary\nThe API was down\nfor an hour.\n\n**Timeline:**\n\n- 09:30 alert\n\n**Root Cause**: a typo\n\n*Action items*\n\n- add a check\n\n**Note:** not a section\n\nTimeline of a different kind.\n";
    let body = ctx_render(src);
    assert_eq!(
        headings(&body),
        [
            (1, "Outage report", Origin::Markdown, None),
            (2, "Summary", Origin::PlainLine, Some(Section::Summary)),
            (2, "Timeline:", Origin::Bold, Some(Section::Timeline)),
            (2, "Action items", Origin::Bold, Some(Section::Measures)),
        ]
    );
    assert_eq!(
        body.headings[1].first_paragraph.as_deref(),
        Some("The API was down for an hour.")
    );
    assert_eq!(body.headings[1].offset, src.find("Summary").unwrap());
    let line = |h: &Heading| &src[h.offset..h.offset + h.len];
    assert_eq!(line(&body.headings[1]), "Summary");
    assert_eq!(line(&body.headings[2]), "**Timeline:**");
    assert_eq!(line(&body.headings[3]), "*Action items*");
    assert!(
        body.html.contains("<h2 id=\"summary\">Summary<a"),
        "{}",
        body.html
    );
    assert!(
        body.html.contains("<p>The API was down\nfor an hour.</p>"),
        "{}",
        body.html
    );
    assert!(body.html.contains("<strong>Note:</strong> not a section"));
    assert!(
        body.html
            .contains("<p><strong>Root Cause</strong>: a typo</p>")
    );
}

#[test]
fn name_lines_in_lists_and_quotes_stay_text() {
    let body = ctx_render("- Timeline\n\n> Summary\n\n1. **Impact**\n");
    assert!(body.headings.is_empty());
}

#[test]
fn timeline_and_measures_sections_keep_lines_and_tables() {
    let src = "## Summary\n\nAll times UTC.\n\n## Timeline\n\n2024-03-02 (all times UTC)  \n08:21 push starts\n**08:29** alert fires\n\n| Time | Event |\n| --- | --- |\n| 08:35 | ~~rollback~~ |\n| 08:40 | fixed |\n\n### Day 2\n\n10:00 review\n\n## Root Cause\n\nNot collected.\n\n## Action Items\n\n| Task | Owner |\n|---|---|\n| Add alert | sre |\n\n- ~~Old item~~\n- Mixed ~~half~~ item\n";
    let body = ctx_render(src);
    let lines: Vec<&str> = body.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines,
        [
            "2024-03-02 (all times UTC)",
            "08:21 push starts",
            "08:29 alert fires",
            "10:00 review"
        ]
    );
    assert_eq!(
        &src[body.lines[2].offset..body.lines[2].offset + 5],
        "08:29"
    );
    assert_eq!(body.tables.len(), 2);
    let t = &body.tables[0];
    let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(header, ["Time", "Event"]);
    let rows: Vec<Vec<&str>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(rows, [["08:35", "rollback"], ["08:40", "fixed"]]);
    assert_eq!(&src[t.rows[1][0].offset..t.rows[1][0].offset + 5], "08:40");
    assert_eq!(body.tables[1].rows[0][1].text, "sre");
    let struck: Vec<(&str, bool)> = body
        .items
        .iter()
        .map(|i| (i.text.as_str(), i.struck))
        .collect();
    assert_eq!(struck, [("Old item", true), ("Mixed half item", false)]);
}

#[test]
fn html_tables_are_collected() {
    let src = "## Timeline\n\n<table>\n<tr><th>Time (UTC)</th><th>Event</th></tr>\n<tr><td>14:02</td><td>Alert &amp; page</td></tr>\n</table>\n";
    let body = ctx_render(src);
    assert_eq!(body.tables.len(), 1);
    let rows: Vec<Vec<&str>> = body.tables[0]
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(rows, [["Time (UTC)", "Event"], ["14:02", "Alert & page"]]);
    assert_eq!(&src[body.tables[0].rows[1][0].offset..][..5], "14:02");
}

#[test]
fn soft_breaks_keep_a_space_in_collected_text() {
    let body =
        ctx_render("## Resolution\n\nThe fix was a\nrollback.\n\n- an item\n  over two lines\n");
    assert_eq!(
        body.headings[0].first_paragraph.as_deref(),
        Some("The fix was a rollback.")
    );
    assert_eq!(body.items[0].text, "an item over two lines");
}

#[test]
fn html_only_pass_matches_for_new_forms() {
    let src =
        "Summary\ntext\n\n<h2>Timeline</h2>\n<ul><li>09:00 x</li></ul>\n\n**Root Cause:**\n\nwhy\n";
    html_alone_matches(src);
}

#[test]
fn name_lines_inside_paragraphs_split_them() {
    let src = "Start: 09:00.\nRoot cause: a typo.\nTimeline\n\n09:05 alert\n\nWe kept the\ntimeline\nshort.\nRoot cause and resolution:\nThe typo went.\n";
    let body = ctx_render(src);
    assert_eq!(
        headings(&body),
        [
            (2, "Timeline", Origin::PlainLine, Some(Section::Timeline)),
            (
                2,
                "Root cause and resolution:",
                Origin::PlainLine,
                Some(Section::RootCauseAndResolution)
            ),
        ]
    );
    let line = |h: &Heading| &src[h.offset..h.offset + h.len];
    assert_eq!(line(&body.headings[0]), "Timeline");
    assert_eq!(line(&body.headings[1]), "Root cause and resolution:");
    let doc = scraper::Html::parse_fragment(&body.html);
    let paragraphs: Vec<String> = doc
        .select(&scraper::Selector::parse("p").unwrap())
        .map(|p| p.text().collect())
        .collect();
    assert_eq!(
        paragraphs,
        [
            "Start: 09:00.\nRoot cause: a typo.",
            "09:05 alert",
            // A lower-case wrapped word is prose, not a heading.
            "We kept the\ntimeline\nshort.",
            "The typo went."
        ]
    );
    html_alone_matches(src);
}

/// The HTML-only pass gives the HTML of the full pass.
fn html_alone_matches(src: &str) {
    let lookup = |_: &str| None;
    let ctx = LinkContext {
        root: "/",
        dir: "",
        incident_path: &lookup,
        html: true,
        sanitize: false,
        sections: SectionTable::built_in(),
    };
    assert_eq!(render_html(src, 3, &ctx), render(src, 3, &ctx).html);
}
