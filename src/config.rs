//! `site.toml` → [`SiteConfig`]: the archive's settings, validated, with
//! defaults filled in. Every bad key or value is reported with its line and
//! column so a typo in the configuration is as easy to fix as one in a
//! postmortem.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Level, Rule};
use crate::error::{Error, Result};
use crate::model::Taxonomy;
use crate::model::section::{Section, SectionTable};
use crate::text::LineIndex;

mod front_matter;

pub use front_matter::{DEFAULT_REQUIRED_FIELDS, FrontMatterConfig, ValueMaps};

/// One severity level, from `[[severity]]` in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeverityLevel {
    /// The id written in front matter (`SEV1`).
    pub id: String,
    /// A human label (`Critical`).
    pub label: String,
    /// A CSS colour (`#b42318`), used for badges and charts.
    pub color: String,
}

/// Validation settings, from `[validation]`.
#[derive(Debug, Clone)]
pub struct ValidationConfig {
    /// Body sections every postmortem must have (empty: none): the name
    /// as written in `site.toml` and the section it stands for.
    pub required_sections: Vec<(String, Section)>,
    /// Allowed body length in words, inclusive; `None` switches the rule off.
    pub word_count: Option<(usize, usize)>,
    /// How far outside start..end a timeline event may lie.
    pub timeline_slack: SignedDuration,
    /// Phrases the `blame` rule looks for (lowercase).
    pub blame_words: Vec<String>,
    /// A matcher for all of `blame_words` at once, to run on text folded
    /// to ASCII lowercase.
    pub blame_matcher: Option<aho_corasick::AhoCorasick>,
    /// Per-rule level overrides; `None` switches a rule off.
    pub levels: BTreeMap<Rule, Option<Level>>,
    /// Front-matter fields every postmortem must have (always `start`
    /// and `severity`; nested ones as `impact.summary`).
    pub required_fields: Vec<String>,
}

impl ValidationConfig {
    /// The level of `rule` after overrides; `None` when it is switched off.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        match self.levels.get(&rule) {
            Some(level) => *level,
            None => Some(rule.default_level()),
        }
    }

    /// Whether every postmortem must have the front-matter field `path`.
    pub fn requires(&self, path: &str) -> bool {
        self.required_fields.iter().any(|f| f == path)
    }
}

/// `[import]`: services and tags `hindsight import` recognises in the
/// words of a report, besides those the archive already uses.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// Service names.
    #[serde(default)]
    pub services: Vec<String>,
    /// Tag names.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Archive title.
    pub title: String,
    /// One-sentence description (meta description, feeds).
    pub description: String,
    /// Absolute URL of the published archive, ending with `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/incidents/`).
    pub base_path: String,
    /// Theme name: a folder under `themes/`.
    pub theme: String,
    /// Zone used for archive-wide views (months, years).
    pub timezone: TimeZone,
    /// The zone's name as written.
    pub timezone_name: String,
    /// `lang` of the HTML pages.
    pub language: String,
    /// Severity levels, worst first.
    pub severities: Vec<SeverityLevel>,
    /// Taxonomies to build browsers for.
    pub taxonomies: Vec<Taxonomy>,
    /// Items per page of long lists (years, terms, actions, recurring).
    pub paginate_by: usize,
    /// Emit links relative to each page, so the output works from `file://`.
    pub relative_urls: bool,
    /// Custom domain for GitHub Pages (`CNAME`).
    pub cname: Option<String>,
    /// Sanitise raw HTML in postmortem bodies.
    pub safe_html: bool,
    /// Incidents sharing a service and a tag this close in time are
    /// linked as recurring.
    pub recurring_window: SignedDuration,
    /// Validation settings.
    pub validation: ValidationConfig,
    /// Front-matter compatibility settings.
    pub front_matter: FrontMatterConfig,
    /// Section names: the built-in synonyms and `[sections]`.
    pub sections: SectionTable,
    /// `[import]`: what `hindsight import` may recognise in reports.
    pub import: ImportConfig,
}

/// Default words and phrases of the `blame` rule.
pub const DEFAULT_BLAME_WORDS: &[&str] = &[
    "'s fault",
    "’s fault",
    "careless",
    "carelessly",
    "human error",
    "should have",
    "should've",
    "would have",
    "would've",
    "negligent",
    "negligence",
    "incompetent",
    "stupid",
    "sloppy",
];

