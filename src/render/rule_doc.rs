//! A rule's documentation as Markdown: what `privlint explain` prints and
//! what the pages under `docs/rules/` hold, so the two cannot drift apart.

use std::fmt::Write as _;

use crate::pack::CompiledPacks;
use crate::rule::{RuleKind, RuleMeta, Scope};

/// Name of the index page in the docs folder.
pub const INDEX: &str = "README.md";

/// Every page of the docs folder for these packs, as (path relative to the
/// folder, with `/` separators; content): each rule's page at `PACK/NAME.md`
/// and the index.
pub fn doc_tree(packs: &CompiledPacks) -> Vec<(String, String)> {
    let metas: Vec<&RuleMeta> = packs.rules.iter().map(|r| r.meta.as_ref()).collect();
    let mut pages: Vec<_> = metas
        .iter()
        .map(|m| (format!("{}.md", m.id), rule_page(m)))
        .collect();
    pages.push((INDEX.to_string(), index_page(&packs.packs, &metas)));
    pages
}

/// The page for one rule.
pub fn rule_page(rule: &RuleMeta) -> String {
    let mut md = String::new();
    let id = &rule.id;
    // `write!` into a String cannot fail.
    let _ = writeln!(md, "# {id}\n\n**{}**\n", one_line(&rule.title));
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| pack | `{}` |", rule.pack);
    let _ = writeln!(md, "| kind | `{}` |", rule.kind.as_str());
    let _ = writeln!(md, "| default severity | `{}` |", rule.severity);
    let _ = writeln!(md, "| scope | `{}` |", scope_name(rule.scope));
    let _ = writeln!(md, "| language | `{}` |", rule.language);
    if let Some(from) = rule.valid_from {
        let _ = writeln!(md, "| applies from | {from} (as-of date) |");
    }
    if let Some(until) = rule.valid_until {
        let _ = writeln!(md, "| applies until | {until} (as-of date) |");
    }

    let _ = writeln!(md, "\n## What it checks\n");
    let _ = writeln!(md, "{}\n", rule.message.trim());
    let _ = writeln!(md, "{}", kind_sentence(rule.kind, rule.scope));

    if !rule.help.trim().is_empty() {
        let _ = writeln!(md, "\n## What to do\n\n{}", rule.help.trim());
    }

    if rule.kind == RuleKind::Directive {
        let _ = writeln!(
            md,
            "\n## Law\n\nNone: the rule is about privlint's own comments, not a legal requirement."
        );
    } else {
        let _ = writeln!(md, "\n## Law\n");
    }
    for c in &rule.citations {
        let _ = match &c.url {
            Some(url) => writeln!(md, "- {}, {}: <{url}>", c.law.trim(), c.section.trim()),
            None => writeln!(md, "- {}, {}", c.law.trim(), c.section.trim()),
        };
    }

    let ex = &rule.examples;
    if !ex.flag.is_empty() || !ex.pass.is_empty() {
        let _ = writeln!(md, "\n## Examples");
        if !ex.flag.is_empty() {
            let _ = writeln!(md, "\nFlagged:\n\n{}", text_block(&ex.flag));
        }
        if !ex.pass.is_empty() {
            let _ = writeln!(md, "\nNot flagged:\n\n{}", text_block(&ex.pass));
        }
    }

    let _ = writeln!(md, "\n## Suppress or reconfigure\n");
    if rule.kind == RuleKind::Directive {
        let _ = writeln!(
            md,
            "Its findings cannot be suppressed by comments; `--no-inline-config` ignores \
             every `privlint-*` comment, and with them this rule.\n"
        );
    } else {
        suppress_comments(&mut md, id);
    }
    let _ = writeln!(
        md,
        "In `.privlint.yaml`, turn the rule off or change its severity:\n"
    );
    let _ = write!(
        md,
        "```yaml\nrules:\n  {id}: off    # or error, warning, info\n```\n"
    );
    md
}

fn suppress_comments(md: &mut String, id: &str) {
    let _ = writeln!(
        md,
        "In the policy: the first comment, just before the block a finding \
         points at, suppresses the rule in that block (say why after `--`); \
         the other two suppress it in everything between them.\n"
    );
    let _ = writeln!(
        md,
        "```html\n<!-- privlint-disable-next-block {id} -- reason -->\n\n\
         <!-- privlint-disable {id} -->\n...\n<!-- privlint-enable {id} -->\n```\n"
    );
}

/// The index of rule pages: one table per pack, linking each rule's page
/// relative to the index (`PACK/NAME.md`). `packs` gives pack ids with titles
/// in the order to list them.
pub fn index_page(packs: &[(String, String)], rules: &[&RuleMeta]) -> String {
    let mut md = String::from(
        "# Rules\n\n\
         One page per built-in rule, the same text `privlint explain RULE` prints.\n\
         These pages are generated from `rules/*.yaml`: do not edit them, run\n\
         `UPDATE_DOCS=1 cargo test --test rule_docs` after changing a pack.\n",
    );
    for (pack, title) in packs {
        let _ = writeln!(md, "\n## `{pack}`: {}\n", one_line(title));
        let _ = writeln!(md, "| rule | severity | title |\n|---|---|---|");
        for rule in rules.iter().filter(|r| &r.pack == pack) {
            let _ = writeln!(
                md,
                "| [`{id}`]({id}.md) | {} | {} |",
                rule.severity,
                cell(&rule.title),
                id = rule.id
            );
        }
    }
    md
}

