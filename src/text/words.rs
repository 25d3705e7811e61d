//! Counting the words of prose, also across pieces of text
//! ([`WordCounter`]), with a byte-class table for scanning a byte at a time.

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
}
