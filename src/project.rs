//! Where hindsight itself is published and which version this is.
//!
//! Cargo.toml's `repository` key is the one place that names hindsight's
//! repository: the workflow `init` writes (its `uses:` line) and the rule
//! links in SARIF output read it here, and the GitHub Action and the
//! release scripts read Cargo.toml directly, so moving the project means
//! changing that one line.

/// The repository hindsight is developed and released from.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// This build's version: the release `init` pins new archives to.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `OWNER/NAME` of a repository URL such as `https://github.com/OWNER/NAME`
/// (a trailing `.git` or `/` is dropped), as a workflow's `uses:` names it.
/// `None` unless both parts are plain names.
pub fn owner_and_name(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let mut parts = rest.trim_end_matches('/').split('/');
    let (_host, owner, name) = (parts.next()?, parts.next()?, parts.next()?);
    let name = name.strip_suffix(".git").unwrap_or(name);
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (parts.next().is_none() && plain(owner) && plain(name)).then(|| format!("{owner}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_urls_name_owner_and_repository() {
        for (url, expected) in [
            ("https://github.com/acme/hindsight", Some("acme/hindsight")),
            (
                "https://github.com/acme/hindsight.git",
                Some("acme/hindsight"),
            ),
            ("https://github.com/acme/hindsight/", Some("acme/hindsight")),
            ("https://ghe.example.org/sre/hs", Some("sre/hs")),
            ("https://github.com/acme", None),
            ("https://github.com/acme/hindsight/tree/main", None),
            ("http://github.com/acme/hindsight", None),
            ("git@github.com:acme/hindsight.git", None),
            ("https://github.com/acme/hind sight", None),
            ("https://github.com/acme/$(curl evil)", None),
            ("https://github.com/../x", None),
        ] {
            assert_eq!(owner_and_name(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn the_repository_in_cargo_toml_names_a_repository() {
        assert!(owner_and_name(REPOSITORY).is_some(), "{REPOSITORY}");
    }
}
