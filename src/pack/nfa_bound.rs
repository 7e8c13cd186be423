//! An upper bound, from a pattern's HIR, on the size the regex crate's
//! Thompson NFA builder counts against its size limit.
//!
//! Loading a pack checks every pattern against that limit, so that a
//! pattern too big to compile is refused with its line, not at first use.
//! Building the forward and reverse NFAs to learn that was most of the time
//! a large pack took to load; for almost every pattern this bound, a walk
//! of the HIR, is already far under the limit, and only the rest are built.
//!
//! The bound follows how `regex_automata::nfa::thompson::Compiler` (0.4)
//! builds each HIR node, forward or reversed, with generous room for what
//! it does not model; the tests build NFAs limited to the bound, so a
//! compiler that grew bigger fails them.

use regex_syntax::hir::{Class, Hir, HirKind};
use regex_syntax::utf8::Utf8Sequences;

/// What the builder counts for a state (`size_of::<State>()` there), a
/// sparse transition, and a union's alternate.
const STATE: usize = 32;
const TRANSITION: usize = 8;
const ALTERNATE: usize = 4;
/// The states every NFA has besides the pattern's: the unanchored prefix,
/// the implicit capture group, start and match states.
const FIXED: usize = 64 * STATE;

/// A bound on the builder's count for `hir`, in bytes, for the forward NFA
/// (with capture states) and the reverse one alike. Saturates.
pub fn nfa_bytes(hir: &Hir) -> usize {
    node(hir).saturating_add(FIXED)
}

fn node(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty => STATE,
        HirKind::Literal(lit) => lit.0.len() * STATE,
        HirKind::Class(Class::Bytes(c)) => 2 * STATE + c.ranges().len() * TRANSITION,
        HirKind::Class(Class::Unicode(c)) if c.is_ascii() => 2 * STATE + c.ranges().len() * TRANSITION,
        HirKind::Class(Class::Unicode(c)) => {
            // Forward, a trie of the UTF-8 sequences: at most a state and
            // a transition per byte range. Reversed, a chain per sequence
            // (a state per byte range) joined by one union.
            let (mut ranges, mut sequences) = (0usize, 0usize);
            for r in c.iter() {
                for seq in Utf8Sequences::new(r.start(), r.end()) {
                    ranges += seq.as_slice().len();
                    sequences += 1;
                }
            }
            (ranges + 2) * (STATE + TRANSITION) + sequences * ALTERNATE + 2 * STATE
        }
        HirKind::Look(_) => 2 * STATE,
        HirKind::Capture(cap) => node(&cap.sub).saturating_add(2 * STATE),
        HirKind::Concat(subs) => subs.iter().fold(STATE, |sum, h| sum.saturating_add(node(h))),
        HirKind::Alternation(subs) => subs.iter().fold(2 * STATE, |sum, h| {
            // An alternation of literals is compiled as a trie, which can
            // take a state, a transition and an alternate per byte and
            // two more states per literal.
            let each = match h.kind() {
                HirKind::Literal(lit) => lit.0.len() * (3 * STATE + TRANSITION + ALTERNATE),
                _ => node(h),
            };
            sum.saturating_add(each).saturating_add(2 * STATE + ALTERNATE)
        }),
        HirKind::Repetition(rep) => {
            // `X{m,n}` is n copies of X, `X{m,}` m of them (one at least),
            // each with a union and an empty state around it.
            let copies = rep.max.unwrap_or(rep.min).max(1) as usize;
            let each = node(&rep.sub).saturating_add(2 * STATE + 2 * ALTERNATE);
            copies.saturating_mul(each).saturating_add(2 * STATE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether both NFAs `check_regex` would build fit in the bound: built
    /// with the bound as their size limit, they fail the moment the
    /// builder's count passes it.
    fn fits(re: &str) -> Result<(), String> {
        let hir = regex_syntax::Parser::new()
            .parse(re)
            .map_err(|e| format!("{re:?} does not parse: {e}"))?;
        let bound = nfa_bytes(&hir);
        if crate::pack::compile::nfas_fit(&hir, bound) {
            Ok(())
        } else {
            Err(format!("{re:?} passes its bound of {bound} bytes"))
        }
    }

    #[test]
    fn every_bundled_pattern_fits_its_bound() {
        let mut n = 0;
        for name in crate::pack::builtin::builtin_names() {
            let source = crate::pack::builtin::builtin_source(name).expect("a bundled pack");
            let pack = crate::pack::parse_pack(name, source).expect("a bundled pack parses");
            for rule in &pack.rules {
                for p in rule.all_patterns() {
                    fits(&p.regex).unwrap();
                    n += 1;
                }
            }
        }
        assert!(n > 100, "only {n} patterns");
    }

    #[test]
    fn hostile_patterns_fit_their_bound() {
        for re in [
            r"\w{100}",
            r"(?:\w+\s+){0,50}policy",
            r"[^.;]{0,1000}",
            r"(?i)straße|größe|ΣΊΣΥΦΟΣ",
            r"((a|b|c){2,5}\W*){3,7}",
            r"(?i)(?:\b\w+\b\s*){1,20}",
            r"\p{L}{0,30}\p{N}+",
            r"(?:foo|bar|bazaar|quux|x|){0,9}",
            r"(?i)(?:sell|sells|selling|sold|rent|rents|renting|rented){2}",
            r"(?-u:[\x00-\x7f]){0,40}",
            r"",
            r"(?:)*",
            r"(a*)*b+?",
            r"(?i)[^a-z]{0,20}",
            r"(?:[^\s.;]+\s+){0,8}",
            r"(?i)\p{Lu}{2,4}|\p{Ll}{2,4}",
            r"(?s:.){0,100}",
            r"[\p{L}\p{N}]{0,16}(?:x|y)",
            r"(?i)(?:ǅ|ß|ﬁ|ſ|K){1,30}",
        ] {
            fits(re).unwrap();
        }
    }

    /// Patterns from a small grammar of the HIR's node kinds.
    fn pattern() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            "[a-z]{1,6}",
            Just(r"\w".to_owned()),
            Just(r"\s".to_owned()),
            Just(r"\d".to_owned()),
            Just(r"[^.;]".to_owned()),
            Just(r"\p{Greek}".to_owned()),
            Just(".".to_owned()),
            Just(r"(?-u:\b)".to_owned()),
            Just(r"\b".to_owned()),
            Just("é".to_owned()),
            Just(r"(?i:k)".to_owned()),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("(?:{})", v.join("|"))),
                (inner.clone(), 0u32..4, 0u32..6, any::<bool>()).prop_map(|(s, m, extra, lazy)| {
                    format!("(?:{s}){{{m},{}}}{}", m + extra, if lazy { "?" } else { "" })
                }),
                (inner.clone(), prop_oneof![Just("*"), Just("+"), Just("?")])
                    .prop_map(|(s, op)| format!("(?:{s}){op}")),
                inner.clone().prop_map(|s| format!("(?i:{s})")),
                inner.prop_map(|s| format!("({s})")),
            ]
        })
    }

    proptest! {
        #[test]
        fn generated_patterns_fit_their_bound(re in pattern()) {
            prop_assert_eq!(fits(&re), Ok(()));
        }
    }
}
