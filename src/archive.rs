//! The loaded archive: every incident as plain data, and the indexes the
//! pages are built from (taxonomy terms, neighbours, related incidents).

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::Taxonomy;
use crate::content::markdown::Body;
use crate::content::schema::{ActionKind, ActionStatus, Detection, Status};
use crate::content::timeline::TimelineEvent;
use crate::diagnostic::Pos;

/// Where an action item is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionSource {
    /// `action_items` in front matter.
    FrontMatter,
    /// A `- [ ]` item of a measures section.
    TaskList,
    /// A plain or numbered item under an action-items heading.
    List,
    /// A row of an action table.
    Table,
}

impl ActionSource {
    /// `front-matter`, `task-list`, `list`, `table`.
    pub fn word(self) -> &'static str {
        match self {
            ActionSource::FrontMatter => "front-matter",
            ActionSource::TaskList => "task-list",
            ActionSource::List => "list",
            ActionSource::Table => "table",
        }
    }
}

/// An action item, from front matter or the body.
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
    /// Its priority, as written in an action table.
    pub priority: Option<String>,
    /// Its ticket or bug, as written in an action table.
    pub ticket: Option<String>,
    /// Where it is written.
    pub source: ActionSource,
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
    /// When the incident started (local midnight when only its date is
    /// known).
    pub start: Timestamp,
    /// `start` was written as a date alone: the day is known, the time of
    /// day is not, so nothing is measured from it.
    pub start_date_only: bool,
    /// When it ended; `None` when the front matter does not say (allowed
    /// when `end` is not among `[validation] required_fields`).
    pub end: Option<Timestamp>,
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
    /// Byte offset of the body (after the front matter) in `source`.
    pub body_offset: usize,
}

impl Incident {
    /// end − start; `None` when the end or the start's time is unknown.
    pub fn duration(&self) -> Option<SignedDuration> {
        self.since_start(self.end)
    }

    /// detected − start.
    pub fn time_to_detect(&self) -> Option<SignedDuration> {
        self.since_start(self.detected)
    }

    /// mitigated − start.
    pub fn time_to_mitigate(&self) -> Option<SignedDuration> {
        self.since_start(self.mitigated)
    }

    /// `at` − start, when both are known.
    pub fn since_start(&self, at: Option<Timestamp>) -> Option<SignedDuration> {
        if self.start_date_only {
            return None;
        }
        at.map(|at| at.duration_since(self.start))
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
    /// Slug by `content/` path of every postmortem read (drafts and broken
    /// ones included), for rendering bodies loaded without their HTML.
    pub slugs: std::sync::Arc<HashMap<String, String>>,
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
        let mut slugs: FxHashMap<&str, String> = FxHashMap::default();
        for (i, incident) in self.incidents.iter().enumerate() {
            for name in incident.terms(taxonomy) {
                let slug = slugs
                    .entry(name.as_str())
                    .or_insert_with(|| crate::text::term_slug(name));
                // Look up by &str first: only a new term allocates.
                let term = match by_slug.get_mut(slug.as_str()) {
                    Some(term) => term,
                    None => by_slug.entry(slug.clone()).or_insert_with(|| Term {
                        name: name.clone(),
                        slug: slug.clone(),
                        incidents: Vec::new(),
                    }),
                };
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
        if taxonomy == Taxonomy::Severity {
            return Vec::new();
        }
        // Distinct spellings first: an archive repeats a few dozen names.
        let mut first_use: FxHashMap<&str, (usize, Pos)> = FxHashMap::default();
        for (i, incident) in self.incidents.iter().enumerate() {
            let places = match taxonomy {
                Taxonomy::Tags => &incident.places.tags,
                _ => &incident.places.services,
            };
            for (name, pos) in incident.terms(taxonomy).iter().zip(places) {
                first_use.entry(name.as_str()).or_insert((i, *pos));
            }
        }
        let mut by_slug: BTreeMap<String, Vec<Spelling>> = BTreeMap::new();
        for (name, (i, pos)) in first_use {
            by_slug
                .entry(crate::text::term_slug(name))
                .or_default()
                .push((name.to_string(), i, pos));
        }
        by_slug
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(slug, mut v)| {
                // In archive order, as a reader meets them.
                v.sort_by_key(|(_, i, pos)| (*i, *pos));
                (slug, v)
            })
            .collect()
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
        // (candidate, weight) for each shared term, summed per candidate.
        let mut hits: Vec<(usize, u32)> = Vec::new();
        let terms = incident
            .services
            .iter()
            .map(|s| (2, index.by_service.get(s)))
            .chain(incident.tags.iter().map(|t| (1, index.by_tag.get(t))));
        for (weight, postings) in terms {
            let Some(postings) = postings else {
                continue;
            };
            let at = postings.partition_point(|&j| j < i);
            let from = at.saturating_sub(RELATED_WINDOW);
            let to = (at + RELATED_WINDOW + 1).min(postings.len());
            hits.extend(postings[from..to].iter().map(|&j| (j, weight)));
        }
        hits.sort_unstable_by_key(|&(j, _)| j);
        let mut ranked: Vec<(usize, u32)> = hits
            .chunk_by(|a, b| a.0 == b.0)
            .map(|same| (same[0].0, same.iter().map(|&(_, w)| w).sum::<u32>()))
            .filter(|(j, score)| *j != i && *score >= 2 && !out.contains(j))
            .collect();
        // Best first: highest score, then nearest in time (a total order,
        // so only the ones shown need sorting).
        let rank = |&(j, score): &(usize, u32)| (std::cmp::Reverse(score), j.abs_diff(i), j);
        let wanted = limit.saturating_sub(out.len());
        if ranked.len() > wanted {
            if wanted > 0 {
                ranked.select_nth_unstable_by_key(wanted - 1, rank);
            }
            ranked.truncate(wanted);
        }
        ranked.sort_unstable_by_key(rank);
        out.extend(ranked.into_iter().map(|(j, _)| j));
        out
    }
}

/// Incident positions by service, then by tag, newest first: the
/// candidates for recurrences of an incident are exactly the postings of
/// its (service, tag) pairs, so finding them never scans unrelated ones.
#[derive(Debug, Clone, Default)]
pub struct RecurrenceIndex(FxHashMap<String, FxHashMap<String, Vec<usize>>>);

impl Archive {
    /// Indexes incidents by service and tag.
    pub fn recurrence_index(&self) -> RecurrenceIndex {
        let mut index: FxHashMap<String, FxHashMap<String, Vec<usize>>> = FxHashMap::default();
        for (i, incident) in self.incidents.iter().enumerate() {
            for s in &incident.services {
                let by_tag = index.entry(s.clone()).or_default();
                for t in &incident.tags {
                    let postings = by_tag.entry(t.clone()).or_default();
                    if postings.last() != Some(&i) {
                        postings.push(i);
                    }
                }
            }
        }
        RecurrenceIndex(index)
    }

