//! Word documents (.docx) end to end: fixtures built here with `zip` and
//! hand-written WordprocessingML, linted through the binary.

#[path = "support/common.rs"]
mod common;

use std::io::{Cursor, Write};
use std::path::Path;

use common::privlint_in;
use serde_json::Value;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A .docx with `body` inside `w:body` and, when given, `styles` inside
/// `w:styles`.
fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    if let Some(s) = styles {
        zip.start_file("word/styles.xml", opts).unwrap();
        write!(zip, r#"<w:styles {NS}>{s}</w:styles>"#).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn styled(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

/// Localized Word: a heading style whose id is not `Heading1`.
const STYLES: &str =
    r#"<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>"#;

const SAFE_HARBOR: &str = "We comply with the U.S.-EU Safe Harbor Framework.";

fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = privlint_in(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).expect("JSON output");
    (v, out.status.code().unwrap())
}

fn rules(file: &Value) -> Vec<&str> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn a_finding_names_its_paragraph_and_the_char_range_within_it() {
    let dir = tempfile::tempdir().unwrap();
    // Non-ASCII before the match, so chars and bytes differ.
    let para = format!("Über alles — {SAFE_HARBOR}");
    let body = [
        styled("Title", "Privacy Policy"),
        p("Intro."),
        styled("berschrift1", "International transfers"),
        p(&para),
    ]
    .concat();
    std::fs::write(dir.path().join("policy.docx"), docx(&body, Some(STYLES))).unwrap();
    let (v, _) = json(dir.path(), &["policy.docx"]);
    let file = &v["files"][0];
    assert_eq!(file["status"], "linted");
    assert_eq!(file["format"], "docx");
    let f = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "safe-harbor/eu-us-safe-harbor")
        .expect("the Safe Harbor finding");
    let span = &f["span"];
    assert_eq!(span["paragraph"], 4);
    assert_eq!(span["line"], 4);
    // Title and Heading 1 are both level 1: siblings, as `#` and `#` are.
    assert_eq!(
        span["heading_path"],
        serde_json::json!(["International transfers"])
    );
    assert!(span.get("start").is_none() && span.get("end").is_none(), "{span}");
    let (start, end) = (
        span["char_start"].as_u64().unwrap() as usize,
        span["char_end"].as_u64().unwrap() as usize,
    );
    let chars: String = para.chars().skip(start).take(end - start).collect();
    let text = span["text"].as_str().unwrap();
    assert_eq!(chars, text);
    assert!(text.contains("Safe Harbor"), "{text}");
    // Bytes would put it 3 further (Ü and — are multi-byte).
    assert!(start < para.find(text).unwrap());
}

#[test]
fn tracked_deletions_are_skipped_and_insertions_read() {
    let dir = tempfile::tempdir().unwrap();
    let edit = |deleted: &str, inserted: &str| {
        format!(
            r#"<w:p><w:r><w:t xml:space="preserve">We comply with the </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>{deleted}</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>{inserted}</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r></w:p>"#
        )
    };
    let removed = edit("U.S.-EU Safe Harbor Framework", "EU standard contractual clauses");
    let added = edit("EU standard contractual clauses", "U.S.-EU Safe Harbor Framework");
    std::fs::write(dir.path().join("removed.docx"), docx(&removed, None)).unwrap();
    std::fs::write(dir.path().join("added.docx"), docx(&added, None)).unwrap();
    let (v, _) = json(dir.path(), &["added.docx", "removed.docx"]);
    assert_eq!(v["files"][0]["path"], "added.docx");
    assert!(rules(&v["files"][0]).contains(&"safe-harbor/eu-us-safe-harbor"));
    assert!(!rules(&v["files"][1]).contains(&"safe-harbor/eu-us-safe-harbor"));
}

#[test]
fn headings_lists_and_tables_become_blocks_like_markdown() {
    // The same policy as Markdown and as .docx gives the same findings.
    let dir = tempfile::tempdir().unwrap();
    let md = "# Privacy Policy\n\n## Transfers\n\n- We comply with the U.S.-EU Safe Harbor Framework.\n\n\
              | Data | Kept |\n|---|---|\n| Email | We keep it as long as necessary. |\n";
    std::fs::write(dir.path().join("policy.md"), md).unwrap();
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let body = [
        styled("Title", "Privacy Policy"),
        styled("Heading2", "Transfers"),
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{SAFE_HARBOR}</w:t></w:r></w:p>"#
        ),
        format!(
            "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("Data"),
            cell("Kept"),
            cell("Email"),
            cell("We keep it as long as necessary.")
        ),
    ]
    .concat();
    std::fs::write(dir.path().join("policy.docx"), docx(&body, None)).unwrap();
    let (v, _) = json(dir.path(), &["policy.md", "policy.docx"]);
    let (docx_file, md_file) = (&v["files"][0], &v["files"][1]);
    assert_eq!(docx_file["path"], "policy.docx");
    let mut a = rules(md_file);
    let mut b = rules(docx_file);
    a.sort();
    b.sort();
    assert!(a.contains(&"safe-harbor/eu-us-safe-harbor"), "{a:?}");
    assert_eq!(a, b);
    let cell_finding = docx_file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "retention/period")
        .expect("the cell's retention finding");
    // Title, heading, list item, then one line a cell: the fourth cell.
    assert_eq!(cell_finding["span"]["paragraph"], 7);
}

