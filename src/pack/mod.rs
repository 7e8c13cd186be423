//! Rule packs: loading YAML, validating it, and compiling it.
//!
//! A pack is one YAML file (`docs/rule-format.md`). Packs can only describe
//! patterns: they cannot run code, include files or reach the network.

pub mod anchor;
mod builtin;
pub mod compile;
mod error;
pub mod fold;
mod nfa_bound;
mod relax;
pub mod schema;
pub mod yaml;

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

pub use builtin::{builtin_names, builtin_source, default_names, is_opt_in};
pub use compile::CompiledPacks;
pub use error::PackError;
use schema::{KindName, PackDef, RuleDef};

/// Parses and validates one pack. `path` names it in error messages.
pub fn parse_pack(path: &str, source: &str) -> Result<PackDef, Box<PackError>> {
    // Checking the patterns' regexes is most of loading a big pack (a
    // thousand patterns: 0.7 s here). They are checked all at once, in
    // parallel; only if one fails is the pack read again, checking as it
    // goes, for the error on the offending line.
    if !compile::is_trusting() {
        let pack = compile::trusting(|| parse_pack_checked(path, source));
        if let Ok(pack) = pack
            && regexes(&pack).all(|re| compile::check_regex(re).is_ok())
        {
            return Ok(pack);
        }
    }
    parse_pack_checked(path, source)
}

/// Every regex of a pack: its patterns', compiled, and its sections'.
fn regexes(pack: &PackDef) -> impl ParallelIterator<Item = &str> {
    pack.rules.par_iter().flat_map_iter(|rule| {
        (rule.all_patterns().map(|p| p.regex.as_str())).chain(rule.section.iter().map(|s| s.0.as_str()))
    })
}

fn parse_pack_checked(path: &str, source: &str) -> Result<PackDef, Box<PackError>> {
    if yaml::is_blank(source) {
        let mut err = PackError::new(path, source, "the pack file is empty".into(), Some(0));
        err.help = Some(PACK_SHAPE.to_owned());
        return Err(Box::new(err));
    }
    let mut pack: PackDef = from_yaml(path, source)?;
    validate(&pack).map_err(|fault| {
        let at = match fault.at {
            At::Rule(id, nth) => locate_rule(source, id, nth),
            At::Key(key) => locate_key(source, key),
        };
        let mut err = PackError::new(path, source, fault.message, at);
        err.help = fault.help.or(err.help);
        Box::new(err)
    })?;
    pack.file = path.to_owned();
    Ok(pack)
}

/// What a pack file must hold, for errors about its shape.
const PACK_SHAPE: &str =
    "a pack is one YAML map with `pack`, `title`, `version` and `rules` (see docs/rule-format.md)";

/// Deserializes YAML, turning errors into a report on the offending line,
/// in plain words and with a suggested fix where there is one.
pub fn from_yaml<T: serde::de::DeserializeOwned>(path: &str, source: &str) -> Result<T, Box<PackError>> {
    schema::take_regex_fault();
    schema::take_date_fault();
    if let Some(at) = yaml::too_deep(source) {
        let mut err = PackError::new(
            path,
            source,
            format!("nested more than {} levels deep", yaml::MAX_FLOW_DEPTH),
            Some(at),
        )
        .with_span(at..at + 1);
        err.help = Some("packs and configurations need a few levels of nesting; this file is not one".into());
        return Err(Box::new(err));
    }
    serde_yaml::from_str(source).map_err(|e| {
        let explained = yaml::explain(&e.to_string(), source, e.location().map(|l| l.index()));
        let mut err = PackError::new(path, source, explained.message, explained.at);
        err.help = explained.help.or(err.help);
        if let Some(fault) = schema::take_regex_fault() {
            err = point_into_pattern(err, source, &fault);
        }
        if let Some(fault) = schema::take_date_fault() {
            err = point_at_date(err, source, &fault);
        }
        Box::new(err)
    })
}

