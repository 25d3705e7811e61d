//! The figures of the statistics page: incidents and downtime per month,
//! metrics per severity, service and year, median time to resolve per
//! severity, the distribution of durations, detection methods, and when
//! incidents start (weekday and hour, day of the year).

use std::collections::BTreeMap;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use super::metrics::{self, MetricRow};
use crate::config::SiteConfig;
use crate::model::format;
use crate::model::schema::Detection;
use crate::model::url::term_url;
use crate::model::{Archive, Incident, Taxonomy};

/// Incidents and downtime per month, from the month of the first
/// incident to that of the last, in the site's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Months {
    /// The months, `YYYY-MM`.
    pub labels: Vec<String>,
    /// Total known duration of the incidents that started in each month,
    /// in minutes.
    pub downtime: Vec<f64>,
    /// Incidents that started in each month, per severity rank (the
    /// configured order).
    pub by_severity: Vec<Vec<usize>>,
}

/// A service's metrics and mean time between its incidents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRow {
    /// MTTD/MTTM/MTTR and user-minutes.
    pub metrics: MetricRow,
    /// Mean time between incidents.
    pub mtbi: String,
}

/// Duration buckets: upper bounds in minutes (exclusive) and names.
pub const DURATION_BUCKETS: &[(f64, &str)] = &[
    (15.0, "< 15m"),
    (30.0, "15–30m"),
    (60.0, "30m–1h"),
    (120.0, "1–2h"),
    (240.0, "2–4h"),
    (480.0, "4–8h"),
    (1440.0, "8–24h"),
    (4320.0, "1–3d"),
    (f64::INFINITY, "> 3d"),
];

/// The month buckets `YYYY-MM` from the first to the last incident, in
/// the site's zone, and the bucket of each incident.
fn month_buckets(archive: &Archive, cfg: &SiteConfig) -> (Vec<String>, Vec<usize>) {
    let month_of = |at: jiff::Timestamp| {
        let z = at.to_zoned(cfg.timezone.clone());
        (z.year() as i32) * 12 + (z.month() as i32 - 1)
    };
    let keys: Vec<i32> = archive
        .incidents
        .iter()
        .map(|i| month_of(i.start))
        .collect();
    let (Some(&first), Some(&last)) = (keys.iter().min(), keys.iter().max()) else {
        return (Vec::new(), Vec::new());
    };
    let labels = (first..=last)
        .map(|k| format!("{:04}-{:02}", k / 12, k % 12 + 1))
        .collect();
    let buckets = keys.iter().map(|k| (k - first) as usize).collect();
    (labels, buckets)
}

/// Incidents and downtime per month.
pub fn months(archive: &Archive, cfg: &SiteConfig) -> Months {
    let (labels, bucket_of) = month_buckets(archive, cfg);
    let mut downtime = vec![0.0; labels.len()];
    let mut by_severity = vec![vec![0; labels.len()]; cfg.severities.len()];
    for (incident, &b) in archive.incidents.iter().zip(&bucket_of) {
        if let Some(d) = incident.duration() {
            downtime[b] += format::minutes(d);
        }
        if let Some(rank) = by_severity.get_mut(incident.severity_rank) {
            rank[b] += 1;
        }
    }
    Months {
        labels,
        downtime,
        by_severity,
    }
}

/// How many incidents have no known duration (and are left out of the
/// duration figures).
pub fn unknown_durations(archive: &Archive) -> usize {
    archive
        .incidents
        .iter()
        .filter(|i| i.duration().is_none())
        .count()
}

/// The incidents of severity rank `rank`.
fn of_rank(archive: &Archive, rank: usize) -> impl Iterator<Item = &Incident> + Clone {
    archive
        .incidents
        .iter()
        .filter(move |i| i.severity_rank == rank)
        .map(|i| &**i)
}