/// Sets every declared uncompressed size of `name` (local header and
/// central directory) to `size`, as a zip bomb's lying header would.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for (sig, size_at, name_len_at, name_at) in [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)] {
        let mut i = 0;
        while let Some(p) = zip[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            let n = u16::from_le_bytes([zip[at + name_len_at], zip[at + name_len_at + 1]]) as usize;
            if zip.get(at + name_at..at + name_at + n) == Some(name.as_bytes()) {
                zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2, "local and central headers of {name}");
}

#[test]
fn a_zip_bomb_is_refused_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = docx(&p(SAFE_HARBOR), None);
    declare_size(&mut bomb, "word/document.xml", 0xFFFF_FFF0);
    std::fs::write(dir.path().join("bomb.docx"), &bomb).unwrap();
    std::fs::write(dir.path().join("good.docx"), docx(&p(SAFE_HARBOR), None)).unwrap();
    // Walked from a folder: the bomb is a failed file, not a failed run.
    let (v, code) = json(dir.path(), &["."]);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "./bomb.docx");
    assert_eq!(files[0]["status"], "failed");
    let reason = files[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("refused .docx (zip bomb?): word/document.xml declares 4096 MiB uncompressed"),
        "{reason}"
    );
    assert_eq!(files[1]["status"], "linted");
    assert!(rules(&files[1]).contains(&"safe-harbor/eu-us-safe-harbor"));
    assert_eq!(v["summary"]["failed"], 1);
    assert_eq!(code, 1, "the good file's error decides");
}

#[test]
fn too_many_entries_are_refused_before_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..10_001 {
        zip.start_file(format!("{i}"), opts).unwrap();
    }
    std::fs::write(dir.path().join("many.docx"), zip.finish().unwrap().into_inner()).unwrap();
    let (v, code) = json(dir.path(), &["many.docx"]);
    assert_eq!(
        v["files"][0]["reason"],
        "refused .docx (zip bomb?): 10001 entries in the archive, over the limit of 10000"
    );
    assert_eq!(code, 2, "a named file that cannot be read");
}

#[test]
fn old_word_encrypted_and_corrupt_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfb = |stream: &str| {
        let mut b = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        b.extend([0; 504]);
        b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    let good = docx(&p(SAFE_HARBOR), None);
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "a-old.docx",
            cfb("WordDocument"),
            "a Word 97-2003 document (.doc), not .docx: save it as a Word document (.docx) first",
        ),
        (
            "b-locked.docx",
            cfb("EncryptedPackage"),
            "password-protected (encrypted) Word document: privlint cannot read it; save a copy without a password",
        ),
        (
            "c-text.docx",
            b"We sell data.".to_vec(),
            "corrupt .docx: not a ZIP archive",
        ),
        (
            "d-truncated.docx",
            good[..good.len() / 2].to_vec(),
            "corrupt .docx: not a readable ZIP archive",
        ),
        ("e-good.docx", good.clone(), ""),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (v, _) = json(dir.path(), &["."]);
    let files = v["files"].as_array().unwrap();
    for ((name, _, reason), file) in cases.iter().zip(files) {
        assert_eq!(file["path"], format!("./{name}"));
        if reason.is_empty() {
            assert_eq!(file["status"], "linted");
        } else {
            assert_eq!(file["status"], "failed", "{name}");
            let got = file["reason"].as_str().unwrap();
            assert!(got.starts_with(reason), "{name}: {got}");
        }
    }
    // A .doc is not walked into; named, it is refused as binary.
    std::fs::write(dir.path().join("old.doc"), cfb("WordDocument")).unwrap();
    let (v, _) = json(dir.path(), &["old.doc"]);
    assert_eq!(v["files"][0]["status"], "skipped");
    assert!(
        v["files"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("an OLE2 compound file")
    );
}

#[test]
fn sarif_and_github_point_at_line_one_and_say_the_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let body = [styled("Heading1", "Transfers"), p(SAFE_HARBOR)].concat();
    std::fs::write(dir.path().join("p.docx"), docx(&body, None)).unwrap();
    let out = privlint_in(dir.path())
        .args(["check", "--format", "github", "p.docx"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let line = out
        .lines()
        .find(|l| l.contains("title=safe-harbor/eu-us-safe-harbor"))
        .expect("an annotation");
    assert!(
        line.starts_with(
            "::error file=p.docx,line=1,title=safe-harbor/eu-us-safe-harbor::In paragraph 2, under 'Transfers', \"U.S.-EU Safe Harbor"
        ),
        "{line}"
    );
    let out = privlint_in(dir.path())
        .args(["check", "--format", "sarif", "p.docx"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "safe-harbor/eu-us-safe-harbor")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region, &serde_json::json!({"startLine": 1}));
    let message = result["message"]["text"].as_str().unwrap();
    assert!(
        message.contains("In paragraph 2, under 'Transfers', \"U.S.-EU Safe Harbor"),
        "{message}"
    );
}

#[test]
fn plain_output_shows_the_paragraph_with_the_match_marked() {
    let dir = tempfile::tempdir().unwrap();
    let body = [
        styled("Title", "Privacy Policy"),
        styled("Heading1", "Transfers"),
        p("Data may leave your country."),
        p(SAFE_HARBOR),
    ]
    .concat();
    std::fs::write(dir.path().join("p.docx"), docx(&body, None)).unwrap();
    let out = privlint_in(dir.path())
        .args(["check", "--format", "plain", "--packs", "safe-harbor", "p.docx"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
