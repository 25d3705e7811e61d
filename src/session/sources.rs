//! The per-file results a watching session keeps: each postmortem's text
//! and typed front matter (pass one) and its built incident with its
//! findings (pass two), so that a change re-reads only the files it names.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content;
use crate::content::incident::{self, FrontRead};
use crate::content::walk::{self, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::schema::Status;
use crate::model::{Archive, Asset, Incident};
use crate::validate;

/// One postmortem built: its incident (none when it could not be read)
/// and the findings of reading it and of the per-incident rules.
struct Built {
    incident: Option<Arc<Incident>>,
    findings: Vec<Diagnostic>,
}

/// Every file of `content/` as last read.
#[derive(Default)]
pub(crate) struct Sources {
    firsts: BTreeMap<String, FrontRead>,
    /// Slug of each postmortem by its path under `content/`.
    slugs: HashMap<String, crate::model::url::Slug>,
    built: BTreeMap<String, Built>,
    home: Option<String>,
    pub(crate) assets: Vec<Asset>,
    walk_findings: Vec<Diagnostic>,
}

/// The archive as the files stand, with the findings of reading them.
pub(crate) struct Current {
    /// The archive (drafts left out unless wanted).
    pub(crate) archive: Archive,
    /// Findings of the walk and of each file.
    pub(crate) findings: Vec<Diagnostic>,
    /// Slugs of drafts left out.
    pub(crate) drafts: BTreeSet<crate::model::url::Slug>,
}

impl Sources {
    /// Walks `content/` and reads every postmortem.
    pub(crate) fn load(root: &Path, cfg: &SiteConfig, ctx: &validate::Context<'_>) -> Result<Self> {
        let mut sources = Sources::default();
        sources.rewalk(root, cfg, ctx)?;
        Ok(sources)
    }

    /// The text of a postmortem as last read.
    pub(crate) fn text(&self, rel: &str) -> Option<&str> {
        self.firsts.get(rel).map(|f| &*f.text)
    }

    /// True when something was read from below the folder `rel`.
    pub(crate) fn holds_below(&self, rel: &str) -> bool {
        let inside = format!("{rel}/");
        self.firsts.keys().any(|k| k.starts_with(&inside))
            || self
                .assets
                .iter()
                .any(|a| format!("content/{}", a.path).starts_with(&inside))
    }

    /// Walks `content/` again and reads every postmortem.
    pub(crate) fn rewalk(
        &mut self,
        root: &Path,
        cfg: &SiteConfig,
        ctx: &validate::Context<'_>,
    ) -> Result<()> {
        let walk = walk::walk(root)?;
        self.firsts = walk
            .postmortems
            .par_iter()
            .map(|f| (f.rel.clone(), incident::read_front(f, cfg)))
            .collect();
        self.home = walk.home;
        self.assets = walk.assets;
        self.walk_findings = walk.diagnostics;
        self.rebuild_all(cfg, ctx);
        Ok(())
    }

    /// Types every front matter again from the texts held (the
    /// configuration changed), and builds every incident again.
    pub(crate) fn retype(&mut self, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        let texts: Vec<(String, SourceFile, Arc<str>)> = self
            .firsts
            .iter()
            .map(|(rel, f)| (rel.clone(), f.file.clone(), Arc::clone(&f.text)))
            .collect();
        self.firsts = texts
            .into_par_iter()
            .map(|(rel, file, text)| (rel, incident::front_from_text(&file, text.to_string(), cfg)))
            .collect();
        self.rebuild_all(cfg, ctx);
    }

    fn rebuild_all(&mut self, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        self.index_slugs();
        self.built.clear();
        let all: Vec<String> = self.firsts.keys().cloned().collect();
        self.rebuild(all, cfg, ctx);
    }

    /// Recomputes the slug of every postmortem by its `content/` path.
    fn index_slugs(&mut self) {
        self.slugs = self
            .firsts
            .values()
            .filter_map(|f| Some((f.file.content_path.clone(), f.slug.clone()?)))
            .collect();
    }

    /// Pass two (and the per-incident rules) for the files at `rels`.
    fn rebuild(&mut self, rels: Vec<String>, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        let lookup = lookup(&self.slugs);
        let firsts = &self.firsts;
        let fresh: Vec<(String, Built)> = rels
            .par_iter()
            .filter_map(|rel| Some((rel, firsts.get(rel)?)))
            .map(|(rel, first)| {
                let (incident, mut findings) = incident::build(first, cfg, &lookup, true);
                if let Some(i) = &incident {
                    findings.extend(validate::incident(i, ctx));
                }
                let incident = incident.map(Arc::new);
                (rel.clone(), Built { incident, findings })
            })
            .collect();
        self.built.extend(fresh);
    }

    /// The archive as the files now stand, and the load and per-file
    /// findings; drafts are left out unless `drafts`.
    pub(crate) fn current(&self, cfg: &SiteConfig, drafts: bool) -> Current {
        let mut current = Current {
            archive: Archive::default(),
            findings: self.walk_findings.clone(),
            drafts: BTreeSet::new(),
        };
        for built in self.built.values() {
            match &built.incident {
                Some(i) if i.status == Status::Draft && !drafts => {
                    current.drafts.insert(i.slug.clone());
                }
                Some(i) => {
                    current.findings.extend(built.findings.iter().cloned());
                    current.archive.incidents.push(Arc::clone(i));
                }
                None => current.findings.extend(built.findings.iter().cloned()),
            }
        }
        let lookup = lookup(&self.slugs);
        current.archive.home_html = self
            .home
            .as_deref()
            .map(|t| content::home_html(t, &lookup, cfg.safe_html));
        current.archive.assets = self.assets.clone();
        current.archive.sort();
        current
    }

    /// Re-reads the changed files of `content/` (relative to `root`); walks
    /// again when a folder was created, removed or renamed.
    pub(crate) fn update(
        &mut self,
        root: &Path,
        files: &[String],
        cfg: &SiteConfig,
        ctx: &validate::Context<'_>,
    ) -> Result<()> {
        // A removed path is a folder if something known lived under it.
        let folder_change = files
            .iter()
            .any(|rel| root.join(rel).is_dir() || self.holds_below(rel));
        if folder_change {
            return self.rewalk(root, cfg, ctx);
        }
        let mut links_moved = false;
        let mut touched: HashSet<String> = HashSet::new();
        let mut assets_changed = false;
        for rel in files {
            let content_path = rel.strip_prefix("content/").unwrap_or(rel).to_string();
            let name = content_path.rsplit('/').next().unwrap_or("");
            if content_path == "_index.md" {
                self.home = crate::input::read_to_string(&root.join(rel)).ok();
            } else if name.starts_with('_') {
            } else if name.to_ascii_lowercase().ends_with(".md") {
                let file = SourceFile {
                    path: root.join(rel),
                    rel: rel.clone(),
                    content_path,
                };
                links_moved |= self.reread(file, cfg);
                touched.insert(rel.clone());
            } else {
                assets_changed = true;
            }
        }
        if assets_changed {
            self.assets = walk::walk(root)?.assets;
        }
        let rels: Vec<String> = if links_moved {
            // Links to postmortems' files resolve to their slugs.
            self.firsts
                .values()
                .filter(|f| touched.contains(&f.file.rel) || f.text.contains(".md"))
                .map(|f| f.file.rel.clone())
                .collect()
        } else {
            touched.into_iter().collect()
        };
        self.rebuild(rels, cfg, ctx);
        Ok(())
    }

    /// Reads one postmortem again (or forgets it, gone); true when its
    /// slug changed.
    fn reread(&mut self, file: SourceFile, cfg: &SiteConfig) -> bool {
        if !file.path.is_file() {
            let moved = self.slugs.remove(&file.content_path).is_some();
            self.firsts.remove(&file.rel);
            self.built.remove(&file.rel);
            return moved;
        }
        let first = incident::read_front(&file, cfg);
        let moved = self.slugs.get(&file.content_path) != first.slug.as_ref();
        match &first.slug {
            Some(slug) => self.slugs.insert(file.content_path.clone(), slug.clone()),
            None => self.slugs.remove(&file.content_path),
        };
        self.firsts.insert(file.rel.clone(), first);
        moved
    }
}

/// Where a link to a postmortem's file (by its path under `content/`)
/// points: its incident's page.
fn lookup(
    slugs: &HashMap<String, crate::model::url::Slug>,
) -> impl Fn(&str) -> Option<crate::model::url::SitePath> + Sync + '_ {
    |p: &str| {
        slugs
            .get(p)
            .map(|slug| crate::model::url::incident_url(slug))
    }
}
