//! `privlint check`: lint files and folders.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use rayon::prelude::*;

use privlint::baseline::{self, Baseline};
use privlint::config::{self, Config, FailOn, PackIds};
use privlint::document::InputFormat;
use privlint::finding::{FileReport, FileStatus};
use privlint::lint::{AsOf, LintOptions, Linter};
use privlint::policy_date::CivilDate;
use privlint::render::{
    ConciseRenderer, GithubRenderer, JsonRenderer, JsonlRenderer, MarkdownRenderer, PlainRenderer,
    PrettyRenderer, RenderOptions, Renderer, SarifRenderer, StatisticsRenderer, Summary,
};
use privlint::walk;

use super::rule_source::{Loaded, RuleSource};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, report_error};

/// Files are linted in parallel in chunks and printed in order, so memory
/// stays flat however many files there are. A chunk's reports, each with
/// its file's text, are all held until the chunk is printed, so a chunk
/// ends after this many files or once its files reach [`CHUNK_BYTES`].
const CHUNK: usize = 128;
/// On the bench corpus, 128 files held 11 MB of text at the heap's peak;
/// a chunk of 2 MiB still keeps both cores busy for tens of milliseconds
/// (`docs/performance.md`).
const CHUNK_BYTES: u64 = 2 << 20;

/// `targets` cut into chunks of at most [`CHUNK`] files, each ending at the
/// file that brings it to [`CHUNK_BYTES`] (by the size on disk; a file
/// whose size cannot be read counts as empty and fails when linted).
fn chunks(targets: &[walk::Target]) -> impl Iterator<Item = &[walk::Target]> {
    let mut rest = targets;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && n < CHUNK && bytes < CHUNK_BYTES {
            bytes += std::fs::metadata(&rest[n].path).map_or(0, |m| m.len());
            n += 1;
        }
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to lint (folders are searched for policy files: .md, .html, .txt and the like,
    /// or the configuration's `include`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: pretty on a terminal, plain otherwise or when CI is set].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Also write a report to FILE (repeatable), in the format its extension names:
    /// .sarif (or .sarif.json), .json, .jsonl, .txt or .log (plain), or the one FORMAT:FILE names
    /// (e.g. markdown:$GITHUB_STEP_SUMMARY). Written whole or not at all.
    #[arg(long, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Print how many findings each rule raised instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Exit with 1 when a finding at or above this severity is reported
    /// [default: the configuration's `fail-on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Parse every file as this format instead of choosing by extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding in FILE as the baseline, and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Ignore `<!-- privlint-disable ... -->` comments in policies.
    #[arg(long)]
    pub no_inline_config: bool,
    /// Also print the statements that satisfy each requirement.
    #[arg(long)]
    pub show_evidence: bool,
    /// Judge policies as of this day: `today` (a live policy answers to today's law),
    /// YYYY-MM-DD, or `document` (each policy as of its own stated date, today when it has none).
    /// Decides which rules apply (their validity windows) and how old a policy's date is.
    #[arg(long, value_name = "WHEN", default_value = "today", value_parser = parse_as_of)]
    pub as_of: AsOf,
    /// When to use colour in pretty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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
    /// A Markdown summary, a table per file (for $GITHUB_STEP_SUMMARY or a pull-request comment).
    Markdown,
}

impl OutputFormat {
    /// The format a `--output` file's extension names.
    fn for_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let ext = name.rsplit('.').next()?;
        Some(match ext {
            "json" if name.ends_with(".sarif.json") => OutputFormat::Sarif,
            "json" => OutputFormat::Json,
            "sarif" => OutputFormat::Sarif,
            "jsonl" | "ndjson" => OutputFormat::Jsonl,
            "txt" | "log" => OutputFormat::Plain,
            _ => return None,
        })
    }

    /// A `--output` value: `FORMAT:FILE` when it starts with a format's
    /// name and a colon (a path is never split otherwise), else the file
    /// alone and the format its extension names.
    fn for_output(given: &Path) -> (Option<Self>, PathBuf) {
        if let Some((name, rest)) = given.to_str().and_then(|s| s.split_once(':'))
            && !rest.is_empty()
            && let Ok(format) = OutputFormat::from_str(name, false)
        {
            return (Some(format), PathBuf::from(rest));
        }
        (OutputFormat::for_path(given), given.to_path_buf())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found.
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    Markdown,
    Html,
    Text,
    Docx,
}

impl From<InputFormatArg> for InputFormat {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Markdown => InputFormat::Markdown,
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Docx => InputFormat::Docx,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The configuration a run uses: `--config`, else the nearest
/// `.privlint.yaml` above the current folder, else the defaults.
pub fn resolve_config(explicit: Option<&Path>, none: bool) -> Result<Config, Box<privlint::pack::PackError>> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if none {
        return Ok(Config::defaults(cwd));
    }
    match explicit.map(Path::to_path_buf).or_else(|| config::discover(&cwd)) {
        Some(path) => Config::load(&path),
        None => Ok(Config::defaults(cwd)),
    }
}

/// A report written to a file: rendered into a temporary file beside it,
/// renamed over it at the end, so readers never see half a report.
struct FileSink {
    renderer: Box<dyn Renderer>,
    out: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl FileSink {
    fn create(given: &Path, opts: RenderOptions, rules: &RunRules) -> Result<Self, String> {
        let (format, path) = OutputFormat::for_output(given);
        let path = path.as_path();
        let format = format.ok_or_else(|| {
            format!(
                "--output {}: cannot tell the format from the extension (use .json, .jsonl, .sarif, .txt or .log, or FORMAT:FILE)",
                path.display()
            )
        })?;
        let tmp = temp_beside(path).map_err(|e| {
            format!(
                "--output {}: cannot create a file in {}: {e}",
                path.display(),
                folder_of(path).display()
            )
        })?;
        Ok(FileSink {
            renderer: renderer(format, RenderOptions { color: false, ..opts }, rules),
            out: io::BufWriter::new(tmp),
            path: path.to_path_buf(),
        })
    }

    fn persist(self) -> io::Result<()> {
        let tmp = self.out.into_inner().map_err(io::IntoInnerError::into_error)?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The rules a run uses, with their configured severities (where no
/// override applies): SARIF lists them up front.
type RunRules = Vec<(std::sync::Arc<privlint::rule::RuleMeta>, privlint::rule::Severity)>;

fn renderer(format: OutputFormat, opts: RenderOptions, rules: &RunRules) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Pretty => Box::new(PrettyRenderer::new(opts)),
        OutputFormat::Plain => Box::new(PlainRenderer::new(opts)),
        OutputFormat::Concise => Box::new(ConciseRenderer::new(opts)),
        OutputFormat::Json => Box::new(JsonRenderer::new(opts)),
        OutputFormat::Github => Box::new(GithubRenderer::new()),
        OutputFormat::Sarif => Box::new(SarifRenderer::new(rules.clone())),
        OutputFormat::Jsonl => Box::new(JsonlRenderer::new()),
        OutputFormat::Markdown => Box::new(MarkdownRenderer::new()),
    }
}

pub(super) fn parse_as_of(s: &str) -> Result<AsOf, String> {
    AsOf::parse(s)
}

pub fn check(args: CheckArgs) -> io::Result<i32> {
    let interrupted = on_interrupt();
    let Loaded {
        config,
        packs,
        pack_ids,
    } = match args.rules.load() {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let mut known = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => return Ok(report_error(*e)),
    };
    let linter = Linter::with_options(
        packs,
        LintOptions {
            inline_config: !args.no_inline_config,
            as_of: args.as_of,
            today: CivilDate::today(),
            outline: false,
        },
    );
    let (targets, mut usage_error) = collect_targets(&args.paths, &config);
    // `--output FORMAT:FILE` writes FILE.
    let output_files: Vec<PathBuf> = args
        .output
        .iter()
        .map(|p| OutputFormat::for_output(p).1)
        .collect();
    let outputs: Vec<(&str, &Path)> = output_files
        .iter()
        .map(|p| ("--output", p.as_path()))
        .chain(
            args.write_baseline
                .iter()
                .map(|p| ("--write-baseline", p.as_path())),
        )
        .collect();
    if let Some(message) = writes_over_a_target(&outputs, &targets) {
        errln!("error: {message}");
        return Ok(EXIT_ERROR);
    }
    if interrupted.load(Ordering::SeqCst) {
        return Ok(EXIT_INTERRUPTED);
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
    // Every rule loaded (an override may turn on one that is off at the
    // top level), at its top-level severity, and privlint's own rules
    // when comments are read.
    let top = config.top_level_selection(&linter.packs, pack_ids.as_ref());
    let mut run_rules: RunRules = linter
        .packs
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                std::sync::Arc::clone(&r.meta),
                top.severity(i).unwrap_or(r.severity),
            )
        })
        .collect();
    if !args.no_inline_config {
        for own in privlint::suppress::builtin_rules() {
            let severity = top.own(&own.id).unwrap_or(own.severity);
            run_rules.push((own, severity));
        }
    }
    let mut stdout_renderer: Box<dyn Renderer> = if args.statistics {
        Box::new(StatisticsRenderer::new(format == OutputFormat::Json))
    } else {
        renderer(format, opts, &run_rules)
    };
    // Created now so that a baseline that cannot be written fails the run
    // before the linting rather than after it.
    let mut baseline_tmp = match args.write_baseline.as_deref().map(temp_beside).transpose() {
        Ok(t) => t,
        Err(e) => {
            let path = args.write_baseline.as_deref().unwrap_or(Path::new(""));
            errln!(
                "error: --write-baseline {}: cannot create a file in {}: {e}",
                path.display(),
                folder_of(path).display()
            );
            return Ok(EXIT_ERROR);
        }
    };
    let mut sinks = Vec::new();
    for path in &args.output {
        match FileSink::create(path, opts, &run_rules) {
            Ok(s) => sinks.push(s),
            Err(message) => {
                errln!("error: {message}");
                return Ok(EXIT_ERROR);
            }
        }
    }
    let input_format = args.input_format.map(InputFormat::from);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut recorded = Vec::new();
    for chunk in chunks(&targets) {
        let reports: Vec<FileReport> = chunk
            .par_iter()
            .map(|t| lint_target(t, &linter, &config, pack_ids.as_ref(), input_format, &interrupted))
            .collect();
        if interrupted.load(Ordering::SeqCst) {
            // Dropping the sinks deletes their temporary files: the
            // --output files keep what they held before the run.
            return Ok(EXIT_INTERRUPTED);
        }
        for (target, mut report) in chunk.iter().zip(reports) {
            // A file found in a folder that cannot be read is reported and
            // counted; only one the user named makes the run fail with 2.
            usage_error |= target.named && matches!(report.status, FileStatus::Failed(_));
            if args.write_baseline.is_some() {
                recorded.extend(baseline::entries(&report));
            }
            if let Some(known) = known.as_mut() {
                summary.baselined += known.filter(&mut report);
            }
            summary.add(&report);
            stdout_renderer.file(&mut out, &report)?;
            for sink in &mut sinks {
                sink.renderer.file(&mut sink.out, &report)?;
            }
        }
    }
    stdout_renderer.finish(&mut out, &summary)?;
    out.flush()?;
    // Past this point the run is finished; a late Ctrl-C only ends it
    // before anything is renamed into place.
    if interrupted.load(Ordering::SeqCst) {
        return Ok(EXIT_INTERRUPTED);
    }
    for mut sink in sinks {
        sink.renderer.finish(&mut sink.out, &summary)?;
        let path = sink.path.clone();
        if let Err(e) = sink.persist() {
            errln!("error: --output {}: {e}", path.display());
            return Ok(EXIT_ERROR);
        }
    }

    if let Some(path) = &args.write_baseline {
        // A baseline missing the findings of a file that could not be read
        // would report them all as new once it can.
        if usage_error || summary.failed > 0 {
            errln!(
                "error: --write-baseline {}: not written, as not every file could be linted",
                path.display()
            );
            return Ok(EXIT_ERROR);
        }
        let n = recorded.len();
        let mut tmp = baseline_tmp.take().expect("created with --write-baseline");
        let written = tmp
            .write_all(baseline::to_json(recorded).as_bytes())
            .and_then(|()| tmp.persist(path).map(drop).map_err(|e| e.error));
        if let Err(e) = written {
            errln!("error: --write-baseline {}: {e}", path.display());
            return Ok(EXIT_ERROR);
        }
        errln!("wrote {n} findings to the baseline {}", path.display());
        return Ok(EXIT_CLEAN);
    }
    if usage_error {
        return Ok(EXIT_ERROR);
    }
    let fail_on = args
        .fail_on
        .map(FailOn::from)
        .or(config.fail_on)
        .unwrap_or(FailOn::Error);
    let failed = matches!((fail_on.threshold(), summary.worst()), (Some(t), Some(w)) if w >= t);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Sets the returned flag on Ctrl-C (SIGINT), which the run polls so that
/// it can stop without leaving half-written files. A second Ctrl-C ends
/// the process at once.
/// The files to lint under `paths`. A path the user named that is not
/// there is reported and makes the run an error (the `bool`), but the
/// other paths are still linted; an empty folder is a warning.
pub(super) fn collect_targets(paths: &[PathBuf], config: &Config) -> (Vec<walk::Target>, bool) {
    let walk::Collected {
        targets,
        errors,
        empty,
    } = walk::collect(paths, config);
    for e in &errors {
        errln!("error: {}: {}", e.path, e.message);
    }
    for dir in &empty {
        errln!("warning: no policies found in {dir}");
    }
    (targets, !errors.is_empty())
}

/// Lints one target with the rules its path selects. After Ctrl-C it
/// returns at once with a report the caller throws away, so the rest of
/// a parallel batch stops quickly.
pub(super) fn lint_target(
    t: &walk::Target,
    linter: &Linter,
    config: &Config,
    pack_ids: Option<&PackIds>,
    input_format: Option<InputFormat>,
    interrupted: &AtomicBool,
) -> FileReport {
    if let Some(why) = &t.error {
        return FileReport::not_linted(t.display.clone(), FileStatus::Failed(why.clone()));
    }
    if interrupted.load(Ordering::Relaxed) {
        return FileReport::not_linted(t.display.clone(), FileStatus::Skipped(String::new()));
    }
    let selection = config.selection(&linter.packs, pack_ids, &t.path);
    linter.lint_file_selected(&t.path, t.display.clone(), input_format, &selection)
}

pub(super) fn on_interrupt() -> Arc<AtomicBool> {
    use signal_hook::consts::SIGINT;
    let flag = Arc::new(AtomicBool::new(false));
    // Order matters: the shutdown is armed only once the flag is set.
    let armed = signal_hook::flag::register_conditional_shutdown(SIGINT, EXIT_INTERRUPTED, Arc::clone(&flag))
        .and_then(|_| signal_hook::flag::register(SIGINT, Arc::clone(&flag)));
    if let Err(e) = armed {
        // Without the handler Ctrl-C still ends the run, just not tidily.
        errln!("warning: cannot catch Ctrl-C: {e}");
    }
    flag
}

/// Refuses an output file (given as the flag that named it, and its path)
/// that is one of the files being linted: privlint never writes to a
/// policy.
pub(super) fn writes_over_a_target(outputs: &[(&str, &Path)], targets: &[walk::Target]) -> Option<String> {
    let outputs: Vec<(&str, &Path, PathBuf)> = outputs
        .iter()
        // One that does not exist yet cannot be a policy.
        .filter_map(|&(flag, p)| Some((flag, p, std::fs::canonicalize(p).ok()?)))
        .collect();
    if outputs.is_empty() {
        return None;
    }
    for t in targets {
        let Ok(real) = std::fs::canonicalize(&t.path) else {
            continue;
        };
        if let Some((flag, given, _)) = outputs.iter().find(|(_, _, o)| *o == real) {
            return Some(format!(
                "{flag} {}: is a policy being linted ({}); privlint does not write to policies",
                given.display(),
                t.display
            ));
        }
    }
    None
}

/// Writes a file whole or not at all: into a temporary file beside it,
/// then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `path`'s folder, so renaming it over `path` is
/// atomic (same file system).
pub(super) fn temp_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::NamedTempFile::new_in(folder_of(path)).map_err(|e| {
        // tempfile adds ` at path "DIR/.tmpXXXXXX"`, a name the user never
        // gave and that does not exist; the callers name the file and folder.
        let message = e.to_string();
        let message = message.split(" at path \"").next().unwrap_or_default();
        io::Error::new(e.kind(), message.to_owned())
    })
}

/// The folder `path` is in (`.` for a bare file name).
pub(super) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}