/// Metrics per severity, in the configured order (worst first), each
/// labelled `<id> <label>` and linked to its severity page.
pub fn severity_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<MetricRow> {
    cfg.severities
        .iter()
        .enumerate()
        .map(|(rank, s)| {
            let label = format!("{} {}", s.id, s.label);
            let url = Some(term_url(Taxonomy::Severity, &s.id));
            metrics::row(&label, url, of_rank(archive, rank))
        })
        .collect()
}

/// Metrics per service, by number of incidents.
pub fn service_rows(archive: &Archive) -> Vec<ServiceRow> {
    archive
        .terms(Taxonomy::Services, &[])
        .into_iter()
        .map(|t| {
            let group = t.incidents.iter().map(|&i| &*archive.incidents[i]);
            let url = Some(term_url(Taxonomy::Services, &t.name));
            ServiceRow {
                metrics: metrics::row(&t.name, url, group.clone()),
                mtbi: metrics::mtbi_text(group),
            }
        })
        .collect()
}

/// Metrics per year (in the site's zone), newest first.
pub fn year_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<MetricRow> {
    let year_of = |i: &Incident| i.start.to_zoned(cfg.timezone.clone()).year();
    let mut years: Vec<i16> = archive.incidents.iter().map(|i| year_of(i)).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let group = archive
                .incidents
                .iter()
                .filter(move |i| year_of(i) == y)
                .map(|i| &**i);
            metrics::row(&y.to_string(), Some(crate::model::url::year_url(y)), group)
        })
        .collect()
}

/// The median time to resolve of each severity rank (none when no
/// incident of that severity has a known duration).
pub fn median_ttr_by_severity(archive: &Archive, cfg: &SiteConfig) -> Vec<Option<SignedDuration>> {
    (0..cfg.severities.len())
        .map(|rank| {
            let mut ttr: Vec<SignedDuration> = of_rank(archive, rank)
                .filter_map(Incident::duration)
                .collect();
            ttr.sort();
            format::median(&ttr)
        })
        .collect()
}

/// How many incidents fall in each of the [`DURATION_BUCKETS`]; those
/// without a known duration are left out.
pub fn duration_distribution(archive: &Archive) -> Vec<usize> {
    let mut counts = vec![0; DURATION_BUCKETS.len()];
    for d in archive.incidents.iter().filter_map(|i| i.duration()) {
        let m = format::minutes(d);
        let b = DURATION_BUCKETS
            .iter()
            .position(|(max, _)| m < *max)
            .unwrap_or(DURATION_BUCKETS.len() - 1);
        counts[b] += 1;
    }
    counts
}

/// How many incidents were detected by each method, in the order of
/// [`Detection::ALL`], then those that do not say (`None`).
pub fn by_detection(archive: &Archive) -> Vec<(Option<Detection>, usize)> {
    Detection::ALL
        .iter()
        .copied()
        .map(Some)
        .chain([None])
        .map(|m| {
            let n = archive
                .incidents
                .iter()
                .filter(|i| i.detection == m)
                .count();
            (m, n)
        })
        .collect()
}

/// Incidents by weekday (rows, Monday first) and hour (columns, 0 to 23)
/// of their start, in each incident's own zone. A start written as a date
/// alone has no hour and is left out.
pub fn by_weekday_hour(archive: &Archive) -> Vec<Vec<u32>> {
    let mut grid = vec![vec![0u32; 24]; 7];
    for i in archive.incidents.iter().filter(|i| !i.start_date_only) {
        let z = i.start.to_zoned(i.zone.clone());
        grid[z.weekday().to_monday_zero_offset() as usize][z.hour() as usize] += 1;
    }
    grid
}

/// Incidents that started on each day, in the site's zone.
pub fn per_day(archive: &Archive, cfg: &SiteConfig) -> BTreeMap<Date, u32> {
    let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
    for i in &archive.incidents {
        *per_day
            .entry(i.start.to_zoned(cfg.timezone.clone()).date())
            .or_default() += 1;
    }
    per_day
}

