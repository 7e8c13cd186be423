//! The packs shipped inside the binary, from `rules/`.
//!
//! The five packs of the brief run by default. The packs for particular
//! laws (CalOPPA, CCPA, GDPR, the US state laws) apply only to some
//! organisations, so they are shipped but run only when named in
//! `--packs` or a configuration's `packs:`.

struct Builtin {
    name: &'static str,
    source: &'static str,
    /// Runs when no pack is named.
    default: bool,
}

const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "coppa",
        source: include_str!("../../rules/coppa.yaml"),
        default: true,
    },
    Builtin {
        name: "opt-out",
        source: include_str!("../../rules/opt-out.yaml"),
        default: true,
    },
    Builtin {
        name: "third-party-sale",
        source: include_str!("../../rules/third-party-sale.yaml"),
        default: true,
    },
    Builtin {
        name: "retention",
        source: include_str!("../../rules/retention.yaml"),
        default: true,
    },
    Builtin {
        name: "safe-harbor",
        source: include_str!("../../rules/safe-harbor.yaml"),
        default: true,
    },
    Builtin {
        name: "gdpr",
        source: include_str!("../../rules/gdpr.yaml"),
        default: false,
    },
];

/// Names of every built-in pack, default and opt-in, in the order they run.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|b| b.name)
}

/// Names of the built-in packs that run when no pack is named.
pub fn default_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().filter(|b| b.default).map(|b| b.name)
}

/// Whether a built-in pack runs only when named.
pub fn is_opt_in(name: &str) -> bool {
    BUILTIN.iter().any(|b| b.name == name && !b.default)
}

/// The YAML of a built-in pack.
pub fn builtin_source(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|b| b.name == name).map(|b| b.source)
}
