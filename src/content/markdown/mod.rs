//! The postmortem body: one pass over pulldown-cmark's events that renders
//! HTML (heading anchors, highlighted code, rewritten links) and collects
//! what validation and the incident page need: headings, list items, links,
//! prose ranges and a word count, and, in timeline and measures sections,
//! paragraph lines and tables.
//!
//! Bodies written for other templates are read the same way: raw HTML
//! blocks (`raw`) give their headings, items, tables and text, and a
//! paragraph whose first line is only a section name (`Timeline`,
//! `**Root Cause:**`) becomes a heading (`pseudo`).
//!
//! The pass is split by job: `State::dispatch` routes each event,
//! `contents` collects items, paragraphs and text, `headings` gives
//! headings their anchors, `collect` keeps the lines and tables of
//! timeline and measures sections.

mod collect;
mod contents;
mod headings;
mod pseudo;
mod raw;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::highlight;
use super::links::{Resolved, resolve_link};
use crate::model::body::{Body, Cell, Label, Line, Link, Origin, Table};
use crate::model::section::SectionTable;
use crate::model::url::SitePath;

/// How a body is read and rendered.
pub struct LinkContext<'a> {
    /// Prefix that reaches the site root from the incident page.
    pub root: &'a str,
    /// Directory of the file, relative to `content/` (`2024`, or empty).
    pub dir: &'a str,
    /// Site path (`incidents/<slug>/`) of a postmortem, by its path
    /// relative to `content/`.
    pub incident_path: &'a dyn Fn(&str) -> Option<SitePath>,
    /// Produce the HTML, with highlighted code. Off when only what the
    /// body contains is wanted (headings, links, items, words): `check`,
    /// and `build`, which renders each body again when writing its page.
    pub html: bool,
    /// Sanitise the HTML (`safe_html = true`): raw HTML in Markdown is
    /// reduced to a safe subset.
    pub sanitize: bool,
    /// The section names headings are matched against.
    pub sections: &'a SectionTable,
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
    /// `Some(true)` while every piece of the item's text was struck.
    struck: Option<bool>,
    ordered: bool,
    closed: bool,
}

