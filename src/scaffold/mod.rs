//! Text for new files: `hindsight new` (a postmortem ready to fill in)
//! and `hindsight init` (a whole archive, ready to publish on GitHub Pages).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{ToSpan, Zoned};

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::model::section::Section;
use crate::text::slugify;
use crate::time;

mod workflow;

pub use workflow::ActionSource;

/// What `hindsight new` was asked for.
#[derive(Debug, Clone)]
pub struct NewPostmortem {
    /// Title of the incident.
    pub title: String,
    /// Severity id.
    pub severity: String,
    /// Local start `YYYY-MM-DD HH:MM`; `None`: `now`.
    pub start: Option<String>,
    /// IANA zone; `None`: the site's zone.
    pub timezone: Option<String>,
    /// The current time (passed in so tests are stable).
    pub now: jiff::Timestamp,
}

/// The path (relative to the site root) and text of a new postmortem.
pub fn new_postmortem(cfg: &SiteConfig, req: &NewPostmortem) -> Result<(String, String)> {
    if cfg.severity(&req.severity).is_none() {
        let ids: Vec<&str> = cfg.severities.iter().map(|s| s.id.as_str()).collect();
        return Err(Error::Usage(format!(
            "--severity {} is not one of {}",
            req.severity,
            ids.join(", ")
        )));
    }
    let zone_name = req
        .timezone
        .clone()
        .unwrap_or_else(|| cfg.timezone_name.clone());
    let zone =
        time::parse_zone(&zone_name).map_err(|m| Error::Usage(format!("--timezone: {m}")))?;
    let start = match &req.start {
        Some(s) => parse_local(s, &zone)?,
        None => req
            .now
            .to_zoned(zone.clone())
            .round(jiff::Unit::Minute)
            .map_err(|e| Error::Usage(e.to_string()))?,
    };
    let slug = slugify(&req.title);
    let date = start.strftime("%Y-%m-%d").to_string();
    let path = format!("content/{}/{date}-{slug}.md", start.year());
    Ok((path, text(cfg, req, &zone_name, &start)))
}

fn parse_local(s: &str, zone: &TimeZone) -> Result<Zoned> {
    let bad = || {
        Error::Usage(format!(
            "--start `{s}` is not a local time; write it like \"2024-04-18 09:30\""
        ))
    };
    let stamp = time::parse_datetime(s).map_err(|_| bad())?;
    let instant = time::stamp_instant(&stamp, Some(zone)).ok_or_else(bad)?;
    Ok(instant.to_zoned(zone.clone()))
}

fn at(z: &Zoned, minutes: i64) -> Zoned {
    z.checked_add(minutes.minutes())
        .unwrap_or_else(|_| z.clone())
}

fn text(cfg: &SiteConfig, req: &NewPostmortem, zone: &str, start: &Zoned) -> String {
    let fmt = |z: &Zoned| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let clock = |z: &Zoned| z.strftime("%H:%M").to_string();
    let due: DateTime = at(start, 30 * 24 * 60).datetime();
    let due = due.date().max(
        req.now
            .to_zoned(TimeZone::UTC)
            .date()
            .checked_add(30.days())
            .unwrap_or(due.date()),
    );
    let title = req.title.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!(
        "---\ntitle: \"{title}\"\nstatus: draft\nseverity: {sev}\nstart: {s}\nend: {e}    # when users stopped being affected\ntimezone: {zone}\ndetected: {d}\nmitigated: {m}\ndetection: monitoring    # monitoring | customer | engineer | automated-test | other\nimpact:\n  summary: \"What users saw, in one sentence\"\n  users_affected_pct: 0\nservices: []\ntags: []\nauthors: []\nrelated: []\naction_items:\n  - task: \"The most important fix\"\n    owner: your-team\n    status: open    # open | in-progress | done | wont-do\n    due: {due}\n    kind: prevent    # detect | mitigate | prevent | process\n---\n",
        sev = req.severity,
        s = fmt(start),
        e = fmt(&at(start, 60)),
        d = fmt(&at(start, 5)),
        m = fmt(&at(start, 45)),
    );
    for (name, section) in &cfg.validation.required_sections {
        out.push_str(&format!(
            "\n## {name}\n\n{}\n",
            prompt(*section, start, &clock)
        ));
    }
    out
}

fn prompt(section: Section, start: &Zoned, clock: &dyn Fn(&Zoned) -> String) -> String {
    match section {
        Section::Summary => "When it started and ended (with the time zone), what was down, what users saw and how many were affected, and the root cause in a sentence.".into(),
        Section::Timeline => format!(
            "- {} - What happened first (a deploy, a change, a failure).\n- {} - How it was detected, and by whom.\n- {} - What was tried, including paths that turned out to be wrong.\n- {} - How it was resolved.",
            clock(start),
            clock(&at(start, 5)),
            clock(&at(start, 20)),
            clock(&at(start, 60))
        ),
        Section::RootCauseAndResolution => "What caused the incident, in detail, and how it was fixed. Name contributing causes, not people.".into(),
        Section::Measures => "What can be improved broadly, then the concrete tasks:\n\n- [ ] A specific task (@owner, due YYYY-MM-DD)".into(),
        _ => "Write this section.".into(),
    }
}

/// The files `hindsight init` creates: (path relative to the archive,
/// contents). Open action items of the example are due `today` + 90 days,
/// so the example passes `check` without warnings.
pub fn init_files(today: jiff::civil::Date, source: &ActionSource) -> Vec<(&'static str, String)> {
    let due1 = today.checked_add(90.days()).unwrap_or(today);
    let due2 = today.checked_add(120.days()).unwrap_or(today);
    let example = include_str!("example.md")
        .replace("{{DUE_1}}", &due1.to_string())
        .replace("{{DUE_2}}", &due2.to_string());
    vec![
        ("site.toml", include_str!("site.toml").to_string()),
        (
            "content/2024/2024-04-18-checkout-500-config-typo.md",
            example,
        ),
        (".gitignore", "/public\n/.public.hindsight-*\n".to_string()),
        (".github/workflows/pages.yml", workflow::pages(source)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_times() {
        let cfg = SiteConfig::parse("", std::path::Path::new("site.toml")).unwrap();
        let req = NewPostmortem {
            title: "Checkout returned 500s".into(),
            severity: "SEV2".into(),
            start: Some("2024-04-18 09:30".into()),
            timezone: Some("Europe/Paris".into()),
            now: "2024-04-20T00:00:00Z".parse().unwrap(),
        };
        let (path, text) = new_postmortem(&cfg, &req).unwrap();
        assert_eq!(path, "content/2024/2024-04-18-checkout-returned-500s.md");
        assert!(
            text.contains("start: 2024-04-18T09:30:00+02:00\n"),
            "{text}"
        );
        assert!(text.contains("- 09:35 - How it was detected"), "{text}");
        let bad = NewPostmortem {
            severity: "P1".into(),
            ..req.clone()
        };
        assert!(new_postmortem(&cfg, &bad).is_err());
        let bad = NewPostmortem {
            timezone: Some("CET".into()),
            ..req
        };
        assert!(new_postmortem(&cfg, &bad).is_err());
    }
}
