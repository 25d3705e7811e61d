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

use crate::analysis::related::{RELATED_WINDOW, RelatedIndex};
use crate::config::SiteConfig;
use crate::content::incident::{self, First};
use crate::content::walk::{self, SourceFile};
use crate::content::{self, is_editor_litter};
use crate::diagnostic::{Diagnostic, Level};
use crate::error::{Error, Result};
use crate::model::{Archive, Asset, Incident};
use crate::render::{self, Job, OutputFile, RenderOptions, Renderer, Theme};
use crate::site::{self, SiteOptions};
use crate::validate;

use super::changes::Fingerprints;

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
    /// Output paths that changed, when only part of the site was
    /// rebuilt (browsers on other pages need not reload); `None`: all.
    pub changed: Option<Vec<String>>,
    /// Pages rendered.
    pub rendered: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// False when no input of the site changed (the events were about
    /// other files, or files rewritten with the same bytes): nothing was
    /// rebuilt and there is nothing to tell.
    pub inputs_changed: bool,
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
    /// Its related-incidents index (slug positions, postings).
    index: Arc<RelatedIndex>,
    /// Its recurrence index (incidents by service and tag).
    recurrences: Arc<crate::analysis::recurrence::RecurrenceIndex>,
    related: HashMap<String, Vec<String>>,
    recurring: HashMap<String, Vec<String>>,
    pages: BTreeSet<String>,
    extras: BTreeSet<String>,
}

/// The incidents as published by the quick rebuilds since the last whole
/// render.
struct Quick {
    incidents: Vec<Arc<Incident>>,
}

