//! `.privlint.yaml`: which packs run, which rules are on and how severe,
//! which files are policies, and per-path overrides.
//!
//! Loading is two passes over the same YAML. The first checks the shape and
//! the pack names (so the packs can be loaded); the second, once the packs'
//! rule ids are known, checks every rule id. Both validate while
//! deserializing, so serde_yaml attaches the offending line to the error
//! and the report shows the config file there, with the closest valid name.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::pack::{self, CompiledPacks, PackError, builtin_names, builtin_source, default_names};
use crate::rule::Severity;
use crate::selection::Selection;

/// Names a configuration file may have, looked for in this order in each
/// folder from the current one up to the root.
pub const FILE_NAMES: &[&str] = &[".privlint.yaml", "privlint.yaml"];

/// File names that are policies when found inside a folder, unless the
/// configuration's `include` says otherwise.
pub const DEFAULT_INCLUDE: &[&str] = &[
    "*.md",
    "*.markdown",
    "*.mdown",
    "*.mkd",
    "*.html",
    "*.htm",
    "*.xhtml",
    "*.txt",
    "*.text",
    "*.rst",
    "*.docx",
];

/// The lowest severity that fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never fail on findings.
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// What a `rules:` entry sets a rule (or every rule of a pack) to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    Off,
    Info,
    Warning,
    Error,
}

impl Setting {
    fn severity(self) -> Option<Severity> {
        match self {
            Setting::Off => None,
            Setting::Info => Some(Severity::Info),
            Setting::Warning => Some(Severity::Warning),
            Setting::Error => Some(Severity::Error),
        }
    }
}

/// The configuration in force: a file's, or the defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from; `None` for the defaults.
    pub file: Option<PathBuf>,
    /// The folder glob patterns are relative to: the config file's.
    pub root: PathBuf,
    /// `root` made absolute once, for [`Config::relative`] on every file.
    root_abs: PathBuf,
    /// Pack specs (built-in names, or paths resolved against `root`).
    pub packs: Option<Vec<String>>,
    pub rules: Rules,
    pub include: Globs,
    pub exclude: Globs,
    pub overrides: Vec<Override>,
    pub fail_on: Option<FailOn>,
    /// The YAML, kept for the second pass and for error reports.
    source: String,
}

/// `rules:` settings: pack-wide ones apply before rule ones, so
/// `coppa: off` with `coppa/under-13-statement: warning` keeps that rule.
pub type Rules = BTreeMap<String, Setting>;

#[derive(Debug, Clone)]
pub struct Override {
    pub files: Globs,
    pub packs: Option<Vec<String>>,
    pub rules: Rules,
}

