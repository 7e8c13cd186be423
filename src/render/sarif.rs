//! SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.
//!
//! One log with one run. The rules array is written up front (every rule
//! that runs, whether or not it fires), then results as files arrive, so a
//! large run holds one file's report at a time. Only the tool notifications
//! (skipped and failed files, notices: short strings) wait for the end, in
//! `invocations`. See `docs/sarif.md`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Renderer, Summary, text};
use crate::finding::{FileReport, FileStatus, Finding};
use crate::rule::{RuleMeta, Severity};
use crate::span::{LineIndex, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `partialFingerprints` key: privlint's own fingerprint, version 1
/// (see `crate::fingerprint`). Bump the suffix if the hash ever changes.
const FINGERPRINT_KEY: &str = "privlint/v1";

/// Relative paths are relative to where privlint ran, which for code
/// scanning is the repository root.
const SRCROOT: &str = "%SRCROOT%";

pub struct SarifRenderer {
    rules: Vec<(Arc<RuleMeta>, Severity)>,
    index: HashMap<String, usize>,
    /// Whether the log's opening (tool, rules) has been written.
    started: bool,
    /// Whether a result has been written, so the next needs a comma.
    any_result: bool,
    notifications: Vec<Notification>,
}

impl SarifRenderer {
    /// `rules`: every rule that will run, with its effective severity.
    pub fn new(rules: Vec<(Arc<RuleMeta>, Severity)>) -> Self {
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, (meta, _))| (meta.id.clone(), i))
            .collect();
        SarifRenderer {
            rules,
            index,
            started: false,
            any_result: false,
            notifications: Vec::new(),
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let rules: Vec<Value> = self.rules.iter().map(|(m, s)| rule_descriptor(m, *s)).collect();
        let driver = json!({
            "name": "privlint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": rules,
        });
        write!(
            out,
            r#"{{"$schema":"{SCHEMA}","version":"2.1.0","runs":[{{"tool":{{"driver":"#
        )?;
        serde_json::to_writer(&mut *out, &driver)?;
        // Span columns count chars; results are converted to UTF-16 code
        // units, SARIF's default and what GitHub assumes.
        out.write_all(br#"},"columnKind":"utf16CodeUnits","results":["#)?;
        Ok(())
    }

    fn notify(&mut self, level: &'static str, text: String, path: &str) {
        self.notifications.push(Notification {
            level,
            message: Message { text },
            locations: vec![NotificationLocation {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(path),
                    region: None,
                },
            }],
        });
    }
}

impl Renderer for SarifRenderer {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.start(out)?;
        match &report.status {
            FileStatus::Linted => {}
            FileStatus::Skipped(why) => self.notify("note", format!("skipped: {why}"), &report.path),
            FileStatus::Failed(why) => self.notify("error", why.clone(), &report.path),
        }
        for n in &report.notices {
            self.notify("note", n.message.clone(), &report.path);
        }
        if report.findings.is_empty() {
            return Ok(());
        }
        let lines = LineIndex::new(&report.source);
        for f in &report.findings {
            if self.any_result {
                out.write_all(b",")?;
            }
            self.any_result = true;
            let result = result(report, &lines, f, self.index.get(&f.rule.id).copied());
            serde_json::to_writer(&mut *out, &result)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        out.write_all(br#"],"invocations":["#)?;
        let invocation = Invocation {
            // Findings are a successful run; a file that could not be read is not.
            execution_successful: summary.failed == 0,
            tool_execution_notifications: std::mem::take(&mut self.notifications),
        };
        serde_json::to_writer(&mut *out, &invocation)?;
        out.write_all(b"]}]}\n")
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's `reportingDescriptor`.
fn rule_descriptor(meta: &RuleMeta, severity: Severity) -> Value {
    let help = meta.help.trim();
    let mut help_text = help.to_owned();
    let mut help_markdown = escape_markdown(help);
    if !meta.citations.is_empty() {
        help_text.push_str("\n\nCited:");
        help_markdown.push_str("\n\n**Cited:**\n");
        for c in &meta.citations {
            let cited = format!("{}, {}", c.law, c.section);
            help_text.push_str(&format!("\n- {cited}"));
            match &c.url {
                Some(url) => {
                    help_text.push_str(&format!(" <{url}>"));
                    help_markdown.push_str(&format!(
                        "\n- [{}]({})",
                        escape_markdown(&cited),
                        link_target(url)
                    ));
                }
                None => help_markdown.push_str(&format!("\n- {}", escape_markdown(&cited))),
            }
        }
    }
    let mut rule = json!({
        "id": meta.id,
        "name": pascal_case(&meta.id),
        "shortDescription": {"text": meta.title.trim()},
        "fullDescription": {"text": meta.message.trim()},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {"tags": [meta.pack]},
    });
    if let Some(url) = &meta.url {
        rule["helpUri"] = json!(url);
    }
    rule
}

/// `third-party-sale/do-not-sell-link` -> `ThirdPartySaleDoNotSellLink`: the
/// "friendly name" SARIF asks for, one Pascal-case identifier.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().into_iter().flat_map(char::to_uppercase).chain(chars)
        })
        .collect()
}

