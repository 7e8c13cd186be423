//! `privlint report`: lint policies like `check` and write one
//! self-contained HTML report (`docs/report.md`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use privlint::baseline::Baseline;
use privlint::config::FailOn;
use privlint::document::InputFormat;
use privlint::finding::{FileReport, FileStatus};
use privlint::lint::{AsOf, LintOptions, Linter};
use privlint::policy_date::CivilDate;
use privlint::render::Summary;
use privlint::render::report::{ReportOptions, write_report};

use super::check::{
    FailOnArg, InputFormatArg, collect_targets, folder_of, lint_target, on_interrupt, parse_as_of,
    temp_beside, writes_over_a_target,
};
use super::rule_source::{Loaded, RuleSource};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, report_error};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files or folders to report on (folders are searched as `check` searches them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write (`-` for standard output). Written whole or not at all.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Exit with 1 when a finding at or above this severity is reported
    /// [default: the configuration's `fail-on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Parse every file as this format instead of choosing by extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Show findings in this baseline file as known rather than as findings.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore `<!-- privlint-disable ... -->` comments in policies.
    #[arg(long)]
    pub no_inline_config: bool,
    /// Judge policies as of this day: `today`, YYYY-MM-DD, or `document` (each policy's own date).
    #[arg(long, value_name = "WHEN", default_value = "today", value_parser = parse_as_of)]
    pub as_of: AsOf,
}

pub fn report(args: ReportArgs) -> io::Result<i32> {
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
    let today = CivilDate::today();
    let linter = Linter::with_options(
        packs,
        LintOptions {
            inline_config: !args.no_inline_config,
            as_of: args.as_of,
            today,
            outline: true,
        },
    );
    let (targets, mut usage_error) = collect_targets(&args.paths, &config);
    let to_stdout = args.output == Path::new("-");
    if !to_stdout && let Some(message) = writes_over_a_target(&[("--output", &args.output)], &targets) {
        errln!("error: {message}");
        return Ok(EXIT_ERROR);
    }
    // Created before the linting, so that a folder that cannot be written
    // fails the run at once.
    let tmp = if to_stdout {
        None
    } else {
        match temp_beside(&args.output) {
            Ok(t) => Some(t),
            Err(e) => {
                errln!(
                    "error: --output {}: cannot create a file in {}: {e}",
                    args.output.display(),
                    folder_of(&args.output).display()
                );
                return Ok(EXIT_ERROR);
            }
        }
    };
    let input_format = args.input_format.map(InputFormat::from);
    // The report holds every policy's text anyway, so all are linted at
    // once rather than in chunks.
    let mut reports: Vec<FileReport> = targets
        .par_iter()
        .map(|t| lint_target(t, &linter, &config, pack_ids.as_ref(), input_format, &interrupted))
        .collect();
    if interrupted.load(Ordering::SeqCst) {
        return Ok(EXIT_INTERRUPTED);
    }
    let mut summary = Summary::default();
    for (target, report) in targets.iter().zip(&mut reports) {
        usage_error |= target.named && matches!(report.status, FileStatus::Failed(_));
        if let FileStatus::Failed(why) = &report.status {
            errln!("error: {}: {why}", report.path);
        }
        if let Some(known) = known.as_mut() {
            summary.baselined += known.filter(report);
        }
        summary.add(report);
    }
    let opts = ReportOptions {
        generated: Some(today.to_string()),
        as_of: match args.as_of {
            AsOf::Today => None,
            AsOf::On(d) => Some(d.to_string()),
            AsOf::Document => Some("each policy's own date".into()),
        },
    };
    match tmp {
        None => {
            let mut out = io::stdout().lock();
            write_report(&mut out, &reports, &opts)?;
            out.flush()?;
        }
        Some(tmp) => {
            let mut out = io::BufWriter::new(tmp);
            let written = write_report(&mut out, &reports, &opts)
                .and_then(|()| out.into_inner().map_err(io::IntoInnerError::into_error))
                .and_then(|tmp| tmp.persist(&args.output).map(drop).map_err(|e| e.error));
            if let Err(e) = written {
                errln!("error: --output {}: {e}", args.output.display());
                return Ok(EXIT_ERROR);
            }
        }
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
