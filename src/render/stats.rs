//! The statistics page: headline figures, a table per severity and the
//! duration charts (downtime per month, incidents per month by severity,
//! median time to resolve by severity, duration distribution).

use jiff::SignedDuration;
use serde::Serialize;

use std::collections::BTreeMap;

use super::charts::{self, BarChart, Series, Unit};
use super::views::{self, Figures};
use crate::analysis::metrics::{self, MetricRow};
use crate::config::SiteConfig;
use crate::model::Taxonomy;
use crate::model::format;
use crate::model::schema::Detection;
use crate::model::{Archive, Incident};

/// A service's metrics and mean time between its incidents.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    /// MTTD/MTTM/MTTR and user-minutes.
    pub metrics: MetricRow,
    /// Mean time between incidents.
    pub mtbi: String,
}

/// A severity's metrics and its badge class.
#[derive(Debug, Clone, Serialize)]
pub struct SeverityMetrics {
    /// CSS class suffix of the badge.
    pub class: String,
    /// Severity id.
    pub id: String,
    /// MTTD/MTTM/MTTR and user-minutes.
    pub metrics: MetricRow,
}

/// Everything the stats template shows.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    /// Headline figures.
    pub figures: Figures,
    /// Metrics per severity, worst first.
    pub severities: Vec<SeverityMetrics>,
    /// Metrics per service, by number of incidents.
    pub services: Vec<ServiceRow>,
    /// Metrics per year, newest first.
    pub years: Vec<MetricRow>,
    /// Chart figures (HTML with inline SVG and data tables).
    pub charts: Vec<String>,
    /// Calendar heat maps of the last three years with incidents.
    pub calendars: Vec<String>,
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
        if let Some(d) = incident.duration() {
            downtime[b] += d.as_secs() as f64 / 60.0;
        }
        if let Some(rank) = per_severity.get_mut(incident.severity_rank) {
            rank[b] += 1.0;
        }
    }
    let mut charts = vec![
        BarChart {
            title: "Downtime per month".into(),
            desc: format!(
                "Total duration of incidents that started in each month, {} to {}.{}",
                first(&labels),
                last(&labels),
                left_out(archive)
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
    charts.push(median_chart(archive, cfg));
    charts.push(distribution_chart(archive));
    charts.push(detection_chart(archive));
    let mut rendered: Vec<String> = charts.iter().map(BarChart::render).collect();
    rendered.push(time_of_day(archive));
    StatsView {
        figures: views::figures(archive.incidents.iter().map(|i| &**i)),
        severities: severity_rows(archive, cfg),
        services: service_rows(archive),
        years: year_rows(archive, cfg),
        charts: rendered,
        calendars: calendars(archive, cfg),
    }
}

/// The note on a duration chart when some durations are unknown.
fn left_out(archive: &Archive) -> String {
    match archive
        .incidents
        .iter()
        .filter(|i| i.duration().is_none())
        .count()
    {
        0 => String::new(),
        1 => " One incident whose duration is unknown is left out.".into(),
        n => format!(" {n} incidents whose duration is unknown are left out."),
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
        ttr.extend(i.duration());
        ttd.extend(i.time_to_detect());
    }
    ttr.sort();
    ttd.sort();
    (ttr, ttd)
}

fn severity_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<SeverityMetrics> {
    cfg.severities
        .iter()
        .enumerate()
        .map(|(rank, s)| {
            let group = archive
                .incidents
                .iter()
                .filter(move |i| i.severity_rank == rank)
                .map(|i| &**i);
            let label = format!("{} {}", s.id, s.label);
            let url = Some(format!("severity/{}/", crate::text::slugify(&s.id)));
            SeverityMetrics {
                class: crate::text::slugify(&s.id),
                id: s.id.clone(),
                metrics: metrics::row(&label, url, group),
            }
        })
        .collect()
}

fn service_rows(archive: &Archive) -> Vec<ServiceRow> {
    archive
        .terms(Taxonomy::Services, &[])
        .into_iter()
        .map(|t| {
            let group = t.incidents.iter().map(|&i| &*archive.incidents[i]);
            ServiceRow {
                metrics: metrics::row(
                    &t.name,
                    Some(format!("services/{}/", t.slug)),
                    group.clone(),
                ),
                mtbi: metrics::mtbi_text(group),
            }
        })
        .collect()
}

fn year_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<MetricRow> {
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
            metrics::row(&y.to_string(), Some(format!("years/{y}/")), group)
        })
        .collect()
}

fn detection_chart(archive: &Archive) -> BarChart {
    let methods: Vec<Option<Detection>> = Detection::ALL
        .iter()
        .copied()
        .map(Some)
        .chain([None])
        .collect();
    let values = methods
        .iter()
        .map(|m| {
            archive
                .incidents
                .iter()
                .filter(|i| i.detection == *m)
                .count() as f64
        })
        .collect();
    BarChart {
        title: "Incidents by detection method".into(),
        desc: "How incidents were first noticed.".into(),
        categories: methods
            .iter()
            .map(|m| m.map_or("not stated", Detection::word).to_string())
            .collect(),
        series: vec![Series {
            name: "Incidents".into(),
            color: "var(--accent)".into(),
            values,
        }],
        unit: Unit::Count,
        axis_labels: None,
        id: "chart-detection".into(),
    }
}

/// Incidents by weekday and hour of start, in each incident's own zone.
fn time_of_day(archive: &Archive) -> String {
    let mut grid = vec![vec![0u32; 24]; 7];
    // A start written as a date alone has no hour.
    for i in archive.incidents.iter().filter(|i| !i.start_date_only) {
        let z = i.start.to_zoned(i.zone.clone());
        grid[z.weekday().to_monday_zero_offset() as usize][z.hour() as usize] += 1;
    }
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}h")).collect();
    charts::heatmap(
        "Incidents by weekday and hour",
        "When incidents started, in the local time of each incident.",
        "chart-time-of-day",
        &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        &hours,
        &grid,
    )
}

/// Calendar heat maps of the three most recent years with incidents.
fn calendars(archive: &Archive, cfg: &SiteConfig) -> Vec<String> {
    let mut per_day: BTreeMap<jiff::civil::Date, u32> = BTreeMap::new();
    for i in &archive.incidents {
        *per_day
            .entry(i.start.to_zoned(cfg.timezone.clone()).date())
            .or_default() += 1;
    }
    let mut years: Vec<i16> = per_day.keys().map(|d| d.year()).collect();
    years.dedup();
    years
        .iter()
        .rev()
        .take(3)
        .map(|&y| charts::calendar(y, &per_day, &format!("calendar-{y}")))
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
        let Some(d) = i.duration() else {
            continue;
        };
        let m = d.as_secs() as f64 / 60.0;
        let b = BUCKETS
            .iter()
            .position(|(max, _)| m < *max)
            .unwrap_or(BUCKETS.len() - 1);
        counts[b] += 1.0;
    }
    BarChart {
        title: "Duration distribution".into(),
        desc: format!(
            "Number of incidents by how long they lasted.{}",
            left_out(archive)
        ),
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
