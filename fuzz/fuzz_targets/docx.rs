//! Arbitrary bytes as a .docx, twice: as the file itself, and as the
//! `word/document.xml` of a ZIP made here (random bytes are rarely a ZIP,
//! so this is what reaches the XML walker). Reading never panics, and
//! every span of the report lies in the synthetic source, on character
//! boundaries, with its line (the paragraph) inside it.

#![no_main]

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use privlint::document::InputFormat;
use privlint::lint::Linter;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(privlint::pack::load(&[]).unwrap()))
}

fn zipped(document: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document).unwrap();
    zip.finish().unwrap().into_inner()
}

fn check(bytes: &[u8]) {
    let report = linter().lint_bytes("p.docx".into(), bytes, InputFormat::Docx);
    let source = &*report.source;
    let lines = source.split('\n').count();
    let spans = report
        .findings
        .iter()
        .flat_map(|f| std::iter::once(&f.span).chain(f.labels.iter().map(|l| &l.span)))
        .chain(report.evidence.iter().flat_map(|e| &e.spans));
    for span in spans {
        let t = &span.text;
        assert!(t.start <= t.end && t.end <= source.len(), "{span:?}");
        assert!(source.is_char_boundary(t.start) && source.is_char_boundary(t.end));
        assert!(
            !source[t.clone()].contains('\n'),
            "a span is in one paragraph: {span:?}"
        );
        assert!((1..=lines).contains(&span.line), "{span:?}");
        let paragraphs = report.paragraphs.as_ref().expect("a linted .docx has paragraphs");
        paragraphs.describe(span.line);
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    check(&zipped(data));
});
