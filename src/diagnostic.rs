//! Findings about content: what is wrong, where, and how to fix it.
//!
//! Content problems are not Rust errors: every stage collects them as
//! [`Diagnostic`]s and carries on, so one run reports every finding in every
//! file. The printers at the bottom turn them into compiler-style text, JSON
//! lines or GitHub Actions workflow commands; [`sarif`] writes a SARIF log
//! and [`brief`] picks what a build shows of many findings.

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;

pub use crate::text::Pos;

pub mod brief;
pub mod sarif;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Blocks the build (unless `--allow-errors`).
    Error,
    /// Reported, but the build goes on (fails `check --strict`).
    Warning,
    /// A note on something hindsight skipped on purpose (a placeholder
    /// time); never fails anything.
    Info,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        })
    }
}

macro_rules! rules {
    (
        $($variant:ident => $id:literal, $level:ident;)*
        @build $($other:ident => $other_id:literal, $doc:literal;)*
    ) => {
        /// Every validation rule of the archive format (see the README's
        /// rule table), and the kinds of build failure `serve` reports
        /// next to them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = concat!("`", $id, "`")]
                $variant,
            )*
            $(
                #[doc = $doc]
                $other,
            )*
        }

        impl Rule {
            /// All rules of the format, in the order of its rule table
            /// (build failures are not rules a site can set a level for).
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule's id as written in diagnostics and `site.toml`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* $(Rule::$other => $other_id,)* }
            }

            /// The level a finding of this rule has unless `site.toml` overrides it.
            pub fn default_level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* $(Rule::$other => Level::Error,)* }
            }
        }
    };
}

rules! {
    FrontMatter => "front-matter", Error;
    FieldType => "field-type", Error;
    MissingField => "missing-field", Error;
    UnknownField => "unknown-field", Warning;
    Timezone => "timezone", Error;
    EndBeforeStart => "end-before-start", Error;
    DuplicateSlug => "duplicate-slug", Error;
    UnknownRelated => "unknown-related", Error;
    MissingSection => "missing-section", Error;
    DuplicateSection => "duplicate-section", Warning;
    TimelineOrder => "timeline-order", Warning;
    TimelineWindow => "timeline-window", Warning;
    TimelineEmpty => "timeline-empty", Warning;
    WordCount => "word-count", Warning;
    Impact => "impact", Warning;
    ActionOwner => "action-owner", Warning;
    Blame => "blame", Warning;
    Clock => "clock", Error;
    BrokenLink => "broken-link", Error;
    HeadingStyle => "heading-style", Warning;
    DuplicateAction => "duplicate-action", Warning;
    Placeholder => "placeholder", Info;
    SlugCollision => "slug-collision", Error;
    ReadError => "read-error", Error;
@build
    Config => "config", "`config`: `site.toml` cannot be read or used (`serve` only).";
    Template => "template", "`template`: a template does not parse or render (`serve` only).";
    Build => "build", "`build`: any other failure of a rebuild (`serve` only).";
}

impl Rule {
    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, id: &&str) -> bool {
        self.id() == *id
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One finding: a rule broken at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path of the file, relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Error or warning.
    pub level: Level,
    /// The broken rule.
    pub rule: Rule,
    /// What is wrong and how to fix it.
    pub message: String,
    /// Characters to underline in the human format.
    #[serde(skip)]
    pub len: usize,
    /// A short note shown under the underline in the human format.
    #[serde(skip)]
    pub label: Option<String>,
}

impl Diagnostic {
    /// A finding at its rule's default level.
    pub fn new(rule: Rule, file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            level: rule.default_level(),
            rule,
            message: message.into(),
            len: pos.len,
            label: None,
        }
    }

    /// Adds a note to show under the underline.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Sort key: file, then position, then rule; keeps output stable.
    pub fn sort_key(&self) -> (&str, usize, usize, Rule) {
        (&self.file, self.line, self.column, self.rule)
    }
}

/// Counts of a set of findings, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub infos: usize,
    /// Number of distinct files with at least one finding.
    pub files: usize,
}

