//! Loaded packs compiled for evaluation.
//!
//! All patterns of all active rules go into one table, shared between rules
//! when identical, so each is searched at most once per document.

use std::ops::Range;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

use super::schema::{KindName, PackDef, PatternDef, Polarity, RuleDef};
use crate::rule::{RuleMeta, Scope, Severity};

/// Compiled-program limits. A hostile pack cannot make privlint allocate
/// more than this per regex; the regex crate never backtracks, so matching
/// stays linear in the text.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Each regex's lazy-DFA cache, per thread. These caches are most of
/// privlint's memory (76 of 98 MB of heap at the peak of a 300-file run,
/// `valgrind --tool=massif`); since the exact regexes search anchored (see
/// [`Patterns::find_at`]) they need few states, and 512 KiB instead of the
/// regex crate's 2 MiB ran the bench corpus no slower (`docs/performance.md`).
const DFA_SIZE_LIMIT: usize = 1 << 19;
/// Longest pattern source accepted. Parsing is linear, but a megabyte
/// pattern is no rule anyone writes, and refusing it up front keeps the
/// error instant; the longest built-in pattern is about 1 KiB.
pub const MAX_PATTERN_LEN: usize = 16 << 10;

/// Checks that a regex compiles within the limits, without building the
/// whole matcher (that is left to first use, see [`Patterns`]): a parse,
/// and the Thompson NFAs the limit is about, built only when a bound on
/// their size from the parse (`pack::nfa_bound`) is over the limit.
/// Start-up stays fast however many patterns the packs hold.
pub fn check_regex(re: &str) -> Result<(), String> {
    if TRUSTED.with(std::cell::Cell::get) {
        return Ok(());
    }
    let too_big = |limit: usize| format!("the pattern compiles to more than {limit} bytes; simplify it");
    if re.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "the pattern is more than {MAX_PATTERN_LEN} bytes long; split it into several patterns"
        ));
    }
    let Ok(hir) = regex_syntax::Parser::new().parse(re) else {
        // The regex crate's own message, with its caret diagram.
        return build_plain(re).map(|_| ()).map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => too_big(limit),
            other => other.to_string(),
        });
    };
    // Building the NFAs is most of the check; a bound on their size from
    // the parse spares it for almost every pattern (loading 1,120
    // patterns: 254 to 106 ms, `docs/performance.md`).
    if super::nfa_bound::nfa_bytes(&hir) <= REGEX_SIZE_LIMIT || nfas_fit(&hir, REGEX_SIZE_LIMIT) {
        Ok(())
    } else {
        Err(too_big(REGEX_SIZE_LIMIT))
    }
}

/// Whether the two Thompson NFAs the regex crate builds for `hir`, forward
/// with captures and reverse without, each stay within `limit` bytes. The
/// reverse one can be the bigger (Unicode classes under a repetition), so
/// both are built, from the one parse (the two parses that saves were a
/// quarter of loading a 1,000-pattern pack: 568 to 422 ms).
pub(super) fn nfas_fit(hir: &regex_syntax::hir::Hir, limit: usize) -> bool {
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
    let forward = Config::new().nfa_size_limit(Some(limit));
    let reverse = forward.clone().reverse(true).which_captures(WhichCaptures::None);
    [forward, reverse]
        .into_iter()
        .all(|config| Compiler::new().configure(config).build_from_hir(hir).is_ok())
}

