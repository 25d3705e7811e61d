//! Syntax highlighting of fenced code with syntect and bat's grammars
//! (`two-face`), emitting CSS classes so one generated stylesheet serves
//! light and dark mode. The syntax set is loaded once per process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::push_escaped;

/// Prefix of every highlighting class, so theme CSS cannot clash with them.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Info-string words that name a grammar by another name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("shell-session", "bash"),
    ("zsh", "bash"),
    ("apacheconf", "Apache Conf"),
    ("apache", "Apache Conf"),
    ("httpd", "Apache Conf"),
    ("htaccess", "Apache Conf"),
    ("hcl", "Terraform"),
    ("tf", "Terraform"),
    ("golang", "Go"),
    ("postgresql", "SQL"),
    ("psql", "SQL"),
    ("yml", "YAML"),
    ("docker", "Dockerfile"),
];

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lower = lang.to_ascii_lowercase();
    if let Some((_, name)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return set
            .find_syntax_by_name(name)
            .or_else(|| set.find_syntax_by_token(name));
    }
    set.find_syntax_by_token(lang)
}

/// Renders a fenced code block as HTML. `lang` is the first word of the
/// info string; unknown or missing languages, and `highlight: false`, give
/// plain escaped code. Highlighted blocks are remembered for the life of
/// the process, so a snippet quoted in many postmortems (or a file saved
/// again under `serve`) is highlighted once.
pub fn code_block(code: &str, lang: Option<&str>, highlight: bool) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 64);
    let lang = lang.map(str::trim).filter(|l| !l.is_empty());
    let highlighted = lang.filter(|_| highlight).and_then(|l| remembered(l, code));
    match (lang, highlighted) {
        (Some(lang), Some(highlighted)) => {
            html.push_str("<pre class=\"code\" tabindex=\"0\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            push_escaped(&mut html, lang);
            html.push_str("\">");
            html.push_str(&highlighted);
        }
        (Some(lang), None) => {
            html.push_str("<pre class=\"code\" tabindex=\"0\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code>");
            push_escaped(&mut html, code);
        }
        (None, _) => {
            html.push_str("<pre class=\"code\" tabindex=\"0\"><code>");
            push_escaped(&mut html, code);
        }
    }
    html.push_str("</code></pre>\n");
    html
}

/// What is remembered of one info-string word: its grammar, and the
/// highlighted HTML of every snippet seen with it.
struct Lang {
    syntax: Option<&'static SyntaxReference>,
    blocks: HashMap<String, Arc<str>>,
}

/// The highlighted HTML of `code` in the grammar `lang` names (`None`
/// when it names none), made once per process for each pair.
fn remembered(lang: &str, code: &str) -> Option<Arc<str>> {
    static MEMO: OnceLock<Mutex<HashMap<String, Lang>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let syntax = {
        let mut m = memo.lock().ok()?;
        let entry = match m.get_mut(lang) {
            Some(entry) => entry,
            None => m.entry(lang.to_string()).or_insert(Lang {
                syntax: find_syntax(lang),
                blocks: HashMap::new(),
            }),
        };
        if let Some(hit) = entry.blocks.get(code) {
            return Some(Arc::clone(hit));
        }
        entry.syntax?
    };
    // Highlight without holding the lock; another thread may do the same
    // snippet meanwhile, with the same result.
    let html: Arc<str> = highlight(code, syntax).into();
    if let Ok(mut m) = memo.lock()
        && let Some(entry) = m.get_mut(lang)
    {
        entry.blocks.insert(code.to_string(), Arc::clone(&html));
    }
    Some(html)
}

fn highlight(code: &str, syntax: &SyntaxReference) -> String {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar failure should not lose the code: show it plain.
            let mut plain = String::new();
            push_escaped(&mut plain, code);
            return plain;
        }
    }
    generator.finalize()
}

