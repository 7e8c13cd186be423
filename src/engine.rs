//! Stage 3: evaluate compiled packs over a parsed document.
//!
//! The engine works in visible-text coordinates and knows nothing of files
//! or output; `lint` maps its ranges back to the source.
//!
//! A pattern is searched only when a rule asks for it, once per document
//! (each regex skips ahead with its own literal prefilter). Only the blocks
//! that hold a match are split into sentences and checked for negation.
//!
//! One `RegexSet` over every pattern was tried as a first pass and measured
//! ten times slower on the bench corpus: the patterns' bounded repetitions
//! blow up the combined lazy DFA, which then falls back to a slower engine.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::{BlockKind, Document};
use crate::pack::compile::{Check, CompiledPacks, CompiledRule, Hay, PatRef};
use crate::pack::schema::Polarity;
use crate::policy_date::{CivilDate, DateKind, PolicyDate};
use crate::rule::Scope;
use crate::selection::Selection;
use crate::{negation, sentence};

/// At most this many extra spans are attached to one finding.
const MAX_EXTRA_LABELS: usize = 8;

/// A rule that fired, in visible-text coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`CompiledPacks::rules`].
    pub rule: usize,
    pub range: Range<usize>,
    pub label: String,
    pub labels: Vec<(Range<usize>, String)>,
    /// A message of this finding's own instead of the rule's (a `dated`
    /// rule's says how old the date is).
    pub message: Option<String>,
    /// About the policy as a whole (a statement or date it lacks), not the
    /// text at `range`, which is only somewhere to point (the title).
    pub whole_document: bool,
}

/// The dates a document is judged by.
#[derive(Debug, Clone)]
pub struct Dates {
    /// Rules apply, and dates age, as of this day.
    pub as_of: CivilDate,
    /// The policy's own date, if it states one.
    pub policy: Option<PolicyDate>,
}

impl Dates {
    /// Today's law, and the date `doc` states.
    pub fn today(doc: &Document) -> Self {
        Dates {
            as_of: CivilDate::today(),
            policy: crate::policy_date::find(doc),
        }
    }
}

/// Statements that satisfied a rule, in visible-text coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    pub rule: usize,
    /// Whole sentences, in document order.
    pub ranges: Vec<Range<usize>>,
}

#[derive(Debug, Default)]
pub struct Evaluation {
    pub hits: Vec<Hit>,
    pub support: Vec<Support>,
    /// Rules not run because the document is in another language.
    pub skipped: Vec<usize>,
}

/// One match of one pattern, with its context.
#[derive(Debug, Clone)]
struct Match {
    range: Range<usize>,
    block: usize,
    sentence: Range<usize>,
    negated: bool,
    /// Whether the match sits in a statement. Headings, column labels and
    /// questions are none: "Third parties to which we sell" heads a table
    /// whose cells may say "none"; "Opting out" heads the text that says
    /// what can be opted out of; "Do we sell your data?" is answered next.
    statement: bool,
}

/// Evaluates every rule over `doc`.
pub fn evaluate(packs: &CompiledPacks, doc: &Document) -> Evaluation {
    evaluate_selected(packs, doc, &Selection::all(packs))
}

/// Evaluates the rules `selection` turns on, as of today. Patterns only
/// rules that are off use are never searched.
pub fn evaluate_selected(packs: &CompiledPacks, doc: &Document, selection: &Selection) -> Evaluation {
    evaluate_dated(packs, doc, selection, &Dates::today(doc))
}

/// [`evaluate_selected`] as of `dates.as_of`: a rule whose validity window
/// does not hold that day is not run.
pub fn evaluate_dated(
    packs: &CompiledPacks,
    doc: &Document,
    selection: &Selection,
    dates: &Dates,
) -> Evaluation {
    let mut ctx = Context::new(packs, doc, dates);
    let mut eval = Evaluation::default();
    for (i, rule) in packs.rules.iter().enumerate() {
        if !selection.is_on(i) || !rule.meta.applies_on(dates.as_of) {
            continue;
        }
        if doc.language.is_some_and(|l| l != rule.meta.language) {
            eval.skipped.push(i);
            continue;
        }
        ctx.rule(i, rule, &mut eval);
    }
    eval.hits.sort_by_key(|h| (h.range.start, h.range.end, h.rule));
    eval
}

struct Context<'a> {
    packs: &'a CompiledPacks,
    doc: &'a Document,
    dates: &'a Dates,
    matches: Vec<Option<Vec<Match>>>,
    sentences: HashMap<usize, Vec<Range<usize>>>,
    /// Per pattern, the stretches around its anchors (`None`: search all).
    regions: Vec<Option<Vec<Range<usize>>>>,
}

