//! Patterns rewritten for text with its ASCII letters lower-cased.
//!
//! A case-insensitive pattern gives the lazy DFA a byte class for each case
//! of each letter it names, and Unicode `\s` and the two non-ASCII letters
//! that fold onto ASCII ones (`ſ`, the Kelvin sign `K`) add more: 99
//! classes on average over the built-in patterns, so 128 or 256
//! transitions in every DFA state's row, and those states are the largest
//! part of privlint's memory. Each regex's literal prefilter also has to
//! try every mix of cases of its words.
//!
//! The engine therefore searches a copy of the document text with A-Z
//! lower-cased ([`fold_text`]: the same length, so every offset holds), with
//! each pattern rewritten by [`for_folded_text`]. The rewrite is exact:
//!
//! - It applies only to a pattern in which every class holds both cases of
//!   an ASCII letter or neither, and no literal holds an ASCII letter (all
//!   of a `(?i)` pattern, unless part of it turns `i` off). Such a pattern
//!   matches a character exactly where it matches its lower-case form, so
//!   it matches the original text exactly where it matches the folded one,
//!   with the same spans and groups.
//! - A folded text holds no A-Z, and [`fold_text`] folds only a text that
//!   holds none of the [`RARE`] characters. The rewrite is then free to
//!   drop those characters from a class or add them, and it picks
//!   whichever gives fewer ranges. The rare characters are whitespace
//!   that the parsers collapse to a space anyway, and `ſ` and `K`.
//!
//! A text that holds a rare character is searched as it is, with the
//! patterns as written.

use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Characters a folded text never holds, besides A-Z: whitespace other
/// than a space and a line break (the document builder collapses every
/// whitespace run to one space), and the two characters that Unicode case
/// folding maps onto ASCII letters (`ſ` onto s, the Kelvin sign onto k;
/// [`super::anchor::FOLD_EXCEPTIONS`]).
pub const RARE: &[(char, char)] = &[
    ('\t', '\t'),
    ('\u{B}', '\r'),
    ('\u{85}', '\u{85}'),
    ('\u{A0}', '\u{A0}'),
    ('\u{17F}', '\u{17F}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200A}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202F}', '\u{202F}'),
    ('\u{205F}', '\u{205F}'),
    ('\u{212A}', '\u{212A}'),
    ('\u{3000}', '\u{3000}'),
];

/// The first bytes of the UTF-8 encodings of the non-ASCII [`RARE`]
/// characters, in order: only a character starting with one of these is
/// decoded.
const RARE_LEAD_BYTES: &[u8] = &[0xC2, 0xC5, 0xE1, 0xE2, 0xE3];

fn is_rare(c: char) -> bool {
    RARE.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// `text` with A-Z lower-cased, or `None` if it holds a [`RARE`]
/// character (it is then searched as it is).
pub fn fold_text(text: &str) -> Option<String> {
    // A test the compiler vectorises passes over most 32-byte chunks
    // (printable ASCII and most other characters); only a chunk holding a
    // control byte or a possible lead byte is looked at byte by byte.
    let suspect = |b: u8| b.wrapping_sub(b'\t') < 5 || b >= RARE_LEAD_BYTES[0];
    let bytes = text.as_bytes();
    for (n, chunk) in bytes.chunks(32).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | suspect(b)) {
            continue;
        }
        for (j, &b) in chunk.iter().enumerate() {
            let i = n * 32 + j;
            let rare = match b {
                b'\t' | 0x0B | 0x0C | b'\r' => true,
                // `i` is a character's first byte: continuation bytes are
                // 0x80-0xBF.
                _ if RARE_LEAD_BYTES.contains(&b) => text[i..].chars().next().is_some_and(is_rare),
                _ => false,
            };
            if rare {
                return None;
            }
        }
    }
    Some(text.to_ascii_lowercase())
}

/// The pattern rewritten to search a [`fold_text`] copy, with the same
/// matches as `pattern` has in the original; `None` if it cannot be (it is
/// not a valid regex, or part of it tells cases apart).
pub fn for_folded_text(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    case_blind(&hir).then(|| rewrite(&hir).to_string())
}

/// Whether every class in `hir` holds both cases of each ASCII letter or
/// neither, and no literal holds an ASCII letter.
fn case_blind(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => !lit.0.iter().any(u8::is_ascii_alphabetic),
        HirKind::Class(Class::Unicode(c)) => {
            let has = |b: u8| contains_char(c.ranges(), char::from(b));
            (b'a'..=b'z').all(|b| has(b) == has(b.to_ascii_uppercase()))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let has = |b: u8| c.ranges().iter().any(|r| r.start() <= b && b <= r.end());
            (b'a'..=b'z').all(|b| has(b) == has(b.to_ascii_uppercase()))
        }
        HirKind::Repetition(rep) => case_blind(&rep.sub),
        HirKind::Capture(cap) => case_blind(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(case_blind),
    }
}

