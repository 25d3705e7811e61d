//! Whole-pipeline entry points on a single text, for the fuzz targets in
//! `fuzz/` and for regression tests of what fuzzing found.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::config::SiteConfig;
use crate::model::Archive;
use crate::render::{RenderOptions, Renderer, Theme};
use crate::validate;

fn setup() -> &'static (SiteConfig, Theme) {
    static SETUP: OnceLock<(SiteConfig, Theme)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let cfg = SiteConfig::parse("", Path::new("site.toml"))
            .expect("the default configuration is valid");
        // A root with no themes/ folder: the built-in theme.
        let theme = Theme::load(Path::new("/nonexistent-hindsight-root"), &cfg)
            .expect("the built-in theme loads");
        (cfg, theme)
    })
}

/// Loads `text` as the only postmortem of an archive, validates it, and
/// renders every page of that archive. Panics only on bugs.
pub fn single_file(text: &str) {
    let (cfg, theme) = setup();
    let (incident, _) = crate::content::load_text("content/fuzz.md", text, cfg);
    let Some(incident) = incident else {
        return;
    };
    let today = jiff::civil::Date::constant(2026, 1, 1);
    let drafts = Default::default();
    let ctx = validate::Context {
        cfg,
        today,
        draft_slugs: &drafts,
    };
    let _ = validate::incident(&incident, &ctx);
    let archive = Archive {
        incidents: vec![Arc::new(incident)],
        ..Archive::default()
    };
    let _ = validate::cross(&archive, &ctx);
    let opts = RenderOptions {
        today,
        inject: None,
        kinds: crate::render::kinds::BUILT_IN.to_vec(),
    };
    let renderer = Renderer::new(&archive, cfg, theme, &opts);
    for job in renderer.jobs() {
        let _ = renderer.render(job);
    }
}
