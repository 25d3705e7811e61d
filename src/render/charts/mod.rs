//! Static, accessible SVG charts, drawn at build time.
//!
//! Every chart is a `<figure>` holding an inline SVG (`role="img"` with
//! `<title>` and `<desc>`) and the same numbers as a `<table>`, so the page
//! needs no JavaScript and screen readers get the data. Colours come from
//! CSS variables (text, grid) or from `site.toml` (severities), so charts
//! follow light and dark mode.

use std::fmt::Write;

use jiff::SignedDuration;

use crate::model::format;
use crate::text::escape_html as esc;

mod grids;
pub use grids::{calendar, heatmap};

/// What the values of a chart measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Plain counts.
    Count,
    /// Durations in minutes.
    Minutes,
}

impl Unit {
    fn label(self, v: f64) -> String {
        match self {
            Unit::Count => format!("{}", v.round() as i64),
            Unit::Minutes => format::duration(SignedDuration::from_secs((v * 60.0).round() as i64)),
        }
    }

    fn axis_name(self) -> &'static str {
        match self {
            Unit::Count => "incidents",
            Unit::Minutes => "duration",
        }
    }
}

/// One series of a bar chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// CSS colour.
    pub color: String,
    /// One value per category.
    pub values: Vec<f64>,
}

/// A vertical bar chart, stacked when it has several series.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Short title (the SVG `<title>` and the caption).
    pub title: String,
    /// Longer description for assistive technology.
    pub desc: String,
    /// Category labels along the x axis.
    pub categories: Vec<String>,
    /// The series (stacked in order).
    pub series: Vec<Series>,
    /// Unit of the values.
    pub unit: Unit,
    /// Labels under the bars (empty: none); defaults to the categories.
    pub axis_labels: Option<Vec<String>>,
    /// Element id (for `aria-labelledby`).
    pub id: String,
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// A "nice" step for about five ticks up to `max`.
fn tick_step(max: f64, unit: Unit) -> f64 {
    let steps: &[f64] = match unit {
        Unit::Count => &[
            1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0,
            5000.0, 10000.0,
        ],
        Unit::Minutes => &[
            1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 360.0, 720.0, 1440.0, 2880.0,
            4320.0, 10080.0, 20160.0, 43200.0,
        ],
    };
    let target = max / 5.0;
    steps
        .iter()
        .copied()
        .find(|s| *s >= target)
        .unwrap_or_else(|| (target / 10000.0).ceil() * 10000.0)
}

impl BarChart {
    /// Renders the chart as a `<figure>` with SVG and data table.
    pub fn render(&self) -> String {
        let n = self.categories.len().max(1);
        let totals: Vec<f64> = (0..n)
            .map(|i| {
                self.series
                    .iter()
                    .map(|s| s.values.get(i).copied().unwrap_or(0.0))
                    .sum()
            })
            .collect();
        let max = totals.iter().copied().fold(0.0, f64::max).max(1.0);
        let step = tick_step(max, self.unit);
        let top = (max / step).ceil() * step;
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let y = |v: f64| TOP + plot_h - v / top * plot_h;
        let slot = plot_w / n as f64;
        let bar_w = (slot * 0.72).max(1.0);
        let mut svg = String::new();
        let title_id = format!("{}-title", self.id);
        let desc_id = format!("{}-desc", self.id);
        let _ = write!(
            svg,
            "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" preserveAspectRatio=\"xMidYMid meet\"><title id=\"{title_id}\">{}</title><desc id=\"{desc_id}\">{}</desc>",
            esc(&self.title),
            esc(&self.desc)
        );
        let mut v = 0.0;
        while v <= top + 1e-9 {
            let _ = write!(
                svg,
                "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                W - RIGHT,
                LEFT - 6.0,
                y(v) + 4.0,
                esc(&self.unit.label(v)),
                y = y(v)
            );
            v += step;
        }
        self.push_bars(&mut svg, slot, bar_w, &y);
        let _ = write!(
            svg,
            "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{b:.1}\" y2=\"{b:.1}\"/><text class=\"axis-label\" x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">{}</text></svg>",
            W - RIGHT,
            TOP + plot_h / 2.0,
            TOP + plot_h / 2.0,
            esc(self.unit.axis_name()),
            b = y(0.0)
        );
        format!(
            "<figure class=\"chart-figure\" id=\"{}\"><figcaption>{}</figcaption>{svg}{}{}</figure>",
            esc(&self.id),
            esc(&self.title),
            self.legend(),
            self.table()
        )
    }

