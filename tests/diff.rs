//! `privlint diff`: two versions of one policy (Safe Harbor, then Privacy
//! Shield, then the Data Privacy Framework; then its retention statement
//! dropped or made open-ended), compared as files and as git revisions.

use std::path::Path;
use std::process::Command as Process;

use serde_json::Value;

#[path = "support/common.rs"]
mod common;
use common::{entries, privlint, privlint_in};

const D: &str = "tests/fixtures/diff";

fn fixture(name: &str) -> String {
    format!("{D}/{name}.md")
}

/// `privlint diff --format json OLD NEW`: exit code and the document.
fn diff_json(old: &str, new: &str, extra: &[&str]) -> (i32, Value) {
    let out = privlint()
        .args(["diff", "--no-config", "--format", "json"])
        .args(extra)
        .args([fixture(old), fixture(new)])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    (out.status.code().unwrap(), json)
}

/// The class of each change shown, by rule id.
fn classes(json: &Value) -> Vec<(String, String)> {
    json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap().to_owned(),
                c["class"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .collect()
}

#[test]
fn safe_harbor_to_privacy_shield_trades_one_invalid_framework_for_another() {
    let (code, json) = diff_json("2014-safe-harbor", "2017-privacy-shield", &[]);
    assert_eq!(
        classes(&json),
        pairs(&[
            ("safe-harbor/eu-us-safe-harbor", "improved"),
            ("safe-harbor/privacy-shield", "worsened"),
        ])
    );
    assert_eq!(code, 1, "a practice got worse");
    let shield = &json["changes"][1];
    assert_eq!(shield["old"]["status"], "satisfied");
    assert_eq!(shield["new"]["status"], "finding");
    assert_eq!(shield["new"]["findings"][0]["line"], 21);
    assert_eq!(shield["new"]["findings"][0]["text"], "Privacy Shield");
    assert_eq!(json["summary"]["unchanged"], 10);
}

#[test]
fn privacy_shield_to_the_data_privacy_framework_only_improves() {
    let (code, json) = diff_json("2017-privacy-shield", "2024-data-privacy-framework", &[]);
    assert_eq!(
        classes(&json),
        pairs(&[("safe-harbor/privacy-shield", "improved")])
    );
    assert_eq!(code, 0);
}

#[test]
fn dropping_the_retention_statement_is_worsened() {
    let (code, json) = diff_json("2024-data-privacy-framework", "2025-no-retention", &[]);
    assert_eq!(classes(&json), pairs(&[("retention/stated", "worsened")]));
    assert_eq!(code, 1);
    let c = &json["changes"][0];
    assert_eq!(c["reason"], "the required statement is gone");
    assert_eq!(c["old"]["evidence"][0]["line"], 9);
    assert_eq!(c["new"]["findings"][0]["message"], true);
}

#[test]
fn thirty_days_made_as_long_as_necessary_is_weakened() {
    let (code, json) = diff_json("2024-data-privacy-framework", "2025-as-long-as-necessary", &[]);
    assert_eq!(
        classes(&json),
        pairs(&[("retention/stated", "changed"), ("retention/period", "weakened")])
    );
    assert_eq!(code, 1);
    assert_eq!(
        json["changes"][0]["new"]["evidence"][0]["text"],
        "We keep your booking records for as long as necessary."
    );
}

#[test]
fn the_same_version_twice_is_unchanged_and_all_lists_every_rule() {
    let (code, json) = diff_json("2014-safe-harbor", "2014-safe-harbor", &[]);
    assert_eq!((code, classes(&json)), (0, Vec::new()));
    let (_, all) = diff_json("2014-safe-harbor", "2014-safe-harbor", &["--all"]);
    let listed = classes(&all);
    assert_eq!(listed.len(), 12, "{listed:?}");
    assert!(listed.iter().all(|(_, c)| c == "unchanged"), "{listed:?}");
}

#[test]
fn text_output() {
    let out = privlint()
        .args(["diff", "--no-config"])
        .args([fixture("2014-safe-harbor"), fixture("2017-privacy-shield")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn markdown_output() {
    let out = privlint()
        .args(["diff", "--no-config", "--format", "markdown"])
        .args([
            fixture("2024-data-privacy-framework"),
            fixture("2025-as-long-as-necessary"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Process::new("git")
        .args([
            "-c",
            "user.name=privlint",
            "-c",
            "user.email=privlint@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A repository where `policy/privacy.md` was committed with Safe Harbor,
/// then with Privacy Shield; the working tree has the Data Privacy
/// Framework. `None` when git is not installed.
fn repo() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    if !git(dir.path(), &["init", "-q"]) {
        eprintln!("git is not installed: skipped");
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(D);
    let policy = dir.path().join("policy");
    std::fs::create_dir(&policy).unwrap();
    for (name, message) in [
        ("2014-safe-harbor", "Safe Harbor"),
        ("2017-privacy-shield", "Privacy Shield"),
    ] {
        std::fs::copy(root.join(format!("{name}.md")), policy.join("privacy.md")).unwrap();
        assert!(git(dir.path(), &["add", "."]));
        assert!(git(dir.path(), &["commit", "-q", "-m", message]));
    }
    std::fs::copy(
        root.join("2024-data-privacy-framework.md"),
        policy.join("privacy.md"),
    )
    .unwrap();
    Some(dir)
}

fn diff_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = privlint_in(dir)
        .args(["diff", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn git_revisions_and_the_working_tree() {
    let Some(repo) = repo() else { return };
    let dir = repo.path();
    let before = entries(&dir.join("policy"));
    // Two revisions.
    let (code, out, err) = diff_in(dir, &["--git", "HEAD~1..HEAD", "policy/privacy.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("--- policy/privacy.md@HEAD~1\n+++ policy/privacy.md@HEAD\n"),
        "{out}"
    );
    assert!(out.contains("worsened  safe-harbor/privacy-shield"), "{out}");
    assert!(out.contains("improved  safe-harbor/eu-us-safe-harbor"), "{out}");
    // A revision against the working tree, from a folder below the root.
    let (code, out, err) = diff_in(&dir.join("policy"), &["--git", "HEAD", "privacy.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("--- privacy.md@HEAD\n+++ privacy.md\n"), "{out}");
    assert!(out.contains("improved  safe-harbor/privacy-shield"), "{out}");
    assert!(out.contains("\n0 worsened, 0 weakened, 1 improved"), "{out}");
    // Nothing was written.
    assert_eq!(entries(&dir.join("policy")), before);
}

#[test]
fn errors_name_what_is_wrong_and_exit_two() {
    let Some(repo) = repo() else { return };
    let dir = repo.path();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--git", "nosuch", "policy/privacy.md"],
            "policy/privacy.md@nosuch: git cannot read it: invalid object name 'nosuch'",
        ),
        (
            &["--git", "HEAD", "policy/other.md"],
            "policy/other.md@HEAD: git cannot read it: path 'policy/other.md' does not exist in 'HEAD'",
        ),
        (&["--git", "HEAD", "policy"], "git cannot read it"),
        (&["--git=--output=x", "policy/privacy.md"], "not a revision"),
        (
            &["--git", "HEAD", "policy/privacy.md", "policy/privacy.md"],
            "with --git, give one PATH",
        ),
        (
            &["policy/privacy.md", "policy/missing.md"],
            "error: policy/missing.md: cannot read: ",
        ),
    ];
    for (args, message) in cases {
        let (code, out, err) = diff_in(dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    // Outside any repository.
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("p.md"), "We keep data for 30 days.\n").unwrap();
    let (code, _, err) = diff_in(plain.path(), &["--git", "HEAD", "p.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("p.md@HEAD: git cannot read it: not a git repository"),
        "{err}"
    );
}

/// Policy text quoted in the Markdown diff stays inside its cell: no new
/// cell, no HTML, no link, however the policy is written.
#[test]
fn markdown_quotes_cannot_break_the_table() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let dir = tempfile::tempdir().unwrap();
    let hostile = "We keep your data | <img src=x> [x](http://e) @team `c` for 60 days.";
    std::fs::write(dir.path().join("old.txt"), "We keep your data for 30 days.\n").unwrap();
    std::fs::write(dir.path().join("new.txt"), format!("{hostile}\n")).unwrap();
    let (code, md, err) = diff_in(dir.path(), &["--format", "markdown", "old.txt", "new.txt"]);
    assert_eq!(code, 0, "{err}");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_cell = false;
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableRow | Tag::TableHead) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                rows.last_mut().unwrap().push(String::new());
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Text(t) | Event::Code(t) if in_cell => {
                rows.last_mut().unwrap().last_mut().unwrap().push_str(&t)
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in:\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => assert_eq!(&*h, "<br>", "{md}"),
            _ => {}
        }
    }
    let stated: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "retention/stated").collect();
    assert_eq!(stated.len(), 1, "{md}");
    assert_eq!(stated[0].len(), 7, "{md}");
    assert_eq!(stated[0][0], "changed");
    assert_eq!(stated[0][6], format!("line 1: “{hostile}”"), "{md}");
}

/// Each version is parsed in its own extension's format: an HTML policy
/// and its Markdown successor saying the same things differ in nothing.
#[test]
fn each_file_is_parsed_in_its_own_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.html"),
        "<html><body><h1>Policy</h1><p>We keep your data for 30 days.</p></body></html>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("new.md"),
        "# Policy\n\nWe keep your data for 30 days.\n",
    )
    .unwrap();
    for (old, new) in [("old.html", "new.md"), ("new.md", "old.html")] {
        let (code, out, err) = diff_in(dir.path(), &["--format", "json", old, new]);
        let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        assert_eq!((code, classes(&json)), (0, Vec::new()), "{old} -> {new}: {json}");
    }
}
