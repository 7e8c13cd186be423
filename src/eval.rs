//! Measuring packs against hand-labelled policies (`privlint eval`).
//!
//! A label file names policies by file name and gives, per rule, the
//! expected verdict and the words that justify it (`eval/LABELLING.md`).
//! Nothing here knows about any particular corpus: the policies are looked
//! up in the folders the caller names.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::decode;
use crate::document::InputFormat;
use crate::lint::Linter;
use crate::pack::{self, PackError};
use crate::parse;
use crate::policy_date::CivilDate;
use crate::span::LineIndex;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelFile {
    /// Where the policies come from, for people; lookup uses `--corpus`.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub labeller: Option<String>,
    /// The day the labels were judged as of: their policies are linted as
    /// of it, so the labels do not go stale as time passes.
    #[serde(default, rename = "as-of")]
    pub as_of: Option<CivilDate>,
    pub policies: Vec<LabelledPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledPolicy {
    pub file: String,
    pub verdicts: BTreeMap<String, Verdict>,
    /// Its label file's `as-of`; without one, today.
    #[serde(skip)]
    pub as_of: Option<CivilDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub finding: bool,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Counts for one rule.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleScore {
    pub rule: String,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
    /// `None` when the rule never fired.
    pub precision: Option<f64>,
    /// `None` when no labelled policy expects a finding.
    pub recall: Option<f64>,
}

/// A policy where the packs and the label disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub file: String,
    pub rule: String,
    /// What the label says: true when a finding is expected.
    pub expected: bool,
    /// Where privlint's finding is (false positives), or where the label's
    /// quote is (false negatives), when known.
    pub line: Option<usize>,
    pub text: Option<String>,
    pub label_quote: Option<String>,
    pub label_note: Option<String>,
}

/// A label whose quote is not in the policy's visible text.
#[derive(Debug, Clone, Serialize)]
pub struct StrayQuote {
    pub file: String,
    pub rule: String,
    pub quote: String,
}

#[derive(Debug, Default, Serialize)]
pub struct EvalReport {
    /// Distinct labelled files linted (a file in two label files counts once).
    pub policies: usize,
    pub rules: Vec<RuleScore>,
    pub disagreements: Vec<Disagreement>,
    pub stray_quotes: Vec<StrayQuote>,
}

/// Why an evaluation could not run.
#[derive(Debug)]
pub enum EvalError {
    Labels(Box<PackError>),
    Io(String),
}

/// Reads label files; a folder stands for the `.yaml`/`.yml` files in it.
pub fn load_labels(paths: &[PathBuf]) -> Result<Vec<LabelledPolicy>, EvalError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| EvalError::Io(format!("{}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            inner.sort();
            files.extend(inner);
        } else {
            files.push(p.clone());
        }
    }
    let mut policies = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(&f).map_err(|e| EvalError::Io(format!("{name}: {e}")))?;
        let mut parsed: LabelFile = pack::from_yaml(&name, &text).map_err(|mut e| {
            e.what = "label file";
            EvalError::Labels(e)
        })?;
        for p in &mut parsed.policies {
            p.as_of = parsed.as_of;
        }
        policies.append(&mut parsed.policies);
    }
    Ok(policies)
}

