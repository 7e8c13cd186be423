//! Plain output: rustc-style diagnostics from annotate-snippets, without
//! colour or box drawing.
//!
//! annotate-snippets trims long lines to a window around the annotations
//! itself, and works out the `-->` column from the text it is given, so the
//! lines handed to it are never cut on the left. What this module guards
//! against is the rest: it hands over only the lines a finding needs, cuts
//! them on the right, and splits annotations that could not share one
//! 140-column window into separate snippets (otherwise annotate-snippets
//! prints everything between them).

use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Snippet};

use super::text::{self, SourceLines, forward_chars};
use super::{RenderOptions, Renderer, Summary};
use crate::finding::{FileReport, Finding};
use crate::rule::Severity;
use crate::span::Span;

/// Lines up to this many bytes fit annotate-snippets' window whole.
const SHORT_LINE: usize = 120;
/// Widest column spread of annotations drawn together on long lines; with
/// the label it still fits annotate-snippets' 140-column window.
const MAX_SPREAD: usize = 80;
/// Chars kept past the rightmost annotation column before a line is cut.
const TAIL_CHARS: usize = 200;
/// Annotations at most this many lines apart share a snippet.
const MAX_GAP: usize = 3;

#[derive(Debug, Default)]
pub struct PlainRenderer {
    opts: RenderOptions,
}

impl PlainRenderer {
    pub fn new(opts: RenderOptions) -> Self {
        PlainRenderer { opts }
    }
}

impl Renderer for PlainRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        text::write_status_and_notices(out, report)?;
        if !report.findings.is_empty() {
            let lines = SourceLines::new(&report.source);
            for finding in &report.findings {
                let paragraph = text::paragraph_of(report, &finding.span);
                writeln!(
                    out,
                    "{}\n",
                    render_finding(&report.path, &lines, finding, paragraph.as_deref())
                )?;
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

/// One annotation, in source coordinates, as it will be drawn.
#[derive(Debug, Clone)]
struct Mark<'a> {
    first_line: usize,
    last_line: usize,
    range: Range<usize>,
    /// 1-based columns of `range.start` and `range.end`.
    columns: (usize, usize),
    label: &'a str,
    primary: bool,
}

/// Annotations drawn in one snippet over `lines`.
#[derive(Debug)]
struct Cluster {
    lines: (usize, usize),
    columns: (usize, usize),
    marks: Vec<usize>,
}

/// `paragraph` names where the finding is in a .docx (see
/// [`text::paragraph_of`]).
fn render_finding(path: &str, lines: &SourceLines, finding: &Finding, paragraph: Option<&str>) -> String {
    let rule = &finding.rule;
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let primary_label = if finding.label.is_empty() {
        &rule.title
    } else {
        &finding.label
    };
    let mut marks = vec![mark(lines, &finding.span, primary_label, true)];
    marks.extend(
        finding
            .labels
            .iter()
            .map(|l| mark(lines, &l.span, &l.text, false)),
    );

    // Build every snippet's text first: the snippets borrow it.
    let sources: Vec<(String, usize, Vec<Annotation>)> = clusters(lines, &marks)
        .iter()
        .map(|cluster| snippet_source(lines, cluster, &marks))
        .collect();
    let mut group = Group::with_title(level.primary_title(finding.message.trim_end()).id(&rule.id));
    for (source, line_start, annotations) in &sources {
        group = group.element(
            Snippet::source(source.as_str())
                .line_start(*line_start)
                .path(path)
                .fold(true)
                .annotations(annotations.iter().cloned()),
        );
    }
    if let Some(paragraph) = paragraph {
        group = group.element(Level::NOTE.with_name("in").message(paragraph));
    }
    if !rule.help.trim().is_empty() {
        group = group.element(Level::HELP.message(rule.help.trim_end()));
    }
    if let Some(as_of) = finding.as_of {
        group = group.element(Level::NOTE.message(text::as_of_line(as_of)));
    }
    for citation in &rule.citations {
        group = group.element(Level::NOTE.message(text::citation_line(citation, true)));
    }
    if let Some(url) = &rule.url {
        group = group.element(Level::NOTE.with_name("see").message(url.as_str()));
    }
    annotate_snippets::Renderer::plain().render(&[group])
}

fn mark<'a>(lines: &SourceLines, span: &Span, label: &'a str, primary: bool) -> Mark<'a> {
    let src = lines.text;
    let first_line = lines.clamp_line(span.line);
    let last_line = lines.clamp_line(span.end_line).max(first_line);
    let mut m = Mark {
        first_line,
        last_line,
        range: text::text_range(src, span),
        columns: (span.column.max(1), span.end_column.max(1)),
        label,
        primary,
    };
    let wide = m.last_line != m.first_line || m.columns.1.saturating_sub(m.columns.0) > MAX_SPREAD;
    if wide && !(first_line..=last_line).all(|l| lines.line_range(l).len() <= SHORT_LINE) {
        // A span this wide on a long line would make annotate-snippets print
        // all of it; underline its head instead.
        let line = lines.line_range(first_line);
        let start = m.range.start.clamp(line.start, line.end);
        let end = forward_chars(src, start, MAX_SPREAD, line.end).min(m.range.end.max(start));
        m.columns.1 = m.columns.0 + src[start..end].chars().count();
        m.range = start..end;
        m.last_line = first_line;
    }
    m
}

