//! The theme: Tera templates and static files.
//!
//! Templates come from, in order of precedence: the site's `templates/`
//! folder (override any template by name), `themes/<theme>/templates/` at
//! the site root, and the default theme built into the binary (so a fresh
//! `hindsight init` site builds without copying the theme).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::config::SiteConfig;
use crate::error::{Error, Result};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, built in.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "index.html",
    "incident.html",
    "list.html",
    "taxonomy.html",
    "stats.html",
    "404.html",
    "partials/rows.html",
    "partials/pagination.html",
    "actions.html",
    "recurring.html",
    "search.html",
];

/// The default theme's static files, built in.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "actions.js",
        include_bytes!("../../themes/default/static/actions.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// Loaded templates and static files.
pub struct Theme {
    /// The template engine with every template added.
    pub tera: Tera,
    /// Static files: site-relative path and bytes.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Template name → file it came from, for error messages.
    sources: BTreeMap<String, String>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.sources)
            .finish()
    }
}

impl Theme {
    /// Loads the theme named in `cfg` for the site at `root`.
    pub fn load(root: &Path, cfg: &SiteConfig) -> Result<Theme> {
        let theme_dir = root.join("themes").join(&cfg.theme);
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        if theme_dir.is_dir() {
            read_dir_into(&theme_dir.join("templates"), root, &mut templates)?;
        } else if cfg.theme != "default" {
            return Err(Error::Usage(format!(
                "theme `{}` not found: there is no {}; set `theme = \"default\"` in site.toml or add the theme",
                cfg.theme,
                theme_dir.display()
            )));
        }
        for (name, text) in DEFAULT_TEMPLATES {
            templates.entry(name.to_string()).or_insert_with(|| {
                (
                    format!("(built-in default theme)/templates/{name}"),
                    text.to_string(),
                )
            });
        }
        read_dir_into(&root.join("templates"), root, &mut templates)?;
        let sources: BTreeMap<String, String> = templates
            .iter()
            .map(|(n, (p, _))| (n.clone(), p.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.global_context()
            .insert("site", &super::pages::site_view(cfg));
        tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &sources))?;
        let statics = load_statics(&theme_dir.join("static"))?;
        Ok(Theme {
            tera,
            statics,
            sources,
        })
    }

    /// Renders template `name` with `context` into bytes, in a buffer
    /// that starts at `capacity` bytes (a guess at the page's size saves
    /// growing it by copies).
    pub fn render(&self, name: &str, context: &tera::Context, capacity: usize) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| template_error(&e, &self.sources))?;
        Ok(out)
    }

    /// True when the theme has a template called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }
}

fn read_dir_into(
    dir: &Path,
    root: &Path,
    out: &mut BTreeMap<String, (String, String)>,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file()
            || crate::content::is_editor_litter(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let path = entry.path();
        let name = rel(dir, path);
        let text = crate::input::read_to_string(path).map_err(|e| Error::io(path, e))?;
        out.insert(name, (rel(root, path), text));
    }
    Ok(())
}

fn rel(base: &Path, path: &Path) -> String {
    let p: PathBuf = path.strip_prefix(base).unwrap_or(path).to_path_buf();
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_statics(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(DEFAULT_STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file()
            && !crate::content::is_editor_litter(&entry.file_name().to_string_lossy())
        {
            let bytes = crate::input::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            out.push((rel(dir, entry.path()), bytes));
        }
    }
    Ok(out)
}

/// Turns a Tera error into one that names the template file and line.
fn template_error(e: &tera::Error, sources: &BTreeMap<String, String>) -> Error {
    let file_of = |name: &str| {
        sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Error::Template {
                template: file_of(report.filename()),
                line: span.start_line.max(1),
                column: span.start_col + 1,
                message: report.message().to_string(),
            }
        }
        tera::ErrorKind::TemplateNotFound(name) => Error::Template {
            template: file_of(name),
            line: 1,
            column: 1,
            message: format!("template `{name}` not found; add it to templates/ or the theme"),
        },
        tera::ErrorKind::MissingParent { current, parent } => Error::Template {
            template: file_of(current),
            line: 1,
            column: 1,
            message: format!("extends `{parent}`, which does not exist"),
        },
        _ => Error::Template {
            template: "templates".into(),
            line: 1,
            column: 1,
            message: e.to_string(),
        },
    }
}
