//! `--statistics`: how many findings each rule raised, instead of the
//! findings themselves (as ruff's `--statistics`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Renderer, Summary};
use crate::finding::FileReport;
use crate::rule::Severity;

#[derive(Debug, Default)]
pub struct StatisticsRenderer {
    json: bool,
    counts: BTreeMap<String, Row>,
    /// Files with at least one finding.
    files: usize,
}

#[derive(Debug, Clone, Serialize)]
struct Row {
    rule: String,
    severity: Severity,
    title: String,
    findings: usize,
    files: usize,
}

impl StatisticsRenderer {
    /// A table, or with `json` an array of `{rule, severity, title,
    /// findings, files}`.
    pub fn new(json: bool) -> Self {
        StatisticsRenderer {
            json,
            counts: BTreeMap::new(),
            files: 0,
        }
    }
}

impl Renderer for StatisticsRenderer {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.files += usize::from(!report.findings.is_empty());
        let mut seen: Vec<&str> = Vec::new();
        for f in &report.findings {
            let row = self.counts.entry(f.rule.id.clone()).or_insert_with(|| Row {
                rule: f.rule.id.clone(),
                severity: f.severity,
                title: f.rule.title.clone(),
                findings: 0,
                files: 0,
            });
            row.findings += 1;
            row.severity = row.severity.max(f.severity);
            if !seen.contains(&f.rule.id.as_str()) {
                seen.push(&f.rule.id);
                row.files += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut rows: Vec<&Row> = self.counts.values().collect();
        // Most findings first; ties by rule id, which the map already sorted.
        rows.sort_by_key(|r| std::cmp::Reverse(r.findings));
        if self.json {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            return writeln!(out);
        }
        for r in &rows {
            writeln!(
                out,
                "{:>6} {:>6}  {:<40} {:<8} {}",
                r.findings,
                r.files,
                r.rule,
                r.severity.as_str(),
                r.title
            )?;
        }
        writeln!(
            out,
            "{} findings in {} of {} files ({} rules); columns: findings, files, rule, severity, title",
            summary.findings,
            self.files,
            summary.files,
            rows.len()
        )
    }
}
