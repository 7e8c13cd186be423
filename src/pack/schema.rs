//! The YAML shape of a rule pack (see `docs/rule-format.md`).
//!
//! Validation that can be done while deserializing is done here, so that
//! serde_yaml attaches the offending line and column to the error: unknown
//! keys, wrong types, invalid regexes, rule ids outside their pack.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::policy_date::CivilDate;
use crate::rule::{Citation, Examples, RuleKind, Scope, Severity};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackDef {
    pub pack: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "scalar_string")]
    pub version: String,
    /// ISO 639-3 code of the language the patterns are written for.
    #[serde(default = "default_language", deserialize_with = "language_code")]
    pub language: String,
    pub rules: Vec<RuleDef>,
    /// The file it was read from, as shown in messages.
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub kind: KindName,
    pub severity: Severity,
    #[serde(default = "default_scope")]
    pub scope: Scope,
    pub message: String,
    pub help: String,
    pub citations: Vec<Citation>,
    /// A page documenting the rule, linked from its diagnostics.
    #[serde(default)]
    pub url: Option<String>,
    /// Text for the primary label of a finding.
    #[serde(default)]
    pub label: Option<String>,
    /// `forbid` and `require`.
    #[serde(default)]
    pub patterns: Vec<PatternDef>,
    /// Matches in the same scope as one of these do not count.
    #[serde(default)]
    pub unless: Vec<PatternDef>,
    /// `require`: only matches in sections whose heading path matches count.
    #[serde(default)]
    pub section: Option<RegexText>,
    /// `conditional`: the trigger.
    #[serde(default)]
    pub when: Vec<PatternDef>,
    /// `conditional`: what the trigger requires.
    #[serde(default)]
    pub require: Vec<PatternDef>,
    /// `contradiction`.
    #[serde(default)]
    pub affirm: Vec<PatternDef>,
    #[serde(default)]
    pub deny: Vec<PatternDef>,
    #[serde(default)]
    pub examples: Examples,
    /// The first as-of date the rule applies on (inclusive).
    #[serde(default, deserialize_with = "valid_from")]
    pub valid_from: Option<CivilDate>,
    /// The last as-of date the rule applies on (inclusive).
    #[serde(default, deserialize_with = "valid_until")]
    pub valid_until: Option<CivilDate>,
    /// `dated`: how old the policy's date may be, in months before the
    /// as-of date; without it, only an undated policy is a finding.
    #[serde(default)]
    pub max_age_months: Option<u32>,
}

impl RuleDef {
    /// Every pattern the rule lists, under whichever key.
    pub fn all_patterns(&self) -> impl Iterator<Item = &PatternDef> {
        let lists = [
            &self.patterns,
            &self.unless,
            &self.when,
            &self.require,
            &self.affirm,
            &self.deny,
        ];
        lists.into_iter().flatten()
    }
}

/// A date key's value that is not a date, for the report: serde points at
/// the rule, and this says which key and value to point at instead.
#[derive(Debug)]
pub(super) struct DateFault {
    pub key: &'static str,
    pub written: String,
}

thread_local! {
    static DATE_FAULT: std::cell::RefCell<Option<DateFault>> = const { std::cell::RefCell::new(None) };
}

pub(super) fn take_date_fault() -> Option<DateFault> {
    DATE_FAULT.with(|f| f.borrow_mut().take())
}

fn window_date<'de, D: Deserializer<'de>>(d: D, key: &'static str) -> Result<Option<CivilDate>, D::Error> {
    // An unquoted 2020-07-16 is a YAML string: what we want.
    let written = String::deserialize(d)?;
    CivilDate::parse_iso(&written).map(Some).map_err(|e| {
        DATE_FAULT.with(|f| *f.borrow_mut() = Some(DateFault { key, written }));
        de::Error::custom(format!("`{key}`: {e}"))
    })
}

fn valid_from<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CivilDate>, D::Error> {
    window_date(d, "valid_from")
}

fn valid_until<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CivilDate>, D::Error> {
    window_date(d, "valid_until")
}

fn default_language() -> String {
    "eng".to_owned()
}

fn language_code<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let code = String::deserialize(d)?;
    if crate::language::is_known(&code) {
        Ok(code)
    } else {
        Err(de::Error::custom(format!(
            "unknown language `{code}`: use an ISO 639-3 code such as `eng`, `spa`, `fra` or `deu`"
        )))
    }
}

