//! Which files to lint: named files as given, folders walked for policies.

use std::path::{Path, PathBuf};

use crate::config::Config;

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// The path as shown to the user: as given, joined with the path below a
    /// folder; a name that is not UTF-8 is shown lossily (U+FFFD).
    pub display: String,
    /// The user named this path itself, rather than a folder holding it:
    /// failing to read it is then an error of the run (exit 2).
    pub named: bool,
    /// Why walking could not go through this path (an unreadable folder
    /// below a named one): reported as a failed file, not linted.
    pub error: Option<String>,
}

/// A named path that cannot be linted at all (missing, a dangling link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// Sorted by display path.
    pub targets: Vec<Target>,
    /// Named paths that do not exist or cannot be looked at.
    pub errors: Vec<WalkError>,
    /// Named folders in which no file to lint was found.
    pub empty: Vec<String>,
}

/// Finds the files to lint. Named files are linted unless the
/// configuration excludes them (a named link is followed); folders are
/// walked (honouring `.gitignore` and skipping hidden files, like ripgrep)
/// for files it includes. Links found inside a folder are not followed,
/// as ripgrep and git do not follow them: a link to its own folder cannot
/// make the walk loop, and a dangling one is not an error. Targets come
/// back sorted by display path so output order is deterministic.
pub fn collect(paths: &[PathBuf], config: &Config) -> Collected {
    let mut found = Collected::default();
    for root in paths {
        let shown = root.to_string_lossy().into_owned();
        match std::fs::metadata(root) {
            Err(e) => found.errors.push(WalkError {
                path: shown,
                message: e.to_string(),
            }),
            Ok(meta) if !meta.is_dir() => {
                if !config.is_excluded(root) {
                    found.targets.push(Target {
                        path: root.clone(),
                        display: shown,
                        named: true,
                        error: None,
                    });
                }
            }
            Ok(_) => {
                let before = found.targets.len();
                walk_dir(root, config, &mut found.targets);
                if found.targets.len() == before {
                    found.empty.push(shown);
                }
            }
        }
    }
    // A file named twice (`a.md` and `./a.md`), or named and found in a
    // folder, is linted once; named wins so that failing to read it still
    // counts as an error.
    found
        .targets
        .sort_by_cached_key(|t| (lexical(&t.path), t.display.clone()));
    found.targets.dedup_by(|later, kept| {
        let same = lexical(&later.path) == lexical(&kept.path);
        kept.named |= same && later.named;
        same
    });
    found.targets.sort_by(|a, b| a.display.cmp(&b.display));
    found
}

/// The path without `.` components: the same file however it was named,
/// without touching the file system (links and `..` are left alone).
fn lexical(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn walk_dir(root: &Path, config: &Config, targets: &mut Vec<Target>) {
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
                        named: false,
                        error: None,
                    });
                }
            }
            Err(err) => {
                let (path, message) = split_error(&err);
                let path = path.unwrap_or(root);
                targets.push(Target {
                    display: path.to_string_lossy().into_owned(),
                    path: path.to_path_buf(),
                    // The named folder itself could not be read.
                    named: path == root,
                    error: Some(message),
                });
            }
        }
    }
}

/// The path an error from the walk is about, and the error without it
/// (ignore's own message puts the path first, and it is shown separately).
fn split_error(err: &ignore::Error) -> (Option<&Path>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path), split_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => split_error(err),
        ignore::Error::Loop { child, .. } => (Some(child), err.to_string()),
        // walkdir's error, which names the path again, around the OS error.
        ignore::Error::Io(e) => match e.get_ref().and_then(|inner| inner.source()) {
            Some(os) => (None, os.to_string()),
            None => (None, e.to_string()),
        },
        other => (None, other.to_string()),
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
        let found = collect(
            &[d.to_path_buf(), d.join("notes.cfg"), d.join("missing.md")],
            &config,
        );
        let (t, e) = (found.targets, found.errors);
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
        assert!(e[0].path.ends_with("missing.md"));
        let named: Vec<_> = t.iter().map(|t| t.named).collect();
        assert_eq!(named, [false, true, false]);
        assert!(found.empty.is_empty());
    }

    #[test]
    fn dot_components_do_not_make_a_second_file() {
        assert_eq!(lexical(Path::new("./a.md")), lexical(Path::new("a.md")));
        assert_eq!(lexical(Path::new("./sub/a.md")), lexical(Path::new("sub/a.md")));
        assert_ne!(lexical(Path::new("../a.md")), lexical(Path::new("a.md")));
    }
}
