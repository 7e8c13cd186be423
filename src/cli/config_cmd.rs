//! `privlint init` and `privlint config --show`.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use privlint::config::{self, FailOn, Setting};
use privlint::pack;
use privlint::rule::Severity;

use super::check::{resolve_config, write_atomically};
use super::{EXIT_CLEAN, EXIT_ERROR, report_error};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the configuration.
    #[arg(default_value = ".privlint.yaml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Print the effective configuration (for PATH, when given).
    #[arg(long, required = true)]
    pub show: bool,
    /// A policy path: show which rules run on it and at what severity.
    pub path: Option<PathBuf>,
    /// Use this configuration file instead of looking for .privlint.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,
}

pub fn init(args: InitArgs) -> io::Result<i32> {
    if args.path.exists() && !args.force {
        errln!(
            "error: {} exists; pass --force to overwrite it",
            args.path.display()
        );
        return Ok(EXIT_ERROR);
    }
    let packs = match pack::load(&[]) {
        Ok(p) => p,
        Err(e) => return Ok(report_error(*e)),
    };
    let mut text = String::from(STARTER_HEAD);
    for name in pack::builtin_names() {
        let hash = if pack::is_opt_in(name) { "# " } else { "" };
        text.push_str(&format!("  {hash}- {name}\n"));
    }
    text.push_str(STARTER_RULES);
    for rule in &packs.rules {
        text.push_str(&format!(
            "  # {}: {}{:pad$}# {}\n",
            rule.meta.id,
            rule.meta.severity,
            "",
            rule.meta.title,
            pad = 44usize.saturating_sub(rule.meta.id.len() + rule.meta.severity.as_str().len())
        ));
    }
    text.push_str(STARTER_TAIL);
    if let Err(e) = write_atomically(&args.path, text.as_bytes()) {
        errln!("error: cannot write {}: {e}", args.path.display());
        return Ok(EXIT_ERROR);
    }
    errln!("wrote {}", args.path.display());
    Ok(EXIT_CLEAN)
}

const STARTER_HEAD: &str = "\
# privlint configuration. privlint looks for .privlint.yaml (or privlint.yaml)
# in the current folder and the folders above it. Paths and globs are relative
# to this file. Reference: docs/configuration.md.

# Rule packs to run: built-in names and paths to your own pack files or
# folders of them. Default: the packs not commented out below; the others
# are for particular laws and run only when named (docs/packs.md).
packs:
";

const STARTER_RULES: &str = "  # - ./rules/house-rules.yaml

# Turn rules (or whole packs) off, or change their severity:
# off, info, warning, error. Built-in rules and their defaults:
rules:
";

const STARTER_TAIL: &str = "
# Which files below a folder are policies (default: .md, .html, .txt and
# the like). As in .gitignore, a glob with no slash matches at any depth.
# include: [\"*.md\", \"*.html\"]

# Files never linted, even when named on the command line.
exclude:
  - \"drafts/\"

# Settings for some paths only; later entries win.
# overrides:
#   - files: [\"eu/**\"]
#     rules:
#       third-party-sale/do-not-sell-link: off

# The lowest severity that makes `privlint check` exit 1:
# error, warning, info or never.
fail-on: error
";

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Shown {
    configuration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<PathShown>,
    packs: Vec<String>,
    fail_on: FailOn,
    include: Vec<String>,
    exclude: Vec<String>,
    /// Every rule of the loaded packs, in pack order: its severity, or `off`.
    rules: serde_yaml::Mapping,
}

#[derive(Serialize)]
struct PathShown {
    path: String,
    linted: bool,
    overrides: Vec<usize>,
}

pub fn show(args: ConfigArgs) -> io::Result<i32> {
    let config = match resolve_config(args.config.as_deref(), args.no_config) {
        Ok(c) => c,
        Err(e) => return Ok(report_error(*e)),
    };
    let (packs, ids) = match config::load_packs(&config, &[]) {
        Ok(p) => p,
        Err(e) => return Ok(report_error(*e)),
    };
    // Without a path, no override applies: the top-level settings.
    let selection = match &args.path {
        Some(p) => config.selection(&packs, ids.as_ref(), p),
        None => config.top_level_selection(&packs, ids.as_ref()),
    };
    let rules = packs
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let setting = match selection.severity(i) {
                None => Setting::Off,
                Some(s) => match s {
                    Severity::Info => Setting::Info,
                    Severity::Warning => Setting::Warning,
                    Severity::Error => Setting::Error,
                },
            };
            (r.meta.id.clone().into(), setting.to_string().into())
        })
        .collect();
    let path = args.path.as_ref().map(|p| {
        let rel = config.relative(p);
        PathShown {
            path: p.display().to_string(),
            linted: !config.is_excluded(p) && (p.is_file() || config.is_included(p)),
            overrides: config
                .overrides
                .iter()
                .enumerate()
                .filter(|(_, o)| o.files.is_match(&rel))
                .map(|(i, _)| i)
                .collect(),
        }
    });
    let shown = Shown {
        configuration: config.shown(),
        path,
        packs: packs.packs.iter().map(|(id, _)| id.clone()).collect(),
        fail_on: config.fail_on.unwrap_or(FailOn::Error),
        include: config.include.patterns.clone(),
        exclude: config.exclude.patterns.clone(),
        rules,
    };
    let yaml = serde_yaml::to_string(&shown).map_err(io::Error::other)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(yaml.as_bytes())?;
    Ok(EXIT_CLEAN)
}
