//! HTML: html5gum tokens with source spans. The visible text is html5gum's
//! decoded text; it is aligned with the raw source slice of each text token
//! so that plain runs map verbatim and each character reference maps to
//! exactly its own bytes.
//!
//! There is no tree: a bounded stack of the innermost open block
//! containers decides what kind of block text belongs to, which keeps
//! memory and time flat on 10,000-deep or unclosed markup.

use std::collections::VecDeque;
use std::ops::Range;

use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};

use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

/// Open containers tracked; beyond this the outermost are forgotten, so
/// text keeps the kind its nearest containers give it.
const MAX_STACK: usize = 256;

pub fn parse(text: &str) -> Document {
    let mut b = DocumentBuilder::new(InputFormat::Html);
    HtmlFeeder::default().feed(&mut b, text, 0, BlockKind::Paragraph);
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
            | "noembed"
            | "noframes"
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

/// Elements whose end tag may be omitted or that have none: a `hidden`
/// attribute on them is ignored, since skipping to a matching end tag that
/// never comes would hide the rest of the page.
fn end_tag_optional(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "td"
            | "th"
            | "tr"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "colgroup"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
            | "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// `Some(kind)` for elements that start and end blocks of text; `kind` is
/// the block kind text directly inside gets (`None`: whatever the enclosing
/// container says, else a paragraph).
fn block_kind(name: &str) -> Option<Option<BlockKind>> {
    Some(match name {
        "h1" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" => Some(BlockKind::Heading(4)),
        "h5" => Some(BlockKind::Heading(5)),
        "h6" => Some(BlockKind::Heading(6)),
        "li" | "dt" | "dd" => Some(BlockKind::ListItem),
        "td" => Some(BlockKind::TableCell),
        "th" => Some(BlockKind::TableHeader),
        "p" | "div" | "section" | "article" | "aside" | "header" | "footer" | "main" | "nav"
        | "blockquote" | "pre" | "address" | "figure" | "figcaption" | "caption" | "ul" | "ol" | "dl"
        | "dir" | "menu" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "form" | "fieldset" | "legend"
        | "details" | "summary" | "hr" | "body" | "html" | "head" | "center" | "dialog" | "hgroup"
        | "search" | "option" => None,
        _ => return None,
    })
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// For an element that implicitly closes an open sibling (`<li>` after an
/// unclosed `<li>`): the elements it closes, and those that bound the search.
fn implied_close(name: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const LIST: &[&str] = &["ul", "ol", "menu", "dir", "table", "body", "html"];
    const DL: &[&str] = &["dl", "ul", "ol", "table", "body", "html"];
    const CELL: &[&str] = &["tr", "table", "body", "html"];
    const ROW: &[&str] = &["table", "body", "html"];
    Some(match name {
        "li" => (&["li"], LIST),
        "dt" | "dd" => (&["dt", "dd"], DL),
        "td" | "th" => (&["td", "th"], CELL),
        "tr" => (&["tr"], ROW),
        "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot"], ROW),
        _ => return None,
    })
}

/// Feeds HTML into a builder; keeps state between calls so Markdown can
/// feed consecutive raw HTML pieces.
#[derive(Debug, Default)]
pub struct HtmlFeeder {
    /// Open block elements, innermost last, each with the block kind text
    /// directly inside it gets (from the nearest li, td, h1, ...).
    stack: VecDeque<(String, Option<BlockKind>)>,
    /// Inside a skipped element: its name and nesting depth.
    skipping: Option<(String, usize)>,
    /// Open `<pre>` and `<code>` elements: a comment inside one is an
    /// example shown in the policy, not a directive to privlint.
    code: usize,
}

impl HtmlFeeder {
    /// Feeds `html`, which starts at offset `base` of the source. Text
    /// outside any block container becomes a block of kind `outer`.
    pub fn feed(&mut self, b: &mut DocumentBuilder, html: &str, base: usize, outer: BlockKind) {
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        // Switches to raw text inside script, style and the like, as a
        // browser would.
        emitter.naively_switch_states(true);
        for token in Tokenizer::new_with_emitter(html, emitter) {
            let Ok(token) = token;
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    let hidden = tag.attributes.contains_key(&b"hidden"[..]);
                    self.start_tag(b, &name, tag.self_closing, hidden, base + tag.span.start);
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    self.end_tag(b, &name, base + tag.span.start);
                }
                Token::Comment(c) if self.skipping.is_none() && self.code == 0 => {
                    record_comment(b, html, c.span.start..c.span.end, base);
                }
                Token::String(s) if self.skipping.is_none() => {
                    let span = s.span.start..s.span.end;
                    let Some(raw) = html.get(span.clone()) else {
                        continue;
                    };
                    let value = String::from_utf8_lossy(&s.value);
                    self.text(b, raw, &value, base + span.start, outer);
                }
                _ => {}
            }
        }
    }

    fn start_tag(
        &mut self,
        b: &mut DocumentBuilder,
        name: &str,
        self_closing: bool,
        hidden: bool,
        at: usize,
    ) {
        if let Some((skip, depth)) = &mut self.skipping {
            if skip == name && !self_closing {
                *depth += 1;
            }
            return;
        }
        if is_skipped(name) || (hidden && !end_tag_optional(name)) {
            if !self_closing {
                self.skipping = Some((name.to_owned(), 1));
            }
            return;
        }
        if name == "br" || name == "img" {
            b.soft_break(at);
            return;
        }
        if (name == "pre" || name == "code") && !self_closing {
            self.code += 1;
        }
        let Some(kind) = block_kind(name) else {
            // Inline elements neither break blocks nor separate words.
            return;
        };
        b.end_block();
        if self_closing || name == "hr" {
            return;
        }
        // A block start closes an open paragraph, a heading closes an open
        // heading, and an item or cell closes its unclosed sibling.
        if self
            .stack
            .back()
            .is_some_and(|(n, _)| n == "p" || (is_heading(name) && is_heading(n)))
        {
            self.stack.pop_back();
        }
        if let Some((closes, bounds)) = implied_close(name) {
            for i in (0..self.stack.len()).rev() {
                let open = self.stack[i].0.as_str();
                if closes.contains(&open) {
                    self.stack.truncate(i);
                    break;
                }
                if bounds.contains(&open) {
                    break;
                }
            }
        }
        let kind = kind.or_else(|| self.stack.back().and_then(|(_, k)| *k));
        self.stack.push_back((name.to_owned(), kind));
        if self.stack.len() > MAX_STACK {
            self.stack.pop_front();
        }
        self.track_table(b);
    }

    /// Tells the builder whether text is now inside a table, so that the
    /// table's cells can be told apart as one group.
    fn track_table(&self, b: &mut DocumentBuilder) {
        b.set_in_table(self.stack.iter().any(|(n, _)| n == "table"));
    }

    fn end_tag(&mut self, b: &mut DocumentBuilder, name: &str, at: usize) {
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
            // Browsers read `</br>` as `<br>`.
            b.soft_break(at);
            return;
        }
        if name == "pre" || name == "code" {
            self.code = self.code.saturating_sub(1);
        }
        if block_kind(name).is_some() {
            // Close up to the matching container. A stray end tag closes
            // nothing but still renders as a break between words.
            if let Some(i) = self.stack.iter().rposition(|(n, _)| n == name) {
                self.stack.truncate(i);
                b.end_block();
                self.track_table(b);
            } else {
                b.soft_break(at);
            }
        }
    }

    fn text(&mut self, b: &mut DocumentBuilder, raw: &str, value: &str, base: usize, outer: BlockKind) {
        if !b.in_block() {
            if value.trim().is_empty() {
                return;
            }
            let kind = self.stack.back().and_then(|(_, k)| *k).unwrap_or(outer);
            b.start_block(kind);
        }
        push_aligned(b, raw, value, base);
    }
}

