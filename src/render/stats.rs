//! The statistics page: headline figures, a table per severity and the
//! duration charts (downtime per month, incidents per month by severity,
//! median time to resolve by severity, duration distribution).

use jiff::SignedDuration;
use serde::Serialize;

use super::charts::{BarChart, Series, Unit};
use super::format;
use super::views::{self, Figures};
use crate::archive::Archive;
use crate::config::SiteConfig;

/// One row of the per-severity table.
#[derive(Debug, Clone, Serialize)]
pub struct SeverityRow {
    /// Severity id.
    pub id: String,
    /// Label.
    pub label: String,
    /// CSS class suffix.
    pub class: String,
    /// Number of incidents.
    pub count: usize,
    /// Median time to resolve.
    pub median_ttr: String,
    /// 90th percentile time to resolve.
    pub p90_ttr: String,
    /// Median time to detect.
    pub median_ttd: String,
}

/// Everything the stats template shows.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    /// Headline figures.
    pub figures: Figures,
    /// Per-severity table.
    pub severities: Vec<SeverityRow>,
    /// Chart figures (HTML with inline SVG and data tables).
    pub charts: Vec<String>,
}

/// Month buckets `YYYY-MM` from the first to the last incident, in the
/// site's zone.
fn months(archive: &Archive, cfg: &SiteConfig) -> (Vec<String>, Vec<usize>) {
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

/// Builds the stats view.
pub fn view(archive: &Archive, cfg: &SiteConfig) -> StatsView {
    let (labels, bucket_of) = months(archive, cfg);
    // Label Januaries with their year; every month when the range is short.
    let axis_labels: Vec<String> = if labels.len() <= 12 {
        labels.clone()
    } else {
        labels
            .iter()
            .map(|l| {
                l.strip_suffix("-01")
                    .map(str::to_string)
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut downtime = vec![0.0; labels.len()];
    let mut per_severity = vec![vec![0.0; labels.len()]; cfg.severities.len()];
    for (incident, &b) in archive.incidents.iter().zip(&bucket_of) {
        downtime[b] += incident.duration().as_secs() as f64 / 60.0;
        if let Some(rank) = per_severity.get_mut(incident.severity_rank) {
            rank[b] += 1.0;
        }
    }
    let mut charts = vec![
        BarChart {
            title: "Downtime per month".into(),
            desc: format!(
                "Total duration of incidents that started in each month, {} to {}.",
                first(&labels),
                last(&labels)
            ),
            categories: labels.clone(),
            series: vec![Series {
                name: "Downtime".into(),
                color: "var(--accent)".into(),
                values: downtime,
            }],
            unit: Unit::Minutes,
            axis_labels: Some(axis_labels.clone()),
            id: "chart-downtime".into(),
        },
        BarChart {
            title: "Incidents per month by severity".into(),
            desc: "Number of incidents that started in each month, stacked by severity.".into(),
            categories: labels,
            series: cfg
                .severities
                .iter()
                .zip(per_severity)
                .map(|(s, values)| Series {
                    name: s.id.clone(),
                    color: s.color.clone(),
                    values,
                })
                .collect(),
            unit: Unit::Count,
            axis_labels: Some(axis_labels),
            id: "chart-per-month".into(),
        },
    ];
    let severities = severity_rows(archive, cfg);
    charts.push(median_chart(archive, cfg));
    charts.push(distribution_chart(archive));
    StatsView {
        figures: views::figures(archive.incidents.iter().map(|i| &**i)),
        severities,
        charts: charts.iter().map(BarChart::render).collect(),
    }
}

fn first(labels: &[String]) -> &str {
    labels.first().map_or("", String::as_str)
}

fn last(labels: &[String]) -> &str {
    labels.last().map_or("", String::as_str)
}

fn durations_of(archive: &Archive, rank: usize) -> (Vec<SignedDuration>, Vec<SignedDuration>) {
    let mut ttr = Vec::new();
    let mut ttd = Vec::new();
    for i in archive.incidents.iter().filter(|i| i.severity_rank == rank) {
        ttr.push(i.duration());
        ttd.extend(i.time_to_detect());
    }
    ttr.sort();
    ttd.sort();
    (ttr, ttd)
}

fn severity_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<SeverityRow> {
    let show = |d: Option<SignedDuration>| d.map_or_else(|| "—".to_string(), format::duration);
    cfg.severities
        .iter()
        .enumerate()
        .map(|(rank, s)| {
            let (ttr, ttd) = durations_of(archive, rank);
            SeverityRow {
                id: s.id.clone(),
                label: s.label.clone(),
                class: crate::text::slugify(&s.id),
                count: ttr.len(),
                median_ttr: show(format::median(&ttr)),
                p90_ttr: show(format::percentile(&ttr, 90.0)),
                median_ttd: show(format::median(&ttd)),
            }
        })
        .collect()
}

fn median_chart(archive: &Archive, cfg: &SiteConfig) -> BarChart {
    let medians: Vec<f64> = (0..cfg.severities.len())
        .map(|rank| {
            let (ttr, _) = durations_of(archive, rank);
            format::median(&ttr).map_or(0.0, |d| d.as_secs() as f64 / 60.0)
        })
        .collect();
    BarChart {
        title: "Median time to resolve by severity".into(),
        desc: "Median duration from start to end for each severity level.".into(),
        categories: cfg.severities.iter().map(|s| s.id.clone()).collect(),
        series: vec![Series {
            name: "Median time to resolve".into(),
            color: "var(--accent)".into(),
            values: medians,
        }],
        unit: Unit::Minutes,
        axis_labels: None,
        id: "chart-median-ttr".into(),
    }
}

/// Duration buckets, upper bounds in minutes.
const BUCKETS: &[(f64, &str)] = &[
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

fn distribution_chart(archive: &Archive) -> BarChart {
    let mut counts = vec![0.0; BUCKETS.len()];
    for i in &archive.incidents {
        let m = i.duration().as_secs() as f64 / 60.0;
        let b = BUCKETS
            .iter()
            .position(|(max, _)| m < *max)
            .unwrap_or(BUCKETS.len() - 1);
        counts[b] += 1.0;
    }
    BarChart {
        title: "Duration distribution".into(),
        desc: "Number of incidents by how long they lasted.".into(),
        categories: BUCKETS.iter().map(|(_, l)| l.to_string()).collect(),
        series: vec![Series {
            name: "Incidents".into(),
            color: "var(--accent)".into(),
            values: counts,
        }],
        unit: Unit::Count,
        axis_labels: None,
        id: "chart-distribution".into(),
    }
}
