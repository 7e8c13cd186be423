//! JSON Lines output: one self-contained object a line, each tagged with
//! its `type`, for streaming large runs into `jq`, `grep` or a database.
//! Findings carry the same fields as in `--format json`; the schema is in
//! `docs/json-output.md`.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{DateJson, FindingJson, Source, SummaryJson};
use super::{Renderer, Summary};
use crate::finding::{FileReport, FileStatus};

#[derive(Debug, Default)]
pub struct JsonlRenderer;

impl JsonlRenderer {
    pub fn new() -> Self {
        JsonlRenderer
    }
}

/// One line; built, written and dropped one at a time, so the size of the
/// `Finding` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Finding {
        path: &'a str,
        #[serde(flatten)]
        finding: FindingJson<'a>,
    },
    Notice {
        path: &'a str,
        message: &'a str,
    },
    /// The policy's own date, when it states one.
    Date {
        path: &'a str,
        #[serde(flatten)]
        date: DateJson<'a>,
    },
    Skipped {
        path: &'a str,
        reason: &'a str,
    },
    Failed {
        path: &'a str,
        reason: &'a str,
    },
    /// Last, so a reader can tell a complete run from a cut-off stream.
    Summary(SummaryJson),
}

fn write_line(out: &mut dyn Write, line: &Line) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

impl Renderer for JsonlRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let path = report.path.as_str();
        match &report.status {
            FileStatus::Linted => {}
            FileStatus::Skipped(reason) => write_line(out, &Line::Skipped { path, reason })?,
            FileStatus::Failed(reason) => write_line(out, &Line::Failed { path, reason })?,
        }
        for n in &report.notices {
            write_line(
                out,
                &Line::Notice {
                    path,
                    message: &n.message,
                },
            )?;
        }
        if let Some(date) = &report.date {
            write_line(
                out,
                &Line::Date {
                    path,
                    date: DateJson::new(Source::of(report), date),
                },
            )?;
        }
        for f in &report.findings {
            write_line(
                out,
                &Line::Finding {
                    path,
                    finding: FindingJson::new(Source::of(report), f),
                },
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        write_line(out, &Line::Summary(SummaryJson::from(summary)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::render::text::tests::sample_report;

    #[test]
    fn one_tagged_object_a_line() {
        let skipped = FileReport::not_linted("a.bin".into(), FileStatus::Skipped("binary data".into()));
        let failed = FileReport::not_linted("b.md".into(), FileStatus::Failed("permission denied".into()));
        let mut r = JsonlRenderer::new();
        let mut out = Vec::new();
        let mut summary = Summary::default();
        for report in [&sample_report(), &skipped, &failed] {
            summary.add(report);
            r.file(&mut out, report).unwrap();
        }
        r.finish(&mut out, &summary).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line parses alone"))
            .collect();
        let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            ["notice", "finding", "finding", "skipped", "failed", "summary"]
        );
        assert_eq!(
            lines[0],
            json!({"type": "notice", "path": "privacy/policy.md", "message": "front matter ignored"})
        );
        let f = &lines[1];
        assert_eq!(f["path"], "privacy/policy.md");
        assert_eq!(f["rule"], "third-party-sale/contradiction");
        assert_eq!(f["severity"], "error");
        assert_eq!(f["span"]["line"], 4);
        assert_eq!(f["labels"][0]["text"], "sale denied here");
        assert_eq!(f["fingerprint"], "v1:0000000000000001");
        // The json renderer's finding, field for field, plus `type` and `path`.
        let mut json_out = Vec::new();
        let mut json = crate::render::JsonRenderer::default();
        json.file(&mut json_out, &sample_report()).unwrap();
        json.finish(&mut json_out, &Summary::default()).unwrap();
        let doc: Value = serde_json::from_slice(&json_out).unwrap();
        let mut expected = doc["files"][0]["findings"][0].as_object().unwrap().clone();
        expected.insert("type".into(), json!("finding"));
        expected.insert("path".into(), json!("privacy/policy.md"));
        assert_eq!(f, &Value::Object(expected));

        assert_eq!(
            lines[3],
            json!({"type": "skipped", "path": "a.bin", "reason": "binary data"})
        );
        assert_eq!(
            lines[4],
            json!({"type": "failed", "path": "b.md", "reason": "permission denied"})
        );
        assert_eq!(
            lines[5],
            json!({"type": "summary", "files": 1, "skipped": 1, "failed": 1, "findings": 2,
                   "errors": 1, "warnings": 0, "infos": 1, "baselined": 0})
        );
    }
}
