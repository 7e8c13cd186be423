//! Stage 2 output: a parsed policy.
//!
//! A [`Document`] holds the *visible* text of a policy (markup removed,
//! entities decoded, whitespace runs collapsed to one space, blocks separated
//! by a blank line) and an offset map from every visible offset back to the
//! decoded source. Rules match the visible text; spans are mapped back
//! through [`Document::source_range`], never by searching the source.

use std::ops::Range;

/// Which parser read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    Markdown,
    Html,
    Text,
    /// A Word document (.docx); its source is synthetic, one paragraph a
    /// line (see `parse::docx`).
    Docx,
}

impl InputFormat {
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Markdown => "markdown",
            InputFormat::Html => "html",
            InputFormat::Text => "text",
            InputFormat::Docx => "docx",
        }
    }

    /// The format for a file name, by extension; `None` when unknown.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Some(InputFormat::Markdown),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "txt" | "text" | "rst" => Some(InputFormat::Text),
            "docx" => Some(InputFormat::Docx),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading with its level, 1 to 6.
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
    /// A header cell (`<th>`, a Markdown table's first row): a column
    /// label, not a statement.
    TableHeader,
}

/// A block of visible text: a heading, paragraph, list item or table cell.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Range in [`Document::text`].
    pub range: Range<usize>,
    /// Index into [`Document::sections`] of the innermost section holding
    /// this block, `None` before the first heading.
    pub section: Option<usize>,
    /// Which table of the document the block belongs to (its cells, a
    /// caption), counted from 0; `None` outside tables.
    pub table: Option<usize>,
}

/// An HTML comment in the markup (`<!-- ... -->`, in HTML or Markdown),
/// outside code and hidden content: where inline directives live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Decoded-source range of the whole comment, `<!--` to `-->`.
    pub range: Range<usize>,
    /// Decoded-source range of its text, between the delimiters.
    pub body: Range<usize>,
    /// Decoded-source range of the first block that starts after the
    /// comment, through the end of its table when it is in one; `None`
    /// when no block follows.
    pub next_block: Option<Range<usize>>,
}

/// A heading and everything under it up to the next heading of the same or a
/// higher level.
#[derive(Debug, Clone)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub parent: Option<usize>,
    /// Range in [`Document::text`], from the heading to the end of the section.
    pub range: Range<usize>,
}

/// One piece of the visible-to-source map.
#[derive(Debug, Clone, Copy)]
struct Segment {
    vis: usize,
    vis_len: usize,
    src: usize,
    src_len: usize,
    /// Exact segments are byte-for-byte copies of the source, so any offset
    /// inside maps linearly; inexact ones (a decoded entity, a collapsed
    /// whitespace run) map as a whole.
    exact: bool,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub format: InputFormat,
    pub text: String,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    /// Comments in source order; empty for plain text, which has none.
    pub comments: Vec<Comment>,
    /// ISO 639-3 code of the language the text is confidently written in.
    pub language: Option<&'static str>,
    segments: Vec<Segment>,
    /// [`Document::folded`], made on first use.
    folded: std::sync::OnceLock<Option<String>>,
}

impl Document {
    /// The text with A-Z lower-cased, which case-blind searches run on
    /// instead (`pack::fold`: the same offsets, the same matches); `None`
    /// when it holds a character for which that would not be the same.
    pub fn folded(&self) -> Option<&str> {
        self.folded
            .get_or_init(|| crate::pack::fold::fold_text(&self.text))
            .as_deref()
    }

    /// Maps a visible range to the decoded-source range it came from.
    pub fn source_range(&self, vis: Range<usize>) -> Range<usize> {
        let start = self.source_start(vis.start);
        let end = self.source_end(vis.end).max(start);
        start..end
    }

