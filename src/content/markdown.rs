//! The postmortem body: one pass over pulldown-cmark's events that renders
//! HTML (heading anchors, highlighted code, rewritten links) and collects
//! what validation and the incident page need: headings, list items, links,
//! prose ranges and a word count.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::highlight;
use crate::text::{push_escaped, slugify};

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// The text normalised for matching section names
    /// ([`super::sections::normalize`]), made once.
    pub key: String,
    /// The anchor id.
    pub id: String,
    /// Byte offset of the heading in the file.
    pub offset: usize,
    /// Byte length of the heading line.
    pub len: usize,
    /// Plain text of the first paragraph after it, if any.
    pub first_paragraph: Option<String>,
}

/// A list item's own text (without nested lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Plain text of the item's first paragraph.
    pub text: String,
    /// Byte offset in the file of the start of `text`.
    pub offset: usize,
    /// Nesting depth, 0 for a top-level item.
    pub depth: usize,
    /// `Some(checked)` for task-list items.
    pub task: Option<bool>,
}

/// An internal link or image source, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Site-relative path (`incidents/x/`, `2024/chart.svg`); empty for
    /// the page itself.
    pub path: String,
    /// The `#fragment`, if any.
    pub fragment: Option<String>,
    /// The destination as written.
    pub written: String,
    /// Byte offset of the link in the file.
    pub offset: usize,
    /// Byte length of the link.
    pub len: usize,
}

/// Everything the body pass produces.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Rendered HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// List items in order of their end.
    pub items: Vec<Item>,
    /// Internal links.
    pub links: Vec<Link>,
    /// `http(s)://` links to other sites: (URL, byte offset, byte length).
    pub external: Vec<(String, usize, usize)>,
    /// Byte ranges in the file of prose text (not code).
    pub prose: Vec<Range<usize>>,
    /// Words of prose.
    pub words: usize,
}

/// How links in a body are rewritten.
pub struct LinkContext<'a> {
    /// Prefix that reaches the site root from the incident page.
    pub root: &'a str,
    /// Directory of the file, relative to `content/` (`2024`, or empty).
    pub dir: &'a str,
    /// Site path (`incidents/<slug>/`) of a postmortem, by its path
    /// relative to `content/`.
    pub incident_path: &'a dyn Fn(&str) -> Option<String>,
    /// Produce the HTML, with highlighted code. Off when only what the
    /// body contains is wanted (headings, links, items, words): `check`,
    /// and `build`, which renders each body again when writing its page.
    pub html: bool,
    /// Sanitise the HTML (`safe_html = true`): raw HTML in Markdown is
    /// reduced to a safe subset.
    pub sanitize: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

struct ItemBuf {
    text: String,
    offset: Option<usize>,
    depth: usize,
    task: Option<bool>,
    closed: bool,
}

struct HeadingBuf<'a> {
    level: HeadingLevel,
    custom_id: Option<String>,
    events: Vec<Event<'a>>,
    text: String,
    offset: usize,
    len: usize,
}

#[derive(Default)]
struct State<'a> {
    /// Collect what the body contains (headings, items, links, prose,
    /// words); off when only the HTML is wanted.
    collect: bool,
    out: Vec<Event<'a>>,
    heading: Option<HeadingBuf<'a>>,
    code: Option<(Option<String>, String)>,
    items: Vec<ItemBuf>,
    paragraph: Option<String>,
    ids: HashMap<String, usize>,
    words: crate::text::WordCounter,
    body: Body,
}

/// Renders `source` (the body text, which starts at byte `base` of the file).
pub fn render(source: &str, base: usize, ctx: &LinkContext<'_>) -> Body {
    let mut st = pass(source, base, ctx, true);
    if ctx.html {
        st.body.html = html_of(st.out, source.len(), ctx);
    }
    // Kept for the life of the archive: no spare capacity.
    st.body.html.shrink_to_fit();
    st.body.prose.shrink_to_fit();
    st.body.words = st.words.finish();
    st.body
}

/// Only the HTML of `source`, exactly as [`render`] makes it, without
/// collecting what the body contains: for a body whose contents were
/// collected when it was loaded.
pub fn render_html(source: &str, base: usize, ctx: &LinkContext<'_>) -> String {
    let st = pass(source, base, ctx, false);
    html_of(st.out, source.len(), ctx)
}

fn pass<'a>(source: &'a str, base: usize, ctx: &LinkContext<'_>, collect: bool) -> State<'a> {
    let mut st = State {
        collect,
        ..State::default()
    };
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let range = range.start + base..range.end + base;
        st.event(event, range, ctx);
    }
    st
}

fn html_of(events: Vec<Event<'_>>, len: usize, ctx: &LinkContext<'_>) -> String {
    // Highlighted code makes the HTML two to three times the Markdown.
    let mut html = String::with_capacity(len * 3);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if ctx.sanitize { sanitize(&html) } else { html }
}

