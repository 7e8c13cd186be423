//! HTML: html5gum tokens with source spans. Text is taken from the raw
//! source slice of each text token, and character references are decoded
//! one by one, so every visible character maps to its exact source bytes.
//!
//! There is no tree: a bounded stack of open block containers decides what
//! kind of block text belongs to, which keeps memory and time flat on
//! 10,000-deep or unclosed markup.

use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};

use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

/// Deeper container nesting is not tracked; text still comes out.
const MAX_STACK: usize = 256;

pub fn parse(text: &str) -> Document {
    let mut b = DocumentBuilder::new(InputFormat::Html);
    HtmlFeeder::default().feed(&mut b, text, 0);
    b.finish()
}

/// Elements whose content is not visible prose.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "noscript"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "title"
            | "textarea"
            | "select"
            | "canvas"
            | "audio"
            | "video"
    )
}

/// Elements that start and end blocks of text.
fn block_kind(name: &str) -> Option<Option<BlockKind>> {
    Some(match name {
        "h1" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" => Some(BlockKind::Heading(4)),
        "h5" => Some(BlockKind::Heading(5)),
        "h6" => Some(BlockKind::Heading(6)),
        "li" | "dt" | "dd" => Some(BlockKind::ListItem),
        "td" | "th" | "caption" => Some(BlockKind::TableCell),
        "p" | "div" | "section" | "article" | "aside" | "header" | "footer" | "main" | "nav"
        | "blockquote" | "pre" | "address" | "figure" | "figcaption" | "ul" | "ol" | "dl" | "table"
        | "thead" | "tbody" | "tfoot" | "tr" | "form" | "fieldset" | "legend" | "details" | "summary"
        | "hr" | "body" | "html" | "head" | "center" | "dialog" | "menu" => None,
        _ => return None,
    })
}

/// Feeds HTML into a builder; keeps state between calls so Markdown can
/// feed consecutive raw HTML pieces.
#[derive(Debug, Default)]
pub struct HtmlFeeder {
    /// Open block elements; those with a kind (li, td, h1, ...) give text
    /// inside them its block kind.
    stack: Vec<(String, Option<BlockKind>)>,
    /// Inside a skipped element: its name and nesting depth.
    skipping: Option<(String, usize)>,
}

impl HtmlFeeder {
    /// Feeds `html`, which starts at offset `base` of the source.
    pub fn feed(&mut self, b: &mut DocumentBuilder, html: &str, base: usize) {
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        // Switches to raw text inside script, style and the like, as a
        // browser would.
        emitter.naively_switch_states(true);
        for token in Tokenizer::new_with_emitter(html, emitter) {
            let Ok(token) = token;
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    self.start_tag(b, &name, tag.self_closing, base + tag.span.start);
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    self.end_tag(b, &name);
                }
                Token::String(s) if self.skipping.is_none() => {
                    self.text(b, &html[s.span.start..s.span.end], base + s.span.start);
                }
                _ => {}
            }
        }
    }

    fn start_tag(&mut self, b: &mut DocumentBuilder, name: &str, self_closing: bool, at: usize) {
        if let Some((skip, depth)) = &mut self.skipping {
            if skip == name && !self_closing {
                *depth += 1;
            }
            return;
        }
        if is_skipped(name) {
            if !self_closing {
                self.skipping = Some((name.to_owned(), 1));
            }
            return;
        }
        if name == "br" || name == "wbr" || name == "img" {
            b.soft_break(at);
            return;
        }
        if let Some(kind) = block_kind(name) {
            b.end_block();
            if !self_closing && name != "hr" && self.stack.len() < MAX_STACK {
                // A new paragraph, item or cell closes an unclosed sibling.
                if matches!(name, "p" | "li" | "td" | "th" | "dt" | "dd")
                    && self.stack.last().is_some_and(|(n, _)| n == name)
                {
                    self.stack.pop();
                }
                self.stack.push((name.to_owned(), kind));
            }
        }
    }

    fn end_tag(&mut self, b: &mut DocumentBuilder, name: &str) {
        if let Some((skip, depth)) = &mut self.skipping {
            if skip == name {
                *depth -= 1;
                if *depth == 0 {
                    self.skipping = None;
                }
            }
            return;
        }
        if name == "br" {
            return;
        }
        if block_kind(name).is_some() {
            b.end_block();
            // Close up to the matching container; a stray end tag closes nothing.
            if let Some(i) = self.stack.iter().rposition(|(n, _)| n == name) {
                self.stack.truncate(i);
            }
        }
    }

    fn text(&mut self, b: &mut DocumentBuilder, raw: &str, base: usize) {
        if !b.in_block() {
            if raw.trim().is_empty() {
                return;
            }
            let kind = self
                .stack
                .iter()
                .rev()
                .find_map(|(_, k)| *k)
                .unwrap_or(BlockKind::Paragraph);
            b.start_block(kind);
        }
        push_decoded(b, raw, base);
    }
}

