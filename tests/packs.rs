//! Rule packs that are broken or hostile: each is refused with exit 2 and a
//! report on the pack file, quickly, without a crash.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

const GOOD: &str = "pack: demo
title: Demo
version: 1
rules:
  - id: demo/no-foo
    title: No foo
    kind: forbid
    severity: warning
    message: Foo found
    help: Remove foo
    citations: [{law: Demo Act, section: s. 1}]
    patterns: ['\\bfoo\\b']
";

// miette wraps long messages at 80 columns, so the fragments checked
// below are short.

/// Runs `privlint check --packs PACK` on a small policy; returns stderr
/// after checking the run was refused (exit 2, not a signal), in time, and
/// with a report of reasonable size.
fn refused(dir: &Path, pack: &[u8]) -> String {
    let path = dir.join("pack.yaml");
    std::fs::write(&path, pack).unwrap();
    std::fs::write(dir.join("p.md"), "# P\n\nWe keep data.\n").unwrap();
    let start = Instant::now();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--packs", "pack.yaml", "p.md"])
        .output()
        .unwrap();
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // A stack overflow or panic shows as a signal or exit 101.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Debug build on a shared machine: generous, but minutes would fail.
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(stderr.len() < 8 << 10, "{} bytes of report", stderr.len());
    assert!(stderr.contains("invalid rule pack pack.yaml"), "{stderr}");
    stderr
}

#[test]
fn hostile_packs_are_refused_quickly_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let with_pattern = |p: &str| GOOD.replace("'\\bfoo\\b'", p).into_bytes();

    // Repetition that compiles past the size limit.
    for p in [
        "'\\w{1000}{1000}'",
        "'a{4294967295}'",
        "'(?:a{1000}){1000}{1000}'",
    ] {
        let e = refused(d, &with_pattern(p));
        assert!(e.contains("compiles to more than"), "{p}: {e}");
        assert!(e.contains("lower the repetition counts"), "{p}: {e}");
    }
    // 10,000 open groups: no stack overflow, the report points at the
    // unclosed one, and its line is clipped (the label gives the column).
    let nested = format!("'{}a'", "(".repeat(10_000));
    let e = refused(d, &with_pattern(&nested));
    assert!(e.contains("unclosed group (column 10016)"), "{e}");
    // Nested past the regex parser's limit (250): pointed at the group past it.
    let nested = format!("'{}a{}'", "(".repeat(300), ")".repeat(300));
    let e = refused(d, &with_pattern(&nested));
    assert!(e.contains("exceed the maximum number of"), "{e}");
    assert!(e.contains("(column 267)"), "{e}");
    // 10,000 closed: the pattern is over the length limit first.
    let nested = format!("'{}a{}'", "(".repeat(10_000), ")".repeat(10_000));
    assert!(refused(d, &with_pattern(&nested)).contains("more than 16384 bytes"));
    // A 1 MB pattern: refused for its length before it is parsed.
    let e = refused(d, &with_pattern(&format!("'{}'", "a".repeat(1 << 20))));
    assert!(e.contains("more than 16384 bytes long"), "{e}");
    // A billion laughs: yaml_serde's alias expansion limit.
    let mut bomb =
        "pack: demo\ntitle: Demo\nversion:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            .to_owned();
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("  - &a{i} [{refs}]\n"));
    }
    bomb.push_str("rules: []\n");
    let e = refused(d, bomb.as_bytes());
    assert!(e.contains("its aliases expand to too much"), "{e}");
    assert!(e.contains("pack.yaml:5:10]"), "{e}");
    // Deep YAML nesting: refused before libyaml sees it.
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let deep = format!(
            "pack: demo\ntitle: {}x{}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let e = refused(d, deep.as_bytes());
        assert!(e.contains("nested more than 128 levels deep"), "{e}");
    }
    // A block-nested one past yaml_serde's own recursion limit.
    let block: String = (1..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let e = refused(
        d,
        format!("pack: demo\ntitle: Demo\nversion:\n{block}").as_bytes(),
    );
    assert!(e.contains("nested more than 128 levels deep"), "{e}");
}