/// A heading being read: its inner events (Markdown) or raw inner HTML.
struct HeadingBuf<'a> {
    level: u8,
    custom_id: Option<String>,
    events: Vec<Event<'a>>,
    /// For an HTML heading: its attributes and inner HTML, kept as written.
    raw: Option<(String, String)>,
    text: String,
    offset: usize,
    len: usize,
    origin: Origin,
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
    /// Open lists, block quotes and footnotes: a paragraph inside them is
    /// never a section heading. Counted in both passes, so both make the
    /// same HTML.
    /// Open lists: true for a numbered one.
    lists: Vec<bool>,
    containers: usize,
    /// The events of a paragraph's line (from the line break before it,
    /// after the first) while it may still turn out to be a section name
    /// written as plain or bold text.
    pending: Option<Vec<(Event<'a>, Range<usize>)>>,
    /// Inside a top-level paragraph, whose later lines are held back too
    /// (from the line break before them): `Timeline` as the last line of
    /// a paragraph is as much a section name as on a line of its own.
    top_paragraph: bool,
    /// The level of the last heading, and whether it named a section.
    last_heading: Option<(u8, bool)>,
    /// What is read from raw HTML and from the current section.
    collector: collect::Collector,
    /// Raw HTML of the current HTML block, and where its pieces are.
    html: Option<raw::Buffer>,
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
    st.flush_pending(ctx);
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
        if self.code.is_some() {
            self.code_event(event, ctx);
            return;
        }
        if let Some(buf) = &mut self.html {
            match event {
                Event::Html(t) => buf.push(&t, range.start),
                Event::End(TagEnd::HtmlBlock) => self.html_block(ctx),
                _ => {}
            }
            return;
        }
        if self.pending.is_some() {
            self.pending_event(event, range, ctx);
            return;
        }
        if matches!(event, Event::Start(Tag::Paragraph))
            && self.lists.is_empty()
            && self.containers == 0
        {
            self.top_paragraph = true;
            self.pending = Some(vec![(event, range)]);
            return;
        }
        self.line_event(event, range, ctx);
    }

    /// An event outside a held-back line: a line break in a top-level
    /// paragraph starts holding back the line after it.
    fn line_event(&mut self, event: Event<'a>, range: Range<usize>, ctx: &LinkContext<'_>) {
        match event {
            Event::SoftBreak | Event::HardBreak if self.top_paragraph => {
                self.pending = Some(vec![(event, range)]);
            }
            Event::End(TagEnd::Paragraph) => {
                self.top_paragraph = false;
                self.dispatch(event, range, ctx);
            }
            _ => self.dispatch(event, range, ctx),
        }
    }

    fn code_event(&mut self, event: Event<'a>, ctx: &LinkContext<'_>) {
        let Some((_, code)) = &mut self.code else {
            return;
        };
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
    }

    /// Renders one event and collects what it contains.
    fn dispatch(&mut self, event: Event<'a>, range: Range<usize>, ctx: &LinkContext<'_>) {
        match event {
            Event::Start(tag) => self.start_tag(tag, range, ctx),
            Event::End(end) => self.end_tag(end, ctx),
            Event::TaskListMarker(checked) => self.task_marker(checked),
            Event::Text(t) => {
                self.text(&t, range);
                self.emit(Event::Text(t));
            }
            Event::Code(t) => {
                self.text(&t, range);
                self.emit(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.line_break();
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn start_tag(&mut self, tag: Tag<'a>, range: Range<usize>, ctx: &LinkContext<'_>) {
        match tag {
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((lang, String::new()));
                self.space();
            }
            Tag::HtmlBlock => {
                self.space();
                self.html = Some(raw::Buffer::default());
            }
            Tag::Heading { level, id, .. } => {
                self.space();
                self.heading = Some(HeadingBuf {
                    level: level as u8,
                    custom_id: id.map(|i| i.to_string()),
                    events: Vec::new(),
                    raw: None,
                    text: String::new(),
                    offset: range.start,
                    len: range.len(),
                    origin: Origin::Markdown,
                });
            }
            Tag::Item => {
                self.start_item();
                self.emit(Event::Start(Tag::Item));
            }
            Tag::Paragraph => {
                self.start_paragraph();
                self.emit(Event::Start(Tag::Paragraph));
            }
            Tag::Link { .. } | Tag::Image { .. } => {
                let tag = self.rewrite_tag(tag, &range, ctx);
                self.emit(Event::Start(tag));
            }
            Tag::Strikethrough => {
                self.collector.strike += 1;
                self.emit(Event::Start(tag));
            }
            tag if is_block(&tag) => {
                self.space();
                self.start_block(&tag, range.start);
                self.emit(Event::Start(tag));
            }
            tag => self.emit(Event::Start(tag)),
        }
    }

    fn end_tag(&mut self, end: TagEnd, ctx: &LinkContext<'_>) {
        match end {
            TagEnd::Heading(_) => self.end_heading(ctx),
            TagEnd::Item => {
                self.end_item();
                self.emit(Event::End(end));
            }
            TagEnd::Paragraph => {
                self.end_paragraph();
                self.emit(Event::End(end));
            }
            end => {
                self.space();
                self.end_block(end);
                self.emit(Event::End(end));
            }
        }
    }

    /// A task-list checkbox, labelled (pulldown-cmark's has no label).
    fn task_marker(&mut self, checked: bool) {
        if let Some(item) = self.items.last_mut() {
            item.task = Some(checked);
        }
        let html = if checked {
            "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
        } else {
            "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
        };
        self.emit(Event::InlineHtml(html.into()));
    }

    /// A link or image with its destination rewritten for the site.
    fn rewrite_tag(
        &mut self,
        tag: Tag<'a>,
        range: &Range<usize>,
        ctx: &LinkContext<'_>,
    ) -> Tag<'a> {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: self.rewrite(dest_url, range, ctx),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: self.rewrite(dest_url, range, ctx),
                title,
                id,
            },
            other => other,
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

    /// Counts containers (both passes) and starts tables (collecting).
    fn start_block(&mut self, tag: &Tag<'_>, offset: usize) {
        match tag {
            Tag::List(first) => self.lists.push(first.is_some()),
            Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => self.containers += 1,
            _ if self.collect => self.collector.start_table_part(tag, offset),
            _ => {}
        }
    }

    fn end_block(&mut self, end: TagEnd) {
        match end {
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.containers = self.containers.saturating_sub(1);
            }
            TagEnd::Strikethrough => {
                self.collector.strike = self.collector.strike.saturating_sub(1)
            }
            _ if self.collect => self.collector.end_table_part(end, &mut self.body),
            _ => {}
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

/// A heading level from a number (clamped to 1..=6).
fn heading_level(level: u8) -> HeadingLevel {
    HeadingLevel::try_from(usize::from(level.clamp(1, 6))).unwrap_or(HeadingLevel::H6)
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
    )
}

#[cfg(test)]
mod tests;
