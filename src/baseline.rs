//! Baselines: today's findings, recorded so that a run reports only new ones.
//!
//! An entry is a file path and a finding's [fingerprint](crate::fingerprint),
//! which leaves out line numbers: editing text above a known finding does
//! not make it new. Entries are counted, so a second identical sentence in
//! the same section is new even though the first is known.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::FileReport;
use crate::pack::PackError;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One recorded finding. `line` and `message` are for people reading the
/// file; matching ignores them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub message: String,
}

/// A loaded baseline, consumed as findings are matched against it.
#[derive(Debug, Default)]
pub struct Baseline {
    remaining: HashMap<(String, String), usize>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Self, Box<PackError>> {
        let shown = path.display().to_string();
        let source = std::fs::read_to_string(path)
            .map_err(|e| Box::new(error(&shown, "", format!("cannot read the baseline: {e}"), None)))?;
        let file: BaselineFile = serde_json::from_str(&source).map_err(|e| {
            let at = offset_of(&source, e.line(), e.column());
            Box::new(error(&shown, &source, e.to_string(), at))
        })?;
        if file.version != VERSION {
            return Err(Box::new(error(
                &shown,
                &source,
                format!(
                    "baseline version {} is not {VERSION}; write it again with --write-baseline",
                    file.version
                ),
                None,
            )));
        }
        let mut remaining = HashMap::new();
        for e in file.findings {
            *remaining
                .entry((normalise_path(&e.path), e.fingerprint))
                .or_insert(0) += 1;
        }
        Ok(Baseline { remaining })
    }

    /// Drops the findings of `report` the baseline knows, returning how
    /// many it dropped.
    pub fn filter(&mut self, report: &mut FileReport) -> usize {
        let path = normalise_path(&report.path);
        let before = report.findings.len();
        report.findings.retain(
            |f| match self.remaining.get_mut(&(path.clone(), f.fingerprint.clone())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        );
        report.mark_cleared(crate::finding::Status::Baselined);
        before - report.findings.len()
    }
}

/// The entries for one report's findings.
pub fn entries(report: &FileReport) -> impl Iterator<Item = Entry> + '_ {
    let path = normalise_path(&report.path);
    report.findings.iter().map(move |f| Entry {
        path: path.clone(),
        rule: f.rule.id.clone(),
        fingerprint: f.fingerprint.clone(),
        line: f.span.line,
        message: f.message.trim().to_owned(),
    })
}

/// Serialises a baseline, entries sorted so the file diffs well.
pub fn to_json(mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
    let mut s = serde_json::to_string_pretty(&BaselineFile {
        version: VERSION,
        findings: entries,
    })
    .expect("a baseline serialises");
    s.push('\n');
    s
}

/// Paths are compared as written by the run that made the baseline, with
/// `./` and Windows separators taken out so `./a.md` and `a.md` agree.
fn normalise_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_owned()
}

/// serde_json counts columns in bytes.
fn offset_of(source: &str, line: usize, column: usize) -> Option<usize> {
    let start = crate::span::line_start(source, line)?;
    Some((start + column.saturating_sub(1)).min(source.len()))
}

fn error(path: &str, source: &str, message: String, at: Option<usize>) -> PackError {
    PackError::new(path, source, message, at).about("baseline")
}
