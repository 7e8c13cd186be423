//! Inline suppression directives, linted end to end through the library on
//! small invented policies and a small test pack.

use privlint::document::InputFormat;
use privlint::finding::{FileReport, Finding};
use privlint::lint::{LintOptions, Linter};
use privlint::pack::{CompiledPacks, parse_pack};
use privlint::render::{JsonRenderer, RenderOptions, Renderer, Summary};

const PACK_T: &str = r#"
pack: t
title: Test pack
version: 1
rules:
  - id: t/forbid
    title: Forbidden word
    kind: forbid
    severity: error
    message: Says zorp.
    help: Do not say zorp.
    citations: [{law: Test Act, section: s. 1}]
    patterns: ['\bzorp\b']
  - id: t/other
    title: Another forbidden word
    kind: forbid
    severity: error
    message: Says blick.
    help: Do not say blick.
    citations: [{law: Test Act, section: s. 2}]
    patterns: ['\bblick\b']
  - id: t/require
    title: Needs a keep statement
    kind: require
    severity: warning
    message: No keep statement.
    help: Add one.
    citations: [{law: Test Act, section: s. 3}]
    patterns: ['\bkeep\b']
"#;

const PACK_U: &str = r#"
pack: u
title: Second test pack
version: 1
rules:
  - id: u/forbid
    title: Forbidden word, again
    kind: forbid
    severity: info
    message: Says zorp too.
    help: Still do not say zorp.
    citations: [{law: Test Act, section: s. 4}]
    patterns: ['\bzorp\b']
"#;

fn packs() -> CompiledPacks {
    let t = parse_pack("t.yaml", PACK_T).expect("test pack is valid");
    let u = parse_pack("u.yaml", PACK_U).expect("test pack is valid");
    CompiledPacks::compile(vec![t, u]).unwrap()
}

fn lint_with(options: LintOptions, src: &str, format: InputFormat) -> FileReport {
    Linter::with_options(packs(), options).lint_bytes("policy".into(), src.as_bytes(), format)
}

fn lint(src: &str, format: InputFormat) -> FileReport {
    Linter::new(packs()).lint_bytes("policy".into(), src.as_bytes(), format)
}

/// Each finding as rule id, 1-based line and the source text it covers.
fn found(r: &FileReport) -> Vec<(&str, usize, &str)> {
    r.findings
        .iter()
        .map(|f| (f.rule.id.as_str(), f.span.line, &r.source[f.span.text.clone()]))
        .collect()
}

fn only<'a>(r: &'a FileReport, rule: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.rule.id == rule).collect()
}

#[test]
fn disable_and_enable_bound_a_range() {
    let src = "# Policy\n\nWe keep data.\n\nWe say zorp first.\n\n\
               <!-- privlint-disable t/forbid -- quoted from the statute -->\n\n\
               We say zorp inside.\n\n<!-- privlint-enable t/forbid -->\n\nWe say zorp after.\n";
    let r = lint(src, InputFormat::Markdown);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [5, 13]);
    // u/forbid is not named, so it still fires inside.
    assert_eq!(only(&r, "u/forbid").len(), 3);
    assert!(only(&r, "privlint/unused-suppression").is_empty());
}

#[test]
fn disable_without_enable_lasts_to_the_end_and_covers_missing_statements() {
    let src = "# Policy\n\nWe say zorp first.\n\n<!-- privlint-disable -->\n\nWe say zorp later.\n";
    let r = lint(src, InputFormat::Markdown);
    assert_eq!(
        found(&r),
        [("t/forbid", 3, "zorp"), ("u/forbid", 3, "zorp")],
        "{:#?}",
        r.findings
    );
    // Re-enabled before the end, the missing statement is reported again.
    let src = "# Policy\n\n<!-- privlint-disable -->\n\nWe say zorp.\n\n<!-- privlint-enable -->\n";
    let r = lint(src, InputFormat::Markdown);
    assert_eq!(found(&r), [("t/require", 1, "Policy")]);
}

#[test]
fn disable_file_covers_the_whole_file_wherever_it_is() {
    let src = "# Policy\n\nWe say zorp.\n\n<!-- privlint-disable-file t/require, t/forbid -->\n";
    let r = lint(src, InputFormat::Markdown);
    assert_eq!(found(&r), [("u/forbid", 3, "zorp")]);
}

#[test]
fn next_block_covers_a_paragraph() {
    let src = "# Policy\n\nWe keep data.\n\n<!-- privlint-disable-next-block t/forbid -->\n\
               We say zorp here\nover two lines.\n\nWe say zorp there.\n";
    let r = lint(src, InputFormat::Markdown);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [9]);
}

