//! `privlint rules`: list the active rules.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use privlint::pack::CompiledPacks;
use privlint::rule::{RuleMeta, Severity};
use privlint::selection::Selection;
use privlint::suppress;

use super::{EXIT_CLEAN, EXIT_ERROR, ListFormat, active_packs};

/// A rule as `--format json` lists it: its description, and its severity
/// under the configuration (`null` when off).
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    meta: &'a RuleMeta,
    configured: Option<Severity>,
}

/// Every pack rule, then privlint's own, with the configured severity.
fn listing(packs: &CompiledPacks, selection: &Selection) -> Vec<(Arc<RuleMeta>, Option<Severity>)> {
    let own = suppress::builtin_rules().into_iter().map(|m| {
        let severity = selection.own(&m.id);
        (m, severity)
    });
    packs
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (Arc::clone(&r.meta), selection.severity(i)))
        .chain(own)
        .collect()
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Rule packs to list [default: the configuration's, else the default built-in packs].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    /// Print every pattern's regex, one a line, instead of the rules.
    #[arg(long)]
    pub patterns: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

pub fn rules(args: RulesArgs) -> io::Result<i32> {
    let Some((packs, selection)) = active_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.patterns {
        for i in 0..packs.patterns.len() {
            writeln!(out, "{}", packs.patterns.source(i))?;
        }
    } else {
        match args.format {
            ListFormat::Json => {
                let listed = listing(&packs, &selection);
                let rows: Vec<Listed> = listed
                    .iter()
                    .map(|(meta, severity)| Listed {
                        meta,
                        configured: *severity,
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            }
            ListFormat::Text => {
                for (meta, severity) in listing(&packs, &selection) {
                    let severity = severity.map_or("off", |s| s.as_str());
                    writeln!(
                        out,
                        "{:<40} {:<8} {:<18} {}",
                        meta.id, severity, meta.pack, meta.title
                    )?;
                }
                // Say what else is shipped, so opt-in packs can be found.
                let idle: Vec<&str> = privlint::pack::builtin_names()
                    .filter(|name| !packs.packs.iter().any(|(id, _)| id == name))
                    .collect();
                if !idle.is_empty() {
                    writeln!(
                        out,
                        "\nBuilt-in packs not running (name them in --packs or `packs:`): {}",
                        idle.join(", ")
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}
