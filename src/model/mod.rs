//! The plain data passed between the stages: an archive of incidents, each
//! with its body, timeline and action items, the schema's enumerations,
//! the sections and taxonomies of the format, and how times and durations
//! are written. It depends on nothing above it; every stage reads and
//! writes these types.

pub mod archive;
pub mod body;
pub mod fields;
pub mod format;
pub mod schema;
pub mod section;
pub mod taxonomy;
pub mod timeline;
pub mod url;

pub use archive::{ActionItem, ActionSource, Archive, Asset, Incident, Places};
pub use taxonomy::Taxonomy;
pub use timeline::TimelineEvent;