    /// The stacked bars and the category labels under them.
    fn push_bars(&self, svg: &mut String, slot: f64, bar_w: f64, y: &dyn Fn(f64) -> f64) {
        for (i, category) in self.categories.iter().enumerate() {
            let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
            let mut base = 0.0;
            for s in &self.series {
                let value = s.values.get(i).copied().unwrap_or(0.0);
                if value <= 0.0 {
                    continue;
                }
                let (y0, y1) = (y(base), y(base + value));
                let _ = write!(
                    svg,
                    "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} {}</title></rect>",
                    (y0 - y1).max(0.5),
                    esc(&s.color),
                    esc(category),
                    esc(&self.unit.label(value)),
                    if self.series.len() > 1 {
                        esc(&s.name)
                    } else {
                        String::new()
                    }
                );
                base += value;
            }
            let label = self
                .axis_labels
                .as_ref()
                .map_or(category.as_str(), |l| l.get(i).map_or("", String::as_str));
            if !label.is_empty() {
                let _ = write!(
                    svg,
                    "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x + bar_w / 2.0,
                    H - BOTTOM + 16.0,
                    esc(label)
                );
            }
        }
    }

    fn legend(&self) -> String {
        if self.series.len() < 2 {
            return String::new();
        }
        let mut html = String::from("<ul class=\"legend\">");
        for s in &self.series {
            let _ = write!(
                html,
                "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{}\"/></svg>{}</li>",
                esc(&s.color),
                esc(&s.name)
            );
        }
        html.push_str("</ul>");
        html
    }

