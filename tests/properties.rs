//! For arbitrary input in every format: parsing and linting never panic,
//! and every span of every finding and piece of evidence lies inside the
//! file, on UTF-8 character boundaries, with `text` being those bytes.

use std::sync::OnceLock;

use privlint::document::InputFormat;
use privlint::finding::FileReport;
use privlint::lint::Linter;
use privlint::span::Span;
use proptest::prelude::*;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(privlint::pack::load(&[]).unwrap()))
}

fn check_span(file: &str, report: &FileReport, span: &Span) {
    assert!(
        span.bytes.start <= span.bytes.end && span.bytes.end <= file.len(),
        "{span:?} outside"
    );
    assert!(file.is_char_boundary(span.bytes.start) && file.is_char_boundary(span.bytes.end));
    assert_eq!(&file[span.bytes.clone()], &report.source[span.text.clone()]);
    assert!(span.line >= 1 && span.column >= 1 && span.end_line >= span.line);
}

/// Lints `src` as is and behind a UTF-8 byte order mark, where offsets in
/// the file and in the decoded text differ by three, so the byte map is
/// exercised rather than the identity.
fn check(src: &str, format: InputFormat) {
    for file in [src.to_owned(), format!("\u{feff}{src}")] {
        let report = linter().lint_bytes("p".into(), file.as_bytes(), format);
        let spans = report
            .findings
            .iter()
            .flat_map(|f| std::iter::once(&f.span).chain(f.labels.iter().map(|l| &l.span)))
            .chain(report.evidence.iter().flat_map(|e| &e.spans));
        for span in spans {
            check_span(&file, &report, span);
        }
    }
}

/// Policy-like fragments, markup and awkward characters, glued at random.
fn policyish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("We do not sell your personal information. ".to_owned()),
        Just("We may sell data to partners; ".to_owned()),
        Just("children under 13 ".to_owned()),
        Just("U.S.-EU Safe Harbor Framework ".to_owned()),
        Just("unsubscribe ".to_owned()),
        Just("retain for 30 days ".to_owned()),
        Just("# Heading\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("- item\n".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<b>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#8217;".to_owned()),
        Just("\\.".to_owned()),
        Just("**".to_owned()),
        Just("`".to_owned()),
        Just("é’中".to_owned()),
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn linter_without_prefilter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let mut packs = privlint::pack::load(&[]).unwrap();
        packs.prefilter.enabled = false;
        Linter::new(packs)
    })
}

/// What a report says, by rule and byte range.
fn verdicts(r: &FileReport) -> Vec<(String, std::ops::Range<usize>)> {
    r.findings
        .iter()
        .map(|f| (f.rule.id.clone(), f.span.bytes.clone()))
        .chain(
            r.evidence
                .iter()
                .flat_map(|e| e.spans.iter().map(|s| (e.rule.id.clone(), s.bytes.clone()))),
        )
        .collect()
}

/// Sentences that exercise the anchors: words a pattern starts with far
/// from the word it is anchored on, anchors glued to other words, long
/// s and Kelvin sign, which case folding maps onto ASCII letters.
fn anchor_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("We retain".to_owned()),
        Just(" your account information".to_owned()),
        Just(" for 30 days".to_owned()),
        Just(" as long as necessary".to_owned()),
        Just(" sold".to_owned()),
        Just("unsold".to_owned()),
        Just(" rented to partners".to_owned()),
        Just(" we do not".to_owned()),
        Just(" sell".to_owned()),
        Just(" opt out".to_owned()),
        Just(" under 13".to_owned()),
        Just(" children".to_owned()),
        Just(" Safe Harbor".to_owned()),
        Just(" U.S.-EU".to_owned()),
        Just(" Privacy Shield".to_owned()),
        Just(" ſold".to_owned()),
        Just(" \u{212A}eep".to_owned()),
        Just(". ".to_owned()),
        Just("\n\n".to_owned()),
        Just(" ".to_owned()),
        "[a-z]{1,8}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The anchor prefilter only skips text that cannot match.
    #[test]
    fn anchor_prefilter_changes_nothing(src in anchor_text()) {
        for format in [InputFormat::Markdown, InputFormat::Text] {
            let on = linter().lint_bytes("p".into(), src.as_bytes(), format);
            let off = linter_without_prefilter().lint_bytes("p".into(), src.as_bytes(), format);
            prop_assert_eq!(verdicts(&on), verdicts(&off));
        }
    }

    #[test]
    fn markdown_spans_are_exact(src in policyish()) {
        check(&src, InputFormat::Markdown);
    }

    #[test]
    fn html_spans_are_exact(src in policyish()) {
        check(&src, InputFormat::Html);
    }

    #[test]
    fn text_spans_are_exact(src in policyish()) {
        check(&src, InputFormat::Text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(src in "\\PC{0,300}") {
        for format in [InputFormat::Markdown, InputFormat::Html, InputFormat::Text] {
            check(&src, format);
        }
    }
}
