//! Pretty output: one miette graphical report per finding.
//!
//! miette prints every source line it is given in full, and a policy can be a
//! single 5 MB line. So each finding gets a small [`Excerpt`]: only the lines
//! around its spans, long lines cut to windows around the span ends (marked
//! with `…`), served to miette through a [`SourceCode`] that reports the real
//! line and column numbers.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::text::{self, SourceLines, forward_chars};
use super::{RenderOptions, Renderer, Summary};
use crate::finding::{FileReport, Finding};
use crate::rule::Severity;
use crate::span::Span;

/// Lines up to this many bytes are shown whole.
const LONG_LINE: usize = 240;
/// Chars kept either side of a span end on a longer line; shared out when a
/// line holds many span ends, down to `MIN_WINDOW` each.
const WINDOW: usize = 60;
const MIN_WINDOW: usize = 16;
/// A multi-line span is drawn over at most this many lines.
const MAX_SPAN_LINES: usize = 12;
/// Context lines around each span; the excerpt holds exactly these.
const CONTEXT_LINES: usize = 1;
const ELLIPSIS: &str = "…";
/// Help text is wrapped to this many chars (plus miette's `  help: `).
const HELP_WIDTH: usize = 92;

#[derive(Debug)]
pub struct PrettyRenderer {
    opts: RenderOptions,
    handler: GraphicalReportHandler,
}

impl PrettyRenderer {
    pub fn new(opts: RenderOptions) -> Self {
        let theme = if opts.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            // Print the citation URL after the code instead of an OSC 8
            // hyperlink, which would leak escape codes into uncoloured output.
            .with_links(false)
            // Help is wrapped here instead: textwrap would break the URLs in
            // citation lines at `?` and `/`.
            .with_wrap_lines(false)
            .with_context_lines(CONTEXT_LINES)
            .without_syntax_highlighting();
        PrettyRenderer { opts, handler }
    }

    fn render_finding(&self, report: &FileReport, lines: &SourceLines, finding: &Finding) -> String {
        let rule = &finding.rule;
        let primary_label = if finding.label.is_empty() {
            &rule.title
        } else {
            &finding.label
        };
        let mut spans = vec![&finding.span];
        spans.extend(finding.labels.iter().map(|l| &l.span));
        let (excerpt, ranges) = Excerpt::build(&report.path, lines, &spans);

        let mut labels = Vec::with_capacity(ranges.len());
        let texts = std::iter::once(primary_label).chain(finding.labels.iter().map(|l| &l.text));
        for (i, (range, label)) in ranges.into_iter().zip(texts).enumerate() {
            let label = (!label.is_empty()).then(|| label.clone());
            let span = (range.start, range.len());
            labels.push(if i == 0 {
                LabeledSpan::new_primary_with_span(label, span)
            } else {
                LabeledSpan::new_with_span(label, span)
            });
        }

        // miette's url slot holds the rule's page, else (a pack rule without
        // one) the first citation's URL; other URLs stay in their citation line.
        let url = rule
            .url
            .as_deref()
            .or_else(|| rule.citations.iter().find_map(|c| c.url.as_deref()));
        let mut help = text::paragraph_of(report, &finding.span)
            .map(|p| format!("in {p}\n"))
            .unwrap_or_default();
        help.push_str(&wrap(rule.help.trim_end(), HELP_WIDTH));
        if let Some(as_of) = finding.as_of {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&text::as_of_line(as_of));
        }
        for citation in &rule.citations {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&text::citation_line(citation, citation.url.as_deref() != url));
        }

        let diagnostic = FindingDiagnostic {
            finding,
            help,
            url,
            source: excerpt,
            labels,
        };
        let mut rendered = String::new();
        if self.handler.render_report(&mut rendered, &diagnostic).is_err() {
            // Only a bug in the excerpt could get here: fall back to one line.
            rendered = format!(
                "{}: {}:{}:{}: {} [{}]\n",
                finding.severity,
                report.path,
                finding.span.line,
                finding.span.column,
                finding.message.trim_end(),
                rule.id
            );
        }
        rendered
    }
}

impl Default for PrettyRenderer {
    fn default() -> Self {
        PrettyRenderer::new(RenderOptions::default())
    }
}