impl Summary {
    /// Counts `diagnostics` (which must be sorted by file).
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut summary = Summary::default();
        let mut last_file: Option<&str> = None;
        for d in diagnostics {
            match d.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Info => summary.infos += 1,
            }
            if last_file != Some(d.file.as_str()) {
                summary.files += 1;
                last_file = Some(&d.file);
            }
        }
        summary
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Summary {
    /// `2 errors, 5 warnings in 3 of 40 incidents`.
    pub fn line(&self, total_files: usize) -> String {
        let notes = if self.infos > 0 {
            format!(", {}", plural(self.infos, "note"))
        } else {
            String::new()
        };
        format!(
            "{}, {}{notes} in {} of {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            self.files,
            plural(total_files, "incident")
        )
    }
}

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style, with the source line and an underline.
    Human {
        /// Use ANSI colours.
        color: bool,
    },
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// Writes `diagnostics` to `out` in `format`. `source` returns the text of
/// a file (relative path) so the human format can quote the line; it is
/// asked once per run of findings in the same file (findings come sorted
/// by file), and each line is found through an index of line starts, so
/// printing stays linear in the number of findings however many one big
/// file has.
pub fn print(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    format: Format,
    source: &dyn Fn(&str) -> Option<String>,
) -> io::Result<()> {
    let mut current: Option<(&str, Option<Lines>)> = None;
    for d in diagnostics {
        match format {
            Format::Human { color } => {
                if current.as_ref().is_none_or(|(file, _)| *file != d.file) {
                    current = Some((&d.file, source(&d.file).map(Lines::new)));
                }
                let line = current
                    .as_ref()
                    .and_then(|(_, lines)| lines.as_ref()?.get(d.line));
                writeln!(out, "{}", render_line(d, line, color))?;
            }
            Format::Json => {
                let line = serde_json::to_string(d).map_err(io::Error::other)?;
                writeln!(out, "{line}")?;
            }
            Format::Github => writeln!(out, "{}", render_github(d))?,
        }
    }
    Ok(())
}

/// A file's text with the offset of each line, for finding many lines.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Lines {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// Line `n` (1-based) without its line break, as `str::lines` gives it.
    fn get(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e - 1);
        if start == self.text.len() {
            return None;
        }
        Some(&self.text[start..end])
    }
}

/// Renders one diagnostic like a compiler would, quoting its line from
/// `source` (the whole file).
pub fn render_human(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let line = source.and_then(|s| s.lines().nth(d.line.saturating_sub(1)));
    render_line(d, line, color)
}

/// Renders one diagnostic like a compiler would, quoting `line_text` (its
/// line of the file, if known).
fn render_line(d: &Diagnostic, line_text: Option<&str>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level as AsLevel, Renderer, Snippet};
    let level = match d.level {
        Level::Error => AsLevel::ERROR,
        Level::Warning => AsLevel::WARNING,
        Level::Info => AsLevel::INFO,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule.id());
    let Some(line_text) = line_text else {
        let header = format!("{}:{}:{}", d.file, d.line, d.column);
        let origin = annotate_snippets::Origin::path(header.as_str());
        return renderer.render(&[title.element(origin)]);
    };
    let line_text = line_text.trim_end_matches('\r');
    let range = char_range_to_bytes(line_text, d.column, d.len);
    let mut annotation = AnnotationKind::Primary.span(range);
    if let Some(label) = &d.label {
        annotation = annotation.label(label.as_str());
    }
    let snippet = Snippet::source(line_text)
        .line_start(d.line)
        .path(d.file.as_str())
        .annotation(annotation);
    renderer.render(&[title.element(snippet)])
}

/// Converts a 1-based character column and length into a byte range of `line`.
fn char_range_to_bytes(line: &str, column: usize, len: usize) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(line.len())
    };
    let start = byte_at(column.saturating_sub(1));
    let end = byte_at(column.saturating_sub(1) + len.max(1)).max(start);
    start..end
}

/// Renders one diagnostic as a GitHub Actions workflow command.
pub fn render_github(d: &Diagnostic) -> String {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&d.file),
        d.line,
        d.column,
        escape_property(d.rule.id()),
        escape_data(&d.message)
    )
}

