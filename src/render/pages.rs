//! The pages of the site and the context each template gets.

use serde::Serialize;
use tera::Context;

mod each;

use super::kinds::{Job, Shows};
use super::search;
use super::views::{self, TermLink};
use super::{OutputFile, RenderOptions, Theme};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::analysis::actions::{self, Tracker};
use crate::analysis::clusters::{self, Cluster};
use crate::analysis::recurrence::RecurrenceIndex;
use crate::analysis::related::RelatedIndex;
use crate::analysis::terms::Term;
use crate::config::SiteConfig;
use crate::error::Result;
use crate::model::Archive;
use crate::model::Taxonomy;

fn severity_ids(cfg: &SiteConfig) -> Vec<String> {
    cfg.severities.iter().map(|s| s.id.clone()).collect()
}

/// Incident indexes by year of start (in each incident's zone), newest first.
fn years(archive: &Archive) -> Vec<(i16, Vec<usize>)> {
    let mut out: Vec<(i16, Vec<usize>)> = Vec::new();
    for (i, incident) in archive.incidents.iter().enumerate() {
        let year = incident.start.to_zoned(incident.zone.clone()).year();
        match out.iter_mut().find(|(y, _)| *y == year) {
            Some((_, items)) => items.push(i),
            None => out.push((year, vec![i])),
        }
    }
    out.sort_by_key(|(year, _)| std::cmp::Reverse(*year));
    out
}

/// The `site` every template sees: set once per theme as Tera's global
/// context, not serialised again for each page.
pub(super) fn site_view(cfg: &SiteConfig) -> impl Serialize {
    let mut nav: Vec<TermLink> = vec![TermLink {
        name: "Incidents".into(),
        url: String::new(),
    }];
    nav.extend(cfg.taxonomies.iter().map(|t| TermLink {
        name: t.title().into(),
        url: format!("{}/", t.name()),
    }));
    for (name, url) in [
        ("Stats", "stats/"),
        ("Actions", "actions/"),
        ("Recurring", "recurring/"),
        ("Search", "search/"),
    ] {
        nav.push(TermLink {
            name: name.into(),
            url: url.into(),
        });
    }
    SiteView {
        title: cfg.title.clone(),
        description: cfg.description.clone(),
        base_url: cfg.base_url.clone(),
        language: cfg.language.clone(),
        nav,
        severities: cfg
            .severities
            .iter()
            .map(|s| SeverityView {
                id: s.id.clone(),
                label: s.label.clone(),
                color: s.color.clone(),
                class: crate::text::slugify(&s.id),
            })
            .collect(),
        generator: format!("hindsight {}", env!("CARGO_PKG_VERSION")),
    }
}

/// `site` in every template.
#[derive(Debug, Clone, Serialize)]
struct SiteView {
    title: String,
    description: String,
    base_url: String,
    language: String,
    nav: Vec<TermLink>,
    severities: Vec<SeverityView>,
    generator: String,
}

#[derive(Debug, Clone, Serialize)]
struct SeverityView {
    id: String,
    label: String,
    color: String,
    class: String,
}

/// `page` in every template.
#[derive(Debug, Clone, Serialize)]
struct PageView<'a> {
    path: &'a str,
    title: &'a str,
    canonical: String,
    description: &'a str,
    kind: &'static str,
}

/// Renders the pages of one archive: knows every page of the site and
/// renders any of them, sharing the work common to all pages.
pub struct Renderer<'a> {
    archive: &'a Archive,
    cfg: &'a SiteConfig,
    theme: &'a Theme,
    opts: &'a RenderOptions,
    terms: std::sync::OnceLock<Vec<(Taxonomy, Vec<Term>)>>,
    /// Headline figures of each term, in the order of `terms`.
    term_figures: std::sync::OnceLock<Vec<Vec<views::Figures>>>,
    years: std::sync::OnceLock<Vec<(i16, Vec<usize>)>>,
    related: std::sync::OnceLock<Arc<RelatedIndex>>,
    recurrences: std::sync::OnceLock<Arc<RecurrenceIndex>>,
    search: std::sync::OnceLock<search::SearchIndex>,
    /// The list row of each incident as a template value, made on first
    /// use: an incident is listed on many pages (its terms', its year's,
    /// its neighbours' and recurrences'), and a value is shared, not
    /// copied, by every page that lists it.
    rows: Vec<std::sync::OnceLock<tera::Value>>,
    /// The `{name, url}` value of every spelling of a service or tag,
    /// shared by the rows that show it.
    term_links: std::sync::OnceLock<FxHashMap<(Taxonomy, &'a str), tera::Value>>,
    actions: std::sync::OnceLock<Tracker>,
    clusters: std::sync::OnceLock<Clusters>,
}

