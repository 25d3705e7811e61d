//! The names of the format: its front-matter fields, and the small closed
//! vocabularies (incident status, detection method, action-item status
//! and kind).

use serde::Serialize;

/// The top-level front-matter fields of the format.
pub const KEYS: &[&str] = &[
    "title",
    "slug",
    "status",
    "severity",
    "start",
    "end",
    "timezone",
    "detected",
    "mitigated",
    "detection",
    "impact",
    "services",
    "tags",
    "authors",
    "related",
    "action_items",
];

/// The fields under `impact`.
pub const IMPACT_KEYS: &[&str] = &["summary", "users_affected_pct"];

/// Every field a `site.toml` may name (aliases, defaults, required
/// fields), nested ones as `impact.summary`.
pub fn field_paths() -> impl Iterator<Item = String> {
    KEYS.iter()
        .map(|k| k.to_string())
        .chain(IMPACT_KEYS.iter().map(|k| format!("impact.{k}")))
}

/// Whether `path` (`start`, `impact.summary`) names a field of the format.
pub fn is_field(path: &str) -> bool {
    match path.split_once('.') {
        None => KEYS.contains(&path),
        Some(("impact", key)) => IMPACT_KEYS.contains(&key),
        Some(_) => false,
    }
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),*
        }

        impl $name {
            /// Every value, in the documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The word written in front matter.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }

            /// Reads the word written in front matter (case-insensitive,
            /// `_` and spaces accepted for `-`).
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                match s.as_str() {
                    $($word => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// `a | b | c`, for messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.word()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

word_enum! {
    /// How far a postmortem is from published.
    Status {
        /// Being written; built only with `--drafts`.
        Draft = "draft",
        /// Written, under review.
        Review = "review",
        /// Published.
        Final = "final",
    }
}

word_enum! {
    /// How the incident was noticed.
    Detection {
        /// An alert fired.
        Monitoring = "monitoring",
        /// A customer reported it.
        Customer = "customer",
        /// An engineer noticed.
        Engineer = "engineer",
        /// A test caught it.
        AutomatedTest = "automated-test",
        /// Anything else.
        Other = "other",
    }
}

word_enum! {
    /// Where an action item stands.
    ActionStatus {
        /// Not started.
        Open = "open",
        /// Being worked on.
        InProgress = "in-progress",
        /// Finished.
        Done = "done",
        /// Decided against.
        WontDo = "wont-do",
    }
}

word_enum! {
    /// What an action item improves.
    ActionKind {
        /// Finding out sooner.
        Detect = "detect",
        /// Recovering faster.
        Mitigate = "mitigate",
        /// Not failing this way again.
        Prevent = "prevent",
        /// How people work.
        Process = "process",
    }
}

impl ActionStatus {
    /// Open and in-progress items still need work.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_are_fields() {
        assert!(field_paths().all(|p| is_field(&p)));
        assert!(is_field("impact.users_affected_pct") && is_field("impact"));
        for path in ["impact.pct", "summary", "start.date", "", "impact."] {
            assert!(!is_field(path), "{path}");
        }
    }

    #[test]
    fn words_round_trip() {
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.word()), Some(*s));
        }
        assert_eq!(
            ActionStatus::parse("In Progress"),
            Some(ActionStatus::InProgress)
        );
        assert_eq!(ActionStatus::parse("wont_do"), Some(ActionStatus::WontDo));
        assert_eq!(
            Detection::parse("Automated-Test"),
            Some(Detection::AutomatedTest)
        );
        assert_eq!(Status::parse("published"), None);
        assert_eq!(Status::choices(), "draft, review, final");
    }
}
