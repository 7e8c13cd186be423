//! A policy's scorecard: one table per pack, one row per rule that was on,
//! with its outcome, severity, the findings or evidence (each linked to its
//! highlight in the policy text) and the law it cites.

use std::fmt::Write as _;

use crate::finding::Status;
use crate::rule::RuleMeta;

use super::{Policy, esc};

/// Icon and words for a status: the shape and the text tell it, colour
/// only repeats it.
fn status_label(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Finding => ("✗", "Finding"),
        Status::Satisfied => ("✓", "Satisfied"),
        Status::NotApplicable => ("–", "Not applicable"),
        Status::Suppressed => ("⊘", "Suppressed in the policy"),
        Status::Baselined => ("≡", "Known (baseline)"),
        Status::NotInForce => ("◷", "Not in force on the day judged"),
        Status::OtherLanguage => ("≠", "Not run: other language"),
    }
}

pub fn write(h: &mut String, p: &Policy) {
    let r = p.report;
    let mut packs: Vec<&str> = Vec::new();
    for s in &r.rules {
        if !packs.contains(&s.rule.pack.as_str()) {
            packs.push(&s.rule.pack);
        }
    }
    if packs.is_empty() {
        h.push_str("<p>No rule was on for this policy.</p>\n");
    }
    for pack in packs {
        let _ = writeln!(
            h,
            "<table class=\"scorecard\">\n<caption>Pack <code>{}</code></caption>\n{HEAD}\n<tbody>",
            esc(pack)
        );
        for (i, s) in r.rules.iter().enumerate().filter(|(_, s)| s.rule.pack == pack) {
            let (icon, words) = status_label(s.status);
            let _ = write!(
                h,
                "<tr id=\"p{n}-r{k}\" class=\"st-{st}\"><td class=\"status\"><span class=\"icon\" aria-hidden=\"true\">{icon}</span> {words}</td>\
                 <td class=\"sev sev-{sev}\">{sev}</td><td class=\"rule\">",
                n = p.n,
                k = i + 1,
                st = s.status.as_str(),
                sev = s.severity.as_str(),
            );
            write_rule(h, &s.rule);
            h.push_str("</td><td class=\"detail\">");
            write_detail(h, p, &s.rule, s.status);
            h.push_str("</td><td class=\"law\">");
            write_citations(h, &s.rule);
            h.push_str("</td></tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
    write_directive_findings(h, p);
}

const HEAD: &str = "<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th>\
                    <th scope=\"col\">Findings and evidence</th><th scope=\"col\">Law</th></tr></thead>";

fn write_rule(h: &mut String, rule: &RuleMeta) {
    let _ = write!(
        h,
        "<strong>{}</strong><br><code>{}</code>",
        esc(&rule.title),
        esc(&rule.id)
    );
}

fn write_detail(h: &mut String, p: &Policy, rule: &RuleMeta, status: Status) {
    let r = p.report;
    let findings: Vec<usize> = (0..r.findings.len())
        .filter(|&i| r.findings[i].rule.id == rule.id)
        .collect();
    if !findings.is_empty() {
        h.push_str("<ul class=\"items\">");
        for i in findings {
            write_finding_item(h, p, i);
        }
        h.push_str("</ul>");
        if !rule.help.trim().is_empty() {
            let _ = write!(h, "<p class=\"help\">{}</p>", esc(rule.help.trim()));
        }
    }
    if let Some(ei) = r.evidence.iter().position(|e| e.rule.id == rule.id) {
        h.push_str("<ul class=\"items\">");
        for &m in &p.evidence_marks[ei] {
            let mark = &p.marks[m];
            let quote = esc(&p.quote(&mark.range)).into_owned();
            if p.placed[m] {
                let _ = write!(
                    h,
                    "<li class=\"evidence\"><a class=\"to-mark\" href=\"#{id}\" aria-label=\"Evidence {label}, in the text\">{label}</a> \
                     <q>{quote}</q></li>",
                    id = esc(&mark.id),
                    label = esc(&mark.label),
                );
            } else {
                let _ = write!(
                    h,
                    "<li class=\"evidence\">{} <q>{quote}</q></li>",
                    esc(&mark.label)
                );
            }
        }
        h.push_str("</ul>");
    }
    let said = match status {
        Status::Satisfied if r.evidence_of(rule).is_none() => Some("Nothing it forbids was found."),
        Status::NotApplicable => Some("What would make it apply is not in the policy."),
        Status::Suppressed => Some("Its findings are suppressed by a directive in the policy."),
        Status::Baselined => Some("Its findings are in the baseline, as known."),
        Status::NotInForce => Some("Not in force on the day the policy was judged as of."),
        Status::OtherLanguage => Some("The policy is written in another language than the rule."),
        _ => None,
    };
    if let Some(said) = said {
        let _ = write!(h, "<p class=\"said\">{said}</p>");
    }
}

fn write_finding_item(h: &mut String, p: &Policy, i: usize) {
    let f = &p.report.findings[i];
    let (target, in_text) = p.finding_target(i);
    let class = if in_text { "to-mark" } else { "to-note" };
    let _ = write!(
        h,
        "<li class=\"finding sev-{sev}\"><a class=\"{class}\" href=\"#{target}\" aria-label=\"Finding F{k}, {where_}\">F{k}</a> {msg}",
        sev = f.severity.as_str(),
        target = esc(&target),
        k = i + 1,
        where_ = if in_text {
            "in the text"
        } else {
            "about the whole policy"
        },
        msg = esc(f.message.trim()),
    );
    if in_text {
        let quote = esc(&p.quote(&f.span.text)).into_owned();
        if !quote.is_empty() {
            let _ = write!(h, ": <q>{quote}</q>");
        }
        let _ = write!(h, " <span class=\"line\">(line {})</span>", f.span.line);
    }
    h.push_str("</li>");
}

fn write_citations(h: &mut String, rule: &RuleMeta) {
    if rule.citations.is_empty() {
        return;
    }
    h.push_str("<ul class=\"cites\">");
    for c in &rule.citations {
        let text = format!("{}, {}", c.law, c.section);
        match c.url.as_deref().filter(|u| is_web_url(u)) {
            Some(url) => {
                let _ = write!(
                    h,
                    "<li><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></li>",
                    esc(url),
                    esc(&text)
                );
            }
            None => {
                let _ = write!(h, "<li>{}</li>", esc(&text));
            }
        }
    }
    h.push_str("</ul>");
}

/// Only http(s) links: a pack's citation URL must not become a
/// `javascript:` link.
fn is_web_url(u: &str) -> bool {
    let lower = u.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Findings of privlint's own rules (directives that are malformed or
/// suppress nothing): not pack rules, so listed after the packs.
fn write_directive_findings(h: &mut String, p: &Policy) {
    let r = p.report;
    let own: Vec<usize> = (0..r.findings.len())
        .filter(|&i| !r.rules.iter().any(|s| s.rule.id == r.findings[i].rule.id))
        .collect();
    if own.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<table class=\"scorecard\">\n<caption>privlint's own checks (directive comments)</caption>\n{HEAD}\n<tbody>"
    );
    for i in own {
        let f = &r.findings[i];
        let (icon, words) = status_label(Status::Finding);
        let _ = write!(
            h,
            "<tr id=\"p{n}-x{k}\" class=\"st-finding\"><td class=\"status\"><span class=\"icon\" aria-hidden=\"true\">{icon}</span> {words}</td>\
             <td class=\"sev sev-{sev}\">{sev}</td><td class=\"rule\">",
            n = p.n,
            k = i + 1,
            sev = f.severity.as_str(),
        );
        write_rule(h, &f.rule);
        h.push_str("</td><td class=\"detail\"><ul class=\"items\">");
        write_finding_item(h, p, i);
        h.push_str("</ul></td><td class=\"law\"></td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}
