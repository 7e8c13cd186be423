//! Files, paths and exit status (docs/errors.md): unreadable, missing and
//! linked paths, folders without policies, names that are not UTF-8, the
//! summary's counts, a closed pipe and Ctrl-C.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

#[path = "support/common.rs"]
mod common;
use common::entries;

const BIN: &str = env!("CARGO_BIN_EXE_privlint");
/// Finds something under every built-in pack (a sale, no retention period).
const POLICY: &str = "# Privacy policy\n\nWe may sell your data.\n";

/// privlint run from `dir` without a configuration.
fn privlint(dir: &Path) -> Command {
    let mut cmd = common::privlint_in(dir);
    cmd.args(["check", "--no-config"]);
    cmd
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}"))
}

/// Runs privlint as a user for whom `chmod 000` makes a file unreadable.
/// Root reads such files anyway, so as root privlint runs as the user
/// nobody (65534), which needs the test folder and the binary reachable.
struct Unprivileged {
    dir: std::path::PathBuf,
    /// The user to switch to, when running as root.
    uid: Option<u32>,
}

impl Unprivileged {
    /// None, with the reason printed, when no such user can be had.
    fn new(dir: &Path) -> Option<Self> {
        let probe = dir.join(".owner-probe");
        std::fs::write(&probe, "").unwrap();
        let me = std::fs::metadata(&probe).unwrap().uid();
        std::fs::remove_file(&probe).unwrap();
        let runner = Unprivileged {
            dir: dir.to_path_buf(),
            uid: (me == 0).then_some(65534),
        };
        if runner.uid.is_some() {
            chmod(dir, 0o755);
            match runner.command(BIN).arg("--version").output() {
                Ok(o) if o.status.success() => {}
                other => {
                    println!("SKIPPED: running as root, and privlint cannot run as nobody: {other:?}");
                    return None;
                }
            }
        }
        Some(runner)
    }

    fn command(&self, program: &str) -> StdCommand {
        let mut cmd = StdCommand::new(program);
        cmd.current_dir(&self.dir).env_remove("CI").env("NO_COLOR", "1");
        if let Some(uid) = self.uid {
            cmd.uid(uid).gid(uid);
        }
        cmd
    }

    fn privlint(&self) -> StdCommand {
        let mut cmd = self.command(BIN);
        cmd.args(["check", "--no-config"]);
        cmd
    }

    /// Whether the user can still read `path` (with CAP_DAC_OVERRIDE a
    /// process reads it whatever its uid): checked, not assumed. When it
    /// can, the test has nothing to test and says so.
    fn still_reads(&self, path: &Path) -> bool {
        let reads = self
            .command("test")
            .arg("-r")
            .arg(path)
            .status()
            .unwrap()
            .success();
        if reads {
            println!(
                "SKIPPED: {} is readable to this user despite chmod 000",
                path.display()
            );
        }
        reads
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_named_file_is_an_error_and_the_others_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("locked.md"), POLICY).unwrap();
    std::fs::write(d.join("open.md"), POLICY).unwrap();
    let Some(runner) = Unprivileged::new(d) else {
        return;
    };
    chmod(&d.join("locked.md"), 0o000);
    if runner.still_reads(&d.join("locked.md")) {
        chmod(&d.join("locked.md"), 0o644);
        return;
    }
    let out = runner
        .privlint()
        .args(["--format", "json", "--fail-on", "never", "locked.md", "open.md"])
        .output()
        .unwrap();
    chmod(&d.join("locked.md"), 0o644);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let v = json(&out);
    assert_eq!(v["files"][0]["path"], "locked.md");
    assert_eq!(v["files"][0]["status"], "failed");
    assert!(
        v["files"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Permission denied"),
        "{v}"
    );
    assert_eq!(v["files"][1]["status"], "linted");
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 1);
}

#[test]
fn unreadable_file_in_a_folder_is_reported_and_counted_but_not_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("policies")).unwrap();
    std::fs::write(d.join("policies/a.md"), POLICY).unwrap();
    std::fs::write(d.join("policies/b.md"), POLICY).unwrap();
    std::fs::write(d.join("policies/c.md"), POLICY).unwrap();
    let Some(runner) = Unprivileged::new(d) else {
        return;
    };
    chmod(&d.join("policies/b.md"), 0o000);
    if runner.still_reads(&d.join("policies/b.md")) {
        chmod(&d.join("policies/b.md"), 0o644);
        return;
    }
    let out = runner
        .privlint()
        .args(["--format", "plain", "policies"])
        .output()
        .unwrap();
    chmod(&d.join("policies/b.md"), 0o644);
    // The findings in a.md and c.md decide the status, as they would alone.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error: policies/b.md: cannot read: Permission denied (os error 13)"),
        "{stdout}"
    );
    assert!(stdout.contains("policies/c.md:"), "c.md not linted: {stdout}");
    assert!(stdout.trim_end().ends_with("in 2 files (1 failed)."), "{stdout}");
}

