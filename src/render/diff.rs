//! `privlint diff` output: text (no colour), JSON and Markdown, from the
//! changes [`crate::diff::compare`] found.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::markdown::{cell, code};
use crate::diff::{Change, Class, Quote, Side, counts};
use crate::finding::Status;

/// A quote longer than this many characters is cut, with an ellipsis.
const QUOTE_CHARS: usize = 160;

/// What was compared and what to show.
#[derive(Debug)]
pub struct DiffView<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub changes: &'a [Change],
    /// Also show unchanged rules.
    pub all: bool,
}

impl DiffView<'_> {
    fn shown(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(move |c| self.all || c.class != Class::Unchanged)
    }

    fn totals(&self) -> String {
        let counted = counts(self.changes);
        let parts: Vec<String> = counted
            .iter()
            .filter(|(c, _)| *c != Class::Unchanged)
            .map(|(c, n)| format!("{n} {}", c.as_str()))
            .collect();
        let unchanged = counted[4].1;
        let mut s = parts.join(", ");
        let _ = write!(s, ", {unchanged} unchanged");
        if !self.all && unchanged > 0 {
            s.push_str(" (not shown; --all shows them)");
        }
        s
    }
}

fn status(side: &Side) -> String {
    match (side.status, side.severity) {
        (Some(s @ Status::Finding), Some(sev)) => format!("{} ({sev})", s.as_str()),
        (Some(s), _) => s.as_str().to_owned(),
        (None, _) => "off".to_owned(),
    }
}

fn short(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Human text: one block per change, the old version's quotes it lost
/// marked `-`, the new version's quotes it gained `+`.
pub fn write_text(out: &mut dyn Write, view: &DiffView) -> io::Result<()> {
    writeln!(out, "--- {}\n+++ {}", view.old, view.new)?;
    for c in view.shown() {
        writeln!(
            out,
            "\n{:<9} {}: {} -> {}",
            c.class.as_str(),
            c.rule.id,
            status(&c.old),
            status(&c.new)
        )?;
        if !c.reason.is_empty() {
            writeln!(out, "          {}", c.reason)?;
        }
        let (gone, added) = c.gone_and_new();
        for (mark, quotes) in [('-', gone), ('+', added)] {
            for q in quotes {
                if q.is_message {
                    writeln!(out, "    {mark} line {}: ({})", q.line, short(&q.text))?;
                } else {
                    writeln!(out, "    {mark} line {}: \"{}\"", q.line, short(&q.text))?;
                }
            }
        }
    }
    writeln!(out, "\n{}", view.totals())
}

fn quote_json(q: &Quote) -> Value {
    json!({ "line": q.line, "text": q.text, "message": q.is_message })
}

fn side_json(side: &Side) -> Value {
    json!({
        "status": side.status.map(|s| s.as_str()),
        "severity": side.severity.map(|s| s.as_str()),
        "findings": side.findings.iter().map(quote_json).collect::<Vec<_>>(),
        "evidence": side.evidence.iter().map(quote_json).collect::<Vec<_>>(),
    })
}

/// One JSON document: both names, every change shown (with `--all`, the
/// unchanged too) and the counts per class.
pub fn to_json(view: &DiffView) -> Value {
    let changes: Vec<Value> = view
        .shown()
        .map(|c| {
            json!({
                "rule": c.rule.id,
                "class": c.class.as_str(),
                "reason": c.reason,
                "old": side_json(&c.old),
                "new": side_json(&c.new),
            })
        })
        .collect();
    let summary: serde_json::Map<String, Value> = counts(view.changes)
        .iter()
        .map(|(c, n)| (c.as_str().to_owned(), json!(n)))
        .collect();
    json!({ "old": view.old, "new": view.new, "changes": changes, "summary": summary })
}

fn quotes_cell(quotes: &[&Quote]) -> String {
    quotes
        .iter()
        .map(|q| {
            let text = cell(&short(&q.text));
            if q.is_message {
                format!("line {}: _{text}_", q.line)
            } else {
                format!("line {}: “{text}”", q.line)
            }
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Markdown for a pull-request comment: a table of the changes, every
/// outside text escaped as in `--format markdown`.
pub fn write_markdown(out: &mut dyn Write, view: &DiffView) -> io::Result<()> {
    let mut s = format!("## privlint diff: {} → {}\n\n", code(view.old), code(view.new));
    let shown: Vec<&Change> = view.shown().collect();
    if !shown.is_empty() {
        s.push_str("| change | rule | old | new | why | was | now |\n|---|---|---|---|---|---|---|\n");
        for c in shown {
            let (gone, added) = c.gone_and_new();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                c.class.as_str(),
                code(&c.rule.id),
                status(&c.old),
                status(&c.new),
                cell(&c.reason),
                quotes_cell(&gone),
                quotes_cell(&added)
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "**Total:** {}.", view.totals());
    out.write_all(s.as_bytes())
}