/// How the rule's kind turns text into a finding, in the rule's own scope.
fn kind_sentence(kind: RuleKind, scope: Scope) -> String {
    let within = match scope {
        Scope::Match => "the same match",
        Scope::Sentence => "the same sentence",
        Scope::Paragraph => "the same paragraph",
        Scope::Section => "the same section",
        Scope::Document => "the whole policy",
        Scope::Context => "the same paragraph, its list's lead-in or the headings above it",
    };
    match kind {
        RuleKind::Forbid => {
            "A `forbid` rule: each sentence that matches one of its patterns is a finding.".to_string()
        }
        RuleKind::Require => "A `require` rule: a finding when nothing in the policy matches its \
                              patterns; the finding points at the policy's title."
            .to_string(),
        RuleKind::Conditional => format!(
            "A `conditional` rule: a finding when the policy says something that triggers it \
             and nothing in {within} gives what it requires."
        ),
        RuleKind::Directive => "A rule about privlint's own `privlint-*` comments in the policy.".to_string(),
        RuleKind::Contradiction => {
            format!("A `contradiction` rule: a finding when {within} both affirms and denies the same thing.")
        }
        RuleKind::Dated => "A `dated` rule: a finding when the policy states no effective or last-updated \
                            date (pointing at its title), or, with a maximum age, when that date is older \
                            than the age allows before the as-of date (pointing at the date)."
            .to_string(),
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Match => "match",
        Scope::Sentence => "sentence",
        Scope::Paragraph => "paragraph",
        Scope::Section => "section",
        Scope::Document => "document",
        Scope::Context => "context",
    }
}

/// Snippets as one fenced block, one a line, blank lines between; the fence
/// is longer than any backtick run inside so policy text cannot close it.
fn text_block(snippets: &[String]) -> String {
    let body = snippets.iter().map(|s| s.trim()).collect::<Vec<_>>().join("\n\n");
    let longest_run = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    format!("{fence}text\n{body}\n{fence}")
}

/// Text on one line: YAML block scalars may end in, or hold, newlines.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table cell: on one line, with `|` escaped.
fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{Citation, Examples, Severity};

    fn meta() -> RuleMeta {
        RuleMeta {
            id: "demo/no-foo".into(),
            pack: "demo".into(),
            title: "Foo | bar\nfound".into(),
            kind: RuleKind::Conditional,
            severity: Severity::Warning,
            scope: Scope::Paragraph,
            language: "eng".into(),
            message: "Foo found.\n".into(),
            help: "Remove foo.\n".into(),
            citations: vec![
                Citation {
                    law: "Demo Act".into(),
                    section: "s. 1".into(),
                    url: Some("https://example.com/act".into()),
                },
                Citation {
                    law: "Other Act".into(),
                    section: "s. 2".into(),
                    url: None,
                },
            ],
            url: None,
            examples: Examples {
                flag: vec!["We use ```foo``` here.".into(), "Foo again.".into()],
                pass: Vec::new(),
                as_of: None,
            },
            valid_from: None,
            valid_until: None,
        }
    }

    #[test]
    fn page_has_every_part() {
        let page = rule_page(&meta());
        for needle in [
            "# demo/no-foo\n\n**Foo | bar found**\n",
            "| default severity | `warning` |\n| scope | `paragraph` |",
            "## What it checks\n\nFoo found.\n\nA `conditional` rule: a finding when the policy says \
             something that triggers it and nothing in the same paragraph gives what it requires.\n",
            "## What to do\n\nRemove foo.\n",
            "- Demo Act, s. 1: <https://example.com/act>\n- Other Act, s. 2\n",
            "<!-- privlint-disable-next-block demo/no-foo -- reason -->",
            "<!-- privlint-disable demo/no-foo -->\n...\n<!-- privlint-enable demo/no-foo -->",
            "rules:\n  demo/no-foo: off",
        ] {
            assert!(page.contains(needle), "missing {needle:?} in:\n{page}");
        }
        // No pass examples: no empty "Not flagged" heading.
        assert!(!page.contains("Not flagged"), "{page}");
        assert!(page.ends_with("```\n") && !page.ends_with("\n\n"), "{page:?}");
    }

    #[test]
    fn examples_cannot_close_their_fence() {
        let page = rule_page(&meta());
        assert!(
            page.contains("````text\nWe use ```foo``` here.\n\nFoo again.\n````\n"),
            "{page}"
        );
    }

    #[test]
    fn index_links_each_rule_under_its_pack() {
        let m = meta();
        let packs = vec![("demo".to_string(), "Demo pack".to_string())];
        let index = index_page(&packs, &[&m]);
        assert!(index.contains("## `demo`: Demo pack\n"), "{index}");
        assert!(
            index.contains("| [`demo/no-foo`](demo/no-foo.md) | warning | Foo \\| bar found |\n"),
            "{index}"
        );
    }
}
