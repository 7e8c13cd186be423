//! `privlint diff`: which practices changed between two versions of a
//! policy. A pure comparison of two [`FileReport`]s linted with the same
//! rules; the classes follow the rules' statuses and their findings and
//! evidence, never a reading of the text (see `docs/diff.md`).

use std::sync::Arc;

use crate::finding::{FileReport, Status};
use crate::rule::{RuleKind, RuleMeta, Severity};
use crate::span::Span;

/// How a rule's outcome moved from the old version to the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Worse: the rule had no finding and now has one.
    Worsened,
    /// Worse within a status: fewer statements satisfy it, more findings
    /// or a higher severity; or a new finding on a sentence that still
    /// satisfies another rule (the statement is there, in a weaker form).
    Weakened,
    /// Better: the rule had a finding and now has none.
    Improved,
    /// Something moved that is neither better nor worse: other evidence
    /// or findings at the same status, or a status outside
    /// finding / satisfied / not applicable on one side.
    Changed,
    Unchanged,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Worsened => "worsened",
            Class::Weakened => "weakened",
            Class::Improved => "improved",
            Class::Changed => "changed",
            Class::Unchanged => "unchanged",
        }
    }

    /// Whether the change makes the policy worse (fails `privlint diff`).
    pub fn is_worse(self) -> bool {
        matches!(self, Class::Worsened | Class::Weakened)
    }
}

/// A statement or finding as one version shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// 1-based line in that version.
    pub line: usize,
    /// The text, whitespace collapsed; a finding of a missing statement
    /// (a `require` rule, or an empty span) is quoted by its message.
    pub text: String,
    /// `text` is privlint's message, not the policy's words.
    pub is_message: bool,
}

/// One rule in one version.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// `None`: the rule was not on for this version.
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub findings: Vec<Quote>,
    pub evidence: Vec<Quote>,
}

impl Side {
    /// What this side shows of the rule: its findings, or its evidence.
    pub fn quotes(&self) -> &[Quote] {
        if self.findings.is_empty() {
            &self.evidence
        } else {
            &self.findings
        }
    }
}

#[derive(Debug, Clone)]
pub struct Change {
    pub rule: Arc<RuleMeta>,
    pub class: Class,
    /// Why, in a few words ("a forbidden statement appeared").
    pub reason: String,
    pub old: Side,
    pub new: Side,
}

impl Change {
    /// The old quotes the new version does not have, and the new ones the
    /// old did not have (by text; lines move with every edit).
    pub fn gone_and_new(&self) -> (Vec<&Quote>, Vec<&Quote>) {
        let (old, new) = (self.old.quotes(), self.new.quotes());
        let gone = old
            .iter()
            .filter(|q| !new.iter().any(|n| n.text == q.text))
            .collect();
        let added = new
            .iter()
            .filter(|q| !old.iter().any(|o| o.text == q.text))
            .collect();
        (gone, added)
    }
}

/// Every rule on in either version, in the new version's order and then
/// the old's, with its class. Unchanged rules are included.
pub fn compare(old: &FileReport, new: &FileReport) -> Vec<Change> {
    let mut rules: Vec<Arc<RuleMeta>> = new.rules.iter().map(|r| Arc::clone(&r.rule)).collect();
    for r in &old.rules {
        if !rules.iter().any(|k| k.id == r.rule.id) {
            rules.push(Arc::clone(&r.rule));
        }
    }
    rules
        .into_iter()
        .map(|rule| {
            let (o, n) = (side(old, &rule), side(new, &rule));
            let (class, reason) = classify(&rule, &o, &n, old, new);
            Change {
                rule,
                class,
                reason,
                old: o,
                new: n,
            }
        })
        .collect()
}

/// Counts per class, in [`Class`] order.
pub fn counts(changes: &[Change]) -> [(Class, usize); 5] {
    [
        Class::Worsened,
        Class::Weakened,
        Class::Improved,
        Class::Changed,
        Class::Unchanged,
    ]
    .map(|c| (c, changes.iter().filter(|x| x.class == c).count()))
}

fn side(report: &FileReport, rule: &RuleMeta) -> Side {
    let Some(status) = report.rules.iter().find(|r| r.rule.id == rule.id) else {
        return Side::default();
    };
    let source = &report.source;
    let findings = report
        .findings_of(rule)
        .map(|f| {
            // A missing statement's span only anchors the finding (at the
            // title): its message says what is missing.
            let text = if f.whole_document {
                String::new()
            } else {
                collapse(slice(source, &f.span))
            };
            Quote {
                line: f.span.line,
                is_message: text.is_empty(),
                text: if text.is_empty() {
                    collapse(&f.message)
                } else {
                    text
                },
            }
        })
        .collect();
    let evidence = report
        .evidence_of(rule)
        .map(|e| {
            e.spans
                .iter()
                .map(|s| Quote {
                    line: s.line,
                    text: collapse(slice(source, s)),
                    is_message: false,
                })
                .collect()
        })
        .unwrap_or_default();
    Side {
        status: Some(status.status),
        severity: Some(status.severity),
        findings,
        evidence,
    }
}