impl<'a> Context<'a> {
    fn new(packs: &'a CompiledPacks, doc: &'a Document, dates: &'a Dates) -> Self {
        packs.patterns.note_searched(doc.text.len());
        Context {
            packs,
            doc,
            dates,
            matches: vec![None; packs.patterns.len()],
            sentences: HashMap::new(),
            regions: packs.prefilter.regions(hay(doc), |at| {
                doc.block_at(at).map(|b| doc.blocks[b].range.clone())
            }),
        }
    }

    fn rule(&mut self, index: usize, rule: &CompiledRule, eval: &mut Evaluation) {
        let scope = rule.meta.scope;
        let label = |default: &str| rule.label.clone().unwrap_or_else(|| default.to_owned());
        match &rule.check {
            Check::Forbid { patterns } => {
                let found = self.qualifying(patterns, &rule.unless, scope);
                for group in group_by_sentence(found) {
                    let (first, rest) = group.split_first().expect("groups are not empty");
                    eval.hits.push(Hit {
                        rule: index,
                        range: first.range.clone(),
                        label: label("found here"),
                        labels: extra_labels(rest, "and here"),
                        message: None,
                        whole_document: false,
                    });
                }
            }
            Check::Require { patterns, section } => {
                let mut found = self.qualifying(patterns, &rule.unless, scope);
                if let Some(section) = section {
                    found.retain(|m| section.is_match(&self.doc.heading_path(m.block).join(" > ")));
                }
                if found.is_empty() {
                    eval.hits.push(Hit {
                        rule: index,
                        range: self.doc.title_range(),
                        label: label("no statement of this found in the policy"),
                        labels: Vec::new(),
                        message: None,
                        whole_document: true,
                    });
                } else {
                    eval.support.push(support(index, &found));
                }
            }
            Check::Conditional { when, require } => {
                let triggers = self.qualifying(when, &rule.unless, scope);
                if triggers.is_empty() {
                    return;
                }
                // `unless` qualifies triggers; a requirement met is met. A
                // requirement may look nearer or further than the rule's
                // scope (a general statement counts only in the trigger's
                // section, say, a specific one anywhere).
                let required = self.scoped_matches(require, scope);
                let unmet: Vec<Match> = triggers
                    .iter()
                    .filter(|t| {
                        !required.iter().any(|(r, s)| {
                            self.units(t, *s)
                                .iter()
                                .any(|unit| r.range.start >= unit.start && r.range.end <= unit.end)
                        })
                    })
                    .cloned()
                    .collect();
                let mut required: Vec<Match> = required.into_iter().map(|(m, _)| m).collect();
                in_document_order(&mut required);
                if let Some((first, rest)) = unmet.split_first() {
                    eval.hits.push(Hit {
                        rule: index,
                        range: first.range.clone(),
                        label: label("this statement makes the requirement apply"),
                        labels: extra_labels(rest, "and here"),
                        message: None,
                        whole_document: false,
                    });
                } else {
                    eval.support.push(support(index, &required));
                }
            }
            Check::Contradiction { affirm, deny } => {
                let affirmed = self.qualifying(affirm, &rule.unless, scope);
                let denied = self.qualifying(deny, &rule.unless, scope);
                if let (Some(a), Some(d)) = (affirmed.first(), denied.first()) {
                    eval.hits.push(Hit {
                        rule: index,
                        range: a.range.clone(),
                        label: label("affirmed here"),
                        labels: vec![(d.range.clone(), "denied here".to_owned())],
                        message: None,
                        whole_document: false,
                    });
                }
            }
            Check::Dated { max_age_months } => match &self.dates.policy {
                None => eval.hits.push(Hit {
                    rule: index,
                    range: self.doc.title_range(),
                    label: label("no effective or last-updated date found in the policy"),
                    labels: Vec::new(),
                    message: None,
                    whole_document: true,
                }),
                Some(date) => {
                    let as_of = self.dates.as_of;
                    match max_age_months {
                        // The latest day the date may mean: "December 2025" is not
                        // stale until a year after December's end.
                        Some(months) if date.latest().add_months(*months) < as_of => {
                            let kind = match date.kind {
                                DateKind::Effective => "effective",
                                DateKind::LastUpdated => "last updated",
                            };
                            eval.hits.push(Hit {
                                rule: index,
                                range: date.range.clone(),
                                label: format!("{kind} {}", date.value()),
                                labels: Vec::new(),
                                message: Some(format!(
                                    "The policy's date ({kind} {}) is more than {months} months before {as_of}, the date it is judged as of.",
                                    date.value()
                                )),
                                whole_document: false,
                            });
                        }
                        _ => eval.support.push(Support {
                            rule: index,
                            ranges: vec![date.range.clone()],
                        }),
                    }
                }
            },
        }
    }