/// The four sections of the postmortem format.
pub const DEFAULT_SECTIONS: &[&str] = &[
    "Issue Summary",
    "Timeline",
    "Root Cause and Resolution",
    "Corrective and Preventative Measures",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<Spanned<String>>,
    theme: Option<String>,
    timezone: Option<Spanned<String>>,
    language: Option<String>,
    #[serde(default)]
    severity: Vec<RawSeverity>,
    taxonomies: Option<Vec<Spanned<String>>>,
    paginate_by: Option<Spanned<i64>>,
    #[serde(default)]
    relative_urls: bool,
    cname: Option<String>,
    #[serde(default)]
    safe_html: bool,
    recurring_window: Option<Spanned<String>>,
    #[serde(default)]
    validation: RawValidation,
    #[serde(default)]
    front_matter: front_matter::RawFrontMatter,
    /// More names for a section: `"Root Cause" = ["Why it broke"]`.
    #[serde(default)]
    sections: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    import: ImportConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeverity {
    id: Spanned<String>,
    label: Option<String>,
    color: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    required_sections: Option<Vec<String>>,
    word_count: Option<Spanned<Vec<i64>>>,
    timeline_slack: Option<Spanned<String>>,
    blame_words: Option<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<String>>,
    required_fields: front_matter::RawRequired,
}

impl SiteConfig {
    /// Loads `site.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let path = root.join("site.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => SiteConfig::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SiteConfig::parse("", &path),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig> {
        let fail = |span: Option<Range<usize>>, message: String| {
            let index = LineIndex::new(text);
            let pos = index.pos(text, span.map_or(0, |s| s.start), 1);
            Error::Config {
                path: path.to_path_buf(),
                line: pos.line,
                column: pos.column,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            let hint = if message.starts_with("unknown field") {
                " (remove it or check its spelling)"
            } else {
                ""
            };
            fail(e.span(), format!("{message}{hint}"))
        })?;
        resolve(raw, &fail)
    }

    /// Replaces `base_url` (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let (base_url, base_path) =
            parse_base_url(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// The severity level with `id`, and its rank (0 = worst).
    pub fn severity(&self, id: &str) -> Option<(usize, &SeverityLevel)> {
        self.severities.iter().enumerate().find(|(_, s)| s.id == id)
    }
}

type Fail<'a> = dyn Fn(Option<Range<usize>>, String) -> Error + 'a;

fn resolve(raw: RawConfig, fail: &Fail<'_>) -> Result<SiteConfig> {
    let (base_url, base_path) = match raw.base_url {
        Some(url) => {
            let span = url.span();
            parse_base_url(url.get_ref()).map_err(|m| fail(Some(span), m))?
        }
        None => ("http://localhost/".to_string(), "/".to_string()),
    };
    let (timezone, timezone_name) = match raw.timezone {
        Some(name) => {
            let span = name.span();
            let zone = crate::time::parse_zone(name.get_ref()).map_err(|m| fail(Some(span), m))?;
            (zone, name.into_inner())
        }
        None => (TimeZone::UTC, "UTC".to_string()),
    };
    let mut sections = SectionTable::built_in().clone();
    for (name, others) in &raw.sections {
        sections.add(name, others);
    }
    let paginate_by = match raw.paginate_by {
        Some(n) if *n.get_ref() < 1 => {
            return Err(fail(
                Some(n.span()),
                "paginate_by must be at least 1".into(),
            ));
        }
        Some(n) => usize::try_from(*n.get_ref()).unwrap_or(usize::MAX),
        None => 100,
    };
    let severities = resolve_severities(raw.severity, fail)?;
    let front_matter = front_matter::resolve(raw.front_matter, &severities, fail)?;
    Ok(SiteConfig {
        title: raw.title.unwrap_or_else(|| "Incident archive".into()),
        description: raw
            .description
            .unwrap_or_else(|| "Postmortems of past incidents".into()),
        base_url,
        base_path,
        theme: raw.theme.unwrap_or_else(|| "default".into()),
        timezone,
        timezone_name,
        language: raw.language.unwrap_or_else(|| "en".into()),
        severities,
        taxonomies: resolve_taxonomies(raw.taxonomies, fail)?,
        paginate_by,
        relative_urls: raw.relative_urls,
        cname: raw.cname.filter(|c| !c.trim().is_empty()),
        safe_html: raw.safe_html,
        recurring_window: match raw.recurring_window {
            None => SignedDuration::from_hours(90 * 24),
            Some(s) => parse_duration(s.get_ref()).ok_or_else(|| {
                fail(
                    Some(s.span()),
                    format!(
                        "recurring_window `{}` is not a duration; write it like \"90d\"",
                        s.get_ref()
                    ),
                )
            })?,
        },
        validation: resolve_validation(raw.validation, &mut sections, fail)?,
        sections,
        import: raw.import,
        front_matter,
    })
}

/// Reads a duration such as `24h`, `90m`, `90d` or `1d 12h` (a day is 24
/// hours); `None` for anything else or a negative duration.
pub fn parse_duration(s: &str) -> Option<SignedDuration> {
    let span: jiff::Span = s.trim().parse().ok()?;
    let seconds = span
        .total((
            jiff::Unit::Second,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .ok()?;
    (seconds >= 0.0).then(|| SignedDuration::from_secs(seconds.round() as i64))
}

/// Splits a base URL into its normalised form and its path.
fn parse_base_url(url: &str) -> std::result::Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("base_url `{url}` must start with https:// or http:// (e.g. https://org.github.io/incidents/)")
        })?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
        return Err(format!(
            "base_url `{url}` is not a plain URL; write scheme, host and an optional path, without query or fragment"
        ));
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    let scheme = &url[..url.len() - rest.len()];
    Ok((format!("{scheme}{host}{base_path}"), base_path))
}

