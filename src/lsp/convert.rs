//! Between privlint's coordinates and the protocol's: byte offsets in the
//! document text to LSP positions (UTF-8 or UTF-16 code units, as
//! negotiated), and `file:` URIs to paths and back.

use std::path::{Path, PathBuf};

use lsp_types::{Position, PositionEncodingKind, Range, Uri};

use crate::span::LineIndex;

/// How a position's `character` counts: the encoding agreed at initialize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// The protocol's default.
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion), else UTF-16,
    /// which every client must accept.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// Byte offsets of one document's text to LSP positions. Lines end at
/// `\n`, `\r\n` or a lone `\r`, as in the protocol and in [`LineIndex`].
pub struct Positions<'a> {
    text: &'a str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        Positions {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    /// The position of a byte offset; an offset inside a character or past
    /// the end is moved back to the character's start or to the end.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, character) = match self.encoding {
            Encoding::Utf8 => {
                let (line, _) = self.lines.line_col(self.text, offset);
                (line, offset - self.lines.line_range(self.text, line).start)
            }
            Encoding::Utf16 => {
                let (line, col) = self.lines.line_utf16_col(self.text, offset);
                (line, col - 1)
            }
        };
        Position::new(saturate(line - 1), saturate(character))
    }

    pub fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte offset of `pos` in `text`, for a client that sends a ranged
/// change although the server asked for whole texts: a line past the end
/// is the end, a character past its line's end is the line's end.
pub fn offset(text: &str, pos: Position, encoding: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find(['\n', '\r']) {
            Some(i) => {
                let rest = &text[start + i..];
                start += i + if rest.starts_with("\r\n") { 2 } else { 1 };
            }
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find(['\n', '\r']).unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize {
            return start + i;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    start + line.len()
}

/// Whether two ranges share a position (touching counts, so that a cursor
/// at a diagnostic's end still offers its actions).
pub fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The local path of a `file:` URI; `None` for other schemes (`untitled:`)
/// and for files on another host.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let (host, path) = rest.split_at(rest.find('/')?);
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `file:///C:/x` is `C:/x` on Windows.
    let drive =
        decoded.len() >= 3 && decoded.as_bytes()[2] == b':' && decoded.as_bytes()[1].is_ascii_alphabetic();
    if cfg!(windows) && drive {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let path = std::path::absolute(path).ok()?;
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.parse().ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        // "é" is 2 bytes and 1 UTF-16 unit; "😀" 4 bytes and 2 units.
        let text = "first\r\né😀 x\rlast";
        let x = text.find('x').unwrap();
        let utf16 = Positions::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(x), Position::new(1, 4));
        assert_eq!(utf16.position(text.len()), Position::new(2, 4));
        let utf8 = Positions::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(1, 7));
        // Inside "😀": moved back to its start.
        assert_eq!(utf16.position(x - 2), Position::new(1, 1));
    }

    #[test]
    fn offsets_invert_positions() {
        let text = "first\r\né😀 x\rlast\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let positions = Positions::new(text, encoding);
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                // Between `\r` and `\n` is not a position of its own.
                if at == 6 {
                    continue;
                }
                assert_eq!(
                    offset(text, positions.position(at), encoding),
                    at,
                    "{encoding:?} {at}"
                );
            }
        }
        assert_eq!(offset(text, Position::new(9, 0), Encoding::Utf16), text.len());
        assert_eq!(offset(text, Position::new(0, 99), Encoding::Utf16), 5);
    }

    #[test]
    fn encoding_prefers_utf8_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let uri: Uri = "file:///tmp/a%20b/caf%C3%A9.md".parse().unwrap();
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/a b/café.md")));
        let back = path_to_uri(Path::new("/tmp/a b/café.md")).unwrap();
        assert_eq!(back.as_str(), "file:///tmp/a%20b/caf%C3%A9.md");
        assert_eq!(uri_to_path(&"untitled:Untitled-1".parse().unwrap()), None);
        assert_eq!(uri_to_path(&"file://server/share/x.md".parse().unwrap()), None);
        // Not UTF-8 once decoded.
        assert_eq!(uri_to_path(&"file:///x%FF".parse().unwrap()), None);
    }
}