    /// Matches of `patterns` with the polarity each asks for, minus those
    /// sharing a scope unit with a match of `unless`, in document order.
    fn qualifying(&mut self, patterns: &[PatRef], unless: &[PatRef], scope: Scope) -> Vec<Match> {
        let mut found: Vec<Match> = Vec::new();
        for p in patterns {
            found.extend(self.matches_of(*p));
        }
        if !found.is_empty() && !unless.is_empty() {
            let excluders = self.scoped_matches(unless, scope);
            if !excluders.is_empty() {
                found.retain(|m| {
                    !excluders.iter().any(|(x, s)| {
                        self.units(m, *s)
                            .iter()
                            .any(|unit| x.range.start < unit.end && x.range.end > unit.start)
                    })
                });
            }
        }
        in_document_order(&mut found);
        found
    }

    /// Every match of `patterns`, each with the scope its pattern looks in
    /// (its own, or the rule's).
    fn scoped_matches(&mut self, patterns: &[PatRef], scope: Scope) -> Vec<(Match, Scope)> {
        patterns
            .iter()
            .flat_map(|p| {
                let s = p.scope.unwrap_or(scope);
                self.matches_of(*p).into_iter().map(move |m| (m, s))
            })
            .collect()
    }

    fn matches_of(&mut self, p: PatRef) -> Vec<Match> {
        if self.matches[p.id].is_none() {
            let found = self.find(p.id);
            self.matches[p.id] = Some(found);
        }
        let all = self.matches[p.id].as_ref().expect("just filled");
        all.iter()
            .filter(|m| match p.polarity {
                Polarity::Any => true,
                Polarity::Affirmative => m.statement && !m.negated,
                Polarity::Negated => m.statement && m.negated,
            })
            .cloned()
            .collect()
    }

    /// Every match of a pattern that stays inside one block, as
    /// [`Context::search_block`] finds them block by block. With anchors,
    /// only the stretches around them are searched: a match holds an
    /// anchor and cannot cross a block, so every match inside a block lies
    /// inside one stretch, and searching the stretch finds exactly the
    /// matches that searching its block finds there (see
    /// `docs/performance.md`).
    fn find(&mut self, pattern: usize) -> Vec<Match> {
        let found = match &self.regions[pattern] {
            None => self.search_blocks(pattern),
            Some(regions) => regions
                .iter()
                .flat_map(|r| self.search_block(pattern, r.clone()))
                .collect(),
        };
        found
            .into_iter()
            .filter_map(|(range, focus)| self.judge(range, focus))
            .collect()
    }

    /// [`Context::search_block`] over every block, in one pass over the
    /// whole text: a search from `at` that finds a match inside a block
    /// finds what the search of that block would (no match starts earlier,
    /// and none at the same start is preferred), so only where the whole
    /// text's match crosses a block boundary is its block searched alone.
    fn search_blocks(&self, pattern: usize) -> Vec<(Range<usize>, usize)> {
        let text = self.doc.text.as_str();
        let mut out = Vec::new();
        let mut at = 0;
        while at <= text.len() {
            let Some((range, focus)) = self.find_at(pattern, text.len(), at) else {
                break;
            };
            if within_block(text, &range) {
                at = range.end;
                out.push((range, focus));
                continue;
            }
            // The block the match starts in, or the next one.
            let i = self.doc.blocks.partition_point(|b| b.range.end < range.start);
            let Some(block) = self.doc.blocks.get(i) else {
                break;
            };
            let from = range.start.max(block.range.start);
            out.extend(self.search_block(pattern, from..block.range.end));
            if block.range.end >= text.len() {
                break;
            }
            at = next_char(text, block.range.end);
        }
        out
    }

    /// Matches of `pattern` starting in `region` and ending by its end,
    /// which is a block's or a stretch's, with the offset polarity is
    /// judged at. The text before `region` stays visible to assertions;
    /// the text after it does not, which changes nothing for a pattern
    /// with an anchor (a region ends at a word's edge, such a pattern holds
    /// no `$` or `\z`, and one with `(?m:$)` has regions that end where
    /// blocks do, see `pack::anchor`).
    fn search_block(&self, pattern: usize, region: Range<usize>) -> Vec<(Range<usize>, usize)> {
        let hay = &self.doc.text[..region.end];
        let mut out = Vec::new();
        let mut at = region.start;
        while at <= hay.len() {
            let Some((range, focus)) = self.find_at(pattern, region.end, at) else {
                break;
            };
            // An empty match, or one holding a line break (should a block
            // ever hold one), is refused; retry from the next character, as
            // it can hide a valid match that starts inside it.
            if !within_block(hay, &range) {
                at = next_char(hay, range.start);
                continue;
            }
            at = range.end;
            out.push((range, focus));
        }
        out
    }

