//! The hard cases of the accuracy issue, on sentences written for this test
//! (not taken from any policy). Each case is linted alone as plain text.

use privlint::document::InputFormat;
use privlint::lint::Linter;

/// (rule, text, expect a finding)
const CASES: &[(&str, &str, bool)] = &[
    // Negation and scope of selling.
    (
        "third-party-sale/disclosure",
        "We do not sell your personal data.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "We will never sell or rent your information to anyone.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "We do not sell personal information, except to our service providers.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "In no case will this data be sold.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "Your details are never traded or sold.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "We may sell your contact details to partners.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "If we are involved in a merger or a sale of all or part of our assets, your information may be transferred.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "Our shop has products for sale and we sell gift cards.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "Bidders can sell items on the marketplace.",
        true,
    ),
    (
        "third-party-sale/contradiction",
        "We do not sell your personal information. We may sell your personal information to advertisers.",
        true,
    ),
    (
        "third-party-sale/contradiction",
        "We do not sell your personal information. In a merger, your information may be sold with our assets.",
        false,
    ),
    (
        "third-party-sale/contradiction",
        "We never sell your data, and we never will.",
        false,
    ),
    (
        "third-party-sale/contradiction",
        "We do not sell your data. You have the right to opt out of the sale of your personal information.",
        false,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "We sell personal information to data brokers.",
        true,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "We sell personal information to data brokers. Use the Do Not Sell My Personal Information link to opt out.",
        false,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "We may sell your data. We honor Global Privacy Control signals as a request to opt out.",
        false,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "If we sell the business, customer data may be sold to the buyer as part of the acquisition.",
        false,
    ),
    // Describing the consumer's right is not saying what the business does.
    (
        "third-party-sale/disclosure",
        "You have the right to know what personal information is collected, used, shared or sold.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "You can opt out of the sale of your personal information using the link below.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "Your right to opt out: Acme does not share or sell your personal information.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "There is no sale of personal data.",
        false,
    ),
    ("third-party-sale/disclosure", "We do not sell.", false),
    // Children.
    (
        "coppa/under-13-statement",
        "Our services are not directed to children under thirteen.",
        false,
    ),
    (
        "coppa/under-13-statement",
        "We do not knowingly collect information from kids.",
        false,
    ),
    (
        "coppa/under-13-statement",
        "You must be at least 16 years old to use the service; it is not intended for anyone under 16.",
        false,
    ),
    (
        "coppa/under-13-statement",
        "Users under the age of 18 may not register.",
        false,
    ),
    (
        "coppa/under-13-statement",
        "If you believe we have collected information from a child under 13, contact us and we will delete it.",
        false,
    ),
    (
        "coppa/under-13-statement",
        "We collect your name and address to ship orders.",
        true,
    ),
    (
        "coppa/parental-consent",
        "We collect first names and voice recordings from children under 13 who use the app.",
        true,
    ),
    (
        "coppa/parental-consent",
        "We collect first names from children under 13 only after obtaining verifiable parental consent.",
        false,
    ),
    (
        "coppa/parental-consent",
        "We do not knowingly collect personal information from children under 13.",
        false,
    ),
    // The parent's rights do not stand in for consent (312.5), nor consent
    // for the rights the notice must state (312.4(d)(3)).
    (
        "coppa/parental-consent",
        "When a child creates an account we collect a username. Parents can review or delete that information at any time.",
        true,
    ),
    (
        "coppa/parental-rights",
        "When a child creates an account we collect a username. Parents can review or delete that information at any time.",
        false,
    ),
    (
        "coppa/parental-rights",
        "We collect first names from children under 13 only after obtaining verifiable parental consent.",
        true,
    ),
    (
        "coppa/parental-rights",
        "We do not, however, knowingly collect personal information from children under 13.",
        false,
    ),
    (
        "coppa/parental-rights",
        "If we ever collect personal information from a child under 13, we will delete it.",
        false,
    ),
    // Hypotheticals are not statements of collection, in any of their
    // forms; a noun "process" is not the verb.
    (
        "coppa/parental-rights",
        "In the event that we do begin collecting data from children under 13, we will seek parental consent to collect data from children under 13.",
        false,
    ),
    (
        "coppa/parental-rights",
        "If we ask for personal information from children under 13, we will take extra steps to protect it.",
        false,
    ),
    (
        "coppa/parental-rights",
        "Should we offer a feature that collects information from children under 13, we will describe it here.",
        false,
    ),
    (
        "coppa/parental-rights",
        "Our sign-up process blocks the registration of users under 13.",
        false,
    ),
    (
        "coppa/parental-rights",
        "We process personal information of users under 13 to run the game.",
        true,
    ),
    // The 2025 retention policy (312.10): a period, an end point or
    // criteria for children's data; deletion on a parent's request is not one.
    (
        "coppa/retention-policy",
        "When a child creates an account we collect a username. Parents can ask us to delete their child's information at any time.",
        true,
    ),
    (
        "coppa/retention-policy",
        "When a child creates an account we collect a username. We keep children's usernames until the account is closed.",
        false,
    ),
    (
        "coppa/retention-policy",
        "When a child creates an account we collect a username. A child's data is deleted 30 days after the account is closed.",
        false,
    ),
    (
        "coppa/retention-policy",
        "We do not knowingly collect personal information from children under 13.",
        false,
    ),
    // Opt-out mechanisms.
    (
        "opt-out/presence",
        "Click the unsubscribe link at the bottom of any email.",
        false,
    ),
    (
        "opt-out/presence",
        "If you no longer wish to receive our newsletter, write to us.",
        false,
    ),
    (
        "opt-out/presence",
        "You can manage which emails you receive in your notification settings.",
        false,
    ),
    (
        "opt-out/presence",
        "Contact us to stop receiving marketing messages.",
        false,
    ),
    (
        "opt-out/presence",
        "You may opt-out of interest-based advertising through the NAI.",
        false,
    ),
    (
        "opt-out/presence",
        "You can block cookies in your browser settings.",
        true,
    ),
    (
        "opt-out/presence",
        "We send a weekly newsletter to all customers.",
        true,
    ),
    (
        "opt-out/presence",
        "You cannot opt out of service announcements.",
        true,
    ),
    // Retention.
    ("retention/stated", "We keep access logs for 30 days.", false),
    (
        "retention/stated",
        "Account data is stored for two years after your last login.",
        false,
    ),
    (
        "retention/stated",
        "We retain your data for the duration of your account plus 90 days.",
        false,
    ),
    (
        "retention/stated",
        "We retain personal data as long as needed to provide the service, comply with legal obligations and resolve disputes.",
        false,
    ),
    (
        "retention/stated",
        "You can request deletion of your data at any time.",
        true,
    ),
    (
        "retention/stated",
        "We store your data on servers in Ireland.",
        true,
    ),
    (
        "retention/period",
        "We retain personal information for as long as necessary.",
        true,
    ),
    (
        "retention/period",
        "We keep your information as long as necessary for the purposes described in this policy.",
        true,
    ),
    (
        "retention/period",
        "We keep your information as long as necessary to comply with our legal obligations.",
        false,
    ),
    (
        "retention/period",
        "We keep data as long as necessary. Backups are deleted after 35 days.",
        false,
    ),
    // Safe Harbor and Privacy Shield.
    (
        "safe-harbor/eu-us-safe-harbor",
        "Acme adheres to the US-EU Safe Harbor Privacy Principles.",
        true,
    ),
    (
        "safe-harbor/eu-us-safe-harbor",
        "We are certified under the Swiss-U.S. Safe Harbor Framework.",
        true,
    ),
    (
        "safe-harbor/eu-us-safe-harbor",
        "We participate in the PRIVO COPPA safe harbor program.",
        false,
    ),
    (
        "safe-harbor/eu-us-safe-harbor",
        "Our service provider status gives us a DMCA safe harbor for user content.",
        false,
    ),
    (
        "safe-harbor/eu-us-safe-harbor",
        "Statements in this release are forward-looking statements under the safe harbor provisions.",
        false,
    ),
    (
        "safe-harbor/eu-us-safe-harbor",
        "We formerly relied on the EU-US Safe Harbor, which was invalidated in 2015.",
        false,
    ),
    (
        "safe-harbor/privacy-shield",
        "We comply with the EU-U.S. Privacy Shield Framework.",
        true,
    ),
    (
        "safe-harbor/privacy-shield",
        "We comply with the EU-U.S. Data Privacy Framework, which replaced the Privacy Shield.",
        false,
    ),
    (
        "safe-harbor/privacy-shield",
        "After the Privacy Shield was invalidated in 2020, we moved to standard contractual clauses.",
        false,
    ),
    // Added with the labelled corpus: questions, link names, 'considered a
    // sale', telemetry opt-outs, objections to marketing, device cookies,
    // deletion on request, disclaimed reliance.
    (
        "third-party-sale/do-not-sell-link",
        "Do we sell your personal information? No, we do not sell your personal information.",
        false,
    ),
    (
        "third-party-sale/contradiction",
        "Do we sell your personal information? No, we do not sell your personal information.",
        false,
    ),
    (
        "third-party-sale/disclosure",
        "Use the Do Not Sell or Share My Personal Information link in the footer.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "Your browser can tell websites not to sell your information.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "When you buy or lease a car from a dealer, the dealer shares your information with us.",
        true,
    ),
    (
        "third-party-sale/disclosure",
        "Showing you personalised ads may be considered a sale of your information under California law.",
        false,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "Showing you personalised ads may be considered a sale of your information under California law.",
        true,
    ),
    (
        "third-party-sale/do-not-sell-link",
        "Showing you personalised ads may be considered a sale of your information under California law. You can opt out of this sale in your settings.",
        false,
    ),
    (
        "third-party-sale/contradiction",
        "We do not sell your data. Showing you personalised ads may be considered a sale under California law.",
        true,
    ),
    (
        "third-party-sale/contradiction",
        "We do not sell your data. We have no actual knowledge that we sell the personal information of consumers under 16.",
        false,
    ),
    (
        "opt-out/presence",
        "You can opt out of sending usage statistics in the settings.",
        true,
    ),
    (
        "opt-out/presence",
        "You have the right to object to the processing of your data. In particular if we use it for marketing purposes.",
        false,
    ),
    (
        "opt-out/presence",
        "It is possible to suspend the receipt of our e-mails at any time.",
        false,
    ),
    (
        "retention/stated",
        "Persistent cookies remain on your device until they expire.",
        true,
    ),
    (
        "retention/stated",
        "Backups may remain on our systems for up to ninety (90) days.",
        false,
    ),
    (
        "retention/stated",
        "We will delete your data within five days of receiving your request.",
        true,
    ),
    (
        "retention/period",
        "We keep your data no longer than necessary.",
        true,
    ),
    (
        "retention/period",
        "We keep your data no longer than necessary, unless we are required by law to keep it longer.",
        false,
    ),
    (
        "retention/period",
        "We do not store your information unless we need it to provide the service.",
        true,
    ),
    (
        "coppa/under-13-statement",
        "If you are under 18, you may only use the service with a parent.",
        false,
    ),
    (
        "safe-harbor/privacy-shield",
        "We do not rely on the Privacy Shield. Our parent company remains listed in the EU-U.S. Privacy Shield.",
        false,
    ),
];

#[test]
fn hard_cases_get_the_right_verdict() {
    let linter = Linter::new(privlint::pack::load(&[]).unwrap());
    let wrong: Vec<String> = CASES
        .iter()
        .filter(|(rule, text, expected)| {
            let r = linter.lint_bytes("case.txt".into(), text.as_bytes(), InputFormat::Text);
            r.findings.iter().any(|f| f.rule.id == *rule) != *expected
        })
        .map(|(rule, text, expected)| {
            format!(
                "{rule}: expected {} on: {text}",
                if *expected { "a finding" } else { "none" }
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        CASES.len(),
        wrong.join("\n")
    );
}
