//! Headings of the body: their text, section, origin and unique anchor.

use super::{LinkContext, State};
use pulldown_cmark::Event;

use crate::model::body::Heading;
use crate::text::{push_escaped, slugify};

impl State<'_> {
    pub(super) fn end_heading(&mut self, ctx: &LinkContext<'_>) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let text = h.text.trim().to_string();
        let base = h.custom_id.clone().unwrap_or_else(|| slugify(&text));
        let id = self.unique_id(base);
        let level = h.level;
        let mut html = format!("<h{level}");
        if let Some((attrs, _)) = &h.raw {
            html.push_str(attrs);
        }
        if h.raw.is_none() || h.custom_id.is_none() {
            html.push_str(" id=\"");
            push_escaped(&mut html, &id);
            html.push('"');
        }
        html.push('>');
        match &h.raw {
            Some((_, inner)) => html.push_str(inner),
            None => pulldown_cmark::html::push_html(&mut html, h.events.into_iter()),
        }
        html.push_str("<a class=\"anchor\" href=\"#");
        push_escaped(&mut html, &id);
        html.push_str(&format!(
            "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
        ));
        self.out.push(Event::Html(html.into()));
        let key = crate::model::section::normalize(&text);
        let kind = ctx.sections.classify_normalized(&text, &key);
        self.last_heading = Some((level, kind.is_some()));
        if !self.collect {
            return;
        }
        self.collector.heading(level, kind);
        self.body.headings.push(Heading {
            level,
            key,
            kind,
            origin: h.origin,
            text,
            id,
            offset: h.offset,
            len: h.len,
            first_paragraph: None,
        });
    }

    pub(super) fn unique_id(&mut self, base: String) -> String {
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
}
