//! Concise output: one line a finding, `path:line:col: severity[rule] message`,
//! for grep, editors' quickfix lists and terse CI logs.

use std::io::{self, Write};

use super::{RenderOptions, Renderer, Summary, text};
use crate::finding::FileReport;

#[derive(Debug, Default)]
pub struct ConciseRenderer {
    opts: RenderOptions,
}

impl ConciseRenderer {
    pub fn new(opts: RenderOptions) -> Self {
        ConciseRenderer { opts }
    }
}

impl Renderer for ConciseRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        text::write_status_and_notices(out, report)?;
        for f in &report.findings {
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}{}{}",
                report.path,
                f.span.line,
                f.span.column,
                f.severity,
                f.rule.id,
                one_line(&f.message),
                f.as_of.map(|d| format!(" (as of {d})")).unwrap_or_default(),
                text::paragraph_of(report, &f.span)
                    .map(|p| format!(" (in {p})"))
                    .unwrap_or_default()
            )?;
        }
        if self.opts.show_evidence {
            text::write_evidence(out, report)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", text::summary_line(summary))
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::tests::{render_with, sample_report};

    #[test]
    fn one_line_per_finding() {
        let out = render_with(&mut ConciseRenderer::default(), &sample_report());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "note: privacy/policy.md: front matter ignored",
                "privacy/policy.md:4:8: error[third-party-sale/contradiction] The policy both denies and affirms selling personal information",
                "privacy/policy.md:1:1: info[retention/missing] No retention period is stated (as of 2019-06-01)",
                "1 error, 0 warnings, 1 info in 1 file.",
            ]
        );
    }
}
