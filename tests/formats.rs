//! Every output format, snapshotted on one fixed policy (insta). Review a
//! change with `cargo insta review`, or accept with `INSTA_UPDATE=always`.

use assert_cmd::Command;

const POLICY: &str = "tests/fixtures/formats/policy.md";

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .args(["check", "--no-config"])
        .args(args)
        .arg(POLICY)
        .output()
        .unwrap();
    // Two errors among the findings: the exit code is part of the contract.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pretty() {
    insta::assert_snapshot!(run(&["--format", "pretty", "--color", "never"]));
}

#[test]
fn plain() {
    insta::assert_snapshot!(run(&["--format", "plain"]));
}

#[test]
fn plain_with_evidence() {
    insta::assert_snapshot!(run(&["--format", "plain", "--show-evidence"]));
}

#[test]
fn concise() {
    insta::assert_snapshot!(run(&["--format", "concise"]));
}

#[test]
fn json() {
    let value: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).unwrap());
}

#[test]
fn github() {
    insta::assert_snapshot!(run(&["--format", "github"]));
}

#[test]
fn statistics() {
    insta::assert_snapshot!(run(&["--format", "concise", "--statistics"]));
}