impl Renderer for PrettyRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        text::write_status_and_notices(out, report)?;
        if !report.findings.is_empty() {
            let lines = SourceLines::new(&report.source);
            for finding in &report.findings {
                out.write_all(self.render_finding(report, &lines, finding).as_bytes())?;
                writeln!(out)?;
            }
        }
        if self.opts.show_evidence && !report.evidence.is_empty() {
            text::write_evidence(out, report)?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", text::summary_line(summary))
    }
}

/// A finding as miette sees it.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    help: String,
    url: Option<&'a str>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pack messages may end in a newline (YAML block scalars).
        f.write_str(self.finding.message.trim_end())
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.rule.id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url.map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// The part of a file one finding needs, as a small text of its own.
///
/// Lines come in *runs* of consecutive source lines: the run holding the
/// primary span first, then the others in source order. Reads never cross a
/// run, so miette numbers each run's lines correctly and shows each run as
/// its own snippet.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
}

#[derive(Debug)]
struct ExcerptLine {
    /// 1-based line in the source.
    line: usize,
    run: usize,
    /// Where the line sits in the excerpt, without its `\n`.
    range: Range<usize>,
    /// The windows of the source line shown, in order.
    pieces: Vec<Piece>,
}

#[derive(Debug)]
struct Piece {
    /// Range in the source text.
    source: Range<usize>,
    /// Where the piece starts in the excerpt.
    at: usize,
    /// 1-based column (in chars) of `source.start`.
    column: usize,
}

/// A place on a line that must be visible.
#[derive(Debug, Clone, Copy)]
struct Point {
    line: usize,
    offset: usize,
    column: usize,
}

impl Excerpt {
    /// Builds the excerpt for `spans` (the primary first) and returns each
    /// span's range in it.
    fn build(name: &str, lines: &SourceLines, spans: &[&Span]) -> (Excerpt, Vec<Range<usize>>) {
        let src = lines.text;
        let mut points = Vec::new();
        let mut ends = Vec::with_capacity(spans.len());
        let mut wanted = Vec::with_capacity(spans.len());
        for span in spans {
            let range = text::text_range(src, span);
            let first = lines.clamp_line(span.line);
            let mut last = lines.clamp_line(span.end_line).max(first);
            let start = Point {
                line: first,
                offset: range.start,
                column: span.column.max(1),
            };
            let mut end = Point {
                line: last,
                offset: range.end,
                column: span.end_column.max(1),
            };
            if last - first >= MAX_SPAN_LINES {
                // Draw only the head of a very long span.
                last = first + MAX_SPAN_LINES - 1;
                end = Point {
                    line: last,
                    offset: lines.line_range(last).start,
                    column: 1,
                };
            }
            points.push(start);
            points.push(end);
            for middle in first + 1..last {
                points.push(Point {
                    line: middle,
                    offset: lines.line_range(middle).start,
                    column: 1,
                });
            }
            ends.push((start, end));
            wanted.push((
                first.saturating_sub(CONTEXT_LINES).max(1),
                // No context line for the empty "line" after a final newline.
                (last + CONTEXT_LINES).min(lines.last_content_line().max(last)),
            ));
        }

        // Merge the wanted line intervals into runs; the primary's run leads.
        let primary_line = ends[0].0.line;
        wanted.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (lo, hi) in wanted {
            match runs.last_mut() {
                Some(run) if lo <= run.1 + 1 => run.1 = run.1.max(hi),
                _ => runs.push((lo, hi)),
            }
        }
        if let Some(i) = runs.iter().position(|r| (r.0..=r.1).contains(&primary_line)) {
            let run = runs.remove(i);
            runs.insert(0, run);
        }

        points.sort_unstable_by_key(|p| (p.line, p.offset));
        let mut excerpt = Excerpt {
            name: name.to_string(),
            text: String::new(),
            lines: Vec::new(),
        };
        for (run, &(lo, hi)) in runs.iter().enumerate() {
            for line in lo..=hi {
                let first = points.partition_point(|p| p.line < line);
                let count = points[first..].partition_point(|p| p.line == line);
                excerpt.push_line(src, lines, line, run, &points[first..first + count]);
            }
        }

        let ranges = ends
            .iter()
            .map(|(start, end)| {
                let s = excerpt.locate(start);
                s..excerpt.locate(end).max(s)
            })
            .collect();
        (excerpt, ranges)
    }

