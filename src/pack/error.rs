//! Errors in pack files, shown on the pack file itself.

use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A pack (or another YAML input, such as a label file) that could not be
/// loaded, with the offending line highlighted.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid {what} {path}: {message}")]
#[diagnostic(code(privlint::yaml))]
pub struct PackError {
    /// What the file is: "rule pack", "label file".
    pub what: &'static str,
    pub path: String,
    pub message: String,
    /// What the report shows: the file, with overlong lines clipped.
    #[source_code]
    pub src: NamedSource<String>,
    /// The span in `src`'s coordinates.
    #[label("{label}{column_note}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    /// " (column N)" when clipping hid the start of the span's line.
    column_note: String,
    #[help]
    pub help: Option<String>,
    /// The file as read, which offsets given to the constructors refer to.
    original: Arc<str>,
    /// The span in `original`'s coordinates.
    range: Option<std::ops::Range<usize>>,
}

/// Lines longer than this are clipped in reports: a hostile file with a
/// megabyte on one line must not print a megabyte of diagnostics.
const SHOWN_LINE: usize = 200;

impl PackError {
    pub fn new(path: &str, source: &str, message: String, at: Option<usize>) -> Self {
        // Highlight from the error position to the end of its line.
        let range = at.map(|at| {
            let at = floor_char(source, at.min(source.len()));
            let end = source[at..].find('\n').map_or(source.len(), |n| at + n);
            at..end.max(at)
        });
        let help = suggestion(&message);
        let mut err = PackError {
            what: "rule pack",
            path: path.to_owned(),
            label: "here".to_owned(),
            message,
            src: NamedSource::new(path, String::new()),
            span: None,
            help,
            original: Arc::from(source),
            range: None,
            column_note: String::new(),
        };
        err.set_range(range);
        err
    }
}

impl PackError {
    /// The same error, about another kind of file: "configuration", ...
    pub fn about(mut self, what: &'static str) -> Self {
        self.what = what;
        self
    }

    /// Highlights exactly `range` of the source instead of the rest of a line.
    pub fn with_span(mut self, range: std::ops::Range<usize>) -> Self {
        self.set_range(Some(range));
        self
    }

    /// The byte offset in the file the report points at, if any.
    pub fn offset(&self) -> Option<usize> {
        self.range.as_ref().map(|r| r.start)
    }

    /// The byte range in the file the report highlights, if any.
    pub fn range(&self) -> Option<std::ops::Range<usize>> {
        self.range.clone()
    }