#[test]
fn unreadable_folder_inside_a_walk_is_reported_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("policies/private")).unwrap();
    std::fs::write(d.join("policies/private/x.md"), POLICY).unwrap();
    std::fs::write(d.join("policies/z.md"), POLICY).unwrap();
    let Some(runner) = Unprivileged::new(d) else {
        return;
    };
    chmod(&d.join("policies/private"), 0o000);
    if runner.still_reads(&d.join("policies/private")) {
        chmod(&d.join("policies/private"), 0o755);
        return;
    }
    let out = runner
        .privlint()
        .args(["--format", "json", "--fail-on", "never", "policies"])
        .output()
        .unwrap();
    chmod(&d.join("policies/private"), 0o755);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{v}");
    assert_eq!(files[0]["path"], "policies/private");
    assert_eq!(files[0]["status"], "failed");
    assert_eq!(files[0]["reason"], "Permission denied (os error 13)", "{v}");
    assert_eq!(files[1]["path"], "policies/z.md");
    assert_eq!(files[1]["status"], "linted");
    assert_eq!(v["summary"]["failed"], 1);
}

#[test]
fn unreadable_named_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("locked")).unwrap();
    std::fs::write(d.join("locked/x.md"), POLICY).unwrap();
    let Some(runner) = Unprivileged::new(d) else {
        return;
    };
    chmod(&d.join("locked"), 0o000);
    if runner.still_reads(&d.join("locked")) {
        chmod(&d.join("locked"), 0o755);
        return;
    }
    let out = runner
        .privlint()
        .args(["--format", "plain", "locked"])
        .output()
        .unwrap();
    chmod(&d.join("locked"), 0o755);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error: locked: Permission denied (os error 13)"),
        "{stdout}"
    );
}

#[test]
fn missing_named_path_exits_two_and_the_others_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("here.md"), POLICY).unwrap();
    privlint(dir.path())
        .args([
            "--format",
            "plain",
            "--fail-on",
            "never",
            "gone.md",
            "here.md",
            "gone/",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: gone.md: No such file or directory (os error 2)",
        ))
        .stderr(predicate::str::contains(
            "error: gone/: No such file or directory (os error 2)",
        ))
        .stdout(predicate::str::contains("here.md:"))
        .stdout(predicate::str::ends_with("in 1 file.\n"));
}

#[test]
fn folder_without_policies_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("assets")).unwrap();
    std::fs::write(d.join("assets/logo.png"), "not a policy").unwrap();
    std::fs::create_dir(d.join("empty")).unwrap();
    privlint(d)
        .args(["--format", "plain", "assets", "empty"])
        .assert()
        .code(0)
        .stderr("warning: no policies found in assets\nwarning: no policies found in empty\n")
        .stdout("No findings in 0 files.\n");
    // A folder with a policy next to one without: only the empty one is named.
    std::fs::write(d.join("p.md"), POLICY).unwrap();
    privlint(d)
        .args(["--format", "plain", "--fail-on", "never", "p.md", "empty"])
        .assert()
        .code(0)
        .stderr("warning: no policies found in empty\n");
}

#[test]
fn link_to_its_own_folder_does_not_make_the_walk_loop() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("policies")).unwrap();
    std::fs::write(d.join("policies/p.md"), POLICY).unwrap();
    std::os::unix::fs::symlink(".", d.join("policies/again")).unwrap();
    std::os::unix::fs::symlink("..", d.join("policies/up")).unwrap();
    let out = privlint(d)
        .args(["--format", "json", "policies"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v = json(&out);
    let paths: Vec<_> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].clone())
        .collect();
    // Links inside a folder are not followed: p.md once, not policies/again/p.md.
    assert_eq!(paths, ["policies/p.md"]);
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn named_links_are_followed_and_dangling_or_looping_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/p.md"), POLICY).unwrap();
    std::os::unix::fs::symlink("real/p.md", d.join("link.md")).unwrap();
    std::os::unix::fs::symlink("real", d.join("linked-folder")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", d.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink("self.md", d.join("self.md")).unwrap();
    // Inside a walked folder a dangling link is not followed, so not an error.
    std::os::unix::fs::symlink("nowhere.md", d.join("real/dangling.md")).unwrap();
    let out = privlint(d)
        .args(["--format", "json", "link.md", "linked-folder"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let v = json(&out);
    let paths: Vec<_> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].clone())
        .collect();
    assert_eq!(paths, ["link.md", "linked-folder/p.md"]);
    assert!(!v["files"][0]["findings"].as_array().unwrap().is_empty());

    privlint(d)
        .args([
            "--format",
            "plain",
            "--fail-on",
            "never",
            "dangling.md",
            "self.md",
            "real",
        ])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: dangling.md: No such file or directory (os error 2)",
        ))
        .stderr(predicate::str::contains(
            "error: self.md: Too many levels of symbolic links (os error 40)",
        ))
        .stdout(predicate::str::ends_with("in 1 file.\n"));
}