/// Groups annotations into snippets, the primary's first, then by line.
fn clusters(lines: &SourceLines, marks: &[Mark]) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&i| (marks[i].first_line, marks[i].range.start));
    let mut clusters: Vec<Cluster> = Vec::new();
    for i in order {
        let m = &marks[i];
        let columns = (m.columns.0.min(m.columns.1), m.columns.0.max(m.columns.1));
        if let Some(c) = clusters.last_mut() {
            let lines_after = (c.lines.0, c.lines.1.max(m.last_line));
            let columns_after = (c.columns.0.min(columns.0), c.columns.1.max(columns.1));
            let near = m.first_line <= c.lines.1 + MAX_GAP;
            let fits = columns_after.1 - columns_after.0 <= MAX_SPREAD
                || (lines_after.0..=lines_after.1).all(|l| lines.line_range(l).len() <= SHORT_LINE);
            if near && fits {
                c.lines = lines_after;
                c.columns = columns_after;
                c.marks.push(i);
                continue;
            }
        }
        clusters.push(Cluster {
            lines: (m.first_line, m.last_line),
            columns,
            marks: vec![i],
        });
    }
    if let Some(p) = clusters.iter().position(|c| c.marks.contains(&0)) {
        let primary = clusters.remove(p);
        clusters.insert(0, primary);
    }
    clusters
}