fn slice<'a>(source: &'a str, span: &Span) -> &'a str {
    source.get(span.text.clone()).unwrap_or_default()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finding is bad; satisfied and not applicable are good; the others
/// (suppressed, baselined, not in force, other language) say nothing
/// about the text's quality.
fn good(status: Status) -> Option<bool> {
    match status {
        Status::Finding => Some(false),
        Status::Satisfied | Status::NotApplicable => Some(true),
        _ => None,
    }
}

fn classify(rule: &RuleMeta, o: &Side, n: &Side, old: &FileReport, new: &FileReport) -> (Class, String) {
    let (Some(os), Some(ns)) = (o.status, n.status) else {
        let which = if o.status.is_none() { "new" } else { "old" };
        return (Class::Changed, format!("on only for the {which} version"));
    };
    if os == ns {
        return same_status(os, o, n);
    }
    match (good(os), good(ns)) {
        (Some(false), Some(true)) => (Class::Improved, improved_reason(rule, ns).to_owned()),
        (Some(true), Some(false)) => match still_stated(rule, old, new) {
            Some(other) => (
                Class::Weakened,
                format!("newly flagged, on a statement that still satisfies {other}"),
            ),
            None => (Class::Worsened, worsened_reason(rule, os).to_owned()),
        },
        _ => (Class::Changed, format!("{} -> {}", os.as_str(), ns.as_str())),
    }
}

fn same_status(status: Status, o: &Side, n: &Side) -> (Class, String) {
    let texts = |q: &[Quote]| {
        let mut t: Vec<String> = q.iter().map(|q| q.text.clone()).collect();
        t.sort();
        t
    };
    match status {
        Status::Finding => {
            if n.severity > o.severity {
                let (os, ns) = (
                    o.severity.map_or("", Severity::as_str),
                    n.severity.map_or("", Severity::as_str),
                );
                return (Class::Weakened, format!("severity rose from {os} to {ns}"));
            }
            if n.findings.len() > o.findings.len() {
                let msg = format!("more findings ({} -> {})", o.findings.len(), n.findings.len());
                return (Class::Weakened, msg);
            }
            if texts(&o.findings) != texts(&n.findings) {
                return (Class::Changed, "other findings".to_owned());
            }
        }
        Status::Satisfied => {
            if n.evidence.len() < o.evidence.len() {
                let msg = format!(
                    "fewer statements satisfy it ({} -> {})",
                    o.evidence.len(),
                    n.evidence.len()
                );
                return (Class::Weakened, msg);
            }
            if texts(&o.evidence) != texts(&n.evidence) {
                return (Class::Changed, "other statements satisfy it".to_owned());
            }
        }
        _ => {}
    }
    (Class::Unchanged, String::new())
}

fn improved_reason(rule: &RuleMeta, now: Status) -> &'static str {
    match (rule.kind, now) {
        (RuleKind::Require, _) => "the required statement is now there",
        (RuleKind::Conditional, Status::Satisfied) => "the statement it needed is now there",
        (RuleKind::Conditional, _) => "the statement that needed qualifying is gone",
        _ => "the flagged statement is gone",
    }
}

fn worsened_reason(rule: &RuleMeta, was: Status) -> &'static str {
    match (rule.kind, was) {
        (RuleKind::Require, _) => "the required statement is gone",
        (RuleKind::Conditional, Status::Satisfied) => "the statement it needs is gone",
        (RuleKind::Conditional, _) => "a statement appeared that needs one it lacks",
        _ => "a flagged statement appeared",
    }
}

