//! JSON output: one document, written as files arrive so a large run never
//! holds more than one file's report. The schema is in `docs/json-output.md`.

use std::io::{self, Write};

use serde::Serialize;

use super::text;
use super::{RenderOptions, Renderer, Summary};
use crate::finding::{FileReport, FileStatus, Finding, Paragraphs};
use crate::span::Span;

/// Bumped only for changes that could break a reader; new fields keep it.
const VERSION: u32 = 1;

#[derive(Debug, Default)]
pub struct JsonRenderer {
    /// Whether the document's opening has been written.
    started: bool,
}

impl JsonRenderer {
    /// JSON always carries evidence and never colour, so `opts` is unused;
    /// it is taken for symmetry with the other renderers.
    pub fn new(_opts: RenderOptions) -> Self {
        JsonRenderer::default()
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<bool> {
        let first = !self.started;
        if first {
            write!(out, r#"{{"version":{VERSION},"files":["#)?;
            self.started = true;
        }
        Ok(first)
    }
}

impl Renderer for JsonRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if !self.start(out)? {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &FileJson::new(report))?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        out.write_all(br#"],"summary":"#)?;
        serde_json::to_writer(&mut *out, &SummaryJson::from(summary))?;
        out.write_all(b"}\n")
    }
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    format: Option<&'static str>,
    encoding: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    notices: Vec<&'a str>,
    /// The policy's own date, or null.
    date: Option<DateJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
}

/// A policy's stated date, as in `--format json` and `--format jsonl`.
#[derive(Serialize)]
pub(super) struct DateJson<'a> {
    value: &'a str,
    kind: &'static str,
    span: SpanJson<'a>,
}

impl<'a> DateJson<'a> {
    pub(super) fn new(source: Source<'a>, date: &'a crate::finding::StatedDate) -> Self {
        DateJson {
            value: &date.value,
            kind: date.kind.as_str(),
            span: SpanJson::new(source, &date.span),
        }
    }
}

impl<'a> FileJson<'a> {
    fn new(report: &'a FileReport) -> Self {
        let (status, reason) = match &report.status {
            FileStatus::Linted => ("linted", None),
            FileStatus::Skipped(reason) => ("skipped", Some(reason.as_str())),
            FileStatus::Failed(reason) => ("failed", Some(reason.as_str())),
        };
        let source = Source::of(report);
        FileJson {
            path: &report.path,
            format: match report.status {
                FileStatus::Linted => report.format.map(|f| f.name()),
                _ => None,
            },
            encoding: report.encoding,
            status,
            reason,
            notices: report.notices.iter().map(|n| n.message.as_str()).collect(),
            date: report.date.as_ref().map(|d| DateJson::new(source, d)),
            findings: report
                .findings
                .iter()
                .map(|f| FindingJson::new(source, f))
                .collect(),
            evidence: report
                .evidence
                .iter()
                .map(|e| EvidenceJson {
                    rule: &e.rule.id,
                    spans: e.spans.iter().map(|s| SpanJson::new(source, s)).collect(),
                })
                .collect(),
        }
    }
}

/// One finding, as in `--format json`; `--format jsonl` reuses it.
#[derive(Serialize)]
pub(super) struct FindingJson<'a> {
    rule: &'a str,
    pack: &'a str,
    kind: &'static str,
    severity: &'static str,
    title: &'a str,
    message: &'a str,
    help: &'a str,
    citations: Vec<CitationJson<'a>>,
    span: SpanJson<'a>,
    label: &'a str,
    labels: Vec<LabelJson<'a>>,
    fingerprint: &'a str,
    /// The day the policy was judged as of, when not today (`--as-of`).
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
}