fn default_scope() -> Scope {
    Scope::Sentence
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    Forbid,
    Require,
    Conditional,
    Contradiction,
    Dated,
}

impl From<KindName> for RuleKind {
    fn from(k: KindName) -> Self {
        match k {
            KindName::Forbid => RuleKind::Forbid,
            KindName::Require => RuleKind::Require,
            KindName::Conditional => RuleKind::Conditional,
            KindName::Contradiction => RuleKind::Contradiction,
            KindName::Dated => RuleKind::Dated,
        }
    }
}

/// Whether a match must be affirmed, denied, or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    #[default]
    Any,
    Affirmative,
    Negated,
}

/// One pattern: a bare string is a regex; a map gives `regex` or `phrase`
/// and options.
#[derive(Debug, Clone)]
pub struct PatternDef {
    /// The regex source as the engine will compile it.
    pub regex: String,
    /// What the author wrote, for error messages and `privlint rules`.
    pub written: String,
    pub polarity: Polarity,
    /// For `unless` patterns: where to look, if not the rule's scope.
    pub scope: Option<Scope>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternMap {
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    phrase: Option<String>,
    #[serde(default)]
    polarity: Polarity,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    scope: Option<Scope>,
}

impl<'de> Deserialize<'de> for PatternDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PatternDef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a regex string, or a map with `regex` or `phrase`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PatternDef, E> {
                build_pattern(Some(s.to_owned()), None, Polarity::Any, false, None).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PatternDef, A::Error> {
                let m = PatternMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                build_pattern(m.regex, m.phrase, m.polarity, m.case_sensitive, m.scope)
                    .map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A regex given as a plain string (section headings), validated on load.
#[derive(Debug, Clone)]
pub struct RegexText(pub String);

impl<'de> Deserialize<'de> for RegexText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let regex = format!("(?i){}", ascii_word_boundaries(&s));
        check_pattern(&regex, &s, "section", true).map_err(de::Error::custom)?;
        Ok(RegexText(regex))
    }
}

/// A pattern that failed to compile, for the report: serde's errors carry
/// only a message, so this says where in the pattern the fault is.
#[derive(Debug)]
pub(super) struct RegexFault {
    /// The pattern as written in the YAML.
    pub written: String,
    /// The key it sits under, when it is given in a map.
    pub key: &'static str,
    /// The offending bytes of `written`, when the regex parser names them.
    pub at: Option<std::ops::Range<usize>>,
    /// What is wrong there ("unclosed group").
    pub label: String,
    pub help: String,
}

thread_local! {
    static REGEX_FAULT: std::cell::RefCell<Option<RegexFault>> = const { std::cell::RefCell::new(None) };
}

/// The fault behind the last pattern error on this thread, if any.
pub(super) fn take_regex_fault() -> Option<RegexFault> {
    REGEX_FAULT.with(|f| f.borrow_mut().take())
}

/// Checks `regex` (compiled from `written`), and on failure records where
/// in `written` the fault is. Positions come from parsing `written` itself
/// with the same case flag: the compiled form has a `(?i)` prefix and
/// rewritten `\b`s, whose offsets are not the author's.
fn check_pattern(
    regex: &str,
    written: &str,
    key: &'static str,
    case_insensitive: bool,
) -> Result<(), String> {
    let Err(problem) = super::compile::check_regex(regex) else {
        return Ok(());
    };
    // Phrases are escaped, so they cannot be malformed; an overlong pattern
    // is refused for its length, and is not worth parsing again.
    let located = (key != "phrase" && regex.len() <= super::compile::MAX_PATTERN_LEN)
        .then(|| {
            let err = regex_syntax::ParserBuilder::new()
                .case_insensitive(case_insensitive)
                .build()
                .parse(written)
                .err()?;
            match &err {
                regex_syntax::Error::Parse(e) => {
                    Some((e.span().start.offset..e.span().end.offset, e.kind().to_string()))
                }
                regex_syntax::Error::Translate(e) => {
                    Some((e.span().start.offset..e.span().end.offset, e.kind().to_string()))
                }
                _ => None,
            }
        })
        .flatten();
    let shown = shorten(written);
    let (message, at, label) = match located {
        Some((at, kind)) => (format!("invalid regex `{shown}`: {kind}"), Some(at), kind),
        None => (
            format!("invalid regex `{shown}`: {problem}"),
            None,
            "this pattern".to_owned(),
        ),
    };
    let help = if at.is_some() {
        "fix the regex here (syntax: https://docs.rs/regex/latest/regex/#syntax); for literal words, use `phrase:`"
    } else if problem.contains("bytes long") {
        "split the pattern into several shorter ones: a rule may list many"
    } else if problem.contains("compiles to more than") {
        "lower the repetition counts (`{1000}` copies what it repeats 1000 times), or use `+`/`*` or `[^.]{0,80}`"
    } else {
        "fix the regex (syntax: https://docs.rs/regex/latest/regex/#syntax)"
    }
    .to_owned();
    REGEX_FAULT.with(|f| {
        *f.borrow_mut() = Some(RegexFault {
            written: written.to_owned(),
            key,
            at,
            label,
            help,
        })
    });
    Err(message)
}

/// A pattern for a message: a hostile one may be a megabyte long.
fn shorten(pattern: &str) -> String {
    const SHOWN: usize = 60;
    match pattern.char_indices().nth(SHOWN) {
        Some((i, _)) => format!("{}…", &pattern[..i]),
        None => pattern.to_owned(),
    }
}

fn build_pattern(
    regex: Option<String>,
    phrase: Option<String>,
    polarity: Polarity,
    case_sensitive: bool,
    scope: Option<Scope>,
) -> Result<PatternDef, String> {
    let (body, written, key) = match (regex, phrase) {
        (Some(r), None) => (ascii_word_boundaries(&r), r, "regex"),
        (None, Some(p)) => (phrase_regex(&p)?, p, "phrase"),
        (Some(_), Some(_)) => return Err("a pattern has either `regex` or `phrase`, not both".into()),
        (None, None) => return Err("a pattern needs `regex` or `phrase`".into()),
    };
    if written.trim().is_empty() {
        return Err("empty pattern".into());
    }
    let regex = if case_sensitive {
        body
    } else {
        format!("(?i){body}")
    };
    check_pattern(&regex, &written, key, !case_sensitive)?;
    Ok(PatternDef {
        regex,
        written,
        polarity,
        scope,
    })
}

/// Rewrites `\b` and `\B` to their ASCII forms. Unicode word boundaries make
/// the regex crate's lazy DFA give up on any non-ASCII text, which crawled
/// policies nearly always contain, and policy words are ASCII anyway.
pub fn ascii_word_boundaries(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A literal phrase as a regex: words separated by any whitespace, straight
/// and curly apostrophes alike, whole words only.
fn phrase_regex(phrase: &str) -> Result<String, String> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return Err("empty phrase".into());
    }
    let body = words
        .iter()
        .map(|w| regex::escape(w).replace(['\'', '\u{2019}'], "['\u{2019}]"))
        .collect::<Vec<_>>()
        .join(r"\s+");
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let lead = if word_char(phrase.trim().chars().next()) {
        r"(?-u:\b)"
    } else {
        ""
    };
    let trail = if word_char(phrase.trim().chars().last()) {
        r"(?-u:\b)"
    } else {
        ""
    };
    Ok(format!("{lead}{body}{trail}"))
}

/// Accepts `version: 1`, `version: 1.2` and `version: "1.2.0"` alike.
fn scalar_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_yaml::Value::deserialize(d)? {
        serde_yaml::Value::String(s) => Ok(s),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        other => Err(de::Error::custom(format!(
            "expected a version string or number, found {}",
            match other {
                serde_yaml::Value::Null => "nothing",
                serde_yaml::Value::Bool(_) => "a boolean",
                serde_yaml::Value::Sequence(_) => "a list",
                serde_yaml::Value::Mapping(_) => "a map",
                _ => "another value",
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_word_boundaries(r"\bsell\b"), r"(?-u:\b)sell(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b\.c\B"), r"a\\b\.c(?-u:\B)");
    }

    #[test]
    fn phrases_are_whole_words_with_flexible_space() {
        let re = regex::Regex::new(&format!("(?i){}", phrase_regex("don't  sell").unwrap())).unwrap();
        assert!(re.is_match("We DON\u{2019}T\n sell."));
        assert!(!re.is_match("we don't sellers"));
    }
}