#[test]
fn files_that_are_not_packs_are_refused_with_what_a_pack_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = refused(d, b"");
    assert!(e.contains("the pack file is empty"), "{e}");
    assert!(e.contains("`pack`, `title`, `version` and"), "{e}");
    // Binary: not shown, it would garble the terminal.
    let e = refused(d, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff");
    assert!(e.contains("not a YAML text file: invalid UTF-8 at byte 0"), "{e}");
    let e = refused(d, b"pack: demo\x00\x00");
    assert!(e.contains("a NUL byte at byte 10"), "{e}");
    let e = refused(d, b"- pack: demo\n  title: Demo\n");
    assert!(e.contains("not a list"), "{e}");
    let e = refused(d, b"pack: demo\ntitle: Demo\nversion: 1\nrules: []\n");
    assert!(e.contains("pack `demo` has no rules"), "{e}");
    assert!(e.contains("pack.yaml:4:1]"), "{e}");
}

#[test]
fn pack_mistakes_are_shown_on_the_line_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (change to GOOD, message fragment, help fragment, line:column)
    let cases = [
        (
            "    title: No foo",
            "      title: No foo",
            "mapping values are not",
            "check this line's",
            "6:12",
        ),
        (
            "message: Foo found",
            "message: \"Foo found",
            "never closed",
            "close the quote",
            "9:14",
        ),
        (
            "    message:",
            "\tmessage:",
            "tab character",
            "indent with spaces",
            "9:1",
        ),
        (
            "patterns: ['\\bfoo\\b']",
            "patterns: '\\bfoo\\b'",
            "expected a sequence",
            "takes a list",
            "12:15",
        ),
        (
            "severity: warning",
            "severity: 3",
            "unknown variant `3`",
            "write one of `info`",
            "8:15",
        ),
        (
            "    patterns:",
            "    pattens:",
            "unknown field `pattens`",
            "did you mean the key `patterns`?",
            "12:5",
        ),
        (
            "  - id: demo/no-foo\n    title",
            "  - title",
            "missing field `id`",
            "add the key `id`",
            "5:5",
        ),
        (
            "    message: Foo found\n",
            "",
            "missing field `message`",
            "add the key `message`",
            "5:5",
        ),
        (
            "    patterns: ['\\bfoo\\b']\n",
            "",
            "non-empty `patterns` list",
            "add `patterns:`",
            "5:3",
        ),
        (
            "'\\bfoo\\b'",
            "'\\bfo(o\\b'",
            "unclosed group",
            "fix the regex here",
            "12:21",
        ),
        (
            "'\\bfoo\\b'",
            "\"\\\\bfo(o\"",
            "unclosed group",
            "fix the regex",
            "12:16",
        ),
    ];
    for (from, to, message, help, at) in cases {
        let pack = GOOD.replace(from, to);
        assert_ne!(pack, GOOD, "{from}");
        let e = refused(d, pack.as_bytes());
        assert!(e.contains(message), "{to}\n{e}");
        assert!(e.contains(help), "{to}\n{e}");
        assert!(e.contains(&format!("pack.yaml:{at}]")), "wanted {at}:\n{e}");
    }
    // The same rule id twice in a pack: shown on the second.
    let twice = format!("{GOOD}{}", &GOOD[GOOD.find("  - id").unwrap()..]);
    let e = refused(d, twice.as_bytes());
    assert!(e.contains("duplicate rule id `demo/no-foo`"), "{e}");
    assert!(e.contains("pack.yaml:13:3]"), "{e}");
}

#[test]
fn two_packs_with_one_id_are_refused_on_the_second_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), GOOD).unwrap();
    std::fs::write(d.join("b.yaml"), GOOD).unwrap();
    std::fs::write(d.join("p.md"), "# P\n").unwrap();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(d)
        .env("NO_COLOR", "1")
        .args(["check", "--packs", "a.yaml,b.yaml", "p.md"])
        .output()
        .unwrap();
    let e = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{e}");
    // miette wraps long messages, so only short fragments are checked.
    assert!(
        e.contains("invalid rule pack b.yaml: pack `demo` is loaded"),
        "{e}"
    );
    assert!(e.contains("a.yaml is pack"), "{e}");
    assert!(e.contains("b.yaml:1:1]"), "{e}");
}
