//! GitHub Actions workflow commands, so findings appear as annotations on
//! the lines of a pull request's diff:
//! `::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE::MESSAGE`.

use std::io::{self, Write};

use super::{Renderer, Summary, text};
use crate::finding::{FileReport, FileStatus};
use crate::rule::Severity;

#[derive(Debug, Default)]
pub struct GithubRenderer;

impl GithubRenderer {
    pub fn new() -> Self {
        GithubRenderer
    }
}

impl Renderer for GithubRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        match &report.status {
            FileStatus::Linted => {}
            FileStatus::Skipped(why) => {
                return writeln!(
                    out,
                    "::notice file={}::{}",
                    property(&report.path),
                    data(&format!("skipped: {why}"))
                );
            }
            FileStatus::Failed(why) => {
                return writeln!(out, "::error file={}::{}", property(&report.path), data(why));
            }
        }
        for n in &report.notices {
            writeln!(
                out,
                "::notice file={}::{}",
                property(&report.path),
                data(&n.message)
            )?;
        }
        for f in &report.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            // A .docx has no lines to annotate: line 1, and the paragraph
            // and matched words said in the message.
            let paragraph = text::paragraph_of(report, &f.span);
            let mut message = match &paragraph {
                Some(p) => {
                    let matched = text::span_text(&report.source, &f.span);
                    if matched.is_empty() {
                        format!("In {p}: ")
                    } else {
                        format!("In {p}, {}: ", text::quote(matched))
                    }
                }
                None => String::new(),
            };
            message.push_str(f.message.trim());
            message.push_str("\n\n");
            message.push_str(f.rule.help.trim());
            if let Some(as_of) = f.as_of {
                message.push('\n');
                message.push_str(&text::as_of_line(as_of));
            }
            for c in &f.rule.citations {
                message.push('\n');
                message.push_str(&text::citation_line(c, true));
            }
            if paragraph.is_some() {
                writeln!(
                    out,
                    "::{level} file={},line=1,title={}::{}",
                    property(&report.path),
                    property(&f.rule.id),
                    data(&message)
                )?;
                continue;
            }
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&report.path),
                f.span.line,
                f.span.column,
                f.span.end_line,
                f.span.end_column,
                property(&f.rule.id),
                data(&message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", text::summary_line(summary))
    }
}

/// Escapes a command's message, as the runner's toolkit does.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property value, which also may not hold `:` or `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::tests::{render_with, sample_report};

    #[test]
    fn findings_become_annotations() {
        let mut report = sample_report();
        report.path = "privacy/a,b:c.md".into();
        let out = render_with(&mut GithubRenderer::new(), &report);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::notice file=privacy/a%2Cb%3Ac.md::front matter ignored"
        );
        assert!(
            lines[1].starts_with(
                "::error file=privacy/a%2Cb%3Ac.md,line=4,col=8,endLine=4,endColumn=12,\
                 title=third-party-sale/contradiction::The policy both denies and affirms selling personal information%0A%0A"
            ),
            "{}",
            lines[1]
        );
        assert!(lines[2].starts_with(
            "::notice file=privacy/a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=1,title=retention/missing::"
        ));
        assert_eq!(lines.len(), 4, "one line per annotation, then the summary: {out}");
    }

    #[test]
    fn escapes_percent_and_newlines() {
        assert_eq!(data("50% off\r\nnow"), "50%25 off%0D%0Anow");
    }
}
