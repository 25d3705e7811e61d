//! The incremental build behind `serve`.
//!
//! The engine keeps, per postmortem, the file's text and typed front matter
//! (pass one) and the built incident with its findings (pass two). A
//! change to one file re-reads only that file, rebuilds the archive from
//! the shared incidents, and re-renders only the pages that show it: its
//! page, its old and new neighbours, pages whose related list changes or
//! includes it, the home page, its years, its taxonomy terms, the taxonomy
//! indexes and stats. A template or `site.toml` change re-renders
//! everything from memory. The result is byte-identical to a full build
//! (a test applies a sequence of edits and compares).
//!
//! When a change leaves errors, the last good site stays served and the
//! findings are reported for the browser overlay.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::archive::{Archive, Asset, Incident, RELATED_WINDOW, RelatedIndex};
use crate::config::{SiteConfig, Taxonomy};
use crate::content::incident::{self, First};
use crate::content::walk::{self, SourceFile};
use crate::content::{self, is_editor_litter};
use crate::diagnostic::{Diagnostic, Level};
use crate::error::{Error, Result};
use crate::render::{self, Job, OutputFile, RenderOptions, Renderer, Theme};
use crate::site::{self, SiteOptions};
use crate::text::slugify;
use crate::validate;

/// How the browser should pick up a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Nothing visible changed.
    None,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// Reload the page.
    Full,
}

/// A problem shown in the terminal and the browser overlay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// File relative to the site root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `error` or `warning`.
    pub level: String,
    /// Rule id, or `config` / `template`.
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            level: d.level.to_string(),
            rule: d.rule.id().to_string(),
            message: d.message.clone(),
        }
    }
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Problem {
        let (file, line, column, rule, message) = match e {
            Error::Config {
                path,
                line,
                column,
                message,
            } => (
                path.file_name()
                    .map_or("site.toml".into(), |n| n.to_string_lossy().into_owned()),
                *line,
                *column,
                "config",
                message.clone(),
            ),
            Error::Template {
                template,
                line,
                column,
                message,
            } => (
                template.clone(),
                *line,
                *column,
                "template",
                message.clone(),
            ),
            other => (String::new(), 1, 1, "build", other.to_string()),
        };
        Problem {
            file,
            line,
            column,
            level: "error".into(),
            rule: rule.into(),
            message,
        }
    }
}

/// What applying a change did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How browsers should reload.
    pub reload: Reload,
    /// Errors that kept the previous site (empty on success), and warnings.
    pub problems: Vec<Problem>,
    /// Pages rendered.
    pub rendered: usize,
    /// Time taken.
    pub elapsed: Duration,
}

impl Outcome {
    /// True when the change was published.
    pub fn ok(&self) -> bool {
        !self.problems.iter().any(|p| p.level == "error")
    }
}

struct Built {
    incident: Option<Arc<Incident>>,
    findings: Vec<Diagnostic>,
}

/// The last site that was published.
struct Good {
    incidents: Vec<Arc<Incident>>,
    related: HashMap<String, Vec<String>>,
    recurring: HashMap<String, Vec<String>>,
    pages: BTreeSet<String>,
    extras: BTreeSet<String>,
}

/// The in-memory site and everything needed to update it.
pub struct Engine {
    opts: SiteOptions,
    cfg: SiteConfig,
    theme: Theme,
    firsts: BTreeMap<String, First>,
    built: BTreeMap<String, Built>,
    home: Option<String>,
    assets: Vec<Asset>,
    walk_findings: Vec<Diagnostic>,
    good: Option<Good>,
    /// Theme files, highlighting stylesheet and assets, until they change.
    extras: Option<Vec<OutputFile>>,
    /// The search index lags the pages after an incremental rebuild
    /// (see [`Engine::finish_deferred`]).
    search_stale: bool,
    /// The site as served: output path → bytes.
    pub site: BTreeMap<String, Arc<Vec<u8>>>,
    /// Problems of the last attempt.
    pub problems: Vec<Problem>,
}

/// What kind of file a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Content,
    Stylesheet,
    Static,
    Template,
    Config,
}