/// The list rows a [`Renderer`] made, kept apart from it (see
/// [`Renderer::into_rows`]).
#[derive(Default)]
pub struct Rows(#[allow(dead_code)] Vec<std::sync::OnceLock<tera::Value>>);

/// How many recurrences an incident page lists on each side (older and
/// newer), nearest first; the callout links to `recurring/` for the rest,
/// so a page never grows with the archive.
pub const RECURRING_SHOWN: usize = 5;

/// Clusters of recurring incidents and how they are cut into pages.
struct Clusters {
    clusters: Vec<Cluster>,
    pages: Vec<Vec<(usize, std::ops::Range<usize>)>>,
}

impl<'a> Renderer<'a> {
    /// Prepares to render `archive`.
    pub fn new(
        archive: &'a Archive,
        cfg: &'a SiteConfig,
        theme: &'a Theme,
        opts: &'a RenderOptions,
    ) -> Renderer<'a> {
        Renderer {
            archive,
            cfg,
            theme,
            opts,
            terms: std::sync::OnceLock::new(),
            term_figures: std::sync::OnceLock::new(),
            years: std::sync::OnceLock::new(),
            related: std::sync::OnceLock::new(),
            recurrences: std::sync::OnceLock::new(),
            search: std::sync::OnceLock::new(),
            rows: archive
                .incidents
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            term_links: std::sync::OnceLock::new(),
            actions: std::sync::OnceLock::new(),
            clusters: std::sync::OnceLock::new(),
        }
    }

    /// Ends rendering, keeping the list rows: freeing them is left to
    /// the caller, which may be about to exit.
    pub fn into_rows(self) -> Rows {
        Rows(self.rows)
    }

    /// The related-incidents index of this archive (built once).
    pub fn related_index(&self) -> &Arc<RelatedIndex> {
        self.related
            .get_or_init(|| Arc::new(RelatedIndex::new(self.archive)))
    }

    /// The incidents-by-service-and-tag index of this archive (built once).
    pub fn recurrence_index(&self) -> &Arc<RecurrenceIndex> {
        self.recurrences
            .get_or_init(|| Arc::new(self.archive.recurrence_index()))
    }

    /// Uses indexes already built for an archive with the same incidents
    /// in the same order, with the same services and tags.
    pub fn with_indexes(
        self,
        related: Arc<RelatedIndex>,
        recurrences: Arc<RecurrenceIndex>,
    ) -> Self {
        let _ = self.related.set(related);
        let _ = self.recurrences.set(recurrences);
        self
    }

    pub(super) fn terms(&self) -> &[(Taxonomy, Vec<Term>)] {
        self.terms.get_or_init(|| {
            let ids = severity_ids(self.cfg);
            self.cfg
                .taxonomies
                .iter()
                .map(|&t| (t, self.archive.terms(t, &ids)))
                .collect()
        })
    }

    pub(super) fn years(&self) -> &[(i16, Vec<usize>)] {
        self.years.get_or_init(|| years(self.archive))
    }

    fn actions(&self) -> &Tracker {
        self.actions
            .get_or_init(|| actions::tracker(self.archive, self.opts.today))
    }

    fn clusters(&self) -> &Clusters {
        self.clusters.get_or_init(|| {
            let groups = self
                .archive
                .recurring_groups(self.cfg.recurring_window, self.recurrence_index());
            let clusters = clusters::clusters(self.archive, groups);
            let pages = clusters::cluster_pages(&clusters, self.cfg.paginate_by);
            Clusters { clusters, pages }
        })
    }

    /// `recurring_window` in whole days, as the pages state it.
    fn window_days(&self) -> i64 {
        self.cfg.recurring_window.as_secs() / 86_400
    }

    /// The incidents linked to incident `i` as recurring (newest first).
    pub fn recurring(&self, i: usize) -> Vec<usize> {
        self.archive
            .recurrences_of(i, self.cfg.recurring_window, self.recurrence_index())
    }

    pub(super) fn pages(&self, items: usize) -> usize {
        items.div_ceil(self.cfg.paginate_by).max(1)
    }

    /// Every page of the site, kind by kind.
    pub fn jobs(&self) -> Vec<Job> {
        self.opts
            .kinds
            .iter()
            .flat_map(|&kind| {
                (kind.pages)(self)
                    .into_iter()
                    .map(move |key| Job { kind, key })
            })
            .collect()
    }

    /// The site-relative URL of a page (`tags/dns/`, `404.html`).
    pub fn url(&self, job: Job) -> String {
        (job.kind.url)(self, job.key)
    }

    /// The output file of a page.
    pub fn path(&self, job: Job) -> String {
        output_path(&self.url(job))
    }

    /// Renders one page.
    pub fn render(&self, job: Job) -> Result<OutputFile> {
        (job.kind.render)(self, job.key)
    }

    /// What a page shows of the archive.
    pub fn shows(&self, job: Job) -> Shows {
        (job.kind.shows)(self, job.key)
    }

    /// The archive being rendered.
    pub fn archive(&self) -> &'a Archive {
        self.archive
    }

    /// The configuration.
    pub fn cfg(&self) -> &'a SiteConfig {
        self.cfg
    }

    pub(super) fn severity_ids(&self) -> Vec<String> {
        severity_ids(self.cfg)
    }

    pub(super) fn cluster_pages(&self) -> usize {
        self.clusters().pages.len()
    }

    pub(super) fn search_index(&self) -> &search::SearchIndex {
        self.search
            .get_or_init(|| search::SearchIndex::build(self.archive))
    }

    /// The list row of incident `i`, as a template value.
    fn row(&self, i: usize) -> tera::Value {
        self.rows[i]
            .get_or_init(|| {
                let row = views::row(&self.archive.incidents[i], self.cfg, &|t, name| {
                    self.term_link(t, name)
                });
                tera::Value::from_serializable(&row)
            })
            .clone()
    }

    /// The shared `{name, url}` value of one spelling of a service or tag.
    fn term_link(&self, taxonomy: Taxonomy, name: &str) -> tera::Value {
        let links = self.term_links.get_or_init(|| {
            let mut links = FxHashMap::default();
            for incident in &self.archive.incidents {
                for t in [Taxonomy::Services, Taxonomy::Tags] {
                    for n in incident.terms(t) {
                        links
                            .entry((t, n.as_str()))
                            .or_insert_with(|| views::term_link(t, n));
                    }
                }
            }
            links
        });
        links
            .get(&(taxonomy, name))
            .cloned()
            .unwrap_or_else(|| views::term_link(taxonomy, name))
    }

    /// The list rows of incidents `indexes`, as a template value.
    fn rows(&self, indexes: &[usize]) -> tera::Value {
        tera::Value::from(indexes.iter().map(|&i| self.row(i)).collect::<Vec<_>>())
    }

    /// A context with `site`, `root` and `page` for the page at `path`.
    pub fn context(&self, path: &str, title: &str) -> Context {
        self.context_for(path, title, &self.cfg.description, "website")
    }

    /// A context whose `page` has its own description and Open Graph type
    /// (`article` for incidents), for link previews in chat.
    fn context_for(
        &self,
        path: &str,
        title: &str,
        description: &str,
        kind: &'static str,
    ) -> Context {
        let mut ctx = Context::new();
        let root = if self.cfg.relative_urls {
            let depth = path.matches('/').count();
            if depth == 0 {
                "./".to_string()
            } else {
                "../".repeat(depth)
            }
        } else {
            self.cfg.base_path.clone()
        };
        ctx.insert("root", &root);
        ctx.insert(
            "page",
            &PageView {
                path,
                title,
                canonical: format!("{}{path}", self.cfg.base_url),
                description,
                kind,
            },
        );
        ctx
    }

    /// Renders `template` with `ctx` into the page at `path` (a URL).
    pub fn file(&self, path: &str, template: &str, ctx: &Context) -> Result<OutputFile> {
        self.file_sized(path, template, ctx, 16 * 1024)
    }

    /// [`Renderer::file`] into a buffer of `capacity` bytes to start with.
    fn file_sized(
        &self,
        path: &str,
        template: &str,
        ctx: &Context,
        capacity: usize,
    ) -> Result<OutputFile> {
        let mut bytes = self.theme.render(template, ctx, capacity)?;
        if let Some(inject) = &self.opts.inject {
            inject_before_body_end(&mut bytes, inject);
        }
        Ok(OutputFile {
            path: output_path(path),
            bytes,
        })
    }

    /// A file of data (not a template's page) at `url`.
    pub fn data(&self, url: &str, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: output_path(url),
            bytes,
        }
    }

    /// The related incidents shown on incident `i`'s page.
    pub fn related(&self, i: usize) -> Vec<usize> {
        self.archive.related(i, self.related_index(), RELATED_SHOWN)
    }
}

/// How many related incidents an incident page shows.
const RELATED_SHOWN: usize = 5;

/// The file a URL is served from: `tags/` → `tags/index.html`.
pub(super) fn output_path(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// Inserts `html` before the last `</body>` (or at the end).
fn inject_before_body_end(bytes: &mut Vec<u8>, html: &str) {
    let needle = b"</body>";
    let at = bytes
        .windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap_or(bytes.len());
    bytes.splice(at..at, html.bytes());
}
