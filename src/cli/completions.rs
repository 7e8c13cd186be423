//! `privlint completions SHELL` and `privlint man`: the command line
//! described for shells and for man(1), both generated from the clap
//! definition so they list exactly the subcommands and options that parse.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_CLEAN};

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write privlint.1 and a page per subcommand (privlint-check.1, ...)
    /// into this folder instead of printing privlint.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> io::Result<i32> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(args.shell, &mut cmd, name, &mut out);
    out.flush()?;
    Ok(EXIT_CLEAN)
}

pub fn man(args: ManArgs) -> io::Result<i32> {
    if let Some(dir) = args.dir {
        // The main page refers to `privlint-check(1)` and so on: these are they.
        std::fs::create_dir_all(&dir)?;
        clap_mangen::generate_to(Cli::command(), &dir)?;
        return Ok(EXIT_CLEAN);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    // As `generate_to` does, so this page lists only pages `--dir` writes.
    let cmd = Cli::command().disable_help_subcommand(true);
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.flush()?;
    Ok(EXIT_CLEAN)
}
