//! Each rule kind, scope, polarity and `unless`, on a small test pack.

use privlint::document::InputFormat;
use privlint::finding::FileReport;
use privlint::lint::Linter;
use privlint::pack::{CompiledPacks, parse_pack};

const PACK: &str = r#"
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
    unless: ['\bquoting\b']
  - id: t/require-section
    title: Needs a retention heading statement
    kind: require
    severity: warning
    message: No keep statement under Retention.
    help: Add one.
    citations: [{law: Test Act, section: s. 2}]
    section: 'retention'
    patterns: ['\bkeep\b']
  - id: t/conditional
    title: Sells without a link
    kind: conditional
    severity: error
    scope: paragraph
    message: Sells without a link.
    help: Add the link.
    citations: [{law: Test Act, section: s. 3}]
    when: [{regex: '\bwe\b[^.]{0,20}\b(?P<verb>sell)\b', polarity: affirmative}]
    require: ['\bopt-out link\b']
  - id: t/contradiction
    title: Says both
    kind: contradiction
    severity: warning
    scope: document
    message: Both.
    help: Pick one.
    citations: [{law: Test Act, section: s. 4}]
    affirm: [{regex: '\bwe\b[^.]{0,20}\b(?P<verb>sell)\b', polarity: affirmative}]
    deny: [{regex: '\bwe\b[^.]{0,20}\b(?P<verb>sell)\b', polarity: negated}]
  - id: t/long
    title: Keeps long
    kind: forbid
    severity: info
    message: Keeps long.
    help: None.
    citations: [{law: Test Act, section: s. 5}]
    patterns: ['\bkeep\b[^.]{0,80}\blong\b']
"#;

fn lint(text: &str, format: InputFormat) -> FileReport {
    let pack = parse_pack("t.yaml", PACK).expect("test pack is valid");
    let linter = Linter::new(CompiledPacks::compile(vec![pack]).unwrap());
    linter.lint_bytes("policy".into(), text.as_bytes(), format)
}

fn ids(r: &FileReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.id.as_str()).collect()
}

fn text_of<'a>(r: &'a FileReport, span: &privlint::span::Span) -> &'a str {
    &r.source[span.text.clone()]
}

#[test]
fn forbid_points_at_each_match_and_honours_unless() {
    let src = "# Policy\n\nWe say zorp here.\n\nWe are quoting zorp here.\n\nZorp again.\n";
    let r = lint(src, InputFormat::Markdown);
    let spans: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule.id == "t/forbid")
        .map(|f| &f.span)
        .collect();
    assert_eq!(spans.len(), 2, "the quoting sentence is excused");
    assert_eq!(text_of(&r, spans[0]), "zorp");
    assert_eq!((spans[0].line, spans[0].column), (3, 8));
    assert_eq!(text_of(&r, spans[1]), "Zorp");
    assert_eq!(spans[1].line, 7);
}

#[test]
fn require_anchors_on_the_title_and_respects_section() {
    let src = "# My Policy\n\nWe keep nothing.\n\n## Retention\n\nNothing here.\n";
    let r = lint(src, InputFormat::Markdown);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id == "t/require-section")
        .expect("keep is outside Retention");
    assert_eq!(text_of(&r, &f.span), "My Policy");

    let src = "# My Policy\n\n## Data Retention\n\nWe keep logs for a week.\n";
    let r = lint(src, InputFormat::Markdown);
    assert!(!ids(&r).contains(&"t/require-section"));
    let ev = r
        .evidence
        .iter()
        .find(|e| e.rule.id == "t/require-section")
        .expect("evidence");
    assert_eq!(text_of(&r, &ev.spans[0]), "We keep logs for a week.");
}

