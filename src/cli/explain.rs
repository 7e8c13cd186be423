//! `privlint explain RULE`: one rule's documentation.

use std::io::{self, Write};

use privlint::pack::CompiledPacks;
use privlint::render::rule_doc;

use super::{EXIT_CLEAN, EXIT_ERROR, active_packs};

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `coppa/under-13-statement` (a pack id lists its rules).
    pub rule: String,
    /// Rule packs to look the rule up in [default: the configuration's, then every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Markdown)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExplainFormat {
    Markdown,
    Json,
}

/// Suggestions closer than this (Jaro-Winkler similarity) are offered.
const SIMILAR: f64 = 0.8;
const MAX_SUGGESTIONS: usize = 3;

pub fn explain(args: ExplainArgs) -> io::Result<i32> {
    let Some((mut packs, _)) = active_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    // An opt-in pack's rule is documented whether or not it is active.
    let known = |p: &CompiledPacks| {
        p.rules.iter().any(|r| r.meta.id == args.rule) || p.packs.iter().any(|(id, _)| *id == args.rule)
    };
    if args.packs.is_empty() && !known(&packs) {
        match privlint::pack::load_every_builtin() {
            Ok(all) if known(&all) => packs = all,
            Ok(_) => {}
            Err(e) => return Ok(super::report_error(*e)),
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let own = privlint::suppress::builtin_rules();
    let found = packs
        .rules
        .iter()
        .map(|r| &r.meta)
        .chain(own.iter())
        .find(|m| m.id == args.rule);
    if let Some(meta) = found {
        match args.format {
            ExplainFormat::Markdown => out.write_all(rule_doc::rule_page(meta).as_bytes())?,
            ExplainFormat::Json => {
                serde_json::to_writer_pretty(&mut out, meta.as_ref())?;
                writeln!(out)?;
            }
        }
    } else if let Some((pack, title)) = packs.packs.iter().find(|(p, _)| *p == args.rule) {
        // A pack id: list its rules, so the next command is one copy away.
        writeln!(out, "Pack `{pack}`: {title}. Explain one of its rules:\n")?;
        for r in packs.rules.iter().filter(|r| &r.meta.pack == pack) {
            writeln!(
                out,
                "{:<40} {:<8} {}",
                r.meta.id,
                r.meta.severity.as_str(),
                r.meta.title
            )?;
        }
    } else {
        errln!("error: no rule `{}`", args.rule);
        let near = suggestions(&packs, &args.rule);
        if !near.is_empty() {
            let list: Vec<_> = near.iter().map(|id| format!("`{id}`")).collect();
            errln!("help: did you mean {}?", list.join(" or "));
        }
        errln!("help: `privlint rules` lists every rule");
        return Ok(EXIT_ERROR);
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}

/// The rule ids nearest to `query`, best first: compared whole and by their
/// name part, so `under-13` finds `coppa/under-13-statement`.
fn suggestions<'a>(packs: &'a CompiledPacks, query: &str) -> Vec<&'a str> {
    let query = query.to_lowercase();
    let mut scored: Vec<(f64, &str)> = packs
        .rules
        .iter()
        .map(|r| {
            let id = r.meta.id.as_str();
            let name = id.split_once('/').map_or(id, |(_, n)| n);
            let score = strsim::jaro_winkler(&query, id)
                .max(strsim::jaro_winkler(&query, name))
                .max(if !query.is_empty() && name.contains(&query) {
                    1.0
                } else {
                    0.0
                });
            (score, id)
        })
        .filter(|(score, _)| *score >= SIMILAR)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, id)| id)
        .collect()
}
