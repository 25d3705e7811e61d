//! What a watching session keeps of `content/`, per file: each
//! postmortem's text and typed front matter (pass one) and its built
//! incident with its findings (pass two, and the per-incident rules), so
//! that a change re-reads only the files it names.
//!
//! The steps themselves are those of `build` and `check`
//! ([`mod@crate::content::load`]): reading fronts, indexing slugs, building
//! against them and assembling the archive. What is particular to
//! watching lives here: the maps by file, which files to build again
//! after a change (the changed ones, and those that link to postmortems'
//! files when a slug moved), and walking again when folders change.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Loaded;
use crate::content::incident::{self, FrontRead};
use crate::content::load::{self, Built, Extras, SlugIndex};
use crate::content::walk::{self, SourceFile};
use crate::error::Result;
use crate::model::Incident;
use crate::validate;

/// Every file of `content/` as last read.
#[derive(Default)]
pub(crate) struct Sources {
    /// Pass one of each postmortem, by its path relative to the root.
    fronts: BTreeMap<String, FrontRead>,
    /// Slug of each postmortem by its path under `content/`.
    slugs: Arc<SlugIndex>,
    /// Pass two of each postmortem, by its path relative to the root.
    built: BTreeMap<String, Built>,
    /// The home page, assets and the walk's findings.
    extras: Extras,
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
        self.fronts.get(rel).map(|f| &*f.text)
    }

    /// True when something was read from below the folder `rel`.
    pub(crate) fn holds_below(&self, rel: &str) -> bool {
        let inside = format!("{rel}/");
        self.fronts.keys().any(|k| k.starts_with(&inside))
            || self
                .extras
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
        let (postmortems, extras) = walk::walk(root)?.split();
        self.fronts = load::read_fronts(&postmortems, cfg)
            .into_iter()
            .map(|f| (f.file.rel.clone(), f))
            .collect();
        self.extras = extras;
        self.rebuild_all(cfg, ctx);
        Ok(())
    }

    /// Types every front matter again from the texts held (the
    /// configuration changed), and builds every incident again.
    pub(crate) fn retype(&mut self, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        let texts: Vec<(String, SourceFile, Arc<str>)> = self
            .fronts
            .iter()
            .map(|(rel, f)| (rel.clone(), f.file.clone(), Arc::clone(&f.text)))
            .collect();
        self.fronts = texts
            .into_par_iter()
            .map(|(rel, file, text)| (rel, incident::front_from_text(&file, text.to_string(), cfg)))
            .collect();
        self.rebuild_all(cfg, ctx);
    }

    fn rebuild_all(&mut self, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        self.slugs = Arc::new(load::index_slugs(self.fronts.values()));
        self.built.clear();
        let all: Vec<String> = self.fronts.keys().cloned().collect();
        self.rebuild(all, cfg, ctx);
    }

    /// Pass two (and the per-incident rules) for the files at `rels`.
    fn rebuild(&mut self, rels: Vec<String>, cfg: &SiteConfig, ctx: &validate::Context<'_>) {
        let (rels, fronts): (Vec<String>, Vec<&FrontRead>) = rels
            .into_iter()
            .filter_map(|rel| {
                let front = self.fronts.get(&rel)?;
                Some((rel, front))
            })
            .unzip();
        let rules = |i: &Incident| validate::incident(i, ctx);
        let fresh = load::build_fronts(fronts, cfg, &self.slugs, true, &rules);
        self.built.extend(rels.into_iter().zip(fresh));
    }

    /// The archive as the files now stand, and the walk's and each file's
    /// findings; drafts are left out unless `drafts`.
    pub(crate) fn current(&self, cfg: &SiteConfig, drafts: bool) -> Loaded {
        load::assemble(
            self.built.values().cloned(),
            self.extras.clone(),
            Arc::clone(&self.slugs),
            cfg,
            drafts,
        )
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
                self.extras.home = crate::input::read_to_string(&root.join(rel)).ok();
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
            self.extras.assets = walk::walk(root)?.assets;
        }
        let rels: Vec<String> = if links_moved {
            // Links to postmortems' files resolve to their slugs.
            self.fronts
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
        let slugs = Arc::make_mut(&mut self.slugs);
        if !file.path.is_file() {
            let moved = slugs.remove(&file.content_path).is_some();
            self.fronts.remove(&file.rel);
            self.built.remove(&file.rel);
            return moved;
        }
        let first = incident::read_front(&file, cfg);
        let moved = slugs.get(&file.content_path) != first.slug.as_ref();
        match &first.slug {
            Some(slug) => slugs.insert(file.content_path.clone(), slug.clone()),
            None => slugs.remove(&file.content_path),
        };
        self.fronts.insert(file.rel.clone(), first);
        moved
    }
}
