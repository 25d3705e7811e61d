//! Slugs and site-relative URLs: an incident's [`Slug`], and the
//! [`SitePath`] of every page the stages link to, each made in one place:
//! links between postmortems are checked, rendered, indexed for search and
//! exported with the same paths.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

use super::taxonomy::Taxonomy;

/// An incident's slug: lowercase ASCII letters, digits and single dashes,
/// the name its page's URL is made from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// `text` as a slug, if it is one ([`crate::text::is_valid_slug`]).
    pub fn new(text: &str) -> Option<Slug> {
        crate::text::is_valid_slug(text).then(|| Slug(text.to_string()))
    }

    /// The slug made from any text ([`crate::text::slugify`]).
    pub fn from_text(text: &str) -> Slug {
        Slug(crate::text::slugify(text))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Slug {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Slug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Slug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Slug {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

/// A site-relative URL (`incidents/<slug>/`, `tags/dns/`), joined to
/// `base_url` to be absolute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SitePath(String);

impl SitePath {
    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SitePath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for SitePath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl From<SitePath> for String {
    fn from(path: SitePath) -> String {
        path.0
    }
}

/// Site-relative URL of an incident page: `incidents/<slug>/`.
pub fn incident_url(slug: &str) -> SitePath {
    SitePath(format!("incidents/{slug}/"))
}

/// Site-relative path of an incident page's file:
/// `incidents/<slug>/index.html`.
pub fn incident_file(slug: &str) -> SitePath {
    SitePath(format!("incidents/{slug}/index.html"))
}

/// Site-relative URL of a term page: `tags/<term-slug>/`.
pub fn term_url(taxonomy: Taxonomy, name: &str) -> SitePath {
    SitePath(format!(
        "{}/{}/",
        taxonomy.name(),
        crate::text::term_slug(name)
    ))
}

/// Site-relative URL of a year's page: `years/<year>/`.
pub fn year_url(year: i16) -> SitePath {
    SitePath(format!("years/{year}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(incident_url("2024-01-02-db"), "incidents/2024-01-02-db/");
        assert_eq!(
            incident_file("2024-01-02-db"),
            "incidents/2024-01-02-db/index.html"
        );
        assert_eq!(term_url(Taxonomy::Tags, "DNS Zone"), "tags/dns-zone/");
        assert_eq!(year_url(2024), "years/2024/");
    }
}
