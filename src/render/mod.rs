//! Stage 4: reports to output.
//!
//! Every renderer is fed the same [`FileReport`]s, one file at a time, in
//! path order, and never reads a policy file itself: the decoded text it
//! needs travels in the report.

mod concise;
pub mod diff;
mod eval_table;
mod github;
mod json;
mod jsonl;
pub mod markdown;
mod plain;
mod pretty;
pub mod report;
pub mod rule_doc;
mod sarif;
mod statistics;
mod text;

use std::io::{self, Write};

use crate::finding::{FileReport, FileStatus};
use crate::rule::Severity;

pub use concise::ConciseRenderer;
pub use eval_table::write_eval_text;
pub use github::GithubRenderer;
pub use json::JsonRenderer;
pub use jsonl::JsonlRenderer;
pub use markdown::MarkdownRenderer;
pub use plain::PlainRenderer;
pub use pretty::PrettyRenderer;
pub use sarif::SarifRenderer;
pub use statistics::StatisticsRenderer;

/// Options shared by the human-readable renderers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Also print the statements that satisfied `require` rules.
    pub show_evidence: bool,
    /// Use colour (pretty and plain only; plain never colours today).
    pub color: bool,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    pub skipped: usize,
    pub failed: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings left out because the baseline knows them.
    pub baselined: usize,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        match report.status {
            FileStatus::Linted => self.files += 1,
            FileStatus::Skipped(_) => self.skipped += 1,
            FileStatus::Failed(_) => self.failed += 1,
        }
        for f in &report.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// The most severe finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// A streaming renderer: `file` is called once per file in output order,
/// then `finish` once.
pub trait Renderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}