    fn table(&self) -> String {
        let mut html = format!(
            "<details class=\"chart-data\"><summary>Data: {}</summary><table><thead><tr><th scope=\"col\">{}</th>",
            esc(&self.title),
            "Period"
        );
        for s in &self.series {
            let _ = write!(html, "<th scope=\"col\">{}</th>", esc(&s.name));
        }
        html.push_str("</tr></thead><tbody>");
        for (i, category) in self.categories.iter().enumerate() {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th>", esc(category));
            for s in &self.series {
                let v = s.values.get(i).copied().unwrap_or(0.0);
                let _ = write!(html, "<td>{}</td>", esc(&self.unit.label(v)));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table></details>");
        html
    }
}

/// The phases of one incident, for its phase chart. Moments that are not
/// known are `None`.
#[derive(Debug, Clone)]
pub struct Phases {
    /// Minutes from start to detection.
    pub detect: Option<f64>,
    /// Minutes from start to mitigation.
    pub mitigate: Option<f64>,
    /// Minutes from start to end.
    pub total: Option<f64>,
    /// Whether the start's time of day is known (not a date alone).
    pub start_known: bool,
    /// Labels of the four moments (local times).
    pub labels: [String; 4],
}

impl Phases {
    /// Whether some part of the chart is drawn as unknown.
    pub fn has_unknown(&self) -> bool {
        self.detect.is_none() || self.mitigate.is_none() || self.total.is_none()
    }

    /// The known moments in order: (moment 0..=3, minutes from start).
    fn known(&self) -> Vec<(usize, f64)> {
        let mut known = vec![(0, 0.0)];
        for (moment, m) in [(1, self.detect), (2, self.mitigate), (3, self.total)] {
            if let Some(m) = m {
                // Never back in time: a moment before the previous one is
                // reported by validation, and drawn at the previous one.
                let floor = known.last().map_or(0.0, |(_, at)| *at);
                known.push((moment, m.max(floor)));
            }
        }
        known
    }
}

/// One bar of the phase chart: class, from, to (minutes) and its name.
type Segment = (&'static str, f64, f64, String);

/// The phases between known moments (start → detected → mitigated →
/// resolved); a stretch that skips an unknown moment, and everything after
/// the last known one when the end is unknown, is drawn as unknown rather
/// than as a phase it may not have been. Returns the segments and the
/// minutes the chart spans.
fn phase_segments(p: &Phases) -> (Vec<Segment>, f64) {
    const NAMES: [(&str, &str); 3] = [
        ("phase-detect", "Time to detect"),
        ("phase-mitigate", "Detected to mitigated"),
        ("phase-recover", "Mitigated to resolved"),
    ];
    const MOMENTS: [&str; 4] = ["start", "detected", "mitigated", "resolved"];
    let known = p.known();
    let mut segments: Vec<Segment> = Vec::new();
    for pair in known.windows(2) {
        let ((a, from), (b, to)) = (pair[0], pair[1]);
        if b == a + 1 {
            let (class, name) = NAMES[a];
            segments.push((class, from, to, name.to_string()));
        } else {
            let name = format!("{} to {}, not known in between", MOMENTS[a], MOMENTS[b]);
            segments.push(("phase-unknown", from, to, capitalise(&name)));
        }
    }
    let last = known.last().map_or(0.0, |(_, at)| *at);
    let span = match p.total {
        Some(total) => total.max(1.0),
        // Leave a quarter of the bar for the unknown rest.
        None => (last * 1.25).max(1.0),
    };
    if p.total.is_none() {
        let name = match p.start_known {
            true => "End unknown".to_string(),
            false => "Times unknown".to_string(),
        };
        segments.push(("phase-unknown", last, span, name));
    }
    (segments, span)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// A horizontal start→detected→mitigated→end chart for an incident page.
pub fn phase_chart(p: &Phases, id: &str) -> String {
    let (w, h, left, right) = (960.0, 92.0, 8.0, 8.0);
    let (segments, span) = phase_segments(p);
    let plot = w - left - right;
    let x = |m: f64| left + (m.clamp(0.0, span) / span) * plot;
    let mut svg = format!(
        "<svg class=\"chart phase-chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">Incident phases</title><desc id=\"{id}-desc\">{}</desc>",
        esc(&phase_desc(p))
    );
    for (class, from, to, name) in &segments {
        if to - from <= 0.0 {
            continue;
        }
        let (x0, width) = (x(*from), (x(*to) - x(*from)).max(1.0));
        let length = match *class {
            "phase-unknown" => String::new(),
            _ => format!(": {}", format::duration(mins(to - from))),
        };
        let _ = write!(
            svg,
            "<rect class=\"{class}\" x=\"{x0:.1}\" y=\"28\" width=\"{width:.1}\" height=\"22\"><title>{}{length}</title></rect>",
            esc(name)
        );
        // The word inside the bar, so the grey is not mistaken for a phase.
        if *class == "phase-unknown" && width >= 72.0 {
            let _ = write!(
                svg,
                "<text class=\"unknown-label\" x=\"{:.1}\" y=\"44\" text-anchor=\"middle\">unknown</text>",
                x0 + width / 2.0
            );
        }
    }
    push_phase_marks(&mut svg, p, &x, w);
    svg.push_str("</svg>");
    svg
}

/// What the chart shows, in words (its `<desc>`).
fn phase_desc(p: &Phases) -> String {
    let mut desc = match p.total {
        Some(total) => format!("Incident lasted {}.", format::duration(mins(total))),
        None if !p.start_known => "Only its date is known, not its times.".into(),
        None => "Its end is unknown.".into(),
    };
    if let Some(d) = p.detect {
        let _ = write!(desc, " Detected after {}.", format::duration(mins(d)));
    }
    if let Some(m) = p.mitigate {
        let _ = write!(desc, " Mitigated after {}.", format::duration(mins(m)));
    }
    desc
}

/// Lines and labels at the known moments.
fn push_phase_marks(svg: &mut String, p: &Phases, x: &dyn Fn(f64) -> f64, w: f64) {
    const NAMES: [&str; 4] = ["Start", "Detected", "Mitigated", "Resolved"];
    for (moment, m) in p.known() {
        // Labels near an edge grow inwards so they are never clipped.
        let anchor = if x(m) < 150.0 {
            "start"
        } else if x(m) > w - 150.0 {
            "end"
        } else {
            "middle"
        };
        let above = moment % 2 == 1;
        let _ = write!(
            svg,
            "<line class=\"mark\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"22\" y2=\"56\"/><text class=\"tick\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{} {}</text>",
            if above { 14 } else { 74 },
            NAMES[moment],
            esc(&p.labels[moment]),
            x = x(m)
        );
    }
}

fn mins(m: f64) -> SignedDuration {
    SignedDuration::from_secs((m * 60.0).round() as i64)
}

/// The duration that fills a row's bar: a week.
const BAR_FULL_MINUTES: f64 = 7.0 * 24.0 * 60.0;

/// A small bar for an incident row: its duration on a fixed log scale (a
/// week fills it), so 7 minutes and 3 days both stay visible and a bar
/// never changes because another incident was added.
pub fn duration_bar(minutes: f64, label: &str) -> String {
    let pct =
        ((1.0 + minutes.max(0.0)).ln() / (1.0 + BAR_FULL_MINUTES).ln() * 100.0).clamp(2.0, 100.0);
    // The track is the SVG's CSS background; one rect is the fill.
    format!(
        "<svg class=\"dbar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Duration {}\"><rect width=\"{pct:.1}\" height=\"8\"/></svg>",
        esc(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(9.0, Unit::Count), 2.0);
        assert_eq!(tick_step(100.0, Unit::Minutes), 30.0);
        assert_eq!(tick_step(4000.0, Unit::Minutes), 1440.0);
    }

    #[test]
    fn bar_chart_is_accessible_and_has_data() {
        let chart = BarChart {
            title: "Downtime per month".into(),
            desc: "Total minutes".into(),
            categories: vec!["2024-01".into(), "2024-02".into()],
            series: vec![Series {
                name: "Downtime".into(),
                color: "var(--accent)".into(),
                values: vec![90.0, 0.0],
            }],
            unit: Unit::Minutes,
            axis_labels: None,
            id: "downtime".into(),
        };
        let html = chart.render();
        assert!(html.contains("role=\"img\""));
        assert!(html.contains("<title id=\"downtime-title\">Downtime per month</title>"));
        assert_eq!(html.matches("<rect class=\"bar\"").count(), 1);
        assert!(html.contains("<td>1h 30m</td>"));
        assert!(html.contains("<td>0s</td>"));
    }

    #[test]
    fn phases_and_bars() {
        let p = Phases {
            detect: Some(5.0),
            mitigate: Some(70.0),
            total: Some(90.0),
            start_known: true,
            labels: [
                "09:30".into(),
                "09:35".into(),
                "10:40".into(),
                "11:00".into(),
            ],
        };
        let svg = phase_chart(&p, "ph");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("Detected after 5m."));
        assert!(!svg.contains("phase-unknown") && !p.has_unknown());
        let bar = duration_bar(7.0, "7m");
        assert!(bar.contains("aria-label=\"Duration 7m\""));
        assert!(bar.contains("width=\"22.6\""), "{bar}");
        assert!(duration_bar(20000.0, "2w").contains("width=\"100.0\""));
    }

    /// The class and `<title>` of each bar of a phase chart.
    fn bars(detect: Option<f64>, mitigate: Option<f64>, total: Option<f64>) -> Vec<String> {
        let p = Phases {
            detect,
            mitigate,
            total,
            start_known: true,
            labels: Default::default(),
        };
        let svg = phase_chart(&p, "ph");
        svg.split("<rect class=\"")
            .skip(1)
            .map(|r| {
                let class = &r[..r.find('"').unwrap()];
                let title = &r[r.find("<title>").unwrap() + 7..r.find("</title>").unwrap()];
                format!("{class}: {title}")
            })
            .collect()
    }

    #[test]
    fn phases_not_known_are_drawn_as_unknown_not_as_a_phase() {
        assert_eq!(
            bars(None, None, Some(90.0)),
            ["phase-unknown: Start to resolved, not known in between"]
        );
        assert_eq!(
            bars(Some(5.0), None, Some(90.0)),
            [
                "phase-detect: Time to detect: 5m",
                "phase-unknown: Detected to resolved, not known in between"
            ]
        );
        assert_eq!(
            bars(None, Some(60.0), Some(90.0)),
            [
                "phase-unknown: Start to mitigated, not known in between",
                "phase-recover: Mitigated to resolved: 30m"
            ]
        );
        assert_eq!(
            bars(Some(5.0), Some(60.0), None),
            [
                "phase-detect: Time to detect: 5m",
                "phase-mitigate: Detected to mitigated: 55m",
                "phase-unknown: End unknown"
            ]
        );
        assert_eq!(bars(None, None, None), ["phase-unknown: End unknown"]);
    }

    #[test]
    fn an_unknown_stretch_is_labelled_and_a_date_alone_has_no_times() {
        let p = Phases {
            detect: None,
            mitigate: None,
            total: None,
            start_known: false,
            labels: [
                "2024-04-18".into(),
                String::new(),
                String::new(),
                String::new(),
            ],
        };
        assert!(p.has_unknown());
        let svg = phase_chart(&p, "ph");
        assert!(svg.contains("<title>Times unknown</title>"), "{svg}");
        assert!(svg.contains(">unknown</text>"), "{svg}");
        assert!(svg.contains("Only its date is known"), "{svg}");
        assert!(svg.contains(">Start 2024-04-18</text>"), "{svg}");
        assert_eq!(svg.matches("class=\"mark\"").count(), 1, "{svg}");
    }
}
