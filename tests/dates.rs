//! Dates end to end: the policy's date in JSON and JSON Lines, `--as-of`,
//! rule validity windows, the `dated` rule kind and eval's `as-of`.

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/dates";

fn privlint(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn json_check(extra: &[&str], file: &str) -> Value {
    let path = format!("{FIXTURES}/{file}");
    let mut args = vec!["check", "--no-config", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(&path);
    let out = privlint(&args);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["files"][0].clone()
}

fn fired(file: &Value, rule: &str) -> Option<Value> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .cloned()
}

#[test]
fn the_policy_date_and_its_exact_span_are_in_json() {
    let file = json_check(&[], "safe-harbor-2014.md");
    let date = &file["date"];
    assert_eq!(date["value"], "2014-03-03");
    assert_eq!(date["kind"], "last-updated");
    let source = std::fs::read_to_string(format!(
        "{}/{FIXTURES}/safe-harbor-2014.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (start, end) = (
        date["span"]["start"].as_u64().unwrap() as usize,
        date["span"]["end"].as_u64().unwrap() as usize,
    );
    // From the wording to the date's end, markup inside included.
    assert_eq!(&source[start..end], "Last updated: **March 3rd, 2014");
    assert_eq!(date["span"]["text"], "Last updated: **March 3rd, 2014");
    assert_eq!(
        (date["span"]["line"].as_u64(), date["span"]["column"].as_u64()),
        (Some(3), Some(2))
    );
    assert!(json_check(&[], "undated.md")["date"].is_null());
}

#[test]
fn jsonl_has_a_date_line() {
    let out = privlint(&[
        "check",
        "--no-config",
        "--format",
        "jsonl",
        "tests/fixtures/dates/safe-harbor-2016.md",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["type"] == "date")
        .expect("a date line");
    assert_eq!(
        (line["value"].as_str(), line["kind"].as_str()),
        (Some("2016-01-01"), Some("effective"))
    );
    assert_eq!(line["span"]["text"], "Effective Date: January 1, 2016");
}

#[test]
fn as_of_decides_which_rules_apply_and_is_said_in_each_finding() {
    const RULE: &str = "safe-harbor/eu-us-safe-harbor";
    // Today's law: a live policy is judged now, whatever its date.
    let today = fired(&json_check(&[], "safe-harbor-2014.md"), RULE).expect("fires as of today");
    assert!(
        today.get("as_of").is_none(),
        "not said when the as-of date is today"
    );
    // Before Schrems I the rule does not apply; from that day it does.
    assert!(
        fired(
            &json_check(&["--as-of", "2015-10-05"], "safe-harbor-2014.md"),
            RULE
        )
        .is_none()
    );
    let on = fired(
        &json_check(&["--as-of", "2015-10-06"], "safe-harbor-2014.md"),
        RULE,
    )
    .expect("fires");
    assert_eq!(on["as_of"], "2015-10-06");
    // `document`: each policy by its own date; undated ones by today's.
    assert!(fired(&json_check(&["--as-of", "document"], "safe-harbor-2014.md"), RULE).is_none());
    let doc = fired(&json_check(&["--as-of", "document"], "safe-harbor-2016.md"), RULE).expect("fires");
    assert_eq!(doc["as_of"], "2016-01-01");
    let undated = fired(&json_check(&["--as-of", "document"], "undated.md"), RULE).expect("fires");
    assert!(undated.get("as_of").is_none());
}

#[test]
fn text_and_sarif_output_say_the_as_of_date() {
    let plain = privlint(&[
        "check",
        "--no-config",
        "--format",
        "plain",
        "--as-of",
        "2016-02-01",
        "tests/fixtures/dates/undated.md",
    ]);
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(
        text.contains("= note: judged as of 2016-02-01 (--as-of), not today"),
        "{text}"
    );
    let sarif = privlint(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        "--as-of",
        "2016-02-01",
        "tests/fixtures/dates/undated.md",
    ]);
    let json: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(json["runs"][0]["results"][0]["properties"]["asOf"], "2016-02-01");
}

#[test]
fn a_bad_as_of_is_a_usage_error() {
    for bad in ["2023-02-30", "yesterday", "2023/01/01"] {
        let out = privlint(&[
            "check",
            "--no-config",
            "--as-of",
            bad,
            "tests/fixtures/dates/undated.md",
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--as-of") && err.contains("YYYY-MM-DD"), "{err}");
    }
}

#[test]
fn the_dated_rule_flags_stale_and_missing_dates() {
    let pack = "tests/fixtures/ccpa-dates.yaml";
    let stale = json_check(&["--packs", pack, "--as-of", "2026-12-01"], "safe-harbor-2014.md");
    let f = fired(&stale, "ccpa/last-updated").expect("a 2014 date is stale in 2026");
    assert_eq!(f["span"]["text"], "Last updated: **March 3rd, 2014");
    assert_eq!(
        f["message"],
        "The policy's date (last updated 2014-03-03) is more than 12 months before 2026-12-01, the date it is judged as of."
    );
    assert!(
        fired(
            &json_check(&["--packs", pack, "--as-of", "2015-03-03"], "safe-harbor-2014.md"),
            "ccpa/last-updated"
        )
        .is_none()
    );
    assert!(
        fired(
            &json_check(&["--packs", pack, "--as-of", "2015-03-04"], "safe-harbor-2014.md"),
            "ccpa/last-updated"
        )
        .is_some()
    );
    let missing = fired(&json_check(&["--packs", pack], "undated.md"), "ccpa/last-updated").expect("undated");
    assert_eq!(
        missing["message"],
        "The policy does not say when it was last updated."
    );
    assert_eq!(missing["span"]["line"], 1, "on the title");
}

#[test]
fn eval_judges_a_label_file_as_of_its_date() {
    let out = privlint(&[
        "eval",
        "--packs",
        "tests/fixtures/ccpa-dates.yaml",
        "--labels",
        "tests/fixtures/dates/labels.yaml",
        "--corpus",
        FIXTURES,
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let score = &json["rules"][0];
    assert_eq!(
        (score["tp"].as_u64(), score["fp"].as_u64(), score["fn"].as_u64()),
        (Some(2), Some(0), Some(0))
    );
    assert!(json["stray_quotes"].as_array().unwrap().is_empty());
}

fn pack_error(rule_extra: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    let pack = format!(
        "pack: demo\ntitle: Demo\nversion: 1\nrules:\n  - id: demo/r\n    title: R\n    kind: forbid\n    severity: error\n    message: M\n    help: H\n{rule_extra}    citations: [{{law: L, section: S}}]\n    patterns: ['\\bfoo\\b']\n"
    );
    std::fs::write(&path, pack).unwrap();
    let out = privlint(&[
        "check",
        "--no-config",
        "--packs",
        path.to_str().unwrap(),
        "tests/fixtures/dates/undated.md",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // miette wraps long messages; the words are what matter.
    let err = String::from_utf8_lossy(&out.stderr);
    err.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bad_validity_windows_are_pack_errors_on_their_line() {
    let err = pack_error("    valid_from: 2023-02-30\n");
    assert!(
        err.contains("not a calendar date") && err.contains(":11:"),
        "{err}"
    );
    let err = pack_error("    valid_from: 2020-01-01\n    valid_until: 2019-01-01\n");
    assert!(
        err.contains("`valid_from` 2020-01-01 is after `valid_until` 2019-01-01"),
        "{err}"
    );
    let err = pack_error("    max_age_months: 12\n");
    assert!(err.contains("does not use `max_age_months`"), "{err}");
}
