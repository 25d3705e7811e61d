//! Related incidents: those named in `related:` first, then those that
//! share services and tags, nearest in time.

use rustc_hash::FxHashMap;

use crate::model::archive::{Archive, Incident};
use crate::model::url::Slug;

/// How many incidents on each side, in time order, are considered per
/// shared term when looking for related incidents.
pub const RELATED_WINDOW: usize = 25;

/// Lookup tables for [`Archive::related`], built once per archive.
#[derive(Debug, Clone, Default)]
pub struct RelatedIndex {
    by_slug: FxHashMap<Slug, usize>,
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

impl Archive {
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
            if let Some(&j) = index.by_slug.get(slug.as_str())
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
