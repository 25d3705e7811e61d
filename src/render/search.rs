//! The search index: static JSON files that a small script in the browser
//! queries, so search works on GitHub Pages with no server.
//!
//! The index is split so a query downloads little: `search/index.json`
//! (counts and filter values), `search/docs-<n>.json` (result metadata,
//! [`DOCS_PER_CHUNK`] incidents each) and `search/terms-<c>.json` (the
//! postings of every term starting with character `c`, as delta-encoded
//! incident numbers). Terms come from titles, summaries, impact, services,
//! tags, action items and body prose (code blocks and link targets left
//! out).

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::format;
use crate::model::url::incident_url;
use crate::model::{Archive, Incident};
use crate::text::{ALNUM, ASCII_CLASS};

/// Incidents per `docs-<n>.json`.
pub const DOCS_PER_CHUNK: usize = 500;

/// The shard keys: a term goes to the shard of its first character.
pub const SHARDS: &str = "abcdefghijklmnopqrstuvwxyz0123456789_";

/// Words too common to be worth indexing.
fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "but"
            | "by"
            | "for"
            | "from"
            | "had"
            | "has"
            | "have"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "so"
            | "that"
            | "the"
            | "their"
            | "then"
            | "there"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "which"
            | "while"
            | "with"
    )
}

/// The shard of a term.
pub fn shard_of(term: &str) -> char {
    term.chars()
        .next()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .unwrap_or('_')
}

/// Calls `f` with each index term of `text`, repeats included: words
/// lowercased and ASCII-folded (as `deunicode` folds the text), two to 40
/// characters, no stop words. The term is only borrowed, so nothing is
/// allocated per word.
fn each_token(text: &str, f: &mut impl FnMut(&str)) {
    let mut words = Words {
        word: String::with_capacity(64),
        f,
    };
    let bytes = text.as_bytes();
    if text.is_ascii() {
        // Runs of letters and digits are the words: each is passed as a
        // slice of `text`, copied only when it has capitals to lower.
        let mut start = 0;
        let mut in_word = false;
        for (i, &b) in bytes.iter().enumerate() {
            let alnum = ASCII_CLASS[usize::from(b)] & ALNUM != 0;
            if alnum != in_word {
                if alnum {
                    start = i;
                } else {
                    words.whole(&text[start..i]);
                }
                in_word = alnum;
            }
        }
        if in_word {
            words.whole(&text[start..]);
        }
    } else {
        // Transliterate as `deunicode` does, but keep every ASCII
        // character as it is: `deunicode` folds tabs and line breaks to
        // nothing, which joined the words on either side of a soft line
        // break or of a heading and the paragraph after it
        // (`resolutionthe`).
        let kept = bytes
            .iter()
            .position(|&b| !b.is_ascii())
            .unwrap_or(bytes.len());
        bytes[..kept].iter().for_each(|&b| words.byte(b));
        for c in text[kept..].chars() {
            if c.is_ascii() {
                words.byte(c as u8);
            } else {
                let folded = deunicode::deunicode_char(c).unwrap_or("[?]");
                folded.bytes().for_each(|b| words.byte(b));
            }
        }
    }
    words.end();
}

/// Cuts a stream of ASCII bytes into index terms for `f`.
struct Words<'f, F: FnMut(&str)> {
    word: String,
    f: &'f mut F,
}

impl<F: FnMut(&str)> Words<'_, F> {
    fn byte(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.word.push(char::from(b.to_ascii_lowercase()));
        } else if !self.word.is_empty() {
            self.end();
        }
    }

    /// Passes on one whole ASCII word.
    fn whole(&mut self, word: &str) {
        if !(2..=40).contains(&word.len()) {
            return;
        }
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            self.word.push_str(word);
            self.word.make_ascii_lowercase();
            self.end();
        } else if !is_stop_word(word) {
            (self.f)(word);
        }
    }

    fn end(&mut self) {
        if (2..=40).contains(&self.word.len()) && !is_stop_word(&self.word) {
            (self.f)(&self.word);
        }
        self.word.clear();
    }
}

/// The prose of a postmortem body: fenced code and link targets left out.
fn body_prose(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(marker) => {
                if trimmed.starts_with(marker) {
                    fence = None;
                }
            }
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(&trimmed[..3])
            }
            None => {
                push_without_link_targets(&mut out, line);
                out.push('\n');
            }
        }
    }
    out
}

/// Appends `line` to `out` without the `(target)` of its Markdown links.
fn push_without_link_targets(out: &mut String, line: &str) {
    let mut rest = line;
    let target = |s: &str| {
        let bytes = s.as_bytes();
        memchr::memchr_iter(b']', bytes).find(|&i| bytes.get(i + 1) == Some(&b'('))
    };
    while let Some(i) = target(rest) {
        out.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        rest = rest.find(')').map_or("", |j| &rest[j + 1..]);
    }
    out.push_str(rest);
}

