//! Code actions: a comment that suppresses a finding (see
//! `docs/suppressions.md`), `privlint-disable-next-block` for the block the
//! finding is in and `privlint-disable-file` for the whole policy.
//!
//! Where a comment can go without changing the policy depends on the
//! markup around it (a comment line inside a Markdown paragraph splits
//! it; one before a minified HTML page's first tag covers the wrong
//! block), so each place is tried on a copy of the text: an edit is
//! offered only when the copy reads the same to a visitor (the same
//! visible text), the finding is gone, and no directive problem is new.

use crate::document::{Document, InputFormat};
use crate::finding::{FileReport, Finding};
use crate::lsp::document;
use crate::lsp::workspace::Loaded;
use crate::parse;
use crate::rule::RuleKind;

/// The reason field the user is expected to fill in.
const REASON: &str = "TODO: reason";

/// An insertion that suppresses one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub title: String,
    /// Byte offset in the document text to insert at.
    pub at: usize,
    pub text: String,
}

/// What a suppression is checked against: the document as it is linted.
pub struct Context<'a> {
    pub loaded: &'a Loaded,
    pub path: Option<&'a std::path::Path>,
    pub text: &'a str,
    pub format: InputFormat,
    /// What linting `text` found (kept from the last lint, so that each
    /// candidate costs one lint, not two).
    pub findings: &'a [Finding],
}

/// The suppressions offered for `finding`, most local first. None for
/// plain text (no comments there), nor for privlint's own findings (a
/// directive cannot silence them).
pub fn suppressions(cx: &Context, finding: &Finding) -> Vec<Suppression> {
    if cx.format == InputFormat::Text || finding.rule.kind == RuleKind::Directive {
        return Vec::new();
    }
    // The decoder drops a byte order mark; spans and the parse below are
    // in the text after it.
    let bom = if cx.text.starts_with('\u{feff}') { 3 } else { 0 };
    let source = &cx.text[bom..];
    let doc = parse::parse(source, cx.format);
    let id = &finding.rule.id;
    let mut out = Vec::new();
    // A missing statement is about the whole policy: only a file-wide
    // directive silences it.
    if !finding.whole_document {
        let comment = format!("<!-- privlint-disable-next-block {id} -- {REASON} -->");
        let start = block_start(&doc, finding.span.text.start);
        let candidates = start
            .map(|s| next_block_places(source, s, &comment))
            .unwrap_or_default();
        if let Some(s) = first_that_works(cx, &doc, finding, bom, candidates) {
            out.push(Suppression {
                title: format!("Suppress {id} in this block"),
                ..s
            });
        }
    }
    let comment = format!("<!-- privlint-disable-file {id} -- {REASON} -->");
    let title_end = doc.source_range(doc.title_range()).end;
    let candidates = file_places(source, title_end, &comment);
    if let Some(s) = first_that_works(cx, &doc, finding, bom, candidates) {
        out.push(Suppression {
            title: format!("Suppress {id} in this file"),
            ..s
        });
    }
    out
}

fn lint(cx: &Context, text: &str) -> FileReport {
    document::lint(cx.loaded, cx.path, String::new(), text, cx.format)
}

/// The decoded-source start of the block holding `at` (of its whole table
/// when it is a table cell: a directive before a table covers all of it).
fn block_start(doc: &Document, at: usize) -> Option<usize> {
    let starts: Vec<usize> = doc
        .blocks
        .iter()
        .map(|b| doc.source_range(b.range.clone()).start)
        .collect();
    let i = starts.iter().rposition(|&s| s <= at)?;
    let i = match doc.blocks[i].table {
        Some(t) => doc.blocks.iter().position(|b| b.table == Some(t)).unwrap_or(i),
        None => i,
    };
    Some(starts[i])
}

/// Places for a next-block comment: on a line of its own before the
/// block's line, indented like it; else right before the block's text.
fn next_block_places(source: &str, start: usize, comment: &str) -> Vec<(usize, String)> {
    let line = line_start(source, start);
    let indent: String = source[line..start]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    vec![
        (line, format!("{indent}{comment}\n")),
        (start, format!("{comment} ")),
    ]
}

