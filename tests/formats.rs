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

/// The pull-request summary over several files: one with no findings, one
/// with findings and a suppressed rule, and one that is skipped.
#[test]
fn markdown() {
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .args(["check", "--no-config", "--format", "markdown"])
        .args([
            "tests/fixtures/markdown/good.md",
            "tests/fixtures/markdown/weak.html",
            "tests/fixtures/markdown/scan.pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// A file name and a pack message full of Markdown and HTML cannot add a
/// row, a cell, a tag, a link or a mention to the summary.
#[test]
fn markdown_escapes_what_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("a | b `c` <img src=x> [l](x) @a.md");
    std::fs::write(&policy, "We keep it forever.\n").unwrap();
    let pack = dir.path().join("hostile.yaml");
    std::fs::write(
        &pack,
        r#"pack: hostile
title: Hostile
version: 1
rules:
  - id: hostile/forever
    title: Forever
    kind: forbid
    severity: error
    message: "cell | break\n| x | y |\n<script>alert(1)</script> @owner [click](http://evil) $x$"
    help: none
    citations: [{law: House, section: "1"}]
    patterns: ['\bforever\b']
"#,
    )
    .unwrap();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("CI")
        .args(["check", "--no-config", "--format", "markdown", "--packs"])
        .arg(&pack)
        .arg(&policy)
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `hostile/")).collect();
    assert_eq!(rows.len(), 1, "one finding, one row:\n{md}");
    // A row of five cells has six `|` that are not escaped.
    let bytes = rows[0].as_bytes();
    let bars = (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count();
    assert_eq!(bars, 6, "{}", rows[0]);
    for raw in ["<script>", "<img", "[click](", "[l](", " @owner", " @a", " $x$"] {
        assert!(!md.contains(raw), "{raw:?} left unescaped in:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;"), "{md}");
    // As a GFM renderer reads it: one table, its head and one row of five
    // cells; no HTML but the <details> privlint writes; no link.
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_cell = false;
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::TableRow | Tag::TableHead) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                rows.last_mut().unwrap().push(String::new());
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Text(t) | Event::Code(t) if in_cell => {
                rows.last_mut().unwrap().last_mut().unwrap().push_str(&t);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in:\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(
                    h.contains("details>") || h.contains("<summary>"),
                    "HTML {h:?} in:\n{md}"
                )
            }
            _ => {}
        }
    }
    assert_eq!(rows.len(), 2, "{md}");
    // The whole message is the last cell's text, as the pack wrote it.
    assert_eq!(
        rows[1],
        [
            "hostile/forever",
            "finding",
            "error",
            "1",
            "cell | break | x | y | <script>alert(1)</script> @owner [click](http://evil) $x$"
        ],
        "{md}"
    );
}

/// `--output markdown:FILE` writes the same summary as `--format markdown`,
/// to a file whose name names no format (as `$GITHUB_STEP_SUMMARY` does not).
#[test]
fn markdown_output_sink() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step_summary_1234");
    let sink = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .args(["check", "--no-config", "--format", "github", "--output"])
        .arg(format!("markdown:{}", summary.display()))
        .arg(POLICY)
        .output()
        .unwrap();
    assert_eq!(sink.status.code(), Some(1), "{sink:?}");
    let stdout = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--no-config", "--format", "markdown", POLICY])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        String::from_utf8(stdout.stdout).unwrap()
    );
    // Without a known format before the colon the whole value is the path.
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--no-config", "--output", "nosuch:x", POLICY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--output nosuch:x: cannot tell the format"),
        "{out:?}"
    );
}