fn contains_char(ranges: &[ClassUnicodeRange], c: char) -> bool {
    ranges.iter().any(|r| r.start() <= c && c <= r.end())
}

/// `hir` with every class free of the characters a folded text lacks,
/// except where keeping them joins ranges.
fn rewrite(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Class(Class::Unicode(c)) => Hir::class(Class::Unicode(rewrite_unicode(c))),
        HirKind::Class(Class::Bytes(c)) => Hir::class(Class::Bytes(rewrite_bytes(c))),
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(rewrite(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(rewrite(&cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(rewrite).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(rewrite).collect()),
    }
}

/// The characters a folded text lacks, as disjoint runs in order.
fn absent_chars() -> Vec<(char, char)> {
    let mut runs: Vec<(char, char)> = RARE.to_vec();
    runs.push(('A', 'Z'));
    runs.sort_unstable();
    runs
}

fn rewrite_unicode(class: &ClassUnicode) -> ClassUnicode {
    let runs = absent_chars();
    let mut out = class.clone();
    out.difference(&ClassUnicode::new(
        runs.iter().map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
    ));
    // A run's neighbours are not absent, so whether they are in `out` is
    // whether they were in `class`. Taking the run in when a neighbour is
    // in never adds a range, and removes one when both are.
    let neighbour_in = |c: Option<char>| c.is_some_and(|c| contains_char(out.ranges(), c));
    let taken: Vec<ClassUnicodeRange> = runs
        .iter()
        .filter(|&&(lo, hi)| {
            neighbour_in(char::from_u32(lo as u32 - 1)) || neighbour_in(char::from_u32(hi as u32 + 1))
        })
        .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi))
        .collect();
    out.union(&ClassUnicode::new(taken));
    out
}