    fn push_line(&mut self, src: &str, lines: &SourceLines, line: usize, run: usize, points: &[Point]) {
        let whole = lines.line_range(line);
        let mut windows: Vec<(Range<usize>, usize)> = Vec::new();
        if whole.len() <= LONG_LINE {
            windows.push((whole.clone(), 1));
        } else {
            let line_start = [Point {
                line,
                offset: whole.start,
                column: 1,
            }];
            let points = if points.is_empty() {
                &line_start[..]
            } else {
                points
            };
            // Each span brings two points (start and end), usually close together.
            let window = (WINDOW / points.len().div_ceil(2)).max(MIN_WINDOW);
            for p in points {
                let at = p.offset.clamp(whole.start, whole.end);
                let start = back_chars(src, at, window, whole.start);
                let end = forward_chars(src, at, window, whole.end);
                match windows.last_mut() {
                    Some((w, _)) if start <= w.end => w.end = w.end.max(end),
                    _ => {
                        let skipped = src[start..at].chars().count();
                        windows.push((start..end, p.column.saturating_sub(skipped).max(1)));
                    }
                }
            }
        }

        let begin = self.text.len();
        let mut pieces = Vec::with_capacity(windows.len());
        let mut covered = whole.start;
        for (window, column) in windows {
            if window.start > covered || !pieces.is_empty() {
                self.text.push_str(ELLIPSIS);
            }
            pieces.push(Piece {
                source: window.clone(),
                at: self.text.len(),
                column,
            });
            push_sanitized(&mut self.text, &src[window.clone()]);
            covered = window.end;
        }
        if covered < whole.end {
            self.text.push_str(ELLIPSIS);
        }
        let range = begin..self.text.len();
        self.text.push('\n');
        self.lines.push(ExcerptLine {
            line,
            run,
            range,
            pieces,
        });
    }

    /// Where a source point landed in the excerpt.
    fn locate(&self, point: &Point) -> usize {
        let Some(line) = self.lines.iter().find(|l| l.line == point.line) else {
            return 0;
        };
        let mut at = line.range.start;
        for piece in &line.pieces {
            if point.offset < piece.source.start {
                break;
            }
            at = piece.at + (point.offset.min(piece.source.end) - piece.source.start);
        }
        at
    }

    /// Index into `lines` of the line holding excerpt offset `offset`.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.range.start <= offset)
            .saturating_sub(1)
    }

    /// 0-based source column of excerpt offset `offset` on line `i`.
    fn column_at(&self, i: usize, offset: usize) -> usize {
        let line = &self.lines[i];
        let Some(piece) = line
            .pieces
            .iter()
            .rev()
            .find(|p| p.at <= offset)
            .or(line.pieces.first())
        else {
            return 0;
        };
        let from = piece.at.min(offset);
        let to = offset.min(piece.at + piece.source.len()).max(from);
        piece.column - 1 + self.text[from..to].chars().count()
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_at(start);
        let last = self.line_at(end.saturating_sub(1).max(start));
        let run = self.lines[first].run;
        if self.lines[last].run != run {
            // Refuse to join runs: miette then shows them as separate snippets.
            return Err(MietteError::OutOfBounds);
        }
        let mut top = first;
        while first - top < context_lines_before && top > 0 && self.lines[top - 1].run == run {
            top -= 1;
        }
        let mut bottom = last;
        while bottom - last < context_lines_after
            && bottom + 1 < self.lines.len()
            && self.lines[bottom + 1].run == run
        {
            bottom += 1;
        }
        // Like miette's own sources: with no context before, the data starts
        // at the span and the column is the span's; otherwise at a line start.
        let (data_start, column) = if context_lines_before == 0 {
            (start, self.column_at(first, start))
        } else {
            (self.lines[top].range.start, 0)
        };
        let data_end = (self.lines[bottom].range.end + 1).min(self.text.len()).max(end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            self.lines[top].line - 1,
            column,
            bottom - top + 1,
        )))
    }
}

