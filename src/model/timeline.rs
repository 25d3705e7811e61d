//! A timed event of a postmortem's timeline.

use jiff::Timestamp;

/// One timed event of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// When it happened.
    pub at: Timestamp,
    /// What happened (the item text after the time).
    pub text: String,
    /// Byte offset of the time in the file.
    pub offset: usize,
    /// Byte length of the time as written.
    pub len: usize,
}
