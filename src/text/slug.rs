//! Slugs: URL-safe names made from any text ([`slugify`], [`term_slug`])
//! and the check that a written slug is one ([`is_valid_slug`]).

/// Turns any text into a URL-safe slug: ASCII lowercase letters, digits
/// and single dashes. Non-Latin text is transliterated; text with nothing
/// to keep (emoji only) becomes `u` plus the hex of its first characters,
/// so the slug is never empty and stays stable.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if c == '+' {
            slug.push_str("-plus-");
        } else if c == '#' {
            slug.push_str("-sharp-");
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = collapse_dashes(&slug);
    if slug.is_empty() {
        slug = text
            .chars()
            .take(4)
            .map(|c| format!("{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-");
        slug.insert(0, 'u');
        if slug == "u" {
            slug.push('0');
        }
    }
    slug
}

/// [`slugify`] for the short, often repeated names of tags, services and
/// severities: remembered per process, since an archive repeats a few
/// dozen names thousands of times.
pub fn term_slug(name: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MEMO: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    if let Some(slug) = memo.lock().ok().and_then(|m| m.get(name).cloned()) {
        return slug;
    }
    let slug = slugify(name);
    if let Ok(mut m) = memo.lock() {
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(name.to_string(), slug.clone());
    }
    slug
}

fn collapse_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split('-').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

/// True when `s` is a valid incident slug: `[a-z0-9-]`, not empty, no
/// leading, trailing or doubled dash.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (input, slug) in [
            ("Hello, World!", "hello-world"),
            ("  Root Cause & Resolution: ", "root-cause-resolution"),
            ("C++", "c-plus-plus"),
            ("c", "c"),
            ("C#", "c-sharp"),
            ("Ünïcödé tag", "unicode-tag"),
            ("../../etc", "etc"),
            ("🔥", "fire"),
            ("\u{200f}", "u200f"),
            ("", "u0"),
            ("東京", "dong-jing"),
        ] {
            assert_eq!(slugify(input), slug, "{input}");
            assert!(is_valid_slug(&slugify(input)), "{input}");
        }
    }

    #[test]
    fn slug_validity() {
        assert!(is_valid_slug("checkout-500-config-typo"));
        for bad in ["", "Upper", "a--b", "-a", "a-", "a/b", "a b", "ü"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