impl Engine {
    /// Loads and renders the site at `opts.root`.
    pub fn new(mut opts: SiteOptions) -> Result<Engine> {
        // Watch events name absolute paths; classify them against an
        // absolute root (a relative one would make every event foreign).
        opts.root = opts
            .root
            .canonicalize()
            .map_err(|e| Error::io(&opts.root, e))?;
        let cfg = site::load_config(&opts)?;
        let theme = Theme::load(&opts.root, &cfg)?;
        let mut engine = Engine {
            opts,
            cfg,
            theme,
            firsts: BTreeMap::new(),
            built: BTreeMap::new(),
            home: None,
            assets: Vec::new(),
            walk_findings: Vec::new(),
            good: None,
            extras: None,
            search_stale: false,
            site: BTreeMap::new(),
            problems: Vec::new(),
        };
        engine.rewalk()?;
        engine.publish(true);
        Ok(engine)
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The configuration in use.
    pub fn config(&self) -> &SiteConfig {
        &self.cfg
    }

    /// Walks `content/` again and reads every postmortem.
    fn rewalk(&mut self) -> Result<()> {
        let walk = walk::walk(&self.opts.root)?;
        let cfg = &self.cfg;
        self.firsts = walk
            .postmortems
            .par_iter()
            .map(|f| (f.rel.clone(), incident::read_front(f, cfg)))
            .collect();
        self.home = walk.home;
        self.assets = walk.assets;
        self.walk_findings = walk.diagnostics;
        self.built.clear();
        self.rebuild(|_| true);
        Ok(())
    }

    fn slugs(&self) -> HashMap<String, String> {
        self.firsts
            .values()
            .filter_map(|f| Some((f.file.content_path.clone(), f.slug.clone()?)))
            .collect()
    }

    /// Pass two (and per-incident rules) for the files `which` selects.
    fn rebuild(&mut self, which: impl Fn(&First) -> bool + Sync) {
        let slugs = self.slugs();
        let lookup = |p: &str| slugs.get(p).map(|slug| format!("incidents/{slug}/"));
        let ctx = validate::Context {
            cfg: &self.cfg,
            today: self.today(),
            draft_slugs: &BTreeSet::new(),
        };
        let cfg = &self.cfg;
        let fresh: Vec<(String, Built)> = self
            .firsts
            .par_iter()
            .filter(|(_, f)| which(f))
            .map(|(rel, first)| {
                let (incident, mut findings) = incident::build(first, cfg, &lookup, true);
                if let Some(i) = &incident {
                    findings.extend(validate::incident(i, &ctx));
                }
                (
                    rel.clone(),
                    Built {
                        incident: incident.map(Arc::new),
                        findings,
                    },
                )
            })
            .collect();
        self.built.extend(fresh);
    }

    fn today(&self) -> jiff::civil::Date {
        self.opts.today.unwrap_or_else(|| {
            jiff::Zoned::now()
                .with_time_zone(self.cfg.timezone.clone())
                .date()
        })
    }

    /// The archive as the files now stand, and the load and per-file findings.
    fn archive(&self) -> (Archive, Vec<Diagnostic>, BTreeSet<String>) {
        let mut archive = Archive::default();
        let mut findings = self.walk_findings.clone();
        let mut drafts = BTreeSet::new();
        for built in self.built.values() {
            match &built.incident {
                Some(i) if i.status == content::schema::Status::Draft && !self.opts.drafts => {
                    drafts.insert(i.slug.clone());
                }
                Some(i) => {
                    findings.extend(built.findings.iter().cloned());
                    archive.incidents.push(Arc::clone(i));
                }
                None => findings.extend(built.findings.iter().cloned()),
            }
        }
        let slugs = self.slugs();
        let lookup = |p: &str| slugs.get(p).map(|slug| format!("incidents/{slug}/"));
        archive.home_html = self
            .home
            .as_deref()
            .map(|t| content::home_html(t, &lookup, self.cfg.safe_html));
        archive.assets = self.assets.clone();
        archive.sort();
        (archive, findings, drafts)
    }

    /// Applies changed paths (absolute or relative to the root).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let result = self.apply_inner(changed);
        let mut outcome = match result {
            Ok(outcome) => outcome,
            Err(e) => {
                self.problems = vec![Problem::from(&e)];
                Outcome {
                    reload: Reload::None,
                    problems: self.problems.clone(),
                    rendered: 0,
                    elapsed: Duration::ZERO,
                }
            }
        };
        outcome.elapsed = started.elapsed();
        outcome
    }

