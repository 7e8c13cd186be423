//! Argument parsing and the `check` and `rules` commands.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use privlint::document::InputFormat;
use privlint::finding::FileReport;
use privlint::lint::Linter;
use privlint::pack;
use privlint::render::{
    ConciseRenderer, GithubRenderer, JsonRenderer, PlainRenderer, PrettyRenderer, RenderOptions, Renderer,
    Summary,
};
use privlint::rule::Severity;
use privlint::walk;

/// Exit codes, as documented in README.
const EXIT_CLEAN: i32 = 0;
const EXIT_FINDINGS: i32 = 1;
const EXIT_ERROR: i32 = 2;

/// Files are linted in parallel in chunks of this many and printed in
/// order, so memory stays flat however many files there are.
const CHUNK: usize = 128;

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
    Check(CheckArgs),
    /// List the rules of the active packs.
    Rules(RulesArgs),
    /// Measure the packs against hand-labelled policies.
    Eval(EvalArgs),
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// Label files, or folders of them (see eval/LABELLING.md).
    #[arg(long, required = true)]
    labels: Vec<PathBuf>,
    /// Folders holding the labelled policies, searched in order.
    #[arg(long, required = true)]
    corpus: Vec<PathBuf>,
    /// Rule packs to evaluate [default: every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    packs: Vec<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    /// Exit with 1 when a rule's precision is below this.
    #[arg(long)]
    min_precision: Option<f64>,
    /// Exit with 1 when a rule's recall is below this.
    #[arg(long)]
    min_recall: Option<f64>,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or folders to lint (folders are searched for .md, .html and .txt files).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, plain otherwise or when CI is set].
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Parse every file as this format instead of choosing by extension.
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// Rule packs to run: built-in pack names or paths to pack files or folders
    /// [default: every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    packs: Vec<String>,
    /// Also print the statements that satisfy each requirement.
    #[arg(long)]
    show_evidence: bool,
    /// When to use colour in pretty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, clap::Args)]
struct RulesArgs {
    /// Rule packs to list [default: every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    packs: Vec<String>,
    /// Print every pattern's regex, one a line, instead of the rules.
    #[arg(long)]
    patterns: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Pretty,
    Plain,
    /// One line a finding: `path:line:col: severity[rule] message`.
    Concise,
    Json,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found.
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InputFormatArg {
    Markdown,
    Html,
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
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
        Command::Check(args) => check(args),
        Command::Rules(args) => rules(args),
        Command::Eval(args) => eval(args),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`privlint check . | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

fn load_packs(specs: &[String]) -> Option<pack::CompiledPacks> {
    match pack::load(specs) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(*e));
            None
        }
    }
}

fn check(args: CheckArgs) -> io::Result<i32> {
    let Some(packs) = load_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    let linter = Linter::new(packs);
    let include = walk::globs(walk::DEFAULT_INCLUDE).expect("built-in globs are valid");
    let (targets, walk_errors) = walk::collect(&args.paths, &include);
    let mut usage_error = false;
    for e in &walk_errors {
        eprintln!("error: {}: {}", e.path, e.message);
        usage_error |= e.explicit;
    }

    let stdout_tty = io::stdout().is_terminal();
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    let format = args.format.unwrap_or(if stdout_tty && !in_ci {
        OutputFormat::Pretty
    } else {
        OutputFormat::Plain
    });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let opts = RenderOptions {
        show_evidence: args.show_evidence,
        color,
    };
    let mut renderer: Box<dyn Renderer> = match format {
        OutputFormat::Pretty => Box::new(PrettyRenderer::new(opts)),
        OutputFormat::Plain => Box::new(PlainRenderer::new(opts)),
        OutputFormat::Concise => Box::new(ConciseRenderer::new(opts)),
        OutputFormat::Json => Box::new(JsonRenderer::new(opts)),
        OutputFormat::Github => Box::new(GithubRenderer::new()),
    };
    let input_format = args.input_format.map(|f| match f {
        InputFormatArg::Markdown => InputFormat::Markdown,
        InputFormatArg::Html => InputFormat::Html,
        InputFormatArg::Text => InputFormat::Text,
    });

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    for chunk in targets.chunks(CHUNK) {
        let reports: Vec<FileReport> = chunk
            .par_iter()
            .map(|t| linter.lint_file(&t.path, t.display.clone(), input_format))
            .collect();
        for report in &reports {
            summary.add(report);
            renderer.file(&mut out, report)?;
        }
    }
    renderer.finish(&mut out, &summary)?;
    out.flush()?;

    if usage_error || summary.failed > 0 {
        return Ok(EXIT_ERROR);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = matches!((threshold, summary.worst()), (Some(t), Some(w)) if w >= t);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn rules(args: RulesArgs) -> io::Result<i32> {
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

fn eval(args: EvalArgs) -> io::Result<i32> {
    let Some(packs) = load_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    let linter = Linter::new(packs);
    let result = privlint::eval::load_labels(&args.labels)
        .and_then(|labels| privlint::eval::evaluate(&linter, &labels, &args.corpus));
    let report = match result {
        Ok(r) => r,
        Err(privlint::eval::EvalError::Labels(e)) => {
            eprintln!("{:?}", miette::Report::new(*e));
            return Ok(EXIT_ERROR);
        }
        Err(privlint::eval::EvalError::Io(e)) => {
            eprintln!("error: {e}");
            return Ok(EXIT_ERROR);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ListFormat::Text => privlint::render::write_eval_text(&mut out, &report)?,
    }
    out.flush()?;
    // A rule with nothing to measure (no findings, no expected findings)
    // cannot fail a threshold.
    let below = |value: Option<f64>, min: Option<f64>| matches!((value, min), (Some(v), Some(m)) if v < m);
    let failing: Vec<&str> = report
        .rules
        .iter()
        .filter(|r| below(r.precision, args.min_precision) || below(r.recall, args.min_recall))
        .map(|r| r.rule.as_str())
        .collect();
    if failing.is_empty() {
        Ok(EXIT_CLEAN)
    } else {
        eprintln!("below the thresholds: {}", failing.join(", "));
        Ok(EXIT_FINDINGS)
    }
}
