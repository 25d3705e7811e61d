//! The error type of the library: problems that stop a command, as opposed
//! to content findings, which are [`crate::diagnostic::Diagnostic`]s.

use crate::diagnostic::{Diagnostic, Level, Rule};
use std::io;
use std::path::PathBuf;

/// A problem that stops a command. Each variant names the file involved
/// and, where known, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `site.toml` (or another configuration input) is invalid.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A template failed to parse or render.
    #[error("template {template}:{line}:{column}: {message}")]
    Template {
        /// The template file, relative to the site root or theme.
        template: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Tera's explanation.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The command was used wrongly (bad flag value, unsafe output path…).
    #[error("{0}")]
    Usage(String),
    /// Content has errors and the build was not allowed to skip them.
    #[error("{0}")]
    Content(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code for this error: 1 for content and I/O
    /// problems, 2 for usage and configuration problems.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) | Error::Io { .. } => 1,
            Error::Config { .. } | Error::Template { .. } | Error::Usage(_) => 2,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<&Error> for Diagnostic {
    /// A failure of a whole rebuild (`site.toml`, a template, a file that
    /// cannot be read), as the live-reload overlay shows it.
    fn from(e: &Error) -> Diagnostic {
        let (file, line, column, rule, message) = match e {
            Error::Config {
                path,
                line,
                column,
                message,
            } => (
                path.file_name()
                    .map_or("site.toml".into(), |n| n.to_string_lossy().into_owned()),
                *line,
                *column,
                Rule::Config,
                message.clone(),
            ),
            Error::Template {
                template,
                line,
                column,
                message,
            } => (
                template.clone(),
                *line,
                *column,
                Rule::Template,
                message.clone(),
            ),
            other => (String::new(), 1, 1, Rule::Build, other.to_string()),
        };
        Diagnostic {
            file,
            line,
            column,
            level: Level::Error,
            rule,
            message,
            len: 1,
            label: None,
        }
    }
}
