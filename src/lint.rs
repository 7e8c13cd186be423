//! The pipeline for one file: decode, parse, evaluate, and map every range
//! the engine reports back to the original file.

use std::path::Path;
use std::sync::Arc;

use crate::decode::{self, Decoded};
use crate::document::{Document, InputFormat};
use crate::engine;
use crate::finding::{
    Evidence, FileReport, FileStatus, Finding, Label, Notice, Paragraphs, RuleStatus, StatedDate, Status,
};
use crate::pack::compile::CompiledPacks;
use crate::parse;
use crate::policy_date::{CivilDate, PolicyDate};
use crate::rule::RuleKind;
use crate::selection::Selection;
use crate::span::{LineIndex, Span};
use crate::suppress;

/// Files larger than this are not read: a policy is at most a few hundred
/// kilobytes, and a bigger file is almost certainly not one.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// How a [`Linter`] treats what a policy says about its own linting, and
/// the date it judges policies as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    /// Honour `privlint-*` directive comments (see `docs/suppressions.md`).
    /// Off, they are all ignored and none is reported as unused or invalid.
    pub inline_config: bool,
    /// Which day's law applies (`--as-of`).
    pub as_of: AsOf,
    /// Today, read from the clock once per run, so that every file of a
    /// run is judged by the same day.
    pub today: CivilDate,
    /// Also keep the document's blocks ([`FileReport::outline`]) for a
    /// renderer that shows the policy itself; off, `check` pays nothing.
    pub outline: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            inline_config: true,
            as_of: AsOf::Today,
            today: CivilDate::today(),
            outline: false,
        }
    }
}

/// The day a policy is judged as of: which rules apply (their validity
/// windows) and how old its date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// A live policy answers to today's law, whatever date it carries.
    Today,
    On(CivilDate),
    /// Each policy as of its own date (the first day it can mean); an
    /// undated one as of today.
    Document,
}

impl AsOf {
    /// `today`, `document` or `YYYY-MM-DD`, as `--as-of` takes it.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "today" => Ok(AsOf::Today),
            "document" => Ok(AsOf::Document),
            _ => CivilDate::parse_iso(s)
                .map(AsOf::On)
                .map_err(|e| format!("{e}; or `today`, or `document` for each policy's own date")),
        }
    }

    fn resolve(self, policy: Option<&PolicyDate>, today: CivilDate) -> CivilDate {
        match self {
            AsOf::Today => today,
            AsOf::On(d) => d,
            AsOf::Document => policy.map_or(today, |p| p.date),
        }
    }
}

/// Lints files with a fixed set of compiled packs.
#[derive(Debug)]
pub struct Linter {
    pub packs: CompiledPacks,
    pub options: LintOptions,
}

impl Linter {
    /// A linter with the default options: directives are honoured.
    pub fn new(packs: CompiledPacks) -> Self {
        Linter::with_options(packs, LintOptions::default())
    }

    pub fn with_options(packs: CompiledPacks, options: LintOptions) -> Self {
        Linter { packs, options }
    }

    /// Reads and lints one file. `display` is the path shown to the user;
    /// `format` overrides detection by extension (unknown ones read as text).
    pub fn lint_file(&self, path: &Path, display: String, format: Option<InputFormat>) -> FileReport {
        self.lint_file_selected(path, display, format, &Selection::all(&self.packs))
    }

