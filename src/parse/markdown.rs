//! Markdown: pulldown-cmark's event stream with source ranges.
//!
//! Each text event is aligned with its source range: copied runs map
//! verbatim, a backslash escape maps to the escaped character, an entity to
//! its own bytes, and anything that cannot be aligned maps to the rest of
//! the range as a whole. Raw HTML blocks go through the HTML parser at their
//! own offsets.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html::{HtmlFeeder, push_coarse, record_comment};
use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

pub fn parse(text: &str) -> Document {
    let mut b = DocumentBuilder::new(InputFormat::Markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut html = HtmlFeeder::default();
    // Depth inside content that is not prose: code blocks, front matter,
    // image alt text.
    let mut hidden = 0usize;
    // Raw HTML of the current HTML block, fed as one piece so tags that span
    // lines are tokenized whole.
    let mut html_block: Option<Range<usize>> = None;
    // Open list items: paragraphs and loose text inside one are list items.
    let mut item_depth = 0usize;
    let mut in_table_head = false;
    let kind = |item_depth: usize| {
        if item_depth > 0 {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        }
    };

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::Image { .. } => hidden += 1,
                Tag::MetadataBlock(_) => {
                    b.end_block();
                    // Front matter is skipped; pulldown-cmark also takes a
                    // `---` block further down for metadata, but there it is
                    // more likely prose between rules, so it stays visible.
                    if text[..range.start].trim().is_empty() {
                        hidden += 1;
                    } else {
                        b.start_block(BlockKind::Paragraph);
                    }
                }
                Tag::HtmlBlock => {
                    b.end_block();
                    html_block = Some(range.start..range.start);
                }
                Tag::Heading { level, .. } => b.start_block(BlockKind::Heading(heading_level(level))),
                Tag::Item => {
                    b.start_block(BlockKind::ListItem);
                    item_depth += 1;
                }
                Tag::Paragraph => b.start_block(kind(item_depth)),
                Tag::TableCell => b.start_block(if in_table_head {
                    BlockKind::TableHeader
                } else {
                    BlockKind::TableCell
                }),
                Tag::TableHead => {
                    in_table_head = true;
                    b.end_block();
                }
                Tag::Table(_) => {
                    b.end_block();
                    b.set_in_table(true);
                }
                Tag::BlockQuote(_) | Tag::List(_) | Tag::TableRow | Tag::FootnoteDefinition(_) => {
                    b.end_block()
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::CodeBlock | TagEnd::Image => hidden = hidden.saturating_sub(1),
                TagEnd::MetadataBlock(_) => {
                    if text[..range.start].trim().is_empty() {
                        hidden = hidden.saturating_sub(1);
                    }
                    b.end_block();
                }
                TagEnd::HtmlBlock => {
                    if let Some(r) = html_block.take() {
                        html.feed(&mut b, &text[r.clone()], r.start, kind(item_depth));
                        b.end_block();
                    }
                }
                TagEnd::Item => {
                    b.end_block();
                    item_depth = item_depth.saturating_sub(1);
                }
                TagEnd::TableHead => {
                    in_table_head = false;
                    b.end_block();
                }
                TagEnd::Table => {
                    b.end_block();
                    b.set_in_table(false);
                }
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::TableRow
                | TagEnd::FootnoteDefinition => b.end_block(),
                _ => {}
            },
            _ if hidden > 0 => {}
            Event::Html(_) => {
                if let Some(r) = &mut html_block {
                    r.end = range.end;
                }
            }
            Event::Text(t) => {
                open(&mut b, kind(item_depth));
                push_aligned(&mut b, text, range, &t);
            }
            Event::Code(t) => {
                open(&mut b, kind(item_depth));
                // The content sits between the runs of backticks.
                let raw = &text[range.clone()];
                let ticks = raw.bytes().take_while(|&c| c == b'`').count();
                let end = range.end - raw.bytes().rev().take_while(|&c| c == b'`').count();
                let inner = (range.start + ticks).min(end)..end;
                push_aligned(&mut b, text, inner, &t);
            }
            Event::SoftBreak | Event::HardBreak => {
                let raw = &text[range.clone()];
                if raw.chars().all(char::is_whitespace) {
                    b.push_source(range.start, raw);
                } else {
                    // `\` + newline: the backslash is markup.
                    b.soft_break(range.start);
                }
            }
            Event::InlineHtml(tag) if breaks_words(&tag) => b.soft_break(range.start),
            // Code spans and blocks arrive as text, so a comment shown as an
            // example there never gets here.
            Event::InlineHtml(tag) if tag.starts_with("<!--") => record_comment(&mut b, text, range, 0),
            // Other inline HTML tags are markup; the text between them
            // arrives as Text events. Footnote references and rules are not
            // prose.
            _ => {}
        }
    }
    b.finish()
}

