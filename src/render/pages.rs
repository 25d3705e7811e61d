//! The pages of the site and the context each template gets.

use serde::Serialize;
use tera::Context;

use super::incident_page;
use super::stats;
use super::views::{self, TermLink};
use super::{OutputFile, RenderOptions, Theme};
use super::{export, feeds, insights, search};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::analysis::recurrence::RecurrenceIndex;
use crate::analysis::related::RelatedIndex;
use crate::analysis::terms::Term;
use crate::config::SiteConfig;
use crate::error::Result;
use crate::model::Archive;
use crate::model::Taxonomy;

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// `index.html`.
    Home,
    /// `incidents/<slug>/`, by index into the archive.
    Incident(usize),
    /// `years/<year>/` (page 1) and `years/<year>/page/<n>/`, by index
    /// into the year groups.
    Year {
        /// Index of the year group.
        group: usize,
        /// 1-based page.
        page: usize,
    },
    /// `tags/`, `services/`, `severity/`.
    TaxonomyIndex(Taxonomy),
    /// `tags/<slug>/` and its further pages, by index into the terms.
    Term {
        /// The taxonomy.
        taxonomy: Taxonomy,
        /// Index of the term.
        term: usize,
        /// 1-based page.
        page: usize,
    },
    /// `stats/`.
    Stats,
    /// `404.html`.
    NotFound,
    /// `atom.xml`: the newest incidents.
    Feed,
    /// `services/<slug>/atom.xml`, by index into the service terms.
    ServiceFeed(usize),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `incidents.json`.
    Export,
    /// `actions/` (page 1) and `actions/page/<n>/`: every action item.
    Actions(usize),
    /// `recurring/` (page 1) and `recurring/page/<n>/`: incidents that
    /// happened again.
    Recurring(usize),
    /// `search/`: the search page.
    Search,
    /// `search/index.json`.
    SearchMeta,
    /// `search/docs-<n>.json`.
    SearchDocs(usize),
    /// `search/terms-<c>.json`, by index into [`search::SHARDS`].
    SearchTerms(usize),
    /// `.nojekyll` (GitHub Pages: serve files as they are).
    NoJekyll,
    /// `CNAME` (GitHub Pages custom domain), when `cname` is set.
    Cname,
}

impl Job {
    /// True for the search index files (not the search page).
    pub fn is_search_data(self) -> bool {
        matches!(
            self,
            Job::SearchMeta | Job::SearchDocs(_) | Job::SearchTerms(_)
        )
    }