    /// [`Linter::lint_file`] with only the rules `selection` turns on, at
    /// the severities it gives.
    pub fn lint_file_selected(
        &self,
        path: &Path,
        display: String,
        format: Option<InputFormat>,
        selection: &Selection,
    ) -> FileReport {
        let format = format
            .or_else(|| InputFormat::from_path(path))
            .unwrap_or(InputFormat::Text);
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > MAX_FILE_BYTES => {
                return FileReport::not_linted(
                    display,
                    FileStatus::Skipped(format!(
                        "file is {} MiB, over the {} MiB limit for a policy",
                        meta.len() >> 20,
                        MAX_FILE_BYTES >> 20
                    )),
                );
            }
            Ok(meta) if meta.is_dir() => {
                return FileReport::not_linted(display, FileStatus::Failed("is a directory".into()));
            }
            _ => {}
        }
        match std::fs::read(path) {
            Ok(bytes) => self.lint_bytes_selected(display, &bytes, format, selection),
            Err(e) => FileReport::not_linted(display, FileStatus::Failed(format!("cannot read: {e}"))),
        }
    }

    /// Lints a file's contents.
    pub fn lint_bytes(&self, display: String, bytes: &[u8], format: InputFormat) -> FileReport {
        self.lint_bytes_selected(display, bytes, format, &Selection::all(&self.packs))
    }

    /// [`Linter::lint_bytes`] with only the rules `selection` turns on.
    pub fn lint_bytes_selected(
        &self,
        display: String,
        bytes: &[u8],
        format: InputFormat,
        selection: &Selection,
    ) -> FileReport {
        self.lint_bytes_as_of(display, bytes, format, selection, self.options.as_of)
    }

    /// [`Linter::lint_bytes_selected`] as of another day than the
    /// linter's (an evaluation's label file gives its own).
    pub fn lint_bytes_as_of(
        &self,
        display: String,
        bytes: &[u8],
        format: InputFormat,
        selection: &Selection,
        as_of: AsOf,
    ) -> FileReport {
        let (decoded, doc) = if format == InputFormat::Docx {
            match parse::parse_docx(bytes) {
                Ok((source, doc)) => (Decoded::synthetic(source), doc),
                Err(e) => return FileReport::not_linted(display, FileStatus::Failed(e.to_string())),
            }
        } else {
            let decoded = match decode::decode(bytes) {
                Ok(d) => d,
                Err(e) => return FileReport::not_linted(display, FileStatus::Skipped(e.to_string())),
            };
            let doc = parse::parse(&decoded.text, format);
            (decoded, doc)
        };
        let policy = crate::policy_date::find(&doc);
        let today = self.options.today;
        let dates = engine::Dates {
            as_of: as_of.resolve(policy.as_ref(), today),
            policy,
        };
        let eval = engine::evaluate_dated(&self.packs, &doc, selection, &dates);
        // Said in each finding only when it is not today's law.
        let shown_as_of = (dates.as_of != today).then_some(dates.as_of);
        let mapper = SpanMapper::new(&decoded, &doc);
        let rules = &self.packs.rules;
        let statuses = rule_statuses(rules, &eval, selection, dates.as_of);
        let findings: Vec<Finding> = eval
            .hits
            .into_iter()
            .map(|hit| {
                let rule = &rules[hit.rule];
                let fingerprint = finding_fingerprint(&doc, &rule.meta, &hit);
                Finding {
                    rule: Arc::clone(&rule.meta),
                    severity: selection.severity(hit.rule).unwrap_or(rule.severity),
                    message: hit.message.unwrap_or_else(|| rule.meta.message.clone()),
                    as_of: shown_as_of,
                    label: hit.label,
                    span: mapper.span(hit.range),
                    labels: hit
                        .labels
                        .into_iter()
                        .map(|(r, text)| Label {
                            span: mapper.span(r),
                            text,
                        })
                        .collect(),
                    fingerprint,
                    whole_document: hit.whole_document,
                }
            })
            .collect();
        let findings = if self.options.inline_config && !doc.comments.is_empty() {
            self.suppress(&decoded.text, &doc, &mapper, findings, selection)
        } else {
            findings
        };
        let evidence = eval
            .support
            .into_iter()
            .map(|s| Evidence {
                rule: Arc::clone(&rules[s.rule].meta),
                spans: s.ranges.into_iter().map(|r| mapper.span(r)).collect(),
            })
            .collect();
        let mut notices: Vec<Notice> = decoded
            .notice
            .iter()
            .map(|m| Notice { message: m.clone() })
            .collect();
        if let Some(notice) = skipped_notice(&eval.skipped, rules, doc.language) {
            notices.push(notice);
        }
        let date = dates.policy.map(|d| StatedDate {
            value: d.value(),
            kind: d.kind,
            span: mapper.span(d.range),
        });
        let paragraphs =
            (format == InputFormat::Docx).then(|| Arc::new(Paragraphs::new(&decoded.text, &doc)));
        let mut report = FileReport {
            path: display,
            paragraphs,
            date,
            status: FileStatus::Linted,
            format: Some(format),
            encoding: Some(decoded.encoding),
            source: Arc::from(decoded.text.as_str()),
            notices,
            findings,
            evidence,
            rules: statuses,
            outline: self
                .options
                .outline
                .then(|| Arc::new(crate::outline::Outline::of(&doc))),
        };
        report.mark_cleared(Status::Suppressed);
        report
    }
}

/// The outcome of every rule `selection` turns on, before suppression.
fn rule_statuses(
    rules: &[crate::pack::compile::CompiledRule],
    eval: &engine::Evaluation,
    selection: &Selection,
    as_of: CivilDate,
) -> Vec<RuleStatus> {
    let mut hit = vec![false; rules.len()];
    for h in &eval.hits {
        hit[h.rule] = true;
    }
    let mut supported = vec![false; rules.len()];
    for s in &eval.support {
        supported[s.rule] = true;
    }
    rules
        .iter()
        .enumerate()
        .filter(|&(i, _)| selection.is_on(i))
        .map(|(i, rule)| {
            let status = if !rule.meta.applies_on(as_of) {
                Status::NotInForce
            } else if eval.skipped.contains(&i) {
                Status::OtherLanguage
            } else if hit[i] {
                Status::Finding
            } else if supported[i] || rule.meta.kind != RuleKind::Conditional {
                Status::Satisfied
            } else {
                Status::NotApplicable
            };
            RuleStatus {
                rule: Arc::clone(&rule.meta),
                severity: selection.severity(i).unwrap_or(rule.severity),
                status,
            }
        })
        .collect()
}