#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_are_linted_and_shown_lossily() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("policies")).unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(d.join("policies").join(name), POLICY).unwrap();
    let shown = "policies/caf\u{FFFD}.md";
    for (format, path_of) in [
        ("json", "/files/0/path"),
        (
            "sarif",
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
        ),
        ("plain", ""),
    ] {
        let mut cmd = privlint(d);
        cmd.args(["--format", format]).arg("policies");
        if format == "plain" {
            // The named form too: the same bytes, given on the command line.
            cmd.arg(Path::new("policies").join(name));
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        if format == "plain" {
            let stdout = String::from_utf8(out.stdout).expect("plain output is UTF-8");
            assert!(stdout.contains(&format!("{shown}:")), "{stdout}");
            assert!(stdout.ends_with("in 1 file.\n"), "linted once: {stdout}");
            continue;
        }
        let v = json(&out);
        let got = v.pointer(path_of).and_then(Value::as_str).unwrap_or_default();
        let want = if format == "sarif" {
            "policies/caf%EF%BF%BD.md"
        } else {
            shown
        };
        assert_eq!(got, want, "{format}: {v}");
    }
}

#[test]
fn summary_counts_linted_skipped_and_failed_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("policies")).unwrap();
    std::fs::write(d.join("policies/a.md"), POLICY).unwrap();
    std::fs::write(d.join("policies/b.md"), POLICY).unwrap();
    std::fs::write(d.join("policies/bin.txt"), b"\x00\x01binary").unwrap();
    // A socket cannot be read, even by root; named, it is a failed file.
    let _socket = std::os::unix::net::UnixListener::bind(d.join("policy.sock")).unwrap();
    let run = |format: &str| {
        privlint(d)
            .args([
                "--format",
                format,
                "--fail-on",
                "never",
                "policies",
                "policy.sock",
            ])
            .output()
            .unwrap()
    };
    for format in ["plain", "pretty", "concise"] {
        let out = run(format);
        assert_eq!(out.status.code(), Some(2), "{format}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.ends_with(" in 2 files (1 skipped, 1 failed).\n"),
            "{format}: {stdout}"
        );
    }
    let out = run("json");
    let s = &json(&out)["summary"];
    assert_eq!(
        (&s["files"], &s["skipped"], &s["failed"]),
        (&2.into(), &1.into(), &1.into()),
        "{s}"
    );
}

/// A folder of `n` policies with findings, for runs that take a while.
fn many_policies(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let text = format!(
        "{POLICY}\nWe keep your data forever. {}\n",
        "Lorem ipsum. ".repeat(200)
    );
    for i in 0..n {
        std::fs::write(dir.join(format!("p{i:05}.md")), &text).unwrap();
    }
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    many_policies(&dir.path().join("policies"), 300);
    let mut child = StdCommand::new(BIN)
        .current_dir(dir.path())
        .env_remove("CI")
        .args(["check", "--no-config", "--format", "plain", "policies"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `| head -1` does, then close the read end.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "stderr after a closed pipe: {stderr}");
    // Like ripgrep: a reader that stopped reading is not a failure.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn closed_stderr_still_gives_the_exit_status() {
    // `2>&1 | head` after the reader quits, or `2>&-`: the error message
    // cannot be written, which must not turn exit 2 into a panic (101).
    let dir = tempfile::tempdir().unwrap();
    let mut child = StdCommand::new(BIN)
        .current_dir(dir.path())
        .args(["check", "--no-config", "gone.md"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{status:?}");
}

#[test]
fn ctrl_c_exits_130_and_leaves_the_old_output_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    many_policies(&d.join("policies"), 3000);
    let out_dir = d.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::write(out_dir.join("report.json"), "old report").unwrap();
    std::fs::write(out_dir.join("baseline.json"), "old baseline").unwrap();
    let mut child = StdCommand::new(BIN)
        .current_dir(d)
        .env_remove("CI")
        .args(["check", "--no-config", "--format", "json", "policies"])
        .args([
            "--output",
            "out/report.json",
            "--write-baseline",
            "out/baseline.json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The --output temporary file exists once the run has caught Ctrl-C
    // and is linting; interrupt it then.
    let started = Instant::now();
    while entries(&out_dir).len() < 3 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be interrupted; make the folder bigger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let kill = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let interrupted = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // It stopped soon after the signal rather than linting the rest.
    assert!(interrupted.elapsed() < Duration::from_secs(10));
    assert_eq!(entries(&out_dir), ["baseline.json", "report.json"]);
    assert_eq!(
        std::fs::read_to_string(out_dir.join("report.json")).unwrap(),
        "old report"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("baseline.json")).unwrap(),
        "old baseline"
    );
}

#[test]
fn a_file_named_as_a_md_and_dot_slash_a_md_is_linted_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/a.md"), POLICY).unwrap();
    let out = privlint(dir.path())
        .args(["--format", "json", "sub/a.md", "./sub/a.md", "sub", "./sub"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["summary"]["files"], 1);
}
