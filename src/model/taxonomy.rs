//! The taxonomies an archive can be browsed by.

/// A taxonomy the archive can be browsed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    /// `services:` in front matter, pages under `/services/`.
    Services,
    /// `tags:` in front matter, pages under `/tags/`.
    Tags,
    /// The severity level, pages under `/severity/`.
    Severity,
}

impl Taxonomy {
    /// All taxonomies, in navigation order.
    pub const ALL: [Taxonomy; 3] = [Taxonomy::Services, Taxonomy::Tags, Taxonomy::Severity];

    /// The name used in `site.toml` and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Services => "services",
            Taxonomy::Tags => "tags",
            Taxonomy::Severity => "severity",
        }
    }

    /// A heading for the taxonomy's pages.
    pub fn title(self) -> &'static str {
        match self {
            Taxonomy::Services => "Services",
            Taxonomy::Tags => "Tags",
            Taxonomy::Severity => "Severity",
        }
    }

    /// The singular noun for one term.
    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Services => "service",
            Taxonomy::Tags => "tag",
            Taxonomy::Severity => "severity",
        }
    }
}