impl Linter {
    /// Drops the findings the document's directives suppress and adds
    /// findings for directives that are malformed or suppress nothing.
    fn suppress(
        &self,
        source: &str,
        doc: &Document,
        mapper: &SpanMapper,
        findings: Vec<Finding>,
        selection: &Selection,
    ) -> Vec<Finding> {
        let known = suppress::KnownRules::new(self.packs.rules.iter().map(|r| r.meta.as_ref()));
        let (directives, mut problems) = suppress::directives(source, &doc.comments, &known);
        let (mut findings, unused) = suppress::apply(&directives, findings);
        // A rule configured off for this file finds nothing, so naming it
        // is not an unused suppression: the same comment may be needed
        // where the rule is on.
        let off = self.names_off(selection);
        let is_off = |name: &str| off.contains(&name);
        problems.extend(unused.into_iter().filter(|p| {
            if p.range != p.comment {
                return !is_off(&source[p.range.clone()]);
            }
            // Reported on the whole comment: every name in it was unused.
            let names = directives
                .iter()
                .find(|d| d.range == p.comment)
                .map(|d| &d.selectors);
            !names.is_some_and(|n| !n.is_empty() && n.iter().all(|s| is_off(&s.name)))
        }));
        for p in problems {
            let rule = p.rule.meta();
            let Some(severity) = selection.own(&rule.id) else {
                continue;
            };
            // The comment stands for the matched text, and the name in it
            // the problem is about (if any) for its context, so that two
            // problems in one comment differ.
            let comment = &source[p.comment.clone()];
            let name = &source[p.range.clone()];
            let context: &[&str] = if p.range == p.comment { &[] } else { &[name] };
            findings.push(Finding {
                fingerprint: crate::fingerprint::fingerprint(&rule.id, Some(comment), context),
                severity,
                rule,
                message: p.message,
                label: p.label,
                span: mapper.source_span(p.range),
                labels: Vec::new(),
                as_of: None,
                whole_document: false,
            });
        }
        // Source order, as the engine gave it; ties keep their order.
        findings.sort_by_key(|f| (f.span.text.start, f.span.text.end));
        findings
    }
}

impl Linter {
    /// Rule ids off in `selection`, and pack ids all of whose rules are.
    fn names_off<'a>(&'a self, selection: &Selection) -> Vec<&'a str> {
        let rules = &self.packs.rules;
        let mut off: Vec<&str> = (0..rules.len())
            .filter(|&i| !selection.is_on(i))
            .map(|i| rules[i].meta.id.as_str())
            .collect();
        for (pack, _) in &self.packs.packs {
            let mut of_pack = (0..rules.len()).filter(|&i| rules[i].meta.pack == *pack);
            if of_pack.all(|i| !selection.is_on(i)) {
                off.push(pack);
            }
        }
        off
    }
}

/// A whole-document finding (a missing statement or date: it is anchored
/// on the title only to have somewhere to point) is the rule id alone; any
/// other is what it matched and where (a stale date's statement: a new
/// stale date is a new finding).
fn finding_fingerprint(doc: &Document, rule: &crate::rule::RuleMeta, hit: &engine::Hit) -> String {
    if hit.whole_document {
        return crate::fingerprint::fingerprint(&rule.id, None, &[]);
    }
    let range = &hit.range;
    let path = doc
        .block_at(range.start)
        .map(|b| doc.heading_path(b))
        .unwrap_or_default();
    crate::fingerprint::fingerprint(&rule.id, Some(&doc.text[range.clone()]), &path)
}

/// Says which packs were not run on a document in another language.
fn skipped_notice(
    skipped: &[usize],
    rules: &[crate::pack::compile::CompiledRule],
    language: Option<&str>,
) -> Option<Notice> {
    let language = language?;
    let mut packs: Vec<(&str, &str)> = skipped
        .iter()
        .map(|&i| (rules[i].meta.pack.as_str(), rules[i].meta.language.as_str()))
        .collect();
    packs.dedup();
    if packs.is_empty() {
        return None;
    }
    let list: Vec<String> = packs
        .iter()
        .map(|(p, l)| format!("{p} ({})", crate::language::name(l)))
        .collect();
    Some(Notice {
        message: format!(
            "the policy is written in {}; not checked by packs written for another language: {}",
            crate::language::name(language),
            list.join(", ")
        ),
    })
}

/// Visible-text ranges to [`Span`]s: through the parser's offset map to the
/// decoded text, then through the decoder's map to the original bytes.
struct SpanMapper<'a> {
    decoded: &'a Decoded,
    doc: &'a Document,
    lines: LineIndex,
}

impl<'a> SpanMapper<'a> {
    fn new(decoded: &'a Decoded, doc: &'a Document) -> Self {
        SpanMapper {
            decoded,
            doc,
            lines: LineIndex::new(&decoded.text),
        }
    }

    fn span(&self, visible: std::ops::Range<usize>) -> Span {
        self.source_span(self.doc.source_range(visible))
    }

    /// The span of a decoded-text range.
    fn source_span(&self, text: std::ops::Range<usize>) -> Span {
        let (line, column) = self.lines.line_col(&self.decoded.text, text.start);
        let (end_line, end_column) = self.lines.line_col(&self.decoded.text, text.end);
        Span {
            bytes: self.decoded.original_offset(text.start)..self.decoded.original_offset(text.end),
            text,
            line,
            column,
            end_line,
            end_column,
        }
    }
}
