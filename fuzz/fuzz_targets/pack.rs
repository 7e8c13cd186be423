//! Arbitrary text as a rule pack: loading returns `Ok` or `Err`, never
//! panics. A pack that loads is also compiled, every pattern built (the
//! matchers are otherwise built lazily, on first use, where a pattern that
//! passed the load-time check but failed to build would panic), and run
//! over a short policy.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privlint::document::InputFormat;
use privlint::lint::Linter;
use privlint::pack::CompiledPacks;

const POLICY: &str =
    "# Privacy\n\nWe may sell your personal information. We do not sell data.\n\n- Children under 13\n";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(def) = privlint::pack::parse_pack("fuzz.yaml", source) else {
        return;
    };
    let Ok(packs) = CompiledPacks::compile(vec![def]) else {
        return;
    };
    packs.patterns.build_all();
    let linter = Linter::new(packs);
    for format in [InputFormat::Markdown, InputFormat::Text] {
        linter.lint_bytes("p.md".into(), POLICY.as_bytes(), format);
    }
});
