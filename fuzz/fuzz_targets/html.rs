//! Arbitrary bytes as a Html policy through the public pipeline (decode,
//! parse, evaluate with the built-in packs, map spans), checking the same
//! span invariants as `tests/properties.rs`, not only that nothing panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privlint::document::InputFormat;

#[path = "../../tests/support/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    invariants::check(data, InputFormat::Html);
});
