//! The policy itself as HTML: its blocks as headings, paragraphs, lists
//! and tables, with the highlights in place.

use std::fmt::Write as _;

use crate::document::BlockKind;
use crate::outline::{Outline, OutlineBlock};

use super::highlight::{Highlight, write_block};

/// The policy's headings sit below the report's own (h1 the report, h2
/// the policy, h3 its parts), so a policy's h1 is shown as an h4.
const HEADING_SHIFT: u8 = 3;

pub fn render(source: &str, outline: &Outline, marks: &[Highlight], placed: &mut [bool]) -> String {
    let mut h = String::new();
    let blocks = &outline.blocks;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        if let Some(t) = b.table {
            let end = run_end(blocks, i, |x| x.table == Some(t));
            write_table(&mut h, source, &blocks[i..end], marks, placed);
            i = end;
            continue;
        }
        match b.kind {
            BlockKind::ListItem => {
                // The outline does not say how lists nest or whether they
                // are numbered: consecutive items are one bulleted list.
                let end = run_end(blocks, i, |x| x.kind == BlockKind::ListItem && x.table.is_none());
                h.push_str("<ul>\n");
                for item in &blocks[i..end] {
                    h.push_str("<li>");
                    write_block(&mut h, source, &item.pieces, marks, placed);
                    h.push_str("</li>\n");
                }
                h.push_str("</ul>\n");
                i = end;
                continue;
            }
            BlockKind::Heading(level) => {
                let tag = (level + HEADING_SHIFT).min(6);
                let _ = write!(h, "<h{tag} class=\"ph ph{level}\">");
                write_block(&mut h, source, &b.pieces, marks, placed);
                let _ = writeln!(h, "</h{tag}>");
            }
            BlockKind::Paragraph | BlockKind::TableCell | BlockKind::TableHeader => {
                h.push_str("<p>");
                write_block(&mut h, source, &b.pieces, marks, placed);
                h.push_str("</p>\n");
            }
        }
        i += 1;
    }
    h
}

/// The index after the run of blocks from `start` that `same` accepts.
fn run_end(blocks: &[OutlineBlock], start: usize, same: impl Fn(&OutlineBlock) -> bool) -> usize {
    start + blocks[start..].iter().take_while(|b| same(b)).count()
}

/// A table's blocks. The outline has cells but not rows: when the table
/// starts with header cells, their number is taken as the number of
/// columns; otherwise each cell is shown on a row of its own. A block of
/// the table that is not a cell (a caption) spans the row.
fn write_table(
    h: &mut String,
    source: &str,
    blocks: &[OutlineBlock],
    marks: &[Highlight],
    placed: &mut [bool],
) {
    let is_cell = |b: &OutlineBlock| matches!(b.kind, BlockKind::TableCell | BlockKind::TableHeader);
    let columns = blocks
        .iter()
        .skip_while(|b| !is_cell(b))
        .take_while(|b| b.kind == BlockKind::TableHeader)
        .count()
        .max(1);
    h.push_str("<div class=\"table-wrap\"><table>\n");
    let mut in_row = 0;
    for b in blocks {
        if !is_cell(b) {
            if in_row > 0 {
                h.push_str("</tr>\n");
                in_row = 0;
            }
            let _ = write!(h, "<tr><td colspan=\"{columns}\" class=\"caption\">");
            write_block(h, source, &b.pieces, marks, placed);
            h.push_str("</td></tr>\n");
            continue;
        }
        if in_row == 0 {
            h.push_str("<tr>");
        }
        let (open, close) = match b.kind {
            BlockKind::TableHeader => ("<th scope=\"col\">", "</th>"),
            _ => ("<td>", "</td>"),
        };
        h.push_str(open);
        write_block(h, source, &b.pieces, marks, placed);
        h.push_str(close);
        in_row += 1;
        if in_row == columns {
            h.push_str("</tr>\n");
            in_row = 0;
        }
    }
    if in_row > 0 {
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
}
