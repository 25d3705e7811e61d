//! hindsight: a static site generator for incident postmortem archives.
//!
//! The pipeline, one module per stage, each a function over the plain
//! data of [`model`] (the archive, its incidents, bodies, timelines and
//! action items, the schema's enumerations, sections and taxonomies):
//!
//! 1. [`config`]: `site.toml` → [`config::SiteConfig`].
//! 2. [`content`]: `content/**/*.md` → [`model::Archive`] (front matter,
//!    Markdown, timelines, highlighting), with findings for what it could
//!    not read.
//! 3. [`analysis`]: what the archive says as a whole (terms, related and
//!    recurring incidents, metrics), from the model alone.
//! 4. [`validate`]: the format's rules → [`diagnostic::Diagnostic`]s.
//! 5. [`render`]: the archive → pages as bytes ([`render::OutputFile`]).
//! 6. [`output`]: the pages → disk, atomically.
//!
//! [`session`] runs the stages end to end: `build` and `check` (through
//! [`site`]) load a session once, `serve` keeps one up to date and adds
//! watching, HTTP and live reload over it. Each kind of page is declared
//! once in [`render::kinds`]. [`cmd`] wires the commands; [`fix`]
//! rewrites what `check --fix` can fix in the postmortems themselves.

#![warn(missing_docs, unreachable_pub)]

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod fuzzing;
pub mod import;
pub mod input;
pub mod model;
pub mod output;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod site;
pub mod text;
pub mod time;
pub mod validate;

pub use error::{Error, Result};

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: cli::Cli) -> u8 {
    cmd::run(cli)
}