/// The cluster's lines joined by `\n` (so CRLF and lone-CR files number
/// lines as spans do), each cut on the right, with the annotations moved
/// into that text.
fn snippet_source<'a>(
    lines: &SourceLines,
    cluster: &Cluster,
    marks: &[Mark<'a>],
) -> (String, usize, Vec<Annotation<'a>>) {
    let src = lines.text;
    let (lo, hi) = cluster.lines;
    let keep = cluster.columns.1 + TAIL_CHARS;
    let mut source = String::new();
    let mut starts = Vec::with_capacity(hi - lo + 1);
    for line in lo..=hi {
        let whole = lines.line_range(line);
        let end = forward_chars(src, whole.start, keep, whole.end);
        if line > lo {
            source.push('\n');
        }
        starts.push((whole.start..end, source.len()));
        source.push_str(&src[whole.start..end]);
    }
    let place = |line: usize, offset: usize| {
        let (kept, at) = &starts[line - lo];
        at + (offset.clamp(kept.start, kept.end) - kept.start)
    };
    let annotations = cluster
        .marks
        .iter()
        .map(|&i| {
            let m = &marks[i];
            let start = place(m.first_line, m.range.start);
            let end = place(m.last_line, m.range.end).max(start);
            let kind = if m.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            kind.span(start..end)
                .label((!m.label.is_empty()).then_some(m.label))
        })
        .collect();
    (source, lo, annotations)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::Label;
    use crate::render::text::tests::{render_with, sample_report, span, span_of};

    fn render(report: &FileReport, show_evidence: bool) -> String {
        let mut r = PlainRenderer::new(RenderOptions {
            show_evidence,
            color: false,
        });
        render_with(&mut r, report)
    }

    fn one_finding(src: &str, primary: Span, labels: Vec<Label>) -> FileReport {
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
    fn renders_like_rustc() {
        let expected = "\
note: privacy/policy.md: front matter ignored
error[third-party-sale/contradiction]: The policy both denies and affirms selling personal information
 --> privacy/policy.md:4:8
  |
3 | We do not sell.
  |    ----------- sale denied here
4 | We may sell your data.
  |        ^^^^ sale affirmed here
  |
  = help: Say one thing about selling data.
  = note: cited: Cal. Civ. Code, § 1798.115(c) <https://example.com/ccpa>
  = note: cited: GDPR, Art. 13
  = see: https://example.com/rules/third-party-sale/contradiction.md

info[retention/missing]: No retention period is stated
 --> privacy/policy.md:1:1
  |
1 | # Policy
  | ^ Sale of personal information
  |
  = help: Say one thing about selling data.
  = note: judged as of 2019-06-01 (--as-of), not today
  = note: cited: Cal. Civ. Code, § 1798.115(c) <https://example.com/ccpa>
  = note: cited: GDPR, Art. 13
  = see: https://example.com/rules/retention/missing.md

evidence retention/stated
  privacy/policy.md:3:1: \"We do not sell.\"

1 error, 0 warnings, 1 info in 1 file.
";
        assert_eq!(render(&sample_report(), true), expected);
    }

    #[test]
    fn distant_labels_get_their_own_snippet() {
        let mut src = String::from("We will not sell, rent, or lease your data.\n");
        for i in 0..9 {
            src.push_str(&format!("Filler {i}.\n"));
        }
        src.push_str("We may compile, sell, and otherwise use it.\n");
        let primary = span_of(&src, "sell", 1);
        let label = Label {
            span: span_of(&src, "sell", 0),
            text: "sale denied here".into(),
        };
        let out = render(&one_finding(&src, primary, vec![label]), false);
        let expected = "\
error[third-party-sale/contradiction]: The policy both denies and affirms selling personal information
  --> privacy/policy.md:11:17
   |
11 | We may compile, sell, and otherwise use it.
   |                 ^^^^ sale affirmed here
   |
  ::: privacy/policy.md:1:13
   |
 1 | We will not sell, rent, or lease your data.
   |             ---- sale denied here
   |
";
        assert!(out.starts_with(expected), "{out}");
    }

    #[test]
    fn multibyte_and_crlf_columns() {
        let src = "Café policy\r\nWe don’t sell.\r\nWe sell data é.\r\n";
        let primary = span_of(src, "sell", 1);
        let label = Label {
            span: span_of(src, "sell", 0),
            text: "denied".into(),
        };
        let out = render(&one_finding(src, primary, vec![label]), false);
        assert!(out.contains(" --> privacy/policy.md:3:4\n"), "{out}");
        assert!(
            out.contains("2 | We don’t sell.\n  |          ---- denied\n"),
            "{out}"
        );
        assert!(
            out.contains("3 | We sell data é.\n  |    ^^^^ sale affirmed here\n"),
            "{out}"
        );
        assert!(!out.contains('\r'), "{out}");
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let src = "One.\rWe sell.\rThree.";
        let primary = span_of(src, "sell", 0);
        assert_eq!(primary.line, 2);
        let out = render(&one_finding(src, primary, Vec::new()), false);
        assert!(
            out.contains(" --> privacy/policy.md:2:4\n  |\n2 | We sell.\n"),
            "{out}"
        );
    }

    #[test]
    fn long_single_line_stays_short() {
        let mut src = "word ".repeat(20_000);
        src.push_str("We may sell your data.");
        src.push_str(&" more".repeat(20_000));
        assert_eq!(src.chars().count(), 200_022);
        let primary = span_of(&src, "sell", 0);
        // A label far along the same line, and one that runs for 5,000 chars.
        let far = Label {
            span: span(&src, 10..14),
            text: "far away".into(),
        };
        let wide = Label {
            span: span(&src, 150_000..155_000),
            text: "wide".into(),
        };
        let out = render(&one_finding(&src, primary, vec![far, wide]), false);
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains(" --> privacy/policy.md:1:100008\n"), "{out}");
        assert!(out.contains("We may sell your data."), "{out}");
        assert!(out.contains("::: privacy/policy.md:1:11\n"), "{out}");
        assert!(out.contains("::: privacy/policy.md:1:150001\n"), "{out}");
        for line in out.lines() {
            assert!(line.chars().count() <= 160, "{line}");
        }
    }

    #[test]
    fn zero_length_span_at_end_of_file() {
        let src = "We sell.\n";
        let out = render(&one_finding(src, span(src, 9..9), Vec::new()), false);
        assert!(out.contains(" --> privacy/policy.md:2:1\n"), "{out}");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let src = "We \u{1b}[2J sell\u{202E} data.\n";
        let out = render(&one_finding(src, span_of(src, "sell", 0), Vec::new()), false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202E}'), "{out}");
        assert!(out.contains(" --> privacy/policy.md:1:9\n"), "{out}");
    }
}
