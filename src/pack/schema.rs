//! The YAML shape of a rule pack (see `docs/rule-format.md`).
//!
//! Validation that can be done while deserializing is done here, so that
//! serde_yaml attaches the offending line and column to the error: unknown
//! keys, wrong types, invalid regexes, rule ids outside their pack.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

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
}

impl From<KindName> for RuleKind {
    fn from(k: KindName) -> Self {
        match k {
            KindName::Forbid => RuleKind::Forbid,
            KindName::Require => RuleKind::Require,
            KindName::Conditional => RuleKind::Conditional,
            KindName::Contradiction => RuleKind::Contradiction,
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
        super::compile::check_regex(&regex).map_err(de::Error::custom)?;
        Ok(RegexText(regex))
    }
}

fn build_pattern(
    regex: Option<String>,
    phrase: Option<String>,
    polarity: Polarity,
    case_sensitive: bool,
    scope: Option<Scope>,
) -> Result<PatternDef, String> {
    let (body, written) = match (regex, phrase) {
        (Some(r), None) => (ascii_word_boundaries(&r), r),
        (None, Some(p)) => (phrase_regex(&p)?, p),
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
    super::compile::check_regex(&regex).map_err(|e| format!("invalid regex `{written}`: {e}"))?;
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
