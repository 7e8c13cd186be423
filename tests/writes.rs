//! Files privlint writes (docs/errors.md): only --output, --write-baseline
//! and `privlint init`, each whole or not at all; never a policy.
#![cfg(unix)]

use std::path::Path;
use std::time::{Duration, SystemTime};

use predicates::prelude::*;

const POLICY: &str = "# Privacy policy\n\nWe may sell your data. We keep it forever.\n";

#[path = "support/common.rs"]
mod common;
use common::{entries, privlint_in as privlint};

/// Writes a policy with a modification time an hour ago, so that any
/// write, even of the same bytes, shows in its mtime.
fn policy(path: &Path) -> (Vec<u8>, SystemTime) {
    std::fs::write(path, POLICY).unwrap();
    let then = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(then)
        .unwrap();
    (POLICY.as_bytes().to_vec(), then)
}

fn unchanged(path: &Path, (bytes, mtime): &(Vec<u8>, SystemTime)) {
    assert_eq!(
        &std::fs::read(path).unwrap(),
        bytes,
        "{} was written to",
        path.display()
    );
    assert_eq!(
        &std::fs::metadata(path).unwrap().modified().unwrap(),
        mtime,
        "{} was touched",
        path.display()
    );
}

#[test]
fn check_with_every_output_option_never_modifies_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("policies/sub")).unwrap();
    let md = policy(&d.join("policies/p.md"));
    let txt = policy(&d.join("policies/sub/q.txt"));
    let html = policy(&d.join("policies/r.html"));
    privlint(d)
        .args(["check", "--no-config", "--format", "json", "policies"])
        .args([
            "--output",
            "out/r.json",
            "--output",
            "out/r.sarif",
            "--output",
            "out/r.jsonl",
        ])
        .args(["--output", "out/r.txt", "--write-baseline", "out/baseline.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: --write-baseline out/baseline.json: cannot create a file in out: \
             No such file or directory (os error 2)\n",
        );
    privlint(d)
        .args(["check", "--no-config", "policies", "--output", "out/r.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: --output out/r.json: cannot create a file in out: \
             No such file or directory (os error 2)\n",
        );
    assert!(!d.join("out").exists());
    std::fs::create_dir(d.join("out")).unwrap();
    privlint(d)
        .args(["check", "--no-config", "--show-evidence", "policies"])
        .args([
            "--output",
            "out/r.json",
            "--output",
            "out/r.sarif",
            "--output",
            "out/r.jsonl",
        ])
        .args(["--output", "out/r.txt", "--write-baseline", "out/baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("to the baseline out/baseline.json"));
    privlint(d)
        .args([
            "check",
            "--no-config",
            "--baseline",
            "out/baseline.json",
            "--statistics",
        ])
        .args([
            "--no-inline-config",
            "--output",
            "out/again.json",
            "policies/p.md",
            "policies",
        ])
        .assert()
        .code(0);
    for (path, before) in [
        ("policies/p.md", &md),
        ("policies/sub/q.txt", &txt),
        ("policies/r.html", &html),
    ] {
        unchanged(&d.join(path), before);
    }
    assert_eq!(entries(&d.join("policies")), ["p.md", "r.html", "sub"]);
    // Every report is whole, and no temporary file is left beside them.
    assert_eq!(
        entries(&d.join("out")),
        [
            "again.json",
            "baseline.json",
            "r.json",
            "r.jsonl",
            "r.sarif",
            "r.txt"
        ]
    );
    for json in ["again.json", "baseline.json", "r.json", "r.sarif"] {
        let text = std::fs::read_to_string(d.join("out").join(json)).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
}

#[test]
fn an_output_file_that_is_a_policy_being_linted_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let txt = policy(&d.join("policy.txt"));
    let json = policy(&d.join("policy.json"));
    std::os::unix::fs::symlink("policy.txt", d.join("link.txt")).unwrap();
    privlint(d)
        .args(["check", "--no-config", "policy.txt", "--output", "policy.txt"])
        .assert()
        .code(2)
        .stderr(
            "error: --output policy.txt: is a policy being linted (policy.txt); \
             privlint does not write to policies\n",
        )
        .stdout("");
    // Through a link, and found by walking the folder.
    privlint(d)
        .args(["check", "--no-config", ".", "--output", "link.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: --output link.txt: is a policy being linted (./policy.txt)",
        ));
    privlint(d)
        .args(["check", "--no-config", "--input-format", "text", "policy.json"])
        .args(["--write-baseline", "policy.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: --write-baseline policy.json: is a policy being linted",
        ));
    unchanged(&d.join("policy.txt"), &txt);
    unchanged(&d.join("policy.json"), &json);
    assert_eq!(entries(d), ["link.txt", "policy.json", "policy.txt"]);
}

#[test]
fn baseline_is_not_written_when_a_file_could_not_be_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    std::fs::write(d.join("baseline.json"), "old baseline").unwrap();
    // A socket cannot be read, even by root.
    let _socket = std::os::unix::net::UnixListener::bind(d.join("policy.sock")).unwrap();
    privlint(d)
        .args([
            "check",
            "--no-config",
            "p.md",
            "policy.sock",
            "--write-baseline",
            "baseline.json",
        ])
        .assert()
        .code(2)
        .stderr("error: --write-baseline baseline.json: not written, as not every file could be linted\n");
    assert_eq!(
        std::fs::read_to_string(d.join("baseline.json")).unwrap(),
        "old baseline"
    );
    assert_eq!(entries(d), ["baseline.json", "p.md", "policy.sock"]);
}

#[test]
fn init_refuses_to_overwrite_an_existing_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mine = policy(&d.join(".privlint.yaml"));
    privlint(d)
        .arg("init")
        .assert()
        .code(2)
        .stderr("error: .privlint.yaml exists; pass --force to overwrite it\n");
    unchanged(&d.join(".privlint.yaml"), &mine);
    privlint(d)
        .args(["init", "--force"])
        .assert()
        .code(0)
        .stderr("wrote .privlint.yaml\n");
    let written = std::fs::read_to_string(d.join(".privlint.yaml")).unwrap();
    assert!(written.starts_with("# privlint configuration."), "{written}");
    assert_eq!(entries(d), [".privlint.yaml"]);
    // The starter it wrote is one that check loads.
    privlint(d).args(["config", "--show"]).assert().code(0);
    // A folder that is not there: an error, and nothing written anywhere.
    privlint(d)
        .args(["init", "no/such/privlint.yaml"])
        .assert()
        .code(2)
        .stderr("error: cannot write no/such/privlint.yaml: No such file or directory (os error 2)\n");
    assert_eq!(entries(d), [".privlint.yaml"]);
}
