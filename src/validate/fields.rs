//! Rules on front-matter values: `end-before-start`, `impact`,
//! `action-owner`.

use super::{Context, FileFindings};
use crate::diagnostic::Rule;
use crate::model::{ActionSource, Incident};

pub(super) fn check(incident: &Incident, ctx: &Context<'_>, out: &mut FileFindings<'_>) {
    times(incident, out);
    impact(incident, out);
    actions(incident, ctx, out);
}

fn local(incident: &Incident, at: jiff::Timestamp) -> String {
    let format = match incident.start_date_only && at == incident.start {
        true => "%Y-%m-%d",
        false => "%Y-%m-%d %H:%M %:z",
    };
    at.to_zoned(incident.zone.clone())
        .strftime(format)
        .to_string()
}

fn times(incident: &Incident, out: &mut FileFindings<'_>) {
    let p = &incident.places;
    // A start written as a date alone is that day's midnight: an end later
    // that day is after it.
    if let Some(end) = incident.end
        && (end < incident.start || (end == incident.start && !incident.start_date_only))
    {
        let start = local(incident, incident.start);
        out.push(
            Rule::EndBeforeStart,
            p.end,
            format!(
                "the incident ends ({}) before it starts ({start}); fix `end` or `start`",
                local(incident, end)
            ),
        )
        .label = Some(format!("start is {start}"));
        return;
    }
    for (name, at, pos) in [
        ("detected", incident.detected, p.detected),
        ("mitigated", incident.mitigated, p.mitigated),
    ] {
        let (Some(at), Some(pos)) = (at, pos) else {
            continue;
        };
        if at < incident.start || incident.end.is_some_and(|end| at > end) {
            let end = incident
                .end
                .map_or_else(|| "an unknown end".to_string(), |end| local(incident, end));
            out.push(
                Rule::EndBeforeStart,
                pos,
                format!(
                    "`{name}` ({}) lies outside the incident ({} to {end}); it must be between `start` and `end`",
                    local(incident, at),
                    local(incident, incident.start),
                ),
            );
        }
    }
    if let (Some(d), Some(m), Some(pos)) = (incident.detected, incident.mitigated, p.mitigated)
        && m < d
        && p.detected.is_some()
    {
        out.push(
            Rule::EndBeforeStart,
            pos,
            format!(
                "`mitigated` ({}) is before `detected` ({}); check both times",
                local(incident, m),
                local(incident, d)
            ),
        );
    }
}

fn impact(incident: &Incident, out: &mut FileFindings<'_>) {
    let missing: Vec<&str> = [
        ("impact.summary", incident.impact_summary.is_none()),
        (
            "impact.users_affected_pct",
            incident.users_affected_pct.is_none(),
        ),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        out.push(
            Rule::Impact,
            incident.places.block,
            format!(
                "the impact is not stated ({} missing); add `impact:` with `summary: \"what users saw\"` and `users_affected_pct: 40`",
                missing.join(" and ")
            ),
        );
    }
}

fn actions(incident: &Incident, ctx: &Context<'_>, out: &mut FileFindings<'_>) {
    for item in &incident.action_items {
        // Only for a finding: most items have none.
        let short = || item.task.chars().take(50).collect::<String>();
        if item.owner.is_none() {
            let how = match item.source {
                ActionSource::FrontMatter => "add `owner: team-name`",
                ActionSource::Table => "fill in its Owner column",
                ActionSource::TaskList | ActionSource::List => "add `(@team)` to the item",
            };
            out.push(
                Rule::ActionOwner,
                item.pos,
                format!("the action item \"{}\" has no owner; {how}", short()),
            );
        }
        if let Some(due) = item.due
            && item.status.is_pending()
            && due < ctx.today
        {
            out.push(
                    Rule::ActionOwner,
                    item.pos,
                    format!(
                        "the action item \"{}\" is {} and was due on {due}; finish it, move its due date, or mark it wont-do",
                        short(),
                        item.status.word()
                    ),
                );
        }
    }
}
