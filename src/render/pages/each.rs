//! The pages made from templates: what each template gets to show.

use serde::Serialize;

use super::{RECURRING_SHOWN, Renderer};
use crate::analysis::actions;
use crate::analysis::terms::Term;
use crate::error::Result;
use crate::model::Taxonomy;
use crate::model::format;
use crate::model::url::{SitePath, year_url};
use crate::render::{OutputFile, incident_page, insights, views};

impl Renderer<'_> {
    pub(in crate::render) fn home(&self) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct YearGroup {
            year: i16,
            rows: tera::Value,
            count: usize,
            url: SitePath,
        }
        let mut ctx = self.context("", &self.cfg.title);
        let mut budget = self.cfg.paginate_by;
        let mut groups = Vec::new();
        let mut older = Vec::new();
        for (year, items) in self.years() {
            let (year, items) = (*year, items.as_slice());
            let url = year_url(year);
            if budget == 0 {
                older.push(YearGroup {
                    year,
                    rows: self.rows(&[]),
                    count: items.len(),
                    url,
                });
                continue;
            }
            let shown = items.len().min(budget);
            budget -= shown;
            groups.push(YearGroup {
                year,
                rows: self.rows(&items[..shown]),
                count: items.len(),
                url,
            });
        }
        ctx.insert(
            "figures",
            &views::figures(self.archive.incidents.iter().map(|i| &**i)),
        );
        ctx.insert("years", &groups);
        ctx.insert("older_years", &older);
        ctx.insert("home_html", &self.archive.home_html);
        self.file("", "index.html", &ctx)
    }

    pub(in crate::render) fn incident(&self, i: usize) -> Result<OutputFile> {
        let incident = &self.archive.incidents[i];
        let path = views::incident_url(&incident.slug);
        let lasted = match incident.duration() {
            Some(d) => format!("lasted {}", format::duration(d)),
            None => views::duration_text(incident),
        };
        let mut description = format!(
            "{} {} · {lasted}",
            incident.severity,
            views::severity_label(self.cfg, &incident.severity),
        );
        if let Some(impact) = &incident.impact_summary {
            description.push_str(&format!(" · {impact}"));
        }
        let mut ctx = self.context_for(&path, &incident.title, &description, "article");
        ctx.insert(
            "incident",
            &incident_page::view(
                incident,
                self.row(i),
                self.cfg,
                self.opts.today,
                &self.archive.slugs,
            ),
        );
        let related = self.related(i);
        ctx.insert_value("related", self.rows(&related));
        let (after, before): (Vec<usize>, Vec<usize>) =
            self.recurring(i).into_iter().partition(|&j| j < i);
        // The nearest in time on each side; the rest are on `recurring/`.
        let shown_before = &before[..before.len().min(RECURRING_SHOWN)];
        let shown_after = &after[after.len().saturating_sub(RECURRING_SHOWN)..];
        ctx.insert_value("recurring_before", self.rows(shown_before));
        ctx.insert_value("recurring_after", self.rows(shown_after));
        ctx.insert(
            "recurring_more",
            &(before.len() + after.len() - shown_before.len() - shown_after.len()),
        );
        ctx.insert("window_days", &self.window_days());
        let neighbour = |j: usize| (j < self.archive.incidents.len()).then(|| self.row(j));
        ctx.insert_value("older", tera::Value::from(neighbour(i + 1)));
        ctx.insert_value(
            "newer",
            tera::Value::from(i.checked_sub(1).and_then(neighbour)),
        );
        // The page is its body's HTML and about 12-28 KB around it (the
        // default theme); the HTML is two to three times the Markdown.
        let capacity = 16 * 1024 + 4 * incident.source.len();
        self.file_sized(&path, "incident.html", &ctx, capacity)
    }

    pub(in crate::render) fn actions_page(&self, page: usize) -> Result<OutputFile> {
        let all = self.actions();
        let total = actions::action_pages(all.listed(), self.cfg.paginate_by);
        let path = views::page_url("actions/", page);
        let mut ctx = self.context(&path, "Action items");
        ctx.insert(
            "actions",
            &insights::actions_page(self.archive, all, page, self.cfg.paginate_by),
        );
        ctx.insert("pagination", &views::pagination("actions/", page, total));
        self.file(&path, "actions.html", &ctx)
    }

    pub(in crate::render) fn recurring_page(&self, page: usize) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct ClusterView<'c> {
            services: &'c [String],
            tags: &'c [String],
            /// Members in the whole cluster.
            count: usize,
            /// The members on this page.
            rows: tera::Value,
            /// Began on an earlier page.
            continued: bool,
            /// Goes on on the next page.
            continues: bool,
        }
        let all = self.clusters();
        let path = views::page_url("recurring/", page);
        let mut ctx = self.context(&path, "Recurring incidents");
        let views: Vec<ClusterView<'_>> = all.pages[page - 1]
            .iter()
            .map(|(c, range)| {
                let cluster = &all.clusters[*c];
                ClusterView {
                    services: &cluster.services,
                    tags: &cluster.tags,
                    count: cluster.members.len(),
                    rows: self.rows(&cluster.members[range.clone()]),
                    continued: range.start > 0,
                    continues: range.end < cluster.members.len(),
                }
            })
            .collect();
        ctx.insert("clusters", &views);
        ctx.insert(
            "pagination",
            &views::pagination("recurring/", page, all.pages.len()),
        );
        ctx.insert("window_days", &self.window_days());
        self.file(&path, "recurring.html", &ctx)
    }

    pub(in crate::render) fn year(&self, group: usize, page: usize) -> Result<OutputFile> {
        let (year, items) = &self.years()[group];
        let base = year_url(*year);
        let path = views::page_url(&base, page);
        let title = format!("Incidents in {year}");
        let size = self.cfg.paginate_by;
        let chunk = &items[(page - 1) * size..(page * size).min(items.len())];
        let mut ctx = self.context(&path, &title);
        ctx.insert("heading", &title);
        ctx.insert_value("rows", self.rows(chunk));
        ctx.insert(
            "pagination",
            &views::pagination(&base, page, self.pages(items.len())),
        );
        ctx.insert("figures", &Option::<views::Figures>::None);
        self.file(&path, "list.html", &ctx)
    }

    pub(in crate::render) fn taxonomy(&self, taxonomy: Taxonomy) -> Result<OutputFile> {
        #[derive(Serialize)]
        struct TermView<'t> {
            name: &'t str,
            slug: &'t str,
            url: String,
            count: usize,
        }
        let terms = self.terms_of(taxonomy);
        let path = format!("{}/", taxonomy.name());
        let mut ctx = self.context(&path, taxonomy.title());
        let views: Vec<TermView<'_>> = terms
            .iter()
            .map(|t| TermView {
                name: &t.name,
                slug: &t.slug,
                url: format!("{}/{}/", taxonomy.name(), t.slug),
                count: t.incidents.len(),
            })
            .collect();
        ctx.insert("taxonomy", &TaxonomyView::of(taxonomy));
        ctx.insert("terms", &views);
        self.file(&path, "taxonomy.html", &ctx)
    }

    pub(in crate::render) fn terms_of(&self, taxonomy: Taxonomy) -> &[Term] {
        self.terms()
            .iter()
            .find(|(t, _)| *t == taxonomy)
            .map_or(&[], |(_, terms)| terms.as_slice())
    }

    /// The headline figures of a term's incidents, made once for all its
    /// pages (once for every term: linear in the archive).
    fn term_figures(&self, taxonomy: Taxonomy, term: usize) -> Option<&views::Figures> {
        let all = self.term_figures.get_or_init(|| {
            self.terms()
                .iter()
                .map(|(_, terms)| {
                    terms
                        .iter()
                        .map(|t| {
                            views::figures(t.incidents.iter().map(|&i| &*self.archive.incidents[i]))
                        })
                        .collect()
                })
                .collect()
        });
        let k = self.terms().iter().position(|(t, _)| *t == taxonomy)?;
        all.get(k)?.get(term)
    }

    pub(in crate::render) fn term(
        &self,
        taxonomy: Taxonomy,
        term: usize,
        page: usize,
    ) -> Result<OutputFile> {
        let t = &self.terms_of(taxonomy)[term];
        let base = format!("{}/{}/", taxonomy.name(), t.slug);
        let path = views::page_url(&base, page);
        let heading = match taxonomy {
            Taxonomy::Severity => {
                format!("{} · {}", t.name, views::severity_label(self.cfg, &t.name))
            }
            _ => t.name.clone(),
        };
        let mut ctx = self.context(&path, &format!("{}: {heading}", taxonomy.title()));
        let size = self.cfg.paginate_by;
        let chunk = &t.incidents[(page - 1) * size..(page * size).min(t.incidents.len())];
        ctx.insert("heading", &heading);
        ctx.insert("taxonomy", &TaxonomyView::of(taxonomy));
        ctx.insert_value("rows", self.rows(chunk));
        ctx.insert(
            "pagination",
            &views::pagination(&base, page, self.pages(t.incidents.len())),
        );
        ctx.insert("figures", &self.term_figures(taxonomy, term));
        self.file(&path, "list.html", &ctx)
    }
}

#[derive(Debug, Clone, Serialize)]
struct TaxonomyView {
    name: &'static str,
    title: &'static str,
    singular: &'static str,
}

impl TaxonomyView {
    fn of(t: Taxonomy) -> TaxonomyView {
        TaxonomyView {
            name: t.name(),
            title: t.title(),
            singular: t.singular(),
        }
    }
}
