//! Recurring incidents: those that share a service and a tag within a
//! time window of each other.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use rustc_hash::FxHashMap;

use crate::model::archive::{Archive, Incident};

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