/// Calls `f` with every index term of one incident, repeats included:
/// title, severity, impact, services and tags (also whole), action items
/// and the body's prose. The summary is not read on its own: it is a
/// paragraph of the body or the impact summary, both indexed already, and
/// its text is joined across line breaks (`median\ntime` → `mediantime`).
fn each_term(incident: &Incident, f: &mut impl FnMut(&str)) {
    for text in [incident.title.as_str(), incident.severity.as_str()] {
        each_token(text, f);
    }
    if let Some(impact) = &incident.impact_summary {
        each_token(impact, f);
    }
    for list in [&incident.services, &incident.tags] {
        for item in list.iter() {
            each_token(item, f);
            f(&item.to_lowercase());
        }
    }
    for action in &incident.action_items {
        each_token(&action.task, f);
    }
    each_token(&body_prose(&incident.source[incident.body_offset..]), f);
}

/// Term → incident numbers, ascending.
type Postings = BTreeMap<String, Vec<u32>>;

/// Everything the search files are made from.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Postings per shard: term → incident numbers, ascending.
    shards: BTreeMap<char, Postings>,
}

impl SearchIndex {
    /// Indexes `archive` (incident numbers are archive positions): each
    /// thread folds its run of incidents into postings, and the runs are
    /// joined in archive order, so no per-incident term set is kept.
    pub fn build(archive: &Archive) -> SearchIndex {
        let mut all = archive
            .incidents
            .par_iter()
            .enumerate()
            .fold(
                FxHashMap::default,
                |mut postings: FxHashMap<String, Vec<u32>>, (doc, incident)| {
                    let doc = doc as u32;
                    each_term(incident, &mut |term| match postings.get_mut(term) {
                        // Incidents come in order: a repeat is the last one.
                        Some(docs) if docs.last() == Some(&doc) => {}
                        Some(docs) => docs.push(doc),
                        None => {
                            postings.insert(term.to_string(), vec![doc]);
                        }
                    });
                    postings
                },
            )
            .reduce(FxHashMap::default, |mut left, right| {
                for (term, docs) in right {
                    left.entry(term).or_default().extend(docs);
                }
                left
            });
        let mut shards: BTreeMap<char, Postings> = BTreeMap::new();
        for (term, mut docs) in all.drain() {
            // Runs are joined in order; this only guards that assumption.
            if !docs.is_sorted() {
                docs.sort_unstable();
            }
            shards
                .entry(shard_of(&term))
                .or_default()
                .insert(term, docs);
        }
        SearchIndex { shards }
    }

    /// `search/terms-<c>.json`: term → delta-encoded incident numbers.
    pub fn shard_json(&self, shard: char) -> Vec<u8> {
        let mut json = String::from("{");
        if let Some(terms) = self.shards.get(&shard) {
            for (n, (term, docs)) in terms.iter().enumerate() {
                if n > 0 {
                    json.push(',');
                }
                json.push_str(&serde_json::to_string(term).unwrap_or_default());
                json.push_str(":[");
                let mut last = 0;
                for (k, &d) in docs.iter().enumerate() {
                    if k > 0 {
                        json.push(',');
                    }
                    json.push_str(&(d - last).to_string());
                    last = d;
                }
                json.push(']');
            }
        }
        json.push_str("}\n");
        json.into_bytes()
    }
}

/// One search result's metadata: `[url, title, severity, date, services,
/// tags, summary]`, site-relative URL.
#[derive(Debug, Clone, Serialize)]
struct Doc<'a>(
    String,
    &'a str,
    &'a str,
    String,
    &'a [String],
    &'a [String],
    String,
);

/// `search/docs-<chunk>.json`.
pub fn docs_json(archive: &Archive, chunk: usize) -> Vec<u8> {
    let from = chunk * DOCS_PER_CHUNK;
    let to = (from + DOCS_PER_CHUNK).min(archive.incidents.len());
    let docs: Vec<Doc<'_>> = archive.incidents[from..to]
        .iter()
        .map(|i| {
            let summary = excerpt(&i.summary, 180);
            Doc(
                incident_url(&i.slug).into(),
                &i.title,
                &i.severity,
                format::local_date(i.start, &i.zone),
                &i.services,
                &i.tags,
                summary,
            )
        })
        .collect();
    let mut bytes = serde_json::to_vec(&docs).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The first `max` characters of `text`, cut at a word, with `…` when cut.
fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.', ' ']))
}

