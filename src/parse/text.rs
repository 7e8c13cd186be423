//! Plain text: paragraphs separated by blank lines, with the light structure
//! plain-text policies use: `#` headings, underlined headings, short heading
//! lines, list items and separator rules. Nothing is unescaped, so every
//! visible byte is a verbatim copy of the source.
//!
//! Lines are scanned one at a time with one line of lookahead, so time is
//! linear and memory does not grow with the number of lines.

use std::ops::Range;

use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

/// Longest line taken for an ALL-CAPS heading.
const MAX_CAPS_HEADING: usize = 80;
/// Longest line, and most words, taken for a mixed-case heading line.
const MAX_TITLE: usize = 60;
const MAX_TITLE_WORDS: usize = 8;

/// A line: its content range (without terminator) and the end of its terminator.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

/// The line starting at `start`; LF, CRLF and lone CR all end a line.
fn line_at(text: &str, start: usize) -> Line {
    let b = text.as_bytes();
    let end = b[start..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |p| start + p);
    let next = match b.get(end) {
        Some(b'\r') if b.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    };
    Line { start, end, next }
}

fn line_after(text: &str, line: Line) -> Option<Line> {
    (line.next < text.len()).then(|| line_at(text, line.next))
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

pub fn parse(text: &str) -> Document {
    let mut b = DocumentBuilder::new(InputFormat::Text);
    // Kind of the open block that a following non-blank line may continue.
    let mut open: Option<BlockKind> = None;
    let mut prev: Option<Line> = None;
    let mut cur = (!text.is_empty()).then(|| line_at(text, 0));
    while let Some(line) = cur {
        let next = line_after(text, line);
        let content = &text[line.start..line.end];
        let next_content = next.map(|n| &text[n.start..n.end]);
        let marker = list_marker(content);
        let mut skip_next = false;
        if is_blank(content) {
            b.end_block();
            open = None;
        } else if let Some((level, range)) = atx_heading(content) {
            heading(&mut b, level, line.start + range.start, &content[range]);
            open = None;
        } else if let Some(level) = next_content
            .and_then(underline)
            .filter(|_| marker.is_none() && !is_rule(content))
        {
            heading(&mut b, level, line.start, content);
            open = None;
            skip_next = true;
        } else if is_rule(content) {
            b.end_block();
            open = None;
        } else if let Some((len, numbered)) = marker {
            let body = &content[len..];
            if numbered && open.is_none() && is_caps_heading(body, next_content) {
                // `1. INFORMATION WE COLLECT` numbers a section.
                heading(&mut b, 2, line.start + len, body);
                open = None;
            } else {
                b.start_block(BlockKind::ListItem);
                b.push_source(line.start + len, body);
                open = Some(BlockKind::ListItem);
            }
        } else if open.is_none()
            && (is_caps_heading(content, next_content) || is_title_line(text, content, prev, next))
        {
            heading(&mut b, 2, line.start, content);
        } else if let (Some(kind), Some(p)) = (open, prev)
            && (kind != BlockKind::ListItem || continues_item(content))
        {
            // The line break before a continuation line separates words.
            b.push_source(p.end, &text[p.end..p.next]);
            b.push_source(line.start, content);
        } else {
            b.start_block(BlockKind::Paragraph);
            b.push_source(line.start, content);
            open = Some(BlockKind::Paragraph);
        }
        prev = Some(line);
        cur = next;
        if skip_next && let Some(n) = next {
            prev = Some(n);
            cur = line_after(text, n);
        }
    }
    b.finish()
}

fn heading(b: &mut DocumentBuilder, level: u8, src: usize, text: &str) {
    b.start_block(BlockKind::Heading(level));
    b.push_source(src, text);
    b.end_block();
}

/// `## Title ##` gives level 2 and the range of `Title`.
fn atx_heading(line: &str) -> Option<(u8, Range<usize>)> {
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
    // A closing run of `#` counts only after a space: `C#` keeps its `#`.
    let unclosed = body.trim_end_matches('#');
    let body = if unclosed.is_empty() || unclosed.ends_with([' ', '\t']) {
        unclosed.trim_end()
    } else {
        body
    };
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

/// A separator line such as `-----`, `* * *` or `=====`: not prose.
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    let Some(c) = t.chars().next().filter(|c| "-=*_~#".contains(*c)) else {
        return false;
    };
    t.chars().all(|x| x == c || x == ' ' || x == '\t') && t.chars().filter(|&x| x == c).count() >= 3
}

/// Length of a list marker with its following space, and whether it is a
/// number or letter rather than a bullet: `- `, `* `, `• `, `1. `, `2) `,
/// `a) `, `(a) `, `(iv) `.
fn list_marker(line: &str) -> Option<(usize, bool)> {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    let spaced = |n: usize| rest[n..].starts_with([' ', '\t']).then_some(n + 1);
    for bullet in ["-", "*", "+", "\u{2022}", "\u{2013}", "\u{25aa}", "\u{25cf}"] {
        if rest.starts_with(bullet) {
            return spaced(bullet.len()).map(|n| (lead + n, false));
        }
    }
    let bytes = rest.as_bytes();
    let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    let label = if let Some(inner) = rest.strip_prefix('(') {
        let n = inner
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .take(4)
            .count();
        let label = &inner[..n];
        let ok = (1..=3).contains(&n) && label.bytes().all(|c| c.is_ascii_digit())
            || n == 1
            || label.bytes().all(|c| matches!(c, b'i' | b'v' | b'x'));
        if n == 0 || !ok || !inner[n..].starts_with(')') {
            return None;
        }
        n + 2
    } else if (1..=3).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) {
        digits + 1
    } else if bytes.len() > 1 && bytes[0].is_ascii_lowercase() && bytes[1] == b')' {
        2
    } else {
        return None;
    };
    spaced(label).map(|n| (lead + n, true))
}