/// Narrows a pattern error from the whole line to the pattern's scalar,
/// and to the offending characters inside it when they map 1:1 onto the
/// file (plain and single-quoted scalars on one line, double-quoted ones
/// without escapes).
fn point_into_pattern(err: PackError, source: &str, fault: &schema::RegexFault) -> PackError {
    let Some(from) = err.offset() else {
        return err;
    };
    let Some(scalar) = yaml::find_scalar(source, from, &fault.written, fault.key) else {
        return err;
    };
    let range = match (&scalar.map, &fault.at) {
        (Some(map), Some(at)) if !map.is_empty() => {
            // `map` has an entry per byte, so a character's bytes map onto
            // consecutive bytes and one past the last is its end.
            let start = map[at.start.min(map.len() - 1)];
            let last = map[at.end.saturating_sub(1).clamp(at.start, map.len() - 1)];
            start..(last + 1).max(start + 1)
        }
        _ => scalar.range.clone(),
    };
    let mut err = err.with_span(range);
    err.help = Some(fault.help.clone());
    if scalar.map.is_some() || fault.at.is_none() {
        err.label = fault.label.clone();
    } else {
        err.label = format!("{} (somewhere in this pattern)", fault.label);
    }
    err
}

/// Narrows a bad `valid_from`/`valid_until` from its rule to its value:
/// the first `key: value` line after where serde points.
fn point_at_date(err: PackError, source: &str, fault: &schema::DateFault) -> PackError {
    let Some(from) = err.offset() else {
        return err;
    };
    let mut offset = source[..from].rfind('\n').map_or(0, |i| i + 1);
    for line in source[offset..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if let Some(rest) = line.trim_start().strip_prefix(fault.key)
            && let Some(value) = rest.trim_start_matches(' ').strip_prefix(':')
        {
            let value_at = offset + indent + fault.key.len() + (rest.len() - value.len());
            let lead = value.len() - value.trim_start().len();
            let shown = value.trim().trim_matches(|c| c == '"' || c == '\'');
            if shown == fault.written {
                let start = value_at + lead;
                let mut err = err.with_span(start..start + value.trim().len());
                err.label = "not a YYYY-MM-DD calendar date".to_owned();
                err.help = Some("write the date as YYYY-MM-DD, e.g. `valid_from: 2020-07-16`".to_owned());
                return err;
            }
        }
        offset += line.len();
    }
    err
}

/// Pack files larger than this are refused before parsing.
const MAX_PACK_FILE: u64 = 8 << 20;

