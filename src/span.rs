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

/// Line starts of a text, for turning byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        // `\r\n` and lone `\n` end a line; a lone `\r` (old Mac files) too.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// 1-based (line, column) of a byte offset in `text`; the column counts chars.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        (line + 1, column)
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
    fn lone_carriage_return_ends_a_line() {
        let text = "one\rtwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 4), (2, 1));
    }
}
