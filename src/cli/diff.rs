//! `privlint diff OLD NEW` and `privlint diff --git REV[..REV2] PATH`:
//! lint two versions of a policy with the same rules and show which
//! practices changed. Reads files and `git cat-file`; writes nothing.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::ValueEnum;

use privlint::diff;
use privlint::document::InputFormat;
use privlint::finding::{FileReport, FileStatus};
use privlint::lint::{AsOf, LintOptions, Linter};
use privlint::policy_date::CivilDate;
use privlint::render::diff::{DiffView, to_json, write_markdown, write_text};

use super::rule_source::{Loaded, RuleSource};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// OLD and NEW: two files; with --git, the one file to compare across revisions.
    #[arg(required = true, num_args = 1..=2, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare PATH at REV with the working tree, or at REV1..REV2 (both from git).
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Also list the rules whose outcome did not change.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Judge both versions as of this day: `today`, YYYY-MM-DD, or `document`
    /// (each version as of its own stated date).
    #[arg(long, value_name = "WHEN", default_value = "today", value_parser = AsOf::parse)]
    pub as_of: AsOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Human-readable text, without colour.
    Text,
    Json,
    /// A table for a pull-request comment.
    Markdown,
}

/// One version to lint: its bytes, the name shown for it, the format its
/// path's extension names.
struct Version {
    name: String,
    bytes: Vec<u8>,
    format: InputFormat,
}

pub fn diff(args: DiffArgs) -> io::Result<i32> {
    let versions = match read_versions(&args) {
        Ok(v) => v,
        Err(message) => {
            errln!("error: {message}");
            return Ok(EXIT_ERROR);
        }
    };
    let [old, new] = versions;
    // The rules and severities are the new path's, for both.
    let path = args.paths.last().expect("clap requires a path");
    let Loaded {
        config,
        packs,
        pack_ids,
    } = match args.rules.load() {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let selection = config.selection(&packs, pack_ids.as_ref(), path);
    let linter = Linter::with_options(
        packs,
        LintOptions {
            inline_config: true,
            as_of: args.as_of,
            today: CivilDate::today(),
            outline: false,
        },
    );
    let lint = |v: &Version| linter.lint_bytes_selected(v.name.clone(), &v.bytes, v.format, &selection);
    let (old_report, new_report) = (lint(&old), lint(&new));
    for r in [&old_report, &new_report] {
        if let Some(why) = not_linted(r) {
            errln!("error: {}: {why}", r.path);
            return Ok(EXIT_ERROR);
        }
    }
    let changes = diff::compare(&old_report, &new_report);
    let view = DiffView {
        old: &old.name,
        new: &new.name,
        changes: &changes,
        all: args.all,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        DiffFormat::Text => write_text(&mut out, &view)?,
        DiffFormat::Markdown => write_markdown(&mut out, &view)?,
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &to_json(&view))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    let worse = changes.iter().any(|c| c.class.is_worse());
    Ok(if worse { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn not_linted(report: &FileReport) -> Option<&str> {
    match &report.status {
        FileStatus::Linted => None,
        FileStatus::Skipped(why) | FileStatus::Failed(why) => Some(why),
    }
}

fn read_versions(args: &DiffArgs) -> Result<[Version; 2], String> {
    match (&args.git, args.paths.as_slice()) {
        (None, [old, new]) => Ok([read_file(old)?, read_file(new)?]),
        (None, _) => Err("diff needs two files, OLD and NEW (or --git REV PATH)".into()),
        (Some(revs), [path]) => {
            let (old_rev, new_rev) = match revs.split_once("..") {
                Some((a, b)) => (a, Some(b)),
                None => (revs.as_str(), None),
            };
            let old = read_git(old_rev, path)?;
            let new = match new_rev {
                Some(rev) => read_git(rev, path)?,
                None => read_file(path)?,
            };
            Ok([old, new])
        }
        (Some(_), _) => Err("with --git, give one PATH: the file to compare across revisions".into()),
    }
}

fn read_file(path: &Path) -> Result<Version, String> {
    if path.is_dir() {
        return Err(format!(
            "{}: is a directory; diff compares two files",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Ok(Version {
        name: path.display().to_string(),
        bytes,
        format: format_of(path),
    })
}

/// `path` as committed at `rev`, read with `git cat-file blob REV:./NAME`
/// from the file's folder (so the path is the one the user gave, whatever
/// folder the repository starts in; and a folder is refused, not listed).
fn read_git(rev: &str, path: &Path) -> Result<Version, String> {
    let shown = format!("{}@{rev}", path.display());
    if rev.is_empty() || rev.starts_with('-') || rev.contains(':') {
        return Err(format!("--git {rev:?}: not a revision"));
    }
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!("{}: no such folder", folder.display()));
    }
    let object = format!("{rev}:./{}", name.to_string_lossy());
    let output = Command::new("git")
        .args(["--no-pager", "cat-file", "blob"])
        .arg(&object)
        .current_dir(folder)
        .output()
        .map_err(|e| format!("{shown}: cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.trim().trim_start_matches("fatal: ");
        return Err(format!("{shown}: git cannot read it: {why}"));
    }
    Ok(Version {
        name: shown,
        bytes: output.stdout,
        format: format_of(path),
    })
}

fn format_of(path: &Path) -> InputFormat {
    InputFormat::from_path(path).unwrap_or(InputFormat::Text)
}
