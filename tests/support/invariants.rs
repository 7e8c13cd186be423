//! What must hold of every lint report, whatever the input: shared by
//! `tests/properties.rs` and the fuzz targets (`fuzz/fuzz_targets/*.rs`
//! include this file by path), so the fuzzer asserts what the properties do.
//!
//! Every span of every finding, label and piece of evidence lies inside the
//! file and the decoded text, on character boundaries; the original bytes
//! at the span decode to the text at the span; its line and column are
//! right. Every finding that stands for a match is a match: the rule's
//! pattern matches the visible text at the engine's range, and that text
//! comes from the source at the span.

use std::ops::Range;
use std::sync::OnceLock;

use privlint::decode::decode;
use privlint::document::{Document, InputFormat};
use privlint::finding::FileReport;
use privlint::lint::{LintOptions, Linter};
use privlint::pack::compile::{Check, CompiledPacks, PatRef};
use privlint::span::Span;

/// The built-in packs, directives honoured (so `privlint/*` findings on
/// comments are checked too).
pub fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(privlint::pack::load(&[]).unwrap()))
}

/// The built-in packs, directives ignored: every engine hit becomes a
/// finding, in the engine's order, so findings and hits pair up.
fn plain_linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::with_options(
            privlint::pack::load(&[]).unwrap(),
            LintOptions {
                inline_config: false,
                ..LintOptions::default()
            },
        )
    })
}

/// Lints `bytes` as `format` and panics if any invariant is broken.
/// Returns how many findings stood for a match (so a property can tell
/// whether its generator reaches the rules at all).
pub fn check(bytes: &[u8], format: InputFormat) -> usize {
    let plain = plain_linter().lint_bytes("p".into(), bytes, format);
    check_spans(bytes, &plain);
    let Ok(decoded) = decode(bytes) else {
        assert!(plain.findings.is_empty() && plain.evidence.is_empty());
        return 0;
    };
    // The document the linter evaluated, rebuilt to see the engine's
    // visible-text ranges behind each span.
    let doc = privlint::parse::parse(&decoded.text, format);
    if !doc.comments.is_empty() {
        // Directives can only change anything where there are comments.
        let report = linter().lint_bytes("p".into(), bytes, format);
        check_spans(bytes, &report);
    }
    check_matches(&doc, &plain, &plain_linter().packs)
}

/// Every span in a report: findings, their labels, evidence.
fn spans(report: &FileReport) -> impl Iterator<Item = &Span> {
    report
        .findings
        .iter()
        .flat_map(|f| std::iter::once(&f.span).chain(f.labels.iter().map(|l| &l.span)))
        .chain(report.evidence.iter().flat_map(|e| &e.spans))
}

fn check_spans(file: &[u8], report: &FileReport) {
    let source = &*report.source;
    for span in spans(report) {
        let (b, t) = (&span.bytes, &span.text);
        assert!(
            t.start <= t.end && t.end <= source.len(),
            "{span:?} outside the {} decoded bytes",
            source.len()
        );
        assert!(
            source.is_char_boundary(t.start) && source.is_char_boundary(t.end),
            "{span:?} splits a character"
        );
        assert!(
            b.start <= b.end && b.end <= file.len(),
            "{span:?} outside the {} bytes of the file",
            file.len()
        );
        let text = &source[t.clone()];
        let encoding = report.encoding.expect("a linted file has an encoding");
        // How many replacement characters a malformed sequence becomes (a
        // lone surrogate before a half code unit: one or two) is a
        // decoder's convention, so runs of them compare as one.
        assert_eq!(
            one_replacement_per_run(&decode_as(encoding, &file[b.clone()])),
            one_replacement_per_run(text),
            "{span:?}: the file's bytes there are not the span's text ({encoding})"
        );
        assert_eq!(
            (span.line, span.column, span.end_line, span.end_column),
            {
                let (l, c) = line_col(source, t.start);
                let (el, ec) = line_col(source, t.end);
                (l, c, el, ec)
            },
            "{span:?}: wrong line or column"
        );
    }
}

/// `bytes` decoded the way `privlint::decode` decoded the whole file.
fn decode_as(encoding: &str, bytes: &[u8]) -> String {
    if encoding == "UTF-8" {
        return std::str::from_utf8(bytes)
            .expect("a span of a UTF-8 file is UTF-8")
            .to_owned();
    }
    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes()).expect("a known encoding");
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn one_replacement_per_run(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == char::REPLACEMENT_CHARACTER && out.ends_with(c)) {
            out.push(c);
        }
    }
    out
}

