//! Rules on the writing: `word-count`, `blame`.

use super::FileFindings;
use crate::config::SiteConfig;
use crate::diagnostic::Rule;
use crate::model::Incident;

pub(super) fn check(incident: &Incident, cfg: &SiteConfig, out: &mut FileFindings<'_>) {
    word_count(incident, cfg, out);
    blame(incident, cfg, out);
}

fn word_count(incident: &Incident, cfg: &SiteConfig, out: &mut FileFindings<'_>) {
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

fn blame(incident: &Incident, cfg: &SiteConfig, out: &mut FileFindings<'_>) {
    let Some(matcher) = &cfg.validation.blame_matcher else {
        return;
    };
    let words = &cfg.validation.blame_words;
    // The matcher takes lowercase text (ASCII folding keeps every offset).
    // Prose ranges lie within the body: one scan of it rules most
    // postmortems out, where scanning range by range costs a search each.
    let source = incident.source.to_ascii_lowercase();
    let body = source.get(incident.body_offset..).unwrap_or_default();
    if !matcher.is_match(body) {
        return;
    }
    for range in &incident.body.prose {
        let Some(text) = source.get(range.clone()) else {
            continue;
        };
        for found in matcher.find_iter(text) {
            let word = &words[found.pattern().as_usize()];
            if !is_whole(text, found.start(), found.end(), word) {
                continue;
            }
            let pos = out.at(range.start + found.start(), found.len());
            out.push(Rule::Blame, pos, advice(word));
        }
    }
}

/// True when `text[start..end]` is a whole word or phrase (a phrase that
/// starts with punctuation, like `'s fault`, may follow a letter).
fn is_whole(text: &str, start: usize, end: usize, phrase: &str) -> bool {
    let before_ok = phrase.starts_with(|c: char| !c.is_alphanumeric())
        || !text[..start].ends_with(|c: char| c.is_alphanumeric());
    let after_ok = !text[end..].starts_with(|c: char| c.is_alphanumeric());
    before_ok && after_ok
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
        let whole = |text: &str, phrase: &str| {
            text.find(phrase)
                .is_some_and(|i| is_whole(text, i, i + phrase.len(), phrase))
        };
        assert!(whole("it was bob's fault", "'s fault"));
        assert!(whole("we should have known", "should have"));
        assert!(!whole("carelessly", "careless"));
        assert!(whole("the careless step", "careless"));
        assert!(!whole("default settings", "fault"));
    }
}
