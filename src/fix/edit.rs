//! Replacements of byte ranges, computed on a file's text with newlines
//! normalised (what the readers see) and applied to the file as it is on
//! disk, so a byte-order mark and CRLF line endings survive a fix.

use std::ops::Range;

/// One replacement: `range` of the normalised text becomes `text`.
/// Neither the range nor the new text spans a line break, which is what
/// lets the range be carried over to the bytes on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Byte range in the normalised text.
    pub(crate) range: Range<usize>,
    /// What replaces it.
    pub(crate) text: String,
}

impl Edit {
    /// An edit of `range` to `text`.
    pub(crate) fn new(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
}

/// `text` with `edits` applied. Edits are applied in order of their
/// ranges; one that overlaps an earlier one is dropped (callers never
/// make such pairs; dropping keeps the result well-formed regardless).
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in sorted {
        let fits = edit.range.start >= at
            && edit.range.end <= text.len()
            && text.is_char_boundary(edit.range.start)
            && text.is_char_boundary(edit.range.end);
        if !fits {
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Where the normalised text's bytes are in the file on disk: after a
/// byte-order mark, and shifted by the carriage returns that
/// normalisation dropped.
#[derive(Debug, Clone)]
pub(crate) struct RawMap {
    bom: usize,
    /// Normalised offsets of the newlines that were `\r\n` on disk.
    crlf: Vec<usize>,
    /// The file has a lone `\r` (an old Mac line end), which has no
    /// byte-for-byte counterpart in the normalised text.
    lone_cr: bool,
}

impl RawMap {
    /// The map for the file text `raw`.
    pub(crate) fn new(raw: &str) -> RawMap {
        let bom = if raw.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let bytes = &raw.as_bytes()[bom..];
        let mut crlf = Vec::new();
        let mut lone_cr = false;
        for (removed, i) in memchr::memchr_iter(b'\r', bytes).enumerate() {
            if bytes.get(i + 1) == Some(&b'\n') {
                crlf.push(i - removed);
            } else {
                lone_cr = true;
            }
        }
        RawMap { bom, crlf, lone_cr }
    }

    /// The offset on disk of normalised offset `at`.
    fn raw(&self, at: usize) -> usize {
        at + self.bom + self.crlf.partition_point(|&n| n < at)
    }

    /// `edits` moved to the bytes on disk; `None` when the file's line
    /// ends cannot be mapped back exactly.
    pub(crate) fn carry(&self, edits: &[Edit]) -> Option<Vec<Edit>> {
        if self.lone_cr {
            return None;
        }
        Some(
            edits
                .iter()
                .map(|e| {
                    Edit::new(
                        self.raw(e.range.start)..self.raw(e.range.end),
                        e.text.clone(),
                    )
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize_newlines;

    #[test]
    fn edits_apply_in_order_and_overlaps_are_dropped() {
        let edits = [
            Edit::new(6..8, "XY"),
            Edit::new(0..1, "a"),
            Edit::new(7..9, "no"),
        ];
        assert_eq!(apply("012345678", &edits), "a12345XY8");
    }

    #[test]
    fn edits_carry_over_a_bom_and_crlf() {
        let raw = "\u{feff}---\r\nb: 1\r\n---\r\nTimeline\r\ntext\r\n";
        let text = normalize_newlines(raw.to_string());
        let at = text.find("Timeline").unwrap();
        let edits = [Edit::new(at..at + 8, "## Timeline")];
        let fixed = apply(&text, &edits);
        let moved = RawMap::new(raw).carry(&edits).unwrap();
        let raw_fixed = apply(raw, &moved);
        assert_eq!(
            raw_fixed,
            "\u{feff}---\r\nb: 1\r\n---\r\n## Timeline\r\ntext\r\n"
        );
        assert_eq!(normalize_newlines(raw_fixed), fixed);
    }

    #[test]
    fn lone_carriage_returns_are_not_mapped() {
        assert!(RawMap::new("a\rb").carry(&[]).is_none());
        assert!(RawMap::new("a\r\nb\n").carry(&[]).is_some());
    }
}
