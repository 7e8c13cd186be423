//! Stage 3 output: what evaluation found in one file.

use std::sync::Arc;

use crate::document::{BlockKind, Document, InputFormat};
use crate::outline::Outline;
use crate::policy_date::{CivilDate, DateKind};
use crate::rule::{RuleMeta, Severity};
use crate::span::{LineIndex, Span};

/// A rule that fired, at the span it fired on.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<RuleMeta>,
    /// The rule's severity after configuration.
    pub severity: Severity,
    pub message: String,
    /// What the primary span shows, e.g. "sale affirmed here".
    pub label: String,
    pub span: Span,
    /// Secondary spans, e.g. the denial that a contradiction contradicts.
    pub labels: Vec<Label>,
    /// Location-independent identity, see [`crate::fingerprint`].
    pub fingerprint: String,
    /// The day the policy was judged as of, when that was not today
    /// (`--as-of`).
    pub as_of: Option<CivilDate>,
    /// About the policy as a whole (a missing statement or date): `span`
    /// is only somewhere to point, the title. Suppression, fingerprints and
    /// reports treat it so.
    pub whole_document: bool,
}

/// The date a policy states for itself (see [`crate::policy_date`]).
#[derive(Debug, Clone)]
pub struct StatedDate {
    /// `2024-03-03`, or `2024-03` when only the month is stated.
    pub value: String,
    pub kind: DateKind,
    /// The statement, from its wording to the date's end.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// The statements that satisfied a `require` or `conditional` rule.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub rule: Arc<RuleMeta>,
    pub spans: Vec<Span>,
}

/// How one rule that was on for a file came out: a scorecard's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The rule has findings in [`FileReport::findings`].
    Finding,
    /// It found something, and directives in the file suppressed all of it.
    Suppressed,
    /// It found something, and `--baseline` dropped all of it as known.
    Baselined,
    /// Nothing forbidden was found, or the required statement is there
    /// (its sentences are in [`FileReport::evidence`]).
    Satisfied,
    /// A conditional rule whose trigger does not hold in this policy.
    NotApplicable,
    /// Not in force on the day the policy was judged as of (`valid_from`,
    /// `valid_until`).
    NotInForce,
    /// Not run: the policy is written in another language than the rule.
    OtherLanguage,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Finding => "finding",
            Status::Suppressed => "suppressed",
            Status::Baselined => "baselined",
            Status::Satisfied => "satisfied",
            Status::NotApplicable => "not-applicable",
            Status::NotInForce => "not-in-force",
            Status::OtherLanguage => "other-language",
        }
    }
}

/// A rule that was on for a file, and how it came out.
#[derive(Debug, Clone)]
pub struct RuleStatus {
    pub rule: Arc<RuleMeta>,
    /// The rule's severity after configuration.
    pub severity: Severity,
    pub status: Status,
}

/// Something the user should know about a file that is not a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub message: String,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Linted,
    /// Not a policy we can read (binary data, say); not an error.
    Skipped(String),
    /// Reading failed; an error.
    Failed(String),
}

/// Everything privlint has to say about one file, in source order.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it, joined with the path below a folder.
    pub path: String,
    pub status: FileStatus,
    pub format: Option<InputFormat>,
    /// Encoding the file was decoded from.
    pub encoding: Option<&'static str>,
    /// The decoded text; renderers slice it, never the file on disk.
    pub source: Arc<str>,
    pub notices: Vec<Notice>,
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
    /// The policy's own date, if it states one.
    pub date: Option<StatedDate>,
    /// Every pack rule that was on for this file, in pack order, with its
    /// outcome (privlint's own `privlint/*` rules are not listed).
    pub rules: Vec<RuleStatus>,
    /// The document's blocks, kept only when [`crate::lint::LintOptions`]
    /// asks for them (the HTML report).
    pub outline: Option<Arc<Outline>>,
    /// Set when `source` is synthetic, one paragraph a line (a .docx):
    /// where each paragraph sits. Renderers then name paragraphs, not
    /// places in the file.
    pub paragraphs: Option<Arc<Paragraphs>>,
}

/// The headings each paragraph of a synthetic source is under, by line
/// (line N is paragraph N).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraphs {
    /// Per line, from 0, the innermost section holding it; for a heading,
    /// the section holding the heading's own section.
    sections: Vec<Option<usize>>,
    /// Every section's title and parent.
    titles: Vec<(String, Option<usize>)>,
}

impl Paragraphs {
    /// From a document whose source has one block a line.
    pub fn new(source: &str, doc: &Document) -> Self {
        let lines = LineIndex::new(source);
        let mut sections = vec![None; source.lines().count().max(1)];
        for b in &doc.blocks {
            let start = doc.source_range(b.range.clone()).start;
            let (line, _) = lines.line_col(source, start);
            let section = match b.kind {
                BlockKind::Heading(_) => b.section.and_then(|s| doc.sections[s].parent),
                _ => b.section,
            };
            if let Some(slot) = sections.get_mut(line - 1) {
                *slot = section;
            }
        }
        Paragraphs {
            sections,
            titles: doc.sections.iter().map(|s| (s.title.clone(), s.parent)).collect(),
        }
    }

    /// The titles of the headings paragraph `line` (from 1) is under,
    /// outermost first.
    pub fn heading_path(&self, line: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut cur = line
            .checked_sub(1)
            .and_then(|i| self.sections.get(i).copied().flatten());
        while let Some(i) = cur {
            path.push(self.titles[i].0.as_str());
            cur = self.titles[i].1;
        }
        path.reverse();
        path
    }

    /// `paragraph 12, under 'Your rights > Deletion'`.
    pub fn describe(&self, line: usize) -> String {
        let path = self.heading_path(line);
        if path.is_empty() {
            format!("paragraph {line}")
        } else {
            format!("paragraph {line}, under '{}'", path.join(" > "))
        }
    }
}

impl FileReport {
    pub fn not_linted(path: String, status: FileStatus) -> Self {
        FileReport {
            path,
            status,
            format: None,
            encoding: None,
            source: Arc::from(""),
            notices: Vec::new(),
            findings: Vec::new(),
            evidence: Vec::new(),
            date: None,
            rules: Vec::new(),
            outline: None,
            paragraphs: None,
        }
    }

    /// The findings of `rule`, in source order.
    pub fn findings_of<'a>(&'a self, rule: &'a RuleMeta) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule.id == rule.id)
    }

    /// The statements that satisfied `rule`, if any.
    pub fn evidence_of(&self, rule: &RuleMeta) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.rule.id == rule.id)
    }

    /// Marks each rule whose status is [`Status::Finding`] but which has no
    /// finding left as `cleared` (after suppression or a baseline).
    pub fn mark_cleared(&mut self, cleared: Status) {
        for r in &mut self.rules {
            if r.status == Status::Finding && !self.findings.iter().any(|f| f.rule.id == r.rule.id) {
                r.status = cleared;
            }
        }
    }
}
