//! Rule packs: loading YAML, validating it, and compiling it.
//!
//! A pack is one YAML file (`docs/rule-format.md`). Packs can only describe
//! patterns: they cannot run code, include files or reach the network.

pub mod anchor;
mod builtin;
pub mod compile;
mod error;
pub mod schema;

use std::collections::HashSet;
use std::path::Path;

pub use builtin::{builtin_names, builtin_source};
pub use compile::CompiledPacks;
pub use error::PackError;
use schema::{KindName, PackDef, RuleDef};

/// Parses and validates one pack. `path` names it in error messages.
pub fn parse_pack(path: &str, source: &str) -> Result<PackDef, Box<PackError>> {
    let pack: PackDef = from_yaml(path, source)?;
    validate(&pack).map_err(|(message, rule)| {
        let at = rule.and_then(|(id, nth)| locate_rule(source, id, nth));
        Box::new(PackError::new(path, source, message, at))
    })?;
    Ok(pack)
}

/// Deserializes YAML, turning errors into a report on the offending line.
pub fn from_yaml<T: serde::de::DeserializeOwned>(path: &str, source: &str) -> Result<T, Box<PackError>> {
    serde_yaml::from_str(source).map_err(|e| {
        let at = e.location().map(|l| l.index());
        // The report shows the location itself; drop serde's textual copy.
        let mut message = e.to_string();
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        Box::new(PackError::new(path, source, message, at))
    })
}

/// Reads a pack file.
pub fn load_pack_file(path: &Path) -> Result<PackDef, Box<PackError>> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        Box::new(PackError::new(
            &name,
            "",
            format!("cannot read the pack: {e}"),
            None,
        ))
    })?;
    parse_pack(&name, &source)
}

/// Where the generated documentation of built-in rules is published.
pub const RULE_DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules");

/// Parses a built-in pack, pointing each rule without a `url` at its
/// page under `docs/rules/`.
fn builtin_pack(name: &str) -> Result<PackDef, Box<PackError>> {
    let mut def = compile::trusting(|| {
        parse_pack(
            &format!("<built-in>/{name}.yaml"),
            builtin_source(name).unwrap_or(""),
        )
    })?;
    for rule in &mut def.rules {
        rule.url
            .get_or_insert_with(|| format!("{RULE_DOCS_URL}/{}.md", rule.id));
    }
    Ok(def)
}

/// The id of the rule at fault and which of the rules with that id it is.
type RuleAt<'a> = Option<(&'a str, usize)>;

/// Loads packs by name or path and compiles them. A name of a built-in
/// pack selects it; anything else is a pack file or a folder of `.yaml` /
/// `.yml` pack files. An empty list selects every built-in pack.
pub fn load(specs: &[String]) -> Result<CompiledPacks, Box<PackError>> {
    load_with_ids(specs).map(|(packs, _)| packs)
}

/// [`load`], also returning the ids of the packs each spec named (a folder
/// names several), in the order of `specs`.
pub fn load_with_ids(specs: &[String]) -> Result<(CompiledPacks, Vec<Vec<String>>), Box<PackError>> {
    let mut defs = Vec::new();
    let mut ids = Vec::new();
    if specs.is_empty() {
        for name in builtin_names() {
            defs.push(builtin_pack(name)?);
        }
    }
    for spec in specs {
        let loaded = load_spec(spec)?;
        ids.push(loaded.iter().map(|d| d.pack.clone()).collect());
        defs.extend(loaded);
    }
    Ok((compile_defs(defs)?, ids))
}

/// The packs one spec names.
fn load_spec(spec: &str) -> Result<Vec<PackDef>, Box<PackError>> {
    if builtin_source(spec).is_some() {
        return Ok(vec![builtin_pack(spec)?]);
    }
    let path = Path::new(spec);
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| {
                Box::new(PackError::new(
                    spec,
                    "",
                    format!("cannot read the folder: {e}"),
                    None,
                ))
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        files.iter().map(|f| load_pack_file(f)).collect()
    } else if path.exists() {
        Ok(vec![load_pack_file(path)?])
    } else {
        let names: Vec<_> = builtin_names().collect();
        let mut err = PackError::new(spec, "", format!("no built-in pack or file named `{spec}`"), None);
        err.help = Some(format!("built-in packs: {}", names.join(", ")));
        Err(Box::new(err))
    }
}