    /// The incidents that share at least one service and one tag with
    /// incident `i` and started within `window` of it (either way), newest
    /// first: "this has happened before" (and since).
    pub fn recurrences_of(
        &self,
        i: usize,
        window: SignedDuration,
        index: &RecurrenceIndex,
    ) -> Vec<usize> {
        recurrences_among(&self.incidents, i, window, index)
    }

    /// The groups of incidents linked as recurrences within `window`,
    /// directly or through others: each sorted, groups ordered by their
    /// first incident, lone incidents left out. Linking each incident to the
    /// next one with the same service and tag is enough (any pair within the
    /// window is linked through those between them), so this is linear in
    /// the archive however many recurrences each incident has.
    pub fn recurring_groups(
        &self,
        window: SignedDuration,
        index: &RecurrenceIndex,
    ) -> Vec<Vec<usize>> {
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut parent: Vec<usize> = (0..self.incidents.len()).collect();
        for postings in index.0.values().flat_map(|by_tag| by_tag.values()) {
            for pair in postings.windows(2) {
                if within(&self.incidents[pair[0]], &self.incidents[pair[1]], window) {
                    let (x, y) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
                    // The root of a group is its first incident.
                    parent[x.max(y)] = x.min(y);
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.incidents.len() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        groups.into_values().filter(|g| g.len() > 1).collect()
    }
}

/// Whether `a` and `b` started within `window` of each other.
fn within(a: &Incident, b: &Incident, window: SignedDuration) -> bool {
    a.start.duration_since(b.start).abs() <= window
}

/// [`Archive::recurrences_of`] over a list of incidents (newest first)
/// indexed by `index`.
pub fn recurrences_among(
    incidents: &[std::sync::Arc<Incident>],
    i: usize,
    window: SignedDuration,
    index: &RecurrenceIndex,
) -> Vec<usize> {
    let a = &incidents[i];
    let near = |j: &usize| within(a, &incidents[*j], window);
    let mut out = Vec::new();
    for service in &a.services {
        let Some(by_tag) = index.0.get(service) else {
            continue;
        };
        for postings in a.tags.iter().filter_map(|t| by_tag.get(t)) {
            let at = postings.partition_point(|&j| j < i);
            // Newer incidents come before `at`, older ones after it.
            out.extend(postings[..at].iter().rev().copied().take_while(near));
            out.extend(
                postings[at..]
                    .iter()
                    .copied()
                    .filter(|&j| j != i)
                    .take_while(near),
            );
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How many incidents on each side, in time order, are considered per
/// shared term when looking for related incidents.
pub const RELATED_WINDOW: usize = 25;

/// Lookup tables for [`Archive::related`], built once per archive.
#[derive(Debug, Clone, Default)]
pub struct RelatedIndex {
    by_slug: FxHashMap<String, usize>,
    by_service: FxHashMap<String, Vec<usize>>,
    by_tag: FxHashMap<String, Vec<usize>>,
}

impl RelatedIndex {
    /// Incidents whose related list could involve incident `i` (at that
    /// index of the indexed archive): those within `window` of it, in time
    /// order, on each of its services and tags.
    pub fn near(&self, incident: &Incident, i: usize, window: usize) -> Vec<usize> {
        let terms = incident
            .services
            .iter()
            .filter_map(|s| self.by_service.get(s))
            .chain(incident.tags.iter().filter_map(|t| self.by_tag.get(t)));
        let mut out = Vec::new();
        for postings in terms {
            let at = postings.partition_point(|&j| j < i);
            out.extend_from_slice(
                &postings[at.saturating_sub(window)..(at + window + 1).min(postings.len())],
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The position of the incident with `slug` in the indexed archive.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    /// Every slug with its position.
    pub fn positions(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_slug.iter().map(|(s, &i)| (s.as_str(), i))
    }

    /// Indexes `archive` by slug, service and tag.
    pub fn new(archive: &Archive) -> RelatedIndex {
        let mut index = RelatedIndex::default();
        index.by_slug.reserve(archive.incidents.len());
        for (i, incident) in archive.incidents.iter().enumerate() {
            index.by_slug.insert(incident.slug.clone(), i);
            for (map, terms) in [
                (&mut index.by_service, &incident.services),
                (&mut index.by_tag, &incident.tags),
            ] {
                for term in terms {
                    // Look up by &str first: only new terms allocate.
                    match map.get_mut(term.as_str()) {
                        Some(postings) => postings.push(i),
                        None => {
                            map.insert(term.clone(), vec![i]);
                        }
                    }
                }
            }
        }
        index
    }
}
