//! Which language a policy is written in.
//!
//! Rule patterns are written for one language (the built-in packs for
//! English). Run on a Spanish policy they find nothing and report every
//! requirement as missing, which is noise, not a verdict. So a document
//! gets a language only when detection is confident; packs for another
//! language are then not run, and the report says so.

use whatlang::Lang;

/// Each sample window is this long: enough for a confident verdict, little
/// enough to cost nothing next to matching.
const WINDOW_BYTES: usize = 2048;

/// Fewer letters than this in a window and no verdict is given.
const MIN_LETTERS: usize = 200;

/// English function words per word above which a text is taken for
/// English whatever the detector says: policies quote foreign names and
/// addresses, and a false "not English" would silence every rule.
const ENGLISH_FUNCTION_WORD_SHARE: f64 = 0.08;

/// English function words per word at or above which a window is English
/// without asking the detector, which costs a third of the parse time of
/// the bench corpus. Of 15,240 windows sampled a quarter, half and three quarters into
/// each shared policy, 12,174 had this share, and whatlang called none of
/// them anything but English. Any other verdict at over
/// `ENGLISH_FUNCTION_WORD_SHARE` gives no language, which runs the same
/// (English) packs.
const SURELY_ENGLISH_SHARE: f64 = 0.20;

/// The ISO 639-3 code of the language `text` is confidently written in.
///
/// The middle of the text decides English at once (most policies, one
/// window's cost). Any other verdict needs the windows a quarter and three
/// quarters in to agree: a crawled page often opens with navigation or a
/// language menu, which alone can look like anything.
pub fn detect(text: &str) -> Option<&'static str> {
    let verdict = detect_window(window(text, text.len() / 2))?;
    if verdict != Lang::Eng {
        for quarter in [1, 3] {
            if detect_window(window(text, text.len() * quarter / 4))? != verdict {
                return None;
            }
        }
    }
    Some(verdict.code())
}

fn detect_window(sample: &str) -> Option<Lang> {
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let share = english_share(sample);
    if share >= SURELY_ENGLISH_SHARE {
        return Some(Lang::Eng);
    }
    let info = whatlang::detect(sample)?;
    if info.lang() == Lang::Eng {
        return Some(Lang::Eng);
    }
    if !info.is_reliable() || share >= ENGLISH_FUNCTION_WORD_SHARE {
        return None;
    }
    Some(info.lang())
}

/// Up to `WINDOW_BYTES` of `text` centred on `mid`, on char boundaries.
fn window(text: &str, mid: usize) -> &str {
    let mut start = mid.saturating_sub(WINDOW_BYTES / 2);
    let mut end = (start + WINDOW_BYTES).min(text.len());
    start = end.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end.max(start)]
}

/// The English name of a language code, for messages.
pub fn name(code: &str) -> &'static str {
    Lang::from_code(code).map_or("an unknown language", |l| l.eng_name())
}

/// Whether `code` is an ISO 639-3 code the detector knows.
pub fn is_known(code: &str) -> bool {
    Lang::from_code(code).is_some()
}

fn english_share(sample: &str) -> f64 {
    const WORDS: &[&str] = &[
        "the", "and", "of", "to", "we", "you", "your", "our", "is", "are", "in", "for", "with", "that",
        "this",
    ];
    let mut total = 0usize;
    let mut hits = 0usize;
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        total += 1;
        if WORDS.iter().any(|e| w.eq_ignore_ascii_case(e)) {
            hits += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        hits as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "We collect personal information when you create an account, such as your name and e-mail address. We use it to provide the service, and we do not sell it to third parties. You can ask us to delete your information at any time by writing to us.";
    const ES: &str = "Recopilamos información personal cuando usted crea una cuenta, como su nombre y su dirección de correo electrónico. La utilizamos para prestar el servicio y no la vendemos a terceros. Puede pedirnos que eliminemos su información en cualquier momento escribiéndonos.";

    #[test]
    fn english_and_spanish_are_told_apart() {
        assert_eq!(detect(&EN.repeat(8)), Some("eng"));
        assert_eq!(detect(&ES.repeat(8)), Some("spa"));
    }

    #[test]
    fn a_foreign_menu_before_an_english_policy_is_not_enough() {
        let text = format!("{} {}", ES.repeat(3), EN.repeat(12));
        assert_ne!(detect(&text), Some("spa"));
    }

    #[test]
    fn short_text_gets_no_verdict() {
        assert_eq!(detect("Política de privacidad"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn english_with_foreign_names_stays_english_or_unknown() {
        let text = format!("{EN} Nuestra dirección: Calle Mayor 12, Madrid, España. {EN}");
        assert_ne!(detect(&text), Some("spa"));
    }

    #[test]
    fn english_function_words_decide_english_before_the_detector() {
        // German nouns strung together by English function words: the
        // detector hears German; a fifth of the words say English.
        let text = "Die Datenschutzerklärung and the Verarbeitung of the Daten in the Bundesrepublik with the Nutzer and the Einwilligung of the Betroffenen for the Zwecke of the Verarbeitung. ".repeat(12);
        assert_ne!(whatlang::detect(&text).map(|i| i.lang()), Some(Lang::Eng));
        assert_eq!(detect(&text), Some("eng"));
    }

    #[test]
    fn sample_is_cut_on_a_char_boundary() {
        let text = format!("{}{}", "é".repeat(WINDOW_BYTES), ES);
        for mid in 0..text.len() {
            let _ = window(&text, mid);
        }
        let _ = detect(&text);
    }
}