    fn source_start(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|s| s.vis <= pos);
        if i == 0 {
            return self.segments.first().map_or(0, |s| s.src);
        }
        let s = self.segments[i - 1];
        if pos < s.vis + s.vis_len {
            if s.exact { s.src + (pos - s.vis) } else { s.src }
        } else {
            // In a gap between blocks: the next mapped byte.
            self.segments.get(i).map_or(s.src + s.src_len, |n| n.src)
        }
    }

    fn source_end(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|s| s.vis < pos);
        if i == 0 {
            return self.segments.first().map_or(0, |s| s.src);
        }
        let s = self.segments[i - 1];
        if s.exact && pos <= s.vis + s.vis_len {
            s.src + (pos - s.vis)
        } else {
            s.src + s.src_len
        }
    }

    /// The visible pieces of a visible range, in order, each with the
    /// decoded-source range it came from and whether it is a verbatim copy
    /// of that source (else it stands for it as a whole: a decoded entity,
    /// a collapsed whitespace run). What a renderer needs to show the text
    /// as written without parsing it again.
    pub fn pieces(&self, vis: Range<usize>) -> impl Iterator<Item = (Range<usize>, Range<usize>, bool)> + '_ {
        let first = self.segments.partition_point(|s| s.vis + s.vis_len <= vis.start);
        self.segments[first..]
            .iter()
            .take_while(move |s| s.vis < vis.end)
            .map(move |s| {
                let start = s.vis.max(vis.start);
                let end = (s.vis + s.vis_len).min(vis.end);
                let src = if s.exact {
                    s.src + (start - s.vis)..s.src + (end - s.vis)
                } else {
                    s.src..s.src + s.src_len
                };
                (start..end, src, s.exact)
            })
    }

    /// The block holding a visible offset, if any.
    pub fn block_at(&self, pos: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.range.start <= pos);
        (i > 0 && pos <= self.blocks[i - 1].range.end).then(|| i - 1)
    }

    /// Titles of the sections enclosing a block, outermost first.
    pub fn heading_path(&self, block: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut cur = self.blocks[block].section;
        while let Some(i) = cur {
            path.push(self.sections[i].title.as_str());
            cur = self.sections[i].parent;
        }
        path.reverse();
        path
    }

    /// The visible range a document-level finding is anchored on: the first
    /// heading, else the first block.
    pub fn title_range(&self) -> Range<usize> {
        self.blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Heading(_)))
            .or_else(|| self.blocks.first())
            .map_or(0..0, |b| b.range.clone())
    }
}

/// Builds a [`Document`] from source pieces, collapsing whitespace and
/// recording where every visible byte came from. Parsers call
/// `start_block`, then `push_source`/`push_replacement`, then `end_block`.
#[derive(Debug)]
pub struct DocumentBuilder {
    doc: Document,
    /// The open block: its kind, start and table.
    block: Option<(BlockKind, usize, Option<usize>)>,
    /// The table blocks started now belong to, and how many tables began.
    table: Option<usize>,
    tables: usize,
    /// Pending whitespace run in the source, emitted as one space only when
    /// more visible text follows in the same block.
    pending_space: Option<Range<usize>>,
    section_stack: Vec<usize>,
}

impl DocumentBuilder {
    pub fn new(format: InputFormat) -> Self {
        DocumentBuilder {
            doc: Document {
                format,
                text: String::new(),
                blocks: Vec::new(),
                sections: Vec::new(),
                comments: Vec::new(),
                language: None,
                segments: Vec::new(),
                folded: std::sync::OnceLock::new(),
            },
            block: None,
            table: None,
            tables: 0,
            pending_space: None,
            section_stack: Vec::new(),
        }
    }

    /// Starts a block, ending any open one first.
    pub fn start_block(&mut self, kind: BlockKind) {
        self.end_block();
        if !self.doc.text.is_empty() {
            self.doc.text.push_str("\n\n");
        }
        self.block = Some((kind, self.doc.text.len(), self.table));
    }

    /// Marks whether blocks started from now on are in a table; each change
    /// from outside to inside begins a new table.
    pub fn set_in_table(&mut self, in_table: bool) {
        match (in_table, self.table) {
            (true, None) => {
                self.table = Some(self.tables);
                self.tables += 1;
            }
            (false, Some(_)) => self.table = None,
            _ => {}
        }
    }

    /// Records a comment: `range` is all of it, `body` the text inside.
    pub fn comment(&mut self, range: Range<usize>, body: Range<usize>) {
        self.doc.comments.push(Comment {
            range,
            body,
            next_block: None,
        });
    }

    pub fn in_block(&self) -> bool {
        self.block.is_some()
    }

