//! The severity of an imported report: a `Severity:` fact, or `SEV-1`
//! written in its text, through the site's value map or its severity ids.

use super::{Confidence, Evidence};
use crate::config::SiteConfig;

/// A severity as written (`SEV-1`, `Sev 2`, `P1`, `High`): through the
/// site's value map, else one of its severity ids.
pub(super) fn of(cfg: &SiteConfig, written: &str) -> Option<String> {
    let word = written
        .split(['(', ',', ';', '—', '–'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(['*', '_', '`']);
    if let Some(mapped) = cfg.front_matter.values.translate("severity", word) {
        return Some(mapped.to_string());
    }
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_uppercase()
    };
    let key = squeeze(word);
    cfg.severities
        .iter()
        .find(|s| squeeze(&s.id) == key || squeeze(&s.label) == key)
        .map(|s| s.id.clone())
}

/// `SEV-1`, `Sev 2`, `SEV2` written anywhere in the body.
pub(super) fn in_text(
    cfg: &SiteConfig,
    text: &str,
    body_offset: usize,
) -> Option<(String, Evidence)> {
    let body = &text[body_offset..];
    crate::text::find_ascii_ci(body, "sev").find_map(|at| {
        if body[..at].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let rest = &body[at + 3..];
        let rest = rest.strip_prefix("erity").unwrap_or(rest);
        let digits_at = rest.find(|c: char| c.is_ascii_digit())?;
        if digits_at > 2
            || !rest[..digits_at]
                .chars()
                .all(|c| matches!(c, '-' | ' ' | ':'))
        {
            return None;
        }
        let digit = &rest[digits_at..digits_at + 1];
        let written = &body[at..at + 3 + (body[at + 3..].len() - rest.len()) + digits_at + 1];
        let id = of(cfg, &format!("SEV{digit}")).or_else(|| of(cfg, written))?;
        Some((
            id,
            Evidence::at(text, body_offset + at, written.len(), Confidence::Medium),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_as_written() {
        let cfg = SiteConfig::parse(
            "[front_matter.values.severity]\nP1 = \"SEV1\"\nhigh = \"SEV2\"\n",
            std::path::Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(of(&cfg, "SEV-1").as_deref(), Some("SEV1"));
        assert_eq!(of(&cfg, "Sev 3 (minor)").as_deref(), Some("SEV3"));
        assert_eq!(of(&cfg, "P1").as_deref(), Some("SEV1"));
        assert_eq!(of(&cfg, "High").as_deref(), Some("SEV2"));
        assert_eq!(of(&cfg, "Critical").as_deref(), Some("SEV1"), "a label");
        assert_eq!(of(&cfg, "urgent"), None);
        let text = "## Summary\n\nWe declared a SEV-2 at 10:00.\n";
        let (id, ev) = in_text(&cfg, text, 0).unwrap();
        assert_eq!(
            (id.as_str(), ev.quote.as_str(), ev.line),
            ("SEV2", "SEV-2", 3)
        );
        assert!(in_text(&cfg, "several services", 0).is_none());
    }
}
