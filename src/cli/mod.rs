//! The command line: argument parsing and one module per subcommand.

/// `eprintln!` that does not panic when standard error is closed
/// (`privlint check … 2>&-`, or `2>&1 | head` after the reader quits): a
/// message nobody can read is dropped, and the exit status still tells.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod completions;
mod config_cmd;
mod diff;
mod eval;
mod explain;
mod lsp;
mod report;
mod rule_source;
mod rules;

use std::io;

use clap::{Parser, Subcommand, ValueEnum};

use privlint::pack;

/// Exit codes, as documented in README.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;
/// Ended by Ctrl-C: 128 + SIGINT, as a shell reports a process it killed.
pub const EXIT_INTERRUPTED: i32 = 130;

#[derive(Debug, Parser)]
#[command(
    name = "privlint",
    version,
    about = "A compliance linter for privacy policies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint policy files and folders.
    Check(check::CheckArgs),
    /// Compare two versions of a policy: which practices got better or worse.
    Diff(diff::DiffArgs),
    /// Write an HTML report of policies: a scorecard and the highlighted text.
    Report(report::ReportArgs),
    /// List the rules of the active packs.
    Rules(rules::RulesArgs),
    /// Measure the packs against hand-labelled policies.
    Eval(eval::EvalArgs),
    /// Write a commented starter .privlint.yaml.
    Init(config_cmd::InitArgs),
    /// Print the effective configuration.
    Config(config_cmd::ConfigArgs),
    /// Show a rule's documentation: what it checks, the law, examples.
    Explain(explain::ExplainArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    Man(completions::ManArgs),
    /// Run the Language Server on stdin and stdout, for editors.
    Lsp(lsp::LspArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_CLEAN };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::check(args),
        Command::Diff(args) => diff::diff(args),
        Command::Report(args) => report::report(args),
        Command::Rules(args) => rules::rules(args),
        Command::Eval(args) => eval::eval(args),
        Command::Init(args) => config_cmd::init(args),
        Command::Config(args) => config_cmd::show(args),
        Command::Explain(args) => explain::explain(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::Lsp(args) => lsp::lsp(args),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`privlint check . | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            errln!("error: {e}");
            EXIT_ERROR
        }
    }
}

pub fn load_packs(specs: &[String]) -> Option<pack::CompiledPacks> {
    match pack::load(specs) {
        Ok(p) => Some(p),
        Err(e) => {
            report_error(*e);
            None
        }
    }
}

/// The packs a command runs with: `--packs` if given, else the
/// configuration's (found as `check` finds it), with the configured
/// severities where no override applies.
pub fn active_packs(cli_packs: &[String]) -> Option<(pack::CompiledPacks, privlint::selection::Selection)> {
    let loaded = check::resolve_config(None, false).and_then(|config| {
        let (packs, ids) = privlint::config::load_packs(&config, cli_packs)?;
        let selection = config.top_level_selection(&packs, ids.as_ref());
        Ok((packs, selection))
    });
    match loaded {
        Ok(l) => Some(l),
        Err(e) => {
            report_error(*e);
            None
        }
    }
}

/// Prints a pack, config or baseline error on its file; returns exit 2.
pub fn report_error(e: pack::PackError) -> i32 {
    errln!("{:?}", miette::Report::new(e));
    EXIT_ERROR
}