/// Greedy word wrap of each line of `text` to `width` chars, keeping each
/// line's indentation; a longer word (a URL, say) gets a line to itself.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width + 1);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        out.push_str(indent);
        let mut used = indent.chars().count();
        let mut first = true;
        for word in body.split_whitespace() {
            let n = word.chars().count();
            if !first && used + 1 + n > width {
                out.push('\n');
                out.push_str(indent);
                used = indent.chars().count();
                first = true;
            }
            if !first {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += n;
            first = false;
        }
    }
    out
}

/// Start of the window reaching `n` chars back from `at`, but not before `floor`.
fn back_chars(src: &str, at: usize, n: usize, floor: usize) -> usize {
    src[floor..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| floor + i)
}

/// Appends `s` with control and bidi-override characters replaced by
/// characters of the same UTF-8 length (so excerpt offsets stay aligned with
/// the source), keeping policy text from driving the terminal.
fn push_sanitized(out: &mut String, s: &str) {
    for c in s.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c == '\t' || !(c.is_control() || bidi) {
            out.push(c);
        } else {
            out.push(match c.len_utf8() {
                1 => ' ',
                2 => '¤',
                _ => '\u{FFFD}',
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::render::text::tests::{POLICY, render_with, sample_report, span, span_of};

    fn render(report: &FileReport, show_evidence: bool) -> String {
        let mut r = PrettyRenderer::new(RenderOptions {
            show_evidence,
            color: false,
        });
        render_with(&mut r, report)
    }

    #[test]
    fn renders_finding_with_labels_help_and_citations() {
        let out = render(&sample_report(), true);
        assert!(!out.contains('\u{1b}'), "no ANSI codes without colour:\n{out}");
        for needle in [
            "note: privacy/policy.md: front matter ignored",
            // The rule's page is the diagnostic's url, so every citation
            // keeps its own URL.
            "third-party-sale/contradiction (https://example.com/rules/third-party-sale/contradiction.md)",
            "The policy both denies and affirms selling personal information",
            "[privacy/policy.md:4:8]",
            " 3 │ We do not sell.",
            " 4 │ We may sell your data.",
            "sale affirmed here",
            "sale denied here",
            "help: Say one thing about selling data.",
            "cited: Cal. Civ. Code, § 1798.115(c) <https://example.com/ccpa>\n",
            "cited: GDPR, Art. 13\n",
            // The zero-length finding still points somewhere, with the rule
            // title standing in for its empty label.
            "retention/missing",
            "[privacy/policy.md:1:1]",
            "Sale of personal information",
            "evidence retention/stated\n  privacy/policy.md:3:1: \"We do not sell.\"\n",
            "1 error, 0 warnings, 1 info in 1 file.\n",
        ] {
            assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
        }
        assert!(out.contains('×') && out.contains('☞'), "severity icons:\n{out}");
    }

    #[test]
    fn without_a_rule_page_the_first_citation_is_the_url() {
        let mut report = sample_report();
        report.findings.truncate(1);
        let mut rule = (*report.findings[0].rule).clone();
        rule.url = None;
        report.findings[0].rule = Arc::new(rule);
        let out = render(&report, false);
        assert!(
            out.contains("third-party-sale/contradiction (https://example.com/ccpa)"),
            "{out}"
        );
        assert!(out.contains("cited: Cal. Civ. Code, § 1798.115(c)\n"), "{out}");
    }

    #[test]
    fn evidence_only_when_asked() {
        assert!(!render(&sample_report(), false).contains("evidence"));
    }

    #[test]
    fn colour_when_asked() {
        let mut r = PrettyRenderer::new(RenderOptions {
            show_evidence: false,
            color: true,
        });
        let mut out = Vec::new();
        r.file(&mut out, &sample_report()).unwrap();
        assert!(String::from_utf8(out).unwrap().contains('\u{1b}'));
    }

    /// A one-finding report over `src` with the primary span on `needle`.
    fn one_finding(src: &str, primary: Span, labels: Vec<crate::finding::Label>) -> FileReport {
        let mut report = sample_report();
        report.source = Arc::from(src);
        report.notices.clear();
        report.evidence.clear();
        report.findings.truncate(1);
        report.findings[0].span = primary;
        report.findings[0].labels = labels;
        report
    }

    #[test]
    fn multibyte_and_crlf_columns() {
        let src = "Café policy\r\nWe don’t sell.\r\nWe sell data é.\r\n";
        let primary = span_of(src, "sell", 1);
        assert_eq!((primary.line, primary.column), (3, 4));
        let label = crate::finding::Label {
            span: span_of(src, "sell", 0),
            text: "denied".into(),
        };
        let out = render(&one_finding(src, primary, vec![label]), false);
        assert!(out.contains("[privacy/policy.md:3:4]"), "{out}");
        assert!(out.contains(" 2 │ We don’t sell.\n"), "{out}");
        assert!(out.contains(" 3 │ We sell data é.\n"), "{out}");
        assert!(!out.contains('\r'), "{out}");
    }

    #[test]
    fn long_single_line_is_windowed() {
        let mut src = "word ".repeat(20_000);
        src.push_str("We may sell your data. ");
        src.push_str(&"more ".repeat(20_000));
        let primary = span_of(&src, "sell", 0);
        // A secondary label far away on the same line gets its own window.
        let far = span(&src, 10..14);
        let label = crate::finding::Label {
            span: far,
            text: "far away".into(),
        };
        let out = render(&one_finding(&src, primary, vec![label]), false);
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains("[privacy/policy.md:1:100008]"), "{out}");
        assert!(
            out.contains("word word…rd word") && out.contains(" We may sell your data. more more more mor…"),
            "{out}"
        );
        assert!(
            out.contains("far away") && out.contains("sale affirmed here"),
            "{out}"
        );
    }

    #[test]
    fn distant_lines_become_separate_snippets() {
        let mut src = String::from("We do not sell.\n");
        for i in 0..50 {
            src.push_str(&format!("Filler line {i}.\n"));
        }
        src.push_str("We may sell your data.\n");
        let primary = span_of(&src, "sell", 1);
        let label = crate::finding::Label {
            span: span_of(&src, "sell", 0),
            text: "denied".into(),
        };
        let out = render(&one_finding(&src, primary, vec![label]), false);
        // Primary snippet first, then the denial's, each with real line numbers.
        let primary_at = out.find("[privacy/policy.md:52:8]").expect(&out);
        let denial_at = out.find("[privacy/policy.md:1:11]").expect(&out);
        assert!(primary_at < denial_at, "{out}");
        assert!(
            out.contains("52 │ We may sell your data.") && out.contains(" 1 │ We do not sell."),
            "{out}"
        );
        assert!(!out.contains("Filler line 25"), "{out}");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let src = "We \u{1b}[2J sell\u{202E} data.\n";
        let primary = span_of(src, "sell", 0);
        let out = render(&one_finding(src, primary, Vec::new()), false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202E}'), "{out}");
        assert!(out.contains("[privacy/policy.md:1:9]"), "{out}");
    }

    #[test]
    fn very_long_spans_show_their_head() {
        let src: String = (1..=40).map(|i| format!("Line {i}.\n")).collect();
        let whole = span(&src, 0..src.len() - 1);
        let out = render(&one_finding(&src, whole, Vec::new()), false);
        assert!(out.contains("[privacy/policy.md:1:1]"), "{out}");
        assert!(
            out.contains(" 1 │ ╭─▶ Line 1.") && out.contains("Line 12."),
            "{out}"
        );
        assert!(!out.contains("Line 14.") && !out.contains("Line 40."), "{out}");
    }

    #[test]
    fn help_wraps_without_breaking_words() {
        let text = "  one two three four five six\nhttps://example.com/a-very-long-url?x=1";
        assert_eq!(
            wrap(text, 14),
            "  one two\n  three four\n  five six\nhttps://example.com/a-very-long-url?x=1"
        );
    }

    #[test]
    fn sample_policy_sanity() {
        // The shared fixture's spans are what the assertions above assume.
        let s = span_of(POLICY, "sell", 1);
        assert_eq!((s.line, s.column, s.end_column), (4, 8, 12));
    }
}
