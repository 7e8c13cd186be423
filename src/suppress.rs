//! Inline suppression: `<!-- privlint-disable RULE -- reason -->` and the
//! other directives (see `docs/suppressions.md`), read from a document's
//! comments and applied to its findings.
//!
//! Everything here works in decoded-source coordinates: the parsers record
//! where each comment is and which block follows it, lint builds findings
//! whose `Span::text` is in the same coordinates, and this module decides
//! which findings a directive covers and which directives are malformed or
//! cover nothing. Nothing here looks at the visible text.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use crate::document::Comment;
use crate::finding::Finding;
use crate::rule::{Examples, RuleKind, RuleMeta, Scope, Severity};

/// The id of the rule reporting a directive that suppressed nothing.
pub const UNUSED_SUPPRESSION: &str = "privlint/unused-suppression";
/// The id of the rule reporting a malformed directive or an unknown rule.
pub const INVALID_SUPPRESSION: &str = "privlint/invalid-suppression";

/// The pack name of privlint's own rules; directives cannot name it.
const PACK: &str = "privlint";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    /// Off from here to a matching `privlint-enable`, else to the end.
    Disable,
    Enable,
    /// Off in the block after the comment (a whole table for a table).
    DisableNextBlock,
    /// Off in the whole file, wherever the comment is.
    DisableFile,
}

impl DirectiveKind {
    const ALL: [DirectiveKind; 4] = [
        DirectiveKind::Disable,
        DirectiveKind::Enable,
        DirectiveKind::DisableNextBlock,
        DirectiveKind::DisableFile,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DirectiveKind::Disable => "privlint-disable",
            DirectiveKind::Enable => "privlint-enable",
            DirectiveKind::DisableNextBlock => "privlint-disable-next-block",
            DirectiveKind::DisableFile => "privlint-disable-file",
        }
    }
}

/// A rule id (`coppa/under-13-statement`) or pack name (`coppa`) named in
/// a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub name: String,
    /// Decoded-source range of the name.
    pub range: Range<usize>,
}

impl Selector {
    fn matches(&self, rule: &RuleMeta) -> bool {
        self.name == rule.id || self.name == rule.pack
    }
}

/// A well-formed directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The rules and packs it names, all known; empty means every rule.
    pub selectors: Vec<Selector>,
    /// The text after `--`, if any. Kept for the library; not rendered.
    pub reason: Option<String>,
    /// Decoded-source range of the whole comment.
    pub range: Range<usize>,
    /// For `privlint-disable-next-block`: the range it covers.
    pub next_block: Option<Range<usize>>,
}

impl Directive {
    /// Whether the directive applies to a rule at all, wherever it is.
    fn names(&self, rule: &RuleMeta) -> bool {
        self.selectors.is_empty() || self.selectors.iter().any(|s| s.matches(rule))
    }
}

/// Which `privlint/*` rule a [`Problem`] is a finding of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemRule {
    UnusedSuppression,
    InvalidSuppression,
}

/// Something wrong with a directive, to be reported as a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: ProblemRule,
    /// Decoded-source range to point at: the comment, or the name in it
    /// that the problem is about.
    pub range: Range<usize>,
    /// Decoded-source range of the whole comment.
    pub comment: Range<usize>,
    pub message: String,
    pub label: String,
}

/// The rules and packs a directive may name: those of the active packs.
#[derive(Debug, Clone, Default)]
pub struct KnownRules {
    names: Vec<String>,
}

impl KnownRules {
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>) -> Self {
        let mut names: Vec<String> = rules
            .into_iter()
            .flat_map(|r| [r.id.clone(), r.pack.clone()])
            .collect();
        names.sort();
        names.dedup();
        KnownRules { names }
    }

    fn contains(&self, name: &str) -> bool {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).is_ok()
    }

    fn closest(&self, name: &str) -> Option<&str> {
        closest(name, self.names.iter().map(String::as_str))
    }
}

/// The candidate nearest to `given` by edit distance, if near enough to be
/// a likely typo, else the first one `given` is a truncation of.
fn closest<'a>(given: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let limit = 3.max(given.chars().count() / 4);
    candidates
        .clone()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .min()
        .filter(|(d, _)| *d <= limit)
        .map(|(_, c)| c)
        .or_else(|| candidates.into_iter().find(|c| c.starts_with(given)))
}

