//! `--format markdown`: a compact summary for `$GITHUB_STEP_SUMMARY` or a
//! pull-request comment. Per file, a heading with its counts, a table of
//! the findings, and the other rules folded into a `<details>` table; the
//! files that were not linted and the totals at the end.
//!
//! Everything from outside privlint (paths, messages a pack wrote, text a
//! message quotes) goes through [`cell`], so a policy cannot break the
//! table or inject links, HTML or mentions.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Renderer, Summary};
use crate::finding::{FileReport, FileStatus, Status};
use crate::rule::Severity;

/// GitHub refuses a step summary over 1 MiB; stay below it with room for
/// the closing lines.
pub const STEP_SUMMARY_LIMIT: usize = 1 << 20;
/// Kept free for the not-linted list head, the cut notice and the totals.
const RESERVE: usize = 4 << 10;

#[derive(Debug)]
pub struct MarkdownRenderer {
    limit: usize,
    written: usize,
    /// Files left out once the limit was reached (every later file too,
    /// so what is shown is a prefix of the run).
    cut: usize,
    /// Files that were skipped or failed: path, what happened, why.
    not_linted: Vec<(String, &'static str, String)>,
    started: bool,
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        MarkdownRenderer::with_limit(STEP_SUMMARY_LIMIT)
    }
}

impl MarkdownRenderer {
    pub fn new() -> Self {
        MarkdownRenderer::default()
    }

    /// A renderer whose whole output stays within `limit` bytes (the
    /// totals are always written).
    pub fn with_limit(limit: usize) -> Self {
        MarkdownRenderer {
            limit,
            written: 0,
            cut: 0,
            not_linted: Vec::new(),
            started: false,
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.emit(out, "## privlint\n\n")?;
        }
        Ok(())
    }

    fn emit(&mut self, out: &mut dyn Write, s: &str) -> io::Result<()> {
        self.written += s.len();
        out.write_all(s.as_bytes())
    }
}

impl Renderer for MarkdownRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.start(out)?;
        match &report.status {
            FileStatus::Linted => {}
            FileStatus::Skipped(why) => {
                self.not_linted
                    .push((report.path.clone(), "skipped", why.clone()));
                return Ok(());
            }
            FileStatus::Failed(why) => {
                self.not_linted.push((report.path.clone(), "failed", why.clone()));
                return Ok(());
            }
        }
        let section = file_section(report);
        if self.cut > 0 || self.written + section.len() + RESERVE > self.limit {
            self.cut += 1;
            return Ok(());
        }
        self.emit(out, &section)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        let mut tail = String::new();
        if !self.not_linted.is_empty() {
            tail.push_str("**Not linted**\n\n");
            let mut listed = 0;
            for (path, what, why) in &self.not_linted {
                let line = format!("- {}: {what}: {}\n", code(path), cell(why));
                if self.written + tail.len() + line.len() + RESERVE / 2 > self.limit {
                    break;
                }
                tail.push_str(&line);
                listed += 1;
            }
            let unlisted = self.not_linted.len() - listed;
            if unlisted > 0 {
                let _ = writeln!(tail, "- and {unlisted} more not shown");
            }
            tail.push('\n');
        }
        if self.cut > 0 {
            let _ = writeln!(
                tail,
                "_{} not shown: this summary is kept under {} KiB (GitHub's step-summary limit is 1 MiB)._\n",
                plural(self.cut, "linted file"),
                self.limit >> 10
            );
        }
        tail.push_str(&totals(summary));
        self.emit(out, &tail)
    }
}

/// One linted file: heading, findings table, the other rules folded away.
fn file_section(report: &FileReport) -> String {
    let mut s = String::new();
    let counts = severity_counts(report);
    let _ = writeln!(s, "### {}: {counts}\n", code(&report.path));
    if !report.findings.is_empty() {
        s.push_str("| rule | status | severity | line | message |\n|---|---|---|---|---|\n");
        for f in &report.findings {
            let _ = writeln!(
                s,
                "| {} | finding | {} | {} | {} |",
                code(&f.rule.id),
                f.severity.as_str(),
                f.span.line,
                cell(f.message.trim())
            );
        }
        s.push('\n');
    }
    for n in &report.notices {
        let _ = writeln!(s, "> note: {}\n", cell(&n.message));
    }
    let others: Vec<_> = report
        .rules
        .iter()
        .filter(|r| r.status != Status::Finding)
        .collect();
    if !others.is_empty() {
        let tally: Vec<String> = [
            Status::Satisfied,
            Status::NotApplicable,
            Status::Suppressed,
            Status::Baselined,
            Status::NotInForce,
            Status::OtherLanguage,
        ]
        .into_iter()
        .filter_map(|status| {
            let n = others.iter().filter(|r| r.status == status).count();
            (n > 0).then(|| format!("{n} {}", status.as_str()))
        })
        .collect();
        let _ = writeln!(
            s,
            "<details><summary>{}</summary>\n\n| rule | status | severity |\n|---|---|---|",
            tally.join(", ")
        );
        for r in others {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                code(&r.rule.id),
                r.status.as_str(),
                r.severity.as_str()
            );
        }
        s.push_str("\n</details>\n\n");
    }
    s
}

