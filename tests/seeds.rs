//! Acceptance checks on the five seed policies of the project brief, read
//! from `../shared/seeds` (never copied into the repository). Skipped with a
//! message when that folder is absent, unless PRIVLINT_REQUIRE_SHARED is set,
//! as `.ci/run` does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PRIVLINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("seeds").is_dir() {
        Some(dir)
    } else if std::env::var_os("PRIVLINT_REQUIRE_SHARED").is_some() {
        panic!(
            "{} has no seeds/ folder and PRIVLINT_REQUIRE_SHARED is set",
            dir.display()
        );
    } else {
        eprintln!("skipping: {} not found", dir.join("seeds").display());
        None
    }
}

/// Rule ids found per seed number, and the JSON of each file.
fn lint_seeds(dir: &Path) -> Vec<(BTreeSet<String>, Value)> {
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(dir.join("seeds"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings at error level exit 1");
    let json: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    files
        .iter()
        .map(|f| {
            let ids = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["rule"].as_str().unwrap().to_owned())
                .collect();
            (ids, f.clone())
        })
        .collect()
}

#[test]
fn seed_policies_get_the_expected_verdicts() {
    let Some(dir) = shared_dir() else { return };
    let seeds = lint_seeds(&dir);
    let has = |i: usize, rule: &str| seeds[i].0.contains(rule);

    for i in [0, 1, 2, 4] {
        assert!(
            has(i, "coppa/under-13-statement"),
            "seed {i} lacks a children statement"
        );
    }
    assert!(
        !has(3, "coppa/under-13-statement"),
        "Kaseya states it does not knowingly collect from under-13s"
    );

    for i in [0, 2, 4] {
        assert!(has(i, "retention/stated"), "seed {i} states no retention");
    }
    assert!(!has(3, "retention/stated"), "Kaseya states retention");

    assert!(has(0, "opt-out/presence"), "AKiTiO offers no opt-out");
    for i in [1, 2, 4] {
        assert!(!has(i, "opt-out/presence"), "seed {i} describes an opt-out");
    }

    assert!(
        !has(0, "third-party-sale/disclosure"),
        "\"In no case will this data be sold\" is a statement"
    );

    for i in [0, 1, 2, 4] {
        assert!(
            !seeds[i].0.iter().any(|r| r.starts_with("safe-harbor/")),
            "seed {i} mentions no Safe Harbor"
        );
    }
    assert!(has(3, "third-party-sale/contradiction"));
}

#[test]
fn findings_point_at_the_statements_that_triggered_them() {
    let Some(dir) = shared_dir() else { return };
    let seeds = lint_seeds(&dir);
    let kaseya = &seeds[3].1;
    let source = std::fs::read(
        dir.join("seeds")
            .join(kaseya["path"].as_str().unwrap().rsplit('/').next().unwrap()),
    )
    .unwrap();
    let line_of = |needle: &str| {
        let at = source
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap();
        source[..at].iter().filter(|&&b| b == b'\n').count() + 1
    };
    let findings = kaseya["findings"].as_array().unwrap();
    let find = |rule: &str| {
        findings
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule}"))
    };

    // The test may search the fixture to know where a statement is; privlint
    // itself never does. Byte offsets in JSON must slice to the span text.
    let slice = |span: &Value| {
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        String::from_utf8(source[s..e].to_vec()).unwrap()
    };

    let sh = find("safe-harbor/eu-us-safe-harbor");
    assert_eq!(
        sh["span"]["line"],
        line_of("We comply with the U.S.-EU Safe Harbor Framework")
    );
    assert!(
        slice(&sh["span"]).contains("Safe Harbor"),
        "{}",
        slice(&sh["span"])
    );

    let c = find("third-party-sale/contradiction");
    assert!(
        slice(&c["span"]).contains("sell"),
        "affirmation: {}",
        slice(&c["span"])
    );
    assert_eq!(
        c["span"]["line"],
        line_of("We may compile, sell, and otherwise use")
    );
    let denial = &c["labels"][0]["span"];
    assert_eq!(denial["line"], line_of("We will not sell, rent, or lease"));
    assert!(
        slice(denial).starts_with("sell, rent, or lease"),
        "denial: {}",
        slice(denial)
    );
}