/// Glob patterns as written, and compiled.
#[derive(Debug, Clone)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// Patterns are matched against paths relative to the config folder,
    /// with `/` separators. As in `.gitignore`, a pattern with no `/`
    /// matches at any depth, and a leading `/` anchors it at the root.
    pub fn new(patterns: &[String]) -> Result<Self, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(GlobBuilder::new(&anchor(p)).literal_separator(true).build()?);
        }
        Ok(Globs {
            patterns: patterns.to_vec(),
            set: b.build()?,
        })
    }

    pub fn is_match(&self, relative: &Path) -> bool {
        self.set.is_match(relative)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

fn anchor(pattern: &str) -> String {
    // As in .gitignore, a trailing `/` (everything below a folder) does not
    // count as a slash that anchors the pattern.
    let (body, below) = match pattern.strip_suffix('/') {
        Some(p) => (p, "/**"),
        None => (pattern, ""),
    };
    if let Some(rooted) = body.strip_prefix('/') {
        format!("{rooted}{below}")
    } else if body.contains('/') {
        format!("{body}{below}")
    } else {
        format!("**/{body}{below}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        Globs::new(&[pattern.to_owned()])
            .unwrap()
            .is_match(Path::new(path))
    }

    #[test]
    fn globs_follow_gitignore_conventions() {
        assert!(matches("*.md", "a.md") && matches("*.md", "x/y/a.md"));
        assert!(matches("drafts/", "drafts/a.md") && matches("drafts/", "x/drafts/y/a.md"));
        assert!(!matches("drafts/", "drafts.md"));
        assert!(matches("eu/*.md", "eu/de.md") && !matches("eu/*.md", "x/eu/de.md"));
        assert!(!matches("eu/*.md", "eu/de/at.md"), "* does not cross folders");
        assert!(matches("/README.md", "README.md") && !matches("/README.md", "x/README.md"));
        assert!(matches("eu/**", "eu/de/at.md"));
    }

    #[test]
    fn closest_suggests_only_near_names() {
        assert_eq!(closest("copa", ["coppa", "retention"]), Some("coppa"));
        assert_eq!(closest("zzzz", ["coppa", "retention"]), None);
    }
}

impl Config {
    /// The defaults, with globs relative to `root`.
    pub fn defaults(root: PathBuf) -> Self {
        Config {
            file: None,
            root_abs: absolute(&root),
            root,
            packs: None,
            rules: Rules::new(),
            include: default_include(),
            exclude: Globs::new(&[]).expect("no patterns"),
            overrides: Vec::new(),
            fail_on: None,
            source: String::new(),
        }
    }

    /// Reads and checks a config file (first pass: shape and pack names).
    pub fn load(path: &Path) -> Result<Self, Box<PackError>> {
        let shown = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| {
            Box::new(error(
                &shown,
                "",
                format!("cannot read the configuration: {e}"),
                None,
            ))
        })?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        Self::parse(&shown, source, root, path.to_path_buf())
    }

    /// Parses config text whose relative paths are relative to `root`.
    pub fn parse(shown: &str, source: String, root: PathBuf, file: PathBuf) -> Result<Self, Box<PackError>> {
        let raw: RawConfig = with_context(Context::new(root.clone(), None), || from_yaml(shown, &source))?;
        let glob_err = |e: globset::Error| Box::new(error(shown, &source, e.to_string(), None));
        let overrides = raw
            .overrides
            .into_iter()
            .map(|o| {
                Ok(Override {
                    files: Globs::new(&o.files.into_iter().map(|g| g.0).collect::<Vec<_>>())
                        .map_err(glob_err)?,
                    packs: o.packs.map(|p| p.into_iter().map(|p| p.spec).collect()),
                    rules: o.rules.into_iter().map(|(k, v)| (k.0, v)).collect(),
                })
            })
            .collect::<Result<Vec<_>, Box<PackError>>>()?;
        Ok(Config {
            file: Some(file),
            packs: raw.packs.map(|p| p.into_iter().map(|p| p.spec).collect()),
            rules: raw.rules.into_iter().map(|(k, v)| (k.0, v)).collect(),
            include: match raw.include {
                Some(globs) => {
                    Globs::new(&globs.into_iter().map(|g| g.0).collect::<Vec<_>>()).map_err(glob_err)?
                }
                None => default_include(),
            },
            exclude: Globs::new(&raw.exclude.into_iter().map(|g| g.0).collect::<Vec<_>>())
                .map_err(glob_err)?,
            overrides,
            fail_on: raw.fail_on,
            root_abs: absolute(&root),
            root,
            source,
        })
    }

    /// Every pack spec the configuration names, once each, top level first.
    pub fn pack_specs(&self) -> Option<Vec<String>> {
        let mut specs: Vec<String> = Vec::new();
        let top = self
            .packs
            .clone()
            .unwrap_or_else(|| default_names().map(str::to_owned).collect());
        let any = self.packs.is_some() || self.overrides.iter().any(|o| o.packs.is_some());
        for spec in top
            .iter()
            .chain(self.overrides.iter().flat_map(|o| o.packs.iter().flatten()))
        {
            if !specs.contains(spec) {
                specs.push(spec.clone());
            }
        }
        any.then_some(specs)
    }

    /// Second pass: every rule id in `rules:` must name a rule or a pack
    /// of `packs`.
    pub fn check_rule_ids(&self, packs: &CompiledPacks) -> Result<(), Box<PackError>> {
        if self.file.is_none() {
            return Ok(());
        }
        // privlint's own rules (about suppression comments) can be set too.
        let own = crate::suppress::builtin_rules();
        let known = Known {
            rules: packs
                .rules
                .iter()
                .map(|r| r.meta.id.clone())
                .chain(own.iter().map(|r| r.id.clone()))
                .collect(),
            packs: packs
                .packs
                .iter()
                .map(|(id, _)| id.clone())
                .chain(own.iter().map(|r| r.pack.clone()))
                .collect(),
        };
        let shown = self.shown();
        with_context(Context::new(self.root.clone(), Some(known)), || {
            from_yaml::<RawConfig>(&shown, &self.source).map(drop)
        })
    }

    /// The path as it is shown in messages.
    pub fn shown(&self) -> String {
        self.file
            .as_deref()
            .map_or_else(|| "<defaults>".to_owned(), |f| f.display().to_string())
    }

    /// `path` relative to the config folder, for glob matching.
    pub fn relative(&self, path: &Path) -> PathBuf {
        match absolute(path).strip_prefix(&self.root_abs) {
            Ok(rel) => normalise(rel),
            Err(_) => normalise(path),
        }
    }

    /// Whether a file found by walking a folder is a policy to lint.
    pub fn is_included(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        self.include.is_match(&rel) && !self.exclude.is_match(&rel)
    }

    /// Whether a file is excluded; named files are checked against this
    /// too, so that a pre-commit hook, which names every staged file,
    /// respects `exclude`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(&self.relative(path))
    }

    /// The rules on for `path`, at their severities. `pack_ids` maps each
    /// spec of [`Config::pack_specs`] to the ids of the packs it loaded;
    /// `None` when the command line chose the packs, which then all run.
    pub fn selection(&self, packs: &CompiledPacks, pack_ids: Option<&PackIds>, path: &Path) -> Selection {
        let rel = self.relative(path);
        let matching: Vec<&Override> = self.overrides.iter().filter(|o| o.files.is_match(&rel)).collect();
        self.select(packs, pack_ids, &matching)
    }

    /// The rules on where no override applies.
    pub fn top_level_selection(&self, packs: &CompiledPacks, pack_ids: Option<&PackIds>) -> Selection {
        self.select(packs, pack_ids, &[])
    }

    fn select(&self, packs: &CompiledPacks, pack_ids: Option<&PackIds>, matching: &[&Override]) -> Selection {
        let active: Option<Vec<&str>> = pack_ids.map(|ids| {
            let specs = matching
                .iter()
                .rev()
                .find_map(|o| o.packs.as_ref())
                .or(self.packs.as_ref());
            match specs {
                Some(specs) => specs.iter().flat_map(|s| ids.of(s)).collect(),
                None => default_names().collect(),
            }
        });
        let severities = packs
            .rules
            .iter()
            .map(|rule| {
                let pack = rule.meta.pack.as_str();
                if active.as_ref().is_some_and(|a| !a.contains(&pack)) {
                    return None;
                }
                self.configured(matching, pack, &rule.meta.id, rule.severity)
            })
            .collect();
        let mut selection = Selection::from_severities(severities);
        for own in crate::suppress::builtin_rules() {
            selection.set_own(
                &own.id,
                self.configured(matching, &own.pack, &own.id, own.severity),
            );
        }
        selection
    }

    /// A rule's severity after the top-level `rules` and then each matching
    /// override's, the pack-wide setting before the rule's own in each.
    fn configured(
        &self,
        matching: &[&Override],
        pack: &str,
        id: &str,
        default: Severity,
    ) -> Option<Severity> {
        let mut severity = Some(default);
        for rules in std::iter::once(&self.rules).chain(matching.iter().map(|o| &o.rules)) {
            for key in [pack, id] {
                if let Some(s) = rules.get(key) {
                    severity = s.severity();
                }
            }
        }
        severity
    }
}

