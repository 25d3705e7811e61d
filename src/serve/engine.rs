//! The in-memory site behind `serve`, kept up to date over a watching
//! [`Session`].
//!
//! A change to one postmortem makes the session re-read only that file;
//! the engine then renders that incident's own page and tells browsers
//! (the open page reloads at once), and renders the rest of what the
//! change touches (its neighbours, pages whose related or recurring list
//! changes or includes it, the home page, its year, its terms, the pages
//! about the whole archive) right after, in [`Engine::finish_deferred`].
//! Which pages those are is derived from what each page kind shows
//! ([`crate::session::plan`]). A template or `site.toml` change renders
//! everything from memory. The result is byte-identical to a full build
//! (a test applies a sequence of edits and compares).
//!
//! When a change leaves errors, the last good site stays served and the
//! findings are reported for the browser overlay.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Level};
use crate::error::Result;
use crate::model::{Archive, Incident};
use crate::render::{self, OutputFile, kinds};
use crate::session::plan::LastGood;
use crate::session::{Changes, Session};
use crate::site::SiteOptions;

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

/// What applying a change did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How browsers should reload.
    pub reload: Reload,
    /// Errors that kept the previous site (empty on success), and warnings.
    pub problems: Vec<Diagnostic>,
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
        !self.problems.iter().any(|p| p.level == Level::Error)
    }
}

/// The site as served: output path → bytes.
pub type Site = BTreeMap<String, Arc<Vec<u8>>>;

/// The in-memory site and the session that updates it.
pub struct Engine {
    session: Session,
    /// Theme files, highlighting stylesheet and assets, until they change.
    extras: Option<Vec<OutputFile>>,
    /// The incidents published by the quick rebuilds since the last
    /// whole render.
    quick: Option<Vec<Arc<Incident>>>,
    /// A quick rebuild left work for [`Engine::finish_deferred`].
    pending: bool,
    /// The site as served.
    pub site: Site,
    /// Problems of the last attempt.
    pub problems: Vec<Diagnostic>,
}

impl Engine {
    /// Loads and renders the site at `opts.root`.
    pub fn new(opts: SiteOptions) -> Result<Engine> {
        let mut engine = Engine {
            session: Session::watch(opts)?,
            extras: None,
            quick: None,
            pending: false,
            site: BTreeMap::new(),
            problems: Vec::new(),
        };
        engine.publish_whole(true);
        Ok(engine)
    }

    /// The site root.
    pub fn root(&self) -> &std::path::Path {
        self.session.root()
    }

    /// The configuration in use.
    pub fn config(&self) -> &SiteConfig {
        self.session.config()
    }