thread_local! {
    /// Set while the built-in packs load: their patterns are checked by
    /// the tests (`pack::tests::builtin_patterns_pass_the_checks`), and
    /// checking them again on every start would cost most of a one-file run.
    static TRUSTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether [`check_regex`] trusts every pattern on this thread now.
pub fn is_trusting() -> bool {
    TRUSTED.with(std::cell::Cell::get)
}

/// Runs `f` with [`check_regex`] trusting every pattern.
pub fn trusting<T>(f: impl FnOnce() -> T) -> T {
    TRUSTED.with(|t| t.set(true));
    let out = f();
    TRUSTED.with(|t| t.set(false));
    out
}

/// The compiled patterns, each built on first use. Most patterns never run
/// on a given small policy (none of their anchors occur), so a one-file
/// run does not pay for building every matcher.
#[derive(Debug)]
pub struct Patterns {
    sources: Vec<String>,
    /// Each pattern's regexes for the text as it is.
    original: Vec<Variant>,
    /// Each pattern's regexes for the text with A-Z lower-cased (see
    /// [`super::fold`]); a pattern that tells cases apart has none.
    folded: Vec<Variant>,
    /// Each pattern rewritten for folded text, once for both of its
    /// folded regexes (the parse folds case over all of Unicode).
    folded_sources: Vec<std::sync::OnceLock<Option<String>>>,
    /// Visible-text bytes evaluated so far by this process.
    searched: std::sync::atomic::AtomicUsize,
    relax_after: usize,
    /// Tells this table's caches in a thread's [`Scratch`] from another's.
    id: u64,
}

/// Building the relaxed regexes costs milliseconds (the three 2 KB
/// example policies: 32 to 39 ms when built from the start), which only a
/// longer run earns back; the filter is optional, so a short run (a
/// pre-commit hook) simply does without it. Past 256 KiB it pays: 394
/// crawled policies (5 MB) took 294 ms with the filter from 1 MiB, 262 ms
/// from 256 KiB and 246 ms from the start (`docs/performance.md`).
const RELAX_AFTER_BYTES: usize = 1 << 18;

impl Patterns {
    fn new(sources: Vec<String>) -> Self {
        let variants = || sources.iter().map(|_| Variant::default()).collect();
        Patterns {
            original: variants(),
            folded: variants(),
            folded_sources: sources.iter().map(|_| std::sync::OnceLock::new()).collect(),
            sources,
            searched: std::sync::atomic::AtomicUsize::new(0),
            relax_after: RELAX_AFTER_BYTES,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The regex of pattern `i`, as compiled (with `(?i)` and ASCII word
    /// boundaries).
    pub fn source(&self, i: usize) -> &str {
        &self.sources[i]
    }

    /// Builds every pattern's exact regex now rather than on first use
    /// (for the fuzz target: a pattern that passed `check_regex` but failed
    /// to build would panic here instead of mid-run).
    pub fn build_all(&self) {
        for i in 0..self.len() {
            self.get(i);
        }
    }

    fn get(&self, i: usize) -> &Exact {
        self.original[i]
            .exact
            .get_or_init(|| {
                // Checked by `check_regex` when the pack was loaded.
                let regex = build_regex(&self.sources[i]).expect("pack patterns are validated when loaded");
                Some(Exact::new(regex))
            })
            .as_ref()
            .expect("always built")
    }

    /// Pattern `i` for folded text, if it has a form for it. Its regex is
    /// no bigger than the original's (it has no more class ranges); should
    /// it still fail to build, the original serves.
    fn get_folded(&self, i: usize) -> Option<&Exact> {
        self.folded[i]
            .exact
            .get_or_init(|| build_regex(self.folded_source(i)?).ok().map(Exact::new))
            .as_ref()
    }

    /// Pattern `i` rewritten for folded text, if it can be.
    fn folded_source(&self, i: usize) -> Option<&str> {
        self.folded_sources[i]
            .get_or_init(|| super::fold::for_folded_text(&self.sources[i]))
            .as_deref()
    }

    /// The leftmost-first match of pattern `i` in `hay` from `at`, as
    /// `regex::Regex::find_at` finds it, with the offset its polarity is
    /// judged at: where its `verb` group starts, if it has one (in "we do
    /// not sell", the cue sits inside the match), else its start.
    ///
    /// With a relaxed regex, the exact one never searches unanchored: the
    /// relaxed one finds the leftmost place a match can start (every exact
    /// match is a relaxed one from the same start, so none starts earlier),
    /// and the exact one is tried anchored there, then at the next such
    /// place. An anchored search of a gap like `[^.;]{0,80}?` tracks one
    /// count, where the unanchored one tracks a count per open start and
    /// its lazy DFA keeps running out of room (see `docs/performance.md`).
    ///
    /// Where `hay` has a folded copy and the pattern a folded form, the
    /// copy is searched with it (see [`super::fold`]): the same matches.
    pub fn find_at(&self, i: usize, hay: Hay<'_>, at: usize) -> Option<(Range<usize>, usize)> {
        let (hay, exact, relaxed, slot) = match hay.folded.and_then(|f| Some((f, self.get_folded(i)?))) {
            Some((folded, exact)) => (folded, exact, self.relaxed(i, true), self.len() + i),
            None => (hay.text, self.get(i), self.relaxed(i, false), i),
        };
        SCRATCH.with_borrow_mut(|scratch| {
            let slot = scratch.slot(self.id, slot, 2 * self.len());
            let exact_cache = slot.exact.get_or_insert_with(|| exact.regex.create_cache());
            let Some(relaxed) = relaxed else {
                return exact.search(exact_cache, Input::new(hay).span(at..hay.len()));
            };
            let relaxed_cache = slot.relaxed.get_or_insert_with(|| relaxed.create_cache());
            let mut from = at;
            for _ in 0..MAX_CANDIDATES {
                let start = relaxed
                    .search_with(relaxed_cache, &Input::new(hay).span(from..hay.len()))?
                    .start();
                let anchored = Input::new(hay).span(start..hay.len()).anchored(Anchored::Yes);
                if let Some(found) = exact.search(exact_cache, anchored) {
                    return Some(found);
                }
                if start >= hay.len() {
                    return None;
                }
                from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
            }
            // Many places where only the relaxed regex matches (a long
            // stretch with no full stop): the relaxed search would be
            // repeated over the same text, so let the exact regex search
            // the rest once.
            exact.search(exact_cache, Input::new(hay).span(from..hay.len()))
        })
    }

    /// Uses the relaxed filter from the first document (for tests of its
    /// exactness on small texts).
    pub fn relax_from_the_start(&mut self) {
        self.relax_after = 0;
    }

    /// Counts `bytes` of visible text about to be evaluated, and, between
    /// documents, trims this thread's search caches if together they have
    /// grown past [`CACHE_BUDGET`] (see `Scratch::trim`).
    pub fn note_searched(&self, bytes: usize) {
        self.searched
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        SCRATCH.with_borrow_mut(|scratch| scratch.trim(self.id, CACHE_BUDGET));
    }

    /// The relaxed regex of pattern `i` (once this process has evaluated
    /// 256 KiB of text): wherever it does not match, the
    /// pattern does not either. `None` where it would be no cheaper.
    fn relaxed(&self, i: usize, folded: bool) -> Option<&meta::Regex> {
        if self.searched.load(std::sync::atomic::Ordering::Relaxed) < self.relax_after {
            return None;
        }
        let variant = if folded {
            &self.folded[i]
        } else {
            &self.original[i]
        };
        variant
            .relaxed
            .get_or_init(|| {
                let source = if folded {
                    self.folded_source(i)?
                } else {
                    &self.sources[i]
                };
                // A relaxed form the limits refuse is only a lost shortcut.
                super::relax::relaxed(source).and_then(|r| build_regex(&r).ok())
            })
            .as_ref()
    }
}

/// The text a pattern is searched in: as it is, and with A-Z lower-cased
/// when it can be (`None` when it holds a rare character, see
/// [`super::fold::fold_text`]). Both end at the same offset.
#[derive(Debug, Clone, Copy)]
pub struct Hay<'h> {
    pub text: &'h str,
    pub folded: Option<&'h str>,
}

impl<'h> Hay<'h> {
    /// The text as it is, unfolded.
    pub fn plain(text: &'h str) -> Self {
        Hay { text, folded: None }
    }

    /// Both texts up to `end`.
    pub fn to(self, end: usize) -> Self {
        Hay {
            text: &self.text[..end],
            folded: self.folded.map(|f| &f[..end]),
        }
    }
}

/// One form of a pattern, each regex built on first use.
#[derive(Debug, Default)]
struct Variant {
    /// `None`: this form does not exist (a folded form of a pattern that
    /// tells cases apart).
    exact: std::sync::OnceLock<Option<Exact>>,
    /// The relaxed regex (see [`super::relax`]), `None` where it would be
    /// the pattern itself.
    relaxed: std::sync::OnceLock<Option<meta::Regex>>,
}

/// Relaxed-only candidates tried in one [`Patterns::find_at`] before the
/// exact regex searches on its own.
const MAX_CANDIDATES: usize = 16;

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Search caches (lazy DFA states and the like) one thread may keep for
/// all patterns together. Left to the regexes, each keeps its own per
/// thread: with the built-in patterns and their relaxed forms they grew to
/// 35 MB a thread over the bench corpus, and a pack of thousands of
/// patterns would have no bound but each regex's own. Since patterns
/// search folded text (`super::fold`) their states are half the size or
/// less, and on the bench corpus (`docs/performance.md`) 12 MiB peaks at
/// 86-90 MB against 118-119 MB for 24 MiB, for 5-10% more user time
/// (1.16 times the wall time in one `hyperfine` run).
const CACHE_BUDGET: usize = 12 << 20;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// One thread's search caches for one [`Patterns`]: a regex searched with
/// a cache of its own never touches its internal pool, so these are all
/// the per-thread memory the patterns use.
#[derive(Default)]
struct Scratch {
    /// The `Patterns::id` the caches belong to (0: none yet).
    owner: u64,
    slots: Vec<Slot>,
    /// Documents this thread has started, as a clock for `Slot::used_at`.
    documents: u32,
    /// The slots' `bytes` together.
    total: usize,
}

/// Pattern `i`'s caches in a [`Scratch`].
#[derive(Default)]
struct Slot {
    exact: Option<meta::Cache>,
    relaxed: Option<meta::Cache>,
    /// The document in which they were last used.
    used_at: u32,
    /// Their memory when last measured: only a slot used since can have
    /// grown, so only those are measured again (measuring all of them for
    /// every document was 1.6% of a corpus run).
    bytes: usize,
}

impl Slot {
    fn memory(&self) -> usize {
        (self.exact.iter().chain(&self.relaxed))
            .map(meta::Cache::memory_usage)
            .sum()
    }
}

impl Scratch {
    /// Pattern `i`'s caches, after dropping those of another table.
    fn slot(&mut self, owner: u64, i: usize, len: usize) -> &mut Slot {
        if self.owner != owner {
            *self = Scratch {
                owner,
                slots: std::iter::repeat_with(Slot::default).take(len).collect(),
                documents: 0,
                total: 0,
            };
        }
        let slot = &mut self.slots[i];
        slot.used_at = self.documents;
        slot
    }

    /// Between documents: once the caches together pass the budget, drops
    /// the least recently used (the biggest first among equals) until they
    /// are back to three quarters of it: a pattern no recent document
    /// needed is the cheapest to build again.
    fn trim(&mut self, owner: u64, budget: usize) {
        if self.owner != owner {
            return;
        }
        for slot in self.slots.iter_mut().filter(|s| s.used_at == self.documents) {
            let bytes = slot.memory();
            self.total = self.total - slot.bytes + bytes;
            slot.bytes = bytes;
        }
        self.documents = self.documents.wrapping_add(1);
        if self.total <= budget {
            return;
        }
        let mut used: Vec<(u32, usize, usize)> = (self.slots.iter().enumerate())
            .map(|(i, s)| (s.used_at, s.bytes, i))
            .filter(|&(_, bytes, _)| bytes > 0)
            .collect();
        used.sort_unstable_by_key(|&(at, bytes, _)| (at, std::cmp::Reverse(bytes)));
        for (_, bytes, i) in used {
            if self.total <= budget / 4 * 3 {
                break;
            }
            self.slots[i] = Slot::default();
            self.total -= bytes;
        }
    }
}

/// A pattern's regex, and the index of its `verb` group.
#[derive(Debug)]
struct Exact {
    regex: meta::Regex,
    verb: Option<usize>,
}

impl Exact {
    fn new(regex: meta::Regex) -> Self {
        let verb = regex.group_info().to_index(PatternID::ZERO, "verb");
        Exact { regex, verb }
    }

    fn search(&self, cache: &mut meta::Cache, input: Input<'_>) -> Option<(Range<usize>, usize)> {
        match self.verb {
            Some(g) => {
                let mut caps = self.regex.create_captures();
                self.regex.search_captures_with(cache, &input, &mut caps);
                let m = caps.get_match()?;
                Some((m.range(), caps.get_group(g).map_or(m.start(), |v| v.start)))
            }
            None => self
                .regex
                .search_with(cache, &input)
                .map(|m| (m.range(), m.start())),
        }
    }
}

fn build_plain(re: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(re)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
}

/// A regex built as `regex::RegexBuilder` builds one (leftmost-first, UTF-8,
/// no empty match inside a character), with the limits above, as the
/// lower-level `meta::Regex`: it can search anchored at a given offset.
fn build_regex(re: &str) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(DFA_SIZE_LIMIT)
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true),
        )
        .syntax(syntax::Config::new().utf8(true))
        .build(re)
        .map_err(Box::new)
}

