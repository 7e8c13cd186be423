//! What a rule *is* to everyone downstream of the pack loader: its id,
//! severity, words and citations. The patterns live in `pack::compile`.

use serde::{Deserialize, Serialize};

use crate::policy_date::CivilDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so `{:<8}` lines up columns.
        f.pad(self.as_str())
    }
}

/// A legal source a rule encodes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The instrument, e.g. "COPPA Rule".
    pub law: String,
    /// The provision, e.g. "16 CFR 312.4(d)".
    pub section: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, {}", self.law, self.section)?;
        if let Some(url) = &self.url {
            write!(f, " <{url}>")?;
        }
        Ok(())
    }
}

/// How far a rule looks around a match: for `unless` exclusions, for the
/// `require` half of a `conditional`, and for what counts as one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The matched text itself: an `unless` match must overlap it.
    Match,
    Sentence,
    Paragraph,
    Section,
    Document,
    /// The block, the lead-in that introduces it when it is a list item
    /// ("If you are in the EEA, you have the following rights:"), and the
    /// titles of the headings above it: where a list's audience is named.
    Context,
}

/// The five kinds of pack rule (see `docs/rule-format.md`), and privlint's
/// own checks of the directives in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    Forbid,
    Require,
    Conditional,
    Contradiction,
    /// The policy's own date: present, and not too old (`policy_date`).
    Dated,
    /// A `privlint/*` rule about an inline directive (see
    /// `docs/suppressions.md`); no pack can declare one.
    Directive,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Forbid => "forbid",
            RuleKind::Require => "require",
            RuleKind::Conditional => "conditional",
            RuleKind::Contradiction => "contradiction",
            RuleKind::Dated => "dated",
            RuleKind::Directive => "directive",
        }
    }
}

/// Snippets that document and test a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Each is linted alone as plain text and must produce this rule's finding.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Each is linted alone as plain text and must not.
    #[serde(default)]
    pub pass: Vec<String>,
    /// The day the snippets are linted as of, for rules that depend on
    /// it (a `dated` rule's "updated last month" would not stay so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<CivilDate>,
}

/// A rule's public description, shared by findings and renderers.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub pack: String,
    pub title: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub scope: Scope,
    /// ISO 639-3 code of the language the rule's patterns are written for.
    pub language: String,
    pub message: String,
    pub help: String,
    pub citations: Vec<Citation>,
    /// A page documenting the rule; built-in rules link to `docs/rules/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub examples: Examples,
    /// The as-of dates the rule applies on, both ends inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<CivilDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<CivilDate>,
}

impl RuleMeta {
    /// Whether the rule applies to a policy judged as of `as_of`.
    pub fn applies_on(&self, as_of: CivilDate) -> bool {
        self.valid_from.is_none_or(|from| as_of >= from)
            && self.valid_until.is_none_or(|until| as_of <= until)
    }
}