/// The in-memory site and everything needed to update it.
pub struct Engine {
    opts: SiteOptions,
    cfg: SiteConfig,
    theme: Theme,
    firsts: BTreeMap<String, First>,
    /// Slug of each postmortem by its path under `content/`.
    slugs: HashMap<String, String>,
    built: BTreeMap<String, Built>,
    home: Option<String>,
    assets: Vec<Asset>,
    walk_findings: Vec<Diagnostic>,
    good: Option<Good>,
    /// Theme files, highlighting stylesheet and assets, until they change.
    extras: Option<Vec<OutputFile>>,
    /// Published by quick rebuilds since the last whole render.
    quick: Option<Quick>,
    /// A quick rebuild left work for [`Engine::finish_deferred`].
    pending: bool,
    /// The site as served: output path → bytes.
    pub site: BTreeMap<String, Arc<Vec<u8>>>,
    /// Problems of the last attempt.
    pub problems: Vec<Problem>,
    /// What each input file held when an event last named it.
    fingerprints: Fingerprints,
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
            slugs: HashMap::new(),
            built: BTreeMap::new(),
            home: None,
            assets: Vec::new(),
            walk_findings: Vec::new(),
            good: None,
            extras: None,
            quick: None,
            pending: false,
            site: BTreeMap::new(),
            problems: Vec::new(),
            fingerprints: Fingerprints::default(),
        };
        engine.fingerprints.seed(&engine.opts.root);
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
        self.index_slugs();
        self.built.clear();
        self.rebuild(|_| true);
        Ok(())
    }

    /// Recomputes the slug of every postmortem by its `content/` path.
    fn index_slugs(&mut self) {
        self.slugs = self
            .firsts
            .values()
            .filter_map(|f| Some((f.file.content_path.clone(), f.slug.clone()?)))
            .collect();
    }

    /// Pass two (and per-incident rules) for the files `which` selects.
    fn rebuild(&mut self, which: impl Fn(&First) -> bool + Sync) {
        let selected: Vec<&First> = self.firsts.values().filter(|f| which(f)).collect();
        self.rebuild_files(selected.into_iter().map(|f| f.file.rel.clone()).collect());
    }

    /// Pass two (and per-incident rules) for the files at `rels`.
    fn rebuild_files(&mut self, rels: Vec<String>) {
        let slugs = &self.slugs;
        let lookup = |p: &str| slugs.get(p).map(|slug| format!("incidents/{slug}/"));
        let ctx = validate::Context {
            cfg: &self.cfg,
            today: self.today(),
            draft_slugs: &BTreeSet::new(),
        };
        let cfg = &self.cfg;
        let firsts = &self.firsts;
        let fresh: Vec<(String, Built)> = rels
            .par_iter()
            .filter_map(|rel| Some((rel, firsts.get(rel)?)))
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
                Some(i) if i.status == crate::model::schema::Status::Draft && !self.opts.drafts => {
                    drafts.insert(i.slug.clone());
                }
                Some(i) => {
                    findings.extend(built.findings.iter().cloned());
                    archive.incidents.push(Arc::clone(i));
                }
                None => findings.extend(built.findings.iter().cloned()),
            }
        }
        let slugs = &self.slugs;
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
                    changed: None,
                    problems: self.problems.clone(),
                    rendered: 0,
                    elapsed: Duration::ZERO,
                    inputs_changed: true,
                }
            }
        };
        outcome.elapsed = started.elapsed();
        outcome
    }

    fn apply_inner(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        let mut kinds: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
        for path in changed {
            let Some((kind, rel)) = self.classify(path) else {
                continue;
            };
            let known = self.firsts.get(&rel).map(|f| &*f.text);
            if self.fingerprints.changed(&self.opts.root.join(&rel), known) {
                kinds.entry(kind).or_default().push(rel);
            }
        }
        if kinds.is_empty() {
            return Ok(Outcome {
                reload: Reload::None,
                changed: None,
                problems: self.problems.clone(),
                rendered: 0,
                elapsed: Duration::ZERO,
                inputs_changed: false,
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
            self.refuse_missing_config()?;
            self.cfg = site::load_config(&self.opts)?;
            self.theme = Theme::load(&self.opts.root, &self.cfg)?;
            let cfg = &self.cfg;
            let texts: Vec<(String, SourceFile, Arc<str>)> = self
                .firsts
                .iter()
                .map(|(rel, f)| (rel.clone(), f.file.clone(), Arc::clone(&f.text)))
                .collect();
            self.firsts = texts
                .into_par_iter()
                .map(|(rel, file, text)| {
                    (rel, incident::front_from_text(&file, text.to_string(), cfg))
                })
                .collect();
            self.index_slugs();
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

    /// A `site.toml` removed while serving is an error, not a silent
    /// switch to the defaults (nor silently keeping the old settings): the
    /// last good site stays, with the previous settings, until it is back.
    fn refuse_missing_config(&self) -> Result<()> {
        let path = self.opts.root.join("site.toml");
        if path.exists() {
            return Ok(());
        }
        Err(Error::Config {
            path,
            line: 1,
            column: 1,
            message: "site.toml was removed while serving; the site is still shown with its previous settings. Restore it (git checkout site.toml, say), or restart `hindsight serve` to build without one".into(),
        })
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
        let mut links_moved = false;
        let mut touched: HashSet<String> = HashSet::new();
        let mut assets_changed = false;
        for rel in files {
            let path = root.join(rel);
            let content_path = rel.strip_prefix("content/").unwrap_or(rel).to_string();
            let name = content_path.rsplit('/').next().unwrap_or("");
            let is_md = name.to_ascii_lowercase().ends_with(".md");
            if content_path == "_index.md" {
                self.home = crate::input::read_to_string(&path).ok();
            } else if name.starts_with('_') {
            } else if is_md {
                if path.is_file() {
                    let file = SourceFile {
                        path,
                        rel: rel.clone(),
                        content_path,
                    };
                    let first = incident::read_front(&file, &self.cfg);
                    links_moved |= self.slugs.get(&file.content_path) != first.slug.as_ref();
                    match &first.slug {
                        Some(slug) => self.slugs.insert(file.content_path.clone(), slug.clone()),
                        None => self.slugs.remove(&file.content_path),
                    };
                    self.firsts.insert(rel.clone(), first);
                    touched.insert(rel.clone());
                } else {
                    links_moved |= self.slugs.remove(&content_path).is_some();
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
        if links_moved {
            self.rebuild(|f| touched.contains(&f.file.rel) || f.text.contains(".md"));
        } else {
            self.rebuild_files(touched.into_iter().collect());
        }
        Ok(())
    }

    /// The archive as the files now stand with every finding but those on
    /// links, and how to render it.
    fn validated(&self) -> (Archive, Vec<Diagnostic>, RenderOptions) {
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
        (archive, findings, render_opts)
    }

    /// Makes `site` the served site with `problems` (warnings) shown.
    fn succeed(
        &mut self,
        site: BTreeMap<String, Arc<Vec<u8>>>,
        problems: Vec<Problem>,
        changed: Option<Vec<String>>,
        rendered: usize,
    ) -> Outcome {
        self.site = site;
        self.problems = problems.clone();
        Outcome {
            reload: Reload::Full,
            changed,
            problems,
            rendered,
            elapsed: Duration::ZERO,
            inputs_changed: true,
        }
    }

    /// Validates and renders; publishes the result when it has no errors.
    ///
    /// After a content change only the changed incidents' own pages are
    /// rendered before browsers are told (the open page reloads at once);
    /// everything that lists or summarises them (neighbours, related and
    /// recurring incidents, home, lists, stats, feeds, search) follows in
    /// [`Engine::finish_deferred`].
    fn publish(&mut self, everything: bool) -> Outcome {
        if everything || self.good.is_none() {
            return self.publish_whole(true);
        }
        let (archive, findings, render_opts) = self.validated();
        let Some(good) = &self.good else {
            return self.publish_whole(true);
        };
        let previous = self
            .quick
            .as_ref()
            .map_or(&good.incidents, |q| &q.incidents);
        let before: HashMap<&str, &Arc<Incident>> =
            previous.iter().map(|x| (x.slug.as_str(), x)).collect();
        let mut changed: Vec<usize> = Vec::new();
        let mut now: HashSet<&str> = HashSet::with_capacity(archive.incidents.len());
        for (i, x) in archive.incidents.iter().enumerate() {
            now.insert(&x.slug);
            if before
                .get(x.slug.as_str())
                .is_none_or(|old| !Arc::ptr_eq(old, x))
            {
                changed.push(i);
            }
        }
        let removed: Vec<String> = before
            .keys()
            .filter(|s| !now.contains(*s))
            .map(|s| format!("incidents/{s}/index.html"))
            .collect();
        let mut renderer = Renderer::new(&archive, &self.cfg, &self.theme, &render_opts);
        if same_shape(&good.incidents, &archive.incidents) {
            renderer =
                renderer.with_indexes(Arc::clone(&good.index), Arc::clone(&good.recurrences));
        }
        let jobs: Vec<Job> = changed.iter().map(|&i| Job::Incident(i)).collect();
        let pages = match renderer.render_all(&jobs) {
            Ok(pages) => pages,
            Err(e) => return self.fail(vec![Problem::from(&e)]),
        };
        let mut site = self.site.clone();
        let mut paths: Vec<String> = removed.clone();
        for gone in &removed {
            site.remove(gone);
        }
        for file in pages {
            paths.push(file.path.clone());
            insert(&mut site, file);
        }
        let known = |p: &str| {
            site.contains_key(p)
                || self
                    .extras
                    .as_ref()
                    .is_some_and(|e| e.iter().any(|f| f.path == p))
        };
        let needs_all = changed.iter().any(|&i| {
            archive.incidents[i].body.links.iter().any(|l| {
                !l.path.is_empty()
                    && !known(&l.path)
                    && !known(&format!("{}/index.html", l.path.trim_end_matches('/')))
            })
        });
        // Every page, and the content assets as they are now (the served
        // site may predate an asset copied in since).
        let all: HashSet<String> = if needs_all {
            renderer
                .jobs()
                .into_iter()
                .map(|j| renderer.path(j))
                .chain(archive.assets.iter().map(|a| a.path.clone()))
                .collect()
        } else {
            HashSet::new()
        };
        let exists = |p: &str| known(p) || all.contains(p);
        // Findings of unchanged incidents' links were checked before.
        let linked = Archive {
            incidents: changed
                .iter()
                .map(|&i| Arc::clone(&archive.incidents[i]))
                .collect(),
            ..Archive::default()
        };
        let problems = match conclude(&self.cfg, findings, &linked, &site, &exists) {
            Ok(problems) => problems,
            Err(problems) => return self.fail(problems),
        };
        self.quick = Some(Quick {
            incidents: archive.incidents,
        });
        self.pending = true;
        self.succeed(site, problems, Some(paths), jobs.len())
    }

    /// Renders the whole site (`everything`), or what changed since the
    /// last whole render, and makes that the new baseline.
    fn publish_whole(&mut self, everything: bool) -> Outcome {
        let (archive, findings, render_opts) = self.validated();
        let mut renderer = Renderer::new(&archive, &self.cfg, &self.theme, &render_opts);
        if let Some(good) = self
            .good
            .as_ref()
            .filter(|g| !everything && same_shape(&g.incidents, &archive.incidents))
        {
            renderer =
                renderer.with_indexes(Arc::clone(&good.index), Arc::clone(&good.recurrences));
        }
        let jobs = renderer.jobs();
        let paths: Vec<String> = jobs.iter().map(|&j| renderer.path(j)).collect();
        let plan = match (&self.good, everything) {
            (Some(good), false) => self.plan(good, &archive, &renderer, &paths),
            _ => Plan::everything(&archive, &renderer, paths.len()),
        };
        let mut wanted: Vec<usize> = plan.now.clone();
        wanted.extend(
            paths
                .iter()
                .enumerate()
                .filter(|(_, p)| plan.later.contains(*p))
                .map(|(i, _)| i),
        );
        let selected: Vec<Job> = wanted.iter().map(|&i| jobs[i]).collect();
        let extras = match self.extras.take() {
            Some(extras) => Ok(extras),
            None => render::extras(&archive, &self.theme),
        };
        let (pages, extras) = match renderer
            .render_all(&selected)
            .and_then(|pages| Ok((pages, extras?)))
        {
            Ok(r) => r,
            Err(e) => return self.fail(vec![Problem::from(&e)]),
        };
        let mut site = self.site.clone();
        let page_set: BTreeSet<String> = paths.iter().cloned().collect();
        let extra_set: BTreeSet<String> = extras.iter().map(|f| f.path.clone()).collect();
        let mut changed: Vec<String> = Vec::new();
        if let Some(good) = &self.good {
            for gone in good
                .pages
                .difference(&page_set)
                .chain(good.extras.difference(&extra_set))
            {
                if site.remove(gone).is_some() {
                    changed.push(gone.clone());
                }
            }
        }
        let count = pages.len();
        for file in pages {
            let path = file.path.clone();
            if insert(&mut site, file) {
                changed.push(path);
            }
        }
        // A page wins over a static file of the same path, as in a full build.
        for file in extras.iter().filter(|f| !page_set.contains(&f.path)) {
            insert(&mut site, file.clone());
        }
        self.extras = Some(extras);
        let exists = |p: &str| page_set.contains(p) || extra_set.contains(p);
        let problems = match conclude(&self.cfg, findings, &archive, &site, &exists) {
            Ok(problems) => problems,
            Err(problems) => return self.fail(problems),
        };
        let (mut related, mut recurring) = match self.good.take() {
            Some(old) if !plan.replace => (old.related, old.recurring),
            _ => Default::default(),
        };
        for gone in &plan.removed {
            related.remove(gone);
            recurring.remove(gone);
        }
        related.extend(plan.related);
        for (slug, list) in plan.recurring {
            if list.is_empty() {
                recurring.remove(&slug);
            } else {
                recurring.insert(slug, list);
            }
        }
        self.good = Some(Good {
            index: Arc::clone(renderer.related_index()),
            recurrences: Arc::clone(renderer.recurrence_index()),
            incidents: archive.incidents.clone(),
            related,
            recurring,
            pages: page_set,
            extras: extra_set,
        });
        self.quick = None;
        self.pending = false;
        self.succeed(site, problems, (!everything).then_some(changed), count)
    }

    fn fail(&mut self, problems: Vec<Problem>) -> Outcome {
        self.problems = problems.clone();
        Outcome {
            reload: Reload::Full,
            changed: None,
            problems,
            rendered: 0,
            elapsed: Duration::ZERO,
            inputs_changed: true,
        }
    }

    /// Which pages a content change touches, now and later.
    fn plan(
        &self,
        good: &Good,
        archive: &Archive,
        renderer: &Renderer<'_>,
        paths: &[String],
    ) -> Plan {
        let new_index = renderer.related_index();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (slug, i) in new_index.positions() {
            if good
                .index
                .position(slug)
                .is_none_or(|o| !Arc::ptr_eq(&good.incidents[o], &archive.incidents[i]))
            {
                changed.insert(slug.to_string());
            }
        }
        let removed: Vec<String> = good
            .index
            .positions()
            .filter(|(s, _)| new_index.position(s).is_none())
            .map(|(s, _)| s.to_string())
            .collect();
        changed.extend(removed.iter().cloned());
        let mut near: BTreeSet<String> = BTreeSet::new();
        let mut prefixes: BTreeSet<String> = BTreeSet::new();
        let mut related_candidates: BTreeSet<String> = BTreeSet::new();
        let mut recurring_candidates: BTreeSet<String> = changed.clone();
        let window = self.cfg.recurring_window;
        for slug in &changed {
            let sides = [
                (&good.index, &good.incidents, &good.recurrences),
                (new_index, &archive.incidents, renderer.recurrence_index()),
            ];
            for (index, list, recurrences) in sides {
                let Some(i) = index.position(slug) else {
                    continue;
                };
                let x = &list[i];
                near.insert(slug.clone());
                for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    if let Some(n) = list.get(j) {
                        near.insert(n.slug.clone());
                    }
                }
                related_candidates.extend(
                    index
                        .near(x, i, RELATED_WINDOW + 1)
                        .into_iter()
                        .map(|j| list[j].slug.clone()),
                );
                recurring_candidates.extend(
                    crate::analysis::recurrence::recurrences_among(list, i, window, recurrences)
                        .into_iter()
                        .map(|j| list[j].slug.clone()),
                );
                let year = x.start.to_zoned(x.zone.clone()).year();
                prefixes.insert(format!("years/{year}/"));
                for taxonomy in &self.cfg.taxonomies {
                    for term in x.terms(*taxonomy) {
                        prefixes.insert(format!(
                            "{}/{}/",
                            taxonomy.name(),
                            crate::text::term_slug(term)
                        ));
                    }
                }
            }
        }
        related_candidates.extend(
            archive
                .incidents
                .iter()
                .filter(|x| x.related.iter().any(|r| changed.contains(r)))
                .map(|x| x.slug.clone()),
        );
        for (slug, list) in good.related.iter().chain(&good.recurring) {
            if list.iter().any(|r| changed.contains(r)) {
                related_candidates.insert(slug.clone());
                recurring_candidates.insert(slug.clone());
            }
        }
        // Related and recurring lists can change only for the candidates.
        let mut related = Vec::new();
        for slug in &related_candidates {
            let Some(i) = new_index.position(slug) else {
                continue;
            };
            let now = slugs_of(archive, &renderer.related(i));
            if good.related.get(slug) != Some(&now) || now.iter().any(|r| changed.contains(r)) {
                near.insert(slug.clone());
            }
            related.push((slug.clone(), now));
        }
        let mut recurring = Vec::new();
        for slug in &recurring_candidates {
            let Some(i) = new_index.position(slug) else {
                continue;
            };
            let now = slugs_of(archive, &renderer.recurring(i));
            let before = good.recurring.get(slug).map_or(&[][..], Vec::as_slice);
            if before != now.as_slice() || now.iter().any(|r| changed.contains(r)) {
                near.insert(slug.clone());
            }
            recurring.push((slug.clone(), now));
        }
        let mut now_paths: BTreeSet<String> = near
            .iter()
            .map(|s| format!("incidents/{s}/index.html"))
            .collect();
        now_paths.insert("index.html".into());
        // Pages that summarise the whole archive change with any incident.
        let mut global: BTreeSet<String> = [
            "stats/index.html",
            "atom.xml",
            "sitemap.xml",
            "incidents.json",
        ]
        .map(String::from)
        .into();
        global.extend(
            self.cfg
                .taxonomies
                .iter()
                .map(|t| format!("{}/index.html", t.name())),
        );
        let mut now = Vec::new();
        let mut later = BTreeSet::new();
        for (i, p) in paths.iter().enumerate() {
            if now_paths.contains(p) {
                now.push(i);
            } else if global.contains(p)
                || p.starts_with("actions/")
                || p.starts_with("recurring/")
                || p.starts_with("search/") && p.ends_with(".json")
                || prefixes.iter().any(|pre| p.starts_with(pre.as_str()))
                || !good.pages.contains(p)
            {
                later.insert(p.clone());
            }
        }
        Plan {
            now,
            later,
            replace: false,
            removed,
            related,
            recurring,
        }
    }

    /// Renders what the last quick rebuilds left for later (lists, stats,
    /// feeds, search, pages that show the changed incidents); returns the
    /// paths whose bytes changed, or `None` when nothing was owed.
    pub fn finish_deferred(&mut self) -> Option<Vec<String>> {
        if !self.pending {
            return None;
        }
        let outcome = self.publish_whole(false);
        outcome.changed
    }
}

/// True when two incident lists have the same slugs in the same order
/// with the same services and tags (so their indexes are the same).
fn same_shape(a: &[Arc<Incident>], b: &[Arc<Incident>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            Arc::ptr_eq(x, y) || (x.slug == y.slug && x.services == y.services && x.tags == y.tags)
        })
}

/// What a rebuild renders now and later, and how the kept lists change.
struct Plan {
    /// Jobs (indexes) to render before reloading.
    now: Vec<usize>,
    /// Output paths to render right after.
    later: BTreeSet<String>,
    /// Start the related and recurring lists afresh (a full render).
    replace: bool,
    /// Slugs that left the archive.
    removed: Vec<String>,
    /// New related lists by slug.
    related: Vec<(String, Vec<String>)>,
    /// New recurring lists by slug (empty: none).
    recurring: Vec<(String, Vec<String>)>,
}

impl Plan {
    /// Everything, now (a full render).
    fn everything(archive: &Archive, renderer: &Renderer<'_>, jobs: usize) -> Plan {
        let related = (0..archive.incidents.len())
            .into_par_iter()
            .map(|i| {
                (
                    archive.incidents[i].slug.clone(),
                    slugs_of(archive, &renderer.related(i)),
                )
            })
            .collect();
        let recurring = (0..archive.incidents.len())
            .map(|i| {
                (
                    archive.incidents[i].slug.clone(),
                    slugs_of(archive, &renderer.recurring(i)),
                )
            })
            .filter(|(_, list)| !list.is_empty())
            .collect();
        Plan {
            now: (0..jobs).collect(),
            later: BTreeSet::new(),
            replace: true,
            removed: Vec::new(),
            related,
            recurring,
        }
    }
}

fn slugs_of(archive: &Archive, indexes: &[usize]) -> Vec<String> {
    indexes
        .iter()
        .map(|&j| archive.incidents[j].slug.clone())
        .collect()
}

/// Adds the findings on the body links of `archive` (checked against
/// `exists` and the pages in `site`) to `findings` and finishes them: the
/// problems to show, or `Err` with them when one is an error.
fn conclude(
    cfg: &SiteConfig,
    mut findings: Vec<Diagnostic>,
    archive: &Archive,
    site: &BTreeMap<String, Arc<Vec<u8>>>,
    exists: &dyn Fn(&str) -> bool,
) -> std::result::Result<Vec<Problem>, Vec<Problem>> {
    let page = |p: &str| site.get(p).map(|b| b.to_vec());
    findings.extend(validate::links::check(
        archive,
        &validate::links::Site {
            exists,
            page: &page,
        },
    ));
    let findings = validate::finish(findings, cfg);
    let problems: Vec<Problem> = findings.iter().map(Problem::from).collect();
    if findings.iter().any(|d| d.level == Level::Error) {
        Err(problems)
    } else {
        Ok(problems)
    }
}

/// Stores a file; true when its bytes are new.
fn insert(site: &mut BTreeMap<String, Arc<Vec<u8>>>, file: OutputFile) -> bool {
    match site.get(&file.path) {
        Some(old) if **old == file.bytes => false,
        _ => {
            // Pages are rendered into roomy buffers; the site is kept.
            let mut bytes = file.bytes;
            bytes.shrink_to_fit();
            site.insert(file.path, Arc::new(bytes));
            true
        }
    }
}