/// A line continues the list item above it when indented, or when it starts
/// in lower case (a wrapped sentence); anything else starts a paragraph.
fn continues_item(line: &str) -> bool {
    line.starts_with([' ', '\t']) || line.chars().next().is_some_and(char::is_lowercase)
}

/// A short ALL-CAPS line that does not end like a sentence, either standing
/// alone or of several words and followed by ordinary text (an ALL-CAPS
/// disclaimer wraps onto more ALL-CAPS lines).
fn is_caps_heading(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    if t.len() > MAX_CAPS_HEADING || t.ends_with(['.', ';', ',', ':']) {
        return false;
    }
    let mut letters = 0;
    for c in t.chars() {
        if c.is_lowercase() {
            return false;
        }
        letters += usize::from(c.is_alphabetic());
    }
    if letters < 2 {
        return false;
    }
    match next.filter(|n| !is_blank(n)) {
        None => true,
        Some(n) => {
            t.contains(char::is_whitespace)
                && !n.trim_start().starts_with(char::is_lowercase)
                && n.chars().any(char::is_lowercase)
        }
    }
}

/// A short capitalised line with a blank line on both sides and more text
/// after it, not ending like a sentence: `Children's Privacy`,
/// `2 How We Use Data`, `What do we collect?`.
fn is_title_line(text: &str, line: &str, prev: Option<Line>, next: Option<Line>) -> bool {
    let t = line.trim();
    if t.len() > MAX_TITLE
        || t.split_whitespace().count() > MAX_TITLE_WORDS
        || t.ends_with(['.', ';', ',', ':', '!'])
        || t.contains('@')
        || t.contains("://")
    {
        return false;
    }
    let numbered = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let words = if numbered.len() < t.len() {
        match numbered.strip_prefix([' ', '\t']) {
            Some(w) => w.trim_start(),
            None => return false,
        }
    } else {
        t
    };
    if !words.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let prev_blank = prev.is_none_or(|p| is_blank(&text[p.start..p.end]));
    let Some(next) = next else {
        return false;
    };
    // Blank line after, then more text (the scan covers only the blank run
    // that the main loop walks next, so it stays linear).
    prev_blank
        && is_blank(&text[next.start..next.end])
        && text[next.next..].contains(|c: char| !c.is_whitespace())
}