/// Records the comment at `span` of `html` (which starts at offset `base`)
/// if it is a complete `<!-- ... -->`; a bogus comment (`<!x>`, `<?x>`) or
/// one cut off by the end of the file is not one a directive can be in.
pub(super) fn record_comment(b: &mut DocumentBuilder, html: &str, span: Range<usize>, base: usize) {
    let Some(raw) = html.get(span.clone()) else {
        return;
    };
    if raw.len() >= "<!---->".len() && raw.starts_with("<!--") && raw.ends_with("-->") {
        let range = base + span.start..base + span.end;
        b.comment(range.clone(), range.start + 4..range.end - 3);
    }
}

/// Pushes the decoded text `value` of the raw source text `raw` (at offset
/// `base`): runs that are copies of the source map verbatim, each character
/// reference maps to its own bytes, and a CR or CRLF that the tokenizer
/// turned into LF maps to itself.
fn push_aligned(b: &mut DocumentBuilder, raw: &str, value: &str, base: usize) {
    if raw == value {
        b.push_source(base, raw);
        return;
    }
    // `raw[run..i]` equals the value text just before `j` and is not yet pushed.
    let (mut i, mut j, mut run) = (0, 0, 0);
    let flush = |b: &mut DocumentBuilder, run: usize, i: usize| {
        if run < i {
            b.push_source(base + run, &raw[run..i]);
        }
    };
    while let (Some(rc), Some(vc)) = (raw[i..].chars().next(), value[j..].chars().next()) {
        if rc == '&'
            && let Some((rlen, dlen)) = reference(&raw[i..], &value[j..])
        {
            flush(b, run, i);
            b.push_replacement(&value[j..j + dlen], base + i..base + i + rlen);
            i += rlen;
            j += dlen;
            run = i;
        } else if rc == '<' && raw[i..].starts_with("</>") && !value[j..].starts_with("</>") {
            // The tokenizer drops an empty end tag.
            flush(b, run, i);
            i += 3;
            run = i;
        } else if rc == vc {
            i += rc.len_utf8();
            j += vc.len_utf8();
        } else if rc == '\r' && vc == '\n' {
            flush(b, run, i);
            let len = if raw[i..].starts_with("\r\n") { 2 } else { 1 };
            b.push_source(base + i, &raw[i..i + len]);
            i += len;
            j += 1;
            run = i;
        } else {
            break;
        }
    }
    flush(b, run, i);
    if j < value.len() {
        // Not expected from html5gum; still correct, only coarser.
        push_coarse(b, &value[j..], base + i..base + raw.len());
    }
}