    fn apply_inner(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        let mut kinds: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
        for path in changed {
            if let Some((kind, rel)) = self.classify(path) {
                kinds.entry(kind).or_default().push(rel);
            }
        }
        if kinds.is_empty() {
            return Ok(Outcome {
                reload: Reload::None,
                problems: self.problems.clone(),
                rendered: 0,
                elapsed: Duration::ZERO,
            });
        }
        let content_assets = kinds.get(&Kind::Content).is_some_and(|files| {
            files
                .iter()
                .any(|f| !f.to_ascii_lowercase().ends_with(".md"))
        });
        if kinds.keys().any(|k| *k != Kind::Content) || content_assets {
            self.extras = None;
        }
        if kinds.contains_key(&Kind::Config) {
            self.cfg = site::load_config(&self.opts)?;
            self.theme = Theme::load(&self.opts.root, &self.cfg)?;
            let cfg = &self.cfg;
            let texts: Vec<(String, SourceFile, String)> = self
                .firsts
                .iter()
                .map(|(rel, f)| (rel.clone(), f.file.clone(), f.text.clone()))
                .collect();
            self.firsts = texts
                .into_par_iter()
                .map(|(rel, file, text)| (rel, incident::front_from_text(&file, &text, cfg)))
                .collect();
            self.built.clear();
            self.rebuild(|_| true);
            return Ok(self.publish(true));
        }
        if kinds.contains_key(&Kind::Template) || kinds.contains_key(&Kind::Static) {
            self.theme = Theme::load(&self.opts.root, &self.cfg)?;
        }
        if let Some(files) = kinds.get(&Kind::Content) {
            self.update_content(files)?;
        }
        let everything = kinds.contains_key(&Kind::Template);
        let mut outcome = self.publish(everything);
        let css_only = kinds.keys().all(|k| *k == Kind::Stylesheet);
        if css_only && outcome.ok() {
            outcome.reload = Reload::Css;
        }
        Ok(outcome)
    }

