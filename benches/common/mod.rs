//! Fixture policies shared by the benchmarks: small invented policies
//! (benches/fixtures/, written for privlint; no real policy text), each
//! also repeated up to about 100 KB, the size of a long real policy.

#![allow(dead_code)]

use privlint::document::InputFormat;

pub const MARKDOWN: &str = include_str!("../fixtures/policy.md");
pub const HTML: &str = include_str!("../fixtures/policy.html");
pub const TEXT: &str = include_str!("../fixtures/policy.txt");

/// About the size of a long real policy.
pub const LARGE_BYTES: usize = 100_000;

/// Every fixture, by name, with its format.
pub fn fixtures() -> [(&'static str, &'static str, InputFormat); 3] {
    [
        ("markdown", MARKDOWN, InputFormat::Markdown),
        ("html", HTML, InputFormat::Html),
        ("text", TEXT, InputFormat::Text),
    ]
}

/// `text` repeated until it is at least `bytes` long. Repeated Markdown and
/// text are valid documents of the same shape; repeated HTML holds several
/// `<html>` elements in a row, which parsers accept and which costs the
/// tokenizer the same per byte.
pub fn repeated(text: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + text.len() + 1);
    while out.len() < bytes {
        out.push_str(text);
        out.push('\n');
    }
    out
}

/// The fixtures at both sizes: `(name, size label, text, format)`.
pub fn cases() -> Vec<(&'static str, &'static str, String, InputFormat)> {
    let mut cases = Vec::new();
    for (name, text, format) in fixtures() {
        cases.push((name, "small", text.to_owned(), format));
        cases.push((name, "100KB", repeated(text, LARGE_BYTES), format));
    }
    cases
}