/// Length in `raw` and in `value` of the character reference at the start
/// of `raw` (which starts with `&`), if the tokenizer decoded one there.
fn reference(raw: &str, value: &str) -> Option<(usize, usize)> {
    let bytes = raw.as_bytes();
    let numeric = bytes.get(1) == Some(&b'#');
    let mut n = if numeric {
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let digits = bytes[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        start + digits
    } else {
        // Entity names are at most 32 characters; a longer run can still
        // start with a legacy name such as `&copy`.
        let len = bytes[1..]
            .iter()
            .take(40)
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            return None;
        }
        1 + len
    };
    if bytes.get(n) == Some(&b';') {
        n += 1;
    }
    let word = &raw[..n];
    // Decode the candidate exactly as html5gum does in text.
    let decoded = decode_text(word);
    if decoded == word || decoded.is_empty() || !value.starts_with(&decoded) {
        return None;
    }
    // What follows a legacy name without `;` (`&notit;` is `&not` + `it;`)
    // comes out as is; a numeric reference is always consumed whole.
    let first = decoded.chars().next().map_or(0, char::len_utf8);
    let tail = if numeric {
        0
    } else {
        common_suffix(word.as_bytes(), decoded.as_bytes())
            .min(decoded.len() - first)
            .min(n - 2)
    };
    Some((n - tail, decoded.len() - tail))
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The text html5gum produces for `s` in the data state.
pub(super) fn decode_text(s: &str) -> String {
    let mut out = String::new();
    for token in Tokenizer::new(s) {
        if let Ok(Token::String(t)) = token {
            out.push_str(&String::from_utf8_lossy(&t));
        }
    }
    out
}

/// Pushes `visible` as standing for all of `src`, word by word so that
/// whitespace still collapses.
pub(super) fn push_coarse(b: &mut DocumentBuilder, visible: &str, src: Range<usize>) {
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in visible.char_indices() {
        let space = c.is_whitespace();
        if in_space != Some(space) {
            if i > start {
                b.push_replacement(&visible[start..i], src.clone());
            }
            start = i;
            in_space = Some(space);
        }
    }
    if start < visible.len() {
        b.push_replacement(&visible[start..], src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::test_support::{assert_words_map, blocks, source_of};
    use crate::parse::text::roundtrip::assert_chars_map;
    use proptest::prelude::*;

    /// Checks every character and word of `src`'s parse against the source.
    fn check(src: &str) -> Document {
        let doc = parse(src);
        assert_chars_map(src, &doc, |s| vec![decode_text(s)]);
        assert_words_map(src, &doc, false);
        doc
    }

    #[test]
    fn text_blocks_and_skipped_elements() {
        let src = "<html><head><title>T</title><style>p{}</style></head><body>\
                   <h1>Privacy</h1><p>We do&nbsp;not <b>sell</b> your\n data.</p>\
                   <script>var sell = 1;</script><ul><li><p>One</p></li><li>Two<li>Three</ul>\
                   <table><tr><td>Cell A</td><td>Cell&amp;B</td></tr></table>Loose text</body></html>";
        let doc = check(src);
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
        let src = "<p>We&#8217;re caf&eacute; &#x2019; &bogus; AT&T &semi; &#59;</p>";
        let doc = check(src);
        assert_eq!(doc.text, "We\u{2019}re caf\u{e9} \u{2019} &bogus; AT&T ; ;");
        assert_eq!(source_of(src, &doc, "\u{2019}re"), "&#8217;re");
        assert_eq!(source_of(src, &doc, "caf\u{e9}"), "caf&eacute;");
        assert_eq!(source_of(src, &doc, "AT&T"), "AT&T");
        assert_eq!(source_of(src, &doc, "&bogus;"), "&bogus;");
        let end = doc.text.len();
        assert_eq!(&src[doc.source_range(end - 1..end)], "&#59;");
        assert_eq!(&src[doc.source_range(end - 3..end - 2)], "&semi;");
    }

    #[test]
    fn legacy_references_and_line_endings_decode_like_a_browser() {
        let src = "<p>&copy 2024 &notit; &ampx &#x80; &#0; a\r\nb\rc</p>";
        let doc = check(src);
        assert_eq!(doc.text, "\u{a9} 2024 \u{ac}it; &x \u{20ac} \u{fffd} a b c");
        assert_eq!(source_of(src, &doc, "\u{a9}"), "&copy");
        assert_eq!(source_of(src, &doc, "\u{ac}it;"), "&notit;");
        assert_eq!(source_of(src, &doc, "&x"), "&ampx");
        assert_eq!(source_of(src, &doc, "\u{20ac}"), "&#x80;");
        assert_eq!(source_of(src, &doc, "a b c"), "a\r\nb\rc");
    }

    #[test]
    fn inline_tags_do_not_split_words_and_br_does() {
        let doc = check("<p>a<b>c</b>d<br>e<BR/>f</br>g<wbr>h<img src=x alt=y>i</p>");
        assert_eq!(doc.text, "acd e f gh i");
    }

    #[test]
    fn nested_lists_and_blocks() {
        let src = "<ul><li>Outer<ul><li><p>Inner one</p></li><li>Inner two</ul>after</li></ul>\
                   <div><p>a</p><p>b</p>tail</div><dl><dt>Term<dd>Def</dl>";
        let doc = check(src);
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::ListItem, "Outer"),
                (BlockKind::ListItem, "Inner one"),
                (BlockKind::ListItem, "Inner two"),
                (BlockKind::ListItem, "after"),
                (BlockKind::Paragraph, "a"),
                (BlockKind::Paragraph, "b"),
                (BlockKind::Paragraph, "tail"),
                (BlockKind::ListItem, "Term"),
                (BlockKind::ListItem, "Def"),
            ]
        );
    }

    #[test]
    fn unclosed_and_misnested_tags() {
        let doc = check("<p>open <b>never closed <i>text");
        assert_eq!(doc.text, "open never closed text");
        let doc = check("</div></li>stray ends</p>");
        assert_eq!(doc.text, "stray ends");
        let doc = check("<p>one<p>two<h2>Head</p>still head</h2><table><tr><th>h<td>a<td>b<tr><td>c</table>");
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "one"),
                (BlockKind::Paragraph, "two"),
                (BlockKind::Heading(2), "Head still head"),
                (BlockKind::TableHeader, "h"),
                (BlockKind::TableCell, "a"),
                (BlockKind::TableCell, "b"),
                (BlockKind::TableCell, "c"),
            ]
        );
        let doc = check("<b><p>x</b>y</p><div <p>z");
        assert_eq!(doc.text, "xy\n\nz");
    }

    #[test]
    fn hidden_elements_are_skipped() {
        let doc = check(
            "<div hidden><p>banner</p><div>inner</div></div><p>shown</p>\
             <p hidden>p has no required end tag</p><span hidden>x</span>y",
        );
        assert_eq!(doc.text, "shown\n\np has no required end tag\n\ny");
    }

    #[test]
    fn deep_and_unclosed_nesting_is_flat_and_safe() {
        let src = format!("{}text{}", "<div>".repeat(10_000), "<ul><li>".repeat(10_000));
        let doc = check(&src);
        assert_eq!(blocks(&doc), vec![(BlockKind::Paragraph, "text")]);
        let doc = check(&format!("{}deep", "<ul><li>".repeat(10_000)));
        assert_eq!(blocks(&doc), vec![(BlockKind::ListItem, "deep")]);
        let doc = check(&format!("{}deep{}", "<b>".repeat(10_000), "</b>".repeat(10_000)));
        assert_eq!(doc.text, "deep");
        let src = format!("{}<li>item", "<div>".repeat(1000));
        assert_eq!(blocks(&check(&src)), vec![(BlockKind::ListItem, "item")]);
    }

    #[test]
    fn unterminated_script_hides_the_rest() {
        let doc = check("<p>shown</p><script>if (a < b) { sell() }");
        assert_eq!(doc.text, "shown");
        let doc = check("<style>p{}</style><noscript>Enable JS</noscript><svg><text>x</text></svg>ok");
        assert_eq!(doc.text, "ok");
    }

    #[test]
    fn multibyte_text_is_never_split() {
        let src = "<p>Café ‘policy’ 中文 naïve&mdash;ok</p>";
        let doc = check(src);
        assert_eq!(doc.text, "Café ‘policy’ 中文 naïve—ok");
        assert_eq!(source_of(src, &doc, "中文"), "中文");
        assert_eq!(source_of(src, &doc, "naïve—ok"), "naïve&mdash;ok");
    }

    #[test]
    fn comments_outside_code_with_the_block_after_each() {
        let src = "<h1>T</h1><!-- one --><p>Para</p><pre><!-- pre --></pre><p><code><!-- code --></code> \
                   shown<!-- two --></p><script><!-- s --></script><template><!-- t --></template><!-- three -->\
                   <table><caption>Cap</caption><tr><td>a<!-- four --></td><td><table><tr><td>in</td></tr></table>\
                   b</td></tr></table><ul><li>one<!-- five --><li>two</ul><!--> <? bogus ?><!-- last --><!-- cut";
        let doc = check(src);
        // The whole table, from its caption to its last cell.
        let table = "Cap</caption><tr><td>a<!-- four --></td><td><table><tr><td>in</td></tr></table>b";
        let got: Vec<_> = doc
            .comments
            .iter()
            .map(|c| {
                let next = c.next_block.clone().map(|r| &src[r]);
                (&src[c.range.clone()], &src[c.body.clone()], next)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("<!-- one -->", " one ", Some("Para")),
                ("<!-- two -->", " two ", Some(table)),
                ("<!-- three -->", " three ", Some(table)),
                // Inside a table, nested ones included: the rest of it.
                ("<!-- four -->", " four ", Some("in</td></tr></table>b")),
                ("<!-- five -->", " five ", Some("two")),
                ("<!-- last -->", " last ", None),
            ]
        );
    }

    #[test]
    fn sections_of_a_small_policy() {
        let src = "<h1>Privacy Policy</h1><p>Intro.</p><h2>Information We Collect</h2>\
                   <p>Email.</p><h3>Cookies</h3><p>Some.</p><h2>Children</h2><p>None.</p>";
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
        let titles: Vec<_> = doc.sections.iter().map(|s| (s.level, s.title.as_str())).collect();
        assert_eq!(
            titles,
            vec![
                (1, "Privacy Policy"),
                (2, "Information We Collect"),
                (3, "Cookies"),
                (2, "Children")
            ]
        );
        assert_eq!(
            &doc.text[doc.sections[1].range.clone()],
            "Information We Collect\n\nEmail.\n\nCookies\n\nSome."
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_input_maps_exactly(src in "(\\PC|<[a-z/][a-z1-6 =\"]{0,8}>|&[#a-zA-Z0-9]{0,6};?|\r\n?|\n){0,60}") {
            check(&src);
        }
    }
}