/// A pattern used by a rule, with the polarity the rule asks of it.
#[derive(Debug, Clone, Copy)]
pub struct PatRef {
    /// Index into [`CompiledPacks::patterns`].
    pub id: usize,
    pub polarity: Polarity,
    /// For `unless` and `require` patterns: the scope to look in, if not
    /// the rule's.
    pub scope: Option<Scope>,
}

#[derive(Debug)]
pub enum Check {
    Forbid {
        patterns: Vec<PatRef>,
    },
    Require {
        patterns: Vec<PatRef>,
        section: Option<Regex>,
    },
    Conditional {
        when: Vec<PatRef>,
        require: Vec<PatRef>,
    },
    Contradiction {
        affirm: Vec<PatRef>,
        deny: Vec<PatRef>,
    },
    /// The policy's date must be stated, and no older than this.
    Dated {
        max_age_months: Option<u32>,
    },
}

#[derive(Debug)]
pub struct CompiledRule {
    pub meta: Arc<RuleMeta>,
    /// Severity after configuration; `None` means the rule is off.
    pub severity: Severity,
    pub label: Option<String>,
    pub check: Check,
    pub unless: Vec<PatRef>,
}

/// Every active rule, ready to evaluate.
#[derive(Debug)]
pub struct CompiledPacks {
    pub rules: Vec<CompiledRule>,
    pub patterns: Patterns,
    /// Which blocks of a document each pattern can match in.
    pub prefilter: Prefilter,
    /// The source of each pattern as its author wrote it.
    pub pattern_sources: Vec<String>,
    /// Pack ids with titles, in load order.
    pub packs: Vec<(String, String)>,
}