/// Which pack ids each configured spec loaded.
#[derive(Debug, Clone, Default)]
pub struct PackIds(pub Vec<(String, Vec<String>)>);

impl PackIds {
    fn of(&self, spec: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(s, _)| s == spec)
            .flat_map(|(_, ids)| ids.iter().map(String::as_str))
            .collect()
    }
}

/// Loads the packs a configuration names (or `cli_packs`, which win), and
/// checks the configuration's rule ids against the configuration's own
/// packs: `--packs coppa` must not make a setting for a safe-harbor rule
/// an error.
pub fn load_packs(
    config: &Config,
    cli_packs: &[String],
) -> Result<(CompiledPacks, Option<PackIds>), Box<PackError>> {
    if !cli_packs.is_empty() {
        if config.file.is_some() {
            let (own, _) = load_config_packs(config)?;
            config.check_rule_ids(&own)?;
        }
        let packs = pack::load(cli_packs)?;
        return Ok((packs, None));
    }
    let (packs, ids) = load_config_packs(config)?;
    config.check_rule_ids(&packs)?;
    Ok((packs, ids))
}

fn load_config_packs(config: &Config) -> Result<(CompiledPacks, Option<PackIds>), Box<PackError>> {
    match config.pack_specs() {
        None => Ok((pack::load(&[])?, Some(PackIds::default()))),
        Some(specs) => {
            // The file's own packs stay inside its folder (checked with
            // the line when it was read); a folder's entries are checked
            // here, as they are read.
            let within = config.file.is_some().then_some(config.root.as_path());
            let (packs, ids) = pack::load_with_ids_within(&specs, within)?;
            Ok((packs, Some(PackIds(specs.into_iter().zip(ids).collect()))))
        }
    }
}

