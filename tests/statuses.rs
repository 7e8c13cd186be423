//! Each rule's outcome for a file (`FileReport::rules`): what a scorecard,
//! the Markdown summary and `privlint diff` show.

use privlint::document::InputFormat;
use privlint::finding::{FileReport, Status};
use privlint::lint::{AsOf, LintOptions, Linter};
use privlint::pack::{self, CompiledPacks};
use privlint::policy_date::CivilDate;

fn lint(packs: CompiledPacks, as_of: AsOf, text: &str) -> FileReport {
    let options = LintOptions {
        inline_config: true,
        as_of,
        today: CivilDate::parse_iso("2026-12-01").unwrap(),
        outline: false,
    };
    Linter::with_options(packs, options).lint_bytes("p.md".into(), text.as_bytes(), InputFormat::Markdown)
}

fn status(report: &FileReport, id: &str) -> Status {
    report
        .rules
        .iter()
        .find(|r| r.rule.id == id)
        .unwrap_or_else(|| panic!("{id} not listed"))
        .status
}

const POLICY: &str = "# Privacy policy

We do not sell your personal information.

We keep your data for 30 days after you close your account.

You can opt out of marketing emails at any time.

Our service is not directed to children under 13.

We comply with the EU-US Safe Harbor framework.
";

#[test]
fn every_default_rule_is_listed_once_in_pack_order() {
    let packs = pack::load(&[]).unwrap();
    let ids: Vec<String> = packs.rules.iter().map(|r| r.meta.id.clone()).collect();
    let report = lint(pack::load(&[]).unwrap(), AsOf::Today, POLICY);
    let listed: Vec<String> = report.rules.iter().map(|r| r.rule.id.clone()).collect();
    assert_eq!(listed, ids);
}

#[test]
fn statuses_follow_findings_evidence_and_triggers() {
    let report = lint(pack::load(&[]).unwrap(), AsOf::Today, POLICY);
    assert_eq!(status(&report, "safe-harbor/eu-us-safe-harbor"), Status::Finding);
    assert_eq!(status(&report, "safe-harbor/privacy-shield"), Status::Satisfied);
    assert_eq!(status(&report, "third-party-sale/disclosure"), Status::Satisfied);
    let disclosure = &report
        .rules
        .iter()
        .find(|r| r.rule.id == "third-party-sale/disclosure")
        .unwrap()
        .rule;
    assert!(
        report.evidence_of(disclosure).is_some(),
        "the denial is the evidence"
    );
    // Sells nothing, so the link rule's trigger does not hold.
    assert_eq!(
        status(&report, "third-party-sale/do-not-sell-link"),
        Status::NotApplicable
    );
    // Every rule with a finding is a Finding, and no other is.
    for r in &report.rules {
        assert_eq!(
            r.status == Status::Finding,
            report.findings_of(&r.rule).next().is_some(),
            "{}",
            r.rule.id
        );
    }
}

#[test]
fn a_suppressed_finding_leaves_the_rule_suppressed() {
    let text = format!("<!-- privlint-disable safe-harbor/eu-us-safe-harbor -->\n{POLICY}");
    let report = lint(pack::load(&[]).unwrap(), AsOf::Today, &text);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule.id != "safe-harbor/eu-us-safe-harbor")
    );
    assert_eq!(
        status(&report, "safe-harbor/eu-us-safe-harbor"),
        Status::Suppressed
    );
}

#[test]
fn a_rule_outside_its_validity_window_is_not_in_force() {
    let as_of = AsOf::On(CivilDate::parse_iso("2014-01-01").unwrap());
    let report = lint(pack::load(&[]).unwrap(), as_of, POLICY);
    assert_eq!(
        status(&report, "safe-harbor/eu-us-safe-harbor"),
        Status::NotInForce
    );
}

#[test]
fn a_policy_in_another_language_lists_its_rules_as_not_run() {
    // Long enough for the language to be detected with confidence.
    let text = "Recopilamos información personal cuando usted crea una cuenta, como su nombre y \
        su dirección de correo electrónico. La utilizamos para prestar el servicio y no la \
        vendemos a terceros. Puede pedirnos que eliminemos su información en cualquier momento. "
        .repeat(10);
    let report = lint(pack::load(&[]).unwrap(), AsOf::Today, &text);
    assert!(!report.rules.is_empty());
    assert!(report.rules.iter().all(|r| r.status == Status::OtherLanguage));
}

#[test]
fn only_the_loaded_packs_rules_are_listed() {
    let packs = pack::load(&["coppa".to_string()]).unwrap();
    let report = lint(packs, AsOf::Today, POLICY);
    assert!(report.rules.iter().all(|r| r.rule.pack == "coppa"));
    assert!(!report.rules.is_empty());
}

#[test]
fn a_finding_dropped_by_the_baseline_leaves_the_rule_baselined() {
    use privlint::baseline::{self, Baseline};
    let mut report = lint(pack::load(&[]).unwrap(), AsOf::Today, POLICY);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, baseline::to_json(baseline::entries(&report).collect())).unwrap();
    let dropped = Baseline::load(&path).unwrap().filter(&mut report);
    assert!(dropped > 0);
    assert!(report.findings.is_empty());
    assert_eq!(
        status(&report, "safe-harbor/eu-us-safe-harbor"),
        Status::Baselined
    );
    assert!(report.rules.iter().all(|r| r.status != Status::Finding));
}
