//! `--write-baseline` and `--baseline`, `--output` and `--statistics`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const POLICY: &str = "# Privacy\n\n## Transfers\n\nWe comply with the U.S.-EU Safe Harbor Framework.\n";

fn privlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("privlint").unwrap();
    cmd.current_dir(dir).env_remove("CI").env("NO_COLOR", "1").args([
        "check",
        "--no-config",
        "--packs",
        "safe-harbor",
        "--format",
        "concise",
    ]);
    cmd
}

fn findings(out: &std::process::Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .map(str::to_owned)
        .collect()
}

#[test]
fn known_findings_stay_known_when_text_above_them_moves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    privlint(d)
        .args(["--write-baseline", "base.json", "p.md"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote 1 findings"));
    let base = std::fs::read_to_string(d.join("base.json")).unwrap();
    assert!(
        base.contains("\"rule\": \"safe-harbor/eu-us-safe-harbor\""),
        "{base}"
    );

    // New paragraphs above move the finding down two lines: still known.
    let moved = POLICY.replace("## Transfers\n", "## Transfers\n\nWe are based in Ohio.\n");
    std::fs::write(d.join("p.md"), &moved).unwrap();
    let out = privlint(d)
        .args(["--baseline", "base.json", "p.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(findings(&out).is_empty(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 known from the baseline"));

    // A second, identical statement is new although the first is known.
    let twice = format!("{moved}\nWe comply with the U.S.-EU Safe Harbor Framework.\n");
    std::fs::write(d.join("p.md"), &twice).unwrap();
    let out = privlint(d)
        .args(["--baseline", "base.json", "p.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&out).len(), 1, "{out:?}");

    // The same statement in another section is a different finding.
    let other = POLICY.replace("## Transfers", "## International transfers");
    std::fs::write(d.join("p.md"), other).unwrap();
    let out = privlint(d)
        .args(["--baseline", "base.json", "p.md"])
        .output()
        .unwrap();
    assert_eq!(findings(&out).len(), 1, "{out:?}");

    // And in another file.
    std::fs::write(d.join("q.md"), POLICY).unwrap();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    let out = privlint(d)
        .args(["--baseline", "base.json", "p.md", "q.md"])
        .output()
        .unwrap();
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].starts_with("q.md:"), "{f:?}");
}

#[test]
fn a_broken_baseline_is_shown_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    std::fs::write(
        d.join("base.json"),
        "{\"version\": 1,\n \"findings\": [{\"path\": 3}]}\n",
    )
    .unwrap();
    privlint(d)
        .args(["--baseline", "base.json", "p.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("base.json:2:"));
}

#[test]
fn output_files_take_their_format_from_the_extension_and_stdout_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    let out = privlint(d)
        .args(["--output", "r.json", "--output", "r.log", "p.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&out).len(), 1, "stdout stays concise");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(
        json["files"][0]["findings"][0]["rule"],
        "safe-harbor/eu-us-safe-harbor"
    );
    let log = std::fs::read_to_string(d.join("r.log")).unwrap();
    assert!(
        log.contains("error[safe-harbor/eu-us-safe-harbor]") && log.contains("--> p.md:5:"),
        "{log}"
    );
    // Nothing but the reports was left behind (no temporary files).
    let mut names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["p.md", "r.json", "r.log"]);

    privlint(d)
        .args(["--output", "r.docx", "p.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot tell the format"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    std::fs::write(
        d.join("q.md"),
        format!("{POLICY}\nWe also honour the U.S.-EU Safe Harbor.\n"),
    )
    .unwrap();
    let out = privlint(d)
        .args(["--statistics", "p.md", "q.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.contains("safe-harbor/eu-us-safe-harbor"))
        .unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    // findings, files: q.md's two sentences are two findings.
    assert_eq!(&cols[..2], ["3", "2"], "{text}");
    assert!(text.contains("3 findings in 2 of 2 files"), "{text}");
}
