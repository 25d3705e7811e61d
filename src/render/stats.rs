//! The statistics page: headline figures, a table per severity, service
//! and year, and the charts (downtime per month, incidents per month by
//! severity, median time to resolve by severity, duration distribution,
//! detection methods, time of day, calendars). The figures are computed in
//! [`crate::analysis::stats`]; this module draws them.

use serde::Serialize;

use super::charts::{self, BarChart, Series, Unit};
use super::views::{self, Figures};
use crate::analysis::metrics::MetricRow;
use crate::analysis::stats::{self, DURATION_BUCKETS, ServiceRow};
use crate::config::SiteConfig;
use crate::model::schema::Detection;
use crate::model::{Archive, format};

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

/// Builds the stats view.
pub fn view(archive: &Archive, cfg: &SiteConfig) -> StatsView {
    let note = left_out(stats::unknown_durations(archive));
    let mut charts = month_charts(archive, cfg, &note);
    charts.push(median_chart(archive, cfg));
    charts.push(distribution_chart(archive, &note));
    charts.push(detection_chart(archive));
    let mut rendered: Vec<String> = charts.iter().map(BarChart::render).collect();
    rendered.push(time_of_day(archive));
    StatsView {
        figures: views::figures(archive.incidents.iter().map(|i| &**i)),
        severities: severity_rows(archive, cfg),
        services: stats::service_rows(archive),
        years: stats::year_rows(archive, cfg),
        charts: rendered,
        calendars: calendars(archive, cfg),
    }
}

/// The note on a duration chart when `unknown` durations are unknown.
fn left_out(unknown: usize) -> String {
    match unknown {
        0 => String::new(),
        1 => " One incident whose duration is unknown is left out.".into(),
        n => format!(" {n} incidents whose duration is unknown are left out."),
    }
}

/// Counts as chart values.
fn values(counts: impl IntoIterator<Item = usize>) -> Vec<f64> {
    counts.into_iter().map(|n| n as f64).collect()
}

/// One series in the accent colour.
fn accent(name: &str, values: Vec<f64>) -> Vec<Series> {
    vec![Series {
        name: name.into(),
        color: "var(--accent)".into(),
        values,
    }]
}

/// Downtime per month, and incidents per month stacked by severity.
fn month_charts(archive: &Archive, cfg: &SiteConfig, left_out: &str) -> Vec<BarChart> {
    let months = stats::months(archive, cfg);
    let labels = months.labels;
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
    let first = labels.first().map_or("", String::as_str);
    let last = labels.last().map_or("", String::as_str);
    let downtime = BarChart {
        title: "Downtime per month".into(),
        desc: format!(
            "Total duration of incidents that started in each month, {first} to {last}.{left_out}"
        ),
        categories: labels.clone(),
        series: accent("Downtime", months.downtime),
        unit: Unit::Minutes,
        axis_labels: Some(axis_labels.clone()),
        id: "chart-downtime".into(),
    };
    let per_month = BarChart {
        title: "Incidents per month by severity".into(),
        desc: "Number of incidents that started in each month, stacked by severity.".into(),
        categories: labels,
        series: cfg
            .severities
            .iter()
            .zip(months.by_severity)
            .map(|(s, counts)| Series {
                name: s.id.clone(),
                color: s.color.clone(),
                values: values(counts),
            })
            .collect(),
        unit: Unit::Count,
        axis_labels: Some(axis_labels),
        id: "chart-per-month".into(),
    };
    vec![downtime, per_month]
}

/// Each severity's metrics with its badge class.
fn severity_rows(archive: &Archive, cfg: &SiteConfig) -> Vec<SeverityMetrics> {
    cfg.severities
        .iter()
        .zip(stats::severity_rows(archive, cfg))
        .map(|(s, metrics)| SeverityMetrics {
            class: crate::text::slugify(&s.id),
            id: s.id.clone(),
            metrics,
        })
        .collect()
}

fn detection_chart(archive: &Archive) -> BarChart {
    let counts = stats::by_detection(archive);
    BarChart {
        title: "Incidents by detection method".into(),
        desc: "How incidents were first noticed.".into(),
        categories: counts
            .iter()
            .map(|(m, _)| m.map_or("not stated", Detection::word).to_string())
            .collect(),
        series: accent("Incidents", values(counts.iter().map(|(_, n)| *n))),
        unit: Unit::Count,
        axis_labels: None,
        id: "chart-detection".into(),
    }
}

/// Incidents by weekday and hour of start, in each incident's own zone.
fn time_of_day(archive: &Archive) -> String {
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}h")).collect();
    charts::heatmap(
        "Incidents by weekday and hour",
        "When incidents started, in the local time of each incident.",
        "chart-time-of-day",
        &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        &hours,
        &stats::by_weekday_hour(archive),
    )
}

/// Calendar heat maps of the three most recent years with incidents.
fn calendars(archive: &Archive, cfg: &SiteConfig) -> Vec<String> {
    let per_day = stats::per_day(archive, cfg);
    stats::recent_years(&per_day, 3)
        .into_iter()
        .map(|y| charts::calendar(y, &per_day, &format!("calendar-{y}")))
        .collect()
}

fn median_chart(archive: &Archive, cfg: &SiteConfig) -> BarChart {
    let medians = stats::median_ttr_by_severity(archive, cfg)
        .into_iter()
        .map(|m| m.map_or(0.0, format::minutes))
        .collect();
    BarChart {
        title: "Median time to resolve by severity".into(),
        desc: "Median duration from start to end for each severity level.".into(),
        categories: cfg.severities.iter().map(|s| s.id.clone()).collect(),
        series: accent("Median time to resolve", medians),
        unit: Unit::Minutes,
        axis_labels: None,
        id: "chart-median-ttr".into(),
    }
}

fn distribution_chart(archive: &Archive, left_out: &str) -> BarChart {
    BarChart {
        title: "Duration distribution".into(),
        desc: format!("Number of incidents by how long they lasted.{left_out}"),
        categories: DURATION_BUCKETS
            .iter()
            .map(|(_, l)| l.to_string())
            .collect(),
        series: accent("Incidents", values(stats::duration_distribution(archive))),
        unit: Unit::Count,
        axis_labels: None,
        id: "chart-distribution".into(),
    }
}
