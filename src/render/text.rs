//! Text shared by the human-readable renderers (pretty and plain): status and
//! notice lines, the evidence listing, the summary sentence, and safe slicing
//! of a report's decoded text.

use std::io::{self, Write};
use std::ops::Range;

use super::Summary;
use crate::finding::{FileReport, FileStatus};
use crate::rule::Citation;
use crate::span::{LineIndex, Span};

/// Longest quotation in the evidence listing, in chars.
const QUOTE_CHARS: usize = 160;

/// Writes what precedes a file's findings: why it was not linted, or its
/// notices.
pub(super) fn write_status_and_notices(out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
    let path = &report.path;
    match &report.status {
        FileStatus::Linted => {}
        FileStatus::Skipped(reason) => writeln!(out, "note: {path}: skipped: {reason}")?,
        FileStatus::Failed(reason) => writeln!(out, "error: {path}: {reason}")?,
    }
    for notice in &report.notices {
        writeln!(out, "note: {path}: {}", notice.message)?;
    }
    Ok(())
}

/// Lists the statements that satisfied `require` rules, one rule at a time.
pub(super) fn write_evidence(out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
    for evidence in &report.evidence {
        writeln!(out, "evidence {}", evidence.rule.id)?;
        for span in &evidence.spans {
            writeln!(
                out,
                "  {}:{}:{}: {}",
                report.path,
                span.line,
                span.column,
                quote(span_text(&report.source, span))
            )?;
        }
    }
    Ok(())
}

/// `"text"` on one line: whitespace runs (newlines included) become one space,
/// other control characters are replaced so they cannot drive the terminal,
/// and long text is cut with an ellipsis.
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(QUOTE_CHARS * 4) + 2);
    out.push('"');
    let mut chars = 0;
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let n = usize::from(pending_space) + 1;
        if chars + n > QUOTE_CHARS {
            out.push('…');
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if c.is_control() { '\u{FFFD}' } else { c });
        chars += n;
    }
    out.push('"');
    out
}

/// Where a span is in a report whose source is one paragraph a line (a
/// .docx): `paragraph 12, under 'Your rights > Deletion'`; `None` for
/// other reports, whose line and column say it.
pub(super) fn paragraph_of(report: &FileReport, span: &Span) -> Option<String> {
    report.paragraphs.as_ref().map(|p| p.describe(span.line))
}

/// Said of a finding judged as of another day than today (`--as-of`).
pub(super) fn as_of_line(as_of: crate::policy_date::CivilDate) -> String {
    format!("judged as of {as_of} (--as-of), not today")
}

/// `cited: LAW, SECTION`, with ` <URL>` when asked for and present.
pub(super) fn citation_line(citation: &Citation, with_url: bool) -> String {
    let mut line = format!("cited: {}, {}", citation.law, citation.section);
    if let (true, Some(url)) = (with_url, &citation.url) {
        line.push_str(&format!(" <{url}>"));
    }
    line
}

/// The closing sentence, e.g. `3 errors, 1 warning, 0 infos in 4 files (1 skipped).`
///
/// "files" counts the files linted; skipped and failed files are extra.
pub(super) fn summary_line(summary: &Summary) -> String {
    let files = plural(summary.files, "file", "files");
    let mut extra = Vec::new();
    if summary.skipped > 0 {
        extra.push(format!("{} skipped", summary.skipped));
    }
    if summary.failed > 0 {
        extra.push(format!("{} failed", summary.failed));
    }
    if summary.baselined > 0 {
        extra.push(format!("{} known from the baseline", summary.baselined));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join(", "))
    };
    if summary.findings == 0 {
        format!("No findings in {files}{extra}.")
    } else {
        format!(
            "{}, {}, {} in {files}{extra}.",
            plural(summary.errors, "error", "errors"),
            plural(summary.warnings, "warning", "warnings"),
            plural(summary.infos, "info", "infos"),
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `offset` moved into `text` and back onto a char boundary, so a span from a
/// buggy producer can never make a renderer panic.
pub(super) fn clamp_offset(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The span's range in the decoded text, made safe to slice with.
pub(super) fn text_range(text: &str, span: &Span) -> Range<usize> {
    let start = clamp_offset(text, span.text.start);
    let end = clamp_offset(text, span.text.end).max(start);
    start..end
}

/// The decoded text a span covers.
pub(super) fn span_text<'a>(text: &'a str, span: &Span) -> &'a str {
    &text[text_range(text, span)]
}

/// End of the window reaching `n` chars on from `at`, but not past `ceiling`.
pub(super) fn forward_chars(src: &str, at: usize, n: usize, ceiling: usize) -> usize {
    src[at..ceiling]
        .char_indices()
        .nth(n)
        .map_or(ceiling, |(i, _)| at + i)
}

/// The lines of a report's decoded text, numbered as [`Span`]s number them.
pub(super) struct SourceLines<'a> {
    pub text: &'a str,
    index: LineIndex,
    /// Number of lines; an empty text has one, empty, line.
    count: usize,
}

