//! Front matter inferred from a report's text, field by field, each from
//! the first place that states it (see the module above for the order).

use jiff::tz::TimeZone;

use super::facts::{self, Fact, Key};
use super::times::{self, Clock, Found, Moment, ZoneChoice};
use super::title::without_window;
use super::{Confidence, Evidence, Inferred, prose, severity};
use crate::config::SiteConfig;
use crate::content::markdown::{self, LinkContext};
use crate::content::timeline::{self, Parts};
use crate::content::{actions, frontmatter};
use crate::model::ActionItem;
use crate::model::body::Body;
use crate::model::section::{self, Section};
use crate::text::{pos_in, slugify};
use crate::time::zone;

/// Services and tags an import may recognise in a report's words: those
/// the archive already uses and `[import]` in `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    /// Service names.
    pub services: Vec<String>,
    /// Tag names.
    pub tags: Vec<String>,
}

/// What was inferred from one report.
#[derive(Debug, Clone)]
pub(super) struct Inference {
    /// The values found, in front-matter order.
    pub(super) fields: Vec<Inferred>,
    /// Fields not found, with why.
    pub(super) missing: Vec<(&'static str, String)>,
    /// Action items for front matter.
    pub(super) actions: Vec<ActionItem>,
    /// Byte offset of the body (after another tool's front matter).
    pub(super) body_offset: usize,
    /// `content/<year>/<date>-<slug>.md`.
    pub(super) target: String,
}

/// Infers front matter for the report `text`, named `name` (file stem).
pub(super) fn infer(name: &str, text: &str, cfg: &SiteConfig, terms: &Terms) -> Inference {
    let body_offset = foreign_front_matter(text);
    let lookup = |_: &str| None;
    let ctx = LinkContext {
        root: "",
        dir: "",
        incident_path: &lookup,
        html: false,
        sanitize: false,
        sections: &cfg.sections,
    };
    let body = markdown::render(&text[body_offset..], body_offset, &ctx);
    let facts = facts::scan(&text[body_offset..])
        .into_iter()
        .map(|f| Fact {
            offset: f.offset + body_offset,
            ..f
        })
        .collect::<Vec<_>>();
    let mut out = Gathered::default();
    let title = super::title::title(name, text, &body);
    let zone = zone_choice(text, body_offset, &facts, &body.tables);
    let reference = times::reference_date(name, &title.value, &facts, text, body_offset);
    let compute = zone.0.compute.clone();
    let clock = Clock {
        zone: compute.as_ref(),
        reference: reference.as_ref().map(|r| r.0),
        reference_evidence: reference.map(|r| r.1),
    };
    let parts = Parts::of(text, &body);
    let moments = moments(&clock, &facts, text, body_offset, &body, &parts);
    let shown = zone
        .0
        .name
        .as_deref()
        .and_then(|n| crate::time::parse_zone(n).ok())
        .or(compute.clone())
        .unwrap_or(TimeZone::UTC);
    out.fields.push(title);
    out.severity(cfg, &facts, text, body_offset);
    let no_start = times::why_no_start(&facts, text, body_offset);
    out.times(&moments, &zone, &shown, &no_start);
    out.impact(text, &body, &facts);
    let target = target_of(&out, &moments, &shown, name);
    out.terms(text, body_offset, terms);
    let at = |offset: usize, len: usize| pos_in(text, offset, len);
    let actions = actions::from_body(&parts, &at);
    Inference {
        fields: out.fields,
        missing: out.missing,
        actions,
        body_offset,
        target,
    }
}

/// Where another tool's front matter ends (0 when there is none).
fn foreign_front_matter(text: &str) -> usize {
    let normalized = crate::text::normalize_newlines(text.to_string());
    match frontmatter::split(&normalized) {
        // Offsets match when the file has no carriage returns; a file
        // with them keeps its front matter in the body rather than lose
        // bytes of it.
        Ok(block) if normalized.len() == text.len() && has_keys(block.text) => block.body_offset,
        _ => 0,
    }
}

/// True when a block between `---` lines holds `key: value` lines (and is
/// not two thematic breaks around prose).
fn has_keys(block: &str) -> bool {
    block.lines().any(|l| {
        let key = l.split(':').next().unwrap_or("");
        l.contains(':')
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    })
}

/// What the found moments are, with their evidence.
#[derive(Debug, Default)]
struct Moments {
    start: Option<Found>,
    end: Option<Found>,
    detected: Option<Found>,
    mitigated: Option<Found>,
}

fn moments(
    clock: &Clock<'_>,
    facts: &[Fact<'_>],
    text: &str,
    body_offset: usize,
    body: &Body,
    parts: &Parts<'_>,
) -> Moments {
    let (mut start, mut end) = times::from_facts(clock, facts, text);
    if start.is_none() || end.is_none() {
        let summary = summary_range(body, text.len()).unwrap_or(body_offset..text.len());
        let window = times::from_prose(clock, text, summary)
            .or_else(|| times::from_prose(clock, text, body_offset..text.len()));
        if let Some((s, e)) = window {
            start = start.or(Some(s));
            end = end.or(Some(e));
        }
    }
    let provisional = start
        .as_ref()
        .map(|s| s.0)
        .or_else(|| clock.reference.map(times::Moment::Day));
    let zone = clock.zone.cloned().unwrap_or(TimeZone::UTC);
    let events = match provisional {
        Some(m) => {
            let at = match m {
                Moment::At(t) => t,
                other => other.key(),
            };
            timeline::read(
                parts,
                body_offset,
                &timeline::Incident {
                    start: at,
                    zone: &zone,
                    written: None,
                },
            )
            .events
        }
        None => Vec::new(),
    };
    let known = clock.zone.is_some();
    let moment = |at| {
        if known {
            Moment::At(at)
        } else {
            Moment::Local(zone.to_datetime(at))
        }
    };
    let from_event = |e: &timeline::TimelineEvent| {
        let ev = Evidence::line(text, e.offset, Confidence::Low);
        let year = zone.to_datetime(e.at).year().to_string();
        let has_date = ev.quote.contains(&year);
        (moment(e.at), clock.dated(ev, has_date))
    };
    start = start.or_else(|| events.first().map(from_event));
    end = end.or_else(|| events.last().filter(|_| events.len() > 1).map(from_event));
    let (detected, mitigated) =
        times::phases(clock, facts, text, start.as_ref().map(|s| s.0), &events);
    let local = |f: Option<Found>| match (f, known) {
        (Some((Moment::At(t), ev)), false) => Some((Moment::Local(zone.to_datetime(t)), ev)),
        (f, _) => f,
    };
    Moments {
        start,
        end,
        detected: local(detected),
        mitigated: local(mitigated),
    }
}

/// The byte range of the summary: its section, or a `**Summary**:` label's
/// paragraph.
pub(super) fn summary_range(body: &Body, end_of_file: usize) -> Option<std::ops::Range<usize>> {
    section::section_range(&body.headings, Section::Summary, end_of_file).or_else(|| {
        body.labels
            .iter()
            .find(|l| l.kind.section == Section::Summary)
            .map(|l| l.offset..end_of_file)
    })
}

/// The text of the summary, after its heading or label.
pub(super) fn summary_text(body: &Body, text: &str) -> Option<std::ops::Range<usize>> {
    let range = summary_range(body, text.len())?;
    let heading = body.headings.iter().find(|h| h.offset == range.start);
    let start = match heading {
        Some(h) => h.offset + h.len,
        None => {
            let line_end = text[range.start..]
                .find('\n')
                .map_or(text.len(), |i| range.start + i);
            text[range.start..line_end]
                .find(':')
                .map_or(range.start, |c| range.start + c + 1)
        }
    };
    Some(start.min(range.end)..range.end)
}

/// The first line of prose in `range` (not a heading, label or list
/// marker alone): its offset and length.
fn first_prose(text: &str, range: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let mut offset = range.start;
    for raw in text[range].split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let line = raw.trim();
        if !line.is_empty() && !line.starts_with(['#', '<', '!', '|']) {
            return Some((at + raw.len() - raw.trim_start().len(), line.len()));
        }
    }
    None
}

/// The zone of the report's times and where it is stated.
fn zone_choice(
    text: &str,
    body_offset: usize,
    facts: &[Fact<'_>],
    body_tables: &[crate::model::body::Table],
) -> (ZoneChoice, Option<Evidence>) {
    if let Some(f) = facts.iter().find(|f| f.key == Key::Timezone)
        && let Some((z, _)) = zone::phrase(f.value.trim())
    {
        return (ZoneChoice::of(&z), Some(Evidence::fact(text, f)));
    }
    if let Some((z, range)) = zone::statement(&text[body_offset..]) {
        let ev = Evidence::line(text, body_offset + range.start, Confidence::High);
        return (ZoneChoice::of(&z), Some(ev));
    }
    // The zone of a timeline table's time column (`Time (UTC)`).
    let column = body_tables
        .iter()
        .flat_map(|t| t.header.iter().chain(t.rows.first().into_iter().flatten()))
        .find_map(|c| zone::parenthetical(&c.text).map(|z| (z, c.offset)));
    if let Some((z, at)) = column {
        return (
            ZoneChoice::of(&z),
            Some(Evidence::line(text, at, Confidence::High)),
        );
    }
    // The zone written with the first time that has one.
    let written = facts
        .iter()
        .map(|f| (f.value, f.offset))
        .chain(std::iter::once((&text[body_offset..], body_offset)))
        .find_map(|(value, offset)| first_written_zone(value).map(|(z, at)| (z, offset + at)));
    match written {
        Some((z, at)) => (
            ZoneChoice::of(&z),
            Some(Evidence::line(text, at, Confidence::Medium)),
        ),
        None => (ZoneChoice::default(), None),
    }
}

/// The first zone written right after a time in `text` (`14:54 UTC`).
fn first_written_zone(text: &str) -> Option<(zone::BodyZone, usize)> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let starts_time =
            bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts_time {
            return None;
        }
        match crate::time::scan_event_stamp(&text[i..]) {
            Some(Ok(s)) if s.time.is_some() => match s.zone {
                crate::time::ZonePart::Body(z) => Some((z, i)),
                _ => None,
            },
            _ => None,
        }
    })
}

