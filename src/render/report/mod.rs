//! `privlint report`: one self-contained HTML file a lawyer can read. For
//! each policy a scorecard (every rule that was on, its outcome, evidence,
//! findings, citations) and the policy text itself, with every finding and
//! every piece of evidence highlighted in place and linked both ways; an
//! index when there are several policies.
//!
//! No script, no external asset: the page carries its stylesheet inline
//! and a Content-Security-Policy that forbids everything else, so it reads
//! the same from a laptop's disk, a CI artifact or a printer.

mod highlight;
mod policy_text;
mod scorecard;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use crate::finding::{FileReport, FileStatus, Status};
use crate::rule::Severity;

use highlight::Highlight;

const STYLE: &str = include_str!("style.css");

/// What the page says about the run itself.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The day the report was made (`YYYY-MM-DD`), shown in its header.
    pub generated: Option<String>,
    /// The day policies were judged as of, when not that day (`--as-of`).
    pub as_of: Option<String>,
}

/// HTML-escapes text for an element or a quoted attribute (`&<>"'`).
pub(crate) fn esc(s: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}

/// Writes the whole report.
pub fn write_report(out: &mut dyn Write, reports: &[FileReport], opts: &ReportOptions) -> io::Result<()> {
    out.write_all(render(reports, opts).as_bytes())
}

/// The report as a string.
pub fn render(reports: &[FileReport], opts: &ReportOptions) -> String {
    let policies: Vec<Policy> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| Policy::new(i + 1, r))
        .collect();
    let mut h = String::new();
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n",
    );
    let title = match reports {
        [one] => format!("Privacy policy report: {}", one.path),
        _ => format!("Privacy policy report: {} policies", reports.len()),
    };
    let _ = writeln!(
        h,
        "<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        esc(&title)
    );
    h.push_str("<a class=\"skip\" href=\"#main\">Skip to the report</a>\n");
    if policies.len() > 1 {
        h.push_str("<nav class=\"top\" aria-label=\"Policies\"><ul>");
        h.push_str("<li><a href=\"#index\">Index</a></li>");
        for p in &policies {
            let _ = write!(h, "<li><a href=\"#p{}\">{}</a></li>", p.n, esc(&p.report.path));
        }
        h.push_str("</ul></nav>\n");
    }
    h.push_str("<main id=\"main\">\n<header class=\"report\">\n");
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    h.push_str("<p class=\"meta\">Made by privlint ");
    h.push_str(env!("CARGO_PKG_VERSION"));
    if let Some(day) = &opts.generated {
        let _ = write!(h, " on {}", esc(day));
    }
    if let Some(day) = &opts.as_of {
        let _ = write!(h, "; policies judged as of {}", esc(day));
    }
    h.push_str(
        ". privlint checks the wording of a policy against rules drawn from the laws cited; \
         a finding is a statement to review, not legal advice.</p>\n</header>\n",
    );
    if policies.len() > 1 {
        write_index(&mut h, &policies);
    }
    for p in &policies {
        p.write(&mut h);
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// One policy's section, with its highlights numbered and placed.
struct Policy<'a> {
    /// 1-based; every id of the section starts with `p{n}-`.
    n: usize,
    report: &'a FileReport,
    marks: Vec<Highlight>,
    /// For each finding, its mark; `None` for one about the whole policy.
    finding_mark: Vec<Option<usize>>,
    /// For each entry of `report.evidence`, the marks of its spans.
    evidence_marks: Vec<Vec<usize>>,
    /// Whether each mark was shown in the policy text.
    placed: Vec<bool>,
    /// The policy text, rendered first so that `placed` is known.
    text: String,
}

impl<'a> Policy<'a> {
    fn new(n: usize, report: &'a FileReport) -> Self {
        let mut marks = Vec::new();
        let mut finding_mark = Vec::new();
        for (i, f) in report.findings.iter().enumerate() {
            if f.whole_document {
                finding_mark.push(None);
                continue;
            }
            finding_mark.push(Some(marks.len()));
            marks.push(Highlight {
                id: format!("p{n}-f{}", i + 1),
                label: format!("F{}", i + 1),
                class: format!("finding sev-{}", f.severity.as_str()),
                row: row_of(n, report, &f.rule.id, i),
                title: format!(
                    "Finding F{}, {}: {}. Back to the scorecard",
                    i + 1,
                    f.severity.as_str(),
                    f.rule.title
                ),
                range: f.span.text.clone(),
            });
        }
        let mut evidence_marks = Vec::new();
        let mut k = 0;
        for e in &report.evidence {
            let mut mine = Vec::new();
            for s in &e.spans {
                k += 1;
                mine.push(marks.len());
                marks.push(Highlight {
                    id: format!("p{n}-e{k}"),
                    label: format!("E{k}"),
                    class: "evidence".into(),
                    row: row_of(n, report, &e.rule.id, usize::MAX),
                    title: format!("Evidence E{k} for {}. Back to the scorecard", e.rule.title),
                    range: s.text.clone(),
                });
            }
            evidence_marks.push(mine);
        }
        let mut placed = vec![false; marks.len()];
        let text = report
            .outline
            .as_deref()
            .map(|o| policy_text::render(&report.source, o, &marks, &mut placed))
            .unwrap_or_default();
        Policy {
            n,
            report,
            marks,
            finding_mark,
            evidence_marks,
            placed,
            text,
        }
    }

