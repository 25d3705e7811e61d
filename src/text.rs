//! Small text helpers shared by every stage: positions in a file and
//! line/column lookup, slugs, "did you mean" suggestions and HTML escaping.

/// A place in a source file: 1-based line and column (in characters), and
/// the length in characters of the text to underline (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Characters to underline.
    pub len: usize,
}

impl Pos {
    /// A position with an underline of `len` characters.
    pub fn new(line: usize, column: usize, len: usize) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
            len: len.max(1),
        }
    }
}

/// Maps byte offsets of a text to 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` (lines end with `\n`).
    pub fn new(text: &str) -> LineIndex {
        // About one line per 40 bytes of prose: one allocation for most files.
        let mut starts = Vec::with_capacity(text.len() / 40 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text`, underlining `len` bytes
    /// (clipped to the end of the line).
    pub fn pos(&self, text: &str, offset: usize, len: usize) -> Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        span(text, line, self.starts[line - 1], offset, len)
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
}

/// The position of byte `offset` in `text`, as [`LineIndex::pos`] gives
/// it, found without indexing the whole text: for a place or two.
pub fn pos_in(text: &str, offset: usize, len: usize) -> Pos {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    span(text, line, start, offset, len)
}

/// The position at `offset` on `line` (which starts at byte `start`),
/// underlining `len` bytes clipped to the end of the line.
fn span(text: &str, line: usize, start: usize, offset: usize, len: usize) -> Pos {
    let column = text[start..offset].chars().count() + 1;
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = floor_char_boundary(text, (offset + len).min(line_end));
    let chars = text[offset..end].chars().count();
    Pos::new(line, column, chars)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

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

/// [`ASCII_CLASS`] bit of ASCII letters and digits.
pub const ALNUM: u8 = 1;
/// [`ASCII_CLASS`] bit of ASCII whitespace, as `char::is_whitespace` has
/// it (vertical tab included).
pub const SPACE: u8 = 2;

/// The class bits ([`ALNUM`], [`SPACE`]) of every byte; 0 for the rest
/// and for every non-ASCII byte. For scanning text a byte at a time.
pub static ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            ALNUM
        } else if matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Counts the words of prose: whitespace-separated tokens that contain at
/// least one letter or digit.
pub fn count_words(text: &str) -> usize {
    let mut counter = WordCounter::default();
    counter.push(text);
    counter.finish()
}

/// Counts words over text that arrives in pieces, without keeping it.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordCounter {
    words: usize,
    /// The current word has a letter or digit and is counted already
    /// (false between words).
    counted: bool,
}

impl WordCounter {
    /// Adds a piece of text (a word may continue from the previous piece).
    pub fn push(&mut self, text: &str) {
        if text.is_ascii() {
            self.push_ascii(text.as_bytes());
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.counted = false;
            } else if !self.counted && c.is_alphanumeric() {
                self.words += 1;
                self.counted = true;
            }
        }
    }

    /// [`WordCounter::push`] for ASCII text: a word starts at each letter
    /// or digit with no other one since the last whitespace (the first
    /// may continue the word before). Eight bytes at a time, then byte by
    /// byte.
    fn push_ascii(&mut self, text: &[u8]) {
        let mut chunks = text.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.push_eight(u64::from_le_bytes(word));
        }
        let (mut words, mut counted) = (self.words, self.counted);
        for &b in chunks.remainder() {
            let class = ASCII_CLASS[usize::from(b)];
            let alnum = class & ALNUM != 0;
            words += usize::from(alnum && !counted);
            counted = (counted || alnum) && class & SPACE == 0;
        }
        (self.words, self.counted) = (words, counted);
    }

    /// Eight ASCII bytes, byte `i` in bits `8i..8i+8`, each class kept in
    /// the top bit of its byte (`x + (128 - k)` sets it exactly when the
    /// byte is at least `k`, without carrying into the next byte).
    fn push_eight(&mut self, x: u64) {
        const TOP: u64 = 0x8080_8080_8080_8080;
        let at_least =
            |x: u64, k: u8| x.wrapping_add(u64::from(128 - k) * 0x0101_0101_0101_0101) & TOP;
        let between = |x: u64, lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1);
        let folded = x | 0x2020_2020_2020_2020;
        let alnum = between(x, b'0', b'9') | between(folded, b'a', b'z');
        let space = between(x, b'\t', b'\r') | between(x, b' ', b' ');
        // `counted` for every byte: spread each letter or digit up to the
        // next whitespace (a segmented prefix OR, doubling the reach).
        let mut counted = alnum;
        let mut open = !space & TOP;
        counted |= (counted << 8) & open;
        open &= open << 8;
        counted |= (counted << 16) & open;
        open &= open << 16;
        counted |= (counted << 32) & open;
        if self.counted {
            // The word before goes on up to the first whitespace.
            counted |= TOP & (space & space.wrapping_neg()).wrapping_sub(1);
        }
        let before = (counted << 8) | (u64::from(self.counted) << 7);
        self.words += (alnum & !before).count_ones() as usize;
        self.counted = counted >> 63 != 0;
    }

    /// Ends the current word (a block boundary).
    pub fn space(&mut self) {
        self.counted = false;
    }

    /// The number of words so far.
    pub fn finish(&self) -> usize {
        self.words
    }
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
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn ascii_words_are_counted_as_split_whitespace_counts_them(
            text in "[ -~\t\n\x0b\x0c\r]{0,80}",
            cut in 0usize..80,
        ) {
            let reference = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            let cut = cut.min(text.len());
            let mut c = WordCounter::default();
            c.push(&text[..cut]);
            c.push(&text[cut..]);
            prop_assert_eq!(c.finish(), reference);
        }
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
    fn positions_are_one_based_in_characters() {
        let text = "ab\nçé: x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(text, 0, 1), Pos::new(1, 1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.pos(text, x, 1), Pos::new(2, 5, 1));
        assert_eq!(index.pos(text, 3, 100), Pos::new(2, 1, 5));
        assert_eq!(index.line_start(2), Some(3));
        let text = "first\n\nçé: x y\nlast line";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            for len in [0, 1, 3, 100] {
                assert_eq!(
                    pos_in(text, offset, len),
                    index.pos(text, offset, len),
                    "{offset} {len}"
                );
            }
        }
    }

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

    #[test]
    fn words() {
        assert_eq!(count_words("Hello - world 09:30 **"), 3);
        // Pieces continue words; block boundaries end them.
        let reference = |t: &str| {
            t.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        };
        for text in [
            "a-b c",
            " -- x1 ",
            "naïve café, 3 €",
            "tab\tand\nnew lines ",
            "é-",
            "vertical\x0btab, form\x0cfeed\r\n",
            "--- ... x",
        ] {
            assert_eq!(count_words(text), reference(text), "{text:?}");
            for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let mut c = WordCounter::default();
                c.push(&text[..cut]);
                c.push(&text[cut..]);
                assert_eq!(c.finish(), reference(text), "{text:?} cut at {cut}");
            }
        }
        // Longer than one eight-byte step, cut anywhere.
        for text in [
            "Words, words: 09:30 (UTC) -- and\tmore\n words",
            "        a                b       -- -- -- c.d",
            "xxxxxxxxxxxxxxxxyyyyyyyy zzzzzzzz ........ ",
        ] {
            for cut in 0..=text.len() {
                let mut c = WordCounter::default();
                c.push(&text[..cut]);
                c.push(&text[cut..]);
                assert_eq!(c.finish(), reference(text), "{text:?} cut at {cut}");
            }
        }
        let mut c = WordCounter::default();
        c.push("end");
        c.space();
        c.push("start");
        assert_eq!(c.finish(), 2);
    }
}
