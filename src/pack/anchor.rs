//! Anchors: for each pattern, a set of literals one of which every match
//! must contain. One Aho-Corasick pass over a document finds them all, and
//! the engine then runs a pattern's regex only on the blocks holding one of
//! its anchors, instead of over the whole text once per pattern.
//!
//! The anchor is the rarest-looking required piece of the pattern, not its
//! first word: `(information|data) .{0,60} (sold|rented)` is anchored on
//! `sold`/`rented`, which few blocks contain, not on `information`, which
//! most do. The regex's own prefilter can only skip to its first literal.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Anchors shorter than this find too many places to be worth it.
const MIN_ANCHOR_LEN: usize = 3;

/// Words so common in policies that anchoring on them saves nothing. This
/// is a general English prior (function words and the vocabulary of every
/// privacy policy), not a list fitted to any corpus.
const COMMON: &[&str] = &[
    "the",
    "and",
    "for",
    "you",
    "your",
    "our",
    "ours",
    "are",
    "may",
    "will",
    "can",
    "not",
    "with",
    "this",
    "that",
    "from",
    "have",
    "has",
    "any",
    "all",
    "use",
    "uses",
    "used",
    "data",
    "information",
    "personal",
    "privacy",
    "policy",
    "service",
    "services",
    "we",
    "us",
    "such",
    "other",
    "third",
    "party",
    "parties",
];

/// Where a pattern's anchors sit in its matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Literals (ASCII lower case, matched case-insensitively) one of
    /// which every match contains.
    pub literals: Vec<String>,
    /// At most this many characters of a match come before the anchor's
    /// first byte (`None`: no bound).
    pub before: Option<usize>,
    /// At most this many characters of a match come after the anchor's
    /// last byte (`None`: no bound).
    pub after: Option<usize>,
}

/// The literals (ASCII lower case, matched case-insensitively) one of which
/// occurs in every match of `pattern`, or `None` when no useful set exists
/// or the pattern depends on where the text starts or ends.
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    analyse(pattern).map(|a| a.literals)
}

/// The pattern's anchor and how far its matches reach on either side of
/// it, from one parse. Reach is counted in characters, not bytes: a gap
/// like `[^.;]{0,100}` is 100 characters but up to 400 bytes, and most
/// policy text is one byte a character, so counting bytes would search
/// four times as far as needed.
pub fn analyse(pattern: &str) -> Option<Anchor> {
    analyse_all(pattern).into_iter().next()
}

/// Up to two anchors, each of which every match contains, taken from
/// different pieces of the pattern (the best first). A match must then
/// hold a hit of each within its reach: `keep … (tax|statutory|…)` runs
/// only where a retention verb and a legal reason are close, not around
/// every `keep`.
pub fn analyse_all(pattern: &str) -> Vec<Anchor> {
    // Parsed without the pack's `(?i)`: the anchors are matched ignoring
    // ASCII case anyway (`FOLD_EXCEPTIONS` covers the rest), and Unicode
    // case folding of every literal was most of the start-up time. Not
    // when a literal holds a non-ASCII letter: `(?i)ä` also matches `Ä`,
    // which an ASCII-case-insensitive anchor would miss.
    let parse = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).ok();
    let body = pattern.strip_prefix("(?i)").unwrap_or(pattern);
    let hir = match parse(body) {
        Some(h) if !has_non_ascii_literal(&h) => h,
        _ => match parse(pattern) {
            Some(h) => h,
            None => return Vec::new(),
        },
    };
    let (text_edge, line_end) = edges(&hir);
    if text_edge {
        return Vec::new();
    }
    // A line's end is a block's: the stretch must reach it, or the search
    // would see one where the stretch is cut.
    let reach_end = |a: Anchor| Anchor {
        after: if line_end { None } else { a.after },
        ..a
    };
    let good = |a: &Anchor| score(&a.literals) >= MIN_ANCHOR_LEN;
    let HirKind::Concat(items) = hir.kind() else {
        return required(&hir).filter(good).map(reach_end).into_iter().collect();
    };
    let candidates = concat_candidates(items);
    let Some(best) = candidates
        .iter()
        .max_by_key(|(a, _)| score(&a.literals))
        .filter(|(a, _)| good(a))
    else {
        return Vec::new();
    };
    let apart = |r: &std::ops::Range<usize>| r.end <= best.1.start || r.start >= best.1.end;
    let second = candidates
        .iter()
        .filter(|(a, r)| apart(r) && good(a))
        .max_by_key(|(a, _)| score(&a.literals));
    std::iter::once(best)
        .chain(second)
        .map(|(a, _)| reach_end(a.clone()))
        .collect()
}

fn has_non_ascii_literal(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => !lit.0.is_ascii(),
        HirKind::Repetition(r) => has_non_ascii_literal(&r.sub),
        HirKind::Capture(c) => has_non_ascii_literal(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_non_ascii_literal),
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => false,
    }
}

