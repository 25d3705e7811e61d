//! Small serializable views handed to templates. Pages get only what they
//! show (rows, links, figures), never the whole archive.

use jiff::SignedDuration;
use serde::Serialize;

use super::charts;
use crate::config::SiteConfig;
use crate::model::Incident;
use crate::model::Taxonomy;
use crate::model::format;
use crate::model::url::{SitePath, Slug};

/// A link to a taxonomy term.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    /// The term as written.
    pub name: String,
    /// Site-relative URL (`tags/dns/`).
    pub url: String,
}

pub use crate::model::url::{incident_url, term_url};

/// The `{name, url}` template value of one spelling of a term.
pub fn term_link(taxonomy: Taxonomy, name: &str) -> tera::Value {
    tera::Value::from_serializable(&TermLink {
        name: name.to_string(),
        url: term_url(taxonomy, name).into(),
    })
}

/// One incident in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Site-relative URL.
    pub url: SitePath,
    /// Slug.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Severity id.
    pub severity: String,
    /// Severity label.
    pub severity_label: String,
    /// CSS class suffix of the severity.
    pub severity_class: String,
    /// Start date in the incident's zone.
    pub date: String,
    /// Start as RFC 3339 (UTC), or its local date when only that is
    /// known, for `<time datetime>`.
    pub datetime: String,
    /// Year of the start in the incident's zone.
    pub year: i16,
    /// Human duration, or why it is unknown (see [`duration_text`]).
    pub duration: String,
    /// Duration in minutes, when known.
    pub minutes: Option<i64>,
    /// Inline SVG duration bar (empty when the duration is unknown).
    pub bar: String,
    /// Services, as `{name, url}` values (see [`term_link`]).
    pub services: Vec<tera::Value>,
    /// Tags, as `{name, url}` values.
    pub tags: Vec<tera::Value>,
    /// Short summary.
    pub summary: String,
    /// Not final yet.
    pub draft: bool,
}

/// Builds the list row of an incident; `link` gives the value of a
/// service or tag (so rows can share them).
pub fn row(
    incident: &Incident,
    cfg: &SiteConfig,
    link: &dyn Fn(Taxonomy, &str) -> tera::Value,
) -> Row {
    let links = |taxonomy: Taxonomy, names: &[String]| -> Vec<tera::Value> {
        names.iter().map(|n| link(taxonomy, n)).collect()
    };
    let minutes = incident.duration().map(|d| d.as_secs() / 60);
    let duration = duration_text(incident);
    Row {
        url: incident_url(&incident.slug),
        slug: incident.slug.clone(),
        title: incident.title.clone(),
        severity: incident.severity.clone(),
        severity_label: severity_label(cfg, &incident.severity),
        severity_class: crate::text::term_slug(&incident.severity),
        date: format::local_date(incident.start, &incident.zone),
        datetime: match incident.start_date_only {
            true => format::local_date(incident.start, &incident.zone),
            false => format::iso(incident.start),
        },
        year: incident.start.to_zoned(incident.zone.clone()).year(),
        bar: minutes.map_or_else(String::new, |m| charts::duration_bar(m as f64, &duration)),
        duration,
        minutes,
        services: links(Taxonomy::Services, &incident.services),
        tags: links(Taxonomy::Tags, &incident.tags),
        summary: incident.summary.clone(),
        draft: incident.status != crate::model::schema::Status::Final,
    }
}

/// The duration as shown: `1h 30m`, `end unknown`, or `times unknown`
/// (the start is a date alone).
pub fn duration_text(incident: &Incident) -> String {
    match incident.duration() {
        Some(d) => format::duration(d),
        None if incident.end.is_none() => "end unknown".into(),
        None => "times unknown".into(),
    }
}

/// The start as shown: local date and time, or the date alone when the
/// time is unknown.
pub fn start_text(incident: &Incident) -> String {
    match incident.start_date_only {
        true => format::local_date(incident.start, &incident.zone),
        false => format::local_datetime(incident.start, &incident.zone),
    }
}

/// The label of a severity id.
pub fn severity_label(cfg: &SiteConfig, id: &str) -> String {
    cfg.severity(id)
        .map_or_else(|| id.to_string(), |(_, s)| s.label.clone())
}

/// Headline figures of a set of incidents.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Number of incidents.
    pub incidents: usize,
    /// Sum of the known durations.
    pub downtime: String,
    /// Median duration (time to resolve).
    pub median_ttr: String,
    /// Median time to detect.
    pub median_ttd: String,
}