    /// Appends source text verbatim, collapsing whitespace runs. `src` is the
    /// offset of `text` in the decoded source. Text outside a block opens a
    /// paragraph.
    pub fn push_source(&mut self, src: usize, text: &str) {
        let bytes = text.as_bytes();
        // The verbatim run being gathered: text whose whitespace is single
        // one-byte characters between words, so it maps to the source one
        // byte to one and needs only one segment (with a segment a word,
        // building documents was a fifth of a run without pattern
        // searches).
        let mut run: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            // Printable ASCII, most of a policy, is never a space.
            let plain = bytes[i..]
                .iter()
                .position(|&b| b <= b' ' || b >= 0x80)
                .unwrap_or(bytes.len() - i);
            if plain > 0 {
                run.get_or_insert(i);
                i += plain;
                continue;
            }
            let w = space_len(text, i);
            if w == 0 {
                run.get_or_insert(i);
                i += 1;
                continue;
            }
            if let Some(start) = run
                && w == 1
                && i + 1 < bytes.len()
                && space_len(text, i + 1) == 0
            {
                // A space between words is kept as it is; another one-byte
                // space (a tab, a line break) is shown as a space.
                if bytes[i] != b' ' {
                    self.push_exact(src + start, &text[start..i]);
                    self.push_exact(src + i, " ");
                    run = Some(i + 1);
                }
                i += 1;
                continue;
            }
            if let Some(start) = run.take() {
                self.push_exact(src + start, &text[start..i]);
            }
            let at = src + i..src + i + w;
            self.pending_space = Some(match self.pending_space.take() {
                Some(r) if r.end == at.start => r.start..at.end,
                Some(r) => r,
                None => at,
            });
            i += w;
        }
        if let Some(start) = run {
            self.push_exact(src + start, &text[start..]);
        }
    }

    /// Appends visible text that stands for a different source range, such
    /// as a decoded character reference.
    pub fn push_replacement(&mut self, visible: &str, src: Range<usize>) {
        if visible.chars().all(char::is_whitespace) {
            let r = match self.pending_space.take() {
                Some(p) if p.end == src.start => p.start..src.end,
                Some(p) => p,
                None => src,
            };
            self.pending_space = Some(r);
            return;
        }
        self.flush_space();
        self.ensure_block();
        let vis = self.doc.text.len();
        self.doc.text.push_str(visible);
        self.doc.segments.push(Segment {
            vis,
            vis_len: visible.len(),
            src: src.start,
            src_len: src.len(),
            exact: false,
        });
    }

    /// Marks a break between words that has no source text of its own (for
    /// example between two table cells rendered inline).
    pub fn soft_break(&mut self, at: usize) {
        if self.pending_space.is_none() {
            self.pending_space = Some(at..at);
        }
    }

    fn ensure_block(&mut self) {
        if self.block.is_none() {
            self.start_block(BlockKind::Paragraph);
        }
    }

    fn flush_space(&mut self) {
        if let Some(r) = self.pending_space.take() {
            let block_start = self.block.as_ref().map(|b| b.1);
            if block_start.is_some_and(|s| self.doc.text.len() > s) {
                let vis = self.doc.text.len();
                self.doc.text.push(' ');
                let exact = r.len() == 1;
                self.doc.segments.push(Segment {
                    vis,
                    vis_len: 1,
                    src: r.start,
                    src_len: r.len(),
                    exact,
                });
            }
        }
    }

    /// Appends `text` as the visible form of as many source bytes at `src`,
    /// mapped one to one: the source itself, or a space for a one-byte
    /// space character.
    fn push_exact(&mut self, src: usize, text: &str) {
        self.flush_space();
        self.ensure_block();
        let vis = self.doc.text.len();
        self.doc.text.push_str(text);
        if let Some(last) = self.doc.segments.last_mut()
            && last.exact
            && last.vis + last.vis_len == vis
            && last.src + last.src_len == src
        {
            last.vis_len += text.len();
            last.src_len += text.len();
            return;
        }
        self.doc.segments.push(Segment {
            vis,
            vis_len: text.len(),
            src,
            src_len: text.len(),
            exact: true,
        });
    }

    /// Ends the open block; an empty block is dropped.
    pub fn end_block(&mut self) {
        self.pending_space = None;
        let Some((kind, start, table)) = self.block.take() else {
            return;
        };
        let end = self.doc.text.len();
        if end == start {
            // Nothing visible: drop the block and its separator.
            let sep_start = start.saturating_sub(2);
            if start > 0 && self.doc.text[sep_start..start] == *"\n\n" {
                self.doc.text.truncate(sep_start);
            }
            return;
        }
        if let BlockKind::Heading(level) = kind {
            while let Some(&top) = self.section_stack.last() {
                if self.doc.sections[top].level >= level {
                    self.section_stack.pop();
                } else {
                    break;
                }
            }
            let parent = self.section_stack.last().copied();
            self.doc.sections.push(Section {
                level,
                title: self.doc.text[start..end].to_owned(),
                parent,
                range: start..end,
            });
            self.section_stack.push(self.doc.sections.len() - 1);
        }
        self.doc.blocks.push(Block {
            kind,
            range: start..end,
            section: self.section_stack.last().copied(),
            table,
        });
    }

    pub fn finish(mut self) -> Document {
        self.end_block();
        let text_len = self.doc.text.len();
        // A section runs to the next heading of the same or a higher level.
        let n = self.doc.sections.len();
        for i in 0..n {
            let level = self.doc.sections[i].level;
            let end = self.doc.sections[i + 1..]
                .iter()
                .find(|s| s.level <= level)
                .map_or(text_len, |s| s.range.start.saturating_sub(2));
            self.doc.sections[i].range.end = end.max(self.doc.sections[i].range.end);
        }
        self.resolve_next_blocks();
        self.doc
    }

    /// Finds the block after each comment, in source coordinates.
    fn resolve_next_blocks(&mut self) {
        let doc = &mut self.doc;
        if doc.comments.is_empty() {
            return;
        }
        doc.comments.sort_by_key(|c| c.range.start);
        let sources: Vec<Range<usize>> = doc
            .blocks
            .iter()
            .map(|b| doc.source_range(b.range.clone()))
            .collect();
        // The last block of each table.
        let mut table_last = vec![0; self.tables];
        for (i, b) in doc.blocks.iter().enumerate() {
            if let Some(t) = b.table {
                table_last[t] = i;
            }
        }
        for c in &mut doc.comments {
            let i = sources.partition_point(|s| s.start < c.range.end);
            c.next_block = doc.blocks.get(i).map(|b| {
                let last = b.table.map_or(i, |t| table_last[t]);
                sources[i].start..sources[last].end
            });
        }
    }
}