    fn set_range(&mut self, range: Option<std::ops::Range<usize>>) {
        // Offsets come from several places; slicing must not panic.
        let range = range.map(|r| {
            let start = floor_char(&self.original, r.start.min(self.original.len()));
            start..floor_char(&self.original, r.end.min(self.original.len())).max(start)
        });
        let (shown, span, hidden_column) = clip(&self.original, range.clone());
        self.src = NamedSource::new(&self.path, shown);
        self.span = span.map(SourceSpan::from);
        self.column_note = hidden_column.map_or_else(String::new, |c| format!(" (column {c})"));
        self.range = range;
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The source as shown, with every line longer than [`SHOWN_LINE`] cut
/// short, and the span mapped onto it. Line numbers stay right: no line is
/// removed. The line holding the span keeps `SHOWN_LINE` bytes from the
/// span's start; when the span starts further in than that, the start of
/// the line goes too, and the span's real column is returned, since the
/// one the report computes is then wrong.
fn clip(source: &str, range: Option<Range<usize>>) -> (String, Option<Range<usize>>, Option<usize>) {
    let mut shown = String::with_capacity(source.len().min(1 << 16));
    let mut mapped = None;
    let mut hidden_column = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let line_range = offset..offset + line.len();
        let holds = range
            .as_ref()
            .filter(|r| line_range.contains(&r.start) || (r.start == line_range.end && newline.is_empty()));
        let col = holds.map_or(0, |r| r.start - offset);
        let front = if col > SHOWN_LINE {
            floor_char(body, col - SHOWN_LINE / 4)
        } else {
            0
        };
        let back = floor_char(body, body.len().min(col.max(front) + SHOWN_LINE));
        if front > 0 {
            shown.push('…');
            hidden_column = Some(body[..col].chars().count() + 1);
        }
        // Where body[front] lands in `shown`.
        let base = shown.len();
        shown.push_str(&body[front..back]);
        if back < body.len() {
            shown.push('…');
        }
        if let Some(r) = holds {
            let start = base + (col - front);
            let end_in_body = r.end.saturating_sub(offset);
            // A span running past a cut stops at the cut.
            let end = if back < body.len() {
                base + end_in_body.min(back) - front
            } else {
                base + end_in_body - front
            };
            mapped = Some(start..end.max(start));
        }
        shown.push_str(newline);
        offset += line.len();
    }
    // An empty file, or a span at its very end.
    if mapped.is_none()
        && let Some(r) = range
    {
        let at = r.start.min(shown.len());
        mapped = Some(at..at);
    }
    let mapped = mapped.map(|r| {
        let end = floor_char(&shown, r.end.min(shown.len()));
        r.start..end.max(r.start)
    });
    (shown, mapped, hidden_column)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" and "unknown
/// variant" messages, the closest valid name, or the valid values when
/// none is close.
fn suggestion(message: &str) -> Option<String> {
    let (what, rest) = if let Some(rest) = message.split_once("unknown field `") {
        ("key", rest.1)
    } else if let Some(rest) = message.split_once("unknown variant `") {
        ("value", rest.1)
    } else {
        return None;
    };
    let (given, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), *c))
        .min()?;
    // Close, and closer than rewriting the whole word (`3` is three edits
    // from `off`, and no typo of it).
    if best.0 <= 3 && best.0 < given.chars().count() {
        return Some(format!("did you mean the {what} `{}`?", best.1));
    }
    (what == "value").then(|| {
        let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        format!("write one of {}", list.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let msg = "rules[0]: unknown field `paterns`, expected one of `id`, `patterns`, `unless`";
        assert_eq!(
            suggestion(msg).as_deref(),
            Some("did you mean the key `patterns`?")
        );
        assert_eq!(suggestion("unknown field `zzzzzzzz`, expected `id`"), None);
        // A number is no typo of a word: list the values instead.
        assert_eq!(
            suggestion("unknown variant `3`, expected one of `info`, `warning`, `error`").as_deref(),
            Some("write one of `info`, `warning`, `error`")
        );
    }

    #[test]
    fn overlong_lines_are_clipped_in_reports_but_line_numbers_stay() {
        let long = "x".repeat(5000);
        let source = format!("a: 1\nb: {long}\nc: {long}\nd: 2\n");
        let at = source.find("c:").unwrap() + 3 + 10;
        let err = PackError::new("p.yaml", &source, "bad".into(), Some(at));
        let shown = err.src.inner();
        assert!(shown.len() < 1000, "{}", shown.len());
        assert_eq!(shown.lines().count(), 4);
        let span = err.span.unwrap();
        // Still on line 3, at the same column, and at most 200 bytes long.
        assert_eq!(shown[..span.offset()].matches('\n').count(), 2);
        assert!(shown[span.offset()..].starts_with("xxx"));
        assert!(span.len() <= SHOWN_LINE + '…'.len_utf8());
        assert_eq!(err.offset(), Some(at));
        assert_eq!(err.column_note, "");
        // A span 4,000 bytes into its line: the line's start goes too, and
        // the label gives the real column.
        let at = source.find("b:").unwrap() + 4000;
        let err = PackError::new("p.yaml", &source, "bad".into(), Some(at));
        let shown = err.src.inner();
        assert!(shown.len() < 1000, "{}", shown.len());
        assert!(shown[err.span.unwrap().offset()..].starts_with("xxx"));
        assert_eq!(shown[..err.span.unwrap().offset()].matches('\n').count(), 1);
        assert_eq!(err.column_note, " (column 4001)");
    }
}