impl<'a> State<'a> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>, ctx: &LinkContext<'_>) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = self.code.take().unwrap_or_default();
                    if ctx.html {
                        let html = highlight::code_block(&code, lang.as_deref(), true);
                        self.out.push(Event::Html(html.into()));
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((lang, String::new()));
                self.space();
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.space();
                self.heading = Some(HeadingBuf {
                    level,
                    custom_id: id.map(|i| i.to_string()),
                    events: Vec::new(),
                    text: String::new(),
                    offset: range.start,
                    len: range.len(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Item) => {
                self.space();
                if self.collect {
                    let depth = self.items.len();
                    if let Some(parent) = self.items.last_mut() {
                        parent.closed = true;
                    }
                    self.items.push(ItemBuf {
                        text: String::new(),
                        offset: None,
                        depth,
                        task: None,
                        closed: false,
                    });
                }
                self.emit(Event::Start(Tag::Item));
            }
            Event::End(TagEnd::Item) => {
                self.space();
                if let Some(item) = self.items.pop()
                    && let Some(offset) = item.offset
                {
                    let text = item.text.trim().to_string();
                    self.body.items.push(Item {
                        text,
                        offset,
                        depth: item.depth,
                        task: item.task,
                    });
                }
                self.emit(Event::End(TagEnd::Item));
            }
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.items.last_mut() {
                    item.task = Some(checked);
                }
                // A labelled checkbox (pulldown-cmark's has no label).
                let html = if checked {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                };
                self.emit(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Paragraph) => {
                self.space();
                let wants = self.collect
                    && self.items.is_empty()
                    && self
                        .body
                        .headings
                        .last()
                        .is_some_and(|h| h.first_paragraph.is_none());
                if wants {
                    self.paragraph = Some(String::new());
                }
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.space();
                if let Some(item) = self.items.last_mut() {
                    item.closed = true;
                }
                if let Some(text) = self.paragraph.take()
                    && let Some(h) = self.body.headings.last_mut()
                {
                    h.first_paragraph = Some(text.trim().to_string());
                }
                self.emit(Event::End(TagEnd::Paragraph));
            }
            Event::Text(t) => {
                self.text(&t, range);
                self.emit(Event::Text(t));
            }
            Event::Code(t) => {
                self.text(&t, range);
                self.emit(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.space();
                self.emit(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, &range, ctx);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, &range, ctx);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(ref tag) if is_block(tag) => {
                self.space();
                self.emit(event);
            }
            Event::End(_) => {
                self.space();
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.out.push(event),
        }
    }

    fn space(&mut self) {
        if self.collect {
            self.words.space();
        }
    }

    fn text(&mut self, t: &str, range: Range<usize>) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(t);
        }
        if !self.collect {
            return;
        }
        self.words.push(t);
        self.body.prose.push(range.clone());
        if let Some(p) = &mut self.paragraph {
            p.push_str(t);
        }
        if let Some(item) = self.items.last_mut().filter(|i| !i.closed) {
            item.offset.get_or_insert(range.start);
            item.text.push_str(t);
        }
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let text = h.text.trim().to_string();
        let base = h.custom_id.clone().unwrap_or_else(|| slugify(&text));
        let id = self.unique_id(base);
        let level = h.level as u8;
        let mut html = format!("<h{level} id=\"");
        push_escaped(&mut html, &id);
        html.push_str("\">");
        pulldown_cmark::html::push_html(&mut html, h.events.into_iter());
        html.push_str("<a class=\"anchor\" href=\"#");
        push_escaped(&mut html, &id);
        html.push_str(&format!(
            "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
        ));
        self.out.push(Event::Html(html.into()));
        if !self.collect {
            return;
        }
        self.body.headings.push(Heading {
            level,
            key: super::sections::normalize(&text),
            text,
            id,
            offset: h.offset,
            len: h.len,
            first_paragraph: None,
        });
    }

    fn unique_id(&mut self, base: String) -> String {
        let count = self.ids.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            let id = format!("{base}-{}", *count - 1);
            self.ids.insert(id.clone(), 1);
            id
        }
    }

    fn rewrite(
        &mut self,
        dest: CowStr<'a>,
        range: &Range<usize>,
        ctx: &LinkContext<'_>,
    ) -> CowStr<'a> {
        match resolve_link(&dest, ctx) {
            Resolved::External => {
                if self.collect && (dest.starts_with("http://") || dest.starts_with("https://")) {
                    self.body
                        .external
                        .push((dest.to_string(), range.start, range.len()));
                }
                dest
            }
            Resolved::Unsafe => CowStr::Borrowed("#"),
            Resolved::Internal {
                url,
                path,
                fragment,
            } => {
                if self.collect {
                    self.body.links.push(Link {
                        path,
                        fragment,
                        written: dest.to_string(),
                        offset: range.start,
                        len: range.len(),
                    });
                }
                url.map_or(dest, CowStr::from)
            }
        }
    }
}

