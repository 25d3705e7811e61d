//! Rules on the writing: `word-count`, `blame`.

use super::Out;
use crate::archive::Incident;
use crate::config::SiteConfig;
use crate::diagnostic::Rule;

pub(super) fn check(incident: &Incident, cfg: &SiteConfig, out: &mut Out<'_>) {
    word_count(incident, cfg, out);
    blame(incident, cfg, out);
}

fn word_count(incident: &Incident, cfg: &SiteConfig, out: &mut Out<'_>) {
    let Some((min, max)) = cfg.validation.word_count else {
        return;
    };
    let words = incident.body.words;
    if (min..=max).contains(&words) {
        return;
    }
    let advice = if words < min {
        "say more about impact, detection and the fix"
    } else {
        "keep it short: move detail into linked documents"
    };
    let pos = super::sections::body_pos(incident, out);
    out.push(
        Rule::WordCount,
        pos,
        format!(
            "the body has {words} words, outside {min}..{max} (word_count in site.toml); {advice}"
        ),
    );
}

fn blame(incident: &Incident, cfg: &SiteConfig, out: &mut Out<'_>) {
    let words = &cfg.validation.blame_words;
    if words.is_empty() {
        return;
    }
    for range in &incident.body.prose {
        let Some(text) = incident.source.get(range.clone()) else {
            continue;
        };
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            // Lowercasing changed byte lengths (rare scripts): offsets
            // would drift, so only report the start of the text.
            if let Some(word) = words.iter().find(|w| contains_phrase(&lower, w).is_some()) {
                let pos = out.at(range.start, 1);
                out.push(Rule::Blame, pos, advice(word));
            }
            continue;
        }
        for word in words {
            let mut from = 0;
            while let Some(i) = contains_phrase(&lower[from..], word) {
                let at = from + i;
                let pos = out.at(range.start + at, word.len());
                out.push(Rule::Blame, pos, advice(word));
                from = at + word.len();
            }
        }
    }
}

/// The byte offset of `phrase` in `text` as a whole word or phrase.
fn contains_phrase(text: &str, phrase: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(phrase) {
        let at = from + i;
        let before_ok = phrase.starts_with(|c: char| !c.is_alphanumeric())
            || !text[..at].ends_with(|c: char| c.is_alphanumeric());
        let after_ok = !text[at + phrase.len()..].starts_with(|c: char| c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + phrase.len().max(1);
    }
    None
}

fn advice(word: &str) -> String {
    let why = match word {
        "should have" | "should've" | "would have" | "would've" => {
            "is counterfactual; describe what happened and what will change instead"
        }
        "human error" => {
            "names a person, not a cause; describe the conditions that made the mistake easy"
        }
        w if w.contains("fault") => "assigns blame; name the contributing causes instead",
        _ => "judges people; describe the contributing causes instead",
    };
    format!("\"{word}\" {why} (blameless postmortems; the word list is `blame_words` in site.toml)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words() {
        assert_eq!(contains_phrase("it was bob's fault", "'s fault"), Some(10));
        assert_eq!(
            contains_phrase("we should have known", "should have"),
            Some(3)
        );
        assert_eq!(contains_phrase("carelessly", "careless"), None);
        assert_eq!(contains_phrase("the careless step", "careless"), Some(4));
        assert_eq!(contains_phrase("default settings", "fault"), None);
    }
}