impl<'a> SourceLines<'a> {
    pub fn new(text: &'a str) -> Self {
        // Count lines the way `LineIndex` splits them: `\n`, `\r\n` and a lone `\r`.
        let bytes = text.as_bytes();
        let count = 1 + bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count();
        SourceLines {
            text,
            index: LineIndex::new(text),
            count,
        }
    }

    /// The last line with content: a final line terminator ends a line
    /// rather than starting an empty one.
    pub fn last_content_line(&self) -> usize {
        if self.count > 1 && self.text.ends_with(['\n', '\r']) {
            self.count - 1
        } else {
            self.count
        }
    }

    /// `line` forced into `1..=count`.
    pub fn clamp_line(&self, line: usize) -> usize {
        line.clamp(1, self.count)
    }

    /// Byte range of a 1-based line without its terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        self.index.line_range(self.text, self.clamp_line(line))
    }
}

#[cfg(test)]
pub(super) mod tests {
    /// Renders one report and the summary with `renderer`.
    pub fn render_with(
        renderer: &mut dyn crate::render::Renderer,
        report: &crate::finding::FileReport,
    ) -> String {
        let mut out = Vec::new();
        renderer.file(&mut out, report).unwrap();
        let mut summary = crate::render::Summary::default();
        summary.add(report);
        renderer.finish(&mut out, &summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    use std::sync::Arc;

    use super::*;
    use crate::document::InputFormat;
    use crate::finding::{Evidence, FileReport, FileStatus, Finding, Label, Notice};
    use crate::rule::{Examples, RuleKind, RuleMeta, Scope, Severity};

    /// A span over `text[range]`, with lines and columns from `LineIndex`.
    pub fn span(text: &str, range: Range<usize>) -> Span {
        let index = LineIndex::new(text);
        let (line, column) = index.line_col(text, range.start);
        let (end_line, end_column) = index.line_col(text, range.end);
        Span {
            bytes: range.clone(),
            text: range,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// A span over the `nth` (0-based) occurrence of `needle`.
    pub fn span_of(text: &str, needle: &str, nth: usize) -> Span {
        let start = text.match_indices(needle).nth(nth).expect("needle present").0;
        span(text, start..start + needle.len())
    }

    pub fn rule(id: &str, severity: Severity) -> Arc<RuleMeta> {
        Arc::new(RuleMeta {
            id: id.to_string(),
            pack: id.split('/').next().unwrap().to_string(),
            title: "Sale of personal information".to_string(),
            kind: RuleKind::Contradiction,
            severity,
            scope: Scope::Paragraph,
            language: "eng".to_string(),
            message: "The policy both denies and affirms selling personal information".to_string(),
            help: "Say one thing about selling data.".to_string(),
            citations: vec![
                Citation {
                    law: "Cal. Civ. Code".to_string(),
                    section: "§ 1798.115(c)".to_string(),
                    url: Some("https://example.com/ccpa".to_string()),
                },
                Citation {
                    law: "GDPR".to_string(),
                    section: "Art. 13".to_string(),
                    url: None,
                },
            ],
            url: Some(format!("https://example.com/rules/{id}.md")),
            examples: Examples::default(),
            valid_from: None,
            valid_until: None,
        })
    }

    pub const POLICY: &str = "# Policy\n\nWe do not sell.\nWe may sell your data.\n";

    /// One contradiction finding (with a secondary label), one zero-length
    /// info finding, a notice and one piece of evidence over [`POLICY`].
    pub fn sample_report() -> FileReport {
        let src = POLICY;
        let contradiction = Finding {
            rule: rule("third-party-sale/contradiction", Severity::Warning),
            severity: Severity::Error,
            // Pack messages may end in a newline; human output drops it.
            message: "The policy both denies and affirms selling personal information\n".to_string(),
            label: "sale affirmed here".to_string(),
            span: span_of(src, "sell", 1),
            labels: vec![Label {
                span: span_of(src, "do not sell", 0),
                text: "sale denied here".to_string(),
            }],
            fingerprint: "v1:0000000000000001".to_string(),
            as_of: None,
            whole_document: false,
        };
        let anchored = Finding {
            rule: rule("retention/missing", Severity::Info),
            severity: Severity::Info,
            message: "No retention period is stated".to_string(),
            label: String::new(),
            span: span(src, 0..0),
            labels: Vec::new(),
            fingerprint: "v1:0000000000000002".to_string(),
            // Judged as of another day than today (`--as-of`).
            as_of: crate::policy_date::CivilDate::new(2019, 6, 1),
            whole_document: true,
        };
        FileReport {
            path: "privacy/policy.md".to_string(),
            status: FileStatus::Linted,
            format: Some(InputFormat::Markdown),
            encoding: Some("UTF-8"),
            source: Arc::from(src),
            notices: vec![Notice {
                message: "front matter ignored".to_string(),
            }],
            paragraphs: None,
            findings: vec![contradiction, anchored],
            evidence: vec![Evidence {
                rule: rule("retention/stated", Severity::Warning),
                spans: vec![span_of(src, "We do not sell.", 0)],
            }],
            date: None,
            rules: Vec::new(),
            outline: None,
        }
    }

    #[test]
    fn summary_is_grammatical() {
        let mut s = Summary {
            files: 5,
            skipped: 1,
            findings: 4,
            errors: 3,
            warnings: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "3 errors, 1 warning, 0 infos in 5 files (1 skipped)."
        );
        s = Summary {
            files: 1,
            failed: 2,
            findings: 1,
            infos: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "0 errors, 0 warnings, 1 info in 1 file (2 failed)."
        );
        s = Summary {
            files: 3,
            ..Summary::default()
        };
        assert_eq!(summary_line(&s), "No findings in 3 files.");
        s = Summary {
            files: 1,
            skipped: 1,
            failed: 1,
            ..Summary::default()
        };
        assert_eq!(summary_line(&s), "No findings in 1 file (1 skipped, 1 failed).");
        s = Summary {
            files: 2,
            baselined: 3,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "No findings in 2 files (3 known from the baseline)."
        );
    }

    #[test]
    fn quote_flattens_and_truncates() {
        assert_eq!(quote("  a\r\n\tb \u{1b}[31m "), "\"a b \u{FFFD}[31m\"");
        let long = "é".repeat(500);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_CHARS + 3);
        assert!(q.ends_with("…\""));
    }

    #[test]
    fn source_lines_match_line_index() {
        for text in ["", "a", "a\n", "a\r\nb\rc\n\nd", "\r\r\n"] {
            let lines = SourceLines::new(text);
            let index = LineIndex::new(text);
            assert_eq!(lines.count, index.line_col(text, text.len()).0, "{text:?}");
        }
    }

    /// A xorshift generator: deterministic, dependency-free randomness.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// A span between two char boundaries, sometimes made nonsense.
        fn span(&mut self, src: &str, boundaries: &[usize]) -> Span {
            let a = boundaries[self.below(boundaries.len())];
            let b = boundaries[self.below(boundaries.len())];
            let mut s = span(src, a.min(b)..a.max(b));
            match self.below(8) {
                0 => s.text = s.text.end + 3..s.text.start,
                1 => (s.line, s.end_line) = (s.line + 5, 0),
                2 => s.column += 1000,
                _ => {}
            }
            s
        }
    }

    /// Every renderer over random texts (multi-byte, CRLF, lone CR, tabs,
    /// escapes, long lines) and random spans, some of them nonsense: no
    /// panics, and the JSON still parses.
    #[test]
    fn renderers_survive_odd_texts_and_spans() {
        use crate::render::{JsonRenderer, PlainRenderer, PrettyRenderer, RenderOptions, Renderer};

        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let pieces = [
            "a", "sell ", "é", "’", "\n", "\r\n", "\r", "\t", " ", "\u{1b}", "日本",
        ];
        let opts = RenderOptions {
            show_evidence: true,
            color: false,
        };
        for round in 0..300 {
            let mut src = String::new();
            for _ in 0..rng.below(120) {
                src.push_str(pieces[rng.below(pieces.len())]);
            }
            if round % 10 == 0 {
                src.push_str(&"long ".repeat(400));
            }
            let boundaries: Vec<usize> = (0..=src.len()).filter(|&i| src.is_char_boundary(i)).collect();
            let mut report = sample_report();
            report.source = Arc::from(src.as_str());
            for finding in &mut report.findings {
                finding.span = rng.span(&src, &boundaries);
                finding.labels = (0..rng.below(4))
                    .map(|_| Label {
                        span: rng.span(&src, &boundaries),
                        text: "here".to_string(),
                    })
                    .collect();
            }
            report.evidence[0].spans = vec![rng.span(&src, &boundaries)];

            let renderers: [Box<dyn Renderer>; 4] = [
                Box::new(PrettyRenderer::new(opts)),
                Box::new(PlainRenderer::new(opts)),
                Box::new(JsonRenderer::new(opts)),
                Box::new(crate::render::SarifRenderer::new(Vec::new())),
            ];
            for (i, mut r) in renderers.into_iter().enumerate() {
                let mut out = Vec::new();
                r.file(&mut out, &report).unwrap();
                r.finish(&mut out, &Summary::default()).unwrap();
                let out = String::from_utf8(out).unwrap();
                if i >= 2 {
                    serde_json::from_str::<serde_json::Value>(&out).unwrap();
                }
            }
        }
    }

    #[test]
    fn bad_spans_are_clamped() {
        let text = "é";
        let bad = Span {
            bytes: 0..9,
            text: 1..9,
            line: 7,
            column: 1,
            end_line: 7,
            end_column: 2,
        };
        assert_eq!(text_range(text, &bad), 0..2);
        assert_eq!(span_text(text, &bad), "é");
    }

    #[test]
    fn skipped_and_failed_files_read_the_same_in_pretty_and_plain() {
        use crate::finding::{FileReport, FileStatus};
        use crate::render::{PlainRenderer, PrettyRenderer, RenderOptions, Renderer, Summary};
        let skipped = FileReport::not_linted("a.bin".into(), FileStatus::Skipped("binary data".into()));
        let failed = FileReport::not_linted("b.md".into(), FileStatus::Failed("permission denied".into()));
        let renderers: [Box<dyn Renderer>; 2] = [
            Box::new(PlainRenderer::new(RenderOptions::default())),
            Box::new(PrettyRenderer::new(RenderOptions::default())),
        ];
        for mut r in renderers {
            let mut out = Vec::new();
            let mut summary = Summary::default();
            for report in [&skipped, &failed] {
                summary.add(report);
                r.file(&mut out, report).unwrap();
            }
            r.finish(&mut out, &summary).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "note: a.bin: skipped: binary data\nerror: b.md: permission denied\n\
                 No findings in 0 files (1 skipped, 1 failed).\n"
            );
        }
    }
}
