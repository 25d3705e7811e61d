//! Rules on the parsed timeline: `timeline-order`, `timeline-window`,
//! `timeline-empty`.

use jiff::Timestamp;

use super::{FileFindings, human_duration};
use crate::config::SiteConfig;
use crate::diagnostic::Rule;
use crate::model::Incident;
use crate::model::section::{self, Found, Section};

pub(super) fn check(incident: &Incident, cfg: &SiteConfig, out: &mut FileFindings<'_>) {
    let when = |at: Timestamp| {
        at.to_zoned(incident.zone.clone())
            .strftime("%b %-d %H:%M")
            .to_string()
    };
    if incident.timeline.is_empty() {
        if let Found::Heading(i) = section::find(&incident.body.headings, Section::Timeline) {
            let h = &incident.body.headings[i];
            let pos = out.at(h.offset, h.len);
            out.push(
                Rule::TimelineEmpty,
                pos,
                "the Timeline has no timed events; start each bullet with a time, like `- 09:30 - Alert fired`",
            );
        }
        return;
    }
    let slack = cfg.validation.timeline_slack;
    let earliest = incident.start - slack;
    // With the end unknown, only the start bounds the events.
    let latest = incident.end.map(|end| end + slack);
    for (i, event) in incident.timeline.iter().enumerate() {
        // Positions are worked out for findings only: most events have none.
        let pos = |out: &FileFindings<'_>| out.at(event.offset, event.len);
        if i > 0 {
            let prev = &incident.timeline[i - 1];
            if event.at < prev.at {
                let pos = pos(out);
                out.push(
                    Rule::TimelineOrder,
                    pos,
                    format!(
                        "this event ({}) is earlier than the one before it ({}); fix the time, or add a date line (`- Oct 30`) if it happened on another day",
                        when(event.at),
                        when(prev.at)
                    ),
                );
            }
        }
        if event.at < earliest || latest.is_some_and(|latest| event.at > latest) {
            let (gap, side) = if event.at < incident.start {
                (
                    incident.start.duration_since(event.at),
                    "before the incident started",
                )
            } else {
                (
                    event
                        .at
                        .duration_since(incident.end.unwrap_or(incident.start)),
                    "after the incident ended",
                )
            };
            let pos = pos(out);
            out.push(
                Rule::TimelineWindow,
                pos,
                format!(
                    "this event ({}) lies {} {side}; check its date and time (events may lie up to {} outside start..end, `timeline_slack` in site.toml)",
                    when(event.at),
                    human_duration(gap),
                    human_duration(slack)
                ),
            );
        }
    }
}