pub(super) fn inferred(field: &'static str, value: String, evidence: Evidence) -> Inferred {
    Inferred {
        field,
        value,
        evidence,
    }
}

/// Collects inferred values and what is missing.
#[derive(Debug, Default)]
struct Gathered {
    fields: Vec<Inferred>,
    missing: Vec<(&'static str, String)>,
}

impl Gathered {
    fn push(&mut self, field: &'static str, value: Option<(String, Evidence)>, why: &str) {
        match value {
            Some((v, ev)) => self.fields.push(inferred(field, v, ev)),
            None => self.missing.push((field, why.to_string())),
        }
    }

    fn severity(&mut self, cfg: &SiteConfig, facts: &[Fact<'_>], text: &str, body_offset: usize) {
        let found = facts
            .iter()
            .filter(|f| f.key == Key::Severity)
            .find_map(|f| severity::of(cfg, f.value).map(|s| (s, Evidence::fact(text, f))))
            .or_else(|| severity::in_text(cfg, text, body_offset));
        if found.is_none() && cfg.front_matter.defaults.contains_key("severity") {
            return;
        }
        self.push(
            "severity",
            found,
            "not found in the text; write one, or set `[front_matter.defaults] severity` in site.toml",
        );
    }

    fn times(
        &mut self,
        m: &Moments,
        zone: &(ZoneChoice, Option<Evidence>),
        shown: &TimeZone,
        no_start: &str,
    ) {
        let render = |f: &Option<Found>| f.as_ref().map(|(m, ev)| (m.render(shown), ev.clone()));
        self.push("start", render(&m.start), no_start);
        let no_end = if m.start.is_none() {
            no_start
        } else {
            "not found in the text"
        };
        self.push("end", render(&m.end), no_end);
        let needs_zone = [&m.start, &m.end]
            .iter()
            .any(|f| matches!(f, Some((Moment::At(_) | Moment::Local(_), _))));
        match (&zone.0.name, &zone.1, &zone.0.ambiguous) {
            (Some(name), Some(ev), _) => {
                self.fields
                    .push(inferred("timezone", name.clone(), ev.clone()))
            }
            (_, _, Some(why)) => self.missing.push(("timezone", why.clone())),
            _ if needs_zone => self.missing.push((
                "timezone",
                "the text does not say which zone its times are in".into(),
            )),
            _ => {}
        }
        self.push("detected", render(&m.detected), "not found in the text");
        self.push("mitigated", render(&m.mitigated), "not found in the text");
    }

    fn impact(&mut self, text: &str, body: &Body, facts: &[Fact<'_>]) {
        let fact = facts.iter().find(|f| f.key == Key::Impact);
        let section = section::section_range(&body.headings, Section::Impact, text.len());
        let section_text = section.clone().and_then(|r| {
            let h = body.headings.iter().find(|h| h.offset == r.start)?;
            Some(h.offset + h.len..r.end)
        });
        let stated = fact.map(|f| (f.offset, f.value.len())).or_else(|| {
            section_text
                .as_ref()
                .and_then(|r| first_prose(text, r.clone()))
        });
        let summary = summary_range(body, text.len());
        let searched = [
            fact.map(|f| f.offset..f.offset + f.value.len()),
            section_text.clone(),
            summary,
            Some(0..text.len()),
        ];
        let pct = searched.iter().flatten().find_map(|r| {
            let (pct, at) = prose::users_pct(&text[r.clone()])?;
            Some((pct, r.start + at.start))
        });
        let sentence = |at: usize| prose::one_line(prose::sentence_at(text, at));
        let stated_sentence =
            stated.map(|(at, _)| (at, prose::sentence_from(text, at).to_string()));
        let pct_sentence = pct.map(|(_, at)| {
            let s = prose::sentence_at(text, at);
            (s.as_ptr() as usize - text.as_ptr() as usize, s.to_string())
        });
        let described = stated_sentence.or(pct_sentence);
        match described {
            Some((at, words)) => {
                let ev = Evidence::at(text, at, words.len(), Confidence::Medium);
                let value = without_window(&prose::plain(&words));
                self.fields.push(inferred("impact.summary", value, ev));
            }
            None => self
                .missing
                .push(("impact.summary", "not found in the text".into())),
        }
        match pct {
            Some((pct, at)) => {
                let ev = Evidence::at(text, at, 1, Confidence::Medium);
                let ev = Evidence {
                    quote: sentence(at),
                    ..ev
                };
                let number = if pct.fract() == 0.0 {
                    format!("{pct:.0}")
                } else {
                    pct.to_string()
                };
                self.fields
                    .push(inferred("impact.users_affected_pct", number, ev));
            }
            None => self.missing.push((
                "impact.users_affected_pct",
                "the text states no share of users".into(),
            )),
        }
    }

    fn terms(&mut self, text: &str, body_offset: usize, terms: &Terms) {
        for (field, names) in [("services", &terms.services), ("tags", &terms.tags)] {
            let found: Vec<(String, usize)> = names
                .iter()
                .filter_map(|n| {
                    whole_word(&text[body_offset..], n).map(|at| (n.clone(), body_offset + at))
                })
                .collect();
            if let Some((_, at)) = found.first() {
                let list = found
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let ev = Evidence::line(text, *at, Confidence::Medium);
                self.fields.push(inferred(field, list, ev));
            }
        }
    }
}

/// Where `word` first stands as a whole word in `text` (ignoring case).
fn whole_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    crate::text::find_ascii_ci(text, word).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
        !part(before) && !part(after)
    })
}

/// `content/<year>/<date>-<slug>.md`, or `content/undated/<slug>.md`.
fn target_of(out: &Gathered, m: &Moments, zone: &TimeZone, name: &str) -> String {
    let title = out
        .fields
        .iter()
        .find(|f| f.field == "title")
        .map_or(name, |f| f.value.as_str());
    let mut slug = slugify(title);
    if slug.len() > 60 {
        let cut = slug[..60].rfind('-').unwrap_or(60);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug = slugify(name);
    }
    match &m.start {
        Some((start, _)) => {
            let date = start.date(zone);
            format!("content/{}/{date}-{slug}.md", date.year())
        }
        None => format!("content/undated/{slug}.md"),
    }
}
