//! Applying a set of changed files to a watching session: which inputs
//! of the site they are, and reading again what they hold.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Session;
use crate::content::is_editor_litter;
use crate::error::{Error, Result};
use crate::render::Theme;

/// What kind of input of the site a changed file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file under `content/`.
    Content,
    /// A stylesheet of the theme.
    Stylesheet,
    /// Another static file of the theme.
    Static,
    /// A template (the site's or the theme's).
    Template,
    /// `site.toml`.
    Config,
}

/// The inputs that changed, each with the changed files (relative to
/// the root, `/`-separated).
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Changed files by kind of input.
    pub inputs: BTreeMap<Input, Vec<String>>,
}

impl Changes {
    /// True when no input of the site changed.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// True when every page may have changed: a template or the
    /// configuration.
    pub fn everything(&self) -> bool {
        self.inputs.contains_key(&Input::Template) || self.inputs.contains_key(&Input::Config)
    }

    /// True when only stylesheets changed.
    pub fn stylesheets_only(&self) -> bool {
        self.inputs.keys().all(|k| *k == Input::Stylesheet)
    }

    /// True when the files that are not pages (theme files, content
    /// assets) may have changed.
    pub fn extras(&self) -> bool {
        let content_assets = self.inputs.get(&Input::Content).is_some_and(|files| {
            files
                .iter()
                .any(|f| !f.to_ascii_lowercase().ends_with(".md"))
        });
        self.inputs.keys().any(|k| *k != Input::Content) || content_assets
    }
}

impl Session {
    /// Applies changed paths (absolute or relative to the root): reads
    /// again what they hold and returns which inputs changed (none when
    /// the paths are not the site's or hold the same bytes as before).
    /// On an error the session keeps what it could read.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Changes> {
        let changes = self.classify_all(changed);
        if changes.is_empty() {
            return Ok(changes);
        }
        if changes.inputs.contains_key(&Input::Config) {
            self.refuse_missing_config()?;
            self.cfg = super::load_config(&self.opts)?;
            self.theme = Theme::load(&self.opts.root, &self.cfg)?;
            let ctx = super::file_context(&self.cfg, self.today());
            if let Some(sources) = &mut self.sources {
                sources.retype(&self.cfg, &ctx);
            }
            return Ok(changes);
        }
        if changes.inputs.contains_key(&Input::Template)
            || changes.inputs.contains_key(&Input::Static)
        {
            self.theme = Theme::load(&self.opts.root, &self.cfg)?;
        }
        if let Some(files) = changes.inputs.get(&Input::Content) {
            let ctx = super::file_context(&self.cfg, self.today());
            if let Some(sources) = &mut self.sources {
                sources.update(&self.opts.root, files, &self.cfg, &ctx)?;
            }
        }
        Ok(changes)
    }

    /// The inputs among `changed` whose bytes changed.
    fn classify_all(&mut self, changed: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        for path in changed {
            let Some((input, rel)) = self.classify(path) else {
                continue;
            };
            let known = self.sources.as_ref().and_then(|s| s.text(&rel));
            if self.fingerprints.changed(&self.opts.root.join(&rel), known) {
                changes.inputs.entry(input).or_default().push(rel);
            }
        }
        changes
    }

    /// A `site.toml` removed while serving is an error, not a silent
    /// switch to the defaults (nor silently keeping the old settings): the
    /// last good site stays, with the previous settings, until it is back.
    fn refuse_missing_config(&self) -> Result<()> {
        let path = self.opts.root.join("site.toml");
        if path.exists() {
            return Ok(());
        }
        Err(Error::Config {
            path,
            line: 1,
            column: 1,
            message: "site.toml was removed while serving; the site is still shown with its previous settings. Restore it (git checkout site.toml, say), or restart `hindsight serve` to build without one".into(),
        })
    }

    /// Which input `path` is, and its path relative to the root.
    fn classify(&self, path: &Path) -> Option<(Input, String)> {
        let rel = super::relative(&self.opts.root, path)?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.iter().any(|p| is_editor_litter(p)) {
            return None;
        }
        let rel = parts.join("/");
        let theme_prefix = format!("themes/{}/", self.cfg.theme);
        let input = if rel == "site.toml" {
            Input::Config
        } else if rel.starts_with("content/") || rel == "content" {
            Input::Content
        } else if rel.starts_with("templates/")
            || rel.starts_with(&format!("{theme_prefix}templates/"))
        {
            Input::Template
        } else if rel.starts_with(&format!("{theme_prefix}static/")) {
            if rel.ends_with(".css") {
                Input::Stylesheet
            } else {
                Input::Static
            }
        } else {
            return None;
        };
        Some((input, rel))
    }
}
