//! Which files to lint: named files as given, folders walked for policies.

use std::path::{Path, PathBuf};

use crate::config::Config;

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

/// Finds the files to lint. Named files are linted unless the
/// configuration excludes them; folders are walked (honouring `.gitignore`
/// and skipping hidden files, like ripgrep) for files it includes. Targets
/// come back sorted by display path so output order is deterministic.
pub fn collect(paths: &[PathBuf], config: &Config) -> (Vec<Target>, Vec<WalkError>) {
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
            Ok(meta) if !meta.is_dir() => {
                if !config.is_excluded(root) {
                    targets.push(Target {
                        path: root.clone(),
                        display: shown,
                    });
                }
            }
            Ok(_) => walk_dir(root, config, &mut targets, &mut errors),
        }
    }
    targets.sort_by(|a, b| a.display.cmp(&b.display));
    targets.dedup_by(|a, b| a.path == b.path);
    (targets, errors)
}

fn walk_dir(root: &Path, config: &Config, targets: &mut Vec<Target>, errors: &mut Vec<WalkError>) {
    let walker = ignore::WalkBuilder::new(root).follow_links(false).build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                if is_file && config.is_included(e.path()) {
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
        let config = Config::defaults(d.to_path_buf());
        let (t, e) = collect(
            &[d.to_path_buf(), d.join("notes.cfg"), d.join("missing.md")],
            &config,
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