/// Pack text as literal Markdown: characters that would start emphasis,
/// code, links or HTML are backslash-escaped.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL safe to put in a Markdown link's parentheses.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes what SARIF's message syntax gives meaning to (`[`, `]` and
/// `\`), so only the links we add are links.
fn escape_message(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn result<'a>(
    report: &'a FileReport,
    lines: &LineIndex,
    f: &'a Finding,
    rule_index: Option<usize>,
) -> ResultJson<'a> {
    let source = &report.source;
    // A .docx's lines are paragraphs, not lines of the file: its regions
    // are line 1, and the messages say the paragraph and the words.
    let paragraph = |span: &Span| {
        text::paragraph_of(report, span).map(|p| {
            let matched = text::span_text(source, span);
            if matched.is_empty() {
                p
            } else {
                format!("{p}, {}", text::quote(matched))
            }
        })
    };
    let physical = |span: &Span| PhysicalLocation {
        artifact_location: artifact_location(&report.path),
        region: Some(match report.paragraphs {
            Some(_) => Region {
                start_line: 1,
                start_column: None,
                end_line: None,
                end_column: None,
                byte_offset: None,
                byte_length: None,
                snippet: None,
            },
            None => region(source, lines, span),
        }),
    };
    let located = |text: &str, span: &Span| match paragraph(span) {
        Some(p) if text.is_empty() => p,
        Some(p) => format!("{text} (in {p})"),
        None => text.to_owned(),
    };
    let message = f.message.trim();
    // Viewers (GitHub's among them) show related locations as the links in
    // the message, so the message names each label.
    let text = if f.labels.is_empty() {
        message.to_owned()
    } else {
        let links: Vec<String> = f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let label = l.text.trim();
                let label = if label.is_empty() { "related" } else { label };
                format!("[{}]({})", escape_message(label), i + 1)
            })
            .collect();
        format!("{} See {}.", escape_message(message), links.join(", "))
    };
    let text = match paragraph(&f.span) {
        Some(p) => format!("{text} In {}.", escape_message(&p)),
        None => text,
    };
    ResultJson {
        rule_id: &f.rule.id,
        rule_index,
        level: level(f.severity),
        message: Message { text },
        locations: vec![Location {
            id: None,
            physical_location: physical(&f.span),
            message: (!f.label.trim().is_empty() || report.paragraphs.is_some()).then(|| Message {
                text: located(f.label.trim(), &f.span),
            }),
        }],
        related_locations: f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| Location {
                id: Some(i + 1),
                physical_location: physical(&l.span),
                message: (!l.text.trim().is_empty() || report.paragraphs.is_some()).then(|| Message {
                    text: located(l.text.trim(), &l.span),
                }),
            })
            .collect(),
        partial_fingerprints: [(FINGERPRINT_KEY, f.fingerprint.as_str())].into(),
        properties: f.as_of.map(|d| [("asOf", d.to_string())].into()),
    }
}