fn default_severities() -> Vec<SeverityLevel> {
    [
        ("SEV1", "Critical", "#b42318"),
        ("SEV2", "Major", "#b93815"),
        ("SEV3", "Minor", "#8a5a00"),
        ("SEV4", "Low", "#475467"),
    ]
    .into_iter()
    .map(|(id, label, color)| SeverityLevel {
        id: id.into(),
        label: label.into(),
        color: color.into(),
    })
    .collect()
}

fn resolve_severities(raw: Vec<RawSeverity>, fail: &Fail<'_>) -> Result<Vec<SeverityLevel>> {
    if raw.is_empty() {
        return Ok(default_severities());
    }
    let palette = default_severities();
    let mut levels: Vec<SeverityLevel> = Vec::with_capacity(raw.len());
    for (i, s) in raw.into_iter().enumerate() {
        let id_span = s.id.span();
        let id = s.id.into_inner();
        if id.trim().is_empty() || levels.iter().any(|l| l.id == id) {
            return Err(fail(
                Some(id_span),
                format!("severity id `{id}` is empty or used twice; give each level a unique id"),
            ));
        }
        let color = match s.color {
            Some(c) if is_css_hex_color(c.get_ref()) => c.into_inner(),
            Some(c) => {
                return Err(fail(
                    Some(c.span()),
                    format!(
                        "colour `{}` is not a hex colour; write it like \"#b42318\"",
                        c.get_ref()
                    ),
                ));
            }
            None => palette[i.min(palette.len() - 1)].color.clone(),
        };
        levels.push(SeverityLevel {
            label: s.label.unwrap_or_else(|| id.clone()),
            id,
            color,
        });
    }
    Ok(levels)
}

fn is_css_hex_color(c: &str) -> bool {
    c.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn resolve_taxonomies(raw: Option<Vec<Spanned<String>>>, fail: &Fail<'_>) -> Result<Vec<Taxonomy>> {
    let Some(raw) = raw else {
        return Ok(Taxonomy::ALL.to_vec());
    };
    let mut out = Vec::new();
    for name in raw {
        let taxonomy = Taxonomy::ALL
            .into_iter()
            .find(|t| t.name() == name.get_ref())
            .ok_or_else(|| {
                fail(
                    Some(name.span()),
                    format!(
                        "unknown taxonomy `{}`; use services, tags or severity",
                        name.get_ref()
                    ),
                )
            })?;
        if !out.contains(&taxonomy) {
            out.push(taxonomy);
        }
    }
    Ok(out)
}

fn resolve_validation(
    raw: RawValidation,
    sections: &mut SectionTable,
    fail: &Fail<'_>,
) -> Result<ValidationConfig> {
    let word_count = match raw.word_count {
        None => Some((400, 600)),
        Some(range) => match range.get_ref().as_slice() {
            [] => None,
            [min, max] if 0 <= *min && min <= max => Some((*min as usize, *max as usize)),
            _ => {
                return Err(fail(
                    Some(range.span()),
                    "word_count must be [min, max] with 0 <= min <= max, or [] to switch the rule off".into(),
                ));
            }
        },
    };
    let timeline_slack = match raw.timeline_slack {
        None => SignedDuration::from_hours(24),
        Some(s) => parse_duration(s.get_ref()).ok_or_else(|| {
            fail(
                Some(s.span()),
                format!(
                    "timeline_slack `{}` is not a duration; write it like \"24h\" or \"90m\"",
                    s.get_ref()
                ),
            )
        })?,
    };
    let levels = resolve_levels(raw.rules, fail)?;
    let blame_words: Vec<String> = raw
        .blame_words
        .unwrap_or_else(|| DEFAULT_BLAME_WORDS.iter().map(|s| s.to_string()).collect())
        .into_iter()
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    // The words are lowercase and so is the text searched (see
    // validate::prose): a case-sensitive matcher can use a fast prefilter.
    let blame_matcher = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&blame_words)
        .ok()
        .filter(|_| !blame_words.is_empty());
    Ok(ValidationConfig {
        required_fields: front_matter::resolve_required(raw.required_fields, fail)?,
        required_sections: raw
            .required_sections
            .unwrap_or_else(|| DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect())
            .into_iter()
            .map(|name| {
                let section = sections.kind_of(&name).section;
                (name, section)
            })
            .collect(),
        word_count,
        timeline_slack,
        blame_words,
        blame_matcher,
        levels,
    })
}

