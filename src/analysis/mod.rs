//! What the archive says as a whole, computed from [`crate::model`]
//! alone: taxonomy terms, related and recurring incidents, and the
//! reliability metrics (MTTD, MTTM, MTTR, user-minutes, time between
//! incidents).

pub mod metrics;
pub mod recurrence;
pub mod related;
pub mod terms;