/// Pushes raw HTML text, decoding each character reference as a
/// replacement for exactly its source bytes.
fn push_decoded(b: &mut DocumentBuilder, raw: &str, base: usize) {
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = raw.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'&'
            && let Some(len) = reference_len(&raw[i..])
        {
            let reference = &raw[i..i + len];
            let decoded = html_escape::decode_html_entities(reference);
            if decoded != reference {
                b.push_source(base + plain_start, &raw[plain_start..i]);
                b.push_replacement(&decoded, base + i..base + i + len);
                i += len;
                plain_start = i;
                continue;
            }
        }
        i += 1;
    }
    b.push_source(base + plain_start, &raw[plain_start..]);
}

/// Length of a character reference (`&amp;`, `&#8217;`, `&#x2019;`) at the
/// start of `s`, including the `;`.
fn reference_len(s: &str) -> Option<usize> {
    let body = s.as_bytes().get(1..)?;
    let n = body.iter().take(33).position(|&c| c == b';')?;
    let name = &body[..n];
    let ok = match name {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        _ => !name.is_empty() && name.iter().all(u8::is_ascii_alphanumeric),
    };
    ok.then_some(n + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{blocks, source_of};

    #[test]
    fn text_blocks_and_skipped_elements() {
        let src = "<html><head><title>T</title><style>p{}</style></head><body>\
                   <h1>Privacy</h1><p>We do&nbsp;not <b>sell</b> your\n data.</p>\
                   <script>var sell = 1;</script><ul><li><p>One</p></li><li>Two<li>Three</ul>\
                   <table><tr><td>Cell A</td><td>Cell&amp;B</td></tr></table>Loose text</body></html>";
        let doc = parse(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Heading(1), "Privacy"),
                (BlockKind::Paragraph, "We do not sell your data."),
                (BlockKind::ListItem, "One"),
                (BlockKind::ListItem, "Two"),
                (BlockKind::ListItem, "Three"),
                (BlockKind::TableCell, "Cell A"),
                (BlockKind::TableCell, "Cell&B"),
                (BlockKind::Paragraph, "Loose text"),
            ]
        );
        assert_eq!(source_of(src, &doc, "sell"), "sell");
        assert_eq!(source_of(src, &doc, "do not"), "do&nbsp;not");
        assert_eq!(source_of(src, &doc, "&"), "&amp;");
        assert_eq!(source_of(src, &doc, "your data"), "your\n data");
        assert_eq!(doc.heading_path(1), vec!["Privacy"]);
    }

    #[test]
    fn references_map_to_their_bytes() {
        let src = "<p>We&#8217;re caf&eacute; &#x2019; &bogus; AT&T</p>";
        let doc = parse(src);
        assert_eq!(doc.text, "We\u{2019}re caf\u{e9} \u{2019} &bogus; AT&T");
        assert_eq!(source_of(src, &doc, "\u{2019}re"), "&#8217;re");
        assert_eq!(source_of(src, &doc, "caf\u{e9}"), "caf&eacute;");
        assert_eq!(source_of(src, &doc, "AT&T"), "AT&T");
    }

    #[test]
    fn inline_tags_do_not_split_words_and_br_does() {
        let doc = parse("<p>a<b>c</b>d<br>e</p>");
        assert_eq!(doc.text, "acd e");
    }

    #[test]
    fn deep_and_unclosed_nesting_is_flat_and_safe() {
        let src = format!("{}text{}", "<div>".repeat(10_000), "<ul><li>".repeat(10_000));
        let doc = parse(&src);
        assert_eq!(blocks(&doc), vec![(BlockKind::Paragraph, "text")]);
        let doc = parse(&format!("{}deep", "<ul><li>".repeat(10_000)));
        assert_eq!(blocks(&doc), vec![(BlockKind::ListItem, "deep")]);
        let doc = parse("<p>open <b>never closed <i>text");
        assert_eq!(doc.text, "open never closed text");
        let doc = parse("</div></li>stray ends</p>");
        assert_eq!(doc.text, "stray ends");
    }

    #[test]
    fn unterminated_script_hides_the_rest() {
        let doc = parse("<p>shown</p><script>if (a < b) { sell() }");
        assert_eq!(doc.text, "shown");
    }
}
