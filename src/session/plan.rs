//! Which pages a change to the content touches, derived from what each
//! page kind shows ([`Shows`]): an incident's page when it, its
//! neighbours, or its related or recurring lists changed; a group's pages
//! (a year, a term) when one of its incidents changed; the pages about
//! the whole archive on any change; pages that show nothing of the
//! archive never. The result is byte-identical to rendering everything
//! (a test applies a sequence of edits and compares).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::recurrence::RecurrenceIndex;
use crate::analysis::related::{RELATED_WINDOW, RelatedIndex};
use crate::config::SiteConfig;
use crate::model::{Archive, Incident};
use crate::render::{Group, Job, Renderer, Shows};

/// The last good build: its incidents, indexes, the related and recurring
/// lists its incident pages show, and its files.
pub struct LastGood {
    /// Its incidents, in archive order.
    pub incidents: Vec<Arc<Incident>>,
    /// Its related-incidents index (slug positions, postings).
    pub index: Arc<RelatedIndex>,
    /// Its recurrence index (incidents by service and tag).
    pub recurrences: Arc<RecurrenceIndex>,
    /// The related incidents each incident page shows, by slug.
    pub related: HashMap<String, Vec<String>>,
    /// The recurring incidents each incident page shows (none: absent).
    pub recurring: HashMap<String, Vec<String>>,
    /// Its pages' output paths.
    pub pages: BTreeSet<String>,
    /// Its other files' output paths (theme files, content assets).
    pub extras: BTreeSet<String>,
}

/// What a rebuild renders, and how the kept lists change.
pub struct Plan {
    /// Jobs (indexes into the list of every page) to render.
    pub pages: Vec<usize>,
    /// Start the related and recurring lists afresh (a full render).
    pub replace: bool,
    /// Slugs that left the archive.
    pub removed: Vec<String>,
    /// New related lists by slug.
    pub related: Lists,
    /// New recurring lists by slug (empty: none).
    pub recurring: Lists,
}

impl Plan {
    /// Every page (a full render).
    pub fn everything(archive: &Archive, renderer: &Renderer<'_>, jobs: usize) -> Plan {
        let related = (0..archive.incidents.len())
            .into_par_iter()
            .map(|i| (slug(archive, i), slugs_of(archive, &renderer.related(i))))
            .collect();
        let recurring = (0..archive.incidents.len())
            .map(|i| (slug(archive, i), slugs_of(archive, &renderer.recurring(i))))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        Plan {
            pages: (0..jobs).collect(),
            replace: true,
            removed: Vec::new(),
            related,
            recurring,
        }
    }

    /// The pages a content change touches, against the last good build.
    pub fn touched(
        cfg: &SiteConfig,
        good: &LastGood,
        renderer: &Renderer<'_>,
        jobs: &[Job],
        paths: &[String],
    ) -> Plan {
        let archive = renderer.archive();
        let (changed, removed) = changed_slugs(good, archive, renderer.related_index());
        let mut reach = Reach::default();
        reach.around(cfg, good, renderer, &changed);
        let (related, recurring) = reach.lists(good, renderer, &changed);
        let pages = jobs
            .iter()
            .zip(paths)
            .enumerate()
            .filter(|(_, (job, path))| reach.shows(renderer, **job) || !good.pages.contains(*path))
            .map(|(i, _)| i)
            .collect();
        Plan {
            pages,
            replace: false,
            removed,
            related,
            recurring,
        }
    }
}

/// The slugs whose incident changed, came or went, and those that went.
fn changed_slugs(
    good: &LastGood,
    archive: &Archive,
    new_index: &RelatedIndex,
) -> (BTreeSet<String>, Vec<String>) {
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
    (changed, removed)
}

/// Lists of slugs by slug (related or recurring incidents).
pub type Lists = Vec<(String, Vec<String>)>;

/// What a change reaches: incidents whose pages show it, and groups.
#[derive(Default)]
struct Reach {
    /// Incidents whose own pages change.
    near: BTreeSet<String>,
    /// Groups whose pages change.
    groups: BTreeSet<Group>,
    /// Incidents whose related lists may change.
    related: BTreeSet<String>,
    /// Incidents whose recurring lists may change.
    recurring: BTreeSet<String>,
}

