//! `.privlint.yaml`: discovery, every key, and errors shown on the file.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// Fails `retention/stated` (no period) and `safe-harbor/eu-us-safe-harbor`
/// (an error), and `coppa/under-13-statement` (a warning).
const BAD: &str = "# Privacy\n\nWe comply with the U.S.-EU Safe Harbor Framework.\n";

#[path = "support/common.rs"]
mod common;
use common::privlint_in as privlint;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Rule ids in concise output, one per finding, sorted.
fn rules_reported(cmd: &mut Command) -> Vec<String> {
    let out = cmd.args(["--format", "concise"]).output().unwrap();
    let mut ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_owned()))
        .collect();
    ids.sort();
    ids
}

#[test]
fn found_by_walking_up_and_turns_rules_off_or_changes_severity() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "policies/a.md", BAD);
    write(
        d,
        ".privlint.yaml",
        "packs: [safe-harbor, retention]\nrules:\n  retention/stated: off\n  safe-harbor/eu-us-safe-harbor: warning\n",
    );
    let sub = d.join("policies");
    assert_eq!(
        rules_reported(privlint(&sub).args(["check", "a.md"])),
        ["safe-harbor/eu-us-safe-harbor"]
    );
    // Now a warning: the default fail-on (error) passes.
    privlint(&sub).args(["check", "a.md"]).assert().code(0);
    // --no-config brings back every built-in pack at its defaults.
    let all = rules_reported(privlint(&sub).args(["check", "--no-config", "a.md"]));
    assert!(all.contains(&"retention/stated".to_owned()), "{all:?}");
    assert!(all.contains(&"opt-out/presence".to_owned()), "{all:?}");
    privlint(&sub)
        .args(["check", "--no-config", "a.md"])
        .assert()
        .code(1);
}

#[test]
fn pack_wide_settings_give_way_to_rule_settings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", BAD);
    write(
        d,
        "privlint.yaml",
        "rules:\n  opt-out: off\n  third-party-sale: off\n  retention: off\n  coppa: off\n  coppa/under-13-statement: info\n",
    );
    assert_eq!(
        rules_reported(privlint(d).args(["check", "a.md"])),
        ["coppa/under-13-statement", "safe-harbor/eu-us-safe-harbor"]
    );
}

#[test]
fn config_flag_fail_on_and_the_command_line_winning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", BAD);
    write(d, "conf/strict.yaml", "packs: [coppa]\nfail-on: warning\n");
    // coppa/under-13-statement is a warning; the file's fail-on makes it fail.
    privlint(d)
        .args(["check", "--config", "conf/strict.yaml", "a.md"])
        .assert()
        .code(1);
    privlint(d)
        .args([
            "check",
            "--config",
            "conf/strict.yaml",
            "--fail-on",
            "error",
            "a.md",
        ])
        .assert()
        .code(0);
    // --packs on the command line replaces the file's packs.
    assert_eq!(
        rules_reported(privlint(d).args([
            "check",
            "--config",
            "conf/strict.yaml",
            "--packs",
            "safe-harbor",
            "a.md"
        ])),
        ["safe-harbor/eu-us-safe-harbor"]
    );
}

#[test]
fn include_exclude_and_overrides_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "policies/us.md", BAD);
    write(d, "policies/eu/de.md", BAD);
    write(d, "policies/notes.txt", BAD);
    write(d, "drafts/wip.md", BAD);
    write(
        d,
        ".privlint.yaml",
        "packs: [safe-harbor]\ninclude: ['*.md']\nexclude: [drafts/]\noverrides:\n  - files: ['policies/eu/**']\n    rules: {safe-harbor/eu-us-safe-harbor: off}\n",
    );
    let out = privlint(d)
        .args(["check", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("policies/us.md:3:"), "{stdout}");
    assert!(
        !stdout.contains("de.md"),
        "override turned the rule off: {stdout}"
    );
    assert!(!stdout.contains("notes.txt"), "not included: {stdout}");
    assert!(!stdout.contains("wip.md"), "excluded: {stdout}");
    assert!(stdout.contains("in 2 files"), "{stdout}");
    // Exclusion holds for named files too, as a pre-commit hook names them.
    privlint(d)
        .args(["check", "--format", "concise", "drafts/wip.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings in 0 files"));
}

#[test]
fn a_house_pack_named_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pack = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/house-pack.yaml"
    ))
    .unwrap();
    write(d, "legal/rules/house.yaml", &pack);
    write(d, "legal/.privlint.yaml", "packs: [rules/house.yaml]\n");
    write(d, "legal/policies/p.md", "# P\n\nWe keep your data forever.\n");
    // Started from a folder below: still relative to the configuration.
    assert_eq!(
        rules_reported(privlint(&d.join("legal/policies")).args(["check", "p.md"])),
        ["house/no-forever"]
    );
}

