//! `hindsight new`.

use std::io::Write;

use crate::cli::NewArgs;
use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::scaffold::{self, NewPostmortem};

pub(super) fn run(args: &NewArgs) -> Result<u8> {
    let root = &args.root.root;
    let cfg = SiteConfig::load(root)?;
    let request = NewPostmortem {
        title: args.title.clone(),
        severity: args.severity.clone(),
        start: args.start.clone(),
        timezone: args.timezone.clone(),
        now: jiff::Timestamp::now(),
    };
    let (rel, text) = scaffold::new_postmortem(&cfg, &request)?;
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!("{rel} already exists and `new` never overwrites; choose another title or --start"))
        } else {
            Error::io(&path, e)
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    let _ = writeln!(
        std::io::stdout(),
        "Created {rel} (status: draft; set `status: final` to publish it, preview with `hindsight serve`)"
    );
    Ok(0)
}
