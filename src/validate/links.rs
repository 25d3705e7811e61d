//! `broken-link`: every internal link and `#anchor` in a postmortem body
//! must resolve in the site as rendered.

use std::collections::{HashMap, HashSet};

use super::FileFindings;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::url::incident_file;
use crate::model::{Archive, Incident};

/// What the link check needs to know about the built site: which paths
/// exist, and the HTML of a page (only asked for pages that links point
/// into with a `#fragment`).
pub struct Site<'a> {
    /// True when the site has a file at this site-relative path.
    pub exists: &'a dyn Fn(&str) -> bool,
    /// The bytes of the file at this path, if it exists.
    pub page: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

/// Checks the body links of every incident against the site.
pub fn check(archive: &Archive, site: &Site<'_>) -> Vec<Diagnostic> {
    let mut ids_cache: HashMap<String, HashSet<String>> = HashMap::new();
    let mut out = Vec::new();
    for incident in &archive.incidents {
        if incident.body.links.is_empty() {
            continue;
        }
        let mut o = FileFindings {
            file: &incident.file,
            index: std::cell::OnceCell::new(),
            source: &incident.source,
            list: Vec::new(),
        };
        check_incident(incident, site, &mut ids_cache, &mut o);
        out.extend(o.list);
    }
    out
}

fn check_incident(
    incident: &Incident,
    site: &Site<'_>,
    ids_cache: &mut HashMap<String, HashSet<String>>,
    out: &mut FileFindings<'_>,
) {
    let own_page: String = incident_file(&incident.slug).into();
    for link in &incident.body.links {
        let pos = out.at(link.offset, link.len);
        let page = if link.path.is_empty() {
            Some(own_page.clone())
        } else {
            resolve(&link.path, site.exists)
        };
        let Some(page) = page else {
            let message = if link.path.starts_with("content/") {
                format!(
                    "the link `{}` points to {}, which is not a postmortem in this archive; fix the path",
                    link.written, link.path
                )
            } else if link.path.starts_with("../") {
                format!(
                    "the link `{}` points outside content/; link to pages of the archive or to a full https:// URL",
                    link.written
                )
            } else {
                format!(
                    "the link `{}` points to /{}, which the site does not have; fix the path",
                    link.written, link.path
                )
            };
            out.push(Rule::BrokenLink, pos, message);
            continue;
        };
        let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty()) else {
            continue;
        };
        if !page.ends_with(".html") {
            continue;
        }
        let ids = ids_cache
            .entry(page.clone())
            .or_insert_with(|| (site.page)(&page).map(|b| ids_of(&b)).unwrap_or_default());
        if !ids.contains(fragment) {
            let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let hint = crate::text::suggest(fragment, known.iter().copied())
                .map(|s| format!("did you mean `#{s}`?"))
                .unwrap_or_else(|| {
                    "link to a heading's anchor (shown when hovering the heading)".into()
                });
            out.push(
                Rule::BrokenLink,
                pos,
                format!("the anchor `#{fragment}` does not exist on that page; {hint}"),
            );
        }
    }
}

/// The output file a site-relative path is served from.
fn resolve(path: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let trimmed = path.trim_matches('/');
    let candidates = if trimmed.is_empty() {
        vec!["index.html".to_string()]
    } else {
        vec![
            trimmed.to_string(),
            format!("{trimmed}/index.html"),
            format!("{trimmed}.html"),
        ]
    };
    candidates.into_iter().find(|c| exists(c))
}

/// Every `id="…"` in an HTML document.
pub fn ids_of(html: &[u8]) -> HashSet<String> {
    let text = String::from_utf8_lossy(html);
    let mut ids = HashSet::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    ids
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found() {
        let ids = ids_of(b"<h2 id=\"root-cause\">x</h2><div class=\"a\" id=\"fn&amp;1\">");
        assert!(ids.contains("root-cause"));
        assert!(ids.contains("fn&1"));
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn paths_resolve_to_files() {
        let files: HashMap<&str, &[u8]> = HashMap::from([
            ("incidents/a/index.html", &b"x"[..]),
            ("2024/chart.svg", &b"<svg/>"[..]),
            ("index.html", &b"home"[..]),
        ]);
        let lookup = |p: &str| files.contains_key(p);
        assert_eq!(
            resolve("incidents/a/", &lookup).as_deref(),
            Some("incidents/a/index.html")
        );
        assert_eq!(
            resolve("incidents/a", &lookup).as_deref(),
            Some("incidents/a/index.html")
        );
        assert_eq!(
            resolve("2024/chart.svg", &lookup).as_deref(),
            Some("2024/chart.svg")
        );
        assert_eq!(resolve("incidents/b/", &lookup), None);
        assert_eq!(resolve("", &lookup).as_deref(), Some("index.html"));
    }
}