impl CompiledPacks {
    /// Compiles validated packs. Patterns are shared between rules when the
    /// regex is identical.
    pub fn compile(packs: Vec<PackDef>) -> Result<Self, String> {
        let mut table = PatternTable::default();
        let mut rules = Vec::new();
        let mut pack_list = Vec::new();
        for pack in packs {
            pack_list.push((pack.pack.clone(), pack.title.clone()));
            for def in pack.rules {
                rules.push(compile_rule(&pack.pack, &pack.language, def, &mut table)?);
            }
        }
        let prefilter = Prefilter::new(&table.regexes)?;
        let patterns = Patterns::new(table.regexes);
        Ok(CompiledPacks {
            rules,
            patterns,
            prefilter,
            pattern_sources: table.written,
            packs: pack_list,
        })
    }
}

/// One Aho-Corasick automaton over the anchors of every pattern (see
/// [`super::anchor`]).
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each automaton pattern, the regex patterns it anchors, with
    /// which of their anchors it belongs to.
    owners: Vec<Vec<(usize, usize)>>,
    /// For each regex pattern, for each of its anchors (none: search the
    /// whole text), how many characters a match can reach before and after
    /// it (`None`: to the block's edge). A match holds a hit of every one.
    reach: Vec<Vec<(Option<usize>, Option<usize>)>>,
    /// Off: every pattern searches the whole text (for testing that the
    /// prefilter changes nothing).
    pub enabled: bool,
}

