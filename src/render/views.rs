//! Small serializable views handed to templates. Pages get only what they
//! show (rows, links, figures), never the whole archive.

use jiff::SignedDuration;
use serde::Serialize;

use super::charts;
use super::format;
use crate::archive::Incident;
use crate::config::{SiteConfig, Taxonomy};

/// A link to a taxonomy term.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    /// The term as written.
    pub name: String,
    /// Site-relative URL (`tags/dns/`).
    pub url: String,
}

/// Site-relative URL of a term page.
pub fn term_url(taxonomy: Taxonomy, name: &str) -> String {
    format!("{}/{}/", taxonomy.name(), crate::text::term_slug(name))
}

/// Site-relative URL of an incident page.
pub fn incident_url(slug: &str) -> String {
    format!("incidents/{slug}/")
}

fn links(taxonomy: Taxonomy, names: &[String]) -> Vec<TermLink> {
    names
        .iter()
        .map(|n| TermLink {
            name: n.clone(),
            url: term_url(taxonomy, n),
        })
        .collect()
}

/// One incident in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Site-relative URL.
    pub url: String,
    /// Slug.
    pub slug: String,
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
    /// Start as RFC 3339 (UTC), for `<time datetime>`.
    pub datetime: String,
    /// Year of the start in the incident's zone.
    pub year: i16,
    /// Human duration.
    pub duration: String,
    /// Duration in minutes.
    pub minutes: i64,
    /// Inline SVG duration bar.
    pub bar: String,
    /// Services.
    pub services: Vec<TermLink>,
    /// Tags.
    pub tags: Vec<TermLink>,
    /// Short summary.
    pub summary: String,
    /// Not final yet.
    pub draft: bool,
}

/// Builds the list row of an incident.
pub fn row(incident: &Incident, cfg: &SiteConfig) -> Row {
    let minutes = incident.duration().as_secs() / 60;
    let duration = format::duration(incident.duration());
    Row {
        url: incident_url(&incident.slug),
        slug: incident.slug.clone(),
        title: incident.title.clone(),
        severity: incident.severity.clone(),
        severity_label: severity_label(cfg, &incident.severity),
        severity_class: crate::text::term_slug(&incident.severity),
        date: format::local_date(incident.start, &incident.zone),
        datetime: format::iso(incident.start),
        year: incident.start.to_zoned(incident.zone.clone()).year(),
        bar: charts::duration_bar(minutes as f64, &duration),
        duration,
        minutes,
        services: links(Taxonomy::Services, &incident.services),
        tags: links(Taxonomy::Tags, &incident.tags),
        summary: incident.summary.clone(),
        draft: incident.status != crate::content::schema::Status::Final,
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
    /// Sum of durations.
    pub downtime: String,
    /// Median duration (time to resolve).
    pub median_ttr: String,
    /// Median time to detect.
    pub median_ttd: String,
}

/// Computes headline figures over `incidents`.
pub fn figures<'a>(incidents: impl Iterator<Item = &'a Incident>) -> Figures {
    let mut durations = Vec::new();
    let mut detect = Vec::new();
    for i in incidents {
        durations.push(i.duration());
        if let Some(d) = i.time_to_detect() {
            detect.push(d);
        }
    }
    durations.sort();
    detect.sort();
    let total: SignedDuration = durations
        .iter()
        .fold(SignedDuration::ZERO, |a, b| a.saturating_add(*b));
    let show = |d: Option<SignedDuration>| d.map_or_else(|| "—".to_string(), format::duration);
    Figures {
        incidents: durations.len(),
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

/// One page of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// 1-based page number.
    pub number: usize,
    /// Site-relative URL.
    pub url: String,
}

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
        pages: (1..=total)
            .map(|n| PageLink {
                number: n,
                url: page_url(base, n),
            })
            .collect(),
    }
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
}