fn house_pack() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/house-pack.yaml"
    ))
    .unwrap()
}

/// stderr of a run that must fail with exit 2.
fn refused(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

#[test]
fn config_packs_outside_the_config_folder_are_refused_but_the_command_line_may_point_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "rules/house.yaml", &house_pack());
    write(d, "legal/p.md", "# P\n\nWe keep your data forever.\n");
    let legal = d.join("legal");
    // `..`, an absolute path, and a link inside the folder to a file outside.
    write(d, "legal/.privlint.yaml", "packs: [coppa, ../rules/house.yaml]\n");
    let stderr = refused(privlint(&legal).args(["check", "p.md"]));
    // miette wraps long messages (even inside a path), so only short
    // fragments are checked.
    assert!(stderr.contains("resolves to"), "{stderr}");
    assert!(stderr.contains(".privlint.yaml:1:16]"), "{stderr}");
    assert!(stderr.contains("untrusted"), "{stderr}");
    assert!(stderr.contains("`--packs "), "{stderr}");
    let abs = d.join("rules/house.yaml").display().to_string();
    write(d, "legal/.privlint.yaml", &format!("packs:\n  - '{abs}'\n"));
    let stderr = refused(privlint(&legal).args(["check", "p.md"]));
    assert!(stderr.contains(".privlint.yaml:2:6]"), "{stderr}");
    #[cfg(unix)]
    {
        std::fs::create_dir_all(legal.join("rules")).unwrap();
        std::os::unix::fs::symlink(d.join("rules/house.yaml"), legal.join("rules/link.yaml")).unwrap();
        write(d, "legal/.privlint.yaml", "packs: [rules/link.yaml]\n");
        let stderr = refused(privlint(&legal).args(["check", "p.md"]));
        assert!(stderr.contains("`rules/link.yaml` resolves to"), "{stderr}");
        // A folder of packs holding such a link: refused as it is read.
        write(d, "legal/.privlint.yaml", "packs: [rules]\n");
        let stderr = refused(privlint(&legal).args(["check", "p.md"]));
        assert!(stderr.contains("link.yaml: the pack file"), "{stderr}");
    }
    // The same pack named on the command line runs.
    write(d, "legal/.privlint.yaml", "rules: {}\n");
    assert_eq!(
        rules_reported(privlint(&legal).args(["check", "--packs", "../rules/house.yaml", "p.md"])),
        ["house/no-forever"]
    );
    // Built-in names are not paths.
    write(d, "legal/.privlint.yaml", "packs: [coppa]\n");
    privlint(&legal).args(["check", "p.md"]).assert().code(0);
}

#[test]
fn config_yaml_errors_types_and_duplicates_are_shown_on_the_line_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", BAD);
    // (yaml, message fragment, help fragment, line:column)
    let cases = [
        (
            "rules:\n  coppa: off\n   retention: off\n",
            "unknown variant",
            "",
            "2:10",
        ),
        (
            "rules:\n\tcoppa: off\n",
            "cannot start any",
            "indent with spaces",
            "2:1",
        ),
        ("packs: ['coppa\n", "never closed", "close the quote", "1:9"),
        (
            "packs: coppa\n",
            "expected a sequence",
            "write `packs: ['coppa']`",
            "1:8",
        ),
        (
            "fail-on: 3\n",
            "unknown variant `3`",
            "write one of `error`",
            "1:10",
        ),
        (
            "overrides:\n  - packs: [coppa]\n",
            "missing field `files`",
            "add the key `files`",
            "2:5",
        ),
        (
            "rules:\n  coppa: off\n  retention: off\n  coppa: warning\n",
            "`coppa` is set twice",
            "keep one",
            "4:3",
        ),
        (
            "packs: [coppa]\npacks: [retention]\n",
            "duplicate field `packs`",
            "remove one of the two",
            "1:1",
        ),
        ("- coppa\n", "expected a map", "not a list", "1:1"),
    ];
    for (yaml, message, help, at) in cases {
        write(d, "bad.yaml", yaml);
        let stderr = refused(privlint(d).args(["check", "--config", "bad.yaml", "a.md"]));
        assert!(stderr.contains(message), "{yaml}\n{stderr}");
        assert!(stderr.contains(help), "{yaml}\n{stderr}");
        assert!(
            stderr.contains(&format!("bad.yaml:{at}]")),
            "wanted {at}:\n{stderr}"
        );
    }
    // An empty configuration (or only comments) means the defaults.
    write(d, "empty.yaml", "# nothing yet\n");
    privlint(d)
        .args(["check", "--config", "empty.yaml", "--fail-on", "never", "a.md"])
        .assert()
        .code(0);
}

