//! `privlint eval` output: a per-rule table and every disagreement.

use std::io::{self, Write};

use crate::eval::EvalReport;

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

/// Writes the table and the disagreements for people.
pub fn write_eval_text(out: &mut dyn Write, report: &EvalReport) -> io::Result<()> {
    writeln!(out, "{} labelled policies\n", report.policies)?;
    writeln!(
        out,
        "{:<36} {:>4} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "rule", "TP", "FP", "FN", "TN", "precision", "recall"
    )?;
    for r in &report.rules {
        writeln!(
            out,
            "{:<36} {:>4} {:>4} {:>4} {:>4} {:>9} {:>7}",
            r.rule,
            r.tp,
            r.fp,
            r.fn_,
            r.tn,
            pct(r.precision),
            pct(r.recall)
        )?;
    }
    if !report.disagreements.is_empty() {
        writeln!(out, "\ndisagreements:")?;
    }
    for d in &report.disagreements {
        let kind = if d.expected {
            "missed (FN)"
        } else {
            "false alarm (FP)"
        };
        let at = d.line.map_or_else(String::new, |l| format!(":{l}"));
        writeln!(out, "  {kind} {} {}{at}", d.rule, d.file)?;
        if let Some(t) = &d.text {
            writeln!(out, "      privlint: {}", one_line(t))?;
        }
        if let Some(q) = &d.label_quote {
            writeln!(out, "      label:    {}", one_line(q))?;
        }
        if let Some(n) = &d.label_note {
            writeln!(out, "      note:     {}", one_line(n))?;
        }
    }
    if !report.stray_quotes.is_empty() {
        writeln!(out, "\nlabel quotes not found in the policy text:")?;
        for q in &report.stray_quotes {
            writeln!(out, "  {} {}: {}", q.file, q.rule, one_line(&q.quote))?;
        }
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 {
        format!("{}…", flat.chars().take(200).collect::<String>())
    } else {
        flat
    }
}