    /// Where a finding's link goes: its mark, else its note at the top of
    /// the policy text. Also says which.
    fn finding_target(&self, i: usize) -> (String, bool) {
        match self.finding_mark[i] {
            Some(m) if self.placed[m] => (self.marks[m].id.clone(), true),
            _ => (format!("p{}-f{}", self.n, i + 1), false),
        }
    }

    fn write(&self, h: &mut String) {
        let r = self.report;
        let n = self.n;
        let _ = writeln!(
            h,
            "<section class=\"policy\" id=\"p{n}\" aria-labelledby=\"p{n}-h\">\n<h2 id=\"p{n}-h\">{}</h2>",
            esc(&r.path)
        );
        match &r.status {
            FileStatus::Linted => {}
            FileStatus::Skipped(why) => {
                let _ = writeln!(
                    h,
                    "<p class=\"status-line\">Not checked: {}</p>\n</section>",
                    esc(why)
                );
                return;
            }
            FileStatus::Failed(why) => {
                let _ = writeln!(
                    h,
                    "<p class=\"status-line\">Could not be read: {}</p>\n</section>",
                    esc(why)
                );
                return;
            }
        }
        h.push_str("<p class=\"meta\">");
        if let Some(f) = r.format {
            let _ = write!(h, "Read as {}", f.name());
        }
        if let Some(e) = r.encoding {
            let _ = write!(h, ", {}", esc(e));
        }
        match &r.date {
            Some(d) => {
                let _ = write!(
                    h,
                    ". The policy states its {} date: {}",
                    d.kind.as_str(),
                    esc(&d.value)
                );
            }
            None => h.push_str(". The policy states no date"),
        }
        h.push_str(".</p>\n");
        write_counts(h, &Counts::of(r));
        if !r.notices.is_empty() {
            h.push_str("<ul class=\"notices\">");
            for notice in &r.notices {
                let _ = write!(h, "<li>Note: {}</li>", esc(&notice.message));
            }
            h.push_str("</ul>\n");
        }
        let _ = writeln!(h, "<h3 id=\"p{n}-scorecard\">Scorecard</h3>");
        scorecard::write(h, self);
        let _ = writeln!(h, "<h3 id=\"p{n}-text\">Policy text</h3>");
        self.write_unplaced(h);
        if r.outline.is_some() {
            let _ = writeln!(h, "<div class=\"policy-text\">\n{}</div>", self.text);
        } else {
            h.push_str("<p>The text was not kept for this report.</p>\n");
        }
        h.push_str("</section>\n");
    }

    /// Findings with no place in the text: about the whole policy (a
    /// missing statement), or pointing at markup that is not shown (a
    /// directive comment).
    fn write_unplaced(&self, h: &mut String) {
        let r = self.report;
        let unplaced: Vec<usize> = (0..r.findings.len())
            .filter(|&i| !self.finding_target(i).1)
            .collect();
        if unplaced.is_empty() {
            return;
        }
        h.push_str(
            "<div class=\"whole\" role=\"note\"><p><strong>Findings about the policy as a whole</strong> \
             (nothing in the text to point at):</p><ul>",
        );
        for i in unplaced {
            let f = &r.findings[i];
            let where_ = if f.whole_document {
                String::new()
            } else {
                format!(" (line {}, not part of the visible text)", f.span.line)
            };
            let _ = write!(
                h,
                "<li id=\"p{n}-f{k}\" class=\"finding sev-{sev}\"><a class=\"tag\" href=\"#{row}\" \
                 aria-label=\"Finding F{k}. Back to the scorecard\">F{k}</a> \
                 <span class=\"sev\">{sev}</span> {msg}{where_}</li>",
                n = self.n,
                k = i + 1,
                sev = f.severity.as_str(),
                row = esc(&row_of(self.n, r, &f.rule.id, i)),
                msg = esc(f.message.trim()),
            );
        }
        h.push_str("</ul></div>\n");
    }

