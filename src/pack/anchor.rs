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

/// The literals (ASCII lower case, matched case-insensitively) one of which
/// occurs in every match of `pattern`, or `None` when no useful set exists
/// or the pattern depends on where the text starts or ends.
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    analyse(pattern).0
}

/// [`required_literals`], and the longest match the pattern can make in
/// bytes (`None`: unbounded), from one parse.
pub fn analyse(pattern: &str) -> (Option<Vec<String>>, Option<usize>) {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return (None, None);
    };
    let longest = hir.properties().maximum_len();
    if has_line_or_text_anchor(&hir) {
        return (None, longest);
    }
    let set = required(&hir).filter(|set| score(set) >= MIN_ANCHOR_LEN);
    (set, longest)
}

/// `^`, `$`, `\A`, `\z` would see a block's edges where the whole text has
/// none, so such patterns are always searched over the whole text.
fn has_line_or_text_anchor(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => !matches!(
            look,
            Look::WordAscii
                | Look::WordAsciiNegate
                | Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::WordStartAscii
                | Look::WordEndAscii
                | Look::WordStartUnicode
                | Look::WordEndUnicode
                | Look::WordStartHalfAscii
                | Look::WordEndHalfAscii
                | Look::WordStartHalfUnicode
                | Look::WordEndHalfUnicode
        ),
        HirKind::Repetition(r) => has_line_or_text_anchor(&r.sub),
        HirKind::Capture(c) => has_line_or_text_anchor(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_line_or_text_anchor),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

/// A set of literals one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).ok()?;
            Some(vec![s.to_ascii_lowercase()])
        }
        HirKind::Class(_) => char_of(hir).map(|c| vec![c.to_string()]),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for alt in alts {
                all.extend(required(alt)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(items) => {
            // Candidates: each run of single characters (a literal spelled
            // out, as case-insensitive matching compiles it), and each
            // item's own required set. The best one scores highest.
            let mut candidates: Vec<Vec<String>> = Vec::new();
            let mut run = String::new();
            for item in items {
                if let Some(c) = char_of(item) {
                    run.push(c);
                    continue;
                }
                if let HirKind::Literal(lit) = item.kind()
                    && let Ok(s) = std::str::from_utf8(&lit.0)
                {
                    run.push_str(&s.to_ascii_lowercase());
                    continue;
                }
                if !run.is_empty() {
                    candidates.push(vec![std::mem::take(&mut run)]);
                }
                if let Some(set) = required(item) {
                    candidates.push(set);
                }
            }
            if !run.is_empty() {
                candidates.push(vec![run]);
            }
            candidates.into_iter().max_by_key(|set| score(set))
        }
        _ => None,
    }
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
        assert_eq!(anchors(r"(?mi)selling$"), None);
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
