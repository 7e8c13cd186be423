//! The options that choose a command's rules, shared by `check`, `report`
//! and `diff`: which packs, and which configuration file.

use std::path::PathBuf;

use privlint::config::{self, Config, PackIds};
use privlint::pack::CompiledPacks;

use super::check::resolve_config;
use super::report_error;

#[derive(Debug, clap::Args)]
pub struct RuleSource {
    /// Rule packs to run: built-in pack names or paths to pack files or folders
    /// [default: the configuration's `packs`, else the default built-in packs].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    /// Use this configuration file instead of looking for .privlint.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,
}

/// A configuration and the packs it (or `--packs`) names.
pub struct Loaded {
    pub config: Config,
    pub packs: CompiledPacks,
    pub pack_ids: Option<PackIds>,
}

impl RuleSource {
    /// Finds and loads the configuration and its packs. A bad one is
    /// reported on its file, and the exit code returned as the error.
    pub fn load(&self) -> Result<Loaded, i32> {
        let config = resolve_config(self.config.as_deref(), self.no_config).map_err(|e| report_error(*e))?;
        let (packs, pack_ids) = config::load_packs(&config, &self.packs).map_err(|e| report_error(*e))?;
        Ok(Loaded {
            config,
            packs,
            pack_ids,
        })
    }
}
