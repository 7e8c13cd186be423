//! Which files to lint: named files as given, folders walked for policies.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// File names that are policies when found inside a folder.
pub const DEFAULT_INCLUDE: &[&str] = &[
    "*.md",
    "*.markdown",
    "*.mdown",
    "*.mkd",
    "*.html",
    "*.htm",
    "*.xhtml",
    "*.txt",
    "*.text",
    "*.rst",
];

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// The path as shown to the user: as given, joined with the path below a folder.
    pub display: String,
}

/// A path that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
    /// The user named this path; failing it is a usage error (exit 2).
    pub explicit: bool,
}

/// Finds the files to lint. Named files are always linted; folders are
/// walked (honouring `.gitignore` and skipping hidden files, like ripgrep)
/// for files whose names match `include`. Targets come back sorted by
/// display path so output order is deterministic.
pub fn collect(paths: &[PathBuf], include: &GlobSet) -> (Vec<Target>, Vec<WalkError>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let shown = root.to_string_lossy().into_owned();
        match std::fs::metadata(root) {
            Err(e) => errors.push(WalkError {
                path: shown,
                message: e.to_string(),
                explicit: true,
            }),
            Ok(meta) if !meta.is_dir() => targets.push(Target {
                path: root.clone(),
                display: shown,
            }),
            Ok(_) => walk_dir(root, include, &mut targets, &mut errors),
        }
    }
    targets.sort_by(|a, b| a.display.cmp(&b.display));
    targets.dedup_by(|a, b| a.path == b.path);
    (targets, errors)
}

fn walk_dir(root: &Path, include: &GlobSet, targets: &mut Vec<Target>, errors: &mut Vec<WalkError>) {
    let walker = ignore::WalkBuilder::new(root).follow_links(false).build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                if is_file && include.is_match(e.file_name()) {
                    let path = e.into_path();
                    targets.push(Target {
                        display: path.to_string_lossy().into_owned(),
                        path,
                    });
                }
            }
            Err(err) => errors.push(WalkError {
                path: root.to_string_lossy().into_owned(),
                message: err.to_string(),
                explicit: false,
            }),
        }
    }
}

/// Compiles glob patterns matched against file names.
pub fn globs(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p)?);
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_for_policies_and_keeps_named_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("b.md"), "x").unwrap();
        std::fs::write(d.join("sub/a.html"), "x").unwrap();
        std::fs::write(d.join("logo.png"), "x").unwrap();
        std::fs::write(d.join("notes.cfg"), "x").unwrap();
        let include = globs(DEFAULT_INCLUDE).unwrap();
        let (t, e) = collect(
            &[d.to_path_buf(), d.join("notes.cfg"), d.join("missing.md")],
            &include,
        );
        let names: Vec<_> = t
            .iter()
            .map(|t| t.path.strip_prefix(d).unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("b.md"),
                PathBuf::from("notes.cfg"),
                PathBuf::from("sub/a.html")
            ]
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].explicit && e[0].path.ends_with("missing.md"));
    }
}
