//! The self-documenting subcommands: `explain`, `completions`, `man`, and
//! the rule link on each diagnostic.

use predicates::prelude::*;
use serde_json::Value;

#[path = "support/common.rs"]
mod common;
use common::privlint;

fn stdout_of(args: &[&str]) -> String {
    let out = privlint().args(args).assert().code(0).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn explain_prints_citations_examples_and_suppressions() {
    let out = stdout_of(&["explain", "coppa/under-13-statement"]);
    for needle in [
        "# coppa/under-13-statement\n",
        "**No statement about children under 13**",
        "| default severity | `warning` |",
        "The policy says nothing about children under 13.",
        "- COPPA Rule, 16 CFR 312.3 (scope): <https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312/section-312.3>",
        "We collect your name and email address to send you our newsletter.",
        "We do not knowingly collect personal information from children under 13.",
        "<!-- privlint-disable-next-block coppa/under-13-statement -- reason -->",
        "rules:\n  coppa/under-13-statement: off",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn explain_prints_the_committed_page() {
    let out = stdout_of(&["explain", "safe-harbor/privacy-shield"]);
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules/safe-harbor/privacy-shield.md"),
    )
    .unwrap();
    assert_eq!(out, page);
}

#[test]
fn explain_json_is_the_rule_meta() {
    let out = stdout_of(&["explain", "--format", "json", "retention/period"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "retention/period");
    assert_eq!(v["kind"], "conditional");
    assert!(v["citations"].as_array().is_some_and(|c| !c.is_empty()), "{v}");
    assert!(
        v["examples"]["flag"].as_array().is_some_and(|c| !c.is_empty()),
        "{v}"
    );
    assert!(
        v["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/docs/rules/retention/period.md")),
        "{v}"
    );
}

#[test]
fn explain_unknown_rule_exits_two_with_suggestions() {
    privlint()
        .args(["explain", "coppa/under-13-statment"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("no rule `coppa/under-13-statment`").and(predicate::str::contains(
                "did you mean `coppa/under-13-statement`",
            )),
        );
    // The name part alone finds its rule too.
    privlint()
        .args(["explain", "do-not-sell"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`third-party-sale/do-not-sell-link`"));
    privlint().args(["explain", "zzzz"]).assert().code(2).stderr(
        predicate::str::contains("no rule `zzzz`").and(predicate::str::contains("did you mean").not()),
    );
}

#[test]
fn explain_a_pack_lists_its_rules() {
    let out = stdout_of(&["explain", "retention"]);
    assert!(
        out.contains("retention/stated") && out.contains("retention/period"),
        "{out}"
    );
    assert!(!out.contains("coppa/"), "{out}");
}

#[test]
fn explain_a_custom_pack_rule() {
    let out = stdout_of(&[
        "explain",
        "--packs",
        "tests/fixtures/house-pack.yaml",
        "house/no-forever",
    ]);
    assert!(
        out.contains("# house/no-forever\n") && out.contains("We keep it forever."),
        "{out}"
    );
    assert!(out.contains("- House policy, 1\n"), "{out}");
}

#[test]
fn completions_cover_subcommands_and_options() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(bash.contains("check") && bash.contains("--format"), "{bash}");
    assert!(bash.contains("explain"), "{bash}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = stdout_of(&["completions", shell]);
        assert!(out.contains("fail-on"), "{shell}:\n{out}");
    }
    privlint().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff() {
    let man = stdout_of(&["man"]);
    // clap_mangen starts with roff's apostrophe string definition, then `.TH`.
    let first_macro = man
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first_macro.starts_with(".TH privlint 1"), "{man}");
    assert!(
        man.contains(".SH SUBCOMMANDS") && man.contains("privlint\\-check(1)"),
        "{man}"
    );
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    privlint().args(["man", "--dir"]).arg(dir.path()).assert().code(0);
    for page in ["privlint.1", "privlint-check.1", "privlint-explain.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap_or_default();
        assert!(text.contains(".TH"), "{page}: {text}");
    }
    let check = std::fs::read_to_string(dir.path().join("privlint-check.1")).unwrap();
    assert!(check.contains("\\-\\-fail\\-on"), "{check}");
    // Every page the printed page refers to is one `--dir` wrote.
    let main = stdout_of(&["man"]);
    let refs: Vec<_> = main
        .lines()
        .filter_map(|l| l.strip_suffix("(1)"))
        .map(|name| format!("{}.1", name.replace("\\-", "-")))
        .collect();
    assert!(refs.len() >= 6, "{refs:?}");
    for page in refs {
        assert!(
            dir.path().join(&page).exists(),
            "{page} referenced but not written"
        );
    }
}

#[test]
fn diagnostics_link_their_rule_page() {
    let url = "/docs/rules/safe-harbor/eu-us-safe-harbor.md";
    for format in ["plain", "pretty"] {
        privlint()
            .args(["check", "--format", format, "examples/outdated-policy.html"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(url));
    }
    privlint()
        .args(["check", "--format", "plain", "examples/outdated-policy.html"])
        .assert()
        .stdout(predicate::str::contains(format!(
            "  = see: https://github.com/privlint/privlint/blob/main{url}\n"
        )));
}
