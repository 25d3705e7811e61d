//! Places in a source file: [`Pos`] (line, column, length) and finding
//! them from byte offsets ([`LineIndex`] for many, [`pos_in`] for one).

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