/// Refuses a pack loaded twice, then compiles.
fn compile_defs(defs: Vec<PackDef>) -> Result<CompiledPacks, Box<PackError>> {
    let mut seen = HashSet::new();
    for def in &defs {
        if !seen.insert(def.pack.clone()) {
            return Err(Box::new(PackError::new(
                &def.pack,
                "",
                format!("pack `{}` is loaded twice", def.pack),
                None,
            )));
        }
    }
    CompiledPacks::compile(defs).map_err(|m| Box::new(PackError::new("<packs>", "", m, None)))
}

/// Checks what serde cannot: ids, and that each rule has exactly the keys
/// its kind uses. Returns the message and the rule at fault.
fn validate(pack: &PackDef) -> Result<(), (String, RuleAt<'_>)> {
    if !is_slug(&pack.pack) {
        return Err((
            format!(
                "pack id `{}` must be lowercase letters, digits and dashes",
                pack.pack
            ),
            None,
        ));
    }
    let mut seen = HashSet::new();
    for (i, rule) in pack.rules.iter().enumerate() {
        let id = rule.id.as_str();
        let nth = pack.rules[..i].iter().filter(|r| r.id == id).count();
        let fault = |msg: String| Err((msg, Some((id, nth))));
        match id.split_once('/') {
            Some((p, name)) if p == pack.pack && is_slug(name) => {}
            _ => {
                return fault(format!(
                    "rule id `{id}` must be `{}/NAME`, NAME in lowercase letters, digits and dashes",
                    pack.pack
                ));
            }
        }
        if !seen.insert(id) {
            return fault(format!("duplicate rule id `{id}`"));
        }
        if rule.citations.is_empty() {
            return fault(format!(
                "rule `{id}` cites no law: add at least one entry to `citations`"
            ));
        }
        check_kind_keys(rule).or_else(fault)?;
        let lists = [
            &rule.patterns,
            &rule.when,
            &rule.require,
            &rule.affirm,
            &rule.deny,
        ];
        if lists.iter().any(|l| l.iter().any(|p| p.scope.is_some())) {
            return fault(format!(
                "rule `{id}`: a pattern's own `scope` only applies in `unless`"
            ));
        }
    }
    Ok(())
}

