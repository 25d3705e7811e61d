//! The small closed vocabularies of the format (incident status, detection
//! method, action-item status and kind). Its front-matter fields are the
//! table in `frontmatter`.

use serde::{Deserialize, Serialize};

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