/// Reads a pack file.
pub fn load_pack_file(path: &Path) -> Result<PackDef, Box<PackError>> {
    let name = path.display().to_string();
    let refuse = |message: String, help: &str| {
        let mut err = PackError::new(&name, "", message, None);
        err.help = Some(help.to_owned());
        Box::new(err)
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_PACK_FILE + 1), &mut bytes))
        .map_err(|e| {
            refuse(
                format!("cannot read the pack: {e}"),
                "check the path and its permissions",
            )
        })?;
    if bytes.len() as u64 > MAX_PACK_FILE {
        return Err(refuse(
            format!("the pack is larger than {} MiB", MAX_PACK_FILE >> 20),
            "a pack is a short YAML text file; is this the right path?",
        ));
    }
    // Binary data is not shown: it would garble the terminal.
    let source = String::from_utf8(bytes).map_err(|e| {
        refuse(
            format!(
                "not a YAML text file: invalid UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ),
            "a pack is a UTF-8 YAML text file; is this the right path?",
        )
    })?;
    if let Some(at) = source.find('\0') {
        return Err(refuse(
            format!("not a YAML text file: a NUL byte at byte {at}"),
            "a pack is a UTF-8 YAML text file; is this the right path?",
        ));
    }
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

/// Where a validation fault is in the pack's YAML.
enum At<'a> {
    /// The `nth` rule with this id.
    Rule(&'a str, usize),
    /// A top-level key.
    Key(&'static str),
}

/// A fault found after deserializing.
struct Fault<'a> {
    message: String,
    help: Option<String>,
    at: At<'a>,
}

/// Loads packs by name or path and compiles them. A name of a built-in
/// pack selects it; anything else is a pack file or a folder of `.yaml` /
/// `.yml` pack files. An empty list selects the default built-in packs
/// (every built-in pack but the opt-in ones).
pub fn load(specs: &[String]) -> Result<CompiledPacks, Box<PackError>> {
    load_with_ids(specs).map(|(packs, _)| packs)
}

/// Every built-in pack, the opt-in ones too (for documentation and tests).
pub fn load_every_builtin() -> Result<CompiledPacks, Box<PackError>> {
    let names: Vec<String> = builtin_names().map(str::to_owned).collect();
    load(&names)
}

/// [`load`], also returning the ids of the packs each spec named (a folder
/// names several), in the order of `specs`.
pub fn load_with_ids(specs: &[String]) -> Result<(CompiledPacks, Vec<Vec<String>>), Box<PackError>> {
    load_with_ids_within(specs, None)
}

/// [`load_with_ids`], refusing any pack file that resolves outside
/// `within` (a configuration's folder), links and `..` followed.
pub fn load_with_ids_within(
    specs: &[String],
    within: Option<&Path>,
) -> Result<(CompiledPacks, Vec<Vec<String>>), Box<PackError>> {
    let mut defs = Vec::new();
    let mut ids = Vec::new();
    if specs.is_empty() {
        for name in default_names() {
            defs.push(builtin_pack(name)?);
        }
    }
    for spec in specs {
        let loaded = load_spec(spec, within)?;
        ids.push(loaded.iter().map(|d| d.pack.clone()).collect());
        defs.extend(loaded);
    }
    Ok((compile_defs(defs)?, ids))
}

/// A pack path that resolves outside the folder it must stay in.
#[derive(Debug)]
pub struct Outside {
    /// The path, canonical: links and `..` followed.
    pub resolved: std::path::PathBuf,
    /// The folder, canonical.
    pub root: std::path::PathBuf,
}

/// Whether `path` resolves inside `root`, following links and `..`.
/// A path that cannot be resolved counts as outside.
pub fn confined(path: &Path, root: &Path) -> Result<(), Outside> {
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if resolved.starts_with(&root) {
        Ok(())
    } else {
        Err(Outside { resolved, root })
    }
}

/// The packs one spec names; with `within`, only files inside it.
fn load_spec(spec: &str, within: Option<&Path>) -> Result<Vec<PackDef>, Box<PackError>> {
    let check = |file: &Path| match within.map(|root| confined(file, root)) {
        Some(Err(outside)) => {
            let mut err = PackError::new(
                &file.display().to_string(),
                "",
                format!(
                    "the pack file resolves to {}, outside {}, the folder of the configuration",
                    outside.resolved.display(),
                    outside.root.display()
                ),
                None,
            );
            err.help = Some(format!(
                "a configuration may only name packs inside its folder (a change to it must not make \
                 privlint read other files); name this one on the command line instead: `--packs {}`",
                outside.resolved.display()
            ));
            Err(Box::new(err))
        }
        _ => Ok(()),
    };
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
        files
            .iter()
            .map(|f| {
                check(f)?;
                load_pack_file(f)
            })
            .collect()
    } else if path.exists() {
        check(path)?;
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
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for def in &defs {
        if let Some(first) = seen.insert(&def.pack, &def.file) {
            // Rule ids start with the pack id, so two packs with one id
            // are the only way two loaded rules can share an id.
            let source = match def.file.strip_prefix("<built-in>/") {
                Some(name) => builtin_source(name.trim_end_matches(".yaml")).map(str::to_owned),
                None => std::fs::read_to_string(&def.file).ok(),
            }
            .unwrap_or_default();
            let message = if first == def.file {
                format!("pack `{}` is loaded twice: this file is named twice", def.pack)
            } else {
                format!(
                    "pack `{}` is loaded twice: {first} is pack `{}` too",
                    def.pack, def.pack
                )
            };
            let mut err = PackError::new(&def.file, &source, message, locate_key(&source, "pack"));
            err.help = Some(
                "pack ids (and so rule ids, which start with them) must be unique among the packs run \
                 together: rename this pack and its rules' ids, or load it once"
                    .to_owned(),
            );
            return Err(Box::new(err));
        }
    }
    CompiledPacks::compile(defs).map_err(|m| Box::new(PackError::new("<packs>", "", m, None)))
}

/// Checks what serde cannot: ids, and that each rule has exactly the keys
/// its kind uses. Returns the fault and where it is.
fn validate(pack: &PackDef) -> Result<(), Fault<'_>> {
    if !is_slug(&pack.pack) {
        return Err(Fault {
            message: format!(
                "pack id `{}` must be lowercase letters, digits and dashes",
                pack.pack
            ),
            help: Some(format!("for example `pack: {}`", slug_of(&pack.pack))),
            at: At::Key("pack"),
        });
    }
    if pack.rules.is_empty() {
        return Err(Fault {
            message: format!("pack `{}` has no rules", pack.pack),
            help: Some("add at least one rule under `rules:` (see docs/rule-format.md)".to_owned()),
            at: At::Key("rules"),
        });
    }
    let mut seen = HashSet::new();
    for (i, rule) in pack.rules.iter().enumerate() {
        let id = rule.id.as_str();
        let nth = pack.rules[..i].iter().filter(|r| r.id == id).count();
        let fault = |message: String, help: String| {
            Err(Fault {
                message,
                help: Some(help),
                at: At::Rule(id, nth),
            })
        };
        match id.split_once('/') {
            Some((p, name)) if p == pack.pack && is_slug(name) => {}
            _ => {
                let name = id.rsplit('/').next().unwrap_or(id);
                return fault(
                    format!(
                        "rule id `{id}` must be `{}/NAME`, NAME in lowercase letters, digits and dashes",
                        pack.pack
                    ),
                    format!("for example `id: {}/{}`", pack.pack, slug_of(name)),
                );
            }
        }
        if !seen.insert(id) {
            return fault(
                format!("duplicate rule id `{id}`"),
                "rule ids are public and must be unique in a pack: rename one of the two".to_owned(),
            );
        }
        if rule.citations.is_empty() {
            return fault(
                format!("rule `{id}` cites no law: add at least one entry to `citations`"),
                "for example `citations: [{law: California Consumer Privacy Act, section: 1798.120}]`"
                    .to_owned(),
            );
        }
        if let Err((message, help)) = check_kind_keys(rule) {
            return fault(message, help);
        }
        let lists = [&rule.patterns, &rule.when, &rule.affirm, &rule.deny];
        if lists.iter().any(|l| l.iter().any(|p| p.scope.is_some())) {
            return fault(
                format!("rule `{id}`: a pattern's own `scope` only applies in `unless` and `require`"),
                "set the rule's `scope` instead, or move the pattern to `unless`".to_owned(),
            );
        }
    }
    Ok(())
}