/// Finds the config file for a run started in `dir`: the first of
/// [`FILE_NAMES`] in `dir` or the nearest folder above it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

fn default_include() -> Globs {
    let patterns: Vec<String> = DEFAULT_INCLUDE.iter().map(|s| (*s).to_owned()).collect();
    Globs::new(&patterns).expect("built-in globs are valid")
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn normalise(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn error(path: &str, source: &str, message: String, at: Option<usize>) -> PackError {
    PackError::new(path, source, message, at).about("configuration")
}

fn from_yaml<T: serde::de::DeserializeOwned>(path: &str, source: &str) -> Result<T, Box<PackError>> {
    pack::from_yaml(path, source).map_err(|mut e| {
        e.what = "configuration";
        if let Some(fault) = FAULT.with(|h| h.borrow_mut().take()) {
            e.help = fault.help;
            // serde_yaml reports an error inside a list or map at the
            // collection's start; narrow it to the offending value, the
            // first scalar equal to it from there on.
            let mut from = e.offset();
            for _ in 0..fault.skip {
                from = from
                    .and_then(|f| find_scalar(source, f, &fault.value))
                    .map(|at| at + fault.value.len());
            }
            if let Some(at) = from.and_then(|from| find_scalar(source, from, &fault.value)) {
                e = Box::new(e.with_span(at..at + fault.value.len()));
            }
        }
        e
    })
}

/// The offset of the first occurrence of `value` at or after `from` that
/// stands alone as a YAML scalar (bounded by quotes, spaces or flow
/// punctuation), not inside a longer word.
fn find_scalar(source: &str, from: usize, value: &str) -> Option<usize> {
    let boundary = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[]{},:'\"#-".contains(c));
    let mut start = from.min(source.len());
    while let Some(i) = source.get(start..)?.find(value) {
        let at = start + i;
        let before = source[..at].chars().next_back();
        let after = source[at + value.len()..].chars().next();
        if boundary(before) && (boundary(after) || after == Some(':')) {
            return Some(at);
        }
        start = at + value.len().max(1);
    }
    None
}

// ---- the YAML shape ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    packs: Option<Vec<PackSpec>>,
    #[serde(default, deserialize_with = "unique_keys")]
    rules: BTreeMap<RuleKey, Setting>,
    #[serde(default)]
    include: Option<Vec<GlobText>>,
    #[serde(default)]
    exclude: Vec<GlobText>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    fail_on: Option<FailOn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<GlobText>,
    #[serde(default)]
    packs: Option<Vec<PackSpec>>,
    #[serde(default, deserialize_with = "unique_keys")]
    rules: BTreeMap<RuleKey, Setting>,
}

/// A `rules:` map, refusing a key given twice: YAML would keep the later
/// setting and silently drop the earlier one.
fn unique_keys<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<RuleKey, Setting>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = BTreeMap<RuleKey, Setting>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map from rule or pack ids to off, info, warning or error")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, setting)) = map.next_entry::<RuleKey, Setting>()? {
                if let Some(first) = out.get(&key) {
                    return Err(fail_at(
                        &key.0,
                        1,
                        format!("`{}` is set twice (first to `{first}`)", key.0),
                        Some("keep one setting: YAML would silently use the last".to_owned()),
                    ));
                }
                out.insert(key, setting);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// What the deserializers below check against, set for one parse.
struct Context {
    root: PathBuf,
    known: Option<Known>,
}

impl Context {
    fn new(root: PathBuf, known: Option<Known>) -> Self {
        Context { root, known }
    }
}

struct Known {
    rules: Vec<String>,
    packs: Vec<String>,
}

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
    /// The value at fault in the error being raised, and help for it
    /// (serde's errors carry only a message).
    static FAULT: RefCell<Option<Fault>> = const { RefCell::new(None) };
}

