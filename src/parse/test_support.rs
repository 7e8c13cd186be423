//! Helpers shared by the parsers' unit tests.

use crate::document::{BlockKind, Document};

/// Each block's kind and visible text.
pub fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, &doc.text[b.range.clone()]))
        .collect()
}

/// The source that the first visible occurrence of `word` maps back to.
pub fn source_of<'a>(src: &'a str, doc: &Document, word: &str) -> &'a str {
    let at = doc.text.find(word).expect("word is visible");
    &src[doc.source_range(at..at + word.len())]
}

/// Every whitespace-separated word of every block maps back inside the
/// source, on character boundaries; with `verbatim`, to the very same text.
pub fn assert_words_map(src: &str, doc: &Document, verbatim: bool) {
    for b in &doc.blocks {
        let block = &doc.text[b.range.clone()];
        let mut start = None;
        for (i, c) in block.char_indices().chain(std::iter::once((block.len(), ' '))) {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    let vis = b.range.start + s..b.range.start + i;
                    let mapped = doc.source_range(vis.clone());
                    assert!(mapped.end <= src.len());
                    assert!(src.is_char_boundary(mapped.start) && src.is_char_boundary(mapped.end));
                    if verbatim {
                        assert_eq!(&src[mapped], &doc.text[vis]);
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
}
