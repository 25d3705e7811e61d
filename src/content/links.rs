//! Where the links of a postmortem body point: other postmortems (their
//! `.md` files become their pages), files beside it, pages of the site,
//! or other sites. Unsafe schemes are neutralised.

use super::markdown::LinkContext;

/// What a link destination turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// Another site (`https:`, `mailto:`…): left alone.
    External,
    /// A `javascript:`/`data:` URL: neutralised.
    Unsafe,
    /// Inside the archive: `url` is the rewritten destination (`None`:
    /// keep as written), `path` the site-relative target to check.
    Internal {
        /// The rewritten destination, if it changes.
        url: Option<String>,
        /// The site-relative target.
        path: String,
        /// The `#fragment`, if any.
        fragment: Option<String>,
    },
}

pub(super) fn resolve_link(dest: &str, ctx: &LinkContext<'_>) -> Resolved {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with("//") {
        return Resolved::External;
    }
    if let Some(scheme) = scheme_of(dest) {
        return match scheme.as_str() {
            "javascript" | "vbscript" | "data" => Resolved::Unsafe,
            _ => Resolved::External,
        };
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let suffix = fragment
        .as_ref()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    if path_part.is_empty() {
        return Resolved::Internal {
            url: None,
            path: String::new(),
            fragment,
        };
    }
    if let Some(abs) = path_part.strip_prefix('/') {
        let path = percent_decode(abs);
        let url = format!("{}{abs}{suffix}", ctx.root);
        return Resolved::Internal {
            url: Some(url),
            path,
            fragment,
        };
    }
    let joined = if ctx.dir.is_empty() {
        path_part.to_string()
    } else {
        format!("{}/{path_part}", ctx.dir)
    };
    let Some(resolved) = normalize_path(&percent_decode(&joined)) else {
        // Escapes content/: keep it, the link check reports it.
        return Resolved::Internal {
            url: None,
            path: format!("../{path_part}"),
            fragment,
        };
    };
    if resolved.ends_with(".md") {
        if let Some(page) = (ctx.incident_path)(&resolved) {
            let url = format!("{}{page}{suffix}", ctx.root);
            return Resolved::Internal {
                url: Some(url),
                path: page.into(),
                fragment,
            };
        }
        return Resolved::Internal {
            url: None,
            path: format!("content/{resolved}"),
            fragment,
        };
    }
    let url = format!("{}{}{suffix}", ctx.root, encode_path(&resolved));
    Resolved::Internal {
        url: Some(url),
        path: resolved,
        fragment,
    }
}

/// The lowercase scheme of an absolute URL (`https`, `mailto`).
fn scheme_of(dest: &str) -> Option<String> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Resolves `.` and `..`; `None` if the path climbs above its root.
fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Percent-decodes a link's path; left as written if that is not UTF-8.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

/// Percent-encodes what may not appear raw in a URL path.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_helpers() {
        assert_eq!(
            normalize_path("2024/../2023/./x.md").as_deref(),
            Some("2023/x.md")
        );
        assert_eq!(normalize_path("../x"), None);
        assert_eq!(
            percent_decode("sites%20available.png"),
            "sites available.png"
        );
        assert_eq!(encode_path("2024/a b.png"), "2024/a%20b.png");
    }
}
