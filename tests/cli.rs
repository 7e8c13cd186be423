//! The command line: exit codes, formats, errors.

use predicates::prelude::*;
use serde_json::Value;

#[path = "support/common.rs"]
mod common;
use common::privlint;

#[test]
fn clean_policy_exits_zero() {
    privlint()
        .args(["check", "examples/good-policy.md"])
        .assert()
        .code(0);
}

#[test]
fn errors_exit_one_and_fail_on_is_honoured() {
    privlint()
        .args(["check", "examples/outdated-policy.html"])
        .assert()
        .code(1);
    privlint()
        .args(["check", "--fail-on", "never", "examples/outdated-policy.html"])
        .assert()
        .code(0);
    // The house pack reports only warnings: exit 0 unless --fail-on warning.
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.md");
    std::fs::write(&policy, "# P\n\nWe keep data forever.\n").unwrap();
    let pack = "tests/fixtures/house-pack.yaml";
    privlint()
        .args(["check", "--packs", pack])
        .arg(&policy)
        .assert()
        .code(0);
    privlint()
        .args(["check", "--packs", pack, "--fail-on", "warning"])
        .arg(&policy)
        .assert()
        .code(1);
}

#[test]
fn missing_path_exits_two_and_names_it() {
    privlint()
        .args(["check", "no/such/policy.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/policy.md"));
}

#[test]
fn bad_pack_exits_two_showing_the_line_and_a_suggestion() {
    privlint()
        .args(["check", "--packs", "tests/fixtures/bad-pack.yaml", "examples/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field"))
        .stderr(predicate::str::contains("`paterns`"))
        .stderr(predicate::str::contains("bad-pack.yaml:12:5"))
        .stderr(predicate::str::contains("paterns: ['\\bforever\\b']"))
        .stderr(predicate::str::contains("did you mean the key `patterns`?"));
}

#[test]
fn unknown_pack_name_lists_the_builtins() {
    privlint()
        .args(["check", "--packs", "copa", "examples/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("coppa"));
}

#[test]
fn usage_errors_exit_two() {
    privlint().args(["check", "--format", "xml"]).assert().code(2);
    privlint().args(["frobnicate"]).assert().code(2);
}

#[test]
fn json_output_follows_the_documented_schema() {
    let out = privlint()
        .args(["check", "--format", "json", "examples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().unwrap();
    let paths: Vec<_> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "examples/good-policy.md",
            "examples/minimal-policy.txt",
            "examples/outdated-policy.html"
        ]
    );
    let html = &files[2];
    assert_eq!(html["format"], "html");
    let mut n = 0;
    for f in files.iter().flat_map(|f| f["findings"].as_array().unwrap()) {
        n += 1;
        for key in ["rule", "pack", "severity", "message", "help", "label"] {
            assert!(f[key].is_string(), "finding.{key}: {f}");
        }
        assert!(
            f["rule"]
                .as_str()
                .unwrap()
                .starts_with(f["pack"].as_str().unwrap())
        );
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(!f["citations"].as_array().unwrap().is_empty());
        for c in f["citations"].as_array().unwrap() {
            assert!(c["law"].is_string() && c["section"].is_string());
        }
        for key in ["start", "end", "line", "column", "end_line", "end_column"] {
            assert!(f["span"][key].is_u64(), "span.{key}: {f}");
        }
        assert!(f["labels"].is_array());
    }
    let s = &json["summary"];
    assert_eq!(s["files"], 3);
    assert_eq!(s["findings"].as_u64().unwrap(), n);
    assert_eq!(
        s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap() + s["infos"].as_u64().unwrap(),
        n
    );
    // The good policy satisfies every requirement, with evidence for each.
    let good = &files[0];
    assert_eq!(good["findings"].as_array().unwrap().len(), 0, "{good}");
    let ev: Vec<_> = good["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "coppa/under-13-statement",
        "opt-out/presence",
        "third-party-sale/disclosure",
        "retention/stated",
    ] {
        assert!(ev.contains(&rule), "no evidence for {rule}: {ev:?}");
    }
}

#[test]
fn outdated_example_gets_the_findings_it_was_written_for() {
    let out = privlint()
        .args(["check", "--format", "json", "examples/outdated-policy.html"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<_> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    for rule in [
        "safe-harbor/eu-us-safe-harbor",
        "safe-harbor/privacy-shield",
        "third-party-sale/contradiction",
        "third-party-sale/do-not-sell-link",
        "coppa/parental-consent",
        "retention/period",
        "opt-out/presence",
    ] {
        assert!(rules.contains(&rule.to_owned()), "missing {rule}: {rules:?}");
    }
}

#[test]
fn binary_files_are_skipped_with_a_notice_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), b"\x00\x01\x02binary").unwrap();
    std::fs::write(dir.path().join("b.md"), "# P\n\nWe keep data forever.\n").unwrap();
    let out = privlint()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["status"], "skipped");
    assert_eq!(json["files"][1]["status"], "linted");
    assert_eq!(json["summary"]["skipped"], 1);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn plain_output_names_rule_file_and_line() {
    privlint()
        .args(["check", "--format", "plain", "examples/outdated-policy.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[safe-harbor/eu-us-safe-harbor]"))
        .stdout(predicate::str::contains("examples/outdated-policy.html:"));
}

#[test]
fn never_writes_to_policy_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.md");
    std::fs::write(&p, "# P\n\nWe may sell your data.\n").unwrap();
    let before = std::fs::metadata(&p).unwrap().modified().unwrap();
    privlint()
        .args(["check", "--format", "json"])
        .arg(&p)
        .assert()
        .code(1);
    assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "# P\n\nWe may sell your data.\n"
    );
}

#[test]
fn concise_and_github_formats() {
    privlint()
        .args(["check", "--format", "concise", "examples/outdated-policy.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "examples/outdated-policy.html:21:35: error[safe-harbor/eu-us-safe-harbor] ",
        ));
    privlint()
        .args(["check", "--format", "github", "examples/outdated-policy.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=examples/outdated-policy.html,line=21,col=35,endLine=21,endColumn=54,title=safe-harbor/eu-us-safe-harbor::",
        ));
}

#[test]
fn opt_in_packs_run_only_when_named_and_are_documented_either_way() {
    let opt_in: Vec<&str> = privlint::pack::builtin_names()
        .filter(|n| privlint::pack::is_opt_in(n))
        .collect();
    assert_eq!(opt_in, ["caloppa", "ccpa", "gdpr", "us-states"]);
    let listed = |args: &[&str]| {
        let out = privlint().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let default = listed(&["rules"]);
    let named = listed(&["rules", "--packs", "ccpa,gdpr"]);
    for pack in &opt_in {
        let prefix = format!("\n{pack}/");
        assert!(
            !format!("\n{default}").contains(&prefix),
            "{pack} runs by default"
        );
        // The idle packs are named, so users can find them.
        assert!(default.lines().last().unwrap().contains(pack));
    }
    assert!(named.lines().any(|l| l.starts_with("ccpa/")));
    assert!(named.lines().any(|l| l.starts_with("gdpr/")));
    assert!(!named.lines().any(|l| l.starts_with("coppa/")));
    // explain finds an opt-in rule whether or not its pack is active.
    let page = listed(&["explain", "ccpa/right-to-delete"]);
    assert!(page.contains("1798.105"), "{page}");
}