    /// The text a span shows (markup left out), for quoting it.
    fn quote(&self, range: &Range<usize>) -> String {
        let r = self.report;
        let Some(outline) = r.outline.as_deref() else {
            return r.source.get(range.clone()).unwrap_or_default().to_owned();
        };
        let mut q = String::new();
        for b in &outline.blocks {
            let mut any = false;
            for p in &b.pieces {
                if p.source.end <= range.start || p.source.start >= range.end {
                    continue;
                }
                if !any && !q.is_empty() {
                    q.push(' ');
                }
                any = true;
                match &p.replacement {
                    Some(t) => q.push_str(t),
                    None => {
                        let s = p.source.start.max(range.start);
                        let e = p.source.end.min(range.end);
                        q.push_str(r.source.get(s..e).unwrap_or_default());
                    }
                }
            }
        }
        const MAX: usize = 400;
        if q.chars().count() > MAX {
            q = q.chars().take(MAX).collect::<String>() + "…";
        }
        q
    }
}

/// The scorecard row of a rule: its place in `report.rules`, else (a
/// `privlint/*` rule, not listed there) a row of its own per finding.
fn row_of(n: usize, report: &FileReport, rule: &str, finding: usize) -> String {
    match report.rules.iter().position(|s| s.rule.id == rule) {
        Some(i) => format!("p{n}-r{}", i + 1),
        None => format!("p{n}-x{}", finding.wrapping_add(1)),
    }
}

