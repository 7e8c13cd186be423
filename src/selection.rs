//! Which rules run on a file, and at what severity: the packs' defaults
//! after configuration (`config`) has had its say for that file's path.

use crate::pack::CompiledPacks;
use crate::rule::Severity;
use crate::suppress;

/// One entry per rule of a [`CompiledPacks`], in the same order, and one
/// per privlint rule of its own (`privlint/unused-suppression`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `None`: the rule is off.
    severities: Vec<Option<Severity>>,
    own: Vec<(String, Option<Severity>)>,
}

impl Selection {
    /// Every rule on, at its pack's severity.
    pub fn all(packs: &CompiledPacks) -> Self {
        Self::from_severities(packs.rules.iter().map(|r| Some(r.severity)).collect())
    }

    /// Pack rules as given; privlint's own rules at their defaults.
    pub fn from_severities(severities: Vec<Option<Severity>>) -> Self {
        let own = suppress::builtin_rules()
            .iter()
            .map(|r| (r.id.clone(), Some(r.severity)))
            .collect();
        Selection { severities, own }
    }

    /// Sets the severity of one of privlint's own rules.
    pub fn set_own(&mut self, id: &str, severity: Option<Severity>) {
        if let Some(entry) = self.own.iter_mut().find(|(i, _)| i == id) {
            entry.1 = severity;
        }
    }

    /// The severity of one of privlint's own rules, `None` when off.
    pub fn own(&self, id: &str) -> Option<Severity> {
        self.own.iter().find(|(i, _)| i == id).and_then(|(_, s)| *s)
    }

    /// The severity of rule `index`, or `None` when it is off.
    pub fn severity(&self, index: usize) -> Option<Severity> {
        self.severities.get(index).copied().flatten()
    }

    pub fn is_on(&self, index: usize) -> bool {
        self.severity(index).is_some()
    }

    pub fn severities(&self) -> &[Option<Severity>] {
        &self.severities
    }
}