/// Code background in light and dark mode (the theme's `--surface`).
const LIGHT_BACKGROUND: (u8, u8, u8) = (0xf5, 0xf7, 0xfa);
const DARK_BACKGROUND: (u8, u8, u8) = (0x17, 0x1e, 0x26);

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`, each scoped to its mode so no colour leaks
/// into the other. Backgrounds are left to the page, and every colour is
/// darkened or lightened until it has a 4.5:1 contrast with the code
/// background (WCAG AA).
pub fn stylesheet() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = |name: &str, background| {
        themes
            .themes
            .get(name)
            .and_then(|t| syntect::html::css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .map(|css| readable(&css, background))
            .unwrap_or_default()
    };
    let light = css("InspiredGitHub", LIGHT_BACKGROUND);
    let dark = css("base16-ocean.dark", DARK_BACKGROUND);
    format!(
        "/* Generated by hindsight from syntect's InspiredGitHub and base16-ocean.dark themes, adjusted for contrast. */\n@media not all and (prefers-color-scheme: dark) {{\n{light}\n}}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

/// Drops background declarations and fixes low-contrast colours.
fn readable(css: &str, background: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("background-color:") {
            continue;
        }
        match trimmed
            .strip_prefix("color:")
            .map(str::trim)
            .and_then(|v| v.strip_suffix(';'))
            .and_then(parse_hex)
        {
            Some(color) => {
                let (r, g, b) = with_contrast(color, background, 4.5);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    let hex = hex.get(..6)?;
    let n = u32::from_str_radix(hex, 16).ok()?;
    Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color`, moved towards black (on light) or white (on dark) in small
/// steps until it reaches `min` contrast with `background`.
fn with_contrast(color: (u8, u8, u8), background: (u8, u8, u8), min: f64) -> (u8, u8, u8) {
    let target = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut c = color;
    for step in 0..=20 {
        if contrast(c, background) >= min {
            break;
        }
        let t = step as f64 / 20.0;
        let mix = |v: u8| (v as f64 + (target - v as f64) * t).round() as u8;
        c = (mix(color.0), mix(color.1), mix(color.2));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = code_block("server { listen 80; }\n", Some("nginx"), true);
        assert!(html.starts_with(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"nginx\"><code class=\"language-nginx\">"
        ));
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        for lang in [
            "bash",
            "apacheconf",
            "yaml",
            "python",
            "go",
            "sql",
            "json",
            "toml",
            "dockerfile",
            "hcl",
        ] {
            assert!(find_syntax(lang).is_some(), "{lang}");
        }
    }

    #[test]
    fn unknown_languages_are_escaped_plain() {
        let html = code_block("<script>alert(1)</script>\n", Some("nosuchlang"), true);
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"nosuchlang\"><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"
        );
        let html = code_block("a < b\n", None, true);
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\"><code>a &lt; b\n</code></pre>\n"
        );
    }

    #[test]
    fn highlighting_can_be_skipped() {
        assert_eq!(
            code_block("a\n", Some("bash"), false),
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"bash\"><code>a\n</code></pre>\n"
        );
        assert_eq!(
            code_block("x = 1\n", Some("python"), true),
            code_block("x = 1\n", Some("python"), true),
            "memoised output is identical"
        );
    }

    #[test]
    fn stylesheet_has_both_schemes_and_readable_colours() {
        let css = stylesheet();
        assert!(css.contains(".hl-"), "no classes");
        assert!(css.contains("@media not all and (prefers-color-scheme: dark) {"));
        assert!(css.contains("@media (prefers-color-scheme: dark) {"));
        assert!(!css.contains("background-color"));
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for (part, background) in [(light, LIGHT_BACKGROUND), (dark, DARK_BACKGROUND)] {
            for color in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color:"))
                .filter_map(|v| parse_hex(v.trim()))
            {
                assert!(
                    contrast(color, background) >= 4.5,
                    "{color:?} on {background:?}"
                );
            }
        }
    }
}