/// The length of the whitespace character at byte `i` of `text`, 0 when
/// there is none (Unicode White_Space, as `char::is_whitespace`). Only
/// four lead bytes begin a non-ASCII space, so other bytes are decided
/// without decoding.
fn space_len(text: &str, i: usize) -> usize {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return usize::from(matches!(b, b' ' | b'\t'..=b'\r'));
    }
    if !matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        return 0;
    }
    match text[i..].chars().next() {
        Some(c) if c.is_whitespace() => c.len_utf8(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of one paragraph: `src`, read from offset `at`.
    fn paragraph(at: usize, src: &str) -> Document {
        let mut b = DocumentBuilder::new(InputFormat::Text);
        b.start_block(BlockKind::Paragraph);
        b.push_source(at, src);
        b.finish()
    }

    #[test]
    fn collapses_whitespace_and_maps_exactly() {
        let src = "We  do\n not   sell.";
        let doc = paragraph(0, src);
        assert_eq!(doc.text, "We do not sell.");
        let s = doc.text.find("sell").unwrap();
        let r = doc.source_range(s..s + 4);
        assert_eq!(&src[r], "sell");
        let r = doc.source_range(0..doc.text.find("not").unwrap() + 3);
        assert_eq!(&src[r], "We  do\n not");
    }

    #[test]
    fn one_byte_spaces_between_words_stay_in_one_segment() {
        let src = " We do\tnot\nsell  your\u{a0}data\u{2003}\u{2003}here. ";
        let doc = paragraph(10, src);
        assert_eq!(doc.text, "We do not sell your data here.");
        // Every word maps to itself, and every one-byte space to itself.
        for word in ["We", "do", "not", "sell", "your", "data", "here."] {
            let v = doc.text.find(word).unwrap();
            let r = doc.source_range(v..v + word.len());
            assert_eq!(&src[r.start - 10..r.end - 10], word);
        }
        let tab = doc.text.find(" not").unwrap();
        assert_eq!(doc.source_range(tab..tab + 1), 16..17);
        // A wider space stands for its run as a whole.
        let run = doc.text.find(" your").unwrap();
        assert_eq!(&src[doc.source_range(run..run + 1).start - 10..][..2], "  ");
        // "We do\tnot\nsell" is one piece, the runs split the rest.
        let pieces: Vec<_> = doc.pieces(0..doc.text.len()).map(|p| p.2).collect();
        assert_eq!(pieces, [true, false, true, false, true, false, true]);
    }

    #[test]
    fn replacements_map_as_a_whole() {
        let src = "a&amp;b";
        let mut b = DocumentBuilder::new(InputFormat::Html);
        b.push_source(0, "a");
        b.push_replacement("&", 1..6);
        b.push_source(6, "b");
        let doc = b.finish();
        assert_eq!(doc.text, "a&b");
        assert_eq!(&src[doc.source_range(1..2)], "&amp;");
        assert_eq!(&src[doc.source_range(0..3)], src);
    }

    #[test]
    fn blocks_and_sections() {
        let mut b = DocumentBuilder::new(InputFormat::Markdown);
        b.start_block(BlockKind::Heading(1));
        b.push_source(2, "Policy");
        b.start_block(BlockKind::Heading(2));
        b.push_source(12, "Children");
        b.start_block(BlockKind::Paragraph);
        b.push_source(30, "We do not collect.");
        b.start_block(BlockKind::Paragraph);
        b.end_block();
        b.start_block(BlockKind::Heading(2));
        b.push_source(60, "Retention");
        let doc = b.finish();
        assert_eq!(doc.text, "Policy\n\nChildren\n\nWe do not collect.\n\nRetention");
        assert_eq!(doc.blocks.len(), 4);
        assert_eq!(doc.heading_path(2), vec!["Policy", "Children"]);
        assert_eq!(doc.heading_path(3), vec!["Policy", "Retention"]);
        let children = &doc.sections[1];
        assert_eq!(
            &doc.text[children.range.clone()],
            "Children\n\nWe do not collect."
        );
        assert_eq!(doc.title_range(), 0..6);
    }
}
