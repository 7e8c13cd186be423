//! Markdown: pulldown-cmark's event stream with source ranges.
//!
//! Text events whose source differs from their text (a backslash escape,
//! an entity) are mapped exactly where the text is a suffix of the source,
//! and as one replacement otherwise. Raw HTML blocks go through the HTML
//! parser at their own offsets.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html::HtmlFeeder;
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
    // Depth inside content that is not prose: code blocks, front matter, image alt text.
    let mut hidden = 0usize;
    // Raw HTML of the current HTML block, fed as one piece so tags that span
    // lines are tokenized whole.
    let mut html_block: Option<Range<usize>> = None;
    // Whether the innermost open list item has just opened its block, so
    // its first paragraph continues that block.
    let mut item_fresh = false;
    // Open list items: paragraphs inside one are list-item blocks.
    let mut item_depth = 0usize;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) | Tag::Image { .. } => hidden += 1,
                Tag::HtmlBlock => html_block = Some(range.start..range.start),
                Tag::Heading { level, .. } => b.start_block(BlockKind::Heading(heading_level(level))),
                Tag::Item => {
                    b.start_block(BlockKind::ListItem);
                    item_fresh = true;
                    item_depth += 1;
                }
                Tag::Paragraph => {
                    if !(item_fresh && b.in_block()) {
                        let kind = if item_depth > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        b.start_block(kind);
                    }
                    item_fresh = false;
                }
                Tag::TableCell => b.start_block(BlockKind::TableCell),
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::FootnoteDefinition(_) => {
                    b.end_block();
                    item_fresh = false;
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::CodeBlock | TagEnd::MetadataBlock(_) | TagEnd::Image => {
                    hidden = hidden.saturating_sub(1)
                }
                TagEnd::HtmlBlock => {
                    if let Some(r) = html_block.take() {
                        b.end_block();
                        html.feed(&mut b, &text[r.clone()], r.start);
                        b.end_block();
                    }
                }
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::TableCell => {
                    b.end_block();
                    item_fresh = false;
                }
                TagEnd::Item => {
                    b.end_block();
                    item_fresh = false;
                    item_depth = item_depth.saturating_sub(1);
                }
                _ => {}
            },
            _ if hidden > 0 => {}
            Event::Html(_) => {
                if let Some(r) = &mut html_block {
                    r.end = range.end;
                }
            }
            Event::Text(t) => push_text(&mut b, text, &t, range),
            Event::Code(t) => push_code(&mut b, text, &t, range),
            Event::SoftBreak | Event::HardBreak => b.soft_break(range.start),
            // Inline HTML tags (`<a id="x">`, `<br>`) are markup; the text
            // between them arrives as Text events.
            _ => {}
        }
    }
    b.finish()
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

fn push_text(b: &mut DocumentBuilder, src: &str, text: &str, range: Range<usize>) {
    let raw = &src[range.clone()];
    if raw == text {
        b.push_source(range.start, text);
    } else if raw.ends_with(text) && !text.is_empty() {
        // `\.` arrives as "." with the range of `\.`.
        b.push_source(range.end - text.len(), text);
    } else {
        b.push_replacement(text, range);
    }
}

fn push_code(b: &mut DocumentBuilder, src: &str, text: &str, range: Range<usize>) {
    let raw = &src[range.clone()];
    let ticks = raw.bytes().take_while(|&c| c == b'`').count();
    let mut inner = ticks..raw.len().saturating_sub(ticks).max(ticks);
    let body = &raw[inner.clone()];
    if body.len() >= 2 && body.starts_with(' ') && body.ends_with(' ') && !body.trim().is_empty() {
        inner = inner.start + 1..inner.end - 1;
    }
    if &raw[inner.clone()] == text {
        b.push_source(range.start + inner.start, text);
    } else {
        b.push_replacement(text, range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{assert_words_map, blocks, source_of};

    #[test]
    fn structure_and_exact_offsets() {
        let src = "---\ntitle: x\n---\n\n# Privacy Policy\n\n## 1\\. Overview\n\nWe **do not** sell\nyour [data](https://x.example/sell).\n\n- one\n- two\n\n  second para\n\n1. loose\n\n   item\n\n| A | B |\n|---|---|\n| cell &amp; one | two |\n\n```\nsell everything\n```\n\nSetext\n------\n\n> quoted `code` here\n";
        let doc = parse(src);
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
                (BlockKind::TableCell, "A"),
                (BlockKind::TableCell, "B"),
                (BlockKind::TableCell, "cell & one"),
                (BlockKind::TableCell, "two"),
                (BlockKind::Heading(2), "Setext"),
                (BlockKind::Paragraph, "quoted code here"),
            ]
        );
        assert_eq!(source_of(src, &doc, "do not sell"), "do not** sell");
        assert_eq!(source_of(src, &doc, "1. Overview"), "1\\. Overview");
        assert_eq!(source_of(src, &doc, "&"), "&amp;");
        assert_eq!(source_of(src, &doc, "code"), "code");
        assert_eq!(source_of(src, &doc, "your data"), "your [data");
        assert_eq!(doc.heading_path(2), vec!["Privacy Policy", "1. Overview"]);
        assert_words_map(src, &doc, false);
    }

    #[test]
    fn raw_html_blocks_are_parsed_as_html() {
        let src = "# P\n\n<ul>\n  <li>sell or rent your data</li>\n  <li>Caf&eacute;</li>\n</ul>\n\nAfter <b>inline</b> tags.\n";
        let doc = parse(src);
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
        let src = "# Título\r\n\r\nWe don’t sell\r\nyour data — ever.\r\n";
        let doc = parse(src);
        assert_eq!(
            blocks(&doc)[1],
            (BlockKind::Paragraph, "We don’t sell your data — ever.")
        );
        assert_eq!(source_of(src, &doc, "don’t sell"), "don’t sell");
        assert_words_map(src, &doc, false);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        for src in [
            "> ".repeat(10_000) + "deep",
            "- ".repeat(10_000) + "deep",
            "  - a\n".repeat(5000),
        ] {
            let doc = parse(&src);
            assert!(doc.text.contains("deep") || doc.text.contains('a'));
        }
    }
}