/// Source a collapsed space may stand for: whitespace, character
/// references (`&nbsp;` is one) and, in a Markdown code span broken over
/// quoted lines, `>` markers.
fn is_space_run(raw: &str) -> bool {
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let name = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .map_or(rest.len(), |n| n + 1);
            rest = rest[name..].strip_prefix(';').unwrap_or(&rest[name..]);
        } else if c.is_whitespace() || c == '>' {
            rest = &rest[c.len_utf8()..];
        } else {
            return false;
        }
    }
    true
}

/// 1-based line and column (in chars) of `at`, counted afresh: LF, CRLF
/// and a lone CR each end a line.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let (mut line, mut col) = (1, 1);
    let mut chars = text[..at].chars().peekable();
    while let Some(c) = chars.next() {
        let ends_line = c == '\n' || (c == '\r' && chars.peek() != Some(&'\n'));
        // A CR whose LF lies just past `at` is half a CRLF, which ends
        // the line only at the LF.
        let cr_cut = c == '\r' && chars.peek().is_none() && text[at..].starts_with('\n');
        if ends_line && !cr_cut {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// Pairs each finding with the engine's hit and checks that a finding
/// standing for a match is one. Returns how many were checked that way.
fn check_matches(doc: &Document, report: &FileReport, packs: &CompiledPacks) -> usize {
    let eval = privlint::engine::evaluate(packs, doc);
    assert_eq!(report.findings.len(), eval.hits.len(), "a finding per hit");
    let mut matched = 0;
    for (hit, finding) in eval.hits.iter().zip(&report.findings) {
        let rule = &packs.rules[hit.rule];
        assert_eq!(finding.rule.id, rule.meta.id);
        // Which patterns the primary range and the labels are matches of.
        let (primary, labels): (&[PatRef], &[PatRef]) = match &rule.check {
            Check::Forbid { patterns } => (patterns, patterns),
            Check::Conditional { when, .. } => (when, when),
            Check::Contradiction { affirm, deny } => (affirm, deny),
            // Anchored on the title: no matched text.
            Check::Require { .. } | Check::Dated { .. } => (&[], &[]),
        };
        check_match(doc, &report.source, packs, primary, &hit.range, &finding.span);
        assert_eq!(hit.labels.len(), finding.labels.len());
        for ((range, _), label) in hit.labels.iter().zip(&finding.labels) {
            check_match(doc, &report.source, packs, labels, range, &label.span);
        }
        matched += usize::from(!primary.is_empty());
    }
    matched
}

/// `visible` is a match of one of `patterns` (if any) in the document's
/// visible text, and `span` is where that text came from.
fn check_match(
    doc: &Document,
    source: &str,
    packs: &CompiledPacks,
    patterns: &[PatRef],
    visible: &Range<usize>,
    span: &Span,
) {
    assert_eq!(
        span.text,
        doc.source_range(visible.clone()),
        "the span is not the mapped range"
    );
    if patterns.is_empty() {
        return;
    }
    let text = &doc.text[visible.clone()];
    // Searched from the match's start in the whole visible text (so word
    // boundaries see the same neighbours), a pattern finds exactly it.
    assert!(
        patterns.iter().any(|p| {
            reference_regex(packs.patterns.source(p.id))
                .find_at(&doc.text, visible.start)
                .is_some_and(|m| m.range() == *visible)
        }),
        "no pattern of the rule matches {text:?} at {visible:?}"
    );
    // The matched text is visible text, and the source at the span is
    // markup around it (tags, emphasis, escapes), so the two are equal
    // only where no markup falls inside. What is comparable is each
    // character: it comes from inside the span, in order, and is a copy
    // of its source bytes, or a decoded character reference (`&amp;`)
    // standing for them, or a space standing for collapsed whitespace or
    // a break between words (`<br>`, table cells), which has none.
    let mut prev: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        let at = visible.start + i;
        let src = doc.source_range(at..at + c.len_utf8());
        assert!(
            span.text.start <= src.start && src.end <= span.text.end,
            "{c:?} of {text:?} comes from {src:?}, outside {:?}",
            span.text
        );
        let raw = &source[src.clone()];
        assert!(
            raw == c.encode_utf8(&mut [0; 4])
                || (c.is_whitespace() && is_space_run(raw))
                || (raw.starts_with('&') && !raw.contains(char::is_whitespace)),
            "{c:?} of {text:?} comes from {raw:?}"
        );
        if let Some(p) = &prev {
            // Two characters of one reference share its source range.
            assert!(
                src.start >= p.end || src == *p,
                "{c:?} of {text:?} comes from {src:?}, before {p:?}"
            );
        }
        prev = Some(src);
    }
}

/// The pattern compiled by the `regex` crate itself, apart from the
/// engine's own matchers (cached: the property tests check many spans).
fn reference_regex(source: &str) -> regex::Regex {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|c| {
        c.borrow_mut()
            .entry(source.to_owned())
            .or_insert_with(|| regex::Regex::new(source).expect("pack patterns compile"))
            .clone()
    })
}