/// Lints every labelled policy and scores each active rule.
pub fn evaluate(
    linter: &Linter,
    labels: &[LabelledPolicy],
    corpora: &[PathBuf],
) -> Result<EvalReport, EvalError> {
    let mut scores: BTreeMap<&str, RuleScore> = BTreeMap::new();
    let order: Vec<&str> = linter.packs.rules.iter().map(|r| r.meta.id.as_str()).collect();
    let mut report = EvalReport::default();
    let selection = crate::selection::Selection::all(&linter.packs);
    // A policy labelled in several files (one per half of a pack, say) is
    // one policy.
    let mut seen = std::collections::HashSet::new();
    for policy in labels {
        // Labels for rules not loaded (another pack's label file) are not
        // this run's: the policy is neither linted nor counted.
        if !order.iter().any(|r| policy.verdicts.contains_key(*r)) {
            continue;
        }
        let path = find(corpora, &policy.file)
            .ok_or_else(|| EvalError::Io(format!("{}: not found in {}", policy.file, show(corpora))))?;
        let bytes = std::fs::read(&path).map_err(|e| EvalError::Io(format!("{}: {e}", path.display())))?;
        let format = InputFormat::from_path(&path).unwrap_or(InputFormat::Text);
        let as_of = policy.as_of.map_or(linter.options.as_of, crate::lint::AsOf::On);
        let lint = linter.lint_bytes_as_of(policy.file.clone(), &bytes, format, &selection, as_of);
        let locate = QuoteLocator::new(&bytes, format);
        if seen.insert(policy.file.as_str()) {
            report.policies += 1;
        }
        for rule in &order {
            let Some(verdict) = policy.verdicts.get(*rule) else {
                continue;
            };
            let found = lint.findings.iter().find(|f| f.rule.id == *rule);
            let score = scores.entry(rule).or_insert_with(|| RuleScore {
                rule: rule.to_string(),
                ..Default::default()
            });
            let quoted = verdict.quote.as_deref().map(|q| (q, locate.line_of(q)));
            if let Some((q, None)) = quoted {
                report.stray_quotes.push(StrayQuote {
                    file: policy.file.clone(),
                    rule: rule.to_string(),
                    quote: q.to_owned(),
                });
            }
            match (verdict.finding, found) {
                (true, Some(_)) => score.tp += 1,
                (false, None) => score.tn += 1,
                (expected, found) => {
                    if expected {
                        score.fn_ += 1;
                    } else {
                        score.fp += 1;
                    }
                    let (line, text) = match found {
                        Some(f) => (
                            Some(f.span.line),
                            Some(lint.source[f.span.text.clone()].to_owned()),
                        ),
                        None => (quoted.and_then(|(_, l)| l), None),
                    };
                    report.disagreements.push(Disagreement {
                        file: policy.file.clone(),
                        rule: rule.to_string(),
                        expected,
                        line,
                        text,
                        label_quote: verdict.quote.clone(),
                        label_note: verdict.note.clone(),
                    });
                }
            }
        }
    }
    for rule in order {
        if let Some(mut s) = scores.remove(rule) {
            s.precision = ratio(s.tp, s.tp + s.fp);
            s.recall = ratio(s.tp, s.tp + s.fn_);
            report.rules.push(s);
        }
    }
    Ok(report)
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn find(corpora: &[PathBuf], file: &str) -> Option<PathBuf> {
    corpora.iter().map(|c| c.join(file)).find(|p| p.is_file())
}

fn show(corpora: &[PathBuf]) -> String {
    corpora
        .iter()
        .map(|c| c.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds a label's quote in a policy's visible text, to report its line.
/// (This is the evaluator checking a human's quote, not a diagnostic span.)
struct QuoteLocator {
    text: String,
    doc: Option<crate::document::Document>,
    lines: LineIndex,
}

impl QuoteLocator {
    fn new(bytes: &[u8], format: InputFormat) -> Self {
        // A .docx's lines are its paragraphs, as in its findings.
        let (text, doc) = if format == InputFormat::Docx {
            parse::parse_docx(bytes).map_or((String::new(), None), |(s, d)| (s, Some(d)))
        } else {
            let text = decode::decode(bytes).map(|d| d.text).unwrap_or_default();
            let doc = parse::parse(&text, format);
            (text, Some(doc))
        };
        let lines = LineIndex::new(&text);
        QuoteLocator { text, doc, lines }
    }

    fn line_of(&self, quote: &str) -> Option<usize> {
        let doc = self.doc.as_ref()?;
        let (wanted, _) = normalise(quote);
        let (visible, map) = normalise(&doc.text);
        let at = visible.find(wanted.trim())?;
        let range = doc.source_range(map[at]..map[at + wanted.trim().len()]);
        Some(self.lines.line_col(&self.text, range.start).0)
    }
}

/// Folds what labellers type differently from what policies print (curly
/// and straight quotes, dashes, runs of whitespace, case) and returns, for
/// each byte of the result, the offset it came from in `s` (plus the end).
fn normalise(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut last_space = false;
    for (i, c) in s.char_indices() {
        let folded = match c {
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c if c.is_whitespace() => ' ',
            c => c.to_lowercase().next().unwrap_or(c),
        };
        if folded == ' ' && last_space {
            continue;
        }
        last_space = folded == ' ';
        let before = out.len();
        out.push(folded);
        map.extend(std::iter::repeat_n(i, out.len() - before));
    }
    map.push(s.len());
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_quotes_and_maps_offsets_back() {
        let s = "We  don\u{2019}t SELL \u{201C}data\u{201D}";
        let (n, map) = normalise(s);
        assert_eq!(n, "we don't sell \"data\"");
        let at = n.find("sell").unwrap();
        assert_eq!(&s[map[at]..map[at + 4]], "SELL");
        assert_eq!(map[n.len()], s.len());
    }
}