#[test]
fn conditional_needs_the_requirement_in_scope() {
    let r = lint(
        "We may sell data.\n\nWe have an opt-out link.\n",
        InputFormat::Text,
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id == "t/conditional")
        .expect("link is another paragraph");
    assert_eq!(text_of(&r, &f.span), "We may sell");

    let r = lint("We may sell data. Use our opt-out link.\n", InputFormat::Text);
    assert!(!ids(&r).contains(&"t/conditional"));
    assert!(r.evidence.iter().any(|e| e.rule.id == "t/conditional"));

    let r = lint("We do not sell data.\n", InputFormat::Text);
    assert!(!ids(&r).contains(&"t/conditional"), "a denial triggers nothing");
}

#[test]
fn contradiction_labels_both_statements() {
    let r = lint(
        "We do not sell data.\n\nLater on, we sell data.\n",
        InputFormat::Text,
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id == "t/contradiction")
        .expect("both said");
    assert_eq!(text_of(&r, &f.span), "we sell");
    assert_eq!(f.span.line, 3);
    assert_eq!(f.labels.len(), 1);
    assert_eq!(text_of(&r, &f.labels[0].span), "We do not sell");
    assert_eq!(f.labels[0].span.line, 1);

    let r = lint("We do not sell data. We never will.\n", InputFormat::Text);
    assert!(!ids(&r).contains(&"t/contradiction"));
}

#[test]
fn spans_map_to_original_bytes_in_html_and_windows_1252() {
    let html = "<p>Caf&eacute; <b>zorp</b> here.</p>";
    let r = lint(html, InputFormat::Html);
    let f = r.findings.iter().find(|f| f.rule.id == "t/forbid").unwrap();
    assert_eq!(&html[f.span.bytes.clone()], "zorp");

    // "caf\xE9" is Windows-1252: decoded text and original bytes differ.
    let bytes = b"Caf\xE9 \x93quoted\x94 nothing. Then zorp.";
    let pack = parse_pack("t.yaml", PACK).unwrap();
    let linter = Linter::new(CompiledPacks::compile(vec![pack]).unwrap());
    let r = linter.lint_bytes("p.txt".into(), bytes, InputFormat::Text);
    let f = r.findings.iter().find(|f| f.rule.id == "t/forbid").unwrap();
    assert_eq!(&bytes[f.span.bytes.clone()], b"zorp");
    assert_eq!(text_of(&r, &f.span), "zorp");
    assert_eq!(r.encoding, Some("windows-1252"));
    assert_eq!(r.notices.len(), 1);
}

#[test]
fn a_match_crossing_blocks_does_not_hide_one_inside_a_block() {
    // From the heading's "keep", the pattern would run into the paragraph;
    // that match is refused, and the paragraph's own match still found.
    let src = "# How we keep data\n\nWe keep notes as long as needed.\n";
    let r = lint(src, InputFormat::Markdown);
    let hits: Vec<_> = r.findings.iter().filter(|f| f.rule.id == "t/long").collect();
    assert_eq!(hits.len(), 1);
    assert_eq!(text_of(&r, &hits[0].span), "keep notes as long");
    assert_eq!(hits[0].span.line, 3);
}

#[test]
fn headings_table_headers_and_questions_are_not_statements() {
    // Polarity patterns judge statements; a column label, a heading and a
    // question are none, so the contradiction rule sees only the denial.
    let src = "# Policy\n\n| Data | Third parties to which we sell it |\n|---|---|\n| E-mail | None: we do not sell it |\n";
    let r = lint(src, InputFormat::Markdown);
    assert!(!ids(&r).contains(&"t/contradiction"), "{:?}", ids(&r));
    let r = lint(
        "# Do we sell?\n\nWhy would we sell? No: we do not sell.\n",
        InputFormat::Markdown,
    );
    assert!(!ids(&r).contains(&"t/contradiction"), "{:?}", ids(&r));
    // The same affirmation as a statement counts.
    let r = lint(
        "# Policy\n\nWe sell it. No: we do not sell.\n",
        InputFormat::Markdown,
    );
    assert!(ids(&r).contains(&"t/contradiction"));
}