fn rewrite_bytes(class: &ClassBytes) -> ClassBytes {
    // The ASCII part of the absent characters; a byte class can only
    // match a non-ASCII byte in a pattern that gives up UTF-8, which the
    // engine's regexes do not.
    let runs: Vec<(u8, u8)> = absent_chars()
        .into_iter()
        .filter(|&(_, hi)| hi.is_ascii())
        .map(|(lo, hi)| (lo as u8, hi as u8))
        .collect();
    let mut out = class.clone();
    out.difference(&ClassBytes::new(
        runs.iter().map(|&(lo, hi)| ClassBytesRange::new(lo, hi)),
    ));
    let neighbour_in =
        |b: Option<u8>| b.is_some_and(|b| out.ranges().iter().any(|r| r.start() <= b && b <= r.end()));
    let taken: Vec<ClassBytesRange> = runs
        .iter()
        .filter(|&&(lo, hi)| neighbour_in(lo.checked_sub(1)) || neighbour_in(hi.checked_add(1)))
        .map(|&(lo, hi)| ClassBytesRange::new(lo, hi))
        .collect();
    out.union(&ClassBytes::new(taken));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    #[test]
    fn rare_lists_exactly_the_whitespace_the_builder_collapses_and_the_two_folds() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = (c.is_whitespace() && c != ' ' && c != '\n')
                || crate::pack::anchor::FOLD_EXCEPTIONS.contains(&c);
            assert_eq!(is_rare(c), expected, "{c:?}");
            if expected && !c.is_ascii() {
                let mut buf = [0; 4];
                assert!(
                    RARE_LEAD_BYTES.contains(&c.encode_utf8(&mut buf).as_bytes()[0]),
                    "{c:?}"
                );
            }
        }
    }

    /// `rewrite_unicode` relies on no two absent runs touching: a run's
    /// neighbours are then characters a folded text can hold.
    #[test]
    fn absent_runs_are_sorted_and_never_touch() {
        for pair in absent_chars().windows(2) {
            assert!(pair[0].0 <= pair[0].1, "{pair:?}");
            assert!((pair[0].1 as u32) + 1 < pair[1].0 as u32, "{pair:?}");
        }
    }

    #[test]
    fn a_text_with_a_rare_character_is_not_folded() {
        assert_eq!(fold_text("We SELL Data").as_deref(), Some("we sell data"));
        for text in [
            "a\tb",
            "a\u{A0}b",
            "Kelvin \u{212A}",
            "Mi\u{17F}s",
            "a\u{3000}b",
            "x\r\n",
        ] {
            assert_eq!(fold_text(text), None, "{text:?}");
        }
        // Other non-ASCII characters, even with the same first byte, fold.
        assert_eq!(fold_text("Café – “Ünïcode”").as_deref(), Some("café – “Ünïcode”"));
        // Wherever a rare character sits in the text's 32-byte chunks,
        // astride two of them too.
        for at in 0..70 {
            for rare in ["\t", "\u{A0}", "\u{212A}", "\u{3000}"] {
                let text = format!("{}{rare}{}", "a".repeat(at), "Z".repeat(40));
                assert_eq!(fold_text(&text), None, "{rare:?} at {at}");
            }
            let plain = format!("{}’{}", "A".repeat(at), "b".repeat(40));
            assert_eq!(fold_text(&plain), Some(plain.to_ascii_lowercase()), "at {at}");
        }
    }

    #[test]
    fn a_pattern_that_tells_cases_apart_is_not_rewritten() {
        assert!(for_folded_text("(?i)we sell").is_some());
        assert!(for_folded_text("(?i)we (?-i:FTC)").is_none());
        assert!(for_folded_text("sell").is_none());
        assert!(for_folded_text("(?i)[a-z]+").is_some());
        assert!(for_folded_text("(?i)(?-i:[a-z])").is_none());
        assert!(for_folded_text("[0-9]+ days").is_none());
        assert!(for_folded_text("[0-9]+").is_some());
        assert!(for_folded_text("(").is_none());
    }

    #[test]
    fn the_rewrite_drops_upper_case_and_rare_characters() {
        let folded = for_folded_text(r"(?i)sell\s+data").unwrap();
        assert!(!folded.contains("(?i)"), "{folded}");
        let re = Regex::new(&folded).unwrap();
        assert!(re.is_match("we sell  data"));
        assert!(!re.is_match("we SELL data"));
        // Negated classes keep whatever joins their ranges.
        let gap = Regex::new(&for_folded_text(r"(?i)a[^.;]b").unwrap()).unwrap();
        assert!(gap.is_match("a b") && gap.is_match("a\u{A0}b") && !gap.is_match("a.b"));
    }

    /// A lazy DFA state's row has a transition for each byte class,
    /// rounded up to a power of two.
    #[test]
    fn the_rewrite_halves_the_dfa_rows() {
        let classes = |p: &str| {
            regex_automata::nfa::thompson::NFA::new(p)
                .unwrap()
                .byte_classes()
                .alphabet_len()
        };
        let p = r"(?i)(?-u:\b)we\s+(?:do\s+not|never)\s+sell(?-u:\b)[^.;]{0,80}?(?-u:\b)(?:data|information)";
        let folded = for_folded_text(p).unwrap();
        let row = |p: &str| classes(p).next_power_of_two();
        assert!(
            row(&folded) * 2 <= row(p),
            "{} against {}",
            classes(&folded),
            classes(p)
        );
    }

    /// Patterns from a small grammar that mixes case-insensitive words
    /// (some with the rare letters), classes, gaps, groups and boundaries;
    /// texts from an alphabet with both cases and non-ASCII letters, and no
    /// rare characters (those texts are not folded).
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            "(sel|\u{17F}e|da|ta|\u{212A}|k|é|É)".prop_map(|s| s.to_string()),
            Just(r"\s+".to_string()),
            Just(r"\w".to_string()),
            Just(r"[^.;]{0,3}?".to_string()),
            Just(r"[a-f]".to_string()),
            Just(r"[^a-c\s]".to_string()),
            Just(r"(?-u:\b)".to_string()),
            Just(r"\b".to_string()),
            Just(r"\W".to_string()),
            Just(r"[\x{0}-\x{7F}]".to_string()),
        ];
        prop::collection::vec(atom, 1..5).prop_flat_map(|atoms| {
            let n = atoms.len();
            (Just(atoms), 0..n, any::<bool>()).prop_map(|(atoms, split, alt)| {
                let (a, b) = atoms.split_at(split);
                let (a, b) = (a.concat(), b.concat());
                if alt {
                    format!("(?i)(?:{a}|(?P<verb>{b}))")
                } else {
                    format!("(?i){a}(?P<verb>{b})?")
                }
            })
        })
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("Sel"),
                Just("sEL"),
                Just("da"),
                Just("TA"),
                Just(" "),
                Just("\n"),
                Just("."),
                Just(";"),
                Just("é"),
                Just("É"),
                Just("k"),
                Just("x"),
                Just("B"),
                Just("c"),
                Just("_"),
                Just("’"),
            ],
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn folded_patterns_match_folded_text_where_the_originals_match_the_original(
            p in pattern(),
            t in text(),
        ) {
            let original = Regex::new(&p).unwrap();
            let Some(folded) = for_folded_text(&p) else {
                return Err(TestCaseError::fail(format!("{p} was not rewritten")));
            };
            let folded = Regex::new(&folded).unwrap();
            let ft = fold_text(&t).expect("no rare characters in these texts");
            let spans = |re: &Regex, hay: &str| {
                re.captures_iter(hay)
                    .map(|c| (c.get(0).map(|m| m.range()), c.name("verb").map(|m| m.range())))
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(spans(&original, &t), spans(&folded, &ft), "{} on {:?}", p, t);
        }
    }
}
