//! Loaded packs compiled for evaluation.
//!
//! All patterns of all active rules go into one table, shared between rules
//! when identical, so each is searched at most once per document.

use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use super::schema::{KindName, PackDef, PatternDef, Polarity, RuleDef};
use crate::rule::{RuleMeta, Scope, Severity};

/// Compiled-program limits. A hostile pack cannot make privlint allocate
/// more than this per regex; the regex crate never backtracks, so matching
/// stays linear in the text.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const DFA_SIZE_LIMIT: usize = 2 << 20;

/// Checks that a regex compiles within the limits.
pub fn check_regex(re: &str) -> Result<(), String> {
    build_regex(re).map(|_| ()).map_err(|e| match e {
        regex::Error::CompiledTooBig(limit) => {
            format!("the pattern compiles to more than {limit} bytes; simplify it")
        }
        other => other.to_string(),
    })
}

fn build_regex(re: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(re)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
}

/// A pattern used by a rule, with the polarity the rule asks of it.
#[derive(Debug, Clone, Copy)]
pub struct PatRef {
    /// Index into [`CompiledPacks::patterns`].
    pub id: usize,
    pub polarity: Polarity,
    /// Only for `unless` patterns: the scope to look in, if not the rule's.
    pub scope: Option<Scope>,
}

#[derive(Debug)]
pub enum Check {
    Forbid {
        patterns: Vec<PatRef>,
    },
    Require {
        patterns: Vec<PatRef>,
        section: Option<Regex>,
    },
    Conditional {
        when: Vec<PatRef>,
        require: Vec<PatRef>,
    },
    Contradiction {
        affirm: Vec<PatRef>,
        deny: Vec<PatRef>,
    },
}

#[derive(Debug)]
pub struct CompiledRule {
    pub meta: Arc<RuleMeta>,
    /// Severity after configuration; `None` means the rule is off.
    pub severity: Severity,
    pub label: Option<String>,
    pub check: Check,
    pub unless: Vec<PatRef>,
}

/// Every active rule, ready to evaluate.
#[derive(Debug)]
pub struct CompiledPacks {
    pub rules: Vec<CompiledRule>,
    pub patterns: Vec<Regex>,
    /// The source of each pattern as its author wrote it.
    pub pattern_sources: Vec<String>,
    /// Pack ids with titles, in load order.
    pub packs: Vec<(String, String)>,
}

impl CompiledPacks {
    /// Compiles validated packs. Patterns are shared between rules when the
    /// regex is identical.
    pub fn compile(packs: Vec<PackDef>) -> Result<Self, String> {
        let mut table = PatternTable::default();
        let mut rules = Vec::new();
        let mut pack_list = Vec::new();
        for pack in packs {
            pack_list.push((pack.pack.clone(), pack.title.clone()));
            for def in pack.rules {
                rules.push(compile_rule(&pack.pack, &pack.language, def, &mut table)?);
            }
        }
        let patterns = table
            .regexes
            .iter()
            .map(|r| build_regex(r).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        Ok(CompiledPacks {
            rules,
            patterns,
            pattern_sources: table.written,
            packs: pack_list,
        })
    }
}

#[derive(Default)]
struct PatternTable {
    regexes: Vec<String>,
    written: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl PatternTable {
    fn add(&mut self, defs: Vec<PatternDef>) -> Vec<PatRef> {
        defs.into_iter()
            .map(|p| {
                let id = *self.index.entry(p.regex.clone()).or_insert_with(|| {
                    self.regexes.push(p.regex.clone());
                    self.written.push(p.written.clone());
                    self.regexes.len() - 1
                });
                PatRef {
                    id,
                    polarity: p.polarity,
                    scope: p.scope,
                }
            })
            .collect()
    }
}

fn compile_rule(
    pack: &str,
    language: &str,
    def: RuleDef,
    table: &mut PatternTable,
) -> Result<CompiledRule, String> {
    let section = def
        .section
        .as_ref()
        .map(|s| build_regex(&s.0).map_err(|e| e.to_string()))
        .transpose()?;
    let check = match def.kind {
        KindName::Forbid => Check::Forbid {
            patterns: table.add(def.patterns),
        },
        KindName::Require => Check::Require {
            patterns: table.add(def.patterns),
            section,
        },
        KindName::Conditional => Check::Conditional {
            when: table.add(def.when),
            require: table.add(def.require),
        },
        KindName::Contradiction => Check::Contradiction {
            affirm: table.add(def.affirm),
            deny: table.add(def.deny),
        },
    };
    let meta = RuleMeta {
        id: def.id,
        pack: pack.to_owned(),
        // Folded YAML scalars (`>`) end in a newline; it is not part of the text.
        title: def.title.trim().to_owned(),
        kind: def.kind.into(),
        severity: def.severity,
        scope: def.scope,
        language: language.to_owned(),
        message: def.message.trim().to_owned(),
        help: def.help.trim().to_owned(),
        citations: def.citations,
        url: def.url,
        examples: def.examples,
    };
    Ok(CompiledRule {
        severity: meta.severity,
        meta: Arc::new(meta),
        label: def.label,
        check,
        unless: table.add(def.unless),
    })
}