    fn classify(&self, path: &Path) -> Option<(Kind, String)> {
        let rel = if path.is_absolute() {
            path.strip_prefix(&self.opts.root).ok()?
        } else {
            path
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.iter().any(|p| is_editor_litter(p)) {
            return None;
        }
        let rel = parts.join("/");
        let theme_prefix = format!("themes/{}/", self.cfg.theme);
        let kind = if rel == "site.toml" {
            Kind::Config
        } else if rel.starts_with("content/") || rel == "content" {
            Kind::Content
        } else if rel.starts_with("templates/")
            || rel.starts_with(&format!("{theme_prefix}templates/"))
        {
            Kind::Template
        } else if rel.starts_with(&format!("{theme_prefix}static/")) {
            if rel.ends_with(".css") {
                Kind::Stylesheet
            } else {
                Kind::Static
            }
        } else {
            return None;
        };
        Some((kind, rel))
    }

    /// Re-reads changed content files; walks again when folders changed.
    fn update_content(&mut self, files: &[String]) -> Result<()> {
        let root = self.opts.root.clone();
        // A folder created, removed or renamed: walk again. (A removed path
        // is a folder if something known lived under it.)
        let folder_change = files.iter().any(|rel| {
            let inside = format!("{rel}/");
            root.join(rel).is_dir()
                || self.firsts.keys().any(|k| k.starts_with(&inside))
                || self
                    .assets
                    .iter()
                    .any(|a| format!("content/{}", a.path).starts_with(&inside))
        });
        if folder_change {
            return self.rewalk();
        }
        let before = self.slugs();
        let mut touched: HashSet<String> = HashSet::new();
        let mut assets_changed = false;
        for rel in files {
            let path = root.join(rel);
            let content_path = rel.strip_prefix("content/").unwrap_or(rel).to_string();
            let name = content_path.rsplit('/').next().unwrap_or("");
            let is_md = name.to_ascii_lowercase().ends_with(".md");
            if content_path == "_index.md" {
                self.home = std::fs::read_to_string(&path).ok();
            } else if name.starts_with('_') {
            } else if is_md {
                if path.is_file() {
                    let file = SourceFile {
                        path,
                        rel: rel.clone(),
                        content_path,
                    };
                    self.firsts
                        .insert(rel.clone(), incident::read_front(&file, &self.cfg));
                    touched.insert(rel.clone());
                } else {
                    self.firsts.remove(rel);
                    self.built.remove(rel);
                }
            } else {
                assets_changed = true;
            }
        }
        if assets_changed {
            self.assets = walk::walk(&root)?.assets;
        }
        let links_moved = self.slugs() != before;
        self.rebuild(|f| touched.contains(&f.file.rel) || (links_moved && f.text.contains(".md")));
        Ok(())
    }

    /// Validates and renders; publishes the result when it has no errors.
    fn publish(&mut self, everything: bool) -> Outcome {
        let (archive, mut findings, drafts) = self.archive();
        let today = self.today();
        let ctx = validate::Context {
            cfg: &self.cfg,
            today,
            draft_slugs: &drafts,
        };
        findings.extend(validate::cross(&archive, &ctx));
        let render_opts = RenderOptions {
            today,
            inject: self.opts.inject.clone(),
        };
        let renderer = Renderer::new(&archive, &self.cfg, &self.theme, &render_opts);
        let jobs = renderer.jobs();
        let paths: Vec<String> = jobs.iter().map(|&j| renderer.path(j)).collect();
        let (wanted, related) = match (&self.good, everything) {
            (Some(good), false) => self.affected(good, &archive, &renderer, &jobs, &paths),
            _ => {
                let all = (0..archive.incidents.len())
                    .into_par_iter()
                    .map(|i| {
                        (
                            archive.incidents[i].slug.clone(),
                            slugs_of(&archive, &renderer.related(i)),
                        )
                    })
                    .collect();
                ((0..jobs.len()).collect(), all)
            }
        };
        // After a content change the search index is refreshed once the
        // pages are out (it reads every incident); see `finish_deferred`.
        let defer = self.good.is_some() && !everything;
        self.search_stale |= defer;
        let selected: Vec<Job> = wanted
            .iter()
            .map(|&i| jobs[i])
            .filter(|j| !(defer && j.is_search_data()))
            .collect();
        let extras = match self.extras.take() {
            Some(extras) => Ok(extras),
            None => render::extras(&archive, &self.theme),
        };
        let rendered = match renderer
            .render_all(&selected)
            .and_then(|pages| Ok((pages, extras?)))
        {
            Ok(r) => r,
            Err(e) => return self.fail(vec![Problem::from(&e)]),
        };
        let (pages, extras) = rendered;
        let mut site = self.site.clone();
        let page_set: BTreeSet<String> = paths.iter().cloned().collect();
        let extra_set: BTreeSet<String> = extras.iter().map(|f| f.path.clone()).collect();
        if let Some(good) = &self.good {
            for gone in good
                .pages
                .difference(&page_set)
                .chain(good.extras.difference(&extra_set))
            {
                site.remove(gone);
            }
        }
        let count = pages.len();
        for file in pages {
            insert(&mut site, file);
        }
        // A page wins over a static file of the same path, as in a full build.
        for file in extras.iter().filter(|f| !page_set.contains(&f.path)) {
            insert(&mut site, file.clone());
        }
        self.extras = Some(extras);
        let exists = |p: &str| site.contains_key(p);
        let page = |p: &str| site.get(p).map(|b| b.to_vec());
        findings.extend(validate::links::check(
            &archive,
            &validate::links::Site {
                exists: &exists,
                page: &page,
            },
        ));
        let findings = validate::finish(findings, &self.cfg);
        let problems: Vec<Problem> = findings.iter().map(Problem::from).collect();
        if findings.iter().any(|d| d.level == Level::Error) {
            return self.fail(problems);
        }
        let recurring = (0..archive.incidents.len())
            .map(|i| {
                (
                    archive.incidents[i].slug.clone(),
                    slugs_of(&archive, renderer.recurring(i)),
                )
            })
            .collect();
        self.good = Some(Good {
            incidents: archive.incidents.clone(),
            related,
            recurring,
            pages: page_set,
            extras: extra_set,
        });
        self.site = site;
        self.problems = problems.clone();
        Outcome {
            reload: Reload::Full,
            problems,
            rendered: count,
            elapsed: Duration::ZERO,
        }
    }

    fn fail(&mut self, problems: Vec<Problem>) -> Outcome {
        self.problems = problems.clone();
        Outcome {
            reload: Reload::Full,
            problems,
            rendered: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// Indexes (into `jobs`) of the pages a content change touches.
    fn affected(
        &self,
        good: &Good,
        archive: &Archive,
        renderer: &Renderer<'_>,
        jobs: &[Job],
        paths: &[String],
    ) -> (Vec<usize>, HashMap<String, Vec<String>>) {
        let old: HashMap<&str, (usize, &Arc<Incident>)> = good
            .incidents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.slug.as_str(), (i, x)))
            .collect();
        let new: HashMap<&str, (usize, &Arc<Incident>)> = archive
            .incidents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.slug.as_str(), (i, x)))
            .collect();
        let mut changed: BTreeSet<&str> = BTreeSet::new();
        for (slug, (_, x)) in &new {
            if old.get(slug).is_none_or(|(_, o)| !Arc::ptr_eq(o, x)) {
                changed.insert(slug);
            }
        }
        changed.extend(old.keys().filter(|s| !new.contains_key(*s)));
        // Pages that summarise the whole archive change with any incident.
        let mut exact: BTreeSet<String> = [
            "index.html",
            "stats/index.html",
            "atom.xml",
            "sitemap.xml",
            "incidents.json",
            "actions/index.html",
            "recurring/index.html",
        ]
        .map(String::from)
        .into();
        exact.extend(
            self.cfg
                .taxonomies
                .iter()
                .map(|t| format!("{}/index.html", t.name())),
        );
        let mut prefixes: BTreeSet<String> = BTreeSet::new();
        let mut pages: BTreeSet<&str> = BTreeSet::new();
        let old_archive = Archive {
            incidents: good.incidents.clone(),
            ..Archive::default()
        };
        let old_index = RelatedIndex::new(&old_archive);
        let new_index = RelatedIndex::new(archive);
        let mut candidates: BTreeSet<&str> = BTreeSet::new();
        for slug in &changed {
            for (side, list, index) in [
                (&old, &good.incidents, &old_index),
                (&new, &archive.incidents, &new_index),
            ] {
                let Some(&(i, x)) = side.get(slug) else {
                    continue;
                };
                pages.insert(slug);
                for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    if let Some(n) = list.get(j) {
                        pages.insert(&n.slug);
                    }
                }
                for j in index.near(x, i, RELATED_WINDOW + 1) {
                    candidates.insert(&list[j].slug);
                }
                let year = x.start.to_zoned(x.zone.clone()).year();
                prefixes.insert(format!("years/{year}/"));
                for taxonomy in &self.cfg.taxonomies {
                    for term in x.terms(*taxonomy) {
                        prefixes.insert(format!("{}/{}/", taxonomy.name(), slugify(term)));
                    }
                }
            }
        }
        for x in &archive.incidents {
            if x.related.iter().any(|r| changed.contains(r.as_str())) {
                candidates.insert(&x.slug);
            }
        }
        for (slug, list) in &good.related {
            if list.iter().any(|r| changed.contains(r.as_str())) {
                candidates.insert(slug);
            }
        }
        // Related lists can change only for the candidates; keep the rest.
        let mut related: HashMap<String, Vec<String>> = good
            .related
            .iter()
            .filter(|(slug, _)| new.contains_key(slug.as_str()))
            .map(|(s, l)| (s.clone(), l.clone()))
            .collect();
        for slug in candidates {
            let Some(&(i, _)) = new.get(slug) else {
                continue;
            };
            let now = slugs_of(archive, &renderer.related(i));
            if good.related.get(slug) != Some(&now)
                || now.iter().any(|r| changed.contains(r.as_str()))
            {
                pages.insert(slug);
            }
            related.insert(slug.to_string(), now);
        }
        // "This has happened before" callouts, in both directions.
        for (i, x) in archive.incidents.iter().enumerate() {
            let now = slugs_of(archive, renderer.recurring(i));
            if good.recurring.get(&x.slug) != Some(&now)
                || now.iter().any(|r| changed.contains(r.as_str()))
            {
                pages.insert(&x.slug);
            }
        }
        exact.extend(pages.iter().map(|s| format!("incidents/{s}/index.html")));
        let _ = Taxonomy::ALL;
        let wanted = (0..jobs.len())
            .filter(|&i| {
                let p = &paths[i];
                exact.contains(p)
                    || prefixes.iter().any(|pre| p.starts_with(pre.as_str()))
                    || !good.pages.contains(p)
            })
            .collect();
        (wanted, related)
    }

    /// Brings the search index up to date after an incremental rebuild
    /// left it behind; returns true when it changed anything.
    pub fn finish_deferred(&mut self) -> bool {
        if !self.search_stale {
            return false;
        }
        self.search_stale = false;
        let Some(good) = &self.good else {
            return false;
        };
        let archive = Archive {
            incidents: good.incidents.clone(),
            ..Archive::default()
        };
        let render_opts = RenderOptions {
            today: self.today(),
            inject: self.opts.inject.clone(),
        };
        let renderer = Renderer::new(&archive, &self.cfg, &self.theme, &render_opts);
        let jobs: Vec<Job> = renderer
            .jobs()
            .into_iter()
            .filter(|j| j.is_search_data())
            .collect();
        let Ok(files) = renderer.render_all(&jobs) else {
            return false;
        };
        let mut site = self.site.clone();
        let before = site.clone();
        for file in files {
            insert(&mut site, file);
        }
        let changed = site != before;
        self.site = site;
        changed
    }
}

fn slugs_of(archive: &Archive, indexes: &[usize]) -> Vec<String> {
    indexes
        .iter()
        .map(|&j| archive.incidents[j].slug.clone())
        .collect()
}

fn insert(site: &mut BTreeMap<String, Arc<Vec<u8>>>, file: OutputFile) {
    match site.get(&file.path) {
        Some(old) if **old == file.bytes => {}
        _ => {
            site.insert(file.path, Arc::new(file.bytes));
        }
    }
}
