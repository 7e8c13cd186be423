//! Plain text: paragraphs separated by blank lines, with the light structure
//! plain-text policies use: `#` headings, underlined headings, short ALL-CAPS
//! heading lines, and list items. Nothing is unescaped, so every visible
//! byte is a verbatim copy of the source.

use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

/// Longest line taken for an ALL-CAPS heading.
const MAX_CAPS_HEADING: usize = 80;

/// A line: its content range (without terminator) and the end of its terminator.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(Line {
                    start,
                    end: i,
                    next: i + 1,
                });
                start = i + 1;
            }
            b'\r' => {
                let next = if b.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push(Line { start, end: i, next });
                start = next;
                i = next - 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(Line {
            start,
            end: b.len(),
            next: b.len(),
        });
    }
    out
}

pub fn parse(text: &str) -> Document {
    let mut b = DocumentBuilder::new(InputFormat::Text);
    let lines = lines(text);
    let blank = |l: &Line| text[l.start..l.end].trim().is_empty();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let content = &text[line.start..line.end];
        if blank(&line) {
            b.end_block();
            i += 1;
            continue;
        }
        let starts_block = !b.in_block();
        if let Some((level, range)) = atx_heading(content) {
            b.start_block(BlockKind::Heading(level));
            b.push_source(line.start + range.start, &content[range]);
            b.end_block();
        } else if starts_block
            && lines
                .get(i + 1)
                .and_then(|n| underline(&text[n.start..n.end]))
                .is_some()
        {
            let level = underline(&text[lines[i + 1].start..lines[i + 1].end]).unwrap_or(2);
            b.start_block(BlockKind::Heading(level));
            b.push_source(line.start, content);
            b.end_block();
            i += 1; // the underline
        } else if let Some(marker_len) = list_marker(content) {
            b.start_block(BlockKind::ListItem);
            b.push_source(line.start + marker_len, &content[marker_len..]);
        } else if starts_block && is_caps_heading(content) && lines.get(i + 1).is_none_or(&blank) {
            b.start_block(BlockKind::Heading(2));
            b.push_source(line.start, content);
            b.end_block();
        } else {
            if starts_block {
                b.start_block(BlockKind::Paragraph);
            } else {
                // The line break before a continuation line separates words.
                let prev = lines[i - 1];
                b.push_source(prev.end, &text[prev.end..prev.next]);
            }
            b.push_source(line.start, content);
        }
        i += 1;
    }
    b.finish()
}

/// `## Title ##` gives level 2 and the range of `Title`.
fn atx_heading(line: &str) -> Option<(u8, std::ops::Range<usize>)> {
    let lead = line.len() - line.trim_start_matches(' ').len();
    if lead > 3 {
        return None;
    }
    let rest = &line[lead..];
    let hashes = rest.bytes().take_while(|&c| c == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &rest[hashes..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let body_start = lead + hashes + (after.len() - after.trim_start().len());
    let body = line[body_start..].trim_end();
    let body = body.trim_end_matches('#').trim_end();
    Some((hashes as u8, body_start..body_start + body.len()))
}

/// `===` under a line makes it a level-1 heading, `---` a level-2 one.
fn underline(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.len() >= 3 && t.bytes().all(|c| c == b'=') {
        Some(1)
    } else if t.len() >= 3 && t.bytes().all(|c| c == b'-') {
        Some(2)
    } else {
        None
    }
}

/// Length of a list marker with its following space: `- `, `* `, `• `,
/// `1. `, `2) `, `a) `.
fn list_marker(line: &str) -> Option<usize> {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    for bullet in ["- ", "* ", "+ ", "\u{2022} ", "\u{2013} "] {
        if rest.starts_with(bullet) {
            return Some(lead + bullet.len());
        }
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let label = if (1..=3).contains(&digits) {
        digits
    } else if rest.len() > 1 && rest.as_bytes()[0].is_ascii_lowercase() && matches!(rest.as_bytes()[1], b')')
    {
        1
    } else {
        return None;
    };
    let after = &rest.as_bytes()[label..];
    if after.len() >= 2 && matches!(after[0], b'.' | b')') && after[1] == b' ' {
        Some(lead + label + 2)
    } else {
        None
    }
}

fn is_caps_heading(line: &str) -> bool {
    let t = line.trim();
    t.len() <= MAX_CAPS_HEADING
        && t.chars().any(char::is_alphabetic)
        && !t.chars().any(char::is_lowercase)
        && !t.ends_with(['.', ';', ','])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{assert_words_map, blocks};

    #[test]
    fn paragraphs_headings_and_lists() {
        let src = "PRIVACY POLICY\n\n# Children's Privacy #\n\nWe do not\nknowingly collect data.\n\n- one item\n  continues\n2) two\n\nData\n----\nKept.\n";
        let doc = parse(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(2), "PRIVACY POLICY"),
                (BlockKind::Heading(1), "Children's Privacy"),
                (BlockKind::Paragraph, "We do not knowingly collect data."),
                (BlockKind::ListItem, "one item continues"),
                (BlockKind::ListItem, "two"),
                (BlockKind::Heading(2), "Data"),
                (BlockKind::Paragraph, "Kept."),
            ]
        );
        assert_words_map(src, &doc, true);
        assert_eq!(
            doc.heading_path(2),
            vec!["Children's Privacy"],
            "a level-1 heading closes the level-2 one"
        );
    }

    #[test]
    fn crlf_and_lone_cr() {
        let src = "# Title\r\n\r\nLine one\r\nline two\rline three\r\n";
        let doc = parse(src);
        assert_eq!(
            blocks(&doc)[1],
            (BlockKind::Paragraph, "Line one line two line three")
        );
        assert_words_map(src, &doc, true);
    }

    #[test]
    fn multibyte_text_is_never_split() {
        let src = "Café ‘policy’ 中文 naïve.\n";
        let doc = parse(src);
        assert_eq!(doc.text, "Café ‘policy’ 中文 naïve.");
        assert_words_map(src, &doc, true);
    }

    #[test]
    fn a_long_single_line_is_one_paragraph() {
        let src = "word ".repeat(200_000);
        let doc = parse(&src);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.text.len(), src.len() - 1);
    }

    #[test]
    fn sentences_that_are_not_headings() {
        let doc = parse("Intro line.\n\nUSA\nmore text\n");
        assert_eq!(blocks(&doc)[1], (BlockKind::Paragraph, "USA more text"));
    }
}
