//! One postmortem file → one [`Incident`]: reading the file, typing its
//! front matter (pass one), then resolving times, rendering the body and
//! reading the timeline and action items (pass two).

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;

use super::actions;
use super::frontmatter::{self, Field, FrontMatter};
use super::markdown::{self, LinkContext};
use super::timeline::{self, Parts};
use super::{Findings, SourceFile};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Level, Pos, Rule};
use crate::model::body::Body;
use crate::model::section::{self, Section};
use crate::model::url::{SitePath, Slug};
use crate::model::{ActionItem, ActionSource, Incident, Places, TimelineEvent};
use crate::text::{normalize_newlines, pos_in};
use crate::time::{self, DatePart, Stamp, TimeErrorKind, ZonePart};

/// The result of pass one for a file: its text and typed front matter.
/// `serve` keeps these per file so a change re-reads only that file.
#[derive(Debug, Clone)]
pub struct FrontRead {
    /// The file.
    pub file: SourceFile,
    /// Its text, newlines normalised (shared with the incident built from it).
    pub text: Arc<str>,
    body_offset: usize,
    fm: Option<FrontMatter>,
    /// Its slug, when the front matter could be read.
    pub slug: Option<Slug>,
    findings: Findings,
}

/// Pass one: read the file and its front matter.
pub fn read_front(file: &SourceFile, cfg: &SiteConfig) -> FrontRead {
    match read_text(file) {
        Ok(text) => front_from_text(file, text, cfg),
        Err((pos, message)) => {
            let mut findings = Findings::new(&file.rel);
            findings.push(Rule::ReadError, pos, message);
            FrontRead {
                file: file.clone(),
                text: Arc::from(""),
                body_offset: 0,
                fm: None,
                slug: None,
                findings,
            }
        }
    }
}

/// Pass one on text already read (taken by value: it becomes the
/// incident's source).
pub fn front_from_text(file: &SourceFile, text: String, cfg: &SiteConfig) -> FrontRead {
    let mut findings = Findings::new(&file.rel);
    let text = normalize_newlines(text);
    let (body_offset, fm) = match frontmatter::split(&text) {
        Ok(block) => {
            let fm = frontmatter::parse_block(&block, &mut findings)
                .map(|value| frontmatter::read(value, &block, cfg, &mut findings));
            (block.body_offset, fm)
        }
        Err((pos, message)) => {
            findings.push(Rule::FrontMatter, pos, message);
            (0, None)
        }
    };
    let slug = fm.as_ref().map(|fm| slug_of(fm, file));
    FrontRead {
        file: file.clone(),
        text: Arc::from(text),
        body_offset,
        fm,
        slug,
        findings,
    }
}

fn read_text(file: &SourceFile) -> Result<String, (Pos, String)> {
    let bytes = crate::input::read(&file.path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::PermissionDenied {
            "make it readable (chmod a+r)"
        } else if e.kind() == std::io::ErrorKind::InvalidInput {
            "it was not read"
        } else {
            "check that it exists and is a regular file"
        };
        (
            Pos::new(1, 1, 1),
            format!("cannot read this file: {e}; {hint}"),
        )
    })?;
    if memchr::memchr(0, &bytes).is_some() {
        return Err((Pos::new(1, 1, 1), "this looks like a binary file, not Markdown; remove it or rename it so it does not end in .md".into()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (
            Pos::new(line, column, 1),
            "this file is not valid UTF-8 here; save it as UTF-8".to_string(),
        )
    })
}

fn slug_of(fm: &FrontMatter, file: &SourceFile) -> Slug {
    match &fm.slug {
        Some(slug) => slug.value.clone(),
        None => Slug::from_text(stem(file)),
    }
}

/// The file name without `.md`.
fn stem(file: &SourceFile) -> &str {
    let name = file
        .content_path
        .rsplit('/')
        .next()
        .unwrap_or(&file.content_path);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".MD"))
        .unwrap_or(name)
}

/// The title: `title`, else (for archives that do not require it) the
/// body's first level-1 heading, else the file stem.
fn title_of(
    fm: &FrontMatter,
    headings: &[crate::model::body::Heading],
    file: &SourceFile,
) -> String {
    if let Some(title) = &fm.title {
        return title.value.clone();
    }
    headings
        .iter()
        .find(|h| h.level == 1 && !h.text.is_empty())
        .map_or_else(|| stem(file).to_string(), |h| h.text.clone())
}

