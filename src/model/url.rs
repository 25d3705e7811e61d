//! Site-relative URLs of the pages every stage links to, each made in one
//! place: links between postmortems are checked, rendered, indexed for
//! search and exported with the same paths.

use super::taxonomy::Taxonomy;

/// Site-relative URL of an incident page: `incidents/<slug>/`.
pub fn incident_url(slug: &str) -> String {
    format!("incidents/{slug}/")
}

/// Site-relative path of an incident page's file:
/// `incidents/<slug>/index.html`.
pub fn incident_file(slug: &str) -> String {
    format!("incidents/{slug}/index.html")
}

/// Site-relative URL of a term page: `tags/<term-slug>/`.
pub fn term_url(taxonomy: Taxonomy, name: &str) -> String {
    format!("{}/{}/", taxonomy.name(), crate::text::term_slug(name))
}

/// Site-relative URL of a year's page: `years/<year>/`.
pub fn year_url(year: i16) -> String {
    format!("years/{year}/")
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