    /// Applies changed paths (absolute or relative to the root).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let mut outcome = match self.session.apply(changed) {
            Ok(changes) if changes.is_empty() => Outcome {
                reload: Reload::None,
                changed: None,
                problems: self.problems.clone(),
                rendered: 0,
                elapsed: Duration::ZERO,
                inputs_changed: false,
            },
            Ok(changes) => self.publish_changes(&changes),
            Err(e) => {
                // What changed is not known: read the other files afresh.
                self.extras = None;
                self.problems = vec![Diagnostic::from(&e)];
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

    fn publish_changes(&mut self, changes: &Changes) -> Outcome {
        if changes.extras() {
            self.extras = None;
        }
        if changes.everything() || self.session.last_good().is_none() {
            return self.publish_whole(true);
        }
        let mut outcome = self.publish();
        if changes.stylesheets_only() && outcome.ok() {
            outcome.reload = Reload::Css;
        }
        outcome
    }

    /// Makes `site` the served site with `problems` (warnings) shown.
    fn succeed(
        &mut self,
        site: Site,
        problems: Vec<Diagnostic>,
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

    fn fail(&mut self, problems: Vec<Diagnostic>) -> Outcome {
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

    /// Renders the changed incidents' own pages and publishes them when
    /// the site has no errors; the rest follows in
    /// [`Engine::finish_deferred`].
    fn publish(&mut self) -> Outcome {
        let (archive, findings) = self.session.current();
        let Some(good) = self.session.last_good() else {
            return self.publish_whole(true);
        };
        let previous = self.quick.as_ref().unwrap_or(&good.incidents);
        let (changed, removed) = changed_incidents(previous, &archive);
        let render_opts = self.session.render_options();
        let renderer = self.session.renderer(&archive, &render_opts, true);
        let jobs: Vec<render::Job> = changed
            .iter()
            .map(|&i| render::Job {
                kind: &kinds::INCIDENT,
                key: render::Key::Nth(i),
            })
            .collect();
        let pages = match renderer.render_all(&jobs) {
            Ok(pages) => pages,
            Err(e) => return self.fail(vec![Diagnostic::from(&e)]),
        };
        let mut site = self.site.clone();
        let mut paths: Vec<String> = Vec::new();
        for gone in removed {
            let path = crate::model::url::incident_file(&gone);
            site.remove(path.as_str());
            paths.push(path.into());
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
        let page = |p: &str| site.get(p).map(|b| b.to_vec());
        let problems = self.session.diagnostics(findings, &linked, &exists, &page);
        drop(renderer);
        if has_errors(&problems) {
            return self.fail(problems);
        }
        let count = jobs.len();
        self.quick = Some(archive.incidents);
        self.pending = true;
        self.succeed(site, problems, Some(paths), count)
    }

    /// Renders the whole site (`everything`), or what changed since the
    /// last whole render, and makes that the new baseline.
    fn publish_whole(&mut self, everything: bool) -> Outcome {
        let (archive, findings) = self.session.current();
        let render_opts = self.session.render_options();
        let renderer = self.session.renderer(&archive, &render_opts, !everything);
        let jobs = renderer.jobs();
        let paths: Vec<String> = jobs.iter().map(|&j| renderer.path(j)).collect();
        let plan = self.session.plan(&renderer, &jobs, &paths, everything);
        let selected: Vec<render::Job> = plan.pages.iter().map(|&i| jobs[i]).collect();
        let extras = match self.extras.take() {
            Some(extras) => Ok(extras),
            None => render::extras(&archive, self.session.theme()),
        };
        let rendered = renderer
            .render_all(&selected)
            .and_then(|pages| Ok((pages, extras?)));
        let (pages, extras) = match rendered {
            Ok(r) => r,
            Err(e) => return self.fail(vec![Diagnostic::from(&e)]),
        };
        let page_set: BTreeSet<String> = paths.into_iter().collect();
        let extra_set: BTreeSet<String> = extras.iter().map(|f| f.path.clone()).collect();
        let count = pages.len();
        let (site, changed) = self.merge(pages, &extras, &page_set, &extra_set);
        self.extras = Some(extras);
        let exists = |p: &str| page_set.contains(p) || extra_set.contains(p);
        let page = |p: &str| site.get(p).map(|b| b.to_vec());
        let problems = self.session.diagnostics(findings, &archive, &exists, &page);
        if has_errors(&problems) {
            return self.fail(problems);
        }
        let (mut related, mut recurring) = match self.session.last_good() {
            Some(old) if !plan.replace => (old.related.clone(), old.recurring.clone()),
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
        let good = LastGood {
            index: Arc::clone(renderer.related_index()),
            recurrences: Arc::clone(renderer.recurrence_index()),
            incidents: archive.incidents.clone(),
            related,
            recurring,
            pages: page_set,
            extras: extra_set,
        };
        drop(renderer);
        self.session.set_good(good);
        self.quick = None;
        self.pending = false;
        self.succeed(site, problems, (!everything).then_some(changed), count)
    }

    /// The served site with `pages` and `extras` put in, and files of the
    /// last good build that are gone taken out; the paths whose bytes
    /// changed.
    fn merge(
        &self,
        pages: Vec<OutputFile>,
        extras: &[OutputFile],
        page_set: &BTreeSet<String>,
        extra_set: &BTreeSet<String>,
    ) -> (Site, Vec<String>) {
        let mut site = self.site.clone();
        let mut changed: Vec<String> = Vec::new();
        if let Some(good) = self.session.last_good() {
            for gone in good
                .pages
                .difference(page_set)
                .chain(good.extras.difference(extra_set))
            {
                if site.remove(gone).is_some() {
                    changed.push(gone.clone());
                }
            }
        }
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
        (site, changed)
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

/// The incidents of `archive` (by index) that are not the ones of
/// `previous`, and the slugs of `previous` that left.
fn changed_incidents(previous: &[Arc<Incident>], archive: &Archive) -> (Vec<usize>, Vec<String>) {
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
    let removed = before
        .keys()
        .filter(|s| !now.contains(*s))
        .map(|s| s.to_string())
        .collect();
    (changed, removed)
}

fn has_errors(findings: &[Diagnostic]) -> bool {
    findings.iter().any(|d| d.level == Level::Error)
}

/// Stores a file; true when its bytes are new.
fn insert(site: &mut Site, file: OutputFile) -> bool {
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