/// The most characters a match of `hir` can have (`None`: unbounded).
fn max_chars(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(lit) => Some(String::from_utf8_lossy(&lit.0).chars().count()),
        HirKind::Class(_) => Some(1),
        HirKind::Repetition(r) => match (max_chars(&r.sub)?, r.max) {
            (0, _) => Some(0),
            (n, Some(reps)) => n.checked_mul(reps as usize),
            (_, None) => None,
        },
        HirKind::Capture(c) => max_chars(&c.sub),
        HirKind::Concat(hs) => hs
            .iter()
            .try_fold(0usize, |sum, h| sum.checked_add(max_chars(h)?)),
        HirKind::Alternation(hs) => hs
            .iter()
            .try_fold(0usize, |most, h| Some(most.max(max_chars(h)?))),
    }
}

fn add(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    a?.checked_add(b?)
}

/// Unbounded (`None`) is the largest.
fn larger(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    Some(a?.max(b?))
}

/// Whether `hir` asserts the text's start or end (`\A`, `\z`, and `^`
/// and `$` outside multi-line mode), and whether it asserts a line's end
/// (`(?m:$)`). A stretch has edges the whole text does not, so a pattern
/// of the first kind is always searched over the whole text. Lines are
/// blocks (the text joins blocks with line breaks and a block holds none),
/// so a line's end is seen right when a stretch reaches its block's end;
/// a line's start needs nothing, as the text before a stretch stays
/// visible to assertions.
fn edges(hir: &Hir) -> (bool, bool) {
    match hir.kind() {
        HirKind::Look(look) => match look {
            Look::Start | Look::End => (true, false),
            Look::EndLF | Look::EndCRLF => (false, true),
            _ => (false, false),
        },
        HirKind::Repetition(r) => edges(&r.sub),
        HirKind::Capture(c) => edges(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs
            .iter()
            .map(edges)
            .fold((false, false), |(t, l), (t2, l2)| (t || t2, l || l2)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => (false, false),
    }
}

/// A set of literals one of which every match of `hir` contains, and its
/// reach.
fn required(hir: &Hir) -> Option<Anchor> {
    let exact = |literals: Vec<String>| Anchor {
        literals,
        before: Some(0),
        after: Some(0),
    };
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).ok()?;
            Some(exact(vec![s.to_ascii_lowercase()]))
        }
        HirKind::Class(_) => char_of(hir).map(|c| exact(vec![c.to_string()])),
        HirKind::Repetition(r) if r.min >= 1 => {
            // The anchor may sit in any repetition but the first.
            let inner = required(&r.sub)?;
            let others = r.max.and_then(|m| max_chars(&r.sub)?.checked_mul(m as usize - 1));
            Some(Anchor {
                literals: inner.literals,
                before: add(inner.before, others),
                after: add(inner.after, others),
            })
        }
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            let (mut before, mut after) = (Some(0), Some(0));
            for alt in alts {
                let a = required(alt)?;
                all.extend(a.literals);
                before = larger(before, a.before);
                after = larger(after, a.after);
            }
            all.sort();
            all.dedup();
            Some(Anchor {
                literals: all,
                before,
                after,
            })
        }
        HirKind::Concat(items) => concat_candidates(items)
            .into_iter()
            .map(|(a, _)| a)
            .max_by_key(|a| score(&a.literals)),
        _ => None,
    }
}

/// The anchors a concatenation offers, each with the items it comes from:
/// each run of single characters (a literal spelled out, as
/// case-insensitive matching compiles it), and each item's own required
/// set. A candidate's reach adds what the items before and after it can
/// match.
fn concat_candidates(items: &[Hir]) -> Vec<(Anchor, std::ops::Range<usize>)> {
    let reach: Vec<Option<usize>> = items.iter().map(max_chars).collect();
    let span = |r: std::ops::Range<usize>| reach[r].iter().try_fold(0usize, |s, n| s.checked_add((*n)?));
    let mut candidates = Vec::new();
    let mut run = String::new();
    let mut run_start = 0;
    for (i, item) in items.iter().enumerate() {
        let piece = char_of(item).map(String::from).or_else(|| match item.kind() {
            HirKind::Literal(lit) => std::str::from_utf8(&lit.0).ok().map(str::to_ascii_lowercase),
            _ => None,
        });
        if let Some(piece) = piece {
            if run.is_empty() {
                run_start = i;
            }
            run.push_str(&piece);
            continue;
        }
        if !run.is_empty() {
            let literals = vec![std::mem::take(&mut run)];
            let anchor = Anchor {
                literals,
                before: span(0..run_start),
                after: span(i..items.len()),
            };
            candidates.push((anchor, run_start..i));
        }
        if let Some(a) = required(item) {
            let anchor = Anchor {
                literals: a.literals,
                before: add(span(0..i), a.before),
                after: add(a.after, span(i + 1..items.len())),
            };
            candidates.push((anchor, i..i + 1));
        }
    }
    if !run.is_empty() {
        let anchor = Anchor {
            literals: vec![run],
            before: span(0..run_start),
            after: Some(0),
        };
        candidates.push((anchor, run_start..items.len()));
    }
    candidates
}

/// How selective a set is: its weakest literal's length, a common word
/// counting as one character.
fn score(set: &[String]) -> usize {
    set.iter()
        .map(|lit| {
            if COMMON.contains(&lit.trim()) {
                1
            } else {
                lit.chars().count()
            }
        })
        .min()
        .unwrap_or(0)
}