/// The numbers at the top of a policy's section and in the index.
#[derive(Debug, Default)]
struct Counts {
    rules: usize,
    satisfied: usize,
    with_findings: usize,
    not_applicable: usize,
    /// Suppressed, baselined, not in force, other language.
    other: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl Counts {
    fn of(r: &FileReport) -> Self {
        let mut c = Counts {
            rules: r.rules.len(),
            ..Counts::default()
        };
        for s in &r.rules {
            match s.status {
                Status::Satisfied => c.satisfied += 1,
                Status::Finding => c.with_findings += 1,
                Status::NotApplicable => c.not_applicable += 1,
                _ => c.other += 1,
            }
        }
        for f in &r.findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

fn write_counts(h: &mut String, c: &Counts) {
    let _ = writeln!(
        h,
        "<dl class=\"counts\">\
         <div><dt>Rules checked</dt><dd>{}</dd></div>\
         <div class=\"st-satisfied\"><dt>✓ Satisfied</dt><dd>{}</dd></div>\
         <div class=\"st-finding\"><dt>✗ With findings</dt><dd>{}</dd></div>\
         <div class=\"st-not-applicable\"><dt>– Not applicable</dt><dd>{}</dd></div>\
         <div><dt>Other</dt><dd>{}</dd></div>\
         <div class=\"sev-error\"><dt>Errors</dt><dd>{}</dd></div>\
         <div class=\"sev-warning\"><dt>Warnings</dt><dd>{}</dd></div>\
         <div class=\"sev-info\"><dt>Info</dt><dd>{}</dd></div>\
         </dl>",
        c.rules, c.satisfied, c.with_findings, c.not_applicable, c.other, c.errors, c.warnings, c.infos
    );
}

fn write_index(h: &mut String, policies: &[Policy]) {
    h.push_str(
        "<section id=\"index\" aria-labelledby=\"index-h\">\n<h2 id=\"index-h\">Index</h2>\n\
         <table class=\"index\">\n<thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Stated date</th>\
         <th scope=\"col\">Rules</th><th scope=\"col\">Satisfied</th><th scope=\"col\">With findings</th>\
         <th scope=\"col\">Not applicable</th><th scope=\"col\">Other</th><th scope=\"col\">Errors</th>\
         <th scope=\"col\">Warnings</th><th scope=\"col\">Info</th></tr></thead>\n<tbody>\n",
    );
    for p in policies {
        let r = p.report;
        let _ = write!(
            h,
            "<tr><th scope=\"row\"><a href=\"#p{}\">{}</a></th>",
            p.n,
            esc(&r.path)
        );
        match &r.status {
            FileStatus::Linted => {
                let c = Counts::of(r);
                let date = r.date.as_ref().map_or(Cow::Borrowed("none"), |d| esc(&d.value));
                let _ = writeln!(
                    h,
                    "<td>{date}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    c.rules,
                    c.satisfied,
                    c.with_findings,
                    c.not_applicable,
                    c.other,
                    c.errors,
                    c.warnings,
                    c.infos
                );
            }
            FileStatus::Skipped(_) => h.push_str("<td colspan=\"9\">not checked</td></tr>\n"),
            FileStatus::Failed(_) => h.push_str("<td colspan=\"9\">could not be read</td></tr>\n"),
        }
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::InputFormat;
    use crate::lint::{AsOf, LintOptions, Linter};
    use crate::policy_date::CivilDate;

    /// A small policy with a heading, a list, a table, an entity, hostile
    /// markup, a forbidden statement and evidence.
    const POLICY: &str = "# Policy &amp; terms\n\n\
        We do not sell your personal information. We comply with the EU-US Safe Harbor framework.\n\n\
        - You can opt out of marketing emails at any time.\n- &lt;script&gt;alert(1)&lt;/script&gt;\n\n\
        | Data | Kept |\n|---|---|\n| Logs | 30 days |\n";

    fn report_of(src: &str) -> FileReport {
        let options = LintOptions {
            inline_config: true,
            as_of: AsOf::Today,
            today: CivilDate::new(2026, 12, 1).unwrap(),
            outline: true,
        };
        let linter = Linter::with_options(crate::pack::load(&[]).unwrap(), options);
        linter.lint_bytes("policy.md".into(), src.as_bytes(), InputFormat::Markdown)
    }

    fn page(reports: &[FileReport]) -> String {
        let opts = ReportOptions {
            generated: Some("2026-12-01".into()),
            as_of: None,
        };
        render(reports, &opts)
            .replace(STYLE, "/* style.css */\n")
            .replace(env!("CARGO_PKG_VERSION"), "VERSION")
    }

    #[test]
    fn snapshot_of_a_small_policy() {
        insta::assert_snapshot!(page(&[report_of(POLICY)]));
    }

    #[test]
    fn hostile_policy_text_never_becomes_markup() {
        let html = page(&[report_of(POLICY)]);
        assert!(
            !html.contains("<script"),
            "a <script> in the policy reached the page"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // The entity is shown decoded (then escaped once), not as `&amp;amp;`.
        assert!(html.contains("Policy &amp; terms"));
        assert!(!html.contains("&amp;amp;"));
    }

    #[test]
    fn every_link_inside_the_page_has_its_target_and_every_mark_links_back() {
        let html = page(&[
            report_of(POLICY),
            report_of("# Other\n\nWe may sell your personal information.\n"),
        ]);
        let ids: Vec<&str> = html
            .split("id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let hrefs: Vec<&str> = html
            .split("href=\"#")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(hrefs.len() > 10);
        for h in &hrefs {
            assert_eq!(
                ids.iter().filter(|i| *i == h).count(),
                1,
                "#{h}: not exactly one target"
            );
        }
        let marks = html.matches("<mark id=").count();
        assert!(marks >= 3, "{marks} marks");
        for m in html.split("<mark id=\"").skip(1) {
            let id = m.split('"').next().unwrap();
            assert!(
                m.contains("class=\"tag\" href=\"#p"),
                "mark {id} has no back link"
            );
            assert!(hrefs.contains(&id), "no scorecard link to mark {id}");
        }
        // Ids are unique across policies.
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
    }

    #[test]
    fn a_missing_statement_is_a_note_not_a_highlight() {
        let r = report_of(POLICY);
        let whole: Vec<usize> = (0..r.findings.len())
            .filter(|&i| r.findings[i].whole_document)
            .collect();
        assert!(!whole.is_empty(), "the fixture should miss a required statement");
        let html = page(&[r]);
        for i in whole {
            let id = format!("p1-f{}", i + 1);
            assert!(
                html.contains(&format!("<li id=\"{id}\"")),
                "{id} not listed as a note"
            );
            assert!(!html.contains(&format!("<mark id=\"{id}\"")), "{id} highlighted");
            assert!(html.contains(&format!("class=\"to-note\" href=\"#{id}\"")));
        }
    }

    #[test]
    fn an_index_lists_every_policy() {
        let html = page(&[report_of(POLICY), report_of("# Other\n\nText.\n")]);
        assert!(html.contains("<section id=\"index\""));
        assert_eq!(html.matches("<tr><th scope=\"row\"><a href=\"#p").count(), 2);
        let single = page(&[report_of(POLICY)]);
        assert!(!single.contains("id=\"index\""));
    }

    #[test]
    fn only_web_citation_links_leave_the_page() {
        let html = page(&[report_of(POLICY)]);
        for h in html.split("href=\"").skip(1) {
            let url = h.split('"').next().unwrap();
            assert!(
                url.starts_with('#') || url.starts_with("https://") || url.starts_with("http://"),
                "{url}"
            );
        }
        for h in html.split("href=\"http").skip(1) {
            let tag_rest = h.split('>').next().unwrap();
            assert!(tag_rest.contains("rel=\"noopener noreferrer\""), "{tag_rest}");
        }
        assert!(!html.contains(" src="));
        assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    }
}