#[cfg(test)]
pub(super) mod roundtrip {
    use crate::document::Document;

    /// Every visible character of every block maps back into the source, on
    /// char boundaries and never backwards. A visible non-space maps to the
    /// very same character or to source that one of `decode`'s readings
    /// turns into text holding it (an entity, an escape); a space maps to
    /// nothing (a break), whitespace, or markup that reads as whitespace.
    pub fn assert_chars_map(src: &str, doc: &Document, decode: impl Fn(&str) -> Vec<String>) {
        for block in &doc.blocks {
            let mut last = 0;
            let base = block.range.start;
            for (i, c) in doc.text[block.range.clone()].char_indices() {
                let r = doc.source_range(base + i..base + i + c.len_utf8());
                assert!(r.end <= src.len(), "{c:?} at {i} maps outside: {r:?}");
                assert!(
                    src.is_char_boundary(r.start) && src.is_char_boundary(r.end),
                    "{c:?} at {i} splits a char: {r:?}"
                );
                assert!(r.start >= last, "{c:?} at {i} maps backwards: {r:?}");
                last = r.start;
                let s = &src[r.clone()];
                if c == ' ' {
                    let reads_as_space = s.is_empty()
                        || s.trim_matches(|x: char| x.is_whitespace() || x == '>').is_empty()
                        || decode(s).iter().any(|d| d.chars().all(char::is_whitespace));
                    assert!(reads_as_space, "space at {i} maps to {s:?}");
                } else {
                    let mut buf = [0; 4];
                    assert!(
                        s == c.encode_utf8(&mut buf) || decode(s).iter().any(|d| d.contains(c)),
                        "{c:?} at {i} maps to {s:?} ({r:?})"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{assert_words_map, blocks, source_of};
    use proptest::prelude::*;
    use roundtrip::assert_chars_map;

    fn check(src: &str) -> Document {
        let doc = parse(src);
        assert_chars_map(src, &doc, |s| vec![s.to_owned()]);
        assert_words_map(src, &doc, true);
        doc
    }

    #[test]
    fn paragraphs_headings_and_lists() {
        let src = "PRIVACY POLICY\n\n# Children's Privacy #\n\nWe do not\nknowingly collect data.\n\n- one item\n  continues\n2) two\n(b) three\n\nData\n----\nKept.\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(2), "PRIVACY POLICY"),
                (BlockKind::Heading(1), "Children's Privacy"),
                (BlockKind::Paragraph, "We do not knowingly collect data."),
                (BlockKind::ListItem, "one item continues"),
                (BlockKind::ListItem, "two"),
                (BlockKind::ListItem, "three"),
                (BlockKind::Heading(2), "Data"),
                (BlockKind::Paragraph, "Kept."),
            ]
        );
        assert_eq!(
            source_of(src, &doc, "one item continues"),
            "one item\n  continues"
        );
        assert_eq!(
            doc.heading_path(2),
            vec!["Children's Privacy"],
            "a level-1 heading closes the level-2 one"
        );
    }

    #[test]
    fn atx_headings() {
        let doc = check("## C# Basics\n###No\n#\n#######\n   ### Three ###   \n");
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(2), "C# Basics"),
                (BlockKind::Paragraph, "###No"),
                (BlockKind::Heading(3), "Three"),
            ]
        );
    }

