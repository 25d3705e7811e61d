//! Clusters of recurring incidents: the connected groups under the
//! recurrence links, what their members share, and how they are cut into
//! pages.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use crate::model::Archive;

/// Incidents that recurred: a connected group under the recurrence links.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// Services all members share (else every service involved).
    pub services: Vec<String>,
    /// Tags at least two members share.
    pub tags: Vec<String>,
    /// Members (indexes into the archive), newest first.
    pub members: Vec<usize>,
}

/// Cuts clusters into pages of about `size` incidents: whole clusters
/// while they fit, a cluster larger than what is left of a page continued
/// on the next. Each page lists (cluster index, range of its members); there
/// is always at least one page.
pub fn cluster_pages(clusters: &[Cluster], size: usize) -> Vec<Vec<(usize, Range<usize>)>> {
    let size = size.max(1);
    let mut pages = vec![Vec::new()];
    let mut room = size;
    for (c, cluster) in clusters.iter().enumerate() {
        let mut from = 0;
        let len = cluster.members.len();
        while from < len {
            if room == 0 || (from == 0 && len - from > room && room < size && len <= size) {
                pages.push(Vec::new());
                room = size;
            }
            let to = len.min(from + room);
            if let Some(page) = pages.last_mut() {
                page.push((c, from..to));
            }
            room -= to - from;
            from = to;
        }
    }
    pages
}

/// The clusters of recurring incidents from their groups
/// ([`Archive::recurring_groups`]), newest group first.
pub fn clusters(archive: &Archive, groups: Vec<Vec<usize>>) -> Vec<Cluster> {
    let mut out = Vec::new();
    for members in groups {
        let incidents: Vec<_> = members.iter().map(|&i| &archive.incidents[i]).collect();
        let mut tag_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in incidents.iter().flat_map(|i| i.tags.iter()) {
            *tag_counts.entry(t.as_str()).or_default() += 1;
        }
        let mut services: Vec<String> = incidents[0]
            .services
            .iter()
            .filter(|s| incidents.iter().all(|i| i.services.contains(s)))
            .cloned()
            .collect();
        if services.is_empty() {
            services = incidents
                .iter()
                .flat_map(|i| i.services.iter().cloned())
                .collect();
            services.sort();
            services.dedup();
        }
        out.push(Cluster {
            services,
            tags: tag_counts
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(t, _)| t.to_string())
                .collect(),
            members,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(n: usize) -> Cluster {
        Cluster {
            services: Vec::new(),
            tags: Vec::new(),
            members: (0..n).collect(),
        }
    }

    #[test]
    fn clusters_fill_pages_whole_and_split_only_when_larger_than_a_page() {
        let pages = cluster_pages(&[cluster(3), cluster(2), cluster(5)], 4);
        assert_eq!(
            pages,
            [
                vec![(0, 0..3)],
                // The second would not fit beside the first: a new page.
                vec![(1, 0..2), (2, 0..2)],
                // The third is larger than a page: split.
                vec![(2, 2..5)],
            ]
        );
        assert_eq!(cluster_pages(&[], 4), [Vec::new()]);
    }
}
