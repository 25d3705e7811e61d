//! The loaded archive: every incident as plain data, and the indexes the
//! pages are built from (taxonomy terms, neighbours, related incidents).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::Taxonomy;
use crate::content::markdown::Body;
use crate::content::schema::{ActionKind, ActionStatus, Detection, Status};
use crate::content::timeline::TimelineEvent;
use crate::diagnostic::Pos;
use crate::text::slugify;

/// An action item, from front matter or a task-list item.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    /// What will be done.
    pub task: String,
    /// Who does it.
    pub owner: Option<String>,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What it improves.
    pub kind: Option<ActionKind>,
    /// True for `- [ ]` items of the measures section.
    pub from_task_list: bool,
    /// Where it is written.
    pub pos: Pos,
}

/// Where fields were written, for findings about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// The opening front-matter delimiter.
    pub block: Pos,
    /// `start`.
    pub start: Pos,
    /// `end`.
    pub end: Pos,
    /// `detected`, if written.
    pub detected: Option<Pos>,
    /// `mitigated`, if written.
    pub mitigated: Option<Pos>,
    /// Each `related` entry.
    pub related: Vec<Pos>,
    /// Each `tags` entry.
    pub tags: Vec<Pos>,
    /// Each `services` entry.
    pub services: Vec<Pos>,
    /// The slug (the `slug` field, or the block for a file-stem slug).
    pub slug: Pos,
}

/// One postmortem, loaded and typed.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Source path relative to the site root (`content/2024/x.md`).
    pub file: String,
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Draft, review or final.
    pub status: Status,
    /// Severity id (`SEV2`).
    pub severity: String,
    /// Rank of the severity, 0 = worst.
    pub severity_rank: usize,
    /// When the incident started.
    pub start: Timestamp,
    /// When it ended.
    pub end: Timestamp,
    /// When it was detected (front matter, else the first timeline event
    /// at or after the start).
    pub detected: Option<Timestamp>,
    /// When it was mitigated.
    pub mitigated: Option<Timestamp>,
    /// The zone times are shown in.
    pub zone: TimeZone,
    /// The zone's name as written (or the offset).
    pub zone_name: String,
    /// How it was noticed.
    pub detection: Option<Detection>,
    /// What users saw.
    pub impact_summary: Option<String>,
    /// Share of users affected, 0..=100.
    pub users_affected_pct: Option<f64>,
    /// Services involved.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Slugs of related incidents, as written.
    pub related: Vec<String>,
    /// Action items.
    pub action_items: Vec<ActionItem>,
    /// Timeline events.
    pub timeline: Vec<TimelineEvent>,
    /// The rendered body and what was collected from it.
    pub body: Body,
    /// A short summary: the first paragraph of the summary section, or
    /// the impact summary.
    pub summary: String,
    /// Where fields were written.
    pub places: Places,
    /// The file's text, newlines normalised (offsets in `body` point into it).
    pub source: std::sync::Arc<str>,
}

impl Incident {
    /// end − start.
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// detected − start.
    pub fn time_to_detect(&self) -> Option<SignedDuration> {
        self.detected.map(|d| d.duration_since(self.start))
    }

    /// mitigated − start.
    pub fn time_to_mitigate(&self) -> Option<SignedDuration> {
        self.mitigated.map(|m| m.duration_since(self.start))
    }

    /// The values of one taxonomy for this incident.
    pub fn terms(&self, taxonomy: Taxonomy) -> &[String] {
        match taxonomy {
            Taxonomy::Services => &self.services,
            Taxonomy::Tags => &self.tags,
            Taxonomy::Severity => std::slice::from_ref(&self.severity),
        }
    }
}

/// A file copied to the output as it is (images beside postmortems).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its site-relative output path.
    pub path: String,
}

/// One value of a taxonomy and the incidents that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The value as first written.
    pub name: String,
    /// Its URL slug.
    pub slug: String,
    /// Indexes into [`Archive::incidents`], newest first.
    pub incidents: Vec<usize>,
}

/// One spelling of a taxonomy value: the text, the incident (index) that
/// first used it, and where.
pub type Spelling = (String, usize, Pos);

/// The whole archive.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Incidents, newest first. Shared so `serve` can rebuild the archive
    /// after one file changed without copying the others.
    pub incidents: Vec<std::sync::Arc<Incident>>,
    /// HTML of `content/_index.md`, shown above the list on the home page.
    pub home_html: Option<String>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
}

