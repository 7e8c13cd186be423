//! `privlint check`: lint files and folders.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use rayon::prelude::*;

use privlint::document::InputFormat;
use privlint::finding::FileReport;
use privlint::lint::Linter;
use privlint::render::{
    ConciseRenderer, GithubRenderer, JsonRenderer, PlainRenderer, PrettyRenderer, RenderOptions, Renderer,
    Summary,
};
use privlint::rule::Severity;
use privlint::walk;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_packs};

/// Files are linted in parallel in chunks of this many and printed in
/// order, so memory stays flat however many files there are.
const CHUNK: usize = 128;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to lint (folders are searched for .md, .html and .txt files).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, plain otherwise or when CI is set].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Parse every file as this format instead of choosing by extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    /// Rule packs to run: built-in pack names or paths to pack files or folders
    /// [default: every built-in pack].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    /// Also print the statements that satisfy each requirement.
    #[arg(long)]
    pub show_evidence: bool,
    /// When to use colour in pretty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Pretty,
    Plain,
    /// One line a finding: `path:line:col: severity[rule] message`.
    Concise,
    Json,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// One JSON object a line: findings, notices, skipped files, summary.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found.
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    Markdown,
    Html,
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn check(args: CheckArgs) -> io::Result<i32> {
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
        OutputFormat::Sarif => Box::new(privlint::render::SarifRenderer::new(
            linter
                .packs
                .rules
                .iter()
                .map(|r| (r.meta.clone(), r.severity))
                .collect(),
        )),
        OutputFormat::Jsonl => Box::new(privlint::render::JsonlRenderer::new()),
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
