//! The terms of each taxonomy (tags, services, severities) and the
//! spellings of one term that share a slug.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::model::archive::Archive;
use crate::model::taxonomy::Taxonomy;
use crate::text::Pos;

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

impl Archive {
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
}
