//! Byte spans and line/column lookup.
//!
//! Two coordinate systems meet here. The *text* of a file is what the decoder
//! produced (always UTF-8); the *bytes* are the original file. For UTF-8 files
//! without a BOM they coincide. Every span a user sees carries both, so JSON
//! can report offsets into the original file while renderers slice the text.

use std::ops::Range;

/// A located piece of a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte range in the original file.
    pub bytes: Range<usize>,
    /// Byte range in the decoded text (always on `char` boundaries).
    pub text: Range<usize>,
    /// 1-based line of `text.start`.
    pub line: usize,
    /// 1-based column of `text.start`, counted in Unicode scalar values.
    pub column: usize,
    /// 1-based line of `text.end`.
    pub end_line: usize,
    /// 1-based column of `text.end` (exclusive), counted in Unicode scalar values.
    pub end_column: usize,
}

/// Within a line, a column checkpoint is recorded every this many bytes, so
/// that a column is counted from at most this far back: a 5 MB policy on
/// one line would otherwise cost a scan of the line per span (quadratic).
const MARK_EVERY: usize = 4096;

/// Line starts of a text, for turning byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Checkpoints inside long lines, sorted: `(byte offset, chars, UTF-16
    /// units)`, the counts from the start of the offset's line.
    marks: Vec<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut marks = Vec::new();
        // `\r\n` and lone `\n` end a line; a lone `\r` (old Mac files) too.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            mark_long_line(bytes, *starts.last().unwrap_or(&0), i, &mut marks);
            starts.push(i + 1);
        }
        mark_long_line(bytes, *starts.last().unwrap_or(&0), bytes.len(), &mut marks);
        LineIndex { starts, marks }
    }

    /// The 0-based line of `offset`, and the nearest checkpoint at or before
    /// it on that line: `(byte offset, chars, UTF-16 units)` from the line start.
    fn locate(&self, offset: usize) -> (usize, (usize, usize, usize)) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let j = self.marks.partition_point(|m| m.0 <= offset);
        let mark = match j.checked_sub(1).map(|j| self.marks[j]) {
            Some(m) if m.0 >= start => m,
            _ => (start, 0, 0),
        };
        (line, mark)
    }

    /// 1-based (line, column) of a byte offset in `text`; the column counts chars.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, (from, chars, _)) = self.locate(offset);
        (line + 1, chars + text[from..offset].chars().count() + 1)
    }

    /// 1-based (line, column) of a byte offset (on a char boundary) in
    /// `text`, the column counted in UTF-16 code units (as SARIF wants).
    pub fn line_utf16_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, (from, _, units)) = self.locate(offset);
        (line + 1, units + text[from..offset].encode_utf16().count() + 1)
    }

    /// Byte range of the 1-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }
}

/// Checkpoints at least [`MARK_EVERY`] bytes apart on the line
/// `start..end`, each on a char boundary, with the chars and UTF-16 units
/// from the line start. Counting bytes that are not UTF-8 continuations
/// (and the four-byte leads, two units each) is a loop the compiler
/// vectorises, unlike decoding.
fn mark_long_line(bytes: &[u8], start: usize, end: usize, marks: &mut Vec<(usize, usize, usize)>) {
    let (mut at, mut chars, mut units) = (start, 0, 0);
    loop {
        let mut next = at + MARK_EVERY;
        while next < end && (bytes[next] & 0xC0) == 0x80 {
            next += 1;
        }
        if next >= end {
            return;
        }
        let piece = &bytes[at..next];
        let n = piece.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        chars += n;
        units += n + piece.iter().filter(|&&b| b >= 0xF0).count();
        marks.push((next, chars, units));
        at = next;
    }
}

/// The byte offset where 1-based `line` starts, for turning a parser's
/// line and column (YAML, JSON) into an offset; `None` for line 0.
pub fn line_start(source: &str, line: usize) -> Option<usize> {
    Some(
        source
            .split_inclusive('\n')
            .take(line.checked_sub(1)?)
            .map(str::len)
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_handles_crlf() {
        let text = "ab\r\ncé x\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 4), (2, 1));
        // 'x' comes after 'c', 'é' (2 bytes) and a space.
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 4));
        assert_eq!(idx.line_col(text, text.len()), (3, 5));
        assert_eq!(&text[idx.line_range(text, 1)], "ab");
        assert_eq!(&text[idx.line_range(text, 2)], "cé x");
    }

    #[test]
    fn columns_on_a_long_line_match_a_full_count() {
        // Several checkpoints per line, multibyte and astral chars straddling
        // them, and a second long line whose checkpoints must not leak into
        // the first.
        let line = "a é 😀 ".repeat(3 * MARK_EVERY / 5);
        let text = format!("{line}\r\n{line}\rshort");
        let idx = LineIndex::new(&text);
        assert!(idx.marks.len() >= 4, "{} checkpoints", idx.marks.len());
        let second = line.len() + 2;
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)).step_by(97) {
            let start = if offset < second {
                0
            } else if offset <= second + line.len() {
                second
            } else {
                second + line.len() + 1
            };
            let chars = text[start..offset].chars().count() + 1;
            let units = text[start..offset].encode_utf16().count() + 1;
            assert_eq!(idx.line_col(&text, offset).1, chars, "at {offset}");
            assert_eq!(idx.line_utf16_col(&text, offset).1, units, "at {offset}");
        }
    }

    #[test]
    fn lone_carriage_return_ends_a_line() {
        let text = "one\rtwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 4), (2, 1));
    }
}