/// `given` made into a valid id, for a suggestion.
fn slug_of(given: &str) -> String {
    let slug: String = given
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "my-pack".to_owned()
    } else {
        slug
    }
}

fn check_kind_keys(rule: &RuleDef) -> Result<(), (String, String)> {
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
        KindName::Dated => (&[], &[]),
    };
    let kind = format!("{:?}", rule.kind).to_lowercase();
    if rule.kind == KindName::Dated && !rule.unless.is_empty() {
        return Err((
            format!("rule `{}` of kind `dated` does not use `unless`", rule.id),
            "remove `unless`: a dated rule reads the policy's date, not patterns".to_owned(),
        ));
    }
    if rule.kind != KindName::Dated && rule.max_age_months.is_some() {
        return Err((
            format!(
                "rule `{}` of kind `{kind}` does not use `max_age_months`",
                rule.id
            ),
            "remove `max_age_months`, or use `kind: dated`".to_owned(),
        ));
    }
    if rule.max_age_months == Some(0) {
        return Err((
            format!("rule `{}`: `max_age_months` must be at least 1", rule.id),
            "give the months a policy's date may be old, e.g. `max_age_months: 12`".to_owned(),
        ));
    }
    if let (Some(from), Some(until)) = (rule.valid_from, rule.valid_until)
        && from > until
    {
        return Err((
            format!(
                "rule `{}`: `valid_from` {from} is after `valid_until` {until}",
                rule.id
            ),
            "swap the dates, or remove one: the window is from `valid_from` to `valid_until`, both included"
                .to_owned(),
        ));
    }
    for (key, has) in present {
        if needed.contains(&key) && !has {
            return Err((
                format!(
                    "rule `{}` of kind `{kind}` needs a non-empty `{key}` list",
                    rule.id
                ),
                format!("add `{key}:` with at least one pattern, for example `{key}: ['\\bsell\\b']`"),
            ));
        }
        if has && !allowed.contains(&key) {
            return Err((
                format!(
                    "rule `{}` of kind `{kind}` does not use `{key}` (it uses {})",
                    rule.id,
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("remove `{key}`, or change `kind` (see the kinds in docs/rule-format.md)"),
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

/// Byte offset of a top-level `key:` in the pack's YAML.
fn locate_key(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'))
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
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
            let n: usize = def.rules.iter().map(|r| r.all_patterns().count()).sum();
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
    fn an_invalid_regex_is_refused_in_every_pattern_list() {
        for (key, other) in [("affirm", "deny"), ("deny", "affirm")] {
            let src = GOOD.replace("kind: forbid", "kind: contradiction").replace(
                "    patterns: ['\\bfoo\\b', {phrase: bar baz, polarity: affirmative}]\n",
                &format!("    {key}: ['(foo']\n    {other}: ['\\bbar\\b']\n"),
            );
            assert!(src.contains(key), "{src}");
            let err = error_of(&src);
            assert!(
                err.message.contains("invalid regex `(foo`"),
                "{key}: {}",
                err.message
            );
        }
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

    /// The text the report highlights.
    fn highlighted<'a>(err: &PackError, src: &'a str) -> &'a str {
        &src[err.range().expect("a span")]
    }

    #[test]
    fn regex_errors_point_inside_the_pattern_when_characters_map_one_to_one() {
        // Single-quoted, with a doubled quote before the fault.
        let src = GOOD.replace("'\\bfoo\\b'", "'it''s (foo'");
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "(");
        assert_eq!(src[err.offset().unwrap()..].find("foo'"), Some(1));
        assert_eq!(err.label, "unclosed group");
        assert!(
            err.message.contains("invalid regex `it's (foo`: unclosed group"),
            "{}",
            err.message
        );
        // Plain, in a block list, the fault in the middle.
        let src = GOOD.replace(
            "    patterns: ['\\bfoo\\b', {phrase: bar baz, polarity: affirmative}]",
            "    patterns:\n      - a[z-b]c",
        );
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "z-b");
        // A map pattern: the `regex` value, found past its other keys.
        let src = GOOD.replace("'\\bfoo\\b'", "{polarity: negated, regex: 'x\\qy'}");
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "\\q");
        // Double-quoted without escapes maps 1:1 too.
        let src = GOOD.replace("'\\bfoo\\b'", "\"a)b\"");
        assert_eq!(highlighted(&error_of(&src), &src), ")");
        // With escapes it does not: the whole scalar.
        let src = GOOD.replace("'\\bfoo\\b'", "\"\\\\bfoo(\"");
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "\"\\\\bfoo(\"");
        assert!(err.label.contains("somewhere in this pattern"), "{}", err.label);
        // Non-ASCII before and in the fault: whole characters.
        let src = GOOD.replace("'\\bfoo\\b'", "'café [é-à]'");
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "é-à");
        // A `section` regex too.
        let src = GOOD
            .replace("kind: forbid", "kind: require")
            .replace("    patterns:", "    section: 'Data (Retention'\n    patterns:");
        assert_eq!(highlighted(&error_of(&src), &src), "(");
    }

    #[test]
    fn too_big_and_too_long_patterns_highlight_the_whole_scalar() {
        let src = GOOD.replace("'\\bfoo\\b'", "'\\w{1000}{1000}'");
        let err = error_of(&src);
        assert_eq!(highlighted(&err, &src), "'\\w{1000}{1000}'");
        assert!(err.help.as_deref().unwrap().contains("repetition counts"));
    }

    #[test]
    fn empty_files_lists_and_packs_without_rules_are_refused() {
        for src in ["", "\n# nothing here\n", "---\n"] {
            let err = error_of(src);
            assert_eq!(err.message, "the pack file is empty", "{src:?}");
            assert!(
                err.help
                    .as_deref()
                    .unwrap()
                    .contains("`pack`, `title`, `version` and `rules`")
            );
        }
        let err = error_of("- pack: demo\n  title: Demo\n");
        assert!(
            err.message
                .contains("invalid type: sequence, expected a map (a pack"),
            "{}",
            err.message
        );
        assert_eq!(
            err.help.as_deref(),
            Some("the file must be one YAML map of keys, not a list")
        );
        let src = "pack: demo\ntitle: Demo\nversion: 1\nrules: []\n";
        let err = error_of(src);
        assert_eq!(err.message, "pack `demo` has no rules");
        assert_eq!(line_of(&err, src), 4);
    }

    #[test]
    fn yaml_syntax_errors_get_a_fix() {
        // An unclosed quote: pointed at where it opens, not at the end.
        let src = GOOD.replace("message: Foo found", "message: 'Foo found");
        let err = error_of(&src);
        assert!(
            err.message
                .ends_with("the quote opened here is not closed on its line"),
            "{}",
            err.message
        );
        assert_eq!(line_of(&err, &src), 9);
        // At the end of the file, libyaml itself names the quote.
        let src = format!("{GOOD}    label: \"open\n");
        let err = error_of(&src);
        assert_eq!(err.message, "this quoted value is never closed");
        assert_eq!(line_of(&err, &src), 13);
        assert!(err.help.as_deref().unwrap().starts_with("close the quote"));
        // Tabs.
        let src = GOOD.replace("    message:", "\tmessage:");
        let err = error_of(&src);
        assert!(
            err.help.as_deref().unwrap().contains("indent with spaces"),
            "{err:?}"
        );
        // Indentation.
        let src = GOOD.replace("    title: No foo", "      title: No foo");
        let err = error_of(&src);
        assert_eq!(line_of(&err, &src), 6);
        assert!(err.help.as_deref().unwrap().contains("indentation"), "{err:?}");
        // A string for a list, a number for a severity.
        let src = GOOD.replace(
            "    patterns: ['\\bfoo\\b', {phrase: bar baz, polarity: affirmative}]",
            "    patterns: foo",
        );
        assert_eq!(
            error_of(&src).help.as_deref(),
            Some("`patterns` takes a list: write `patterns: ['foo']`")
        );
        let err = error_of(&GOOD.replace("severity: warning", "severity: 3"));
        assert_eq!(
            err.help.as_deref(),
            Some("write one of `info`, `warning`, `error`")
        );
        // A missing key.
        let err = error_of(&GOOD.replace("  - id: demo/no-foo\n    title", "  - title"));
        assert!(err.message.contains("missing field `id`"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("add the key `id` to this map"));
    }

    #[test]
    fn the_same_pack_id_from_two_files_is_refused_on_the_second() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        std::fs::write(&a, GOOD).unwrap();
        std::fs::write(&b, format!("# a copy\n{GOOD}")).unwrap();
        let specs = [a.display().to_string(), b.display().to_string()];
        let err = *load(&specs).unwrap_err();
        assert_eq!(err.path, specs[1]);
        assert!(
            err.message.contains(&format!("{} is pack `demo` too", specs[0])),
            "{}",
            err.message
        );
        assert_eq!(line_of(&err, &std::fs::read_to_string(&b).unwrap()), 2);
        // A pack of your own named like a built-in one.
        std::fs::write(&b, GOOD.replace("demo", "coppa")).unwrap();
        let err = *load(&["coppa".to_owned(), specs[1].clone()]).unwrap_err();
        assert!(
            err.message.contains("<built-in>/coppa.yaml is pack `coppa` too"),
            "{}",
            err.message
        );
    }
}