    /// The next match of `pattern` from `at` in the text up to `end`.
    fn find_at(&self, pattern: usize, end: usize, at: usize) -> Option<(Range<usize>, usize)> {
        self.packs.patterns.find_at(pattern, hay(self.doc).to(end), at)
    }

    /// A match in context: its block, sentence, negation, and whether it
    /// sits in a statement.
    fn judge(&mut self, range: Range<usize>, focus: usize) -> Option<Match> {
        let text = &self.doc.text;
        let block = self.doc.block_at(range.start)?;
        let block_range = self.doc.blocks[block].range.clone();
        let sentences = self
            .sentences
            .entry(block)
            .or_insert_with(|| sentence::split(&text[block_range.clone()]));
        let local = range.start - block_range.start;
        let s = sentence::containing(sentences, local).unwrap_or(0..block_range.len());
        let sentence = block_range.start + s.start..block_range.start + s.end;
        let focus = focus.clamp(sentence.start, sentence.end) - sentence.start;
        let negated = negation::is_negated(&text[sentence.clone()], focus);
        let statement = !matches!(
            self.doc.blocks[block].kind,
            BlockKind::TableHeader | BlockKind::Heading(_)
        ) && !text[sentence.clone()].trim_end().ends_with('?');
        Some(Match {
            range,
            block,
            sentence,
            negated,
            statement,
        })
    }

    /// The stretches of text a match is judged in: one, except for
    /// `context`, which adds the list's lead-in and the headings above.
    fn units(&self, m: &Match, scope: Scope) -> Vec<Range<usize>> {
        if scope != Scope::Context {
            return vec![self.unit(m, scope)];
        }
        let blocks = &self.doc.blocks;
        let mut out = vec![blocks[m.block].range.clone()];
        // A list item's lead-in: the nearest block before the items that
        // ends in a colon, passing over the list's other items.
        if blocks[m.block].kind == BlockKind::ListItem {
            for b in blocks[..m.block].iter().rev() {
                if self.doc.text[b.range.clone()].trim_end().ends_with(':') {
                    out.push(b.range.clone());
                    break;
                }
                if b.kind != BlockKind::ListItem {
                    break;
                }
            }
        }
        let mut section = blocks[m.block].section;
        while let Some(i) = section {
            let s = &self.doc.sections[i];
            if let Some(h) = self.doc.block_at(s.range.start) {
                out.push(blocks[h].range.clone());
            }
            section = s.parent;
        }
        out
    }

    /// The stretch of text a match is judged in (`context` as its block).
    fn unit(&self, m: &Match, scope: Scope) -> Range<usize> {
        match scope {
            Scope::Context => self.doc.blocks[m.block].range.clone(),
            Scope::Match => m.range.clone(),
            Scope::Sentence => m.sentence.clone(),
            Scope::Paragraph => self.doc.blocks[m.block].range.clone(),
            Scope::Section => match self.doc.blocks[m.block].section {
                Some(s) => self.doc.sections[s].range.clone(),
                None => {
                    0..self
                        .doc
                        .sections
                        .first()
                        .map_or(self.doc.text.len(), |s| s.range.start)
                }
            },
            Scope::Document => 0..self.doc.text.len(),
        }
    }
}

/// Sorts matches into document order; overlapping matches of different
/// patterns are one statement.
fn in_document_order(found: &mut Vec<Match>) {
    found.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    found.dedup_by(|later, earlier| later.range.start < earlier.range.end);
}

/// Whether a match is one a rule may use: not empty, and inside one block
/// (blocks are joined by a blank line).
fn within_block(text: &str, range: &Range<usize>) -> bool {
    !range.is_empty() && !text[range.clone()].contains('\n')
}

/// What patterns search in `doc`: its text, and its folded copy.
fn hay(doc: &Document) -> Hay<'_> {
    Hay {
        text: &doc.text,
        folded: doc.folded(),
    }
}

/// The offset of the character after the one at `at`.
fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// Matches in one sentence become one finding.
fn group_by_sentence(found: Vec<Match>) -> Vec<Vec<Match>> {
    let mut groups: Vec<Vec<Match>> = Vec::new();
    for m in found {
        match groups.last_mut() {
            Some(g) if g[0].sentence == m.sentence => g.push(m),
            _ => groups.push(vec![m]),
        }
    }
    groups
}

fn extra_labels(rest: &[Match], text: &str) -> Vec<(Range<usize>, String)> {
    rest.iter()
        .take(MAX_EXTRA_LABELS)
        .map(|m| (m.range.clone(), text.to_owned()))
        .collect()
}

fn support(rule: usize, found: &[Match]) -> Support {
    let mut ranges: Vec<Range<usize>> = found.iter().map(|m| m.sentence.clone()).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup();
    Support { rule, ranges }
}
