//! What `build` prints of its findings. An archive can have tens of
//! thousands of warnings; printed in full they bury the errors and cost a
//! large part of the build's time. A build shows every error, the first
//! [`WARNINGS_SHOWN`] warnings and a count per rule of the rest, and
//! leaves the full list to `hindsight check`.

use std::collections::BTreeMap;

use super::{Diagnostic, Level, Rule};

/// Warnings a build prints in full before it only counts them.
pub const WARNINGS_SHOWN: usize = 20;

/// How much a command prints, from `--quiet` and `--verbose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, a few warnings, counts of the rest, a summary.
    #[default]
    Normal,
    /// Every finding in full.
    Verbose,
}

/// The findings to print in full, and the counts of those left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    /// The findings to print, in their original order. Copies, so the
    /// printers take them as they take any list of findings; there are
    /// at most the errors and a few warnings unless `--verbose`.
    pub shown: Vec<Diagnostic>,
    /// Warnings and notes not shown.
    pub hidden: usize,
    /// Every warning and note by rule (most frequent first), when some
    /// are hidden.
    pub counts: Vec<(Rule, Level, usize)>,
}

impl Brief {
    /// Chooses what to print of `diagnostics` at `verbosity`.
    pub fn of(diagnostics: &[Diagnostic], verbosity: Verbosity) -> Brief {
        let limit = match verbosity {
            Verbosity::Quiet => 0,
            Verbosity::Normal => WARNINGS_SHOWN,
            Verbosity::Verbose => usize::MAX,
        };
        let mut warnings = 0;
        let shown: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| match d.level {
                Level::Error => true,
                Level::Warning => {
                    warnings += 1;
                    warnings <= limit
                }
                Level::Info => verbosity == Verbosity::Verbose,
            })
            .cloned()
            .collect();
        let hidden = diagnostics.len() - shown.len();
        let counts = if hidden > 0 {
            counts(diagnostics)
        } else {
            Vec::new()
        };
        Brief {
            shown,
            hidden,
            counts,
        }
    }

    /// The lines that say what was left out and where to see it, if
    /// anything was.
    pub fn footer(&self) -> Option<String> {
        if self.hidden == 0 {
            return None;
        }
        let mut text = format!(
            "{} more not shown; `hindsight check` lists every finding (or build with --verbose). Warnings and notes by rule:",
            thousands(self.hidden)
        );
        for (rule, level, n) in &self.counts {
            let noun = if *level == Level::Warning {
                "warning"
            } else {
                "note"
            };
            let s = if *n == 1 { "" } else { "s" };
            text.push_str(&format!("\n  {rule}: {} {noun}{s}", thousands(*n)));
        }
        Some(text)
    }
}

/// Warnings and notes per rule and level, most frequent first.
fn counts(diagnostics: &[Diagnostic]) -> Vec<(Rule, Level, usize)> {
    let mut by_rule: BTreeMap<(Rule, Level), usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.level != Level::Error) {
        *by_rule.entry((d.rule, d.level)).or_default() += 1;
    }
    let mut counts: Vec<_> = by_rule.into_iter().map(|((r, l), n)| (r, l, n)).collect();
    counts.sort_by_key(|&(rule, level, n)| (std::cmp::Reverse(n), level, rule.id()));
    counts
}

/// `55112` → `55,112`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    fn finding(rule: Rule, line: usize) -> Diagnostic {
        Diagnostic::new(rule, "content/a.md", Pos::new(line, 1, 1), "m")
    }

    fn findings() -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = (1..=30).map(|i| finding(Rule::ActionOwner, i)).collect();
        all.insert(25, finding(Rule::EndBeforeStart, 99));
        all.extend((40..45).map(|i| finding(Rule::Blame, i)));
        all.push(finding(Rule::Placeholder, 50));
        all
    }

    #[test]
    fn normal_shows_errors_and_twenty_warnings_and_counts_the_rest() {
        let all = findings();
        let brief = Brief::of(&all, Verbosity::Normal);
        assert_eq!(brief.shown.len(), 21);
        assert!(
            brief.shown.iter().any(|d| d.rule == Rule::EndBeforeStart),
            "errors always shown"
        );
        assert_eq!(brief.hidden, 16);
        let footer = brief.footer().unwrap();
        assert!(
            footer.starts_with("16 more not shown; `hindsight check`"),
            "{footer}"
        );
        assert!(
            footer.ends_with(
                "\n  action-owner: 30 warnings\n  blame: 5 warnings\n  placeholder: 1 note"
            ),
            "{footer}"
        );
    }

    #[test]
    fn quiet_shows_errors_only_and_verbose_everything() {
        let all = findings();
        let quiet = Brief::of(&all, Verbosity::Quiet);
        assert_eq!(quiet.shown, [finding(Rule::EndBeforeStart, 99)]);
        let verbose = Brief::of(&all, Verbosity::Verbose);
        assert_eq!(verbose.shown, all);
        assert_eq!(verbose.footer(), None);
        let few = &all[..5];
        assert_eq!(Brief::of(few, Verbosity::Normal).footer(), None);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(55112), "55,112");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