impl Archive {
    /// Sorts incidents newest first (ties by slug) so every page lists
    /// them in the same, stable order.
    pub fn sort(&mut self) {
        self.incidents
            .sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.slug.cmp(&b.slug)));
    }

    /// The position of the incident with `slug`.
    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.incidents.iter().position(|i| i.slug == slug)
    }

    /// The terms of `taxonomy`, sorted by count (descending) then name.
    /// Values that differ only in case or punctuation share a slug and are
    /// merged under the first spelling; see [`Archive::slug_collisions`].
    pub fn terms(&self, taxonomy: Taxonomy, severity_order: &[String]) -> Vec<Term> {
        let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
        for (i, incident) in self.incidents.iter().enumerate() {
            for name in incident.terms(taxonomy) {
                let slug = slugify(name);
                let term = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                    name: name.clone(),
                    slug,
                    incidents: Vec::new(),
                });
                if term.incidents.last() != Some(&i) {
                    term.incidents.push(i);
                }
            }
        }
        let mut terms: Vec<Term> = by_slug.into_values().collect();
        if taxonomy == Taxonomy::Severity {
            let rank = |t: &Term| {
                severity_order
                    .iter()
                    .position(|s| *s == t.name)
                    .unwrap_or(usize::MAX)
            };
            terms.sort_by_key(rank);
        } else {
            terms.sort_by(|a, b| {
                b.incidents
                    .len()
                    .cmp(&a.incidents.len())
                    .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                    .then_with(|| a.name.cmp(&b.name))
            });
        }
        terms
    }

    /// Distinct spellings of a taxonomy that share a slug: (slug,
    /// spellings with the incidents and positions that use them).
    pub fn slug_collisions(&self, taxonomy: Taxonomy) -> Vec<(String, Vec<Spelling>)> {
        let mut seen: BTreeMap<String, Vec<Spelling>> = BTreeMap::new();
        for (i, incident) in self.incidents.iter().enumerate() {
            let places = match taxonomy {
                Taxonomy::Tags => &incident.places.tags,
                Taxonomy::Services => &incident.places.services,
                Taxonomy::Severity => continue,
            };
            for (name, pos) in incident.terms(taxonomy).iter().zip(places) {
                let spellings = seen.entry(slugify(name)).or_default();
                if !spellings.iter().any(|(s, _, _)| s == name) {
                    spellings.push((name.clone(), i, *pos));
                }
            }
        }
        seen.into_iter().filter(|(_, v)| v.len() > 1).collect()
    }

    /// Related incidents of incident `i`: the explicit `related` ones
    /// first, then those sharing the most services (worth 2) and tags
    /// (worth 1), at least 2 points, nearest in time first; at most
    /// `limit` in all (more only if `related` names more). Candidates come
    /// from the [`RELATED_WINDOW`] incidents nearest in time on each shared
    /// term, so the cost does not grow with the archive.
    pub fn related(&self, i: usize, index: &RelatedIndex, limit: usize) -> Vec<usize> {
        let incident = &self.incidents[i];
        let mut out: Vec<usize> = Vec::new();
        for slug in &incident.related {
            if let Some(&j) = index.by_slug.get(slug)
                && j != i
                && !out.contains(&j)
            {
                out.push(j);
            }
        }
        let mut scores: HashMap<usize, u32> = HashMap::new();
        let terms = incident
            .services
            .iter()
            .map(|s| (2, ("s", s)))
            .chain(incident.tags.iter().map(|t| (1, ("t", t))));
        for (weight, (kind, term)) in terms {
            let Some(postings) = index.by_term.get(&(kind, term.clone())) else {
                continue;
            };
            let at = postings.partition_point(|&j| j < i);
            let from = at.saturating_sub(RELATED_WINDOW);
            let to = (at + RELATED_WINDOW + 1).min(postings.len());
            for &j in &postings[from..to] {
                *scores.entry(j).or_default() += weight;
            }
        }
        let mut ranked: Vec<(usize, u32)> = scores
            .into_iter()
            .filter(|(j, score)| *j != i && *score >= 2 && !out.contains(j))
            .collect();
        ranked.sort_by_key(|&(j, score)| (std::cmp::Reverse(score), j.abs_diff(i), j));
        let limit = limit.max(out.len());
        out.extend(ranked.into_iter().map(|(j, _)| j));
        out.truncate(limit);
        out
    }
}

impl Archive {
    /// For each incident, the others that share at least one service and
    /// one tag with it and started within `window` of it (either way),
    /// newest first: "this has happened before" (and since).
    pub fn recurrences(&self, window: SignedDuration) -> Vec<Vec<usize>> {
        let mut by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, incident) in self.incidents.iter().enumerate() {
            for s in &incident.services {
                by_service.entry(s.as_str()).or_default().push(i);
            }
        }
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); self.incidents.len()];
        for postings in by_service.values() {
            // Postings are newest first; look at older ones within the window.
            for (k, &i) in postings.iter().enumerate() {
                let a = &self.incidents[i];
                for &j in &postings[k + 1..] {
                    let b = &self.incidents[j];
                    if a.start.duration_since(b.start) > window {
                        break;
                    }
                    if a.tags.iter().any(|t| b.tags.contains(t)) {
                        out[i].push(j);
                        out[j].push(i);
                    }
                }
            }
        }
        for list in &mut out {
            list.sort_unstable();
            list.dedup();
        }
        out
    }
}

/// How many incidents on each side, in time order, are considered per
/// shared term when looking for related incidents.
pub const RELATED_WINDOW: usize = 25;

/// Lookup tables for [`Archive::related`], built once per archive.
#[derive(Debug, Clone, Default)]
pub struct RelatedIndex {
    by_slug: HashMap<String, usize>,
    by_term: HashMap<(&'static str, String), Vec<usize>>,
}

impl RelatedIndex {
    /// Incidents whose related list could involve incident `i` (at that
    /// index of the indexed archive): those within `window` of it, in time
    /// order, on each of its services and tags.
    pub fn near(&self, incident: &Incident, i: usize, window: usize) -> Vec<usize> {
        let terms = incident
            .services
            .iter()
            .map(|s| ("s", s))
            .chain(incident.tags.iter().map(|t| ("t", t)));
        let mut out = Vec::new();
        for (kind, term) in terms {
            if let Some(postings) = self.by_term.get(&(kind, term.clone())) {
                let at = postings.partition_point(|&j| j < i);
                out.extend_from_slice(
                    &postings[at.saturating_sub(window)..(at + window + 1).min(postings.len())],
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Indexes `archive` by slug, service and tag.
    pub fn new(archive: &Archive) -> RelatedIndex {
        let mut index = RelatedIndex::default();
        for (i, incident) in archive.incidents.iter().enumerate() {
            index.by_slug.insert(incident.slug.clone(), i);
            for s in &incident.services {
                index.by_term.entry(("s", s.clone())).or_default().push(i);
            }
            for t in &incident.tags {
                index.by_term.entry(("t", t.clone())).or_default().push(i);
            }
        }
        index
    }
}
