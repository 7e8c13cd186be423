//! `privlint rules`: list the active rules.

use std::io::{self, Write};

use super::{EXIT_CLEAN, EXIT_ERROR, ListFormat, load_packs};

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Rule packs to list [default: every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    /// Print every pattern's regex, one a line, instead of the rules.
    #[arg(long)]
    pub patterns: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

pub fn rules(args: RulesArgs) -> io::Result<i32> {
    let Some(packs) = load_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.patterns {
        for re in &packs.patterns {
            writeln!(out, "{}", re.as_str())?;
        }
    } else {
        match args.format {
            ListFormat::Json => {
                let metas: Vec<_> = packs.rules.iter().map(|r| r.meta.as_ref()).collect();
                serde_json::to_writer_pretty(&mut out, &metas)?;
                writeln!(out)?;
            }
            ListFormat::Text => {
                for r in &packs.rules {
                    writeln!(out, "{:<40} {:<8} {}", r.meta.id, r.severity, r.meta.title)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}