/// The `n` most recent years of `per_day`, newest first.
pub fn recent_years(per_day: &BTreeMap<Date, u32>, n: usize) -> Vec<i16> {
    let mut years: Vec<i16> = per_day.keys().map(|d| d.year()).collect();
    years.dedup();
    years.into_iter().rev().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive of incidents given as (start, end, detection line).
    fn archive(cfg: &SiteConfig, incidents: &[(&str, &str, &str)]) -> Archive {
        let incidents = incidents
            .iter()
            .enumerate()
            .map(|(n, (start, end, detection))| {
                let text = format!(
                    "---\ntitle: T{n}\nseverity: SEV2\nstart: {start}\nend: {end}\ntimezone: UTC\n{detection}---\n\n## Issue Summary\n\nx\n"
                );
                let path = format!("content/t{n}.md");
                let (incident, findings) = crate::content::load_text(&path, &text, cfg);
                std::sync::Arc::new(incident.unwrap_or_else(|| panic!("loads: {findings:?}")))
            })
            .collect();
        Archive {
            incidents,
            ..Archive::default()
        }
    }

    fn config() -> SiteConfig {
        SiteConfig::parse("", std::path::Path::new("site.toml")).expect("defaults")
    }

    #[test]
    fn months_span_first_to_last_incident_with_empty_months_between() {
        let cfg = config();
        let a = archive(
            &cfg,
            &[
                ("2024-01-10T10:00:00Z", "2024-01-10T10:30:00Z", ""),
                ("2024-03-02T08:00:00Z", "2024-03-02T09:00:00Z", ""),
            ],
        );
        let m = months(&a, &cfg);
        assert_eq!(m.labels, ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(m.downtime, [30.0, 0.0, 60.0]);
        let sev2 = cfg.severities.iter().position(|s| s.id == "SEV2");
        let sev2 = sev2.unwrap_or_else(|| panic!("SEV2 is a default severity"));
        assert_eq!(m.by_severity[sev2], [1, 0, 1]);
        let none = months(&Archive::default(), &cfg);
        assert!(none.labels.is_empty() && none.downtime.is_empty());
        assert_eq!(
            none.by_severity,
            vec![Vec::<usize>::new(); cfg.severities.len()]
        );
    }

    #[test]
    fn durations_fall_in_buckets_and_detections_are_counted_in_order() {
        let cfg = config();
        let a = archive(
            &cfg,
            &[
                ("2024-01-10T10:00:00Z", "2024-01-10T10:10:00Z", ""),
                (
                    "2024-01-11T10:00:00Z",
                    "2024-01-11T10:15:00Z",
                    "detection: customer\n",
                ),
                (
                    "2024-01-12T10:00:00Z",
                    "2024-01-17T10:00:00Z",
                    "detection: customer\n",
                ),
            ],
        );
        assert_eq!(unknown_durations(&a), 0);
        assert_eq!(duration_distribution(&a), [1, 1, 0, 0, 0, 0, 0, 0, 1]);
        let detections = by_detection(&a);
        assert_eq!(detections.len(), Detection::ALL.len() + 1);
        assert_eq!(detections.last(), Some(&(None, 1)));
        assert!(detections.contains(&(Some(Detection::Customer), 2)));
        assert_eq!(median_ttr_by_severity(&a, &cfg).len(), cfg.severities.len());
    }

    #[test]
    fn recent_years_are_the_newest_with_incidents() {
        let day = |y: i16| Date::new(y, 6, 1).unwrap_or_default();
        let per_day: BTreeMap<Date, u32> = [2019, 2021, 2022, 2024]
            .into_iter()
            .map(|y| (day(y), 1))
            .collect();
        assert_eq!(recent_years(&per_day, 3), [2024, 2022, 2021]);
        assert_eq!(recent_years(&BTreeMap::new(), 3), Vec::<i16>::new());
    }
}