#[test]
fn next_block_covers_one_list_item() {
    let src = "# Policy\n\nWe keep data.\n\n- We say zorp one.\n<!-- privlint-disable-next-block t -->\n\
               - We say zorp two.\n- We say zorp three.\n";
    let r = lint(src, InputFormat::Markdown);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [5, 8]);
    let src = "<h1>Policy</h1><p>We keep data.</p><ul><li>zorp one</li>\n\
               <!-- privlint-disable-next-block t/forbid --><li>zorp two</li>\n<li>zorp three</li></ul>";
    let r = lint(src, InputFormat::Html);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [1, 3]);
}

#[test]
fn next_block_covers_a_whole_table() {
    let src = "# Policy\n\nWe keep data.\n\n<!-- privlint-disable-next-block t/forbid -->\n\
               | zorp | Why |\n|---|---|\n| zorp | a |\n| b | zorp again |\n\nWe say zorp after.\n";
    let r = lint(src, InputFormat::Markdown);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [11]);
    assert_eq!(only(&r, "u/forbid").len(), 4);
    let src = "<h1>Policy</h1><p>We keep data.</p>\n<!-- privlint-disable-next-block t/forbid -->\n\
               <table><tr><th>zorp</th></tr>\n<tr><td>zorp</td></tr></table>\n<p>zorp after</p>";
    let r = lint(src, InputFormat::Html);
    let lines: Vec<usize> = only(&r, "t/forbid").iter().map(|f| f.span.line).collect();
    assert_eq!(lines, [5]);
}

#[test]
fn a_pack_name_covers_all_its_rules() {
    let src = "# Policy\n\n<!-- privlint-disable t -->\n\nWe say zorp and blick.\n";
    let r = lint(src, InputFormat::Markdown);
    assert_eq!(found(&r), [("u/forbid", 5, "zorp")]);
}

#[test]
fn unused_suppression_is_reported_at_the_comment() {
    // A BOM, so the original bytes sit 3 after the decoded text.
    let src = "\u{feff}# Policy\n\nWe keep data.\n\n  <!-- privlint-disable-next-block t/other -->\nWe say nothing bad.\n";
    let r = lint(src, InputFormat::Markdown);
    let unused = only(&r, "privlint/unused-suppression");
    assert_eq!(unused.len(), 1, "{:#?}", r.findings);
    let f = unused[0];
    let comment = "<!-- privlint-disable-next-block t/other -->";
    assert_eq!(&r.source[f.span.text.clone()], comment);
    assert_eq!((f.span.line, f.span.column), (5, 3));
    assert_eq!((f.span.end_line, f.span.end_column), (5, 3 + comment.len()));
    assert_eq!(f.span.bytes.start, f.span.text.start + 3);
    assert_eq!(&src.as_bytes()[f.span.bytes.clone()], comment.as_bytes());
    assert_eq!(f.severity, privlint::rule::Severity::Warning);
    assert_eq!(f.rule.kind, privlint::rule::RuleKind::Directive);

    // In HTML, and one name of two unused: that name is reported.
    let src =
        "<h1>Policy</h1>\n<p>We keep data.</p>\n\t<!-- privlint-disable t/forbid, t/other -->\n<p>zorp</p>";
    let r = lint(src, InputFormat::Html);
    let unused = only(&r, "privlint/unused-suppression");
    assert_eq!(unused.len(), 1);
    assert_eq!(&r.source[unused[0].span.text.clone()], "t/other");
    assert_eq!((unused[0].span.line, unused[0].span.column), (3, 34));
    assert!(only(&r, "t/forbid").is_empty());
}

