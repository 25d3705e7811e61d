//! `hindsight init`.

use std::io::Write;

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::scaffold;

pub(super) fn run(args: &InitArgs) -> Result<u8> {
    let dir = &args.dir;
    let today = jiff::Zoned::now().date();
    let source = scaffold::ActionSource::new(args.repository.as_deref(), args.rev.as_deref())?;
    let files = scaffold::init_files(today, &source);
    let existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).exists())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "{} already exist{} in {}; init never overwrites, so nothing was written",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            dir.display()
        )));
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Created an incident archive in {}:", dir.display());
    for (rel, _) in &files {
        let _ = writeln!(out, "  {rel}");
    }
    let _ = writeln!(
        out,
        "The workflow runs hindsight {} through the Action {}@{}.",
        source.version, source.repo, source.rev
    );
    let _ = writeln!(
        out,
        "Next: `hindsight serve` to preview, `hindsight new \"Title\"` for a postmortem; push to GitHub and set Pages → Source to GitHub Actions to publish."
    );
    Ok(0)
}