/// Reads the directives in `comments` (slicing `source`, the decoded text
/// the comments' ranges are in). Comments whose text does not start with a
/// `privlint-` word are not directives and are ignored; malformed ones and
/// unknown names are returned as problems.
pub fn directives(source: &str, comments: &[Comment], known: &KnownRules) -> (Vec<Directive>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for c in comments {
        if let Some(d) = directive(source, c, known, &mut problems) {
            out.push(d);
        }
    }
    (out, problems)
}

fn directive(
    source: &str,
    c: &Comment,
    known: &KnownRules,
    problems: &mut Vec<Problem>,
) -> Option<Directive> {
    let body = source.get(c.body.clone())?;
    let lead = body.len() - body.trim_start().len();
    let word_len = body[lead..]
        .find(char::is_whitespace)
        .unwrap_or(body.len() - lead);
    let word = &body[lead..lead + word_len];
    if !word.to_ascii_lowercase().starts_with("privlint-") {
        return None;
    }
    let problem = |range: Range<usize>, message: String, label: &str| Problem {
        rule: ProblemRule::InvalidSuppression,
        range,
        comment: c.range.clone(),
        message,
        label: label.to_owned(),
    };
    let Some(kind) = DirectiveKind::ALL.into_iter().find(|k| k.name() == word) else {
        let word_range = c.body.start + lead..c.body.start + lead + word_len;
        let lower = word.to_ascii_lowercase();
        let message = with_suggestion(
            format!("`{word}` is not a privlint directive"),
            closest(&lower, DirectiveKind::ALL.iter().map(|k| k.name())),
        );
        problems.push(problem(word_range, message, "unknown directive"));
        return None;
    };
    let rest_at = lead + word_len;
    let rest = &body[rest_at..];
    // The reason starts at the first `--` that begins a word.
    let sep = rest
        .match_indices("--")
        .map(|(i, _)| i)
        .find(|&i| rest[..i].ends_with(char::is_whitespace));
    let (names, reason) = match sep {
        Some(i) => (&rest[..i], Some(rest[i + 2..].trim()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    let mut selectors = Vec::new();
    let mut named = false;
    for (at, name) in words(names) {
        named = true;
        let start = c.body.start + rest_at + at;
        let range = start..start + name.len();
        if known.contains(name) {
            selectors.push(Selector {
                name: name.to_owned(),
                range,
            });
        } else if name == PACK || name.starts_with("privlint/") {
            let message = format!(
                "`{name}` cannot be suppressed: privlint's own findings are not subject to directives."
            );
            problems.push(problem(range, message, "not suppressible"));
        } else {
            let message = with_suggestion(
                format!("`{name}` is not a rule or pack in the active packs"),
                known.closest(name),
            );
            problems.push(problem(range, message, "unknown rule"));
        }
    }
    if named && selectors.is_empty() {
        // Every name was wrong: the directive must not widen to all rules.
        return None;
    }
    Some(Directive {
        kind,
        selectors,
        reason: reason.map(str::to_owned),
        range: c.range.clone(),
        next_block: c.next_block.clone(),
    })
}

fn with_suggestion(message: String, best: Option<&str>) -> String {
    match best {
        Some(best) => format!("{message}; did you mean `{best}`?"),
        None => format!("{message}."),
    }
}

/// The names in a list separated by commas or whitespace, with offsets.
fn words(list: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in list.char_indices().chain([(list.len(), ' ')]) {
        let sep = c == ',' || c.is_whitespace();
        match (sep, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &list[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Removes the findings the directives suppress and reports each directive
/// (or name in one) that suppressed nothing. `directives` are in source
/// order, as [`directives`] returns them.
///
/// A finding is suppressed when its primary span starts where a directive
/// is in force for its rule: after a `privlint-disable` naming it (or its
/// pack, or no rule) with no later `privlint-enable` naming it in between;
/// inside the block after a `privlint-disable-next-block`; or anywhere
/// with a `privlint-disable-file`. A whole-document finding (a missing
/// statement or date) belongs to the whole policy, not to where it is
/// anchored: it is suppressed by `privlint-disable-file`, or by a
/// `privlint-disable` still in force at the end of the file.
pub fn apply(directives: &[Directive], findings: Vec<Finding>) -> (Vec<Finding>, Vec<Problem>) {
    // For each directive, whether it suppressed anything, and per name.
    let mut used = vec![false; directives.len()];
    let mut used_names: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.selectors.len()])
        .collect();
    let mut credit = |k: usize, rule: &RuleMeta| {
        used[k] = true;
        for (i, s) in directives[k].selectors.iter().enumerate() {
            if s.matches(rule) {
                used_names[k][i] = true;
            }
        }
    };
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let rule = &f.rule;
        let whole = f.whole_document;
        let at = if whole { usize::MAX } else { f.span.text.start };
        let mut suppressed = false;
        for (k, d) in directives.iter().enumerate() {
            let covers = match d.kind {
                DirectiveKind::DisableFile => true,
                DirectiveKind::DisableNextBlock => {
                    !whole && d.next_block.as_ref().is_some_and(|r| r.contains(&at))
                }
                DirectiveKind::Disable | DirectiveKind::Enable => false,
            };
            if covers && d.names(rule) {
                credit(k, rule);
                suppressed = true;
            }
        }
        // The last disable or enable before the finding that names its
        // rule decides.
        let decisive = directives.iter().enumerate().rev().find(|(_, d)| {
            matches!(d.kind, DirectiveKind::Disable | DirectiveKind::Enable)
                && d.range.end <= at
                && d.names(rule)
        });
        if let Some((k, d)) = decisive
            && d.kind == DirectiveKind::Disable
        {
            credit(k, rule);
            suppressed = true;
        }
        if !suppressed {
            kept.push(f);
        }
    }
    let mut problems = Vec::new();
    for (k, d) in directives.iter().enumerate() {
        if d.kind == DirectiveKind::Enable {
            continue;
        }
        let problem = |range: Range<usize>, message: String| Problem {
            rule: ProblemRule::UnusedSuppression,
            range,
            comment: d.range.clone(),
            message,
            label: "suppresses nothing".to_owned(),
        };
        if !used[k] {
            let message = format!("This `{}` comment suppresses no finding.", d.kind.name());
            problems.push(problem(d.range.clone(), message));
            continue;
        }
        for (s, _) in d.selectors.iter().zip(&used_names[k]).filter(|(_, u)| !**u) {
            let message = format!("`{}` is named here, but no finding of it is suppressed.", s.name);
            problems.push(problem(s.range.clone(), message));
        }
    }
    (kept, problems)
}

static UNUSED_META: LazyLock<Arc<RuleMeta>> = LazyLock::new(|| {
    Arc::new(builtin_meta(
        UNUSED_SUPPRESSION,
        "Suppression comment that suppresses nothing",
        "A suppression comment suppresses no finding.",
        "Remove the comment, or the name in it that suppresses nothing: the finding it \
         was written for is gone, and a stale suppression would hide a new one.",
    ))
});

static INVALID_META: LazyLock<Arc<RuleMeta>> = LazyLock::new(|| {
    Arc::new(builtin_meta(
        INVALID_SUPPRESSION,
        "Malformed suppression comment",
        "A privlint comment is not a valid directive or names an unknown rule.",
        "Directives are `privlint-disable`, `privlint-enable`, `privlint-disable-next-block` \
         and `privlint-disable-file`, followed by rule ids or pack names of the active packs, \
         separated by commas, and an optional `-- reason`.",
    ))
});

fn builtin_meta(id: &str, title: &str, message: &str, help: &str) -> RuleMeta {
    RuleMeta {
        id: id.to_owned(),
        pack: PACK.to_owned(),
        title: title.to_owned(),
        kind: RuleKind::Directive,
        severity: Severity::Warning,
        scope: Scope::Match,
        // No patterns, so no language; "zxx" is ISO 639's "no linguistic content".
        language: "zxx".to_owned(),
        message: message.to_owned(),
        help: help.to_owned(),
        citations: Vec::new(),
        url: Some(concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/suppressions.md").to_owned()),
        examples: Examples::default(),
        valid_from: None,
        valid_until: None,
    }
}

impl ProblemRule {
    /// The rule's public description, shared by all its findings.
    pub fn meta(self) -> Arc<RuleMeta> {
        match self {
            ProblemRule::UnusedSuppression => Arc::clone(&UNUSED_META),
            ProblemRule::InvalidSuppression => Arc::clone(&INVALID_META),
        }
    }
}

/// privlint's own rules, for listings and `explain`.
pub fn builtin_rules() -> [Arc<RuleMeta>; 2] {
    [
        ProblemRule::UnusedSuppression.meta(),
        ProblemRule::InvalidSuppression.meta(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn rule(id: &str, kind: RuleKind) -> Arc<RuleMeta> {
        let mut meta = builtin_meta(id, "t", "m", "h");
        meta.pack = id.split('/').next().unwrap().to_owned();
        meta.kind = kind;
        Arc::new(meta)
    }

    fn known() -> KnownRules {
        let rules = [
            rule("coppa/under-13-statement", RuleKind::Require),
            rule("coppa/parental-consent", RuleKind::Conditional),
            rule("sale/contradiction", RuleKind::Contradiction),
        ];
        KnownRules::new(rules.iter().map(|r| r.as_ref()))
    }

    fn finding(id: &str, kind: RuleKind, at: usize) -> Finding {
        Finding {
            rule: rule(id, kind),
            severity: Severity::Warning,
            message: String::new(),
            label: String::new(),
            span: Span {
                bytes: at..at + 1,
                text: at..at + 1,
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 2,
            },
            labels: Vec::new(),
            fingerprint: String::new(),
            as_of: None,
            // As the engine makes them: a require rule's finding is a
            // missing statement.
            whole_document: kind == RuleKind::Require,
        }
    }

    /// Lays comments out in a source: each `(offset, text)` is placed at its
    /// offset, padded with spaces; `next` gives each comment's next block.
    fn source(comments: &[(usize, &str)], next: &[Option<Range<usize>>]) -> (String, Vec<Comment>) {
        let mut src = String::new();
        let mut out = Vec::new();
        for (i, &(at, text)) in comments.iter().enumerate() {
            while src.len() < at {
                src.push(' ');
            }
            let start = src.len();
            src.push_str(&format!("<!--{text}-->"));
            out.push(Comment {
                range: start..src.len(),
                body: start + 4..src.len() - 3,
                next_block: next.get(i).cloned().flatten(),
            });
        }
        src.push_str(&" ".repeat(1000));
        (src, out)
    }

    fn parse(comments: &[(usize, &str)]) -> (String, Vec<Directive>, Vec<Problem>) {
        let (src, cs) = source(comments, &[]);
        let (ds, ps) = directives(&src, &cs, &known());
        (src, ds, ps)
    }

    fn kept_at(directives: &[Directive], findings: Vec<Finding>) -> (Vec<usize>, Vec<Problem>) {
        let (kept, problems) = apply(directives, findings);
        (kept.iter().map(|f| f.span.text.start).collect(), problems)
    }

    #[test]
    fn reads_kind_names_and_reason() {
        let (src, ds, ps) = parse(&[(
            0,
            " privlint-disable coppa/parental-consent,sale  coppa -- we are not for kids -- really ",
        )]);
        assert!(ps.is_empty(), "{ps:?}");
        let d = &ds[0];
        assert_eq!(d.kind, DirectiveKind::Disable);
        let names: Vec<_> = d.selectors.iter().map(|s| &src[s.range.clone()]).collect();
        assert_eq!(names, ["coppa/parental-consent", "sale", "coppa"]);
        assert_eq!(d.reason.as_deref(), Some("we are not for kids -- really"));
        let (_, ds, _) = parse(&[
            (0, "privlint-disable-next-block\n"),
            (60, " privlint-enable -- x"),
        ]);
        assert_eq!(ds[0].kind, DirectiveKind::DisableNextBlock);
        assert!(ds[0].selectors.is_empty() && ds[0].reason.is_none());
        assert_eq!(
            (ds[1].kind, ds[1].reason.as_deref()),
            (DirectiveKind::Enable, Some("x"))
        );
        // A `--` inside a word is not the reason separator.
        let (_, _, ps) = parse(&[(0, " privlint-disable-file coppa--x ")]);
        assert_eq!(ps[0].label, "unknown rule");
    }

    #[test]
    fn ordinary_comments_are_not_directives() {
        let (_, ds, ps) = parse(&[(0, " TODO: privlint-disable later "), (50, " privlint is great ")]);
        assert!(ds.is_empty() && ps.is_empty());
    }

    #[test]
    fn unknown_directives_and_names_are_reported_with_a_suggestion() {
        let (src, ds, ps) = parse(&[
            (0, " privlint-disabel coppa "),
            (40, " privlint-disable coppa/under-13, sale "),
            (100, " privlint-disable nothing/here "),
            (150, " privlint-enable privlint/unused-suppression "),
        ]);
        let got: Vec<_> = ps
            .iter()
            .map(|p| (&src[p.range.clone()], p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "privlint-disabel",
                    "`privlint-disabel` is not a privlint directive; did you mean `privlint-disable`?"
                ),
                (
                    "coppa/under-13",
                    "`coppa/under-13` is not a rule or pack in the active packs; did you mean \
                     `coppa/under-13-statement`?"
                ),
                (
                    "nothing/here",
                    "`nothing/here` is not a rule or pack in the active packs."
                ),
                (
                    "privlint/unused-suppression",
                    "`privlint/unused-suppression` cannot be suppressed: privlint's own findings are not \
                     subject to directives."
                ),
            ]
        );
        assert!(ps.iter().all(|p| p.rule == ProblemRule::InvalidSuppression));
        // The valid name survives; directives with only bad names are dropped
        // rather than widened to every rule.
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].selectors.len(), 1);
        assert_eq!(ds[0].selectors[0].name, "sale");
    }

    #[test]
    fn disable_runs_to_a_matching_enable_or_the_end() {
        let (_, ds, _) = parse(&[
            (100, " privlint-disable coppa "),
            (200, " privlint-enable coppa/parental-consent "),
            (300, " privlint-enable "),
        ]);
        let c = |at| finding("coppa/parental-consent", RuleKind::Conditional, at);
        let s = |at| finding("sale/contradiction", RuleKind::Contradiction, at);
        let (kept, ps) = kept_at(&ds, vec![c(50), c(150), c(250), s(150)]);
        assert_eq!(kept, [50, 250, 150]);
        assert!(ps.is_empty(), "{ps:?}");
        // Without an enable, to the end; a require finding is whole-document
        // and so suppressed only by a disable in force at the end.
        let (_, ds, _) = parse(&[(100, " privlint-disable ")]);
        let (kept, _) = kept_at(
            &ds,
            vec![
                c(50),
                c(900),
                finding("coppa/under-13-statement", RuleKind::Require, 0),
            ],
        );
        assert_eq!(kept, [50]);
        let (_, ds, _) = parse(&[
            (100, " privlint-disable coppa "),
            (200, " privlint-enable coppa "),
        ]);
        let (kept, ps) = kept_at(
            &ds,
            vec![c(150), finding("coppa/under-13-statement", RuleKind::Require, 0)],
        );
        assert_eq!(kept, [0]);
        assert!(ps.is_empty());
    }

    #[test]
    fn next_block_covers_only_its_range_and_file_covers_everything() {
        let (src, cs) = source(
            &[
                (0, " privlint-disable-next-block sale "),
                (100, " privlint-disable-file coppa "),
            ],
            &[Some(50..80), Some(120..130)],
        );
        let (ds, ps) = directives(&src, &cs, &known());
        assert!(ps.is_empty());
        let s = |at| finding("sale/contradiction", RuleKind::Contradiction, at);
        let req = finding("coppa/under-13-statement", RuleKind::Require, 0);
        let (kept, ps) = kept_at(&ds, vec![req, s(49), s(50), s(79), s(80)]);
        assert_eq!(kept, [49, 80]);
        assert!(ps.is_empty());
        // Next-block never reaches a whole-document finding.
        let (kept, _) = kept_at(
            &ds[..1],
            vec![finding("sale/contradiction", RuleKind::Require, 60)],
        );
        assert_eq!(kept, [60]);
    }

    #[test]
    fn unused_directives_and_names_are_reported_where_they_are() {
        let (src, ds, _) = parse(&[
            (0, " privlint-disable-next-block "),
            (100, " privlint-disable coppa/parental-consent, sale "),
            (200, " privlint-enable "),
            (300, " privlint-disable-file sale "),
        ]);
        let (kept, ps) = kept_at(
            &ds,
            vec![finding("coppa/parental-consent", RuleKind::Conditional, 170)],
        );
        assert!(kept.is_empty());
        let got: Vec<_> = ps
            .iter()
            .map(|p| (p.rule, &src[p.range.clone()], p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    ProblemRule::UnusedSuppression,
                    "<!-- privlint-disable-next-block -->",
                    "This `privlint-disable-next-block` comment suppresses no finding."
                ),
                (
                    ProblemRule::UnusedSuppression,
                    "sale",
                    "`sale` is named here, but no finding of it is suppressed."
                ),
                (
                    ProblemRule::UnusedSuppression,
                    "<!-- privlint-disable-file sale -->",
                    "This `privlint-disable-file` comment suppresses no finding."
                ),
            ]
        );
    }

    #[test]
    fn builtin_metas_are_directive_warnings() {
        for meta in builtin_rules() {
            assert_eq!(
                (meta.kind, meta.severity, meta.pack.as_str()),
                (RuleKind::Directive, Severity::Warning, "privlint")
            );
        }
        assert_eq!(ProblemRule::UnusedSuppression.meta().id, UNUSED_SUPPRESSION);
    }
}
