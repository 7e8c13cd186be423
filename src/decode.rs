//! Stage 1: bytes to text.
//!
//! Policies come from crawlers and word processors, so not every file is
//! UTF-8. We decode what we can, say which encoding we used, and keep a map
//! from every offset of the decoded text back to the original bytes so that
//! spans in JSON and SARIF still point into the file on disk.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes are inspected to decide whether a file is binary.
const SNIFF_LEN: usize = 8192;

/// A decoded file.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Name of the encoding the text was decoded from, e.g. `UTF-8`.
    pub encoding: &'static str,
    /// Set when the user should be told how the file was read.
    pub notice: Option<String>,
    map: OffsetMap,
}

/// Why a file was not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Looks like binary data: NUL bytes outside a UTF-16 file.
    Binary,
    /// Starts with the signature of a known binary format, named here
    /// (`a PDF document`); caught even when its head has no NUL byte.
    Format(&'static str),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary => f.write_str("binary data, not a text policy"),
            DecodeError::Format(what) => write!(f, "{what}, not a text policy"),
        }
    }
}

/// Signatures of binary formats a policy is likely to be confused with
/// (an exported PDF, a Word file, a screenshot, a compressed download).
/// Most contain NUL bytes early anyway; a PDF's head often does not, and a
/// short or truncated file may not. None of them starts like a byte order
/// mark or like text.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (
        b"PK\x03\x04",
        "a ZIP archive (.docx, .odt and .epub files are ZIP archives)",
    ),
    (b"PK\x05\x06", "a ZIP archive (empty)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1F\x8B", "gzip-compressed data"),
    (b"\xFD7zXZ\x00", "xz-compressed data"),
    (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an OLE2 compound file (.doc, .xls from old Microsoft Office)",
    ),
    (b"\x7FELF", "an ELF executable"),
];

/// Decoded-text offsets to original byte offsets.
#[derive(Debug)]
enum OffsetMap {
    /// Original = decoded + n (UTF-8, with `n` = 3 after a BOM).
    Shift(usize),
    /// Sorted checkpoints `(decoded, original)`; between two checkpoints the
    /// bytes correspond one to one. A checkpoint is recorded at every char
    /// whose encoded length differs between the two sides.
    Checkpoints(Vec<(usize, usize)>),
}

impl Decoded {
    /// Original byte offset of a decoded-text offset (on a char boundary).
    pub fn original_offset(&self, text_offset: usize) -> usize {
        match &self.map {
            OffsetMap::Shift(n) => text_offset + n,
            OffsetMap::Checkpoints(points) => {
                let i = points.partition_point(|&(d, _)| d <= text_offset);
                if i == 0 {
                    text_offset
                } else {
                    let (d, o) = points[i - 1];
                    o + (text_offset - d)
                }
            }
        }
    }
}

impl Decoded {
    /// Text that is not the file's bytes but made from them (a .docx's
    /// paragraphs): offsets into it are its own.
    pub fn synthetic(text: String) -> Self {
        Decoded {
            text,
            encoding: "UTF-8",
            notice: None,
            map: OffsetMap::Shift(0),
        }
    }
}

/// Decodes a file's bytes. UTF-8 (with or without BOM) and UTF-16 with a BOM
/// are recognised, and UTF-16 without one when its NUL bytes say so; any
/// other bytes that are not valid UTF-8 are read as Windows-1252, the usual
/// encoding of mislabelled "Latin-1" web pages, which maps every byte to a
/// character and so never fails. Known binary formats and other data with
/// NUL bytes are refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((_, what)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(DecodeError::Format(what));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            return Ok(decode_utf16(bytes, enc, bom_len));
        }
        // UTF-8 BOM.
        if let Ok(text) = std::str::from_utf8(&bytes[bom_len..]) {
            return Ok(Decoded {
                text: text.to_owned(),
                encoding: "UTF-8",
                notice: None,
                map: OffsetMap::Shift(bom_len),
            });
        }
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return match bomless_utf16(head) {
            Some(enc) => {
                let mut d = decode_utf16(bytes, enc, 0);
                d.notice = Some(format!(
                    "decoded as {} (no byte order mark; told by where the NUL bytes are)",
                    enc.name()
                ));
                Ok(d)
            }
            None => Err(DecodeError::Binary),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            notice: None,
            map: OffsetMap::Shift(0),
        }),
        Err(err) => Ok(decode_single_byte(bytes, err.valid_up_to())),
    }
}

fn decode_single_byte(bytes: &[u8], valid_up_to: usize) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut points = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 {
            text.push(b as char);
            continue;
        }
        points.push((text.len(), i));
        let (cow, _) = WINDOWS_1252.decode_without_bom_handling(&bytes[i..i + 1]);
        text.push_str(&cow);
        points.push((text.len(), i + 1));
    }
    let (line, _) = line_of(bytes, valid_up_to);
    Decoded {
        text,
        encoding: "windows-1252",
        notice: Some(format!(
            "not valid UTF-8 (first invalid byte at line {line}, byte offset {valid_up_to}); read as Windows-1252"
        )),
        map: OffsetMap::Checkpoints(points),
    }
}