/// `[validation.rules]`: a level (or `off`) per rule id.
fn resolve_levels(
    rules: BTreeMap<String, Spanned<String>>,
    fail: &Fail<'_>,
) -> Result<BTreeMap<Rule, Option<Level>>> {
    let mut levels = BTreeMap::new();
    for (id, level) in rules {
        let rule = Rule::from_id(&id).ok_or_else(|| {
            let known = Rule::ALL.iter().map(|r| r.id());
            let hint = crate::text::suggest(&id, known)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            fail(Some(level.span()), format!("unknown rule `{id}`{hint}"))
        })?;
        let value = match level.get_ref().as_str() {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "off" => None,
            other => {
                return Err(fail(
                    Some(level.span()),
                    format!(
                        "rule level `{other}` must be \"error\", \"warning\", \"info\" or \"off\""
                    ),
                ));
            }
        };
        levels.insert(rule, value);
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig> {
        SiteConfig::parse(text, Path::new("site.toml"))
    }

    /// Line, column and message of the configuration error in `text`.
    pub(super) fn config_error(text: &str) -> (usize, usize, String) {
        match parse(text) {
            Err(Error::Config {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.base_path, "/");
        assert_eq!(c.severities.len(), 4);
        assert_eq!(c.severity("SEV3").map(|(rank, _)| rank), Some(2));
        assert_eq!(c.validation.word_count, Some((400, 600)));
        assert_eq!(c.validation.timeline_slack, SignedDuration::from_hours(24));
        assert_eq!(c.validation.required_sections.len(), 4);
        assert_eq!(c.validation.required_sections[3].1, Section::Measures);
        assert_eq!(c.taxonomies, Taxonomy::ALL);
    }

    #[test]
    fn base_url_path_is_normalised() {
        let c = parse("base_url = \"https://org.github.io/incidents\"").unwrap();
        assert_eq!(c.base_url, "https://org.github.io/incidents/");
        assert_eq!(c.base_path, "/incidents/");
        let c = parse("base_url = \"https://status.example.com\"").unwrap();
        assert_eq!(c.base_url, "https://status.example.com/");
        assert_eq!(c.base_path, "/");
        let (line, column, message) = config_error("title = \"x\"\nbase_url = \"ftp://x\"\n");
        assert_eq!((line, column), (2, 12));
        assert!(message.contains("https://"), "{message}");
    }

    #[test]
    fn unknown_keys_are_located() {
        let (line, column, message) = config_error("title = \"x\"\n\ntitel = \"y\"\n");
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("unknown field `titel`"), "{message}");
    }

    #[test]
    fn bad_values_are_located() {
        let (line, _, message) = config_error("[[severity]]\nid = \"P1\"\ncolor = \"red\"\n");
        assert_eq!(line, 3);
        assert!(message.contains("#b42318"), "{message}");
        let (line, _, message) = config_error("timezone = \"EST\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("America/New_York"), "{message}");
        let (line, _, _) = config_error("[validation]\nword_count = [600, 400]\n");
        assert_eq!(line, 2);
        let (_, _, message) = config_error("[validation.rules]\nblam = \"off\"\n");
        assert!(message.contains("did you mean `blame`"), "{message}");
    }

    #[test]
    fn section_names() {
        let c = parse("[validation]\nrequired_sections = [\"Summary\", \"Glossary\"]\n[sections]\n\"Root Cause\" = [\"Why it broke\"]\nGlossary = [\"Terms\"]\n").unwrap();
        let section = |h: &str| c.sections.classify(h).map(|k| k.section);
        assert_eq!(section("Why it broke:"), Some(Section::RootCause));
        assert_eq!(c.validation.required_sections[0].1, Section::Summary);
        let glossary = c.validation.required_sections[1].1;
        assert!(matches!(glossary, Section::Custom(_)));
        assert_eq!(section("Terms"), Some(glossary));
        assert_eq!(section("Why it did not break"), None);
    }

    #[test]
    fn rule_levels() {
        let c = parse("[validation]\nword_count = []\n[validation.rules]\nblame = \"error\"\nimpact = \"off\"\n").unwrap();
        assert_eq!(c.validation.word_count, None);
        assert_eq!(c.validation.level(Rule::Blame), Some(Level::Error));
        assert_eq!(c.validation.level(Rule::Impact), None);
        assert_eq!(c.validation.level(Rule::Clock), Some(Level::Error));
    }
}
