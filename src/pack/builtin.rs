//! The packs shipped inside the binary, from `rules/`.

const BUILTIN: &[(&str, &str)] = &[
    ("coppa", include_str!("../../rules/coppa.yaml")),
    ("opt-out", include_str!("../../rules/opt-out.yaml")),
    (
        "third-party-sale",
        include_str!("../../rules/third-party-sale.yaml"),
    ),
    ("retention", include_str!("../../rules/retention.yaml")),
    ("safe-harbor", include_str!("../../rules/safe-harbor.yaml")),
];

/// Names of the built-in packs, in the order they run.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// The YAML of a built-in pack.
pub fn builtin_source(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, src)| *src)
}