impl Reach {
    /// Neighbours, candidates for new related and recurring lists, and
    /// groups of the changed incidents, before and after the change.
    fn around(
        &mut self,
        cfg: &SiteConfig,
        good: &LastGood,
        renderer: &Renderer<'_>,
        changed: &BTreeSet<String>,
    ) {
        let archive = renderer.archive();
        self.recurring.extend(changed.iter().cloned());
        let sides = [
            (&good.index, &good.incidents, &good.recurrences),
            (
                renderer.related_index(),
                &archive.incidents,
                renderer.recurrence_index(),
            ),
        ];
        for slug in changed {
            for (index, list, recurrences) in sides {
                let Some(i) = index.position(slug) else {
                    continue;
                };
                self.near.insert(slug.clone());
                for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    if let Some(n) = list.get(j) {
                        self.near.insert(n.slug.to_string());
                    }
                }
                let x = &list[i];
                let near = index.near(x, i, RELATED_WINDOW + 1);
                self.related
                    .extend(near.into_iter().map(|j| list[j].slug.to_string()));
                let again = crate::analysis::recurrence::recurrences_among(
                    list,
                    i,
                    cfg.recurring_window,
                    recurrences,
                );
                self.recurring
                    .extend(again.into_iter().map(|j| list[j].slug.to_string()));
                self.groups.extend(groups_of(cfg, x));
            }
        }
        self.related.extend(
            archive
                .incidents
                .iter()
                .filter(|x| x.related.iter().any(|r| changed.contains(r)))
                .map(|x| x.slug.to_string()),
        );
        for (slug, list) in good.related.iter().chain(&good.recurring) {
            if list.iter().any(|r| changed.contains(r)) {
                self.related.insert(slug.clone());
                self.recurring.insert(slug.clone());
            }
        }
    }

    /// The new related and recurring lists of the candidates (only theirs
    /// can change); an incident whose list changed, or shows a changed
    /// incident, has its page rendered again.
    fn lists(
        &mut self,
        good: &LastGood,
        renderer: &Renderer<'_>,
        changed: &BTreeSet<String>,
    ) -> (Lists, Lists) {
        let archive = renderer.archive();
        let index = renderer.related_index();
        let mut related = Vec::new();
        for slug in &self.related {
            let Some(i) = index.position(slug) else {
                continue;
            };
            let now = slugs_of(archive, &renderer.related(i));
            if good.related.get(slug) != Some(&now) || now.iter().any(|r| changed.contains(r)) {
                self.near.insert(slug.clone());
            }
            related.push((slug.clone(), now));
        }
        let mut recurring = Vec::new();
        for slug in &self.recurring {
            let Some(i) = index.position(slug) else {
                continue;
            };
            let now = slugs_of(archive, &renderer.recurring(i));
            let before = good.recurring.get(slug).map_or(&[][..], Vec::as_slice);
            if before != now.as_slice() || now.iter().any(|r| changed.contains(r)) {
                self.near.insert(slug.clone());
            }
            recurring.push((slug.clone(), now));
        }
        (related, recurring)
    }

    /// True when the change reaches what `job` shows.
    fn shows(&self, renderer: &Renderer<'_>, job: Job) -> bool {
        match renderer.shows(job) {
            Shows::Nothing => false,
            Shows::Incident(i) => self
                .near
                .contains(renderer.archive().incidents[i].slug.as_str()),
            Shows::Group(group) => self.groups.contains(&group),
            Shows::Archive => true,
        }
    }
}

/// The groups with pages that list `incident`.
fn groups_of(cfg: &SiteConfig, incident: &Incident) -> Vec<Group> {
    let mut groups = vec![Group::Year(
        incident.start.to_zoned(incident.zone.clone()).year(),
    )];
    for &taxonomy in &cfg.taxonomies {
        for term in incident.terms(taxonomy) {
            groups.push(Group::Term(taxonomy, crate::text::term_slug(term)));
        }
    }
    groups
}

fn slug(archive: &Archive, i: usize) -> String {
    archive.incidents[i].slug.to_string()
}

/// The slugs of the incidents at `indexes`.
pub fn slugs_of(archive: &Archive, indexes: &[usize]) -> Vec<String> {
    indexes.iter().map(|&j| slug(archive, j)).collect()
}

/// True when two incident lists have the same slugs in the same order
/// with the same services and tags (so their indexes are the same).
pub fn same_shape(a: &[Arc<Incident>], b: &[Arc<Incident>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            Arc::ptr_eq(x, y) || (x.slug == y.slug && x.services == y.services && x.tags == y.tags)
        })
}
