//! A policy's blocks in decoded-source coordinates: what a renderer needs
//! to show the policy itself (the HTML report) with its headings,
//! paragraphs, lists and tables, without parsing it again.

use std::ops::Range;

use crate::document::{BlockKind, Document};

/// The blocks of a document, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub blocks: Vec<OutlineBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineBlock {
    pub kind: BlockKind,
    /// Which table of the document the block is in, counted from 0.
    pub table: Option<usize>,
    /// The block's visible text, piece by piece, in source order.
    pub pieces: Vec<Piece>,
}

/// A piece of visible text and the decoded-source range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub source: Range<usize>,
    /// The visible text when it is not the source verbatim (a decoded
    /// entity such as `&amp;`, a whitespace run shown as one space).
    pub replacement: Option<Box<str>>,
}

impl Piece {
    /// What the piece shows, given the decoded source it points into.
    pub fn text<'a>(&'a self, source: &'a str) -> &'a str {
        match &self.replacement {
            Some(r) => r,
            None => source.get(self.source.clone()).unwrap_or_default(),
        }
    }
}

impl Outline {
    pub fn of(doc: &Document) -> Self {
        let blocks = doc
            .blocks
            .iter()
            .map(|b| OutlineBlock {
                kind: b.kind,
                table: b.table,
                pieces: doc
                    .pieces(b.range.clone())
                    .map(|(vis, source, exact)| Piece {
                        source,
                        replacement: (!exact).then(|| doc.text[vis].into()),
                    })
                    .collect(),
            })
            .collect();
        Outline { blocks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::InputFormat;

    #[test]
    fn kept_only_when_asked() {
        let lint = |outline| {
            let options = crate::lint::LintOptions {
                outline,
                ..crate::lint::LintOptions::default()
            };
            crate::lint::Linter::with_options(crate::pack::load(&[]).unwrap(), options)
                .lint_bytes("p.md".into(), b"# P\n\nWe sell data.\n", InputFormat::Markdown)
                .outline
        };
        assert!(lint(false).is_none());
        let kept = lint(true).expect("asked for");
        assert_eq!(kept.blocks.len(), 2);
    }

    #[test]
    fn pieces_show_the_visible_text_and_point_at_the_source() {
        let src = "<h2>Data &amp; you</h2>\n<p>We  do\n not sell.</p>";
        let doc = crate::parse::parse(src, InputFormat::Html);
        let outline = Outline::of(&doc);
        assert_eq!(outline.blocks.len(), 2);
        assert_eq!(outline.blocks[0].kind, BlockKind::Heading(2));
        let shown: Vec<String> = outline
            .blocks
            .iter()
            .map(|b| b.pieces.iter().map(|p| p.text(src)).collect())
            .collect();
        assert_eq!(shown, ["Data & you", "We do not sell."]);
        let amp = outline.blocks[0]
            .pieces
            .iter()
            .find(|p| p.replacement.is_some())
            .unwrap();
        assert_eq!(&src[amp.source.clone()], "&amp;");
        // Verbatim pieces are the source itself, markup left out.
        for p in outline.blocks.iter().flat_map(|b| &b.pieces) {
            if p.replacement.is_none() {
                assert!(!src[p.source.clone()].contains('<'));
            }
        }
    }
}