#[test]
fn unknown_keys_rules_and_packs_are_shown_on_the_file_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", BAD);
    let cases = [
        (
            "packs: [coppa]\nrulez: {}\n",
            "rulez",
            "did you mean the key `rules`?",
            "2:1",
        ),
        (
            "packs: [coppa, retention]\nrules:\n  retention/stated: off\n  retention/periods: warning\n",
            "`retention/periods`",
            "did you mean `retention/period`?",
            "4:3",
        ),
        (
            "packs:\n  - coppa\n  - safe-harbour\n",
            "`safe-harbour`",
            "did you mean the built-in pack `safe-harbor`?",
            "3:5",
        ),
        (
            "overrides:\n  - files: ['a/[b']\n",
            "invalid glob `a/[b`",
            "",
            "2:14",
        ),
    ];
    // miette wraps long messages, so only short fragments are checked.
    for (yaml, message, help, at) in cases {
        write(d, "bad.yaml", yaml);
        let out = privlint(d)
            .args(["check", "--config", "bad.yaml", "a.md"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{yaml}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(message), "{yaml}\n{stderr}");
        assert!(stderr.contains(help), "{yaml}\n{stderr}");
        assert!(
            stderr.contains(&format!("bad.yaml:{at}]")),
            "wanted {at}:\n{stderr}"
        );
    }
}

#[test]
fn init_writes_a_starter_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    privlint(d).arg("init").assert().code(0);
    let text = std::fs::read_to_string(d.join(".privlint.yaml")).unwrap();
    assert!(text.contains("# retention/period: warning"), "{text}");
    privlint(d).arg("init").assert().code(2);
    // The starter is a valid configuration.
    privlint(d)
        .args(["config", "--show"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("retention/period: warning"));
}

#[test]
fn config_show_gives_the_settings_for_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".privlint.yaml",
        "packs: [coppa]\noverrides:\n  - files: ['eu/*.md']\n    rules: {coppa/parental-consent: off}\n",
    );
    let show = |args: &[&str]| {
        let out = privlint(d)
            .args(["config", "--show"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(show(&[]).contains("coppa/parental-consent: warning"));
    let eu = show(&["eu/de.md"]);
    assert!(eu.contains("coppa/parental-consent: off"), "{eu}");
    assert!(eu.contains("overrides:\n  - 0"), "{eu}");
}

#[test]
fn suppression_comments_meet_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.md",
        "# P\n\n<!-- privlint-disable-next-block safe-harbor -- fixed next release -->\nWe comply with the U.S.-EU Safe Harbor Framework.\n\n<!-- privlint-disable coppa/parental-consent -->\nWe keep data for 30 days.\n",
    );
    let run = |yaml: &str, extra: &[&str]| {
        write(d, "c.yaml", yaml);
        rules_reported(
            privlint(d)
                .args(["check", "--config", "c.yaml", "--packs", "safe-harbor,coppa"])
                .args(extra)
                .arg("p.md"),
        )
    };
    // The second comment suppresses nothing.
    assert_eq!(
        run("{}", &[]),
        ["coppa/under-13-statement", "privlint/unused-suppression"]
    );
    // Not when the configuration turns the rule it names off here.
    assert_eq!(
        run("rules: {coppa/parental-consent: off}", &[]),
        ["coppa/under-13-statement"]
    );
    // privlint's own rules are configured like any other.
    assert_eq!(
        run("rules: {privlint/unused-suppression: off}", &[]),
        ["coppa/under-13-statement"]
    );
    // --no-inline-config: the comments are ignored.
    assert_eq!(
        run("{}", &["--no-inline-config"]),
        ["coppa/under-13-statement", "safe-harbor/eu-us-safe-harbor"]
    );
}

#[test]
fn packs_on_the_command_line_do_not_invalidate_the_files_rule_settings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", BAD);
    write(d, ".privlint.yaml", "rules:\n  retention/period: off\n");
    assert_eq!(
        rules_reported(privlint(d).args(["check", "--packs", "safe-harbor", "a.md"])),
        ["safe-harbor/eu-us-safe-harbor"]
    );
    // A typo is still an error, checked against the file's own packs.
    write(d, ".privlint.yaml", "rules:\n  retention/periods: off\n");
    privlint(d)
        .args(["check", "--packs", "safe-harbor", "a.md"])
        .assert()
        .code(2);
}