#[test]
fn unknown_rules_and_directives_are_invalid() {
    let src = "# Policy\n\nWe keep data.\n\n<!-- privlint-disable t/forbd -->\n\n\
               <!-- privlint-disable-next-block coppa/under-13-statement -->\n\n\
               <!-- privlint-disabel t/forbid -->\n\nWe say zorp.\n";
    let r = lint(src, InputFormat::Markdown);
    let invalid: Vec<_> = only(&r, "privlint/invalid-suppression")
        .iter()
        .map(|f| {
            (
                f.span.line,
                f.span.column,
                &r.source[f.span.text.clone()],
                f.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        invalid,
        [
            (
                5,
                23,
                "t/forbd",
                "`t/forbd` is not a rule or pack in the active packs; did you mean `t/forbid`?"
            ),
            (
                7,
                34,
                "coppa/under-13-statement",
                "`coppa/under-13-statement` is not a rule or pack in the active packs."
            ),
            (
                9,
                6,
                "privlint-disabel",
                "`privlint-disabel` is not a privlint directive; did you mean `privlint-disable`?"
            ),
        ]
    );
    // None of them suppresses anything, nor is also reported as unused.
    assert_eq!(only(&r, "t/forbid").len(), 1);
    assert!(only(&r, "privlint/unused-suppression").is_empty());
}

#[test]
fn inline_config_off_ignores_every_directive() {
    let src = "# Policy\n\n<!-- privlint-disable-file -->\n\n<!-- privlint-disable t/nope -->\n\n\
               <!-- privlint-disable-next-block t/other -->\n\nWe say zorp.\n";
    let off = LintOptions {
        inline_config: false,
        ..LintOptions::default()
    };
    let r = lint_with(off, src, InputFormat::Markdown);
    assert_eq!(
        found(&r),
        [
            ("t/require", 1, "Policy"),
            ("t/forbid", 9, "zorp"),
            ("u/forbid", 9, "zorp")
        ]
    );
    // And on (the default), the same file is quiet but for its own problems.
    let r = lint_with(LintOptions::default(), src, InputFormat::Markdown);
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id.as_str()).collect();
    assert_eq!(
        ids,
        ["privlint/invalid-suppression", "privlint/unused-suppression"]
    );
}

#[test]
fn directives_shown_as_code_are_not_directives() {
    let src = "# Policy\n\nWe keep data.\n\n```html\n<!-- privlint-disable -->\n```\n\n\
               Write `<!-- privlint-disable -->` to silence it.\n\n    <!-- privlint-disable -->\n\nWe say zorp.\n";
    let r = lint(src, InputFormat::Markdown);
    assert_eq!(found(&r), [("t/forbid", 13, "zorp"), ("u/forbid", 13, "zorp")]);
    let src = "<h1>Policy</h1><p>We keep data.</p><pre><!-- privlint-disable --></pre>\
               <p><code><!-- privlint-disable-file --></code></p><p>zorp</p>";
    let r = lint(src, InputFormat::Html);
    assert_eq!(found(&r), [("t/forbid", 1, "zorp"), ("u/forbid", 1, "zorp")]);
}

#[test]
fn plain_text_has_no_directives() {
    let src = "Policy\n\n<!-- privlint-disable -->\n\nWe keep data and say zorp.\n";
    let r = lint(src, InputFormat::Text);
    assert_eq!(only(&r, "t/forbid").len(), 1);
}

#[test]
fn directive_findings_render_as_valid_json() {
    let src = "# Policy\n\nWe keep data.\n\n<!-- privlint-disable t/other -->\n";
    let r = lint(src, InputFormat::Markdown);
    let mut renderer = JsonRenderer::new(RenderOptions::default());
    let mut out = Vec::new();
    let mut summary = Summary::default();
    summary.add(&r);
    renderer.file(&mut out, &r).unwrap();
    renderer.finish(&mut out, &summary).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let f = &v["files"][0]["findings"][0];
    assert_eq!(f["rule"], "privlint/unused-suppression");
    assert_eq!(f["pack"], "privlint");
    assert_eq!(f["kind"], "directive");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["citations"], serde_json::json!([]));
    assert_eq!(f["span"]["text"], "<!-- privlint-disable t/other -->");
}

#[test]
fn a_missing_date_is_a_whole_document_finding() {
    const PACK_D: &str = r#"
pack: d
title: Dated test pack
version: 1
rules:
  - id: d/dated
    title: States its date
    kind: dated
    severity: warning
    message: No date.
    help: Add one.
    citations: [{law: Test Act, section: s. 5}]
"#;
    let d = parse_pack("d.yaml", PACK_D).expect("test pack is valid");
    let linter = Linter::new(CompiledPacks::compile(vec![d]).unwrap());
    let lint = |src: &str| linter.lint_bytes("policy".into(), src.as_bytes(), InputFormat::Markdown);
    // Anchored on the title, but the title is not what it is about: a
    // next-block directive over the title does not reach it.
    let r = lint("<!-- privlint-disable-next-block d/dated -->\n# Policy\n\nWe say little.\n");
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule.id == "d/dated" && f.whole_document)
    );
    assert_eq!(only(&r, "privlint/unused-suppression").len(), 1);
    // The file-wide directive does.
    let r = lint("# Policy\n\nWe say little.\n\n<!-- privlint-disable-file d/dated -->\n");
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}
