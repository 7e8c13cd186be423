//! The configuration each open document is linted with: the nearest
//! `.privlint.yaml` above the document (as `privlint check` run from that
//! folder finds it), its packs loaded once and kept until a YAML file
//! changes, or the defaults for a document with no path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config, PackIds};
use crate::lint::{LintOptions, Linter};
use crate::pack::PackError;
use crate::policy_date::CivilDate;
use crate::selection::Selection;

/// A configuration with its packs compiled.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub linter: Linter,
    ids: Option<PackIds>,
}

impl Loaded {
    /// The rules on for `path` (overrides applied); the top level for a
    /// document with no path.
    pub fn selection(&self, path: Option<&Path>) -> Selection {
        match path {
            Some(p) => self.config.selection(&self.linter.packs, self.ids.as_ref(), p),
            None => self
                .config
                .top_level_selection(&self.linter.packs, self.ids.as_ref()),
        }
    }
}

/// Configurations by the file they were read from (`None`: the defaults).
#[derive(Debug, Default)]
pub struct Configs {
    loaded: HashMap<Option<PathBuf>, Result<Arc<Loaded>, Arc<PackError>>>,
    /// The day the linters were made on: a server running past midnight
    /// judges policies by the new day's law (linters read today once).
    day: Option<CivilDate>,
}

impl Configs {
    /// The configuration for a document at `path`, loaded on first use.
    /// An error is kept too, so that a broken file is reported once per
    /// change rather than on every keystroke.
    pub fn for_document(&mut self, path: Option<&Path>) -> Result<Arc<Loaded>, Arc<PackError>> {
        let today = CivilDate::today();
        if self.day != Some(today) {
            self.loaded.clear();
            self.day = Some(today);
        }
        let file = path.and_then(|p| p.parent()).and_then(config::discover);
        self.loaded
            .entry(file.clone())
            .or_insert_with(|| load(file.as_deref()).map(Arc::new).map_err(|e| Arc::new(*e)))
            .clone()
    }

    /// Forgets every configuration: the next lint reads them again.
    pub fn clear(&mut self) {
        self.loaded.clear();
    }

    /// The errors of the configurations loaded so far.
    pub fn errors(&self) -> impl Iterator<Item = &Arc<PackError>> {
        self.loaded.values().filter_map(|r| r.as_ref().err())
    }
}

fn load(file: Option<&Path>) -> Result<Loaded, Box<PackError>> {
    let config = match file {
        Some(f) => Config::load(f)?,
        None => Config::defaults(std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
    };
    let (packs, ids) = config::load_packs(&config, &[])?;
    let linter = Linter::with_options(
        packs,
        LintOptions {
            inline_config: true,
            ..LintOptions::default()
        },
    );
    Ok(Loaded { config, linter, ids })
}

/// Whether a changed file can change a configuration: a config file or a
/// YAML file that may be a local pack.
pub fn is_config_input(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    config::FILE_NAMES.contains(&name)
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