/// Text outside any block (a tight list item's text after a nested block)
/// opens one of the kind its container gives.
fn open(b: &mut DocumentBuilder, kind: BlockKind) {
    if !b.in_block() {
        b.start_block(kind);
    }
}

/// Inline tags that render as a break between words, such as `<br>`.
fn breaks_words(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        name.as_str(),
        "br" | "p"
            | "div"
            | "li"
            | "hr"
            | "img"
            | "td"
            | "th"
            | "tr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Pushes `text`, which pulldown-cmark produced from `src[range]`, walking
/// both in parallel.
fn push_aligned(b: &mut DocumentBuilder, src: &str, range: Range<usize>, text: &str) {
    let raw = &src[range.clone()];
    if raw == text {
        b.push_source(range.start, text);
        return;
    }
    let base = range.start;
    // `raw[run..i]` equals the text just before `j` and is not yet pushed.
    let (mut i, mut j, mut run) = (0, 0, 0);
    let flush = |b: &mut DocumentBuilder, run: usize, i: usize| {
        if run < i {
            b.push_source(base + run, &raw[run..i]);
        }
    };
    while let (Some(rc), Some(tc)) = (raw[i..].chars().next(), text[j..].chars().next()) {
        if rc == '&'
            && let Some((len, decoded)) = entity(&raw[i..])
            && text[j..].starts_with(decoded.as_str())
            && !text[j..].starts_with(&raw[i..i + len])
        {
            flush(b, run, i);
            b.push_replacement(&decoded, base + i..base + i + len);
            i += len;
            j += decoded.len();
            run = i;
        } else if rc == tc {
            i += rc.len_utf8();
            j += tc.len_utf8();
        } else if rc == '\\' && tc.is_ascii_punctuation() && raw[i + 1..].starts_with(tc) {
            // `\.` reads as `.`; the backslash maps to nothing.
            flush(b, run, i);
            i += 1;
            run = i;
        } else if matches!(rc, '\r' | '\n') && tc.is_whitespace() {
            // A line break inside a code span reads as spaces, and so does
            // the indentation after it; `>` markers there are not content.
            // The whole run maps to the whole run: it collapses anyway.
            flush(b, run, i);
            let spaces = text[j..].len() - text[j..].trim_start().len();
            let after = text[j + spaces..].chars().next();
            let mut k = i;
            while let Some(c) = raw[k..].chars().next() {
                if matches!(c, '\r' | '\n' | ' ' | '\t') || (c == '>' && after != Some('>')) {
                    k += 1;
                } else {
                    break;
                }
            }
            b.push_replacement(" ", base + i..base + k);
            i = k;
            j += spaces;
            run = i;
        } else if rc.is_whitespace() && !tc.is_whitespace() {
            // Stripped padding (a code span's inner spaces).
            flush(b, run, i);
            i += rc.len_utf8();
            run = i;
        } else {
            break;
        }
    }
    flush(b, run, i);
    if j < text.len() {
        // Cannot align: the rest of the text stands for the rest of the range.
        push_coarse(b, &text[j..], base + i..range.end);
    }
}

/// Length and decoded text of a CommonMark entity or numeric character
/// reference (`;` required) at the start of `s`.
fn entity(s: &str) -> Option<(usize, String)> {
    let bytes = s.as_bytes();
    let (body, digits) = match bytes.get(1) {
        Some(b'#') => match bytes.get(2) {
            Some(b'x' | b'X') => (3, 1..=6),
            _ => (2, 1..=7),
        },
        _ => (1, 1..=32),
    };
    let hex = body == 3;
    let n = bytes[body..]
        .iter()
        .take(33)
        .take_while(|c| {
            if body == 1 {
                c.is_ascii_alphanumeric()
            } else if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .count();
    if !digits.contains(&n) || bytes.get(body + n) != Some(&b';') {
        return None;
    }
    let len = body + n + 1;
    let decoded = if body == 1 {
        let d = html_escape::decode_html_entities(&s[..len]);
        if d == s[..len] {
            return None;
        }
        d.into_owned()
    } else {
        let code = u32::from_str_radix(&s[body..body + n], if hex { 16 } else { 10 }).ok()?;
        let c = char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{fffd}');
        c.to_string()
    };
    Some((len, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{assert_words_map, blocks, source_of};
    use crate::parse::text::roundtrip::assert_chars_map;
    use proptest::prelude::*;

    /// What a piece of source reads as on its own: as Markdown (an entity,
    /// an escape, a code span) or as text in a raw HTML block.
    fn decode(s: &str) -> Vec<String> {
        let mut markdown = String::new();
        for event in Parser::new(s) {
            if let Event::Text(t) | Event::Code(t) = event {
                markdown.push_str(&t);
            }
        }
        vec![markdown, crate::parse::html::decode_text(s)]
    }

    fn check(src: &str) -> Document {
        let doc = parse(src);
        assert_chars_map(src, &doc, decode);
        assert_words_map(src, &doc, false);
        doc
    }

    #[test]
    fn structure_and_exact_offsets() {
        let src = "---\ntitle: x\n---\n\n# Privacy Policy\n\n## 1\\. Overview\n\nWe **do not** sell\nyour [data](https://x.example/sell).\n\n- one\n- two\n\n  second para\n\n1. loose\n\n   item\n\n| A | B |\n|---|---|\n| cell &amp; one | two |\n\n```\nsell everything\n```\n\nSetext\n------\n\n> quoted `code` here\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(1), "Privacy Policy"),
                (BlockKind::Heading(2), "1. Overview"),
                (BlockKind::Paragraph, "We do not sell your data."),
                (BlockKind::ListItem, "one"),
                (BlockKind::ListItem, "two"),
                (BlockKind::ListItem, "second para"),
                (BlockKind::ListItem, "loose"),
                (BlockKind::ListItem, "item"),
                (BlockKind::TableHeader, "A"),
                (BlockKind::TableHeader, "B"),
                (BlockKind::TableCell, "cell & one"),
                (BlockKind::TableCell, "two"),
                (BlockKind::Heading(2), "Setext"),
                (BlockKind::Paragraph, "quoted code here"),
            ]
        );
        assert_eq!(source_of(src, &doc, "do not sell"), "do not** sell");
        assert_eq!(source_of(src, &doc, "1. Overview"), "1\\. Overview");
        assert_eq!(source_of(src, &doc, ". Overview"), ". Overview");
        assert_eq!(source_of(src, &doc, "&"), "&amp;");
        assert_eq!(source_of(src, &doc, "code"), "code");
        assert_eq!(source_of(src, &doc, "your data"), "your [data");
        assert_eq!(doc.heading_path(2), vec!["Privacy Policy", "1. Overview"]);
    }

    #[test]
    fn escapes_and_entities_map_exactly() {
        let src = "We don&#8217;t sell \\*your\\* data &amp; never&nbsp;will &#59; &#0; \\\\ &bogus;";
        let doc = check(src);
        assert_eq!(
            doc.text,
            "We don\u{2019}t sell *your* data & never will ; \u{fffd} \\ &bogus;"
        );
        assert_eq!(source_of(src, &doc, "\u{2019}"), "&#8217;");
        assert_eq!(source_of(src, &doc, "don\u{2019}t"), "don&#8217;t");
        assert_eq!(source_of(src, &doc, "*your*"), "*your\\*");
        assert_eq!(source_of(src, &doc, "never will"), "never&nbsp;will");
        assert_eq!(source_of(src, &doc, ";"), "&#59;");
        assert_eq!(source_of(src, &doc, "\u{fffd}"), "&#0;");
        assert_eq!(source_of(src, &doc, "&bogus;"), "&bogus;");
    }

    #[test]
    fn links_emphasis_and_inline_html() {
        let src = "See [our partners](https://example.com/partners \"t\") and <https://x.example>.\n\n**we** do not a**b**c ~~sell~~ ![alt text](img.png) a<br>b <span class=\"x\">in</span>side[^1]\n\n[^1]: A footnote.\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "See our partners and https://x.example."),
                (BlockKind::Paragraph, "we do not abc sell a b inside"),
                (BlockKind::Paragraph, "A footnote."),
            ]
        );
        assert!(!doc.text.contains("partners\""));
        assert_eq!(source_of(src, &doc, "we do"), "we** do");
        assert_eq!(source_of(src, &doc, "abc"), "a**b**c");
    }

    #[test]
    fn lists_tight_loose_and_nested() {
        let src = "- tight one\n- tight two\n  - nested\n  wrapped\n- loose\n\n  second\n\n  > quoted in item\n\n1) ordered\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::ListItem, "tight one"),
                (BlockKind::ListItem, "tight two"),
                (BlockKind::ListItem, "nested wrapped"),
                (BlockKind::ListItem, "loose"),
                (BlockKind::ListItem, "second"),
                (BlockKind::ListItem, "quoted in item"),
                (BlockKind::ListItem, "ordered"),
            ]
        );
    }

    #[test]
    fn code_spans_and_blocks() {
        let src = "Use `` a `tick` `` and `x\ny` here.\n\n> `one\n> two`\n\n    indented code\n\n~~~js\nsell()\n~~~\n\n| `p\\|q` | r |\n|-|-|\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "Use a `tick` and x y here."),
                (BlockKind::Paragraph, "one two"),
                (BlockKind::TableHeader, "p|q"),
                (BlockKind::TableHeader, "r"),
            ]
        );
        assert_eq!(source_of(src, &doc, "a `tick`"), "a `tick`");
        assert_eq!(source_of(src, &doc, "x y"), "x\ny");
        assert_eq!(source_of(src, &doc, "one two"), "one\n> two");
        assert_eq!(source_of(src, &doc, "p|q"), "p\\|q");
    }

    #[test]
    fn front_matter_only_at_the_top() {
        let src = "---\ntitle: Policy\nsell: yes\n---\n# Policy\n\nText.\n\n---\nkey: shown\n---\n";
        let doc = check(src);
        assert!(!doc.text.contains("title"));
        assert!(doc.text.contains("key: shown"));
        let doc = check("+++\ntitle = \"x\"\n+++\nBody\n");
        assert_eq!(doc.text, "Body");
    }

    #[test]
    fn raw_html_blocks_are_parsed_as_html() {
        let src = "# P\n\n<ul>\n  <li>sell or rent your data</li>\n  <li>Caf&eacute;</li>\n</ul>\n\n<script>\nsell()\n</script>\n\nAfter <b>inline</b> tags.\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(1), "P"),
                (BlockKind::ListItem, "sell or rent your data"),
                (BlockKind::ListItem, "Café"),
                (BlockKind::Paragraph, "After inline tags."),
            ]
        );
        assert_eq!(source_of(src, &doc, "sell or rent"), "sell or rent");
        assert_eq!(source_of(src, &doc, "Café"), "Caf&eacute;");
    }

    #[test]
    fn crlf_and_multibyte() {
        let src = "# Título\r\n\r\nWe don’t sell\r\nyour data — ever. 中文\r\n\r\n- é\r\n- ’\r\n";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(1), "Título"),
                (BlockKind::Paragraph, "We don’t sell your data — ever. 中文"),
                (BlockKind::ListItem, "é"),
                (BlockKind::ListItem, "’"),
            ]
        );
        assert_eq!(source_of(src, &doc, "don’t sell your"), "don’t sell\r\nyour");
        assert_words_map(src, &doc, true);
    }

    #[test]
    fn sections_of_a_small_policy() {
        let src = "# Privacy Policy\n\nIntro.\n\n## Information We Collect {#collect}\n\nEmail.\n\n### Cookies\n\nSome.\n\nChildren\n--------\n\nNone.\n";
        let doc = check(src);
        let para = |t: &str| doc.blocks.iter().position(|b| &doc.text[b.range.clone()] == t);
        assert_eq!(doc.heading_path(para("Intro.").unwrap()), vec!["Privacy Policy"]);
        assert_eq!(
            doc.heading_path(para("Some.").unwrap()),
            vec!["Privacy Policy", "Information We Collect", "Cookies"]
        );
        assert_eq!(
            doc.heading_path(para("None.").unwrap()),
            vec!["Privacy Policy", "Children"]
        );
        assert_eq!(
            &doc.text[doc.sections[1].range.clone()],
            "Information We Collect\n\nEmail.\n\nCookies\n\nSome."
        );
    }

    /// Each comment, its text, and the source of the block after it.
    fn comments(src: &str) -> Vec<(&str, &str, Option<&str>)> {
        let doc = check(src);
        doc.comments
            .iter()
            .map(|c| {
                let next = c.next_block.clone().map(|r| &src[r]);
                (&src[c.range.clone()], &src[c.body.clone()], next)
            })
            .collect()
    }

    #[test]
    fn comments_outside_code_with_the_block_after_each() {
        let src = "# T\n\n<!-- one -->\nPara <!--\ntwo --> text.\n\n```\n<!-- fenced -->\n```\n\n    <!-- indented -->\n\n\
                   `<!-- span -->`\n\n<!-- three --> <!-- four -->\n\n| a | b |\n|---|---|\n| <!-- five --> x | y |\n\n\
                   - item <!-- six -->\n- next\n\n<!-- last -->\n";
        assert_eq!(
            comments(src),
            [
                ("<!-- one -->", " one ", Some("Para <!--\ntwo --> text.")),
                ("<!--\ntwo -->", "\ntwo ", Some("<!-- span -->")),
                (
                    "<!-- three -->",
                    " three ",
                    Some("a | b |\n|---|---|\n| <!-- five --> x | y")
                ),
                (
                    "<!-- four -->",
                    " four ",
                    Some("a | b |\n|---|---|\n| <!-- five --> x | y")
                ),
                // Inside a table: the rest of it.
                ("<!-- five -->", " five ", Some("x | y")),
                ("<!-- six -->", " six ", Some("next")),
                ("<!-- last -->", " last ", None),
            ]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        for src in [
            "> ".repeat(10_000) + "deep",
            "- ".repeat(10_000) + "deep",
            "  - a\n".repeat(5000),
            (0..500).map(|i| format!("{}- deep\n", "  ".repeat(i))).collect(),
            "[".repeat(10_000) + "deep" + &"]".repeat(10_000),
            "*".repeat(10_000) + "deep" + &"*".repeat(10_000),
        ] {
            let doc = check(&src);
            assert!(doc.text.contains("deep") || doc.text.contains('a'));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_input_maps_exactly(src in "(\\PC|[-#*>|`\\\\\\[\\]()!<>_~ ]|<[a-z/][a-z1-6 =\"]{0,8}>|&[#a-zA-Z0-9]{0,6};?|\r\n?|\n){0,80}") {
            check(&src);
        }
    }
}