/// `search/index.json`: how the index is split, and the filter values.
pub fn meta_json(archive: &Archive, severities: &[String]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Meta<'a> {
        version: u32,
        docs: usize,
        docs_per_chunk: usize,
        shards: &'a str,
        severities: &'a [String],
        services: BTreeSet<&'a str>,
        tags: BTreeSet<&'a str>,
    }
    let meta = Meta {
        version: 1,
        docs: archive.incidents.len(),
        docs_per_chunk: DOCS_PER_CHUNK,
        shards: SHARDS,
        severities,
        services: archive
            .incidents
            .iter()
            .flat_map(|i| i.services.iter().map(String::as_str))
            .collect(),
        tags: archive
            .incidents
            .iter()
            .flat_map(|i| i.tags.iter().map(String::as_str))
            .collect(),
    };
    let mut bytes = serde_json::to_vec(&meta).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distinct terms of `text`, sorted.
    fn tokenize(text: &str) -> Vec<String> {
        let mut terms = BTreeSet::new();
        each_token(text, &mut |t| {
            terms.insert(t.to_string());
        });
        terms.into_iter().collect()
    }

    #[test]
    fn stop_words_are_left_out_in_any_case() {
        assert_eq!(
            tokenize("the which While WITH zebra Theme"),
            ["theme", "zebra"]
        );
    }

    #[test]
    fn tokens() {
        let got =
            tokenize("The Dovecot-core package was HALF-installed; error 500 at 09:30 in Zürich");
        assert_eq!(
            got,
            [
                "09",
                "30",
                "500",
                "core",
                "dovecot",
                "error",
                "half",
                "installed",
                "package",
                "zurich"
            ]
        );
        assert_eq!(shard_of("dovecot"), 'd');
        assert_eq!(shard_of("500"), '5');
    }

    #[test]
    fn words_are_folded_as_deunicode_folds_each_character() {
        // The plain way: fold every non-ASCII character, then split the
        // text into words.
        let reference = |text: &str| -> Vec<String> {
            let folded: String = text
                .chars()
                .map(|c| match c.is_ascii() {
                    true => c.to_string(),
                    false => deunicode::deunicode_char(c).unwrap_or("[?]").to_string(),
                })
                .collect();
            folded
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| (2..=40).contains(&w.len()))
                .map(str::to_ascii_lowercase)
                .filter(|w| !is_stop_word(w))
                .collect()
        };
        let mut long = "x".repeat(41);
        long.push_str(" kept");
        for text in [
            "Plain ASCII, UPPER and lower: ab\u{7f}cd e\u{1}f",
            "Zürich — the café’s naïve façade… ab\u{7f}cd e\u{1}f",
            "北京 outage in Kraków; Ωmega δelta",
            "\u{1F600}emoji\u{200B}joined and \u{FFFF}tofu",
            &long,
            "The THE a1 B2 x yy ZZ-top_end9",
            "",
            "z",
            "--Edge--",
            "## Resolution\n\nThe café\tclosed\r\nlate",
        ] {
            let mut got = Vec::new();
            each_token(text, &mut |t| got.push(t.to_string()));
            assert_eq!(got, reference(text), "{text}");
        }
    }

    #[test]
    fn line_breaks_and_tabs_separate_words_in_any_text() {
        for text in [
            "## Root Cause and Resolution\n\nThe median\ntime\tgrew",
            "## Root Cause and Resolution\n\nThe café’s median\ntime\tgrew",
        ] {
            let terms = tokenize(text);
            for joined in ["resolutionthe", "mediantime", "timegrew"] {
                assert!(!terms.iter().any(|t| t == joined), "{joined} in {terms:?}");
            }
            for word in ["resolution", "median", "time", "grew"] {
                assert!(terms.iter().any(|t| t == word), "{word} not in {terms:?}");
            }
        }
    }

    #[test]
    fn the_summary_is_indexed_from_the_body_as_written() {
        // The summary is the first paragraph of the summary section, whose
        // text joins the lines of the paragraph; its words are indexed
        // from the body source, where the line break still separates them.
        let text = "---\ntitle: Slow merges\nseverity: SEV3\nstart: 2024-05-02T10:00:00Z\nend: 2024-05-02T11:00:00Z\n---\n\n## Issue Summary\n\nThe merge queue grew and median\ntime to merge doubled.\n";
        let cfg = crate::config::SiteConfig::parse("", std::path::Path::new("site.toml")).unwrap();
        let (incident, _) = crate::content::load_text("content/a.md", text, &cfg);
        let incident = incident.expect("the postmortem loads");
        let mut terms = BTreeSet::new();
        each_term(&incident, &mut |t| {
            terms.insert(t.to_string());
        });
        assert!(
            terms.contains("median") && terms.contains("time"),
            "{terms:?}"
        );
        assert!(!terms.contains("mediantime"), "{terms:?}");
    }

    #[test]
    fn prose_skips_code_and_link_targets() {
        let src = "See [the runbook](https://wiki.example/secret-path) now.\n\n```bash\nrm -rf /tmp/hidden\n```\nAfter.\n";
        let prose = body_prose(src);
        assert!(prose.contains("See [the runbook now."), "{prose}");
        assert!(
            !prose.contains("hidden") && !prose.contains("secret"),
            "{prose}"
        );
        assert!(prose.contains("After."));
    }
}