fn decode_utf16(bytes: &[u8], enc: &'static Encoding, bom_len: usize) -> Decoded {
    let body = &bytes[bom_len..];
    let mut text = String::with_capacity(body.len());
    let mut points = Vec::new();
    let units = body.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if enc == UTF_16LE {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut orig = bom_len;
    for ch in char::decode_utf16(units) {
        let ch = ch.unwrap_or(char::REPLACEMENT_CHARACTER);
        points.push((text.len(), orig));
        text.push(ch);
        orig += if (ch as u32) > 0xFFFF { 4 } else { 2 };
    }
    // A trailing odd byte is half a code unit: a replacement character,
    // as any UTF-16 decoder reads it, not a character padded with zero.
    if body.len() % 2 == 1 {
        points.push((text.len(), orig));
        text.push(char::REPLACEMENT_CHARACTER);
        orig += 1;
    }
    points.push((text.len(), orig));
    Decoded {
        text,
        encoding: enc.name(),
        notice: Some(format!("decoded as {} (byte order mark)", enc.name())),
        map: OffsetMap::Checkpoints(points),
    }
}

/// The byte order of a UTF-16 file without a BOM, if `head` is one: every
/// unit decodes, none is NUL or a control character other than tab, line
/// breaks and form feed, and at least half are ASCII (whose zero high
/// bytes are the NUL bytes that brought us here). Binary data with NUL
/// bytes fails the control-character test almost at once.
fn bomless_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let len = head.len() & !1;
    if len < 8 {
        return None;
    }
    [UTF_16LE, UTF_16BE].into_iter().find(|&enc| {
        let units = head[..len].chunks_exact(2).map(|c| {
            if enc == UTF_16LE {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let decoded: Vec<_> = char::decode_utf16(units).collect();
        let n = decoded.len();
        let mut ascii = 0;
        for (i, ch) in decoded.into_iter().enumerate() {
            match ch {
                // The head may end inside a surrogate pair.
                Err(_) if i + 1 == n => {}
                Err(_) => return false,
                Ok(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C') => return false,
                Ok(c) => ascii += usize::from(c.is_ascii()),
            }
        }
        ascii * 2 >= n
    })
}

fn line_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    (line, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_identity() {
        let d = decode("héllo".as_bytes()).unwrap();
        assert_eq!(d.text, "héllo");
        assert_eq!(d.original_offset(3), 3);
        assert!(d.notice.is_none());
    }

    #[test]
    fn utf8_bom_shifts_offsets() {
        let d = decode(b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!(d.text, "abc");
        assert_eq!(d.original_offset(1), 4);
    }

    #[test]
    fn windows_1252_maps_back_to_original_bytes() {
        // "caf\xE9 \x93sell\x94" : é and curly quotes are one byte each.
        let bytes = b"caf\xE9 \x93sell\x94 x";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "café \u{201C}sell\u{201D} x");
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.notice.as_deref().unwrap().contains("Windows-1252"));
        let s = d.text.find("sell").unwrap();
        assert_eq!(d.original_offset(s), 6);
        assert_eq!(&bytes[d.original_offset(s)..d.original_offset(s + 4)], b"sell");
        let x = d.text.find('x').unwrap();
        assert_eq!(d.original_offset(x), bytes.len() - 1);
        assert_eq!(d.original_offset(d.text.len()), bytes.len());
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "we sell".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "we sell");
        let s = d.text.find("sell").unwrap();
        assert_eq!(d.original_offset(s), 2 + 3 * 2);
        assert_eq!(d.original_offset(d.text.len()), bytes.len());
    }

    #[test]
    fn utf16_odd_trailing_byte_is_a_replacement_character() {
        // Found by tests/properties.rs: the half code unit `x` read as "x".
        let d = decode(&[0xFF, 0xFE, b'a', 0, b'x']).unwrap();
        assert_eq!(d.text, "a\u{FFFD}");
        assert_eq!(d.original_offset(1), 4);
        assert_eq!(d.original_offset(d.text.len()), 5);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"\x01\x02\x00\x00binary").unwrap_err(),
            DecodeError::Binary
        );
        // NUL bytes in the pattern of UTF-16, but with control characters.
        assert_eq!(
            decode(b"a\x00\x01\x00b\x00c\x00d\x00").unwrap_err(),
            DecodeError::Binary
        );
    }

    #[test]
    fn known_formats_are_refused_by_signature_even_without_nul_bytes() {
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\nWe sell data.\n";
        assert!(!pdf.contains(&0));
        assert_eq!(decode(pdf).unwrap_err(), DecodeError::Format("a PDF document"));
        let err = decode(b"PK\x03\x04\x14\x00\x06\x00word/document.xml").unwrap_err();
        assert!(err.to_string().starts_with("a ZIP archive"), "{err}");
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\nIHDR").unwrap_err().to_string(),
            "a PNG image, not a text policy"
        );
        assert_eq!(
            decode(b"\x1F\x8B\x08").unwrap_err(),
            DecodeError::Format("gzip-compressed data")
        );
        // Text that merely mentions a format is text.
        assert!(decode(b"Our %PDF- export; PK files").is_ok());
    }

    #[test]
    fn utf16_without_bom_is_told_by_its_nul_bytes() {
        for (enc, bytes) in [
            (
                UTF_16LE,
                "We sell data. Café 😀\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<_>>(),
            ),
            (
                UTF_16BE,
                "We sell data. Café 😀\n"
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect(),
            ),
        ] {
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, "We sell data. Café 😀\n");
            assert_eq!(d.encoding, enc.name());
            assert!(d.notice.as_deref().unwrap().contains("no byte order mark"));
            let s = d.text.find("sell").unwrap();
            assert_eq!(d.original_offset(s), 3 * 2);
            assert_eq!(d.original_offset(d.text.len()), bytes.len());
        }
    }
}
