//! Rules across files: `duplicate-slug`, `unknown-related`, and
//! `slug-collision` (two spellings of a tag or service that would share a
//! page).

use rustc_hash::FxHashMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Archive;
use crate::model::Taxonomy;

pub(super) fn check(archive: &Archive, ctx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_slugs(archive, &mut out);
    unknown_related(archive, ctx, &mut out);
    collisions(archive, &mut out);
    out
}

fn duplicate_slugs(archive: &Archive, out: &mut Vec<Diagnostic>) {
    // Most slugs are unique: remember the first use, list only repeats.
    let mut first: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(archive.incidents.len(), Default::default());
    let mut repeated: std::collections::BTreeMap<&str, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, incident) in archive.incidents.iter().enumerate() {
        if let Some(&f) = first.get(incident.slug.as_str()) {
            repeated
                .entry(&incident.slug)
                .or_insert_with(|| vec![f])
                .push(i);
        } else {
            first.insert(&incident.slug, i);
        }
    }
    for (slug, indexes) in repeated {
        let files: Vec<&str> = indexes
            .iter()
            .map(|&i| archive.incidents[i].file.as_str())
            .collect();
        for &i in &indexes {
            let incident = &archive.incidents[i];
            let others: Vec<&str> = files
                .iter()
                .copied()
                .filter(|f| *f != incident.file)
                .collect();
            out.push(Diagnostic::new(
                Rule::DuplicateSlug,
                &incident.file,
                incident.places.slug,
                format!("the slug `{slug}` is also used by {}; give one of them a different `slug:` or file name", others.join(", ")),
            ));
        }
    }
}

fn unknown_related(archive: &Archive, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let slugs: Vec<&str> = archive.incidents.iter().map(|i| i.slug.as_str()).collect();
    let known: std::collections::HashSet<&str> = slugs.iter().copied().collect();
    for incident in &archive.incidents {
        for (slug, pos) in incident.related.iter().zip(&incident.places.related) {
            if known.contains(slug.as_str()) || ctx.draft_slugs.contains(slug.as_str()) {
                continue;
            }
            let hint = match crate::text::suggest(slug, slugs.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "use the slug (file name without .md, or its `slug:`) of another postmortem"
                        .into()
                }
            };
            out.push(Diagnostic::new(
                Rule::UnknownRelated,
                &incident.file,
                *pos,
                format!("`related` names `{slug}`, but no incident has that slug; {hint}"),
            ));
        }
    }
}

fn collisions(archive: &Archive, out: &mut Vec<Diagnostic>) {
    for taxonomy in [Taxonomy::Tags, Taxonomy::Services] {
        for (slug, spellings) in archive.slug_collisions(taxonomy) {
            let names: Vec<String> = spellings.iter().map(|(s, _, _)| format!("`{s}`")).collect();
            for (name, i, pos) in spellings.iter().skip(1) {
                let incident = &archive.incidents[*i];
                out.push(Diagnostic::new(
                    Rule::SlugCollision,
                    &incident.file,
                    *pos,
                    format!(
                        "the {} `{name}` would share the page /{}/{slug}/ with {}; write it the same way everywhere",
                        taxonomy.singular(),
                        taxonomy.name(),
                        names[0]
                    ),
                ));
            }
        }
    }
}