/// Cleans rendered HTML with ammonia, keeping what hindsight itself emits
/// (highlighting classes, heading anchors, task-list checkboxes).
pub fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["class", "id", "aria-hidden", "tabindex"])
                .add_tags(["input"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("pre", ["data-lang"])
                .url_relative(ammonia::UrlRelative::PassThrough);
            b
        })
        .clean(html)
        .to_string()
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
    )
}

/// What a link destination turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// Another site (`https:`, `mailto:`…): left alone.
    External,
    /// A `javascript:`/`data:` URL: neutralised.
    Unsafe,
    /// Inside the archive: `url` is the rewritten destination (`None`:
    /// keep as written), `path` the site-relative target to check.
    Internal {
        url: Option<String>,
        path: String,
        fragment: Option<String>,
    },
}

fn resolve_link(dest: &str, ctx: &LinkContext<'_>) -> Resolved {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with("//") {
        return Resolved::External;
    }
    if let Some(scheme) = scheme_of(dest) {
        return match scheme.as_str() {
            "javascript" | "vbscript" | "data" => Resolved::Unsafe,
            _ => Resolved::External,
        };
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let suffix = fragment
        .as_ref()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    if path_part.is_empty() {
        return Resolved::Internal {
            url: None,
            path: String::new(),
            fragment,
        };
    }
    if let Some(abs) = path_part.strip_prefix('/') {
        let path = percent_decode(abs);
        let url = format!("{}{abs}{suffix}", ctx.root);
        return Resolved::Internal {
            url: Some(url),
            path,
            fragment,
        };
    }
    let joined = if ctx.dir.is_empty() {
        path_part.to_string()
    } else {
        format!("{}/{path_part}", ctx.dir)
    };
    let Some(resolved) = normalize_path(&percent_decode(&joined)) else {
        // Escapes content/: keep it, the link check reports it.
        return Resolved::Internal {
            url: None,
            path: format!("../{path_part}"),
            fragment,
        };
    };
    if resolved.ends_with(".md") {
        if let Some(page) = (ctx.incident_path)(&resolved) {
            let url = format!("{}{page}{suffix}", ctx.root);
            return Resolved::Internal {
                url: Some(url),
                path: page,
                fragment,
            };
        }
        return Resolved::Internal {
            url: None,
            path: format!("content/{resolved}"),
            fragment,
        };
    }
    let url = format!("{}{}{suffix}", ctx.root, encode_path(&resolved));
    Resolved::Internal {
        url: Some(url),
        path: resolved,
        fragment,
    }
}

/// The lowercase scheme of an absolute URL (`https`, `mailto`).
fn scheme_of(dest: &str) -> Option<String> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Resolves `.` and `..`; `None` if the path climbs above its root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Percent-encodes what may not appear raw in a URL path.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_render(src: &str) -> Body {
        let lookup = |p: &str| {
            (p == "2023/2023-02-07-mail-queue-stall.md")
                .then(|| "incidents/2023-02-07-mail-queue-stall/".to_string())
        };
        let ctx = LinkContext {
            root: "/base/",
            dir: "2024",
            incident_path: &lookup,
            html: true,
            sanitize: false,
        };
        render(src, 0, &ctx)
    }

    #[test]
    fn html_alone_is_the_html_of_the_full_pass() {
        let src = "## Timeline\n\n- **09:30** [deploy](../2023/2023-02-07-mail-queue-stall.md#x) went out\n  - nested *item*\n\n## Timeline\n\n- [ ] Add an alert[^1]\n- [x] Roll back\n\n```bash\necho hi\n```\n\n| a | b |\n| - | - |\n| `c` | <b>d</b> |\n\n[^1]: See <https://example.com>.\n";
        let lookup = |_: &str| Some("incidents/x/".to_string());
        for sanitize in [false, true] {
            let ctx = LinkContext {
                root: "/base/",
                dir: "2024",
                incident_path: &lookup,
                html: true,
                sanitize,
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
        let body =
            ctx_render("One two three.\n\n```bash\necho a b c d e f\n```\n\n`inline` four\n");
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

    #[test]
    fn path_helpers() {
        assert_eq!(
            normalize_path("2024/../2023/./x.md").as_deref(),
            Some("2023/x.md")
        );
        assert_eq!(normalize_path("../x"), None);
        assert_eq!(
            percent_decode("sites%20available.png"),
            "sites available.png"
        );
        assert_eq!(encode_path("2024/a b.png"), "2024/a%20b.png");
    }
}