fn check_kind_keys(rule: &RuleDef) -> Result<(), String> {
    let present = [
        ("patterns", !rule.patterns.is_empty()),
        ("section", rule.section.is_some()),
        ("when", !rule.when.is_empty()),
        ("require", !rule.require.is_empty()),
        ("affirm", !rule.affirm.is_empty()),
        ("deny", !rule.deny.is_empty()),
    ];
    let (needed, allowed): (&[&str], &[&str]) = match rule.kind {
        KindName::Forbid => (&["patterns"], &["patterns"]),
        KindName::Require => (&["patterns"], &["patterns", "section"]),
        KindName::Conditional => (&["when", "require"], &["when", "require"]),
        KindName::Contradiction => (&["affirm", "deny"], &["affirm", "deny"]),
    };
    let kind = format!("{:?}", rule.kind).to_lowercase();
    for (key, has) in present {
        if needed.contains(&key) && !has {
            return Err(format!(
                "rule `{}` of kind `{kind}` needs a non-empty `{key}` list",
                rule.id
            ));
        }
        if has && !allowed.contains(&key) {
            return Err(format!(
                "rule `{}` of kind `{kind}` does not use `{key}` (it uses {})",
                rule.id,
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Byte offset of the `id:` line of the `nth` rule with this id in the
/// pack's YAML. Semantic errors are found after deserializing, when serde's
/// positions are gone.
fn locate_rule(source: &str, id: &str, nth: usize) -> Option<usize> {
    let mut offset = 0;
    let mut found = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches('-').trim_start();
        if let Some(v) = t.strip_prefix("id:")
            && v.trim().trim_matches(|c| c == '"' || c == '\'') == id
        {
            if found == nth {
                return Some(offset + (line.len() - line.trim_start().len()));
            }
            found += 1;
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "pack: demo
title: Demo
version: 1
rules:
  - id: demo/no-foo
    title: No foo
    kind: forbid
    severity: warning
    message: Foo found
    help: Remove foo
    citations: [{law: Demo Act, section: s. 1}]
    patterns: ['\\bfoo\\b', {phrase: bar baz, polarity: affirmative}]
";

    #[test]
    fn builtin_patterns_pass_the_checks() {
        // `builtin_pack` skips them at start-up; this is where they run.
        for name in builtin_names() {
            let def = parse_pack(name, builtin_source(name).unwrap()).unwrap();
            let n: usize = def
                .rules
                .iter()
                .map(|r| {
                    r.patterns.len()
                        + r.unless.len()
                        + r.when.len()
                        + r.require.len()
                        + r.affirm.len()
                        + r.deny.len()
                })
                .sum();
            assert!(n > 0, "{name}");
        }
    }

    #[test]
    fn a_valid_pack_parses() {
        let pack = parse_pack("demo.yaml", GOOD).unwrap();
        assert_eq!(pack.rules.len(), 1);
        assert_eq!(pack.rules[0].patterns[0].regex, "(?i)(?-u:\\b)foo(?-u:\\b)");
    }

    fn error_of(src: &str) -> PackError {
        *parse_pack("p.yaml", src).unwrap_err()
    }

    fn line_of(err: &PackError, src: &str) -> usize {
        let at = err.span.expect("a span").offset();
        src[..at].matches('\n').count() + 1
    }

    #[test]
    fn unknown_key_points_at_its_line_and_suggests() {
        let src = GOOD.replace("    patterns:", "    paterns:");
        let err = error_of(&src);
        assert!(err.message.contains("unknown field `paterns`"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean the key `patterns`?"));
        assert_eq!(line_of(&err, &src), 12);
    }

    #[test]
    fn invalid_regex_points_at_its_line() {
        let src = GOOD.replace("'\\bfoo\\b'", "'(foo'");
        let err = error_of(&src);
        assert!(err.message.contains("invalid regex `(foo`"), "{}", err.message);
        assert_eq!(line_of(&err, &src), 12);
    }

    #[test]
    fn huge_regex_is_refused() {
        let src = GOOD.replace("'\\bfoo\\b'", "'\\w{1000}\\w{1000}\\w{1000}'");
        let err = error_of(&src);
        assert!(err.message.contains("compiles to more than"), "{}", err.message);
    }

    #[test]
    fn duplicate_ids_and_wrong_prefix_and_kind_keys() {
        let dup = format!("{GOOD}{}", &GOOD[GOOD.find("  - id").unwrap()..]);
        let err = error_of(&dup);
        assert!(err.message.contains("duplicate rule id `demo/no-foo`"));
        assert_eq!(line_of(&err, &dup), 13);

        let err = error_of(&GOOD.replace("id: demo/no-foo", "id: other/no-foo"));
        assert!(err.message.contains("must be `demo/NAME`"), "{}", err.message);

        let err = error_of(&GOOD.replace("kind: forbid", "kind: contradiction"));
        assert!(
            err.message
                .contains("does not use `patterns` (it uses `affirm`, `deny`)"),
            "{}",
            err.message
        );
        let src = GOOD
            .replace("kind: forbid", "kind: conditional")
            .replace("patterns:", "when:");
        let err = error_of(&src);
        assert!(
            err.message.contains("needs a non-empty `require`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn wrong_types_and_missing_keys() {
        let err = error_of(&GOOD.replace("severity: warning", "severity: fatal"));
        assert!(err.message.contains("unknown variant `fatal`"), "{}", err.message);
        let err = error_of(&GOOD.replace("    help: Remove foo\n", ""));
        assert!(err.message.contains("missing field `help`"), "{}", err.message);
        let err = error_of("pack: [");
        assert!(err.span.is_some());
    }
}