/// Pass two: build the incident. `None` when a required field is missing
/// or unreadable (the findings say which).
pub fn build(
    first: &FrontRead,
    cfg: &SiteConfig,
    lookup: &dyn Fn(&str) -> Option<SitePath>,
    html: bool,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let mut findings = first.findings.clone();
    let (file, text, body_offset) = (&first.file, &first.text, first.body_offset);
    let (Some(fm), Some(slug)) = (&first.fm, first.slug.clone()) else {
        return (None, findings.list);
    };
    let Some(times) = resolve_times(fm, cfg, &mut findings) else {
        return (None, findings.list);
    };
    let Some(severity) = fm.severity.clone() else {
        return (None, findings.list);
    };
    if fm.title.is_none() && cfg.validation.requires("title") {
        return (None, findings.list);
    }
    let severity_rank = cfg
        .severity(&severity.value)
        .map_or(usize::MAX, |(rank, _)| rank);
    let ctx = link_context(&file.content_path, cfg, lookup, html);
    let mut body = markdown::render(&text[body_offset..], body_offset, &ctx);
    let (events, action_items) = read_body(fm, &times, &mut body, text, body_offset, &mut findings);
    let detected = times
        .detected
        .or_else(|| events.iter().map(|e| e.at).find(|at| *at >= times.start));
    let summary = summary_of(&body.headings, fm);
    let places = places_of(fm);
    let values =
        |fields: &[Field<String>]| fields.iter().map(|f| f.value.clone()).collect::<Vec<_>>();
    let incident = Incident {
        file: file.rel.clone(),
        slug,
        title: title_of(fm, &body.headings, file),
        status: fm.status,
        severity: severity.value,
        severity_rank,
        start: times.start,
        start_date_only: times.start_date_only,
        end: times.end,
        detected,
        mitigated: times.mitigated,
        zone: times.zone,
        zone_name: times.zone_name,
        detection: fm.detection,
        impact_summary: fm.impact_summary.clone(),
        users_affected_pct: fm.users_affected_pct,
        services: values(&fm.services),
        tags: values(&fm.tags),
        authors: fm.authors.clone(),
        related: values(&fm.related),
        action_items,
        timeline: events,
        body,
        summary,
        places,
        source: Arc::clone(text),
        body_offset,
    };
    (Some(incident), findings.list)
}

/// The timeline and the action items of a body, with the findings of
/// reading them. The body's items, lines and tables are needed only here:
/// they are not kept.
fn read_body(
    fm: &FrontMatter,
    times: &Times,
    body: &mut Body,
    text: &str,
    body_offset: usize,
    findings: &mut Findings,
) -> (Vec<TimelineEvent>, Vec<ActionItem>) {
    let items = std::mem::take(&mut body.items);
    let lines = std::mem::take(&mut body.lines);
    let tables = std::mem::take(&mut body.tables);
    let parts = Parts {
        source: text,
        headings: &body.headings,
        items: &items,
        lines: &lines,
        tables: &tables,
    };
    // Positions are needed only for findings and body action items, a few
    // per file: each is found on its own, without indexing every line.
    let at = |offset: usize, len: usize| pos_in(text, offset, len);
    let written = fm.timezone.as_ref().map(|tz| tz.value.1.as_str());
    let parsed = timeline::read(
        &parts,
        body_offset,
        &timeline::Incident {
            start: times.start,
            zone: &times.zone,
            written,
        },
    );
    timeline_findings(&parsed, &at, findings);
    let (action_items, disagreements) =
        actions::merge(front_matter_actions(fm), actions::from_body(&parts, &at));
    for d in disagreements {
        findings.push(Rule::DuplicateAction, d.pos, d.message);
    }
    (parsed.events, action_items)
}

/// Where each front-matter value is written, for findings about it.
fn places_of(fm: &FrontMatter) -> Places {
    Places {
        block: fm.block_pos,
        start: fm.start.as_ref().map_or(fm.block_pos, |f| f.pos),
        end: fm.end.as_ref().map_or(fm.block_pos, |f| f.pos),
        detected: fm.detected.as_ref().map(|f| f.pos),
        mitigated: fm.mitigated.as_ref().map(|f| f.pos),
        related: fm.related.iter().map(|f| f.pos).collect(),
        tags: fm.tags.iter().map(|f| f.pos).collect(),
        services: fm.services.iter().map(|f| f.pos).collect(),
        slug: fm.slug.as_ref().map_or(fm.block_pos, |f| f.pos),
    }
}

/// Records what reading the timeline found: unreadable times, zones that
/// could not be resolved or disagree, placeholders.
fn timeline_findings(
    parsed: &timeline::Timeline,
    at: &dyn Fn(usize, usize) -> Pos,
    findings: &mut Findings,
) {
    for (offset, e) in &parsed.errors {
        let rule = if e.kind == TimeErrorKind::Zone {
            Rule::Timezone
        } else {
            Rule::Clock
        };
        findings.push(rule, at(offset + e.offset, e.len), e.message.clone());
    }
    for note in &parsed.zone_warnings {
        findings.push(
            Rule::Timezone,
            at(note.offset, note.len),
            note.message.clone(),
        );
        if let Some(d) = findings.list.last_mut() {
            d.level = Level::Warning;
        }
    }
    for note in &parsed.placeholders {
        findings.push(
            Rule::Placeholder,
            at(note.offset, note.len),
            note.message.clone(),
        );
    }
}

/// How the body of the postmortem at `content_path` (relative to
/// `content/`) is rendered: links rewritten for its page, HTML if `html`.
fn link_context<'a>(
    content_path: &'a str,
    cfg: &'a SiteConfig,
    lookup: &'a dyn Fn(&str) -> Option<SitePath>,
    html: bool,
) -> LinkContext<'a> {
    LinkContext {
        sections: &cfg.sections,
        root: if cfg.relative_urls {
            "../../"
        } else {
            cfg.base_path.as_str()
        },
        dir: content_path.rsplit_once('/').map_or("", |(d, _)| d),
        incident_path: lookup,
        html,
        sanitize: cfg.safe_html,
    }
}