/// Escapes a workflow-command message (GitHub's `escapeData`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (GitHub's `escapeProperty`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::new(
            Rule::EndBeforeStart,
            "content/2024/mail.md",
            Pos::new(6, 6, 25),
            "the incident ends before it starts; set `end` after `start`",
        )
        .with_label("start is 2024-04-18T09:30:00+02:00")
    }

    #[test]
    fn rule_ids_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }

    #[test]
    fn human_output_quotes_the_line_and_underlines() {
        let src = "---\ntitle: x\nseverity: SEV2\nstart: 2024-04-18T09:30:00+02:00\ntimezone: UTC\nend: 2024-04-18T08:00:00+02:00\n";
        let text = render_human(&sample(), Some(src), false);
        assert!(text.starts_with("error[end-before-start]: the incident ends"));
        assert!(text.contains("--> content/2024/mail.md:6:6"), "{text}");
        assert!(
            text.contains("6 | end: 2024-04-18T08:00:00+02:00"),
            "{text}"
        );
        assert!(
            text.contains("|      ^^^^^^^^^^^^^^^^^^^^^^^^^ start is"),
            "{text}"
        );
    }

    #[test]
    fn human_output_reads_each_file_once_and_finds_lines_by_index() {
        let big: String = (1..=5000).map(|i| format!("line {i}\r\n")).collect();
        let small = "only line";
        let mut all = Vec::new();
        for line in (1..=5000).rev().step_by(7) {
            all.push(Diagnostic::new(
                Rule::Clock,
                "big.md",
                Pos::new(line, 1, 4),
                "m",
            ));
        }
        all.push(Diagnostic::new(
            Rule::Clock,
            "big.md",
            Pos::new(9999, 1, 1),
            "past the end",
        ));
        all.push(Diagnostic::new(
            Rule::Clock,
            "small.md",
            Pos::new(1, 6, 4),
            "m",
        ));
        let reads = std::cell::Cell::new(0);
        let source = |file: &str| {
            reads.set(reads.get() + 1);
            Some(crate::text::normalize_newlines(if file == "big.md" {
                big.clone()
            } else {
                small.to_string()
            }))
        };
        let mut out = Vec::new();
        print(&mut out, &all, Format::Human { color: false }, &source).unwrap();
        assert_eq!(reads.get(), 2, "one read per file");
        let expected: String = all
            .iter()
            .map(|d| {
                let text = source(&d.file);
                format!("{}\n", render_human(d, text.as_deref(), false))
            })
            .collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn json_has_the_documented_keys() {
        let json = serde_json::to_value(sample()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys, ["column", "file", "level", "line", "message", "rule"]);
        assert_eq!(json["rule"], "end-before-start");
        assert_eq!(json["level"], "error");
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let mut d = sample();
        d.file = "content/a,b:c.md".into();
        d.message = "100% wrong\nsecond line".into();
        assert_eq!(
            render_github(&d),
            "::error file=content/a%2Cb%3Ac.md,line=6,col=6,title=end-before-start::100%25 wrong%0Asecond line"
        );
    }

    #[test]
    fn summary_counts_files_once() {
        let mut a = sample();
        let b = a.clone();
        a.level = Level::Warning;
        let mut c = sample();
        c.file = "z.md".into();
        let summary = Summary::of(&[a, b, c]);
        assert_eq!(
            summary,
            Summary {
                errors: 2,
                warnings: 1,
                infos: 0,
                files: 2
            }
        );
        assert_eq!(summary.line(40), "2 errors, 1 warning in 2 of 40 incidents");
        let mut note = sample();
        note.level = Level::Info;
        let summary = Summary::of(&[note.clone(), note]);
        assert_eq!(summary.infos, 2);
        assert_eq!(
            summary.line(3),
            "0 errors, 0 warnings, 2 notes in 1 of 3 incidents"
        );
    }

    #[test]
    fn underline_ranges_count_characters_not_bytes() {
        assert_eq!(char_range_to_bytes("é: x", 4, 1), 4..5);
        assert_eq!(char_range_to_bytes("abc", 10, 3), 3..3);
    }
}