fn with_context<T>(ctx: Context, f: impl FnOnce() -> T) -> T {
    CONTEXT.with(|c| *c.borrow_mut() = Some(ctx));
    FAULT.with(|h| h.borrow_mut().take());
    let out = f();
    CONTEXT.with(|c| c.borrow_mut().take());
    out
}

struct Fault {
    value: String,
    help: Option<String>,
    /// How many earlier occurrences of `value` to pass over (a duplicate
    /// key is the second one).
    skip: usize,
}

fn fail<E: de::Error>(value: &str, message: String, help: Option<String>) -> E {
    fail_at(value, 0, message, help)
}

fn fail_at<E: de::Error>(value: &str, skip: usize, message: String, help: Option<String>) -> E {
    FAULT.with(|h| {
        *h.borrow_mut() = Some(Fault {
            value: value.to_owned(),
            help,
            skip,
        })
    });
    E::custom(message)
}

/// The closest of `candidates` to `given`, if close enough to suggest.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// A built-in pack name, or a path to a pack file or folder.
#[derive(Debug)]
struct PackSpec {
    spec: String,
}

impl<'de> Deserialize<'de> for PackSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = String::deserialize(d)?;
        if builtin_source(&given).is_some() {
            return Ok(PackSpec { spec: given });
        }
        let root = CONTEXT.with(|c| c.borrow().as_ref().map(|c| c.root.clone()));
        let path = root
            .as_ref()
            .map_or_else(|| PathBuf::from(&given), |r| r.join(&given));
        if path.exists() {
            if let Some(root) = &root
                && let Err(outside) = pack::confined(&path, root)
            {
                return Err(fail(
                    &given,
                    format!(
                        "pack `{given}` resolves to {}, outside {}, the folder of this configuration",
                        outside.resolved.display(),
                        outside.root.display()
                    ),
                    Some(format!(
                        "a configuration may only name packs inside its folder, so that a change to it \
                         (an untrusted pull request, say) cannot make privlint read other files as packs \
                         and echo their lines in errors; move the pack into the folder, or name it on the \
                         command line, which may point anywhere: `--packs {}`",
                        outside.resolved.display()
                    )),
                ));
            }
            return Ok(PackSpec {
                spec: path.to_string_lossy().into_owned(),
            });
        }
        let help = match closest(&given, builtin_names()) {
            Some(name) => format!("did you mean the built-in pack `{name}`?"),
            None => format!(
                "built-in packs: {}",
                builtin_names().collect::<Vec<_>>().join(", ")
            ),
        };
        Err(fail(
            &given,
            format!("no built-in pack or pack file `{given}` (paths are relative to the configuration file)"),
            Some(help),
        ))
    }
}

/// A rule id or pack id in `rules:`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RuleKey(String);

impl<'de> Deserialize<'de> for RuleKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = String::deserialize(d)?;
        let verdict = CONTEXT.with(|c| {
            let c = c.borrow();
            let known = c.as_ref()?.known.as_ref()?;
            if known.rules.contains(&given) || known.packs.contains(&given) {
                return None;
            }
            let candidates = known.rules.iter().chain(&known.packs).map(String::as_str);
            let help = closest(&given, candidates).map(|c| format!("did you mean `{c}`?"));
            Some(help)
        });
        match verdict {
            None => Ok(RuleKey(given)),
            Some(help) => Err(fail(
                &given,
                format!("no rule or pack `{given}` in the active packs"),
                help.or_else(|| Some("`privlint rules` lists the rule ids".to_owned())),
            )),
        }
    }
}

/// A glob pattern, checked to compile.
#[derive(Debug)]
struct GlobText(String);

impl<'de> Deserialize<'de> for GlobText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = String::deserialize(d)?;
        GlobBuilder::new(&anchor(&given))
            .build()
            .map_err(|e| fail(&given, format!("invalid glob `{given}`: {}", e.kind()), None))?;
        Ok(GlobText(given))
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::Off => "off",
            Setting::Info => "info",
            Setting::Warning => "warning",
            Setting::Error => "error",
        })
    }
}