#[test]
fn unless_with_match_scope_excuses_only_the_overlapping_match() {
    let pack = r#"
pack: m
title: Match scope
version: 1
rules:
  - id: m/sell
    title: Sell
    kind: forbid
    severity: error
    message: Sells.
    help: None.
    citations: [{law: Test Act, section: s. 1}]
    patterns: ['\bsell\b']
    unless: [{regex: '\bdo not sell my\b', scope: match}]
"#;
    let linter = Linter::new(CompiledPacks::compile(vec![parse_pack("m.yaml", pack).unwrap()]).unwrap());
    let r = linter.lint_bytes(
        "p".into(),
        b"Click Do Not Sell My Data, or we sell it.",
        InputFormat::Text,
    );
    let texts: Vec<_> = r.findings.iter().map(|f| text_of(&r, &f.span)).collect();
    assert_eq!(texts, vec!["sell"]);
    assert_eq!(
        r.findings[0].span.column, 34,
        "the second sell, not the link name"
    );
}

#[test]
fn a_require_pattern_with_its_own_scope_counts_only_there() {
    // The rule looks document-wide for a retention statement about
    // children, but a general one counts only in the trigger's section.
    let pack = r#"
pack: r
title: Require scope
version: 1
rules:
  - id: r/keep
    title: Keep
    kind: conditional
    severity: error
    scope: document
    message: Collects without saying how long.
    help: None.
    citations: [{law: Test Act, section: s. 1}]
    when: ['\bcollect from children\b']
    require:
      - '\bkeep children[''’]s data\b'
      - {regex: '\bkeep it\b', scope: section}
"#;
    let linter = Linter::new(CompiledPacks::compile(vec![parse_pack("r.yaml", pack).unwrap()]).unwrap());
    let fires = |text: &str| {
        let r = linter.lint_bytes("p.md".into(), text.as_bytes(), InputFormat::Markdown);
        r.findings.iter().any(|f| f.rule.id == "r/keep")
    };
    assert!(fires(
        "# Kids\n\nWe collect from children.\n\n# Retention\n\nWe keep it a year.\n"
    ));
    assert!(!fires("# Kids\n\nWe collect from children. We keep it a year.\n"));
    assert!(!fires(
        "# Kids\n\nWe collect from children.\n\n# Retention\n\nWe keep children's data a year.\n"
    ));
}

#[test]
fn a_pattern_scope_outside_unless_and_require_is_refused() {
    let pack = r#"
pack: r
title: Scope refused
version: 1
rules:
  - id: r/sell
    title: Sell
    kind: forbid
    severity: error
    message: Sells.
    help: None.
    citations: [{law: Test Act, section: s. 1}]
    patterns: [{regex: '\bsell\b', scope: section}]
"#;
    let err = parse_pack("r.yaml", pack).map(|_| ()).unwrap_err();
    assert!(
        err.to_string().contains("only applies in `unless` and `require`"),
        "{err}"
    );
}

#[test]
fn unless_with_context_scope_sees_the_list_lead_in_and_the_headings_above() {
    let pack = r#"
pack: c
title: Context scope
version: 1
rules:
  - id: c/access
    title: Access
    kind: forbid
    severity: error
    message: Access.
    help: None.
    citations: [{law: Test Act, section: s. 1}]
    patterns: ['\baccess\b']
    unless: [{regex: '\bEEA\b', scope: context}]
"#;
    let linter = Linter::new(CompiledPacks::compile(vec![parse_pack("c.yaml", pack).unwrap()]).unwrap());
    let md = "# Policy\n\n## Rights in the EEA\n\n### Access\n\nYou may access your data.\n\n\
              # Other rights\n\nIf you are in the EEA, you have these rights:\n\n\
              * erasure;\n* access.\n\nYou may also access your data in your account.\n\n\
              Your rights:\n\n* access.\n";
    let r = linter.lint_bytes("p".into(), md.as_bytes(), InputFormat::Markdown);
    let lines: Vec<_> = r.findings.iter().map(|f| f.span.line).collect();
    // Excused: the heading and paragraph under "Rights in the EEA", and the list
    // item under the EEA lead-in. Kept: the paragraph after that list, and the
    // item of a list whose lead-in names no region.
    assert_eq!(lines, vec![16, 20]);
}