/// Places for a file-wide comment: on the line after the title, else at
/// the end.
fn file_places(source: &str, title_end: usize, comment: &str) -> Vec<(usize, String)> {
    let mut places = Vec::new();
    if let Some(nl) = source[title_end..].find('\n') {
        places.push((title_end + nl + 1, format!("{comment}\n")));
    }
    let lead = if source.is_empty() || source.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    places.push((source.len(), format!("{lead}{comment}\n")));
    places
}

fn line_start(source: &str, at: usize) -> usize {
    source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The first candidate (offsets in the text after any BOM) that, applied,
/// leaves the visible text as it was, silences `finding` and adds no
/// directive problem.
fn first_that_works(
    cx: &Context,
    doc: &Document,
    finding: &Finding,
    bom: usize,
    candidates: Vec<(usize, String)>,
) -> Option<Suppression> {
    let same = |f: &&Finding| f.rule.id == finding.rule.id && f.fingerprint == finding.fingerprint;
    let problems = |fs: &[Finding]| fs.iter().filter(|f| f.rule.kind == RuleKind::Directive).count();
    let count = cx.findings.iter().filter(same).count();
    candidates.into_iter().find_map(|(at, text)| {
        let at = at + bom;
        let mut edited = String::with_capacity(cx.text.len() + text.len());
        edited.push_str(&cx.text[..at]);
        edited.push_str(&text);
        edited.push_str(&cx.text[at..]);
        if parse::parse(&edited[bom..], cx.format).text != doc.text {
            return None;
        }
        let after = lint(cx, &edited);
        let works = after.findings.iter().filter(same).count() < count
            && problems(&after.findings) <= problems(cx.findings);
        works.then(|| Suppression {
            title: String::new(),
            at,
            text,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::workspace::Configs;

    /// The finding is on the second line of a paragraph.
    const TEXT: &str =
        "# Privacy\n\nWe collect your e-mail address.\nWe comply with the U.S.-EU Safe Harbor Framework.\n";
    const RULE: &str = "safe-harbor/eu-us-safe-harbor";

    fn check(format: InputFormat, test: impl FnOnce(&Context, &Finding)) {
        // No path: the default packs, whatever folder the test runs in.
        let loaded = Configs::default().for_document(None).unwrap();
        let findings = document::lint(&loaded, None, String::new(), TEXT, format).findings;
        let cx = Context {
            loaded: &loaded,
            path: None,
            text: TEXT,
            format,
            findings: &findings,
        };
        test(&cx, findings.iter().find(|f| f.rule.id == RULE).unwrap());
    }

    #[test]
    fn a_place_that_changes_what_readers_see_is_refused() {
        check(InputFormat::Markdown, |cx, finding| {
            let doc = parse::parse(TEXT, InputFormat::Markdown);
            let comment = format!("<!-- privlint-disable-next-block {RULE} -->\n");
            // A comment line inside the paragraph splits it in two: the
            // finding's half is the next block, so the directive would
            // work, but the policy would read differently.
            let inside = TEXT.find("We comply").unwrap();
            let candidate = vec![(inside, comment.clone())];
            assert_eq!(first_that_works(cx, &doc, finding, 0, candidate), None);
            // Before the paragraph it changes nothing a reader sees.
            let before = TEXT.find("We collect").unwrap();
            let candidate = vec![(inside, comment.clone()), (before, comment.clone())];
            let found = first_that_works(cx, &doc, finding, 0, candidate).unwrap();
            assert_eq!(found.at, before);
            // One that names another rule silences nothing.
            let other = vec![(before, "<!-- privlint-disable-next-block coppa -->\n".to_owned())];
            assert_eq!(first_that_works(cx, &doc, finding, 0, other), None);
        });
    }

    #[test]
    fn suppressions_go_before_the_block_and_after_the_title() {
        check(InputFormat::Markdown, |cx, finding| {
            let offered = suppressions(cx, finding);
            let places: Vec<usize> = offered.iter().map(|s| s.at).collect();
            assert_eq!(places, [TEXT.find("We collect").unwrap(), "# Privacy\n".len()]);
            assert_eq!(
                offered[0].text,
                format!("<!-- privlint-disable-next-block {RULE} -- TODO: reason -->\n")
            );
        });
    }

    #[test]
    fn plain_text_gets_no_suppression() {
        check(InputFormat::Text, |cx, finding| {
            assert!(suppressions(cx, finding).is_empty());
        });
    }
}
