//! `privlint eval`: precision and recall against labelled policies.

use std::io::{self, Write};
use std::path::PathBuf;

use privlint::lint::Linter;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ListFormat, load_packs};

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Label files, or folders of them (see eval/LABELLING.md).
    #[arg(long, required = true)]
    pub labels: Vec<PathBuf>,
    /// Folders holding the labelled policies, searched in order.
    #[arg(long, required = true)]
    pub corpus: Vec<PathBuf>,
    /// Rule packs to evaluate [default: the default built-in packs].
    #[arg(long = "packs", value_delimiter = ',')]
    pub packs: Vec<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Exit with 1 when a rule's precision is below this.
    #[arg(long)]
    pub min_precision: Option<f64>,
    /// Exit with 1 when a rule's recall is below this.
    #[arg(long)]
    pub min_recall: Option<f64>,
    /// A rule still scored and printed but exempt from the thresholds: a
    /// known gap written down where the gate is run (repeatable).
    #[arg(long = "not-gated", value_name = "RULE")]
    pub not_gated: Vec<String>,
}

pub fn eval(args: EvalArgs) -> io::Result<i32> {
    let Some(packs) = load_packs(&args.packs) else {
        return Ok(EXIT_ERROR);
    };
    let linter = Linter::new(packs);
    let result = privlint::eval::load_labels(&args.labels)
        .and_then(|labels| privlint::eval::evaluate(&linter, &labels, &args.corpus));
    let report = match result {
        Ok(r) => r,
        Err(privlint::eval::EvalError::Labels(e)) => {
            errln!("{:?}", miette::Report::new(*e));
            return Ok(EXIT_ERROR);
        }
        Err(privlint::eval::EvalError::Io(e)) => {
            errln!("error: {e}");
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
    let (exempt, failing): (Vec<&str>, Vec<&str>) = failing
        .into_iter()
        .partition(|rule| args.not_gated.iter().any(|g| g == rule));
    if !exempt.is_empty() {
        errln!(
            "below the thresholds but not gated (--not-gated): {}",
            exempt.join(", ")
        );
    }
    if let Some(unknown) = args
        .not_gated
        .iter()
        .find(|g| !report.rules.iter().any(|r| &r.rule == *g))
    {
        errln!("error: --not-gated {unknown}: no such rule was scored");
        return Ok(EXIT_ERROR);
    }
    if failing.is_empty() {
        Ok(EXIT_CLEAN)
    } else {
        errln!("below the thresholds: {}", failing.join(", "));
        Ok(EXIT_FINDINGS)
    }
}