#[test]
fn a_policy_in_another_language_is_not_checked_by_english_packs() {
    let es = "Recopilamos información personal cuando usted crea una cuenta, como su nombre y su dirección de correo electrónico. La utilizamos para prestar el servicio y no la vendemos a terceros. Puede pedirnos que eliminemos su información en cualquier momento escribiéndonos. ";
    let r = lint(&es.repeat(10), InputFormat::Text);
    assert!(r.findings.is_empty(), "{:?}", ids(&r));
    assert!(
        r.notices
            .iter()
            .any(|n| n.message.contains("Spanish") && n.message.contains("t (English)")),
        "{:?}",
        r.notices
    );
    // The same rules run on English text.
    let r = lint(
        &"We say zorp in English, and we keep to it. ".repeat(20),
        InputFormat::Text,
    );
    assert!(ids(&r).contains(&"t/forbid"));
    assert!(r.notices.is_empty());
}

/// The texts one forbid rule with `pattern` finds in the Markdown `src`,
/// with the anchor prefilter on or off.
fn forbidden_texts(pattern: &str, src: &str, prefilter: bool) -> Vec<String> {
    let pack = format!(
        r#"
pack: m
title: Test pack
version: 1
rules:
  - id: m/one
    title: One pattern
    kind: forbid
    severity: error
    message: Found.
    help: None.
    citations: [{{law: Test Act, section: s. 1}}]
    patterns: ['{pattern}']
"#
    );
    let mut packs = CompiledPacks::compile(vec![parse_pack("m.yaml", &pack).unwrap()]).unwrap();
    packs.prefilter.enabled = prefilter;
    let r = Linter::new(packs).lint_bytes("policy".into(), src.as_bytes(), InputFormat::Markdown);
    r.findings
        .iter()
        .map(|f| text_of(&r, &f.span).to_owned())
        .collect()
}

/// Asserts that a forbid rule with `pattern` finds `expected` in the
/// Markdown `src`, with the anchor prefilter on and with it off.
fn assert_forbidden_texts(pattern: &str, src: &str, expected: &[&str]) {
    for prefilter in [true, false] {
        assert_eq!(
            forbidden_texts(pattern, src, prefilter),
            expected,
            "prefilter {prefilter}"
        );
    }
}

#[test]
fn a_crossing_match_does_not_hide_a_shorter_one_from_the_same_start() {
    // From "provide", the preferred match runs on through `\s*` over the
    // blank line to the word boundary before "In", and is refused; the
    // match that stops at "media" is inside the block and counts. Found
    // in a real policy: the anchor prefilter, whose stretches end at the
    // block's end, found it and the whole-text search did not.
    assert_forbidden_texts(
        r"\bprovide\b[^.]{0,40}?\bsocial\s+media\s*(?:platforms?)?\b",
        "Data you provide to us via social media\n\nIn connection with social media.\n",
        &["provide to us via social media"],
    );
}

#[test]
fn a_line_end_is_a_block_end_with_the_prefilter_on_or_off() {
    // `(?m:$)` holds where a block ends, mid-document too. The anchor's
    // reach is bounded here, yet its stretch must run to the block's end:
    // one cut after "data" would let `(?m:$)` hold there.
    assert_forbidden_texts(
        r"\bnever[ ]sell(?:[ ]data)?[ ]?(?m:$)",
        "We never sell\n\nWe never sell data . To anyone.\n\nWe never sell data\n",
        &["never sell", "never sell data"],
    );
}