/// The body HTML of `incident`: the one kept in the archive, or, when the
/// archive was loaded without it, rendered now from the source, exactly as
/// loading would have (`slugs`: slug by `content/` path, every postmortem).
pub fn body_html(incident: &Incident, cfg: &SiteConfig, slugs: &super::load::SlugIndex) -> String {
    if !incident.body.html.is_empty() {
        return incident.body.html.clone();
    }
    let lookup = super::load::slug_lookup(slugs);
    let content_path = incident
        .file
        .strip_prefix("content/")
        .unwrap_or(&incident.file);
    let ctx = link_context(content_path, cfg, &lookup, true);
    let offset = incident.body_offset;
    markdown::render_html(&incident.source[offset..], offset, &ctx)
}

struct Times {
    start: Timestamp,
    start_date_only: bool,
    end: Option<Timestamp>,
    detected: Option<Timestamp>,
    mitigated: Option<Timestamp>,
    zone: TimeZone,
    zone_name: String,
}

/// Resolves start, end, detected and mitigated in the incident's zone.
/// A start written as a date alone is that day's local midnight.
fn resolve_times(fm: &FrontMatter, cfg: &SiteConfig, findings: &mut Findings) -> Option<Times> {
    let start = fm.start.as_ref()?;
    let (zone, zone_name) = incident_zone(fm, cfg, findings)?;
    let instant = |f: &Option<Field<Stamp>>| {
        f.as_ref()
            .and_then(|f| time::stamp_instant(&f.value, Some(&zone)))
    };
    let start_date_only = start.value.time.is_none();
    let start_at = match start.value.date {
        DatePart::Full(day) if start_date_only => {
            time::resolve_local(day.to_datetime(Time::midnight()), &zone, None)
        }
        _ => time::stamp_instant(&start.value, Some(&zone))?,
    };
    let end = match &fm.end {
        Some(_) => Some(instant(&fm.end)?),
        // Missing: reported when required, otherwise the end is unknown.
        None if cfg.validation.requires("end") => return None,
        None => None,
    };
    Some(Times {
        start: start_at,
        start_date_only,
        end,
        detected: instant(&fm.detected),
        mitigated: instant(&fm.mitigated),
        zone,
        zone_name,
    })
}

/// The zone the incident's times are read and shown in: `timezone`, else
/// the zone written with `start`. A date alone has none: then that of
/// another time of the file, else the archive's.
fn incident_zone(
    fm: &FrontMatter,
    cfg: &SiteConfig,
    findings: &mut Findings,
) -> Option<(TimeZone, String)> {
    let start = fm.start.as_ref()?;
    let written = |zone: &ZonePart| match zone {
        ZonePart::Offset(o) => Some((TimeZone::fixed(*o), offset_name(*o))),
        ZonePart::Named(tz) => Some((tz.clone(), tz.iana_name().unwrap_or("UTC").to_string())),
        ZonePart::None | ZonePart::Body(_) => None,
    };
    if let Some(tz) = &fm.timezone {
        return Some(tz.value.clone());
    }
    if let Some(zone) = written(&start.value.zone) {
        return Some(zone);
    }
    if fm.timezone_invalid {
        // Reported already: go on in UTC so the rest of the file is checked.
        return Some((TimeZone::UTC, "UTC".to_string()));
    }
    if start.value.time.is_none() {
        let others = [&fm.end, &fm.detected, &fm.mitigated];
        let other = others
            .into_iter()
            .flatten()
            .find_map(|f| written(&f.value.zone));
        return Some(other.unwrap_or_else(|| (cfg.timezone.clone(), cfg.timezone_name.clone())));
    }
    findings.push(
        Rule::Timezone,
        start.pos,
        "`start` has no UTC offset and the file has no `timezone`; add a line like `timezone: Europe/Berlin`, or write the offset (2024-04-18T09:30:00+02:00)",
    );
    None
}

fn offset_name(o: jiff::tz::Offset) -> String {
    if o.seconds() == 0 {
        "UTC".into()
    } else {
        o.to_string()
    }
}

fn front_matter_actions(fm: &FrontMatter) -> Vec<ActionItem> {
    fm.action_items
        .iter()
        .map(|a| ActionItem {
            task: a.task.clone(),
            owner: a.owner.clone(),
            status: a.status,
            due: a.due,
            kind: a.kind,
            priority: None,
            ticket: None,
            source: ActionSource::FrontMatter,
            pos: a.pos,
        })
        .collect()
}

fn summary_of(headings: &[crate::model::body::Heading], fm: &FrontMatter) -> String {
    let from_section = match section::find(headings, Section::Summary) {
        crate::model::section::Found::Heading(i) => headings[i].first_paragraph.clone(),
        _ => None,
    };
    from_section
        .filter(|s| !s.is_empty())
        .or_else(|| fm.impact_summary.clone())
        .unwrap_or_default()
}
