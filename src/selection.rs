//! Which rules run on a file, and at what severity: the packs' defaults
//! after configuration (`config`) has had its say for that file's path.

use crate::pack::CompiledPacks;
use crate::rule::Severity;

/// One entry per rule of a [`CompiledPacks`], in the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `None`: the rule is off.
    severities: Vec<Option<Severity>>,
}

impl Selection {
    /// Every rule on, at its pack's severity.
    pub fn all(packs: &CompiledPacks) -> Self {
        Selection {
            severities: packs.rules.iter().map(|r| Some(r.severity)).collect(),
        }
    }

    pub fn from_severities(severities: Vec<Option<Severity>>) -> Self {
        Selection { severities }
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
