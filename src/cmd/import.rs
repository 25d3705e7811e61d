//! `hindsight import`.

use std::io::Write;

use crate::cli::{ImportArgs, ReportFormat};
use crate::config::SiteConfig;
use crate::content::{self, LoadOptions};
use crate::error::Result;
use crate::import::{self, ImportOptions, Terms, report};

pub(super) fn run(args: &ImportArgs) -> Result<u8> {
    let root = &args.root.root;
    let cfg = SiteConfig::load(root)?;
    let terms = terms(root, &cfg);
    let opts = ImportOptions {
        src: args.src.clone(),
        root: root.clone(),
        dry_run: args.dry_run,
    };
    let imported = import::run(&opts, &cfg, &terms)?;
    let text = match args.format {
        ReportFormat::Human => report::human(&imported),
        ReportFormat::Json => report::json(&imported),
    };
    let mut out = std::io::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = writeln!(
        std::io::stderr(),
        "{}. Review the values above, then run `hindsight check`.",
        report::summary(&imported, args.dry_run)
    );
    Ok(0)
}

/// The services and tags the archive already uses, and `[import]`'s.
fn terms(root: &std::path::Path, cfg: &SiteConfig) -> Terms {
    let mut terms = Terms {
        services: cfg.import.services.clone(),
        tags: cfg.import.tags.clone(),
    };
    let opts = LoadOptions {
        drafts: true,
        html: false,
    };
    if root.join("content").is_dir()
        && let Ok(loaded) = content::load(root, cfg, &opts)
    {
        for incident in &loaded.archive.incidents {
            terms.services.extend(incident.services.iter().cloned());
            terms.tags.extend(incident.tags.iter().cloned());
        }
    }
    for list in [&mut terms.services, &mut terms.tags] {
        list.sort();
        list.dedup();
    }
    terms
}
