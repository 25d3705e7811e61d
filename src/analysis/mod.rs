//! What the archive says as a whole, computed from [`crate::model`]
//! alone: taxonomy terms, related and recurring incidents and their
//! clusters, the reliability metrics (MTTD, MTTM, MTTR, user-minutes, time
//! between incidents), the statistics page's figures, and the action-item
//! tracker. The results are plain data; `render` turns them into pages.

pub mod actions;
pub mod clusters;
pub mod metrics;
pub mod recurrence;
pub mod related;
pub mod stats;
pub mod terms;