impl<'a> FindingJson<'a> {
    pub(super) fn new(source: Source<'a>, f: &'a Finding) -> Self {
        let rule = &f.rule;
        FindingJson {
            rule: &rule.id,
            pack: &rule.pack,
            kind: rule.kind.as_str(),
            severity: f.severity.as_str(),
            title: &rule.title,
            message: &f.message,
            help: &rule.help,
            citations: rule
                .citations
                .iter()
                .map(|c| CitationJson {
                    law: &c.law,
                    section: &c.section,
                    url: c.url.as_deref(),
                })
                .collect(),
            span: SpanJson::new(source, &f.span),
            label: &f.label,
            labels: f
                .labels
                .iter()
                .map(|l| LabelJson {
                    span: SpanJson::new(source, &l.span),
                    text: &l.text,
                })
                .collect(),
            fingerprint: &f.fingerprint,
            as_of: f.as_of.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize)]
struct CitationJson<'a> {
    law: &'a str,
    section: &'a str,
    url: Option<&'a str>,
}

/// What spans are sliced from: a report's decoded text, and for a .docx
/// where its paragraphs sit.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    text: &'a str,
    paragraphs: Option<&'a Paragraphs>,
}

impl<'a> Source<'a> {
    pub(super) fn of(report: &'a FileReport) -> Self {
        Source {
            text: &report.source,
            paragraphs: report.paragraphs.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct SpanJson<'a> {
    /// Byte offsets into the original file; absent for a .docx, whose
    /// bytes are compressed XML (see `paragraph`).
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// The decoded text the span covers.
    text: &'a str,
    /// A .docx only: the paragraph (from 1; the same as `line`), the
    /// range within it in Unicode scalar values (from 0, end exclusive),
    /// and the headings it is under, outermost first.
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    heading_path: Option<Vec<&'a str>>,
}

impl<'a> SpanJson<'a> {
    fn new(source: Source<'a>, span: &Span) -> Self {
        let text = text::span_text(source.text, span);
        let docx = source.paragraphs;
        let char_start = span.column.saturating_sub(1);
        SpanJson {
            start: docx.is_none().then_some(span.bytes.start),
            end: docx.is_none().then_some(span.bytes.end),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            text,
            paragraph: docx.map(|_| span.line),
            char_start: docx.map(|_| char_start),
            char_end: docx.map(|_| char_start + text.chars().count()),
            heading_path: docx.map(|p| p.heading_path(span.line)),
        }
    }
}

#[derive(Serialize)]
struct LabelJson<'a> {
    span: SpanJson<'a>,
    text: &'a str,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    rule: &'a str,
    spans: Vec<SpanJson<'a>>,
}

#[derive(Serialize)]
pub(super) struct SummaryJson {
    files: usize,
    skipped: usize,
    failed: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    baselined: usize,
}

impl From<&Summary> for SummaryJson {
    fn from(s: &Summary) -> Self {
        SummaryJson {
            files: s.files,
            skipped: s.skipped,
            failed: s.failed,
            findings: s.findings,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            baselined: s.baselined,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Value, json};

    use super::*;
    use crate::render::text::tests::{POLICY, sample_report, span_of};

    fn render(reports: &[FileReport]) -> (String, Value) {
        let mut r = JsonRenderer::new(RenderOptions::default());
        let mut out = Vec::new();
        let mut summary = Summary::default();
        for report in reports {
            summary.add(report);
            r.file(&mut out, report).unwrap();
        }
        r.finish(&mut out, &summary).unwrap();
        let out = String::from_utf8(out).unwrap();
        let value = serde_json::from_str(&out).expect("valid JSON");
        (out, value)
    }

    #[test]
    fn document_shape_and_fields() {
        let skipped = FileReport::not_linted("a.bin".into(), FileStatus::Skipped("binary data".into()));
        let failed = FileReport::not_linted("b.md".into(), FileStatus::Failed("permission denied".into()));
        let (out, v) = render(&[sample_report(), skipped, failed]);
        assert!(
            out.ends_with("}\n") && out.matches('\n').count() == 1,
            "compact, one line: {out}"
        );
        assert_eq!(v["version"], 1);

        let file = &v["files"][0];
        assert_eq!(file["path"], "privacy/policy.md");
        assert_eq!(file["format"], "markdown");
        assert_eq!(file["encoding"], "UTF-8");
        assert_eq!(file["status"], "linted");
        assert!(file.get("reason").is_none());
        assert_eq!(file["notices"], json!(["front matter ignored"]));

        let f = &file["findings"][0];
        assert_eq!(f["rule"], "third-party-sale/contradiction");
        assert_eq!(f["pack"], "third-party-sale");
        assert_eq!(f["kind"], "contradiction");
        // The configured severity, not the rule's default.
        assert_eq!(f["severity"], "error");
        assert_eq!(f["title"], "Sale of personal information");
        assert_eq!(
            f["message"],
            "The policy both denies and affirms selling personal information\n"
        );
        assert_eq!(f["help"], "Say one thing about selling data.");
        assert_eq!(
            f["citations"],
            json!([
                {"law": "Cal. Civ. Code", "section": "§ 1798.115(c)", "url": "https://example.com/ccpa"},
                {"law": "GDPR", "section": "Art. 13", "url": null},
            ])
        );
        let sell = POLICY.match_indices("sell").nth(1).unwrap().0;
        assert_eq!(
            f["span"],
            json!({"start": sell, "end": sell + 4, "line": 4, "column": 8, "end_line": 4, "end_column": 12, "text": "sell"})
        );
        assert_eq!(f["label"], "sale affirmed here");
        let denied = POLICY.find("do not sell").unwrap();
        assert_eq!(
            f["labels"],
            json!([{"span": {"start": denied, "end": denied + 11, "line": 3, "column": 4, "end_line": 3,
                             "end_column": 15, "text": "do not sell"},
                    "text": "sale denied here"}])
        );
        let anchored = &file["findings"][1];
        assert_eq!(anchored["severity"], "info");
        assert_eq!(anchored["span"]["text"], "");
        assert_eq!(anchored["label"], "");
        assert_eq!(anchored["labels"], json!([]));

        assert_eq!(file["evidence"][0]["rule"], "retention/stated");
        assert_eq!(file["evidence"][0]["spans"][0]["text"], "We do not sell.");
        assert_eq!(file["evidence"][0]["spans"][0]["line"], 3);

        for (i, status, reason) in [(1, "skipped", "binary data"), (2, "failed", "permission denied")] {
            let file = &v["files"][i];
            assert_eq!(file["status"], status);
            assert_eq!(file["reason"], reason);
            assert_eq!(file["format"], Value::Null);
            assert_eq!(file["encoding"], Value::Null);
            assert_eq!(file["findings"], json!([]));
        }

        assert_eq!(
            v["summary"],
            json!({"files": 1, "skipped": 1, "failed": 1, "findings": 2, "errors": 1, "warnings": 0, "infos": 1, "baselined": 0})
        );
    }

    #[test]
    fn empty_run_is_still_a_document() {
        let (out, v) = render(&[]);
        assert_eq!(
            out,
            "{\"version\":1,\"files\":[],\"summary\":{\"files\":0,\"skipped\":0,\"failed\":0,\"findings\":0,\"errors\":0,\"warnings\":0,\"infos\":0,\"baselined\":0}}\n"
        );
        assert_eq!(v["files"], json!([]));
    }

    #[test]
    fn offsets_are_original_bytes_and_text_is_decoded() {
        // As if decoded from UTF-16 with a BOM: bytes and text differ.
        let src = "Wé ‘sell’ \"data\"\r\n\u{1b}x";
        let mut span = span_of(src, "‘sell’", 0);
        span.bytes = 2 + 2 * 3..2 + 2 * 9;
        let mut report = sample_report();
        report.source = Arc::from(src);
        report.encoding = Some("UTF-16LE");
        report.findings.truncate(1);
        report.findings[0].span = span;
        report.findings[0].labels[0].span = span_of(src, "\"data\"\r\n\u{1b}", 0);
        let (_, v) = render(&[report]);
        let f = &v["files"][0]["findings"][0];
        assert_eq!(f["span"]["start"], 8);
        assert_eq!(f["span"]["end"], 20);
        assert_eq!(
            (f["span"]["column"].as_u64(), f["span"]["end_column"].as_u64()),
            (Some(4), Some(10))
        );
        assert_eq!(f["span"]["text"], "‘sell’");
        assert_eq!(f["labels"][0]["span"]["text"], "\"data\"\r\n\u{1b}");
        assert_eq!(f["labels"][0]["span"]["end_line"], 2);
        assert_eq!(v["files"][0]["encoding"], "UTF-16LE");
    }
}