/// The one character a class stands for, ignoring ASCII case: `s` for
/// `[Ss]` (and for `[Ssſ]`, as `(?i)s` compiles; see [`FOLD_EXCEPTIONS`]).
fn char_of(hir: &Hir) -> Option<char> {
    let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
        return match hir.kind() {
            HirKind::Literal(lit) => {
                let s = std::str::from_utf8(&lit.0).ok()?;
                let mut chars = s.chars();
                let c = chars.next()?;
                chars.next().is_none().then(|| c.to_ascii_lowercase())
            }
            _ => None,
        };
    };
    let mut ascii = Vec::new();
    for r in class.ranges() {
        if (r.end() as u32) - (r.start() as u32) > 2 {
            return None;
        }
        for c in r.start()..=r.end() {
            if c.is_ascii() {
                ascii.push(c);
            } else if !FOLD_EXCEPTIONS.contains(&c) {
                return None;
            }
        }
    }
    match ascii.as_slice() {
        [c] => Some(c.to_ascii_lowercase()),
        [a, b] if a.eq_ignore_ascii_case(b) && a != b => Some(a.to_ascii_lowercase()),
        _ => None,
    }
}

/// Non-ASCII characters that Unicode case folding maps onto ASCII letters:
/// `(?i)s` also matches LATIN SMALL LETTER LONG S, `(?i)k` KELVIN SIGN.
/// An ASCII-case-insensitive anchor cannot see them, so the engine does
/// not use anchors on a document that contains either.
pub const FOLD_EXCEPTIONS: &[char] = &['\u{17F}', '\u{212A}'];

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors(p: &str) -> Option<Vec<String>> {
        required_literals(p)
    }

    #[test]
    fn picks_the_rarest_required_piece() {
        assert_eq!(
            anchors(r"(?i)(?-u:\b)(?:information|data)(?-u:\b)[^.;:]{0,60}?(?-u:\b)(?:sold|rented)(?-u:\b)"),
            Some(vec!["rented".to_owned(), "sold".to_owned()])
        );
        assert_eq!(
            anchors(r"(?i)right\s+to\s+object"),
            Some(vec!["object".to_owned()])
        );
        assert_eq!(
            anchors(r"(?i)U\.S\.-EU Safe Harbor"),
            Some(vec!["u.s.-eu safe harbor".to_owned()])
        );
    }

    #[test]
    fn no_anchor_when_a_branch_has_none_or_it_is_too_weak() {
        // One branch requires nothing selective.
        assert_eq!(anchors(r"(?i)(?:sold|\d+)"), None);
        assert_eq!(anchors(r"(?i)we\s+do"), None);
        // Optional pieces are not required.
        assert_eq!(anchors(r"(?i)(?:forever)?\s*x"), None);
        // Text edges differ between a block and the whole text.
        assert_eq!(anchors(r"(?i)^selling"), None);
        assert_eq!(anchors(r"(?i)selling$"), None);
        assert_eq!(anchors(r"(?i)selling\z"), None);
    }

    #[test]
    fn a_line_end_makes_the_stretch_reach_the_block_end() {
        // Lines are blocks: `(?m:$)` holds at a block's end, which the
        // stretch must then reach; a line's start needs nothing.
        let a = analyse_all(r"(?i)\bselling[ ]data(?m:$)");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].literals, vec!["selling data".to_owned()]);
        assert_eq!((a[0].before, a[0].after), (Some(0), None));
        let a = analyse_all(r"(?mi)^selling\s");
        assert_eq!((a[0].before, a[0].after), (Some(0), Some(1)));
        // Both anchors of a pattern with two reach the end.
        let a = analyse_all(r"(?i)\bretain\b[^.]{0,20}\byears(?m:$)");
        assert_eq!(a.len(), 2, "{a:?}");
        assert!(a.iter().all(|a| a.after.is_none()), "{a:?}");
    }

    #[test]
    fn every_match_contains_an_anchor() {
        let cases = [
            (
                r"(?i)(?-u:\b)(?:keep|retain)s?(?-u:\b).{0,40}?(?-u:\b)for\s+\d+\s+(?:days|months)",
                "We RETAIN logs for 30 Days.",
            ),
            (r"(?i)(?P<verb>sell|rent)s?\s+your", "they Rents your data"),
            (r"(?i)do\s+not\s+sell", "Do  Not  SELL"),
            // A non-ASCII letter folds outside ASCII: no anchor may hold it.
            (r"(?i)datenschutzerkl\u{e4}rung", "DATENSCHUTZERKL\u{c4}RUNG"),
            (r"(?i)datenschutzerklärung", "DATENSCHUTZERKLÄRUNG"),
        ];
        for (p, text) in cases {
            let re = regex::Regex::new(p).unwrap();
            let m = re.find(text).unwrap().as_str().to_ascii_lowercase();
            let set = anchors(p).unwrap();
            assert!(
                set.iter().any(|a| m.contains(a.as_str())),
                "{p}: {set:?} not in {m:?}"
            );
        }
    }
}