    #[test]
    fn setext_headings_and_rules() {
        let src = "Intro text\nTitle\n=====\nBody.\n\n-----\n\n* * *\nAfter.\n- item\n---\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "Intro text"),
                (BlockKind::Heading(1), "Title"),
                (BlockKind::Paragraph, "Body."),
                (BlockKind::Paragraph, "After."),
                (BlockKind::ListItem, "item"),
            ]
        );
    }

    #[test]
    fn list_items_and_their_continuations() {
        let src = "We collect:\n- your name and\nemail address\n- your phone\nWe use them to reply.\n\n1. First\n   more\n10) Tenth\n(iv) Fourth\ne.g. not a list\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "We collect:"),
                (BlockKind::ListItem, "your name and email address"),
                (BlockKind::ListItem, "your phone"),
                (BlockKind::Paragraph, "We use them to reply."),
                (BlockKind::ListItem, "First more"),
                (BlockKind::ListItem, "Tenth"),
                (BlockKind::ListItem, "Fourth e.g. not a list"),
            ]
        );
    }

    #[test]
    fn heading_lines() {
        let src = "Children's Privacy\n\nWe do not knowingly collect data.\n\nINFORMATION WE COLLECT\nWe collect your email.\n\n1. HOW WE USE IT\nTo reply.\n\nTHE SERVICE IS PROVIDED AS IS AND WE\nDISCLAIM ALL WARRANTIES.\n\nWhat do we share?\n\nNothing.\n\nContact privacy@example.com\n\nLast line without period";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(2), "Children's Privacy"),
                (BlockKind::Paragraph, "We do not knowingly collect data."),
                (BlockKind::Heading(2), "INFORMATION WE COLLECT"),
                (BlockKind::Paragraph, "We collect your email."),
                (BlockKind::Heading(2), "HOW WE USE IT"),
                (BlockKind::Paragraph, "To reply."),
                (
                    BlockKind::Paragraph,
                    "THE SERVICE IS PROVIDED AS IS AND WE DISCLAIM ALL WARRANTIES."
                ),
                (BlockKind::Heading(2), "What do we share?"),
                (BlockKind::Paragraph, "Nothing."),
                (BlockKind::Paragraph, "Contact privacy@example.com"),
                (BlockKind::Paragraph, "Last line without period"),
            ]
        );
        assert_eq!(doc.heading_path(3), vec!["INFORMATION WE COLLECT"]);
    }

    #[test]
    fn sentences_that_are_not_headings() {
        let doc = check(
            "Intro line.\n\nUSA\nmore text\n\nWe may share data with:\n\nthe following partners\n\nFinal.",
        );
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "Intro line."),
                (BlockKind::Paragraph, "USA more text"),
                (BlockKind::Paragraph, "We may share data with:"),
                (BlockKind::Paragraph, "the following partners"),
                (BlockKind::Paragraph, "Final."),
            ]
        );
    }

    #[test]
    fn crlf_and_lone_cr() {
        let src =
            "# Title\r\n\r\nLine one\r\nline two\rline three\r\n\r- item\r\n  more\r\rHeading\r\n---\r\nText";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(1), "Title"),
                (BlockKind::Paragraph, "Line one line two line three"),
                (BlockKind::ListItem, "item more"),
                (BlockKind::Heading(2), "Heading"),
                (BlockKind::Paragraph, "Text"),
            ]
        );
        assert_eq!(source_of(src, &doc, "one line two"), "one\r\nline two");
    }

    #[test]
    fn multibyte_text_is_never_split() {
        let src = "Café ‘policy’ 中文 naïve.\n• élan vital\n";
        let doc = check(src);
        assert_eq!(doc.text, "Café ‘policy’ 中文 naïve.\n\nélan vital");
        assert_eq!(source_of(src, &doc, "中文"), "中文");
    }

    #[test]
    fn a_long_single_line_is_one_paragraph() {
        let src = "word ".repeat(1_000_000);
        let doc = parse(&src);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.text.len(), src.len() - 1);
        let doc = parse(&"\n".repeat(1_000_000));
        assert!(doc.blocks.is_empty());
        let doc = parse(&"A\n\n".repeat(200_000));
        assert_eq!(doc.blocks.len(), 200_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_input_maps_exactly(src in "(\\PC|[-#*=(). \t]|[0-9a-zA-Z]{1,6}|\r\n?|\n){0,80}") {
            check(&src);
        }
    }
}
