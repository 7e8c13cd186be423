//! Location-independent identities for findings, shared by the baseline
//! and SARIF `partialFingerprints`.
//!
//! A fingerprint hashes the rule id, the matched text normalised (lower
//! case, whitespace collapsed) and the heading path of the section holding
//! the match. Line numbers are left out on purpose: editing text above a
//! known finding must not make it new. A finding about something missing
//! from the whole policy hashes the rule id alone.

/// The version prefix lets a future change of recipe tell old baselines
/// apart instead of silently failing to match them.
const VERSION: &str = "v1";

/// Computes a finding's fingerprint.
pub fn fingerprint(rule: &str, matched: Option<&str>, heading_path: &[&str]) -> String {
    let mut h = Fnv64::new();
    h.write(rule.as_bytes());
    if let Some(text) = matched {
        h.write(&[0]);
        h.write(normalise(text).as_bytes());
        for title in heading_path {
            h.write(&[0]);
            h.write(normalise(title).as_bytes());
        }
    }
    format!("{VERSION}:{:016x}", h.0)
}

/// Lower case with every run of whitespace one space, trimmed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// FNV-1a, 64 bits: stable across platforms and releases, which
/// `std::hash` does not promise.
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_case_and_whitespace_but_not_words_or_sections() {
        let a = fingerprint("r/x", Some("We  may\nSell"), &["Privacy", "Sharing"]);
        assert_eq!(
            a,
            fingerprint("r/x", Some("we may sell"), &["privacy", "sharing"])
        );
        assert_ne!(
            a,
            fingerprint("r/x", Some("we may rent"), &["Privacy", "Sharing"])
        );
        assert_ne!(a, fingerprint("r/x", Some("we may sell"), &["Privacy"]));
        assert_ne!(
            a,
            fingerprint("r/y", Some("we may sell"), &["Privacy", "Sharing"])
        );
        // Section titles are separated, so words cannot move between them.
        assert_ne!(
            fingerprint("r", Some("t"), &["a b", "c"]),
            fingerprint("r", Some("t"), &["a", "b c"])
        );
    }

    #[test]
    fn hash_is_fnv1a_64() {
        // Published FNV-1a test vectors: a baseline written by one release
        // must match in the next, so the hash may never drift.
        for (input, want) in [
            ("", 0xcbf2_9ce4_8422_2325_u64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x85944171f73967e8),
        ] {
            let mut h = Fnv64::new();
            h.write(input.as_bytes());
            assert_eq!(h.0, want, "{input:?}");
        }
    }
}
