//! Reliability metrics over groups of incidents: MTTD, MTTM and MTTR
//! (median and 90th percentile), user-minutes of impact, and mean time
//! between incidents.
//!
//! Definitions, as printed on the stats page: time to detect is
//! detected − start, time to mitigate is mitigated − start, time to
//! resolve is end − start; user-minutes are duration in minutes × share of
//! users affected.

use jiff::SignedDuration;
use serde::Serialize;

use crate::model::Incident;
use crate::model::format;
use crate::model::url::SitePath;

/// Metrics of one group (a severity, a service, a year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// The group's name.
    pub label: String,
    /// Site-relative URL of the group's page, if it has one.
    pub url: Option<SitePath>,
    /// Number of incidents.
    pub count: usize,
    /// Median time to detect.
    pub mttd: String,
    /// 90th percentile time to detect.
    pub mttd_p90: String,
    /// Median time to mitigate.
    pub mttm: String,
    /// 90th percentile time to mitigate.
    pub mttm_p90: String,
    /// Median time to resolve.
    pub mttr: String,
    /// 90th percentile time to resolve.
    pub mttr_p90: String,
    /// Sum of duration × share of users affected, in user-minutes
    /// (incidents without a share count as 0).
    pub user_minutes: u64,
}

/// Sorted durations of one measure.
fn sorted(values: impl Iterator<Item = SignedDuration>) -> Vec<SignedDuration> {
    let mut v: Vec<SignedDuration> = values.collect();
    v.sort();
    v
}

fn show(d: Option<SignedDuration>) -> String {
    d.map_or_else(|| "—".to_string(), format::duration)
}

/// User-minutes of one incident (none when its duration is unknown).
pub fn user_minutes(i: &Incident) -> f64 {
    let minutes = i.duration().map_or(0, |d| d.as_secs().max(0)) as f64 / 60.0;
    minutes * i.users_affected_pct.unwrap_or(0.0) / 100.0
}

/// Computes the metrics of `incidents` under `label`.
pub fn row<'a>(
    label: &str,
    url: Option<SitePath>,
    incidents: impl Iterator<Item = &'a Incident> + Clone,
) -> MetricRow {
    let ttd = sorted(incidents.clone().filter_map(Incident::time_to_detect));
    let ttm = sorted(incidents.clone().filter_map(Incident::time_to_mitigate));
    let ttr = sorted(incidents.clone().filter_map(Incident::duration));
    let count = incidents.clone().count();
    let user_minutes: f64 = incidents.map(user_minutes).sum();
    MetricRow {
        label: label.to_string(),
        url,
        count,
        mttd: show(format::median(&ttd)),
        mttd_p90: show(format::percentile(&ttd, 90.0)),
        mttm: show(format::median(&ttm)),
        mttm_p90: show(format::percentile(&ttm, 90.0)),
        mttr: show(format::median(&ttr)),
        mttr_p90: show(format::percentile(&ttr, 90.0)),
        user_minutes: user_minutes.round() as u64,
    }
}

/// Mean time between incidents: the span from the first start to the last
/// divided by the gaps between them; `None` with fewer than two incidents.
pub fn mean_time_between<'a>(
    incidents: impl Iterator<Item = &'a Incident>,
) -> Option<SignedDuration> {
    let starts: Vec<jiff::Timestamp> = incidents.map(|i| i.start).collect();
    let first = starts.iter().min()?;
    let last = starts.iter().max()?;
    let gaps = i64::try_from(starts.len()).ok()? - 1;
    (gaps > 0).then(|| SignedDuration::from_secs(last.duration_since(*first).as_secs() / gaps))
}

/// Mean time between incidents, formatted.
pub fn mtbi_text<'a>(incidents: impl Iterator<Item = &'a Incident>) -> String {
    show(mean_time_between(incidents))
}
