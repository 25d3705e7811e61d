//! The kinds of page of the site, each declared once: which pages of the
//! kind an archive has, the URL of each, how one renders, and what it
//! shows of the archive.
//!
//! A build renders every page of every kind; `serve` re-renders a page
//! after a change only when what it shows changed, which it derives from
//! [`PageKind::shows`]. Adding a kind of page is one [`PageKind`] (added to
//! [`BUILT_IN`], or to the list a site is built with) and its template.

use std::fmt;

use super::pages::Renderer;
use super::{OutputFile, export, feeds, search, stats, views};
use crate::analysis::actions;
use crate::error::Result;
use crate::model::Taxonomy;
use crate::model::url::year_url;

/// One kind of page, declared once.
pub struct PageKind {
    /// A name for messages and tests (`incident`, `stats`).
    pub name: &'static str,
    /// The pages of this kind the archive has, in the order the sitemap
    /// lists them.
    pub pages: fn(&Renderer<'_>) -> Vec<Key>,
    /// The site-relative URL of a page (`tags/dns/`, `404.html`).
    pub url: fn(&Renderer<'_>, Key) -> String,
    /// Renders a page.
    pub render: fn(&Renderer<'_>, Key) -> Result<OutputFile>,
    /// Writes a page straight to a file instead, never holding it whole
    /// (for the largest file of the site).
    pub stream: Option<Stream>,
    /// What a page shows of the archive: what it depends on.
    pub shows: fn(&Renderer<'_>, Key) -> Shows,
    /// An HTML page (the sitemap lists it).
    pub html: bool,
}

/// Writes a page to `out` as it is made.
pub type Stream = fn(&Renderer<'_>, &mut dyn std::io::Write) -> std::io::Result<()>;

impl fmt::Debug for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Which page of its kind: the kind's own numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// The only page of its kind.
    One,
    /// The `n`th: an incident or a term by index, a search shard, or a
    /// 1-based page of a paginated list.
    Nth(usize),
    /// Page `page` (1-based) of group `group` (a year).
    Paged {
        /// Index of the group.
        group: usize,
        /// 1-based page.
        page: usize,
    },
    /// A taxonomy's index of terms.
    Taxonomy(Taxonomy),
    /// Page `page` of one term of a taxonomy, by index into its terms.
    Term {
        /// The taxonomy.
        taxonomy: Taxonomy,
        /// Index of the term.
        term: usize,
        /// 1-based page.
        page: usize,
    },
}

/// What a page shows of the archive, so what changes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shows {
    /// Nothing: only the configuration and the templates.
    Nothing,
    /// Incident `i` (by index into the archive), its neighbours in time,
    /// and its related and recurring incidents (from the related and
    /// recurrence indexes).
    Incident(usize),
    /// The incidents of one group.
    Group(Group),
    /// The whole archive (lists, figures, feeds, search, the export).
    Archive,
}

/// A group of incidents that has pages of its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The incidents that started in a year (in their own zones).
    Year(i16),
    /// The incidents with a term (by its slug).
    Term(Taxonomy, String),
}

/// One page of the site: a kind and which page of it.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    /// The kind.
    pub kind: &'static PageKind,
    /// Which page of the kind.
    pub key: Key,
}

impl Job {
    /// True for the pages of `kind`.
    pub fn is(&self, kind: &PageKind) -> bool {
        std::ptr::eq(self.kind, kind)
    }
}

/// The kinds of page of every site, in the order the sitemap lists them.
pub static BUILT_IN: &[&PageKind] = &[
    &HOME,
    &STATS,
    &NOT_FOUND,
    &FEED,
    &SITEMAP,
    &ROBOTS,
    &EXPORT,
    &NO_JEKYLL,
    &SEARCH,
    &SEARCH_META,
    &ACTIONS,
    &RECURRING,
    &SEARCH_DOCS,
    &SEARCH_TERMS,
    &CNAME,
    &SERVICE_FEED,
    &INCIDENT,
    &YEAR,
    &TAXONOMY,
];

fn one(_: &Renderer<'_>) -> Vec<Key> {
    vec![Key::One]
}

fn nth(n: usize) -> Vec<Key> {
    (0..n).map(Key::Nth).collect()
}

/// Pages 1..=`n`.
fn numbered(n: usize) -> Vec<Key> {
    (1..=n).map(Key::Nth).collect()
}

fn nothing(_: &Renderer<'_>, _: Key) -> Shows {
    Shows::Nothing
}

fn archive(_: &Renderer<'_>, _: Key) -> Shows {
    Shows::Archive
}

/// The number in a key (0 for one that has none).
fn n(key: Key) -> usize {
    match key {
        Key::Nth(n) => n,
        _ => 0,
    }
}

/// `index.html`.
pub static HOME: PageKind = PageKind {
    name: "home",
    pages: one,
    url: |_, _| String::new(),
    render: |r, _| r.home(),
    stream: None,
    shows: archive,
    html: true,
};

/// `stats/`.
pub static STATS: PageKind = PageKind {
    name: "stats",
    pages: one,
    url: |_, _| "stats/".into(),
    render: |r, _| {
        let mut ctx = r.context("stats/", "Statistics");
        ctx.insert("stats", &stats::view(r.archive(), r.cfg()));
        r.file("stats/", "stats.html", &ctx)
    },
    stream: None,
    shows: archive,
    html: true,
};

/// `404.html`.
pub static NOT_FOUND: PageKind = PageKind {
    name: "not-found",
    pages: one,
    url: |_, _| "404.html".into(),
    render: |r, _| {
        let ctx = r.context("404.html", "Page not found");
        r.file("404.html", "404.html", &ctx)
    },
    stream: None,
    shows: nothing,
    html: false,
};

/// `atom.xml`: the newest incidents.
pub static FEED: PageKind = PageKind {
    name: "feed",
    pages: one,
    url: |_, _| "atom.xml".into(),
    render: |r, _| {
        let incidents = r.archive().incidents.iter().map(|i| &**i);
        let cfg = r.cfg();
        Ok(r.data(
            "atom.xml",
            feeds::atom(incidents, cfg, "atom.xml", &cfg.title),
        ))
    },
    stream: None,
    shows: archive,
    html: false,
};

/// `sitemap.xml`: every HTML page.
pub static SITEMAP: PageKind = PageKind {
    name: "sitemap",
    pages: one,
    url: |_, _| "sitemap.xml".into(),
    render: |r, _| {
        let urls: Vec<String> = r
            .jobs()
            .into_iter()
            .filter(|j| j.kind.html)
            .map(|j| r.url(j))
            .collect();
        Ok(r.data("sitemap.xml", feeds::sitemap(&urls, r.cfg())))
    },
    stream: None,
    shows: archive,
    html: false,
};

/// `robots.txt`.
pub static ROBOTS: PageKind = PageKind {
    name: "robots",
    pages: one,
    url: |_, _| "robots.txt".into(),
    render: |r, _| Ok(r.data("robots.txt", feeds::robots(r.cfg()))),
    stream: None,
    shows: nothing,
    html: false,
};

/// `incidents.json`: the whole archive as data.
pub static EXPORT: PageKind = PageKind {
    name: "export",
    pages: one,
    url: |_, _| "incidents.json".into(),
    render: |r, _| {
        let bytes = export::json(r.archive(), r.cfg());
        Ok(r.data("incidents.json", bytes))
    },
    stream: Some(|r, out| export::write_json(r.archive(), r.cfg(), out)),
    shows: archive,
    html: false,
};

/// `.nojekyll` (GitHub Pages: serve files as they are).
pub static NO_JEKYLL: PageKind = PageKind {
    name: "nojekyll",
    pages: one,
    url: |_, _| ".nojekyll".into(),
    render: |r, _| Ok(r.data(".nojekyll", Vec::new())),
    stream: None,
    shows: nothing,
    html: false,
};

/// `search/`: the search page.
pub static SEARCH: PageKind = PageKind {
    name: "search",
    pages: one,
    url: |_, _| "search/".into(),
    render: |r, _| {
        let ctx = r.context("search/", "Search");
        r.file("search/", "search.html", &ctx)
    },
    stream: None,
    shows: nothing,
    html: true,
};

/// `search/index.json`.
pub static SEARCH_META: PageKind = PageKind {
    name: "search-meta",
    pages: one,
    url: |_, _| "search/index.json".into(),
    render: |r, _| {
        let bytes = search::meta_json(r.archive(), &r.severity_ids());
        Ok(r.data("search/index.json", bytes))
    },
    stream: None,
    shows: archive,
    html: false,
};

/// `actions/` (page 1) and `actions/page/<n>/`: every action item.
pub static ACTIONS: PageKind = PageKind {
    name: "actions",
    pages: |r| {
        let listed = actions::listed_actions(r.archive());
        numbered(actions::action_pages(listed, r.cfg().paginate_by))
    },
    url: |_, key| views::page_url("actions/", n(key)),
    render: |r, key| r.actions_page(n(key)),
    stream: None,
    shows: archive,
    html: true,
};

/// `recurring/` (page 1) and `recurring/page/<n>/`: incidents that
/// happened again.
pub static RECURRING: PageKind = PageKind {
    name: "recurring",
    pages: |r| numbered(r.cluster_pages()),
    url: |_, key| views::page_url("recurring/", n(key)),
    render: |r, key| r.recurring_page(n(key)),
    stream: None,
    shows: archive,
    html: true,
};

/// `search/docs-<n>.json`.
pub static SEARCH_DOCS: PageKind = PageKind {
    name: "search-docs",
    pages: |r| nth(r.archive().incidents.len().div_ceil(search::DOCS_PER_CHUNK)),
    url: |_, key| format!("search/docs-{}.json", n(key)),
    render: |r, key| {
        let bytes = search::docs_json(r.archive(), n(key));
        Ok(r.data(&format!("search/docs-{}.json", n(key)), bytes))
    },
    stream: None,
    shows: archive,
    html: false,
};

/// `search/terms-<c>.json`, by index into [`search::SHARDS`].
pub static SEARCH_TERMS: PageKind = PageKind {
    name: "search-terms",
    pages: |_| nth(search::SHARDS.len()),
    url: |_, key| format!("search/terms-{}.json", shard(key)),
    render: |r, key| {
        let bytes = r.search_index().shard_json(shard(key));
        Ok(r.data(&format!("search/terms-{}.json", shard(key)), bytes))
    },
    stream: None,
    shows: archive,
    html: false,
};

fn shard(key: Key) -> char {
    search::SHARDS.as_bytes()[n(key)] as char
}

/// `CNAME` (GitHub Pages custom domain), when `cname` is set.
pub static CNAME: PageKind = PageKind {
    name: "cname",
    pages: |r| {
        if r.cfg().cname.is_some() {
            vec![Key::One]
        } else {
            Vec::new()
        }
    },
    url: |_, _| "CNAME".into(),
    render: |r, _| {
        let cname = r.cfg().cname.as_deref().unwrap_or_default();
        Ok(r.data("CNAME", format!("{cname}\n").into_bytes()))
    },
    stream: None,
    shows: nothing,
    html: false,
};

/// `services/<slug>/atom.xml`, by index into the service terms.
pub static SERVICE_FEED: PageKind = PageKind {
    name: "service-feed",
    pages: |r| {
        if r.cfg().taxonomies.contains(&Taxonomy::Services) {
            nth(r.terms_of(Taxonomy::Services).len())
        } else {
            Vec::new()
        }
    },
    url: |r, key| {
        let slug = &r.terms_of(Taxonomy::Services)[n(key)].slug;
        format!("services/{slug}/atom.xml")
    },
    render: |r, key| {
        let t = &r.terms_of(Taxonomy::Services)[n(key)];
        let incidents = t.incidents.iter().map(|&i| &*r.archive().incidents[i]);
        let path = format!("services/{}/atom.xml", t.slug);
        let title = format!("{}: {}", r.cfg().title, t.name);
        Ok(r.data(&path, feeds::atom(incidents, r.cfg(), &path, &title)))
    },
    stream: None,
    shows: |r, key| {
        let slug = r.terms_of(Taxonomy::Services)[n(key)].slug.clone();
        Shows::Group(Group::Term(Taxonomy::Services, slug))
    },
    html: false,
};

/// `incidents/<slug>/`, by index into the archive.
pub static INCIDENT: PageKind = PageKind {
    name: "incident",
    pages: |r| nth(r.archive().incidents.len()),
    url: |r, key| views::incident_url(&r.archive().incidents[n(key)].slug).into(),
    render: |r, key| r.incident(n(key)),
    stream: None,
    shows: |_, key| Shows::Incident(n(key)),
    html: true,
};

/// `years/<year>/` (page 1) and `years/<year>/page/<n>/`.
pub static YEAR: PageKind = PageKind {
    name: "year",
    pages: |r| {
        let mut keys = Vec::new();
        for (group, (_, items)) in r.years().iter().enumerate() {
            let pages = r.pages(items.len());
            keys.extend((1..=pages).map(|page| Key::Paged { group, page }));
        }
        keys
    },
    url: |r, key| match key {
        Key::Paged { group, page } => views::page_url(&year_url(r.years()[group].0), page),
        _ => String::new(),
    },
    render: |r, key| match key {
        Key::Paged { group, page } => r.year(group, page),
        _ => r.year(0, 1),
    },
    stream: None,
    shows: |r, key| match key {
        Key::Paged { group, .. } => Shows::Group(Group::Year(r.years()[group].0)),
        _ => Shows::Archive,
    },
    html: true,
};

/// `tags/`, `services/`, `severity/` (each taxonomy's index), each
/// followed by its terms' pages (`tags/<slug>/` and further pages).
pub static TAXONOMY: PageKind = PageKind {
    name: "taxonomy",
    pages: |r| {
        let mut keys = Vec::new();
        for (taxonomy, terms) in r.terms() {
            keys.push(Key::Taxonomy(*taxonomy));
            for (term, t) in terms.iter().enumerate() {
                let pages = r.pages(t.incidents.len());
                keys.extend((1..=pages).map(|page| Key::Term {
                    taxonomy: *taxonomy,
                    term,
                    page,
                }));
            }
        }
        keys
    },
    url: |r, key| match key {
        Key::Term {
            taxonomy,
            term,
            page,
        } => {
            let t = &r.terms_of(taxonomy)[term];
            views::page_url(&format!("{}/{}/", taxonomy.name(), t.slug), page)
        }
        Key::Taxonomy(t) => format!("{}/", t.name()),
        _ => String::new(),
    },
    render: |r, key| match key {
        Key::Term {
            taxonomy,
            term,
            page,
        } => r.term(taxonomy, term, page),
        Key::Taxonomy(t) => r.taxonomy(t),
        _ => r.taxonomy(Taxonomy::Tags),
    },
    stream: None,
    shows: |r, key| match key {
        Key::Term { taxonomy, term, .. } => {
            let slug = r.terms_of(taxonomy)[term].slug.clone();
            Shows::Group(Group::Term(taxonomy, slug))
        }
        _ => Shows::Archive,
    },
    html: true,
};
