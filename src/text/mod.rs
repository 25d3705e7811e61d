//! Small text helpers shared by every stage, in parts: places in a file
//! ([`position`]), slugs ([`slug`]), word counts ([`words`]); here the
//! few that fit none of them: case-blind search, "did you mean"
//! suggestions, HTML escaping, and newline handling.

pub mod position;
pub mod slug;
pub mod words;

pub use position::{LineIndex, Pos, pos_in};
pub use slug::{is_valid_slug, slugify, term_slug};
pub use words::{ALNUM, ASCII_CLASS, SPACE, WordCounter, count_words};

/// Every byte offset in `haystack` where `needle` (ASCII) starts, ignoring
/// ASCII case, without lowercasing a copy.
pub fn find_ascii_ci<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let first = n.first().copied().unwrap_or(0);
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, h).filter(move |&at| {
        h.get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped for HTML.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Normalises line endings to `\n` (CRLF and lone CR) and drops a UTF-8
/// byte-order mark, so line numbers match what editors show.
/// The text is taken by value: most files need no change and keep their
/// buffer.
pub fn normalize_newlines(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The pieces of `text` between `\n`s, exactly as `text.split('\n')`
/// gives them (an empty last piece after a final newline), found with a
/// vector search over the whole text.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    std::iter::from_fn(move || {
        let end = ends.next()?;
        let line = &text[start..end];
        start = end + 1;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_blind_search() {
        let found: Vec<usize> = find_ascii_ci("Due 2024, due: x, DUE", "due").collect();
        assert_eq!(found, [0, 10, 18]);
        assert_eq!(find_ascii_ci("owned", "owner:").count(), 0);
        assert_eq!(find_ascii_ci("é Owner: x", "owner:").next(), Some(3));
    }

    #[test]
    fn lines_split_as_str_split_does() {
        for text in ["", "\n", "a", "a\n", "a\nb", "\n\nb\n\n", "é\nü\r\n"] {
            let ours: Vec<&str> = split_lines(text).collect();
            let std: Vec<&str> = text.split('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn suggestions() {
        let keys = ["severity", "services", "start", "status"];
        assert_eq!(suggest("serverity", keys), Some("severity"));
        assert_eq!(suggest("Statu", keys), Some("status"));
        assert_eq!(suggest("banana", keys), None);
    }

    #[test]
    fn newline_normalisation() {
        assert_eq!(
            normalize_newlines("\u{feff}a\r\nb\rc\n".into()),
            "a\nb\nc\n"
        );
    }
}
