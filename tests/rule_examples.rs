//! Every built-in rule's `examples` hold: each `flag` snippet, linted alone
//! as plain text (as of the examples' `as_of`, if given), produces that
//! rule's finding; each `pass` snippet does not.

use privlint::document::InputFormat;
use privlint::lint::{AsOf, Linter};
use privlint::pack;
use privlint::selection::Selection;

/// The examples that do not hold, and how many were checked.
fn failing_examples(linter: &Linter) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut checked = 0;
    let all = Selection::all(&linter.packs);
    for rule in &linter.packs.rules {
        let meta = &rule.meta;
        assert!(
            !meta.examples.flag.is_empty() && !meta.examples.pass.is_empty(),
            "{} needs at least one `flag` and one `pass` example",
            meta.id
        );
        let as_of = meta.examples.as_of.map_or(AsOf::Today, AsOf::On);
        for (snippets, should_fire) in [(&meta.examples.flag, true), (&meta.examples.pass, false)] {
            for snippet in snippets {
                let report = linter.lint_bytes_as_of(
                    "example.txt".into(),
                    snippet.as_bytes(),
                    InputFormat::Text,
                    &all,
                    as_of,
                );
                let fired = report.findings.iter().any(|f| f.rule.id == meta.id);
                checked += 1;
                if fired != should_fire {
                    failures.push(format!(
                        "{}: expected {} on: {snippet}",
                        meta.id,
                        if should_fire { "a finding" } else { "no finding" }
                    ));
                }
            }
        }
    }
    (failures, checked)
}

#[test]
fn every_builtin_rule_has_examples_that_hold() {
    let linter = Linter::new(pack::load_every_builtin().expect("built-in packs load"));
    let (failures, checked) = failing_examples(&linter);
    assert!(checked > 30, "only {checked} examples checked");
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_date_rules_fixture_has_examples_that_hold() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let specs = [
        format!("{dir}/ccpa-dates.yaml"),
        format!("{dir}/caloppa-dates.yaml"),
    ];
    let linter = Linter::new(pack::load(&specs).expect("the fixture packs load"));
    let (failures, checked) = failing_examples(&linter);
    assert!(checked >= 10, "only {checked} examples checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
