//! What several test files need: the privlint binary as the tests run it,
//! and a folder listing.
#![allow(dead_code)] // each test crate uses some of these

use std::path::Path;

use assert_cmd::Command;

/// privlint run from `dir`, with no CI or GitHub variables and no colour,
/// so output does not depend on where the tests run.
pub fn privlint_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_privlint"));
    cmd.current_dir(dir)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    cmd
}

/// privlint run from the repository's root.
pub fn privlint() -> Command {
    privlint_in(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// The names in `dir`, sorted: a temporary file left behind shows here.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