/// For a rule newly flagged in `new`: another rule, satisfied in both
/// versions, whose evidence in `new` covers every one of this rule's new
/// findings. The statement is still made, in a form this rule flags (a
/// stated period replaced by "as long as necessary").
fn still_stated(rule: &RuleMeta, old: &FileReport, new: &FileReport) -> Option<String> {
    let findings: Vec<&Span> = new.findings_of(rule).map(|f| &f.span).collect();
    if findings.is_empty() || findings.iter().any(|s| s.text.is_empty()) {
        return None;
    }
    let satisfied = |r: &FileReport, id: &str| {
        r.rules
            .iter()
            .any(|s| s.rule.id == id && s.status == Status::Satisfied)
    };
    new.evidence
        .iter()
        .filter(|e| e.rule.id != rule.id && satisfied(new, &e.rule.id) && satisfied(old, &e.rule.id))
        .find(|e| {
            findings.iter().all(|f| {
                e.spans
                    .iter()
                    .any(|s| s.text.start < f.text.end && f.text.start < s.text.end)
            })
        })
        .map(|e| e.rule.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::InputFormat;
    use crate::lint::{AsOf, LintOptions, Linter};
    use crate::pack;
    use crate::policy_date::CivilDate;

    fn lint(text: &str) -> FileReport {
        let options = LintOptions {
            inline_config: true,
            as_of: AsOf::Today,
            today: CivilDate::parse_iso("2026-12-01").unwrap(),
            outline: false,
        };
        Linter::with_options(pack::load(&[]).unwrap(), options).lint_bytes(
            "p.md".into(),
            text.as_bytes(),
            InputFormat::Markdown,
        )
    }

    fn class_of(changes: &[Change], id: &str) -> Class {
        changes.iter().find(|c| c.rule.id == id).unwrap().class
    }

    const BASE: &str = "# Policy\n\nWe do not sell your personal information.\n\n\
        We keep your data for 30 days after you close your account.\n\n\
        You can opt out of marketing emails at any time.\n\n\
        Our service is not directed to children under 13.\n";

    #[test]
    fn the_same_text_is_unchanged_throughout() {
        let changes = compare(&lint(BASE), &lint(BASE));
        assert!(!changes.is_empty());
        assert!(
            changes.iter().all(|c| c.class == Class::Unchanged),
            "{changes:#?}"
        );
    }

    #[test]
    fn a_forbidden_statement_appearing_is_worse_and_going_is_better() {
        let with = format!("{BASE}\nWe comply with the EU-US Safe Harbor framework.\n");
        let changes = compare(&lint(BASE), &lint(&with));
        let c = changes
            .iter()
            .find(|c| c.rule.id == "safe-harbor/eu-us-safe-harbor")
            .unwrap();
        assert_eq!(c.class, Class::Worsened);
        let (gone, added) = c.gone_and_new();
        assert!(gone.is_empty());
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].line, 11);
        assert!(added[0].text.contains("Safe Harbor"), "{added:?}");
        let back = compare(&lint(&with), &lint(BASE));
        assert_eq!(class_of(&back, "safe-harbor/eu-us-safe-harbor"), Class::Improved);
    }

    #[test]
    fn a_required_statement_dropped_is_worsened() {
        let without = BASE.replace(
            "We keep your data for 30 days after you close your account.\n\n",
            "",
        );
        let changes = compare(&lint(BASE), &lint(&without));
        assert_eq!(class_of(&changes, "retention/stated"), Class::Worsened);
        let c = changes.iter().find(|c| c.rule.id == "retention/stated").unwrap();
        assert_eq!(c.reason, "the required statement is gone");
        assert_eq!(c.old.evidence[0].line, 5);
    }

    #[test]
    fn a_stated_period_made_open_ended_is_weakened() {
        let open = BASE.replace(
            "for 30 days after you close your account",
            "for as long as necessary",
        );
        let changes = compare(&lint(BASE), &lint(&open));
        let c = changes.iter().find(|c| c.rule.id == "retention/period").unwrap();
        assert_eq!(c.class, Class::Weakened, "{c:#?}");
        assert!(c.reason.contains("retention/stated"), "{}", c.reason);
        // The statement itself still satisfies retention/stated, in other words.
        assert_eq!(class_of(&changes, "retention/stated"), Class::Changed);
    }

    #[test]
    fn fewer_statements_is_weakened_and_other_ones_changed() {
        let two = BASE.replace(
            "after you close your account.",
            "after you close your account.\n\nWe keep server logs for 14 days.",
        );
        let changes = compare(&lint(&two), &lint(BASE));
        assert_eq!(class_of(&changes, "retention/stated"), Class::Weakened);
        let other = BASE.replace("30 days", "60 days");
        assert_eq!(
            class_of(&compare(&lint(BASE), &lint(&other)), "retention/stated"),
            Class::Changed
        );
    }

    #[test]
    fn a_rule_on_in_one_version_only_is_changed() {
        let mut new = lint(BASE);
        new.rules.retain(|r| r.rule.id != "retention/period");
        let changes = compare(&lint(BASE), &new);
        let c = changes.iter().find(|c| c.rule.id == "retention/period").unwrap();
        assert_eq!(
            (c.class, c.reason.as_str()),
            (Class::Changed, "on only for the old version")
        );
    }
}
