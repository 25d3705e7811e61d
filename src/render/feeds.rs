//! Machine-readable files: Atom feeds (the archive and one per service),
//! `sitemap.xml`, `robots.txt`, and what GitHub Pages wants (`.nojekyll`,
//! `CNAME`).

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};

use crate::config::SiteConfig;
use crate::model::Incident;
use crate::model::format;
use crate::model::url::incident_url;
use crate::text::escape_html;

/// Entries in a feed.
pub const FEED_ENTRIES: usize = 50;

fn datetime(at: jiff::Timestamp, incident: &Incident) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&format::iso_local(at, &incident.zone)).unwrap_or_default()
}

/// The Atom entry of an incident: the summary, the key facts, and links.
fn entry(i: &Incident, cfg: &SiteConfig) -> Entry {
    let url = format!("{}{}", cfg.base_url, incident_url(&i.slug));
    let duration = super::views::duration_text(i);
    let mut summary = format!("{} · {duration}", i.severity);
    if let Some(impact) = &i.impact_summary {
        summary.push_str(&format!(" · {impact}"));
    }
    if !i.summary.is_empty() {
        summary.push_str(&format!(". {}", i.summary));
    }
    let mut html = format!(
        "<p><strong>{}</strong> · {} · started {} ({})</p>",
        escape_html(&i.severity),
        escape_html(&duration),
        escape_html(&super::views::start_text(i)),
        escape_html(&i.zone_name)
    );
    if let Some(impact) = &i.impact_summary {
        html.push_str(&format!("<p>Impact: {}</p>", escape_html(impact)));
    }
    if !i.summary.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape_html(&i.summary)));
    }
    let categories = i
        .services
        .iter()
        .map(|s| Category {
            term: s.clone(),
            scheme: Some(format!("{}services/", cfg.base_url)),
            label: None,
        })
        .chain(i.tags.iter().map(|t| Category {
            term: t.clone(),
            scheme: Some(format!("{}tags/", cfg.base_url)),
            label: None,
        }))
        .collect();
    Entry {
        title: Text::plain(format!("[{}] {}", i.severity, i.title)),
        id: url.clone(),
        updated: datetime(i.end.unwrap_or(i.start), i),
        published: Some(datetime(i.start, i)),
        authors: i
            .authors
            .iter()
            .map(|a| Person {
                name: a.clone(),
                ..Person::default()
            })
            .collect(),
        categories,
        links: vec![Link {
            href: url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        }],
        summary: Some(Text::plain(summary)),
        content: Some(Content {
            value: Some(html),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// An Atom feed of the newest incidents among `incidents` (newest first).
pub fn atom<'a>(
    incidents: impl Iterator<Item = &'a Incident>,
    cfg: &SiteConfig,
    path: &str,
    title: &str,
) -> Vec<u8> {
    let entries: Vec<Entry> = incidents
        .take(FEED_ENTRIES)
        .map(|i| entry(i, cfg))
        .collect();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    let self_url = format!("{}{path}", cfg.base_url);
    let feed = Feed {
        title: Text::plain(title),
        id: self_url.clone(),
        updated,
        subtitle: Some(Text::plain(cfg.description.clone())),
        authors: vec![Person {
            name: cfg.title.clone(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "hindsight".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        links: vec![
            Link {
                href: self_url,
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: cfg.base_url.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        entries,
        ..Feed::default()
    };
    let mut out = feed.to_string().into_bytes();
    out.push(b'\n');
    out
}

/// `sitemap.xml` listing `urls` (site-relative).
pub fn sitemap(urls: &[String], cfg: &SiteConfig) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_html(&format!("{}{url}", cfg.base_url))
        ));
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// `robots.txt`: everything may be crawled; where the sitemap is.
pub fn robots(cfg: &SiteConfig) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        cfg.base_url
    )
    .into_bytes()
}
