//! `privlint report`: the HTML report on the command line (the page itself
//! is tested in `src/render/report`, and in a browser by
//! `tests/report-browser.sh`).

use std::path::Path;

use predicates::prelude::*;

#[path = "support/common.rs"]
mod common;
use common::{entries, privlint, privlint_in};

const FIXTURES: &str = "tests/fixtures/report";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn writes_one_self_contained_page_and_exits_like_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    // The fixture has errors: exit 1, as `check` would.
    privlint()
        .args(["report", "--no-config", "tests/fixtures/report/policy.md", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    let html = read(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script"), "a script reached the page");
    assert!(html.contains("&lt;script&gt;alert(&quot;hostile&quot;)&lt;/script&gt;"));
    assert!(html.contains("<mark id=\"p1-f"), "no finding highlighted");
    assert!(html.contains("<mark id=\"p1-e"), "no evidence highlighted");
    // The list and the table of the policy keep their shape.
    assert!(html.contains("<li>Account details you give us</li>"));
    assert!(html.contains("<th scope=\"col\">Kept for</th>"));
    assert!(!html.contains("id=\"index\""), "an index for one policy");
    // Nothing but the report is left in the folder.
    assert_eq!(entries(dir.path()), ["report.html"]);
    // --fail-on never: exit 0.
    privlint()
        .args([
            "report",
            "--no-config",
            "--fail-on",
            "never",
            "tests/fixtures/report/policy.md",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(0);
}

#[test]
fn a_folder_gives_an_index_with_a_row_per_policy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.html");
    privlint()
        .args(["report", "--no-config", FIXTURES, "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let html = read(&out);
    assert!(html.contains("<section id=\"index\""));
    assert_eq!(html.matches("<tr><th scope=\"row\"><a href=\"#p").count(), 2);
    assert!(html.contains("<a href=\"#p1\">tests/fixtures/report/policy.md</a>"));
    assert!(html.contains("<a href=\"#p2\">tests/fixtures/report/second.html</a>"));
    // The stated dates are in the index.
    assert!(html.contains("<td>2025-03-03</td>"));
    assert!(html.contains("<td>2024-01-15</td>"));
}

#[test]
fn dash_writes_to_standard_output() {
    privlint()
        .args([
            "report",
            "--no-config",
            "tests/fixtures/report/second.html",
            "-o",
            "-",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"))
        .stdout(predicate::str::contains("second.html"));
}

#[test]
fn packs_and_as_of_apply() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    privlint()
        .args([
            "report",
            "--no-config",
            "--packs",
            "safe-harbor",
            "--as-of",
            "2026-01-01",
            "tests/fixtures/report/policy.md",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(1);
    let html = read(&out);
    assert!(html.contains("Pack <code>safe-harbor</code>"));
    assert!(!html.contains("Pack <code>coppa</code>"));
    assert!(html.contains("judged as of 2026-01-01"));
}

#[test]
fn refuses_to_write_over_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.md");
    std::fs::copy("tests/fixtures/report/policy.md", &policy).unwrap();
    let before = read(&policy);
    privlint_in(dir.path())
        .args(["report", "--no-config", ".", "-o", "policy.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("privlint does not write to policies"));
    assert_eq!(read(&policy), before);
    assert_eq!(entries(dir.path()), ["policy.md"]);
}

#[test]
fn needs_an_output_and_a_path() {
    privlint()
        .args(["report", "tests/fixtures/report/policy.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output"));
    privlint().args(["report", "-o", "x.html"]).assert().code(2);
}

#[test]
fn a_missing_policy_or_folder_is_an_error_and_the_rest_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    privlint()
        .args([
            "report",
            "--no-config",
            "--fail-on",
            "never",
            "nope.md",
            "tests/fixtures/report/policy.md",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.md"));
    assert!(read(&out).contains("tests/fixtures/report/policy.md"));
    // An output folder that does not exist: exit 2, nothing written.
    privlint()
        .args(["report", "--no-config", "tests/fixtures/report/policy.md", "-o"])
        .arg(dir.path().join("no/such/dir/r.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot create a file in"));
}
