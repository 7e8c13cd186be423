//! Sweeps the real policies in `../shared/corpus` and the crawled ones in
//! `../shared/bench-corpus`: no panic, exit 0 or 1, and every span of every
//! finding and piece of evidence lies inside its file, on character
//! boundaries, with `text` equal to the bytes it points at.
//!
//! Ignored by default (thousands of files; run it in release mode):
//! `cargo test --release --test corpus -- --ignored`. `.ci/run` does.
//! `binary_lints_all_of_both_corpora_without_panic` is the hostile-corpus
//! test of `docs/errors.md`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn shared() -> PathBuf {
    std::env::var_os("PRIVLINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn sweep(dir: &Path) -> usize {
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert_exit_0_or_1(&out);
    let json: Value = serde_json::from_slice(&out.stdout).expect("one valid JSON document");
    let files = json["files"].as_array().unwrap();
    let mut spans = 0;
    for file in files {
        let path = file["path"].as_str().unwrap();
        if file["status"] != "linted" {
            continue;
        }
        let bytes = std::fs::read(path).unwrap();
        let utf8 = std::str::from_utf8(&bytes).ok();
        let mut check = |span: &Value| {
            spans += 1;
            let (s, e) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s <= e && e <= bytes.len(),
                "{path}: span {s}..{e} outside {} bytes",
                bytes.len()
            );
            assert!(span["line"].as_u64().unwrap() >= 1 && span["column"].as_u64().unwrap() >= 1);
            if let Some(text) = utf8 {
                // A BOM shifts offsets by 3 but still slices cleanly.
                assert!(
                    text.is_char_boundary(s) && text.is_char_boundary(e),
                    "{path}: {s}..{e} splits a char"
                );
                assert_eq!(
                    &text[s..e],
                    span["text"].as_str().unwrap(),
                    "{path}: span text differs from the file"
                );
            }
        };
        for f in file["findings"].as_array().unwrap() {
            check(&f["span"]);
            for l in f["labels"].as_array().unwrap() {
                check(&l["span"]);
            }
        }
        for ev in file["evidence"].as_array().unwrap() {
            for s in ev["spans"].as_array().unwrap() {
                check(s);
            }
        }
    }
    assert!(!files.is_empty());
    spans
}

#[test]
#[ignore = "slow: run in release mode by .ci/run"]
fn real_policies_lint_cleanly_with_valid_spans() {
    let spans = sweep(&shared().join("corpus/policies"));
    assert!(spans > 100, "only {spans} spans checked");
}

#[test]
#[ignore = "slow: run in release mode by .ci/run"]
fn crawled_policies_lint_cleanly_with_valid_spans() {
    let spans = sweep(&shared().join("bench-corpus"));
    assert!(spans > 1000, "only {spans} spans checked");
}

/// Exit 0 or 1 (findings or none): not 2 (an error), not 101 (a panic),
/// not a signal (no code at all), and no panic message on stderr (a
/// panicking worker thread must not go unnoticed).
fn assert_exit_0_or_1(out: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "exit {code:?} ({}); stderr: {stderr}",
        if code.is_none() {
            "killed by a signal"
        } else {
            "not 0 or 1"
        }
    );
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
}

/// The hostile-corpus test: every file of both shared corpora (policies,
/// crawled pages, their indexes and READMEs) in one run of the binary with
/// the pretty output (the JSON sweeps above cover the spans' numbers), so
/// miette draws every span of those files too.
#[test]
#[ignore = "slow: run in release mode by .ci/run"]
fn binary_lints_all_of_both_corpora_without_panic() {
    let (corpus, bench) = (shared().join("corpus"), shared().join("bench-corpus"));
    assert!(corpus.is_dir() && bench.is_dir(), "../shared corpora missing");
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .args(["check", "--format", "pretty"])
        .arg(&corpus)
        .arg(&bench)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_exit_0_or_1(&out);
    assert!(!out.stdout.is_empty(), "no report at all");
}

/// The anchor prefilter (`pack::anchor`) only skips text that cannot
/// match: every policy gets the same findings and evidence with it on and
/// off.
#[test]
#[ignore = "reads every shared policy; run in release mode"]
fn anchor_prefilter_changes_no_result() {
    use rayon::prelude::*;
    // Every built-in pack, the opt-in law packs too: theirs are the
    // patterns with the longest gaps and the most ways to end.
    let on = privlint::lint::Linter::new(privlint::pack::load_every_builtin().unwrap());
    let mut packs = privlint::pack::load_every_builtin().unwrap();
    packs.prefilter.enabled = false;
    let off = privlint::lint::Linter::new(packs);
    let mut files = Vec::new();
    for dir in [shared().join("corpus"), shared().join("seeds")] {
        collect(&dir, &mut files);
    }
    // With every pack, prefilter off, the 5,000 crawled policies take
    // about 20 minutes on two cores: a fixed quarter of them (every fourth
    // by path) keeps CI in budget; tests/properties.rs covers the rest of
    // the ground.
    let mut bench = Vec::new();
    collect(&shared().join("bench-corpus"), &mut bench);
    bench.sort();
    files.extend(bench.into_iter().step_by(4));
    assert!(files.len() > 100, "found only {} files", files.len());
    let summary = |r: &privlint::finding::FileReport| {
        let findings: Vec<_> = r
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.id.clone(),
                    f.span.bytes.clone(),
                    f.labels.iter().map(|l| l.span.bytes.clone()).collect::<Vec<_>>(),
                )
            })
            .collect();
        let evidence: Vec<_> = r
            .evidence
            .iter()
            .map(|e| {
                (
                    e.rule.id.clone(),
                    e.spans.iter().map(|s| s.bytes.clone()).collect::<Vec<_>>(),
                )
            })
            .collect();
        (findings, evidence)
    };
    let differing: Vec<String> = files
        .par_iter()
        .filter_map(|p| {
            let a = on.lint_file(p, p.display().to_string(), None);
            let b = off.lint_file(p, p.display().to_string(), None);
            (summary(&a) != summary(&b)).then(|| p.display().to_string())
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} files differ, e.g. {:?}",
        differing.len(),
        &differing[..differing.len().min(5)]
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