impl Prefilter {
    fn new(regexes: &[String]) -> Result<Self, String> {
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut reach = vec![Vec::new(); regexes.len()];
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        // Parsing each pattern for its anchors is a tenth of loading a
        // thousand-pattern pack; the patterns are independent.
        let analysed: Vec<Vec<super::anchor::Anchor>> = {
            use rayon::prelude::*;
            regexes
                .par_iter()
                .map(|re| super::anchor::analyse_all(re))
                .collect()
        };
        for (p, anchors) in analysed.into_iter().enumerate() {
            for (k, anchor) in anchors.into_iter().enumerate() {
                reach[p].push((anchor.before, anchor.after));
                for lit in anchor.literals {
                    let i = *index.entry(lit.clone()).or_insert_with(|| {
                        literals.push(lit);
                        owners.push(Vec::new());
                        literals.len() - 1
                    });
                    owners[i].push((p, k));
                }
            }
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&literals)
                    .map_err(|e| format!("cannot build the anchor automaton: {e}"))?,
            )
        };
        Ok(Prefilter {
            automaton,
            owners,
            reach,
            enabled: true,
        })
    }

    /// For each pattern, the stretches of `text` that can hold a match, in
    /// order and disjoint, or `None` when the pattern must search the whole
    /// text. A stretch lies inside one block (`block_range` maps an offset
    /// to its block's range) around an anchor: as far as the pattern's
    /// longest match reaches, or the whole block when that is unbounded.
    /// Its ends sit next to a non-word character or a block's edge, so
    /// word boundaries match in it as in the whole text.
    pub fn regions(
        &self,
        hay: Hay<'_>,
        block_range: impl Fn(usize) -> Option<Range<usize>>,
    ) -> Vec<Option<Vec<Range<usize>>>> {
        let all = || vec![None; self.reach.len()];
        let Some(ac) = self.automaton.as_ref().filter(|_| self.enabled) else {
            return all();
        };
        // Anchors match ASCII case-insensitively; a character that Unicode
        // folds onto an ASCII letter would slip past them. A text with a
        // folded copy holds none (they are among `super::fold::RARE`).
        let text = hay.text;
        if hay.folded.is_none() && text.contains(super::anchor::FOLD_EXCEPTIONS) {
            return all();
        }
        let bytes = text.as_bytes();
        let inner = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii();
        let mut found: Vec<Vec<Vec<Range<usize>>>> =
            self.reach.iter().map(|r| vec![Vec::new(); r.len()]).collect();
        let mut block: Range<usize> = 0..0;
        for m in ac.find_overlapping_iter(text) {
            if !(block.start <= m.start() && m.start() < block.end) {
                match block_range(m.start()) {
                    Some(r) => block = r,
                    None => continue,
                }
            }
            for &(p, k) in &self.owners[m.pattern().as_usize()] {
                let (before, after) = self.reach[p][k];
                let mut start = before.map_or(block.start, |n| back_chars(bytes, m.start(), n, block.start));
                while start > block.start && inner(bytes[start - 1]) {
                    start -= 1;
                }
                let mut end = after.map_or(block.end, |n| forward_chars(bytes, m.end(), n, block.end));
                while end < block.end && inner(bytes[end]) {
                    end += 1;
                }
                // Hits come nearly in order, so most windows join the last
                // one; `merge` sorts out the rest.
                let windows = &mut found[p][k];
                match windows.last_mut() {
                    Some(last) if last.start <= start && start <= last.end => last.end = last.end.max(end),
                    _ => windows.push(start..end),
                }
            }
        }
        found
            .into_iter()
            .map(|per_anchor| per_anchor.into_iter().map(merge).reduce(|a, b| intersect(&a, &b)))
            .collect()
    }
}

