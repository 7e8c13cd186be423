//! Errors in pack files, shown on the pack file itself.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A pack (or another YAML input, such as a label file) that could not be
/// loaded, with the offending line highlighted.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid {what} {path}: {message}")]
#[diagnostic(code(privlint::yaml))]
pub struct PackError {
    /// What the file is: "rule pack", "label file".
    pub what: &'static str,
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl PackError {
    pub fn new(path: &str, source: &str, message: String, at: Option<usize>) -> Self {
        // Highlight from the error position to the end of its line.
        let span = at.map(|at| {
            let at = at.min(source.len());
            let end = source[at..].find('\n').map_or(source.len(), |n| at + n);
            SourceSpan::from(at..end.max(at))
        });
        let help = suggestion(&message);
        PackError {
            what: "rule pack",
            path: path.to_owned(),
            label: "here".to_owned(),
            message,
            src: NamedSource::new(path, source.to_owned()),
            span,
            help,
        }
    }
}

impl PackError {
    /// The same error, about another kind of file: "configuration", ...
    pub fn about(mut self, what: &'static str) -> Self {
        self.what = what;
        self
    }

    /// Highlights exactly `range` of the source instead of the rest of a line.
    pub fn with_span(mut self, range: std::ops::Range<usize>) -> Self {
        self.span = Some(SourceSpan::from(range));
        self
    }

    /// The byte offset the report points at, if any.
    pub fn offset(&self) -> Option<usize> {
        self.span.map(|s| s.offset())
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" and "unknown
/// variant" messages, the closest valid name.
fn suggestion(message: &str) -> Option<String> {
    let (what, rest) = if let Some(rest) = message.split_once("unknown field `") {
        ("key", rest.1)
    } else if let Some(rest) = message.split_once("unknown variant `") {
        ("value", rest.1)
    } else {
        return None;
    };
    let (given, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), *c))
        .min()?;
    (best.0 <= 3).then(|| format!("did you mean the {what} `{}`?", best.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let msg = "rules[0]: unknown field `paterns`, expected one of `id`, `patterns`, `unless`";
        assert_eq!(
            suggestion(msg).as_deref(),
            Some("did you mean the key `patterns`?")
        );
        assert_eq!(suggestion("unknown field `zzzzzzzz`, expected `id`"), None);
    }
}
