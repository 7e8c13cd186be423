//! Inputs the fuzz targets (`fuzz/`) stopped on, kept so that plain
//! `cargo test` runs them: each file in `tests/fixtures/fuzz/` is linted in
//! the format its extension names and checked against the same
//! invariants as the fuzzer and the property tests.
//!
//! - `nbsp-in-collapsed-space.html`: the `html` target, first run. A space
//!   standing for `&nbsp; ` (a whitespace reference merged with the
//!   whitespace after it) failed the check, which allowed only literal
//!   whitespace there; privlint's span was right, the check was fixed.

use std::path::Path;

use privlint::document::InputFormat;

#[path = "support/invariants.rs"]
mod invariants;

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let format = InputFormat::from_path(&path).unwrap_or(InputFormat::Text);
        invariants::check(&std::fs::read(&path).unwrap(), format);
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}
