//! Is a match affirmed or denied?
//!
//! "We do not sell your personal information" and "we may sell your personal
//! information" must be told apart. We look at the part of the clause that
//! precedes the match: from the start of its sentence, or from the last
//! clause break (`;`, `:`, "but", "except", "however", ", and we", a comma
//! before a new subject as in "While we do not sell it, we may share it", ...), up to
//! the match. A negation cue there ("not", "never", "no", "n't", "neither",
//! "nor", "without", "in no case", "under no circumstances", ...) negates
//! the match, unless the cue negates a wish instead ("if you do not want us
//! to sell" affirms that sales happen).

use std::sync::LazyLock;

use regex::Regex;

static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[;:]|(?-u:\b)(?:but|however|although|though|whereas|except|unless|otherwise|instead|yet)(?-u:\b)|(?-u:\b)(?:and|or),? (?:we|you|they|it|our|the company)(?-u:\b)|,\s*(?:we|you|they|our)(?-u:\b)",
    )
    .expect("valid regex")
});

static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:not|never|no|neither|nor|without|cannot|none|nothing|nobody)(?-u:\b)|n\\?['\u{2019}]t(?-u:\b)|(?-u:\b)(?:in no (?:case|event|way|circumstances?)|under no circumstances?|at no time|by no means)(?-u:\b)",
    )
    .expect("valid regex")
});

/// A cue followed by these negates the wish, not the act: "if you do not
/// wish to receive", "do not want us to sell".
static WISH_AFTER_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s\w'\u{2019}]{0,12}?(?-u:\b)(?:want|wish|like|agree|consent|desire|prefer)(?-u:\b)")
        .expect("valid regex")
});

/// The writer is the subject of the wish: "we (do) not wish to ...".
static WE_BEFORE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)we(?:\s+(?:do|does|did|will|would))?\s*$").expect("valid regex")
});

/// Phrases where the cue word negates nothing: "not only", "whether or not",
/// "not limited to".
static FALSE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:not (?:only|just|limited)|no(?:t)? matter)(?-u:\b)").expect("valid regex")
});

/// How far back from a match a negation cue is looked for. Cues are
/// clause-local; without a bound, a run-on "sentence" (a crawled page with
/// no full stops) made every match rescan everything before it.
const LOOK_BACK: usize = 300;

/// True when the match starting at `match_start` in `sentence` is negated.
pub fn is_negated(sentence: &str, match_start: usize) -> bool {
    let end = match_start.min(sentence.len());
    let mut start = end.saturating_sub(LOOK_BACK);
    while !sentence.is_char_boundary(start) {
        start += 1;
    }
    let prefix = &sentence[start..end];
    let clause_start = CLAUSE_BREAK
        .find_iter(prefix)
        .filter(|m| !is_parenthetical(prefix, m.start(), m.end()))
        .last()
        .map_or(0, |m| m.end());
    let clause = &prefix[clause_start..];
    CUE.find_iter(clause).any(|cue| {
        let cue_text = &clause[cue.start()..];
        if FALSE_CUE.is_match(cue_text) {
            return false;
        }
        if clause[..cue.start()]
            .to_lowercase()
            .trim_end()
            .ends_with("whether or")
        {
            return false;
        }
        // "If you do not wish to receive" is the reader's wish; "we do not
        // wish to collect" is the writer declining, a denial.
        !WISH_AFTER_CUE.is_match(&clause[cue.end()..]) || WE_BEFORE_CUE.is_match(&clause[..cue.start()])
    })
}

/// "However" or "though" set off by commas inside a clause ("we do not,
/// however, knowingly collect") qualifies it rather than starting a new
/// one, so the cue before it still holds.
fn is_parenthetical(text: &str, start: usize, end: usize) -> bool {
    let word = &text[start..end];
    (word.eq_ignore_ascii_case("however") || word.eq_ignore_ascii_case("though"))
        && text[..start].trim_end().ends_with(',')
        && text[end..].trim_start().starts_with(',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negated(sentence: &str, word: &str) -> bool {
        let at = sentence.rfind(word).expect("word in sentence");
        is_negated(sentence, at)
    }

    #[test]
    fn plain_denials() {
        assert!(negated("We do not sell your personal information.", "sell"));
        assert!(negated("We will never sell or rent your data.", "rent"));
        assert!(negated("We don't sell your data.", "sell"));
        assert!(negated("We don\u{2019}t sell your data.", "sell"));
        assert!(negated("In no case will this data be sold.", "sold"));
        assert!(negated("Under no circumstances do we sell data.", "sell"));
        assert!(negated(
            "No personal information is sold to third parties.",
            "sold"
        ));
        assert!(negated(
            "We will not sell, rent, or lease your information.",
            "lease"
        ));
        assert!(negated("We neither sell nor rent your data.", "rent"));
    }

    #[test]
    fn affirmations() {
        assert!(!negated("We may sell your personal information.", "sell"));
        assert!(!negated(
            "We may compile, sell, and otherwise use the data.",
            "sell"
        ));
        assert!(!negated("Not only do we sell data, we rent it.", "rent"));
    }

    #[test]
    fn clause_breaks_end_negation() {
        assert!(!negated("We do not rent your data, but we may sell it.", "sell"));
        assert!(!negated("We do not rent data; we sell it.", "sell"));
        assert!(!negated(
            "We do not sell data except to partners who sell it.",
            "sell it"
        ));
        assert!(!negated("We don't charge fees, and we sell your data.", "sell"));
        // A subordinate clause ends where the main clause's subject starts.
        assert!(!negated(
            "While we do not sell your personal information, we may use advertising services.",
            "use"
        ));
        assert!(!negated(
            "Although we never rent data, our partners sell it.",
            "sell"
        ));
        // A comma before anything else is no clause break.
        assert!(negated("We do not, as a rule, sell data.", "sell"));
        assert!(negated("We do not rent, sell, or lease it.", "lease"));
        // Nor is "however" set off by commas inside the clause.
        assert!(negated(
            "We do not, however, knowingly collect data from children.",
            "collect"
        ));
        assert!(!negated("We do not rent data, however we sell it.", "sell"));
        assert!(!negated("We do not rent data. However, we sell it.", "sell"));
    }

    #[test]
    fn cues_far_back_in_a_run_on_sentence_do_not_count() {
        // 500 bytes between cue and match: beyond the look-back window.
        let s = format!("We do not {}sell data", "word ".repeat(100));
        assert!(!negated(&s, "sell"));
        let s = format!("We do not {}sell data", "word ".repeat(10));
        assert!(negated(&s, "sell"));
        assert!(negated("We do not, as a rule, sell data", "sell"));
    }

    #[test]
    fn the_writer_declining_is_a_denial() {
        assert!(negated(
            "We do not wish to collect personal information from children under 13.",
            "collect"
        ));
        assert!(negated("We don't want to sell your data.", "sell"));
        assert!(!negated("If you do not want us to sell it, tell us.", "sell"));
    }

    #[test]
    fn wishes_are_not_denials() {
        assert!(!negated(
            "If you do not want us to sell your information, click here.",
            "sell"
        ));
        assert!(!negated(
            "If you no longer wish to receive our newsletter, unsubscribe.",
            "receive"
        ));
        assert!(!negated("Whether or not you sell, we track.", "track"));
    }
}
