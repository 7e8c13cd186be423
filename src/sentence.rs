//! Sentence boundaries inside one block of visible text.
//!
//! Policies are full of abbreviations that end in a period ("U.S.", "e.g.",
//! "Inc.", "Cal. Civ. Code"), which a plain UAX #29 segmenter splits on.
//! This splitter breaks after `.`, `!` or `?` (and any closing quotes or
//! brackets) only when whitespace and a capital letter, digit or opening
//! quote follow and the word before the period is not a known abbreviation
//! or a single letter. The engine runs it only on blocks that hold a match.

use std::ops::Range;

/// Words that end in a period without ending a sentence (lowercase, without
/// the final period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "inc", "ltd", "llc", "co", "corp", "no", "nos", "mr", "mrs", "ms", "dr", "st", "vs",
    "v", "cf", "al", "approx", "art", "arts", "sec", "secs", "para", "cal", "civ", "bus", "prof", "stat",
    "u.s", "u.k", "e.u", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "p", "pp", "ch", "reg", "gov", "admin", "ave",
];

/// Splits `text` (one block) into sentence ranges covering it, trimmed of
/// surrounding spaces.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b':' && is_label_colon(text, i) {
            // "Sharing: We do not sell ..." — a lead-in label is not part
            // of the statement after it.
            push_trimmed(text, start..i + 1, &mut out);
            start = i + 1;
            i += 1;
        } else if matches!(b, b'.' | b'!' | b'?') {
            // Swallow runs like "?!" or "...", then closing quotes/brackets.
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'.' | b'!' | b'?') {
                end += 1;
            }
            end = skip_closers(text, end);
            if is_boundary(text, start, i, end) {
                push_trimmed(text, start..end, &mut out);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// A colon followed by a space and a capital letter ends a lead-in.
fn is_label_colon(text: &str, colon: usize) -> bool {
    let rest = &text[colon + 1..];
    let after = rest.trim_start_matches(' ');
    after.len() < rest.len() && after.chars().next().is_some_and(char::is_uppercase)
}

/// The sentence of `sentences` holding `pos`, else the nearest before it.
pub fn containing(sentences: &[Range<usize>], pos: usize) -> Option<Range<usize>> {
    let i = sentences.partition_point(|s| s.start <= pos);
    (i > 0).then(|| sentences[i - 1].clone())
}

fn skip_closers(text: &str, mut end: usize) -> usize {
    while let Some(c) = text[end..].chars().next() {
        if matches!(c, '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{BB}') {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn is_boundary(text: &str, start: usize, punct: usize, end: usize) -> bool {
    let rest = &text[end..];
    let after_space = rest.trim_start();
    if after_space.len() == rest.len() && !rest.is_empty() {
        // "3.5", "example.com", "U.S.-EU" are no boundary; "anyone.We will"
        // is, where crawled text lost the space between two sentences.
        return is_joined_boundary(text, start, punct, rest);
    }
    match after_space.chars().next() {
        None => return true,
        Some(c) if c.is_lowercase() => return false,
        Some(c)
            if !(c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '"' | '\'' | '(' | '[' | '\u{201C}' | '\u{2018}' | '*' | '-' | '•'
                )) =>
        {
            return false;
        }
        _ => {}
    }
    if text.as_bytes()[punct] != b'.' {
        return true;
    }
    // The word before the period.
    let before = &text[start..punct];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\u{201C}')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if lower.chars().count() == 1 && lower.chars().all(char::is_alphabetic) {
        return false; // an initial: "J. Smith", "a. ..."
    }
    !ABBREVIATIONS.contains(&lower.as_str())
}

/// A period with no space after it ends a sentence when a lowercase word
/// of two or more letters (not an abbreviation, not "www") comes before it
/// and a capitalised word with no dot, slash or `@` in it after it:
/// "to anyone.We will use", not "www.Example.com" or "Node.Js".
fn is_joined_boundary(text: &str, start: usize, punct: usize, rest: &str) -> bool {
    if text.as_bytes()[punct] != b'.' {
        return false;
    }
    let before = &text[start..punct];
    let word = before
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    let word_is_whole = before.len() == word.len() || {
        let c = before[..before.len() - word.len()].chars().next_back();
        c.is_some_and(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201C}'))
    };
    if word.len() < 2 || !word_is_whole || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    if word == "www" || ABBREVIATIONS.contains(&word) {
        return false;
    }
    let token = rest.split(char::is_whitespace).next().unwrap_or("");
    let token = token.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    let mut chars = token.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.next().is_some_and(char::is_lowercase)
        && !token.contains(['.', '/', '@'])
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(
            sentences("We do not sell data. We may share it! Why? Because."),
            vec!["We do not sell data.", "We may share it!", "Why?", "Because."]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        let t = "We comply with the U.S. Department of Commerce rules, e.g. Safe Harbor. Next one.";
        assert_eq!(
            sentences(t),
            vec![
                "We comply with the U.S. Department of Commerce rules, e.g. Safe Harbor.",
                "Next one."
            ]
        );
        assert_eq!(
            sentences("See Cal. Civ. Code 1798.100. Done."),
            vec!["See Cal. Civ. Code 1798.100.", "Done."]
        );
    }

    #[test]
    fn no_split_inside_numbers_urls_or_before_lowercase() {
        assert_eq!(
            sentences("Visit example.com today. version 2.5 is out"),
            vec!["Visit example.com today. version 2.5 is out"]
        );
        assert_eq!(sentences("a etc. and more"), vec!["a etc. and more"]);
    }

    #[test]
    fn a_lost_space_after_a_full_stop_still_ends_the_sentence() {
        assert_eq!(
            sentences("We will not sell it to anyone.We will use it to reply."),
            vec!["We will not sell it to anyone.", "We will use it to reply."]
        );
        // Not in domains, versions, abbreviations or capitalised names.
        for t in [
            "Visit www.Example.com to opt out.",
            "Built on Node.Js today.",
            "Opt out at example.Com/optout now.",
            "See ASP.NET docs.",
            "Details, e.g.Cookies, follow.",
            "Mail help@example.Org today.",
        ] {
            assert_eq!(sentences(t), vec![t], "{t}");
        }
    }

    #[test]
    fn a_lead_in_label_is_its_own_sentence() {
        assert_eq!(
            sentences("Sharing: We do not sell data. Note: none"),
            vec!["Sharing:", "We do not sell data.", "Note: none"]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said \u{201C}stop.\u{201D} Then left."),
            vec!["He said \u{201C}stop.\u{201D}", "Then left."]
        );
    }

    #[test]
    fn containing_finds_the_sentence() {
        let t = "One. Two three. Four";
        let s = split(t);
        assert_eq!(
            &t[containing(&s, t.find("three").unwrap()).unwrap()],
            "Two three."
        );
    }
}
