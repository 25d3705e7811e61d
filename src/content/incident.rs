//! One postmortem file → one [`Incident`]: reading the file, typing its
//! front matter (pass one), then resolving times, rendering the body and
//! reading the timeline and action items (pass two).

use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::frontmatter::{self, Field, FrontMatter};
use super::markdown::{self, Item, LinkContext};
use super::sections;
use super::time::{self, Stamp, TimeErrorKind, ZonePart};
use super::timeline;
use super::{Findings, SourceFile};
use crate::archive::{ActionItem, Incident, Places};
use crate::config::SiteConfig;
use crate::content::schema::ActionStatus;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::text::{normalize_newlines, pos_in, slugify};

/// The result of pass one for a file: its text and typed front matter.
/// `serve` keeps these per file so a change re-reads only that file.
#[derive(Debug, Clone)]
pub struct First {
    /// The file.
    pub file: SourceFile,
    /// Its text, newlines normalised (shared with the incident built from it).
    pub text: Arc<str>,
    body_offset: usize,
    fm: Option<FrontMatter>,
    /// Its slug, when the front matter could be read.
    pub slug: Option<String>,
    findings: Findings,
}

/// Pass one: read the file and its front matter.
pub fn read_front(file: &SourceFile, cfg: &SiteConfig) -> First {
    match read_text(file) {
        Ok(text) => front_from_text(file, text, cfg),
        Err((pos, message)) => {
            let mut findings = Findings::new(&file.rel);
            findings.push(Rule::ReadError, pos, message);
            First {
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
pub fn front_from_text(file: &SourceFile, text: String, cfg: &SiteConfig) -> First {
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
    First {
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

fn slug_of(fm: &FrontMatter, file: &SourceFile) -> String {
    match &fm.slug {
        Some(slug) => slug.value.clone(),
        None => {
            let name = file
                .content_path
                .rsplit('/')
                .next()
                .unwrap_or(&file.content_path);
            slugify(
                name.strip_suffix(".md")
                    .or_else(|| name.strip_suffix(".MD"))
                    .unwrap_or(name),
            )
        }
    }
}

/// Pass two: build the incident. `None` when a required field is missing
/// or unreadable (the findings say which).
pub fn build(
    first: &First,
    cfg: &SiteConfig,
    lookup: &dyn Fn(&str) -> Option<String>,
    html: bool,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let mut findings = first.findings.clone();
    let (file, text, body_offset) = (&first.file, &first.text, first.body_offset);
    let (Some(fm), Some(slug)) = (&first.fm, first.slug.clone()) else {
        return (None, findings.list);
    };
    let Some(times) = resolve_times(fm, &mut findings) else {
        return (None, findings.list);
    };
    let (Some(title), Some(severity)) = (fm.title.clone(), fm.severity.clone()) else {
        return (None, findings.list);
    };
    let severity_rank = cfg
        .severity(&severity.value)
        .map_or(usize::MAX, |(rank, _)| rank);
    let ctx = link_context(&file.content_path, cfg, lookup, html);
    let mut body = markdown::render(&text[body_offset..], body_offset, &ctx);
    // List items are needed only here (timeline, task lists): do not keep them.
    let body_items = std::mem::take(&mut body.items);
    // Positions are needed only for findings and task items, a few per
    // file: each is found on its own, without indexing every line.
    let at = |offset: usize, len: usize| pos_in(text, offset, len);
    let in_section = |name: &str| -> Vec<&Item> {
        let Some(range) = sections::section_range(&body.headings, name, text.len()) else {
            return Vec::new();
        };
        let mut items: Vec<&Item> = body_items
            .iter()
            .filter(|i| range.contains(&i.offset))
            .collect();
        items.sort_by_key(|i| i.offset);
        items
    };
    let parsed = timeline::parse(&in_section("Timeline"), times.start, &times.zone);
    for (offset, e) in &parsed.errors {
        let rule = if e.kind == TimeErrorKind::Zone {
            Rule::Timezone
        } else {
            Rule::Clock
        };
        findings.push(rule, at(offset + e.offset, e.len), e.message.clone());
    }
    let detected = times.detected.or_else(|| {
        parsed
            .events
            .iter()
            .map(|e| e.at)
            .find(|at| *at >= times.start)
    });
    let mut action_items = front_matter_actions(fm);
    for item in in_section("Corrective and Preventative Measures") {
        if let Some(checked) = item.task {
            action_items.push(task_action(item, checked, at(item.offset, item.text.len())));
        }
    }
    let summary = summary_of(&body.headings, fm);
    let places = Places {
        block: fm.block_pos,
        start: fm.start.as_ref().map_or(fm.block_pos, |f| f.pos),
        end: fm.end.as_ref().map_or(fm.block_pos, |f| f.pos),
        detected: fm.detected.as_ref().map(|f| f.pos),
        mitigated: fm.mitigated.as_ref().map(|f| f.pos),
        related: fm.related.iter().map(|f| f.pos).collect(),
        tags: fm.tags.iter().map(|f| f.pos).collect(),
        services: fm.services.iter().map(|f| f.pos).collect(),
        slug: fm.slug.as_ref().map_or(fm.block_pos, |f| f.pos),
    };
    let values =
        |fields: &[Field<String>]| fields.iter().map(|f| f.value.clone()).collect::<Vec<_>>();
    let incident = Incident {
        file: file.rel.clone(),
        slug,
        title: title.value,
        status: fm.status,
        severity: severity.value,
        severity_rank,
        start: times.start,
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
        timeline: parsed.events,
        body,
        summary,
        places,
        source: Arc::clone(text),
        body_offset,
    };
    (Some(incident), findings.list)
}

/// How the body of the postmortem at `content_path` (relative to
/// `content/`) is rendered: links rewritten for its page, HTML if `html`.
fn link_context<'a>(
    content_path: &'a str,
    cfg: &'a SiteConfig,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    html: bool,
) -> LinkContext<'a> {
    LinkContext {
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
pub fn body_html(
    incident: &Incident,
    cfg: &SiteConfig,
    slugs: &std::collections::HashMap<String, String>,
) -> String {
    if !incident.body.html.is_empty() {
        return incident.body.html.clone();
    }
    let lookup = |p: &str| slugs.get(p).map(|slug| format!("incidents/{slug}/"));
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
    end: Timestamp,
    detected: Option<Timestamp>,
    mitigated: Option<Timestamp>,
    zone: TimeZone,
    zone_name: String,
}

/// Resolves start, end, detected and mitigated in the incident's zone.
fn resolve_times(fm: &FrontMatter, findings: &mut Findings) -> Option<Times> {
    let start = fm.start.as_ref()?;
    let (zone, zone_name) = match (&fm.timezone, &start.value.zone) {
        (Some(tz), _) => tz.value.clone(),
        (None, ZonePart::Offset(o)) => (TimeZone::fixed(*o), offset_name(*o)),
        (None, ZonePart::Named(tz)) => (tz.clone(), tz.iana_name().unwrap_or("UTC").to_string()),
        // The zone was reported as invalid: go on in UTC so the rest of
        // the file is still checked.
        (None, ZonePart::None) if fm.timezone_invalid => (TimeZone::UTC, "UTC".to_string()),
        (None, ZonePart::None) => {
            findings.push(
                Rule::Timezone,
                start.pos,
                "`start` has no UTC offset and the file has no `timezone`; add a line like `timezone: Europe/Berlin`, or write the offset (2024-04-18T09:30:00+02:00)",
            );
            return None;
        }
    };
    let instant = |f: &Option<Field<Stamp>>| {
        f.as_ref()
            .and_then(|f| time::stamp_instant(&f.value, Some(&zone)))
    };
    let start = time::stamp_instant(&start.value, Some(&zone))?;
    let end = instant(&fm.end)?;
    Some(Times {
        start,
        end,
        detected: instant(&fm.detected),
        mitigated: instant(&fm.mitigated),
        zone,
        zone_name,
    })
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
            from_task_list: false,
            pos: a.pos,
        })
        .collect()
}

/// A task-list item: `- [ ] Add an alert (@sre-team, due 2027-01-15)`.
fn task_action(item: &Item, checked: bool, pos: Pos) -> ActionItem {
    let owner = item
        .text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .find_map(|w| w.strip_prefix('@'))
        .map(|o| o.trim_end_matches(['.', ';', ':']).to_string())
        .filter(|o| !o.is_empty());
    let due = item.text.match_indices("due").find_map(|(i, _)| {
        let rest = item.text[i + 3..].trim_start_matches([':', ' ']);
        rest.get(..10).and_then(|d| d.parse().ok())
    });
    let mut task = item.text.clone();
    if let Some(open) = task.rfind('(') {
        let meta = &task[open..];
        if meta.ends_with(')') && (meta.contains('@') || meta.contains("due")) {
            task.truncate(open);
        }
    }
    ActionItem {
        task: task.trim().to_string(),
        owner,
        status: if checked {
            ActionStatus::Done
        } else {
            ActionStatus::Open
        },
        due,
        kind: None,
        from_task_list: true,
        pos,
    }
}

fn summary_of(headings: &[markdown::Heading], fm: &FrontMatter) -> String {
    let from_section = match sections::find(headings, "Issue Summary") {
        sections::Found::Heading(i) => headings[i].first_paragraph.clone(),
        _ => None,
    };
    from_section
        .filter(|s| !s.is_empty())
        .or_else(|| fm.impact_summary.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_items_carry_owner_and_due() {
        let item = Item {
            text: "Add a disk alert at 80% (@storage-team, due 2027-08-01)".into(),
            offset: 0,
            depth: 0,
            task: Some(false),
        };
        let a = task_action(&item, false, Pos::new(1, 1, 1));
        assert_eq!(a.task, "Add a disk alert at 80%");
        assert_eq!(a.owner.as_deref(), Some("storage-team"));
        assert_eq!(a.due.map(|d| d.to_string()).as_deref(), Some("2027-08-01"));
        assert_eq!(a.status, ActionStatus::Open);
        let item = Item {
            text: "Rotated the certificate".into(),
            offset: 0,
            depth: 0,
            task: Some(true),
        };
        let a = task_action(&item, true, Pos::new(1, 1, 1));
        assert_eq!((a.owner, a.status), (None, ActionStatus::Done));
    }
}
