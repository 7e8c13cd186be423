//! Every built-in rule's `examples` hold: each `flag` snippet, linted alone
//! as plain text, produces that rule's finding; each `pass` snippet does not.

use privlint::document::InputFormat;
use privlint::lint::Linter;
use privlint::pack;

#[test]
fn every_builtin_rule_has_examples_that_hold() {
    let linter = Linter::new(pack::load_every_builtin().expect("built-in packs load"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &linter.packs.rules {
        let meta = &rule.meta;
        assert!(
            !meta.examples.flag.is_empty() && !meta.examples.pass.is_empty(),
            "{} needs at least one `flag` and one `pass` example",
            meta.id
        );
        for (snippets, should_fire) in [(&meta.examples.flag, true), (&meta.examples.pass, false)] {
            for snippet in snippets {
                let report = linter.lint_bytes("example.txt".into(), snippet.as_bytes(), InputFormat::Text);
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
    assert!(checked > 30, "only {checked} examples checked");
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