    /// True for HTML pages (the ones a sitemap lists).
    pub fn is_page(self) -> bool {
        matches!(
            self,
            Job::Home
                | Job::Incident(_)
                | Job::Year { .. }
                | Job::TaxonomyIndex(_)
                | Job::Term { .. }
                | Job::Stats
                | Job::Actions(_)
                | Job::Recurring(_)
                | Job::Search
        )
    }
}

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
    actions: std::sync::OnceLock<insights::ActionsView<'a>>,
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
    clusters: Vec<insights::Cluster>,
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

    fn terms(&self) -> &[(Taxonomy, Vec<Term>)] {
        self.terms.get_or_init(|| {
            let ids = severity_ids(self.cfg);
            self.cfg
                .taxonomies
                .iter()
                .map(|&t| (t, self.archive.terms(t, &ids)))
                .collect()
        })
    }

    fn years(&self) -> &[(i16, Vec<usize>)] {
        self.years.get_or_init(|| years(self.archive))
    }

    fn actions(&self) -> &insights::ActionsView<'a> {
        self.actions
            .get_or_init(|| insights::actions(self.archive, self.opts.today))
    }

    fn clusters(&self) -> &Clusters {
        self.clusters.get_or_init(|| {
            let groups = self
                .archive
                .recurring_groups(self.cfg.recurring_window, self.recurrence_index());
            let clusters = insights::clusters(self.archive, groups);
            let pages = insights::cluster_pages(&clusters, self.cfg.paginate_by);
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

    fn pages(&self, items: usize) -> usize {
        items.div_ceil(self.cfg.paginate_by).max(1)
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![
            Job::Home,
            Job::Stats,
            Job::NotFound,
            Job::Feed,
            Job::Sitemap,
            Job::Robots,
            Job::Export,
            Job::NoJekyll,
            Job::Search,
            Job::SearchMeta,
        ];
        let listed = insights::listed_actions(self.archive);
        let actions = insights::action_pages(listed, self.cfg.paginate_by);
        jobs.extend((1..=actions).map(Job::Actions));
        jobs.extend((1..=self.clusters().pages.len()).map(Job::Recurring));
        jobs.extend(
            (0..self
                .archive
                .incidents
                .len()
                .div_ceil(search::DOCS_PER_CHUNK))
                .map(Job::SearchDocs),
        );
        jobs.extend((0..search::SHARDS.len()).map(Job::SearchTerms));
        if self.cfg.cname.is_some() {
            jobs.push(Job::Cname);
        }
        if self.cfg.taxonomies.contains(&Taxonomy::Services) {
            jobs.extend((0..self.terms_of(Taxonomy::Services).len()).map(Job::ServiceFeed));
        }
        jobs.extend((0..self.archive.incidents.len()).map(Job::Incident));
        for (group, (_, items)) in self.years().iter().enumerate() {
            jobs.extend((1..=self.pages(items.len())).map(|page| Job::Year { group, page }));
        }
        for (taxonomy, terms) in self.terms() {
            jobs.push(Job::TaxonomyIndex(*taxonomy));
            for (term, t) in terms.iter().enumerate() {
                let pages = self.pages(t.incidents.len());
                jobs.extend((1..=pages).map(|page| Job::Term {
                    taxonomy: *taxonomy,
                    term,
                    page,
                }));
            }
        }
        jobs
    }

    /// The site-relative URL of a page (`tags/dns/`, `404.html`).
    pub fn url(&self, job: Job) -> String {
        match job {
            Job::Home => String::new(),
            Job::Incident(i) => views::incident_url(&self.archive.incidents[i].slug),
            Job::Year { group, page } => {
                views::page_url(&format!("years/{}/", self.years()[group].0), page)
            }
            Job::TaxonomyIndex(t) => format!("{}/", t.name()),
            Job::Term {
                taxonomy,
                term,
                page,
            } => {
                let t = &self.terms_of(taxonomy)[term];
                views::page_url(&format!("{}/{}/", taxonomy.name(), t.slug), page)
            }
            Job::Stats => "stats/".into(),
            Job::NotFound => "404.html".into(),
            Job::Feed => "atom.xml".into(),
            Job::ServiceFeed(term) => format!(
                "services/{}/atom.xml",
                self.terms_of(Taxonomy::Services)[term].slug
            ),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::Export => "incidents.json".into(),
            Job::NoJekyll => ".nojekyll".into(),
            Job::Cname => "CNAME".into(),
            Job::Actions(page) => views::page_url("actions/", page),
            Job::Recurring(page) => views::page_url("recurring/", page),
            Job::Search => "search/".into(),
            Job::SearchMeta => "search/index.json".into(),
            Job::SearchDocs(n) => format!("search/docs-{n}.json"),
            Job::SearchTerms(n) => {
                format!("search/terms-{}.json", search::SHARDS.as_bytes()[n] as char)
            }
        }
    }

    /// The output file of a page.
    pub fn path(&self, job: Job) -> String {
        output_path(&self.url(job))
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
    fn context(&self, path: &str, title: &str) -> Context {
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

    fn file(&self, path: &str, template: &str, ctx: &Context) -> Result<OutputFile> {
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

    /// Renders one page.
    pub fn render(&self, job: Job) -> Result<OutputFile> {
        match job {
            Job::Home => self.home(),
            Job::Incident(i) => self.incident(i),
            Job::Year { group, page } => self.year(group, page),
            Job::TaxonomyIndex(t) => self.taxonomy(t),
            Job::Term {
                taxonomy,
                term,
                page,
            } => self.term(taxonomy, term, page),
            Job::Stats => {
                let mut ctx = self.context("stats/", "Statistics");
                ctx.insert("stats", &stats::view(self.archive, self.cfg));
                self.file("stats/", "stats.html", &ctx)
            }
            Job::NotFound => {
                let ctx = self.context("404.html", "Page not found");
                self.file("404.html", "404.html", &ctx)
            }
            Job::Feed => {
                let incidents = self.archive.incidents.iter().map(|i| &**i);
                Ok(self.data(
                    job,
                    feeds::atom(incidents, self.cfg, "atom.xml", &self.cfg.title),
                ))
            }
            Job::ServiceFeed(term) => {
                let t = &self.terms_of(Taxonomy::Services)[term];
                let incidents = t.incidents.iter().map(|&i| &*self.archive.incidents[i]);
                let path = self.url(job);
                let title = format!("{}: {}", self.cfg.title, t.name);
                Ok(self.data(job, feeds::atom(incidents, self.cfg, &path, &title)))
            }
            Job::Sitemap => {
                let urls: Vec<String> = self
                    .jobs()
                    .into_iter()
                    .filter(|j| j.is_page())
                    .map(|j| self.url(j))
                    .collect();
                Ok(self.data(job, feeds::sitemap(&urls, self.cfg)))
            }
            Job::Robots => Ok(self.data(job, feeds::robots(self.cfg))),
            Job::Export => Ok(self.data(job, export::json(self.archive, self.cfg))),
            Job::NoJekyll => Ok(self.data(job, Vec::new())),
            Job::Actions(page) => self.actions_page(page),
            Job::Recurring(page) => self.recurring_page(page),
            Job::Search => {
                let ctx = self.context("search/", "Search");
                self.file("search/", "search.html", &ctx)
            }
            Job::SearchMeta => Ok(self.data(
                job,
                search::meta_json(self.archive, &severity_ids(self.cfg)),
            )),
            Job::SearchDocs(n) => Ok(self.data(job, search::docs_json(self.archive, n))),
            Job::SearchTerms(n) => {
                let index = self
                    .search
                    .get_or_init(|| search::SearchIndex::build(self.archive));
                Ok(self.data(job, index.shard_json(search::SHARDS.as_bytes()[n] as char)))
            }
            Job::Cname => Ok(self.data(
                job,
                format!("{}\n", self.cfg.cname.as_deref().unwrap_or_default()).into_bytes(),
            )),
        }
    }

    fn data(&self, job: Job, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: self.path(job),
            bytes,
        }
    }

    /// The related incidents shown on incident `i`'s page.
    pub fn related(&self, i: usize) -> Vec<usize> {
        self.archive.related(i, self.related_index(), RELATED_SHOWN)
    }

    fn home(&self) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct YearGroup {
            year: i16,
            rows: tera::Value,
            count: usize,
            url: String,
        }
        let mut ctx = self.context("", &self.cfg.title);
        let mut budget = self.cfg.paginate_by;
        let mut groups = Vec::new();
        let mut older = Vec::new();
        for (year, items) in self.years() {
            let (year, items) = (*year, items.as_slice());
            let url = format!("years/{year}/");
            if budget == 0 {
                older.push(YearGroup {
                    year,
                    rows: self.rows(&[]),
                    count: items.len(),
                    url,
                });
                continue;
            }
            let shown = items.len().min(budget);
            budget -= shown;
            groups.push(YearGroup {
                year,
                rows: self.rows(&items[..shown]),
                count: items.len(),
                url,
            });
        }
        ctx.insert(
            "figures",
            &views::figures(self.archive.incidents.iter().map(|i| &**i)),
        );
        ctx.insert("years", &groups);
        ctx.insert("older_years", &older);
        ctx.insert("home_html", &self.archive.home_html);
        self.file("", "index.html", &ctx)
    }

    fn incident(&self, i: usize) -> Result<OutputFile> {
        let incident = &self.archive.incidents[i];
        let path = views::incident_url(&incident.slug);
        let lasted = match incident.duration() {
            Some(d) => format!("lasted {}", crate::model::format::duration(d)),
            None => views::duration_text(incident),
        };
        let mut description = format!(
            "{} {} · {lasted}",
            incident.severity,
            views::severity_label(self.cfg, &incident.severity),
        );
        if let Some(impact) = &incident.impact_summary {
            description.push_str(&format!(" · {impact}"));
        }
        let mut ctx = self.context_for(&path, &incident.title, &description, "article");
        ctx.insert(
            "incident",
            &incident_page::view(
                incident,
                self.row(i),
                self.cfg,
                self.opts.today,
                &self.archive.slugs,
            ),
        );
        let related = self.related(i);
        ctx.insert_value("related", self.rows(&related));
        let (after, before): (Vec<usize>, Vec<usize>) =
            self.recurring(i).into_iter().partition(|&j| j < i);
        // The nearest in time on each side; the rest are on `recurring/`.
        let shown_before = &before[..before.len().min(RECURRING_SHOWN)];
        let shown_after = &after[after.len().saturating_sub(RECURRING_SHOWN)..];
        ctx.insert_value("recurring_before", self.rows(shown_before));
        ctx.insert_value("recurring_after", self.rows(shown_after));
        ctx.insert(
            "recurring_more",
            &(before.len() + after.len() - shown_before.len() - shown_after.len()),
        );
        ctx.insert("window_days", &self.window_days());
        let neighbour = |j: usize| (j < self.archive.incidents.len()).then(|| self.row(j));
        ctx.insert_value("older", tera::Value::from(neighbour(i + 1)));
        ctx.insert_value(
            "newer",
            tera::Value::from(i.checked_sub(1).and_then(neighbour)),
        );
        // The page is its body's HTML and about 12-28 KB around it (the
        // default theme); the HTML is two to three times the Markdown.
        let capacity = 16 * 1024 + 4 * incident.source.len();
        self.file_sized(&path, "incident.html", &ctx, capacity)
    }

    fn actions_page(&self, page: usize) -> Result<OutputFile> {
        let all = self.actions();
        let total = insights::action_pages(all.listed(), self.cfg.paginate_by);
        let path = views::page_url("actions/", page);
        let mut ctx = self.context(&path, "Action items");
        ctx.insert(
            "actions",
            &insights::actions_page(all, page, self.cfg.paginate_by),
        );
        ctx.insert("pagination", &views::pagination("actions/", page, total));
        self.file(&path, "actions.html", &ctx)
    }

    fn recurring_page(&self, page: usize) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct ClusterView<'c> {
            services: &'c [String],
            tags: &'c [String],
            /// Members in the whole cluster.
            count: usize,
            /// The members on this page.
            rows: tera::Value,
            /// Began on an earlier page.
            continued: bool,
            /// Goes on on the next page.
            continues: bool,
        }
        let all = self.clusters();
        let path = views::page_url("recurring/", page);
        let mut ctx = self.context(&path, "Recurring incidents");
        let views: Vec<ClusterView<'_>> = all.pages[page - 1]
            .iter()
            .map(|(c, range)| {
                let cluster = &all.clusters[*c];
                ClusterView {
                    services: &cluster.services,
                    tags: &cluster.tags,
                    count: cluster.members.len(),
                    rows: self.rows(&cluster.members[range.clone()]),
                    continued: range.start > 0,
                    continues: range.end < cluster.members.len(),
                }
            })
            .collect();
        ctx.insert("clusters", &views);
        ctx.insert(
            "pagination",
            &views::pagination("recurring/", page, all.pages.len()),
        );
        ctx.insert("window_days", &self.window_days());
        self.file(&path, "recurring.html", &ctx)
    }

    fn year(&self, group: usize, page: usize) -> Result<OutputFile> {
        let (year, items) = &self.years()[group];
        let base = format!("years/{year}/");
        let path = views::page_url(&base, page);
        let title = format!("Incidents in {year}");
        let size = self.cfg.paginate_by;
        let chunk = &items[(page - 1) * size..(page * size).min(items.len())];
        let mut ctx = self.context(&path, &title);
        ctx.insert("heading", &title);
        ctx.insert_value("rows", self.rows(chunk));
        ctx.insert(
            "pagination",
            &views::pagination(&base, page, self.pages(items.len())),
        );
        ctx.insert("figures", &Option::<views::Figures>::None);
        self.file(&path, "list.html", &ctx)
    }

    fn taxonomy(&self, taxonomy: Taxonomy) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct TermView<'t> {
            name: &'t str,
            slug: &'t str,
            url: String,
            count: usize,
        }
        let terms = self.terms_of(taxonomy);
        let path = format!("{}/", taxonomy.name());
        let mut ctx = self.context(&path, taxonomy.title());
        let views: Vec<TermView<'_>> = terms
            .iter()
            .map(|t| TermView {
                name: &t.name,
                slug: &t.slug,
                url: format!("{}/{}/", taxonomy.name(), t.slug),
                count: t.incidents.len(),
            })
            .collect();
        ctx.insert("taxonomy", &TaxonomyView::of(taxonomy));
        ctx.insert("terms", &views);
        self.file(&path, "taxonomy.html", &ctx)
    }

    fn terms_of(&self, taxonomy: Taxonomy) -> &[Term] {
        self.terms()
            .iter()
            .find(|(t, _)| *t == taxonomy)
            .map_or(&[], |(_, terms)| terms.as_slice())
    }

    /// The headline figures of a term's incidents, made once for all its
    /// pages (once for every term: linear in the archive).
    fn term_figures(&self, taxonomy: Taxonomy, term: usize) -> Option<&views::Figures> {
        let all = self.term_figures.get_or_init(|| {
            self.terms()
                .iter()
                .map(|(_, terms)| {
                    terms
                        .iter()
                        .map(|t| {
                            views::figures(t.incidents.iter().map(|&i| &*self.archive.incidents[i]))
                        })
                        .collect()
                })
                .collect()
        });
        let k = self.terms().iter().position(|(t, _)| *t == taxonomy)?;
        all.get(k)?.get(term)
    }

    fn term(&self, taxonomy: Taxonomy, term: usize, page: usize) -> Result<OutputFile> {
        let t = &self.terms_of(taxonomy)[term];
        let base = format!("{}/{}/", taxonomy.name(), t.slug);
        let path = views::page_url(&base, page);
        let heading = match taxonomy {
            Taxonomy::Severity => {
                format!("{} · {}", t.name, views::severity_label(self.cfg, &t.name))
            }
            _ => t.name.clone(),
        };
        let mut ctx = self.context(&path, &format!("{}: {heading}", taxonomy.title()));
        let size = self.cfg.paginate_by;
        let chunk = &t.incidents[(page - 1) * size..(page * size).min(t.incidents.len())];
        ctx.insert("heading", &heading);
        ctx.insert("taxonomy", &TaxonomyView::of(taxonomy));
        ctx.insert_value("rows", self.rows(chunk));
        ctx.insert(
            "pagination",
            &views::pagination(&base, page, self.pages(t.incidents.len())),
        );
        ctx.insert("figures", &self.term_figures(taxonomy, term));
        self.file(&path, "list.html", &ctx)
    }
}

#[derive(Debug, Clone, Serialize)]
struct TaxonomyView {
    name: &'static str,
    title: &'static str,
    singular: &'static str,
}

impl TaxonomyView {
    fn of(t: Taxonomy) -> TaxonomyView {
        TaxonomyView {
            name: t.name(),
            title: t.title(),
            singular: t.singular(),
        }
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
