//! `privlint eval` on its own fixtures: counts, disagreements, thresholds.

use assert_cmd::Command;
use serde_json::Value;

fn eval(extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "eval",
            "--labels",
            "tests/fixtures/eval/labels.yaml",
            "--corpus",
            "tests/fixtures/eval/policies",
        ])
        .args(["--packs", "third-party-sale"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn scores_rules_and_lists_disagreements() {
    let out = eval(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "no thresholds given");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["policies"], 2);
    let disclosure = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "third-party-sale/disclosure")
        .unwrap();
    assert_eq!(
        (disclosure["tp"].as_u64(), disclosure["fp"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        (disclosure["fn"].as_u64(), disclosure["tn"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(disclosure["precision"], 0.0);
    assert!(
        disclosure["recall"].is_null(),
        "no expected findings: recall undefined"
    );
    let d = &json["disagreements"][0];
    assert_eq!(d["file"], "b.md");
    assert_eq!(d["expected"], false);
    assert_eq!(d["line"], 1, "the finding is anchored on the title");
    assert_eq!(json["stray_quotes"][0]["quote"], "We never sell anything");
    // Rules with no labels are not scored.
    assert_eq!(json["rules"].as_array().unwrap().len(), 1);
}

#[test]
fn thresholds_fail_the_run() {
    let out = eval(&["--min-precision", "0.95"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("third-party-sale/disclosure"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("false alarm (FP) third-party-sale/disclosure b.md:1"),
        "{text}"
    );
    // Recall is undefined here, so a recall threshold alone passes.
    assert_eq!(eval(&["--min-recall", "0.95"]).status.code(), Some(0));
}

#[test]
fn a_rule_not_gated_is_scored_but_does_not_fail_the_run() {
    let out = eval(&[
        "--min-precision",
        "0.95",
        "--not-gated",
        "third-party-sale/disclosure",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not gated (--not-gated): third-party-sale/disclosure"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("third-party-sale/disclosure"));
    // A misspelt exemption is an error, not a silent pass.
    let out = eval(&[
        "--min-precision",
        "0.95",
        "--not-gated",
        "third-party-sale/disclosur",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_labels_are_shown_on_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("l.yaml");
    std::fs::write(
        &labels,
        "policies:\n  - file: a.md\n    verdicts:\n      x/y: {findng: true}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--corpus", "tests/fixtures/eval/policies", "--labels"])
        .arg(&labels)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid label file") && err.contains("findng"),
        "{err}"
    );
}

#[test]
fn a_policy_in_two_label_files_counts_once() {
    // The same file again: each entry is scored, the policies counted once.
    let out = eval(&["--format", "json", "--labels", "tests/fixtures/eval/labels.yaml"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["policies"], 2);
    let disclosure = &json["rules"][0];
    assert_eq!(disclosure["fp"].as_u64(), Some(2), "both entries scored");
}