/// A span as a SARIF region: lines as they are, columns converted from
/// chars to UTF-16 code units, byte offsets into the original file.
fn region<'a>(source: &'a str, lines: &LineIndex, span: &Span) -> Region<'a> {
    let range = text::text_range(source, span);
    let (start_line, start_column) = lines.line_utf16_col(source, range.start);
    let (end_line, end_column) = lines.line_utf16_col(source, range.end);
    let snippet = &source[range];
    Region {
        start_line,
        start_column: Some(start_column),
        end_line: Some(end_line),
        end_column: Some(end_column),
        byte_offset: Some(span.bytes.start),
        byte_length: Some(span.bytes.end.saturating_sub(span.bytes.start)),
        snippet: (!snippet.is_empty()).then_some(Snippet { text: snippet }),
    }
}

/// A report path as a SARIF artifact location: a relative URI reference
/// against `%SRCROOT%`, or a `file:` URI for an absolute path.
fn artifact_location(path: &str) -> ArtifactLocation {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let drive = path.as_bytes().get(1) == Some(&b':') && path.as_bytes()[0].is_ascii_alphabetic();
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(&path)),
            uri_base_id: None,
        }
    } else if cfg!(windows) && drive {
        ArtifactLocation {
            uri: format!("file:///{}:{}", &path[..1], percent_encode(&path[2..])),
            uri_base_id: None,
        }
    } else {
        let mut rel = path.as_str();
        while let Some(rest) = rel.strip_prefix("./") {
            rel = rest.trim_start_matches('/');
        }
        ArtifactLocation {
            uri: percent_encode(rel),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encodes all but unreserved characters and `/`, so a path can
/// never read as a scheme (`a:b`), a query or a fragment.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultJson<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: HashMap<&'static str, &'a str>,
    /// `asOf`: the day the policy was judged as of, when not today.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<HashMap<&'static str, String>>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    /// The rest is `None` for a .docx, whose findings point at line 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<NotificationLocation>,
}

/// A notification's location: the file, no region.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: PhysicalLocation<'static>,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::render::text::tests::{rule, sample_report, span_of};

    fn render(rules: Vec<(Arc<RuleMeta>, Severity)>, reports: &[FileReport]) -> Value {
        let mut r = SarifRenderer::new(rules);
        let mut out = Vec::new();
        let mut summary = Summary::default();
        for report in reports {
            summary.add(report);
            r.file(&mut out, report).unwrap();
        }
        r.finish(&mut out, &summary).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.ends_with("}\n") && out.matches('\n').count() == 1, "{out}");
        serde_json::from_str(&out).expect("valid JSON")
    }

    fn sample_rules() -> Vec<(Arc<RuleMeta>, Severity)> {
        vec![
            (rule("retention/missing", Severity::Info), Severity::Info),
            (rule("never/fires", Severity::Warning), Severity::Warning),
            (
                rule("third-party-sale/contradiction", Severity::Warning),
                Severity::Error,
            ),
        ]
    }

    #[test]
    fn every_rule_is_described_and_results_point_at_them() {
        let v = render(sample_rules(), &[sample_report()]);
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 3, "rules that never fired are listed too");
        let r = &rules[2];
        assert_eq!(r["id"], "third-party-sale/contradiction");
        assert_eq!(r["name"], "ThirdPartySaleContradiction");
        assert_eq!(r["shortDescription"]["text"], "Sale of personal information");
        // The effective severity, not the pack's default.
        assert_eq!(r["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "note");
        assert_eq!(
            r["helpUri"],
            "https://example.com/rules/third-party-sale/contradiction.md"
        );
        assert_eq!(
            r["help"]["text"],
            "Say one thing about selling data.\n\nCited:\n\
             - Cal. Civ. Code, § 1798.115(c) <https://example.com/ccpa>\n- GDPR, Art. 13"
        );
        assert_eq!(
            r["help"]["markdown"],
            "Say one thing about selling data.\n\n**Cited:**\n\n\
             - [Cal. Civ. Code, § 1798.115(c)](https://example.com/ccpa)\n- GDPR, Art. 13"
        );
        assert_eq!(r["properties"]["tags"], json!(["third-party-sale"]));

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        let res = &results[0];
        assert_eq!(res["ruleId"], "third-party-sale/contradiction");
        assert_eq!(res["ruleIndex"], 2);
        assert_eq!(res["level"], "error");
        assert_eq!(
            res["message"]["text"],
            "The policy both denies and affirms selling personal information See [sale denied here](1)."
        );
        let loc = &res["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"],
            json!({"uri": "privacy/policy.md", "uriBaseId": "%SRCROOT%"})
        );
        let sell = crate::render::text::tests::POLICY
            .match_indices("sell")
            .nth(1)
            .unwrap()
            .0;
        assert_eq!(
            loc["physicalLocation"]["region"],
            json!({"startLine": 4, "startColumn": 8, "endLine": 4, "endColumn": 12,
                   "byteOffset": sell, "byteLength": 4, "snippet": {"text": "sell"}})
        );
        assert_eq!(loc["message"]["text"], "sale affirmed here");
        let related = &res["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(related["message"]["text"], "sale denied here");
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 3);
        assert_eq!(
            res["partialFingerprints"],
            json!({"privlint/v1": "v1:0000000000000001"})
        );

        let anchored = &results[1];
        assert_eq!(anchored["ruleIndex"], 0);
        assert_eq!(anchored["level"], "note");
        assert!(anchored.get("relatedLocations").is_none());
        assert!(anchored["locations"][0].get("message").is_none());
        let region = &anchored["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], region["endColumn"]);
        assert!(region.get("snippet").is_none());

        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        assert_eq!(
            inv["toolExecutionNotifications"],
            json!([{"level": "note", "message": {"text": "front matter ignored"},
                    "locations": [{"physicalLocation": {"artifactLocation":
                        {"uri": "privacy/policy.md", "uriBaseId": "%SRCROOT%"}}}]}])
        );
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // "é" is one char and one UTF-16 unit; "𝒳" is one char but two units.
        let src = "Wé 𝒳 sell\n";
        let mut report = sample_report();
        report.source = Arc::from(src);
        report.findings.truncate(1);
        report.findings[0].span = span_of(src, "sell", 0);
        report.findings[0].labels.clear();
        assert_eq!(report.findings[0].span.column, 6, "chars");
        let v = render(sample_rules(), &[report]);
        let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
            (Some(7), Some(11))
        );
        assert_eq!(region["byteOffset"], src.find("sell").unwrap());
    }

    #[test]
    fn skipped_and_failed_files_are_notifications() {
        let skipped = FileReport::not_linted("a dir/x.bin".into(), FileStatus::Skipped("binary data".into()));
        let failed = FileReport::not_linted(
            "/abs/b#1.md".into(),
            FileStatus::Failed("permission denied".into()),
        );
        let v = render(sample_rules(), &[skipped, failed]);
        let run = &v["runs"][0];
        assert_eq!(run["results"], json!([]));
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let n = &inv["toolExecutionNotifications"];
        assert_eq!(n[0]["level"], "note");
        assert_eq!(n[0]["message"]["text"], "skipped: binary data");
        assert_eq!(
            n[0]["locations"][0]["physicalLocation"]["artifactLocation"],
            json!({"uri": "a%20dir/x.bin", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(n[1]["level"], "error");
        assert_eq!(
            n[1]["locations"][0]["physicalLocation"]["artifactLocation"],
            json!({"uri": "file:///abs/b%231.md"})
        );
    }

    #[test]
    fn paths_become_relative_uri_references() {
        let uri = |p: &str| artifact_location(p).uri;
        assert_eq!(uri("./site/policy.md"), "site/policy.md");
        assert_eq!(uri("././/a.md"), "a.md");
        assert_eq!(uri("../up/a.md"), "../up/a.md");
        assert_eq!(uri("a:b?c.md"), "a%3Ab%3Fc.md");
        assert_eq!(
            uri("politique/confidentialité.md"),
            "politique/confidentialit%C3%A9.md"
        );
        assert_eq!(artifact_location("/x.md").uri_base_id, None);
    }

    #[test]
    fn names_and_escapes() {
        assert_eq!(
            pascal_case("third-party-sale/do-not-sell-link"),
            "ThirdPartySaleDoNotSellLink"
        );
        assert_eq!(pascal_case("coppa/under-13-statement"), "CoppaUnder13Statement");
        assert_eq!(escape_markdown("a *b* [c]"), r"a \*b\* \[c\]");
        assert_eq!(escape_message(r"x [y] \z"), r"x \[y\] \\z");
        assert_eq!(link_target("https://x.org/a (b)"), "https://x.org/a%20%28b%29");
    }
}
