//! One block of policy text as HTML with its highlights: overlapping
//! ranges become properly nested `<mark>`s, split (and reopened as
//! continuations) where they cross.

use std::fmt::Write as _;
use std::ops::Range;

use crate::outline::Piece;

use super::esc;

/// A range of the decoded source to highlight.
#[derive(Debug, Clone)]
pub struct Highlight {
    /// The id of its first `<mark>`; continuations carry it in `data-of`.
    pub id: String,
    /// The short visible label, e.g. `F2`, shown at its start.
    pub label: String,
    /// CSS classes, e.g. `finding sev-error`.
    pub class: String,
    /// The scorecard row its label links back to.
    pub row: String,
    /// Accessible name of the back link.
    pub title: String,
    pub range: Range<usize>,
}

/// Writes the pieces of one block, with the highlights that fall in it;
/// sets `placed[i]` for every highlight it showed (first fragment).
pub fn write_block(
    out: &mut String,
    source: &str,
    pieces: &[Piece],
    marks: &[Highlight],
    placed: &mut [bool],
) {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return;
    };
    let block = first.source.start..last.source.end;
    // Highlights touching the block, outer first: earlier start, then
    // longer.
    let mut here: Vec<usize> = (0..marks.len())
        .filter(|&i| {
            let r = &marks[i].range;
            if r.is_empty() {
                r.start >= block.start && r.start <= block.end
            } else {
                r.start < block.end && r.end > block.start
            }
        })
        .collect();
    here.sort_by_key(|&i| (marks[i].range.start, std::cmp::Reverse(marks[i].range.end), i));
    let mut open: Vec<usize> = Vec::new();
    for piece in pieces {
        let text = piece.text(source);
        // Cut points inside the piece: where highlights start or end. A
        // piece that stands for its source as a whole (an entity) is not
        // cut.
        let mut cuts = vec![piece.source.start, piece.source.end];
        if piece.replacement.is_none() {
            for &i in &here {
                let r = &marks[i].range;
                for p in [r.start, r.end] {
                    if p > piece.source.start
                        && p < piece.source.end
                        && text.is_char_boundary(p - piece.source.start)
                    {
                        cuts.push(p);
                    }
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            // Empty highlights at this point, in the open context.
            for &i in &here {
                let r = &marks[i].range;
                if r.is_empty() && !placed[i] && r.start <= a {
                    open_mark(out, &marks[i], &mut placed[i]);
                    out.push_str("</mark>");
                }
            }
            let want: Vec<usize> = here
                .iter()
                .copied()
                .filter(|&i| {
                    let r = &marks[i].range;
                    !r.is_empty() && r.start < b && r.end > a
                })
                .collect();
            let keep = open.iter().zip(&want).take_while(|(x, y)| x == y).count();
            for _ in keep..open.len() {
                out.push_str("</mark>");
            }
            open.truncate(keep);
            for &i in &want[keep..] {
                open_mark(out, &marks[i], &mut placed[i]);
                open.push(i);
            }
            let slice = match &piece.replacement {
                Some(r) => r.as_ref(),
                None => &text[a - piece.source.start..b - piece.source.start],
            };
            out.push_str(&esc(slice));
        }
    }
    for &i in &here {
        if marks[i].range.is_empty() && !placed[i] {
            open_mark(out, &marks[i], &mut placed[i]);
            out.push_str("</mark>");
        }
    }
    for _ in &open {
        out.push_str("</mark>");
    }
}

/// The first fragment carries the id and the labelled back link; later
/// ones (after a split) point to it.
fn open_mark(out: &mut String, m: &Highlight, placed: &mut bool) {
    if *placed {
        let _ = write!(
            out,
            "<mark class=\"{} cont\" data-of=\"{}\">",
            esc(&m.class),
            esc(&m.id)
        );
        return;
    }
    *placed = true;
    let _ = write!(
        out,
        "<mark id=\"{id}\" class=\"{class}\"><a class=\"tag\" href=\"#{row}\" aria-label=\"{title}\">{label}</a>",
        id = esc(&m.id),
        class = esc(&m.class),
        row = esc(&m.row),
        title = esc(&m.title),
        label = esc(&m.label),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(id: &str, range: Range<usize>) -> Highlight {
        Highlight {
            id: id.into(),
            label: id.to_uppercase(),
            class: "finding".into(),
            row: format!("r-{id}"),
            title: "t".into(),
            range,
        }
    }

    fn piece(range: Range<usize>) -> Piece {
        Piece {
            source: range,
            replacement: None,
        }
    }

    fn render(src: &str, pieces: &[Piece], marks: &[Highlight]) -> (String, Vec<bool>) {
        let mut out = String::new();
        let mut placed = vec![false; marks.len()];
        write_block(&mut out, src, pieces, marks, &mut placed);
        (out, placed)
    }

    /// Every `<mark>` opened is closed, and never more closed than open.
    fn tags_balanced(html: &str) -> bool {
        let mut depth = 0i32;
        let mut rest = html;
        while let Some(i) = rest.find("<mark").into_iter().chain(rest.find("</mark>")).min() {
            depth += if rest[i..].starts_with("</") { -1 } else { 1 };
            if depth < 0 {
                return false;
            }
            rest = &rest[i + 2..];
        }
        depth == 0
    }

    #[test]
    fn a_finding_inside_evidence_nests() {
        let src = "We keep data. We sell it daily.";
        let (html, placed) = render(
            src,
            &[piece(0..src.len())],
            &[mark("e1", 14..31), mark("f1", 17..21)],
        );
        assert_eq!(
            html,
            "We keep data. <mark id=\"e1\" class=\"finding\"><a class=\"tag\" href=\"#r-e1\" aria-label=\"t\">E1</a>\
             We <mark id=\"f1\" class=\"finding\"><a class=\"tag\" href=\"#r-f1\" aria-label=\"t\">F1</a>sell</mark> \
             it daily.</mark>"
        );
        assert_eq!(placed, [true, true]);
    }

    #[test]
    fn crossing_highlights_split_and_continue() {
        let src = "aaaa bbbb cccc";
        let (html, _) = render(src, &[piece(0..src.len())], &[mark("x", 0..9), mark("y", 5..14)]);
        assert!(tags_balanced(&html), "{html}");
        assert!(
            html.ends_with("<mark class=\"finding cont\" data-of=\"y\"> cccc</mark>"),
            "{html}"
        );
        // Each id once.
        assert_eq!(html.matches("id=\"y\"").count(), 1);
        assert_eq!(html.matches("id=\"x\"").count(), 1);
    }

    #[test]
    fn markup_between_pieces_is_left_out_and_highlights_span_it() {
        // "We **sell** data": the pieces skip the asterisks.
        let src = "We **sell** data";
        let pieces = [piece(0..3), piece(5..9), piece(11..16)];
        let (html, _) = render(src, &pieces, &[mark("f", 0..16)]);
        assert_eq!(
            html,
            "<mark id=\"f\" class=\"finding\"><a class=\"tag\" href=\"#r-f\" aria-label=\"t\">F</a>We sell data</mark>"
        );
    }

    #[test]
    fn entities_are_shown_decoded_and_never_cut() {
        let src = "A &amp; B";
        let pieces = [
            piece(0..2),
            Piece {
                source: 2..7,
                replacement: Some("&".into()),
            },
            piece(7..9),
        ];
        let (html, _) = render(src, &pieces, &[mark("f", 2..7)]);
        assert!(html.contains("F</a>&amp;</mark> B"), "{html}");
    }

    #[test]
    fn hostile_text_is_escaped() {
        let src = "<script>alert(1)</script> \"quoted\"";
        let (html, _) = render(src, &[piece(0..src.len())], &[mark("f", 0..8)]);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn an_empty_range_shows_its_label_in_place() {
        let src = "one two";
        let (html, placed) = render(src, &[piece(0..src.len())], &[mark("f", 4..4)]);
        assert_eq!(
            html,
            "one <mark id=\"f\" class=\"finding\"><a class=\"tag\" href=\"#r-f\" aria-label=\"t\">F</a></mark>two"
        );
        assert_eq!(placed, [true]);
    }

    #[test]
    fn a_range_outside_the_block_is_not_placed() {
        let src = "one two <!-- c -->";
        let (html, placed) = render(src, &[piece(0..7)], &[mark("f", 8..18)]);
        assert_eq!(html, "one two");
        assert_eq!(placed, [false]);
    }
}
