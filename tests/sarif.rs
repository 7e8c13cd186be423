//! `--format sarif` validated against the SARIF 2.1.0 schema, and
//! snapshots of `--format sarif` and `--format jsonl`.

use serde_json::Value;

/// Invented policies: a contradiction (with a secondary label), characters
/// outside the BMP before a finding on its line, a space in a file name, a
/// subfolder and a binary file that is skipped.
const SITE: &str = "tests/fixtures/sarif/site";
const POLICY: &str = "tests/fixtures/sarif/site/privacy policy.md";

#[path = "support/common.rs"]
mod common;
use common::privlint;

fn check(args: &[&str]) -> String {
    let out = privlint().arg("check").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn sarif(args: &[&str]) -> Value {
    let mut all = vec!["--format", "sarif"];
    all.extend_from_slice(args);
    serde_json::from_str(&check(&all)).expect("SARIF output is JSON")
}

fn validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/sarif-2.1.0-rtm.5.json"
    );
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    // The published `language` patterns have a stray `]`, a literal in
    // legacy ECMAScript regexes but an error to the validator; escaping it
    // keeps their meaning. privlint writes no `language`.
    for component in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][component]["properties"]["language"]["pattern"];
        assert_eq!(pattern, r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$".into();
    }
    jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The results of `rule` in `log`.
fn results<'a>(log: &'a Value, rule: &str) -> Vec<&'a Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

#[test]
fn sarif_is_valid_and_carries_what_code_scanning_needs() {
    let validator = validator();
    for args in [
        &[SITE][..],
        &["examples/"][..],
        &[POLICY, "--packs", "third-party-sale"][..],
    ] {
        let log = sarif(args);
        let errors = schema_errors(&validator, &log);
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }

    let log = sarif(&[SITE]);
    let run = &log["runs"][0];
    // Every rule that ran is described, whether or not it fired.
    let listed: Value = serde_json::from_slice(
        &privlint()
            .args(["rules", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&run["tool"]["driver"]["rules"]), ids(&listed));
    for r in run["results"].as_array().unwrap() {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["privlint/v1"].is_string());
    }

    let contradiction = results(&log, "third-party-sale/contradiction");
    assert_eq!(contradiction.len(), 1);
    let c = contradiction[0];
    let primary = &c["locations"][0]["physicalLocation"];
    assert_eq!(
        primary["artifactLocation"],
        serde_json::json!({"uri": "tests/fixtures/sarif/site/privacy%20policy.md", "uriBaseId": "%SRCROOT%"})
    );
    // "📎 Café 🍰 members: we may sell": "we" is the 19th char and, as the
    // two emoji take two UTF-16 code units each, at UTF-16 column 21.
    assert_eq!(primary["region"]["startLine"], 7);
    assert_eq!(primary["region"]["startColumn"], 21);
    assert_eq!(primary["region"]["snippet"]["text"], "we may sell your personal");
    assert_eq!(primary["region"]["endColumn"], 21 + 25);
    let related = &c["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "denied here");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 3);
    assert_eq!(related["physicalLocation"]["region"]["startColumn"], 11);
    assert!(
        c["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with("See [denied here](1)."),
        "{}",
        c["message"]["text"]
    );

    // The binary file is a notification, and the run still succeeded.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["level"] == "note"
            && n["message"]["text"].as_str().unwrap().starts_with("skipped: ")
            && n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "tests/fixtures/sarif/site/logo.txt"),
        "{notes:#?}"
    );
}

/// The validator is live: it rejects what the schema forbids.
#[test]
fn schema_validation_rejects_invalid_logs() {
    let validator = validator();
    let log = sarif(&[POLICY, "--packs", "third-party-sale"]);
    assert!(validator.is_valid(&log));

    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    let errors = schema_errors(&validator, &bad_level);
    assert!(
        errors.iter().any(|e| e.contains("/runs/0/results/0/level")),
        "{errors:#?}"
    );

    let mut line_zero = log.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&line_zero));

    let mut no_version = log;
    no_version.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&no_version));
}

#[test]
fn sarif_snapshot() {
    let mut log = sarif(&[POLICY, "--packs", "third-party-sale"]);
    // Not the output under test; keeps the snapshot across releases.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    for key in ["version", "semanticVersion"] {
        assert_eq!(driver[key], env!("CARGO_PKG_VERSION"));
        driver[key] = "[version]".into();
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn jsonl_snapshot() {
    let out = check(&["--format", "jsonl", "--packs", "third-party-sale", SITE]);
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).expect("each line is a JSON object");
        assert!(v["type"].is_string(), "{line}");
    }
    assert!(out.lines().last().unwrap().starts_with(r#"{"type":"summary","#));
    insta::assert_snapshot!(out);
}