fn severity_counts(report: &FileReport) -> String {
    let count = |sev| report.findings.iter().filter(|f| f.severity == sev).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Info), "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| plural(n, what))
    .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

fn totals(summary: &Summary) -> String {
    let mut s = format!(
        "**Total:** {} linted, {} ({}, {}, {})",
        plural(summary.files, "file"),
        plural(summary.findings, "finding"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info")
    );
    if summary.skipped > 0 {
        let _ = write!(s, ", {} skipped", summary.skipped);
    }
    if summary.failed > 0 {
        let _ = write!(s, ", {} failed", summary.failed);
    }
    if summary.baselined > 0 {
        let _ = write!(s, ", {} baselined", plural(summary.baselined, "finding"));
    }
    s.push_str(".\n");
    s
}

fn plural(n: usize, what: &str) -> String {
    // "info" has no plural that reads well; the others take an s.
    if n == 1 || what == "info" {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Text made safe for a table cell or a line of Markdown: every character
/// that could start markup is backslash-escaped (so `|` cannot end the
/// cell, `[x](y)` is no link, `@name` no mention, `$x$` no maths),
/// `<` and `>` become
/// entities (no HTML), and line breaks and other control characters become
/// spaces (a newline would end the table row).
pub fn cell(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '&' | '@' | '$' => {
                s.push('\\');
                s.push(c);
            }
            c if c.is_control() => s.push(' '),
            c => s.push(c),
        }
    }
    s
}

/// `text` as inline code, when it holds no backtick or line break; else
/// escaped text. Inside a table a `|` still ends the cell, so it is escaped
/// (GitHub removes the backslash in code too).
pub fn code(text: &str) -> String {
    if text.contains('`') || text.chars().any(char::is_control) {
        return cell(text);
    }
    format!("`{}`", text.replace('|', "\\|"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::tests::{render_with, sample_report};

    #[test]
    fn findings_come_first_then_the_folded_rules() {
        let out = render_with(&mut MarkdownRenderer::new(), &sample_report());
        assert!(
            out.starts_with("## privlint\n\n### `privacy/policy.md`: 1 error, 1 info\n"),
            "{out}"
        );
        assert!(
            out.contains("| `third-party-sale/contradiction` | finding | error | 4 | The policy both denies and affirms selling personal information |"),
            "{out}"
        );
        assert!(
            out.ends_with("**Total:** 1 file linted, 2 findings (1 error, 0 warnings, 1 info).\n"),
            "{out}"
        );
    }

    #[test]
    fn cells_cannot_break_the_table() {
        let hostile = "a | b `c` <script>x</script>\n| d | [e](http://x) @f";
        let escaped = cell(hostile);
        assert!(!escaped.contains('\n') && !escaped.contains('<'), "{escaped}");
        // Every `|` left is escaped: none can end the cell.
        let bytes = escaped.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'|' || b == b'`' || b == b'[' || b == b'@' {
                assert_eq!(bytes[i - 1], b'\\', "{escaped}");
            }
        }
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn stays_under_the_limit_and_says_what_it_left_out() {
        let report = sample_report();
        let mut renderer = MarkdownRenderer::with_limit(RESERVE + 700);
        let mut out = Vec::new();
        let mut summary = Summary::default();
        for _ in 0..10 {
            renderer.file(&mut out, &report).unwrap();
            summary.add(&report);
        }
        renderer.finish(&mut out, &summary).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.len() <= RESERVE + 700, "{}", out.len());
        let shown = out.matches("### ").count();
        assert!((1..10).contains(&shown), "{out}");
        assert!(
            out.contains(&format!("_{} linted files not shown", 10 - shown)),
            "{out}"
        );
        assert!(out.contains("**Total:** 10 files linted"), "{out}");
    }

    #[test]
    fn files_not_linted_are_listed_with_the_reason() {
        let report =
            FileReport::not_linted("a|b.pdf".into(), FileStatus::Skipped("binary file (PDF)".into()));
        let out = render_with(&mut MarkdownRenderer::new(), &report);
        assert!(
            out.contains("- `a\\|b.pdf`: skipped: binary file (PDF)\n"),
            "{out}"
        );
        assert!(out.contains(", 1 skipped."), "{out}");
    }
}
