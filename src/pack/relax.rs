//! A pattern's relaxed form: every bounded repetition `X{m,n}` made
//! unbounded (`X{m,}`), greediness kept.
//!
//! Each relaxed repetition accepts every count the exact one accepts, and
//! assertions (`\b`, `^`) are kept as they are, so on the same haystack
//! every match of the exact regex (same start, same end) is also a match
//! of the relaxed one. Where the relaxed regex matches nowhere from a
//! given start, the exact one cannot either. The relaxed regex has no
//! counters, so its lazy DFA has a few states where the exact one, with
//! gaps such as `[^.;]{0,100}?`, has thousands and keeps clearing its
//! cache; asking it first is cheap.

use regex_syntax::hir::{Hir, HirKind, Repetition};

/// The relaxed regex of `pattern`, or `None` where it would be the same
/// (no repetition bounded above more than once) or `pattern` does not parse.
pub fn relaxed(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut changed = false;
    let out = relax(&hir, &mut changed);
    changed.then(|| out.to_string())
}

fn relax(hir: &Hir, changed: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => {
            let sub = Box::new(relax(&rep.sub, changed));
            // `X?` and `X{n}` cost the DFA nothing worth removing.
            let max = match rep.max {
                Some(max) if max > 1 && max > rep.min => {
                    *changed = true;
                    None
                }
                other => other,
            };
            Hir::repetition(Repetition {
                min: rep.min,
                max,
                greedy: rep.greedy,
                sub,
            })
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(relax(&cap.sub, changed));
            Hir::capture(cap)
        }
        HirKind::Concat(items) => Hir::concat(items.iter().map(|h| relax(h, changed)).collect()),
        HirKind::Alternation(items) => Hir::alternation(items.iter().map(|h| relax(h, changed)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_repetitions_become_unbounded_and_others_stay() {
        let r = relaxed(r"sell[^.;]{0,100}?data").expect("changed");
        let re = regex::Regex::new(&r).unwrap();
        let long = format!("sell{}data", "x".repeat(300));
        assert!(re.is_match(&long));
        assert!(
            !regex::Regex::new(r"sell[^.;]{0,100}?data")
                .unwrap()
                .is_match(&long)
        );
        assert!(!re.is_match("sell x; data"), "the class is kept: {r}");
        assert_eq!(relaxed(r"sells?\s+data"), None);
        assert_eq!(relaxed(r"a{3}"), None);
    }

    #[test]
    fn every_exact_match_is_a_relaxed_match_from_the_same_start() {
        let pattern = r"(?i)\b(?:we\s+)?(?P<verb>sell|share)(?:\s+\w+){0,3}\s+(?:data|information)(?-u:\b)";
        let exact = regex::Regex::new(pattern).unwrap();
        let loose = regex::Regex::new(&relaxed(pattern).expect("changed")).unwrap();
        let text = "We sell your personal data. We share it. we share some of the information; sell data";
        for at in 0..=text.len() {
            if let Some(m) = exact.find_at(text, at) {
                assert!(loose.is_match_at(text, at), "from {at}: {:?}", m.as_str());
            }
        }
        assert!(!loose.is_match("we share it, nothing else"));
    }
}
