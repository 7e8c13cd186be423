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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

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