/// Sorts stretches and joins those that overlap or touch.
fn merge(mut windows: Vec<Range<usize>>) -> Vec<Range<usize>> {
    windows.sort_unstable_by_key(|w| (w.start, w.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    merged
}

/// The stretches covered by both sorted, disjoint lists. A match lies in
/// one stretch of each, so in their overlap; the overlap's ends are ends
/// of stretches, so they too sit at word edges.
fn intersect(a: &[Range<usize>], b: &[Range<usize>]) -> Vec<Range<usize>> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            out.push(start..end);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The offset `n` characters before `at`, or `floor` (a char boundary).
fn back_chars(bytes: &[u8], mut at: usize, mut n: usize, floor: usize) -> usize {
    while n > 0 && at > floor {
        at -= 1;
        // A UTF-8 continuation byte is part of the character before it.
        if bytes[at] & 0xC0 != 0x80 {
            n -= 1;
        }
    }
    at
}

/// The offset `n` characters after `at`, or `ceiling` (a char boundary).
fn forward_chars(bytes: &[u8], mut at: usize, mut n: usize, ceiling: usize) -> usize {
    while n > 0 && at < ceiling {
        at += 1;
        while at < ceiling && bytes[at] & 0xC0 == 0x80 {
            at += 1;
        }
        n -= 1;
    }
    at
}

#[derive(Default)]
struct PatternTable {
    regexes: Vec<String>,
    written: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl PatternTable {
    fn add(&mut self, defs: Vec<PatternDef>) -> Vec<PatRef> {
        defs.into_iter()
            .map(|p| {
                let id = *self.index.entry(p.regex.clone()).or_insert_with(|| {
                    self.regexes.push(p.regex.clone());
                    self.written.push(p.written.clone());
                    self.regexes.len() - 1
                });
                PatRef {
                    id,
                    polarity: p.polarity,
                    scope: p.scope,
                }
            })
            .collect()
    }
}

fn compile_rule(
    pack: &str,
    language: &str,
    def: RuleDef,
    table: &mut PatternTable,
) -> Result<CompiledRule, String> {
    let section = def
        .section
        .as_ref()
        .map(|s| build_plain(&s.0).map_err(|e| e.to_string()))
        .transpose()?;
    let check = match def.kind {
        KindName::Forbid => Check::Forbid {
            patterns: table.add(def.patterns),
        },
        KindName::Require => Check::Require {
            patterns: table.add(def.patterns),
            section,
        },
        KindName::Conditional => Check::Conditional {
            when: table.add(def.when),
            require: table.add(def.require),
        },
        KindName::Contradiction => Check::Contradiction {
            affirm: table.add(def.affirm),
            deny: table.add(def.deny),
        },
        KindName::Dated => Check::Dated {
            max_age_months: def.max_age_months,
        },
    };
    let meta = RuleMeta {
        id: def.id,
        pack: pack.to_owned(),
        // Folded YAML scalars (`>`) end in a newline; it is not part of the text.
        title: def.title.trim().to_owned(),
        kind: def.kind.into(),
        severity: def.severity,
        scope: def.scope,
        language: language.to_owned(),
        message: def.message.trim().to_owned(),
        help: def.help.trim().to_owned(),
        citations: def.citations,
        url: def.url,
        examples: def.examples,
        valid_from: def.valid_from,
        valid_until: def.valid_until,
    };
    Ok(CompiledRule {
        severity: meta.severity,
        meta: Arc::new(meta),
        label: def.label,
        check,
        unless: table.add(def.unless),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_too_big_only_in_reverse_is_refused_when_loaded() {
        // Its forward NFA fits the limit and its reverse one does not: the
        // check once looked only forward, so this loaded, then panicked on
        // the first policy with a non-ASCII letter.
        let re = concat!(
            r"(?i)(?-u:\b)(?:exercis\w+|submit\w*|mak(?:e|ing))\s+(?:any\s+of\s+)?",
            r"(?:your|these|those|such|the|this|that|a|an|any|all)\s+(?:(?:of\s+the\s+)?",
            r"(?:above|applicable|privacy|data|legal|consumer|individual|above-mentioned|\w+)\s+){0,3}",
            r"(?:rights?|requests?)(?-u:\b)[^.;]{0,150}?(?-u:\b)(?:contact\w*|e-?mail\w*|visit\w*|",
            r"call\w*|submit\w*|fill\w*\s+out|complet\w+|open\w*\s+a|writ\w+\s+to|send\w*|use|using|",
            r"go\s+to|click\w*|sign\w*\s+in|log\w*\s+in|through|via|form|portal|settings)(?-u:\b)",
        );
        assert!(build_regex(re).is_err(), "no longer too big: find another case");
        let err = check_regex(re).unwrap_err();
        assert!(err.contains("compiles to more than"), "{err}");
        // And small patterns still pass.
        assert!(check_regex(r"(?i)(?-u:\b)keep\s+(?:\w+\s+){0,3}forever").is_ok());
    }

    #[test]
    fn caches_past_the_budget_are_dropped_least_recently_used_first() {
        let p = Patterns::new(vec![r"(?i)alpha\w*".into(), r"(?i)beta\w*".into()]);
        let text = "Alphabet soup and betamax tapes. ".repeat(50);
        assert!(p.find_at(0, Hay::plain(&text), 0).is_some());
        // The next document uses only the second pattern.
        SCRATCH.with_borrow_mut(|s| s.trim(p.id, usize::MAX));
        assert!(p.find_at(1, Hay::plain(&text), 0).is_some());
        SCRATCH.with_borrow_mut(|s| {
            let (older, newer) = (s.slots[0].memory(), s.slots[1].memory());
            let budget = (newer / 3 + 1) * 4;
            assert!(older > 0 && newer <= budget / 4 * 3 && older + newer > budget);
            s.trim(p.id, budget);
            assert_eq!(s.slots[0].memory(), 0, "the least recently used is dropped");
            assert_eq!(s.slots[1].memory(), newer, "and only it");
            s.trim(p.id, usize::MAX);
            assert_eq!(s.slots[1].memory(), newer, "nothing is dropped within the budget");
        });
    }

    /// The relaxed-first search finds, from every offset, the match and
    /// verb the `regex` crate's own search finds: with a pattern whose
    /// gap is too short for most relaxed matches (more failed places than
    /// `MAX_CANDIDATES`), with a verb group, and with non-ASCII text; on
    /// the text alone and with its folded copy.
    #[test]
    fn relaxed_first_search_finds_what_the_regex_crate_finds() {
        let sources = [
            r"(?i)(?-u:\b)(?:we\s+)?(?P<verb>sell|rent)(?-u:\b)[^.;]{0,12}?(?-u:\b)data(?-u:\b)",
            r"(?i)(?-u:\b)keep\s+(?:\w+\s+){0,2}forever",
        ];
        let mut patterns = Patterns::new(sources.iter().map(|s| s.to_string()).collect());
        patterns.relax_from_the_start();
        let many = format!("{} and then data. We sell data", "we sell é ".repeat(40));
        let texts = [
            "We sell your data; we rent it. Sell some data",
            "sell data sell x; data rent ünïcödé data",
            many.as_str(),
            "keep it all forever, keep one two three forever, keep forever",
            "",
        ];
        for (i, source) in sources.iter().enumerate() {
            assert!(
                patterns.relaxed(i, false).is_some(),
                "{source} has a relaxed form"
            );
            assert!(
                patterns.relaxed(i, true).is_some(),
                "{source} has a folded relaxed form"
            );
            assert!(patterns.get_folded(i).is_some(), "{source} has a folded form");
            let reference = regex::Regex::new(source).unwrap();
            for text in texts {
                for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                    let want = reference.captures_at(text, at).map(|c| {
                        let m = c.get(0).unwrap();
                        (m.range(), c.name("verb").map_or(m.start(), |v| v.start()))
                    });
                    assert_eq!(
                        patterns.find_at(i, Hay::plain(text), at),
                        want,
                        "{source} in {text:?} from {at}"
                    );
                    let folded = super::super::fold::fold_text(text);
                    assert!(folded.is_some(), "{text:?} has no rare character");
                    let hay = Hay {
                        text,
                        folded: folded.as_deref(),
                    };
                    assert_eq!(
                        patterns.find_at(i, hay, at),
                        want,
                        "{source} in folded {text:?} from {at}"
                    );
                }
            }
        }
    }

    fn prefilter(patterns: &[&str]) -> Prefilter {
        let regexes: Vec<String> = patterns.iter().map(|p| format!("(?i){p}")).collect();
        Prefilter::new(&regexes).unwrap()
    }

    #[test]
    fn regions_reach_as_far_as_a_match_can_and_end_at_word_edges() {
        let p = prefilter(&[
            r"(?-u:\b)resold(?-u:\b)",
            r"(?-u:\b)keep\s+(?:\w+\s+){0,2}forever",
            r"\d+",
            r"(?-u:\b)resold\s\w{0,5}",
        ]);
        let text = "We have thoroughlyunresold goods and keep them all forever.";
        let regions = p.regions(Hay::plain(text), |_| Some(0..text.len()));
        // `resold` inside a longer word: the stretch (the anchor alone, as
        // the pattern is nothing else) widens to whole words, so the word
        // boundary before `resold` is judged as in the text.
        let r = regions[0].as_ref().unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(&text[r[0].clone()], "thoroughlyunresold");
        // Two anchors, `forever` (unbounded before it: from the block's
        // start) and `keep` (unbounded after it): where both reach.
        let r = regions[1].as_ref().unwrap();
        assert_eq!(&text[r[0].clone()], "keep them all forever");
        // No anchor: the whole text.
        assert!(regions[2].is_none());
    }

    #[test]
    fn regions_reach_only_the_side_a_match_extends_to_counting_characters() {
        let p = prefilter(&[r"(?-u:\b)resold\s\w{0,5}"]);
        let text = "alpha beta resold delta epsilon";
        let r = &p.regions(Hay::plain(text), |_| Some(0..text.len()))[0];
        assert_eq!(&text[r.as_ref().unwrap()[0].clone()], "resold delta");
        // Six characters after the anchor, twelve bytes here.
        let text = "alpha resold \u{e9}t\u{e9}\u{e9}\u{e9} epsilon";
        let r = &p.regions(Hay::plain(text), |_| Some(0..text.len()))[0];
        assert_eq!(
            &text[r.as_ref().unwrap()[0].clone()],
            "resold \u{e9}t\u{e9}\u{e9}\u{e9}"
        );
    }

    #[test]
    fn a_pattern_with_two_anchors_runs_only_where_both_are_near() {
        let p = prefilter(&[r"(?-u:\b)keep(?-u:\b)[^.]{0,20}?(?-u:\b)statutory(?-u:\b)"]);
        let text = "We keep logs and other things for a while. Then we keep records by statutory rule. Much later and elsewhere, statutory rules apply.";
        let r = p.regions(Hay::plain(text), |_| Some(0..text.len()))[0]
            .clone()
            .unwrap();
        assert_eq!(&text[r[0].clone()], "keep records by statutory");
        // The first `keep` has no `statutory` within reach; the last
        // `statutory` has no `keep` before it.
        let last = text.rfind("statutory").unwrap();
        assert!(r.iter().all(|w| w.start > 3 && w.end <= last), "{r:?}");
        let none = "We keep logs, as we always have done, here and everywhere else. Statutory rules apply.";
        assert_eq!(
            p.regions(Hay::plain(none), |_| Some(0..none.len()))[0],
            Some(vec![])
        );
    }

    #[test]
    fn case_folding_outside_ascii_turns_anchors_off() {
        let p = prefilter(&["sold"]);
        let text = "Data is \u{17F}old.";
        assert!(p.regions(Hay::plain(text), |_| Some(0..text.len()))[0].is_none());
        // ... because the regex matches what an ASCII anchor cannot see.
        assert!(regex::Regex::new("(?i)sold").unwrap().is_match(text));
        let plain = "Data is sold.";
        assert!(p.regions(Hay::plain(plain), |_| Some(0..plain.len()))[0].is_some());
    }
}