/// Computes headline figures over `incidents`; durations that are not
/// known are left out of the sums and medians, not of the count.
pub fn figures<'a>(incidents: impl Iterator<Item = &'a Incident>) -> Figures {
    let mut count = 0;
    let mut durations = Vec::new();
    let mut detect = Vec::new();
    for i in incidents {
        count += 1;
        durations.extend(i.duration());
        detect.extend(i.time_to_detect());
    }
    durations.sort();
    detect.sort();
    let total: SignedDuration = durations
        .iter()
        .fold(SignedDuration::ZERO, |a, b| a.saturating_add(*b));
    let show = |d: Option<SignedDuration>| d.map_or_else(|| "—".to_string(), format::duration);
    Figures {
        incidents: count,
        downtime: format::duration(total),
        median_ttr: show(format::median(&durations)),
        median_ttd: show(format::median(&detect)),
    }
}

/// Links to numbered pages of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Site-relative URL of the previous page.
    pub prev: Option<String>,
    /// Site-relative URL of the next page.
    pub next: Option<String>,
    /// Every page: number and URL.
    pub pages: Vec<PageLink>,
}

/// One page of a paginated list, or a gap between listed pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageLink {
    /// 1-based page number (0 for a gap).
    pub number: usize,
    /// Site-relative URL (empty for a gap).
    pub url: String,
    /// Whether this stands for pages left out ("…").
    pub gap: bool,
}

/// How many pages on each side of the current one the page list shows
/// (besides the first and the last).
const PAGE_SPAN: usize = 2;

/// The URL of page `n` (1-based) of a list whose first page is `base`.
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Pagination for page `current` of `total` under `base`.
pub fn pagination(base: &str, current: usize, total: usize) -> Pagination {
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| page_url(base, current - 1)),
        next: (current < total).then(|| page_url(base, current + 1)),
        pages: page_links(base, current, total),
    }
}

/// The first and last pages and those within [`PAGE_SPAN`] of `current`,
/// with gaps where pages are left out (a gap of one page shows the page),
/// so the list stays short however many pages there are.
fn page_links(base: &str, current: usize, total: usize) -> Vec<PageLink> {
    let from = current.saturating_sub(PAGE_SPAN).max(1);
    let to = (current + PAGE_SPAN).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(from..=to)
        .chain(std::iter::once(total))
        .filter(|&n| (1..=total).contains(&n))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let link = |n: usize| PageLink {
        number: n,
        url: page_url(base, n),
        gap: false,
    };
    let mut out = Vec::new();
    let mut last = 0;
    for n in numbers {
        if n == last + 2 {
            out.push(link(last + 1));
        } else if n > last + 2 {
            out.push(PageLink {
                number: 0,
                url: String::new(),
                gap: true,
            });
        }
        out.push(link(n));
        last = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(term_url(Taxonomy::Tags, "C++"), "tags/c-plus-plus/");
        assert_eq!(term_url(Taxonomy::Severity, "SEV1"), "severity/sev1/");
        assert_eq!(page_url("tags/dns/", 1), "tags/dns/");
        assert_eq!(page_url("tags/dns/", 3), "tags/dns/page/3/");
        let p = pagination("tags/dns/", 2, 3);
        assert_eq!(p.prev.as_deref(), Some("tags/dns/"));
        assert_eq!(p.next.as_deref(), Some("tags/dns/page/3/"));
        assert_eq!(p.pages.len(), 3);
    }

    /// The page numbers shown, 0 for a gap.
    fn shown(current: usize, total: usize) -> Vec<usize> {
        pagination("x/", current, total)
            .pages
            .iter()
            .map(|p| p.number)
            .collect()
    }

    #[test]
    fn long_page_lists_keep_the_ends_and_the_neighbourhood() {
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(4, 7), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(shown(1, 100), [1, 2, 3, 0, 100]);
        assert_eq!(shown(50, 100), [1, 0, 48, 49, 50, 51, 52, 0, 100]);
        // A gap of a single page shows that page instead.
        assert_eq!(shown(5, 100), [1, 2, 3, 4, 5, 6, 7, 0, 100]);
        assert_eq!(shown(100, 100), [1, 0, 98, 99, 100]);
        let p = pagination("x/", 50, 3000);
        assert!(p.pages.iter().all(|l| l.gap == (l.number == 0)));
        assert_eq!(p.pages[2].url, "x/page/48/");
    }
}
