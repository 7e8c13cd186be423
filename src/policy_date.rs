//! The date a policy states for itself ("Effective date: January 1, 2020",
//! "Last updated: 3 March 2024"), found in the visible text, and the small
//! civil-date type privlint judges rules by (`--as-of`, validity windows,
//! date rules). See "Dates" in `docs/rule-format.md`.
//!
//! Only a date introduced by an effective/updated wording counts; a bare
//! date, a copyright year or "since 2015" is not the policy's date.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, meta};

use crate::document::Document;

/// A day of the proleptic Gregorian calendar. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

/// Years a policy date may carry; anything else is a typo or not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

impl CivilDate {
    /// The date, if it is a real one in [`YEARS`].
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        if !YEARS.contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month as u8) as u32 {
            return None;
        }
        Some(CivilDate {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// `YYYY-MM-DD`, as in pack files, label files and `--as-of`.
    pub fn parse_iso(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2020-07-16");
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(bad());
        }
        let (y, m, d) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        CivilDate::new(y, m, d).ok_or_else(|| {
            format!(
                "`{s}` is not a calendar date: write YYYY-MM-DD, a real day in the years {}-{}",
                YEARS.start(),
                YEARS.end()
            )
        })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        CivilDate::from_unix_days((secs / 86_400) as i64)
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    fn from_unix_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// The same day `months` later, or the month's last day when it is
    /// shorter (2024-01-31 plus one month is 2024-02-29).
    pub fn add_months(self, months: u32) -> Self {
        let index = self.year as i64 * 12 + i64::from(self.month - 1) + i64::from(months);
        let year = index.div_euclid(12) as i32;
        let month = (index.rem_euclid(12) + 1) as u8;
        CivilDate {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Self {
        CivilDate {
            day: days_in_month(self.year, self.month),
            ..self
        }
    }
}

impl std::fmt::Display for CivilDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CivilDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // YAML reads an unquoted 2020-07-16 as a string, which is what we want.
        let s = String::deserialize(d)?;
        CivilDate::parse_iso(&s).map_err(serde::de::Error::custom)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// What a policy's date says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateKind {
    /// "Effective date", "effective as of", "took effect".
    Effective,
    /// "Last updated", "revised", "modified", "amended", "posted".
    LastUpdated,
}

impl DateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Effective => "effective",
            DateKind::LastUpdated => "last-updated",
        }
    }
}

/// How much of the date the policy gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    /// "Last updated: December 2025": the day is unknown.
    Month,
}

/// The date a policy states for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDate {
    /// The day; the month's first for [`Precision::Month`].
    pub date: CivilDate,
    pub precision: Precision,
    pub kind: DateKind,
    /// The statement in visible-text coordinates, from its wording to the
    /// date's end ("Last updated: April 20, 2023").
    pub range: Range<usize>,
}

impl PolicyDate {
    /// `2024-03-03`, or `2024-03` when only the month is given.
    pub fn value(&self) -> String {
        match self.precision {
            Precision::Day => self.date.to_string(),
            Precision::Month => format!("{:04}-{:02}", self.date.year, self.date.month),
        }
    }

    /// The latest day the date can stand for, for judging its age: a
    /// policy "updated December 2025" may have been updated on the 31st.
    pub fn latest(&self) -> CivilDate {
        match self.precision {
            Precision::Day => self.date,
            Precision::Month => self.date.end_of_month(),
        }
    }
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// A date wording, a short gap without digits or a sentence end, then a
/// date in one of the forms `parse_date` reads.
fn statement_regex() -> &'static meta::Regex {
    static RE: OnceLock<meta::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let day = r"[0-9]{1,2}(?:st|nd|rd|th)?";
        let date = format!(
            r"(?P<date>{MONTH}\b\.?\s*{day},?\s*[0-9]{{4}}|{day}\s+(?:of\s+)?{MONTH}\b\.?,?\s*[0-9]{{4}}|{MONTH}\b\.?,?\s+[0-9]{{4}}|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}|[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}|[0-9]{{1,2}}\.[0-9]{{1,2}}\.[0-9]{{4}})"
        );
        let effective = r"(?P<eff>effective|took\s+effect|takes\s+effect|came\s+into\s+effect|comes\s+into\s+effect|in\s+effect)";
        let updated = r"(?P<upd>(?:last\s+)?(?:updated|update|revised|revision|modified|amended|changed|reviewed)|(?:originally\s+|first\s+)?(?:posted|published))";
        // `_` is a word character, so `\b` alone would miss a date set in
        // emphasis that a text file keeps literally ("_Effective May 18,
        // 2016_"); it is allowed on either side, outside the span.
        let re = format!(
            r"(?i)(?:\b|_)(?P<wording>{effective}|{updated})\b(?P<gap>(?:[^0-9.;!?\n]|\.\s?(?-i:[a-z,])){{0,60}}?)\b{date}(?:\b|_)"
        );
        // The lower-level regex, for its anchored searches (`matches_in`).
        meta::Builder::new()
            .configure(meta::Config::new().hybrid_cache_capacity(DATE_DFA_LIMIT))
            .build(&crate::pack::schema::ascii_word_boundaries(&re))
            .expect("the statement regex is valid")
    })
}

/// Each date regex's lazy-DFA cache, per thread: 512 KiB rather than the
/// regex crate's 2 MiB. With the digit classes ASCII (`parse_date` reads no
/// other digits) the gap of the statement regex needs few states, and the
/// smaller caches ran the bench corpus no slower (`docs/performance.md`).
const DATE_DFA_LIMIT: usize = 1 << 19;

fn build(re: &str) -> Regex {
    regex::RegexBuilder::new(&crate::pack::schema::ascii_word_boundaries(re))
        .dfa_size_limit(DATE_DFA_LIMIT)
        .build()
        .expect("the date regexes are valid")
}

/// The policy as the subject just before the wording, in the sentence so
/// far: "This Privacy Policy was last updated on ...", "our Privacy and
/// Cookie Policy, effective ...", "Privacy Policy (effective ...".
fn about_the_policy() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let re = format!(
            r"(?i)(?:^|\b(?:this|our|the)\s)\W*(?:[\w'’-]+\s+){{0,4}}?(?:{})\b[^.;]{{0,{AFTER_THE_POLICY_WORD}}}$",
            POLICY_WORDS.join("|")
        );
        build(&re)
    })
}

/// Reads one date in the forms the statement regex allows.
fn parse_date(s: &str) -> Option<(CivilDate, Precision)> {
    let lower = s.to_ascii_lowercase();
    let digits = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    for (sep, order) in [('-', [0, 1, 2]), ('/', [2, 0, 1]), ('.', [2, 1, 0])] {
        let parts: Vec<&str> = lower.split(sep).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            // ISO is year-month-day; slashes are US month/day/year; dots day.month.year.
            let y = digits(parts[order[0]])?;
            let m = digits(parts[order[1]])?;
            let d = digits(parts[order[2]])?;
            if parts[order[0]].len() != 4 {
                return None;
            }
            return Some((CivilDate::new(y as i32, m, d)?, Precision::Day));
        }
    }
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty() && *w != "of")
        .collect();
    let month = |w: &str| -> Option<u32> {
        const NAMES: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        NAMES.iter().position(|n| w.starts_with(n)).map(|i| i as u32 + 1)
    };
    match words.as_slice() {
        [m, y] => Some((CivilDate::new(digits(y)? as i32, month(m)?, 1)?, Precision::Month)),
        [a, b, y] => {
            let (m, d) = match month(a) {
                Some(m) => (m, digits(b)?),
                None => (month(b)?, digits(a)?),
            };
            Some((CivilDate::new(digits(y)? as i32, m, d)?, Precision::Day))
        }
        _ => None,
    }
}

/// Literals one of which, matched ASCII-case-insensitively, every match
/// of [`statement_regex`] holds: its wordings all contain one ("took
/// effect", "last revised", "first posted").
const WORDING: [&str; 9] = [
    "effect",
    "updat",
    "revis",
    "modified",
    "amended",
    "changed",
    "reviewed",
    "posted",
    "published",
];

fn wording() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(WORDING)
            .expect("the wording literals build")
    })
}

/// [`wording`] for the folded text: case-sensitive and leftmost-first, so
/// that it can skip ahead with a vectorised prefilter (Teddy), which
/// neither ASCII case folding nor the standard match kind allows; 15
/// times faster over the bench corpus. As no literal is inside another
/// or ends as another starts, it finds the same places.
fn folded_wording() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(WORDING)
            .expect("the wording literals build")
    })
}

/// The blocks that can hold a date statement: those with a wording
/// literal and an ASCII digit (`parse_date` reads no other), each with
/// where its literals start (block-relative). The statement regex runs on
/// no other block, so most of a policy costs one Aho-Corasick pass
/// instead of a regex search. Every block, searched whole (`None`), when
/// the text holds a character that Unicode case folding maps onto an
/// ASCII letter (`(?i)s` matches a long s; see
/// `pack::anchor::FOLD_EXCEPTIONS`).
fn candidate_blocks(doc: &Document) -> Vec<(usize, Option<Vec<usize>>)> {
    // A text with a folded copy holds none of the exceptions (they are
    // among `pack::fold::RARE`, a test checks), so only a text without one
    // is looked through for them.
    let hits = match doc.folded() {
        Some(folded) => folded_wording().find_iter(folded),
        None if doc.text.contains(crate::pack::anchor::FOLD_EXCEPTIONS) => {
            return (0..doc.blocks.len()).map(|b| (b, None)).collect();
        }
        None => wording().find_iter(&doc.text),
    };
    let mut out: Vec<(usize, Option<Vec<usize>>)> = Vec::new();
    // A literal holds no space, so it lies inside one block; no literal's
    // end is another's start (a test checks), so the non-overlapping
    // search finds every one.
    let mut current: Option<(usize, Vec<usize>)> = None;
    let close = |current: Option<(usize, Vec<usize>)>, out: &mut Vec<_>| {
        if let Some((b, hits)) = current
            && doc.text[doc.blocks[b].range.clone()]
                .bytes()
                .any(|c| c.is_ascii_digit())
        {
            out.push((b, Some(hits)));
        }
    };
    for m in hits {
        let Some(b) = doc.block_at(m.start()) else {
            continue;
        };
        match &mut current {
            Some((cb, hits)) if *cb == b => hits.push(m.start() - doc.blocks[b].range.start),
            _ => {
                close(current.take(), &mut out);
                current = Some((b, vec![m.start() - doc.blocks[b].range.start]));
            }
        }
    }
    close(current, &mut out);
    out
}

/// Every date statement in `doc`, in document order.
pub fn find_all(doc: &Document) -> Vec<PolicyDate> {
    statements_in(doc, candidate_blocks(doc))
}

/// The date statements of the blocks `blocks`, in order, each searched
/// whole or only from its literals (see [`matches_in`]).
fn statements_in(doc: &Document, blocks: Vec<(usize, Option<Vec<usize>>)>) -> Vec<PolicyDate> {
    let mut out = Vec::new();
    for (block, hits) in blocks {
        let block = &doc.blocks[block];
        let text = &doc.text[block.range.clone()];
        // Where the last date statement of this block ended: one right
        // after it ("Published on ... Modified and Effective on ...") dates
        // the policy as well.
        let mut previous: Option<usize> = None;
        for caps in matches_in(text, hits.as_deref()) {
            let group = |name| caps.get_group_by_name(name).map(|g| g.range());
            let whole = group("wording").expect("the wording always takes part");
            let date = group("date").expect("the date group always takes part");
            let Some((value, precision)) = parse_date(&text[date.clone()]) else {
                continue;
            };
            let follows_another =
                previous.is_some_and(|end| text[end..whole.start].chars().all(|c| !c.is_alphanumeric()));
            if !follows_another && !introduces_the_policy_date(text, whole.start) {
                continue;
            }
            previous = Some(date.end);
            // "Modified and Effective on ...", "published and made effective on".
            let gap = group("gap").map_or(String::new(), |g| text[g].to_ascii_lowercase());
            let kind = if group("eff").is_some() || gap.contains("effect") {
                DateKind::Effective
            } else {
                DateKind::LastUpdated
            };
            out.push(PolicyDate {
                date: value,
                precision,
                kind,
                range: block.range.start + whole.start..block.range.start + date.end,
            });
        }
    }
    out
}

/// The matches of the statement regex in `text`, as its `captures_iter`
/// finds them. With `hits` (where the wording literals start, in order,
/// in text free of the case-folding exceptions), the regex is only tried
/// anchored, at the places a match can start.
///
/// Why that finds the same: a match starts with a wording, after `_` or a
/// word boundary. Every wording's literal begins a word, after at most
/// two whole ASCII-letter words, each followed by whitespace ("came into
/// effect", "last updated"), and those words hold no literal. So a match
/// whose literal starts at `h` starts in [`wording_window`]`(h)`, and no
/// other literal lies between its start and `h`: trying those places in
/// order, from where the last match ended, reaches the leftmost match
/// first.
/// Anchored, the gap `{0,60}?` tracks one start instead of one per open
/// start, which the unanchored search's lazy DFA kept rebuilding states
/// for (a tenth of a corpus run).
fn matches_in(text: &str, hits: Option<&[usize]>) -> Vec<Captures> {
    let re = statement_regex();
    let Some(hits) = hits else {
        return re.captures_iter(text).collect();
    };
    let mut out = Vec::new();
    let mut caps = re.create_captures();
    // Places before `next` are tried or inside a match.
    let mut next = 0;
    for &h in hits {
        let mut at = wording_window(text, h).max(next);
        while at <= h {
            let input = Input::new(text).span(at..text.len()).anchored(Anchored::Yes);
            re.search_captures(&input, &mut caps);
            if let Some(m) = caps.get_match() {
                out.push(caps.clone());
                at = m.end();
                break;
            }
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
        next = next.max(at);
    }
    out
}

/// Where a match holding a wording literal at `h` can start at the
/// earliest: back over two whitespace runs, each with the ASCII-letter
/// word before it, then a `_`.
fn wording_window(text: &str, h: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = h;
    for _ in 0..2 {
        let before_space = text[..start].trim_end_matches(char::is_whitespace).len();
        let word = text[..before_space]
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
        if before_space == start || word == before_space {
            break;
        }
        start = word;
    }
    if start > 0 && bytes[start - 1] == b'_' {
        start -= 1;
    }
    start
}

/// Whether a wording at `at` in `block` dates the policy: it opens the
/// block ("Effective May 4, 2026", "*Last updated: ...*"), or follows a
/// word for the policy in its sentence. "The Maine Act, effective on July
/// 1, 2020, gives you ..." dates a law, not the policy.
fn introduces_the_policy_date(block: &str, at: usize) -> bool {
    let before = &block[..at];
    if before.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    let sentence_start = before.rfind(['.', '!', '?', ';']).map_or(0, |i| i + 1);
    let sentence = &before[sentence_start..];
    may_be_about_the_policy(sentence) && about_the_policy().is_match(sentence)
}

/// The words for the policy that [`about_the_policy`] ends with, before at
/// most [`AFTER_THE_POLICY_WORD`] characters (`may_be_about_the_policy`
/// relies on both).
const POLICY_WORDS: [&str; 8] = [
    "policy",
    "notice",
    "statement",
    "version",
    "terms",
    "questions and answers",
    "page",
    "document",
];
const AFTER_THE_POLICY_WORD: usize = 40;

/// Whether `sentence` holds one of [`POLICY_WORDS`] near enough its end for
/// [`about_the_policy`] to match: a necessary condition, found without the
/// regex (whose reverse search over the sentence was 3% of a corpus run).
/// Any sentence whose case folding reaches beyond ASCII case is left to
/// the regex.
fn may_be_about_the_policy(sentence: &str) -> bool {
    if sentence.contains(crate::pack::anchor::FOLD_EXCEPTIONS) {
        return true;
    }
    let longest = POLICY_WORDS.iter().map(|w| w.len()).max().unwrap_or(0);
    let from = (sentence.char_indices().rev())
        .nth(longest + AFTER_THE_POLICY_WORD - 1)
        .map_or(0, |(i, _)| i);
    let tail = &sentence.as_bytes()[from..];
    POLICY_WORDS.iter().any(|w| {
        tail.windows(w.len())
            .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// The policy's date: the latest one it states (a change log lists older
/// versions below the current one; a policy both effective and updated on
/// the same day keeps the first statement).
pub fn find(doc: &Document) -> Option<PolicyDate> {
    let mut best: Option<PolicyDate> = None;
    for d in find_all(doc) {
        if best.as_ref().is_none_or(|b| d.latest() > b.latest()) {
            best = Some(d);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::InputFormat;

    fn date_of(text: &str) -> Option<(String, &'static str, String)> {
        let doc = crate::parse::parse(text, InputFormat::Markdown);
        find(&doc).map(|d| (d.value(), d.kind.as_str(), doc.text[d.range.clone()].to_owned()))
    }

    fn value(text: &str) -> Option<String> {
        date_of(text).map(|d| d.0)
    }

    #[test]
    fn the_policy_word_check_never_refuses_what_the_regex_accepts() {
        let filler = |n: usize| "é".repeat(n);
        for word in POLICY_WORDS {
            for n in [0, 1, 39, 40, 41] {
                for lead in ["This Privacy ", "Our ", "", "the cookie "] {
                    let sentence = format!("{lead}{}{}", word.to_uppercase(), filler(n));
                    let by_regex = about_the_policy().is_match(&sentence);
                    assert!(!by_regex || may_be_about_the_policy(&sentence), "{sentence:?}");
                    // The check is tight: the regex accepts every one up
                    // to the limit, so a narrower window would fail above.
                    assert_eq!(by_regex, n <= AFTER_THE_POLICY_WORD, "{sentence:?}");
                }
            }
        }
        assert!(!may_be_about_the_policy("The Maine Act, which took effect "));
    }

    #[test]
    fn emphasis_kept_literally_in_a_text_file() {
        for (text, span) in [
            (
                "_Privacy Statement Effective as May 18, 2016_",
                "Effective as May 18, 2016",
            ),
            ("_Last updated: 3 March 2024_", "Last updated: 3 March 2024"),
        ] {
            let doc = crate::parse::parse(text, InputFormat::Text);
            let d = find(&doc).unwrap_or_else(|| panic!("no date in {text:?}"));
            assert_eq!(&doc.text[d.range.clone()], span);
        }
    }

    #[test]
    fn common_forms() {
        let cases = [
            ("Effective as of May 18, 2016", "2016-05-18", "effective"),
            ("Last updated: 3 March 2024", "2024-03-03", "last-updated"),
            ("Updated 2023-10-01", "2023-10-01", "last-updated"),
            ("Effective Date: January 1, 2020", "2020-01-01", "effective"),
            ("Last revised on 12/31/2019", "2019-12-31", "last-updated"),
            ("Last modified: Jan. 5, 2021", "2021-01-05", "last-updated"),
            ("Last updated March 3rd, 2024", "2024-03-03", "last-updated"),
            ("Last update: 23rd May 2018", "2018-05-23", "last-updated"),
            ("Effective date: October 03, 2018", "2018-10-03", "effective"),
            (
                "This Privacy Policy is effective from 1st August 2025",
                "2025-08-01",
                "effective",
            ),
            (
                "This Privacy Policy was last updated on 2025-08-17.",
                "2025-08-17",
                "last-updated",
            ),
            ("Last Updated: December 2025", "2025-12", "last-updated"),
            ("Posted: February 12, 2016", "2016-02-12", "last-updated"),
            (
                "Modified and Effective on October 10, 2019",
                "2019-10-10",
                "effective",
            ),
            (
                "This version of the privacy questions and answers took effect June 3, 2020.",
                "2020-06-03",
                "effective",
            ),
            ("Last updated: 03.11.2019", "2019-11-03", "last-updated"),
            (
                "Effective date. This Privacy Policy was last updated on 21 December 2023.",
                "2023-12-21",
                "last-updated",
            ),
            (
                "Originally Published on January 24, 2004 Modified and Effective on October 10, 2019",
                "2019-10-10",
                "effective",
            ),
            ("Effective the 1st of March, 2024", "2024-03-01", "effective"),
        ];
        for (text, want, kind) in cases {
            let got = date_of(text).unwrap_or_else(|| panic!("no date in {text:?}"));
            assert_eq!((got.0.as_str(), got.1), (want, kind), "{text:?}");
        }
    }

    #[test]
    fn the_span_is_the_statement_in_the_source() {
        let src = "# Policy\n\n*Last updated: **April 20, 2023***\n\nWe collect data.\n";
        let doc = crate::parse::parse(src, InputFormat::Markdown);
        let d = find(&doc).unwrap();
        assert_eq!(&doc.text[d.range.clone()], "Last updated: April 20, 2023");
        let source = doc.source_range(d.range.clone());
        assert_eq!(&src[source], "Last updated: **April 20, 2023");
    }

    #[test]
    fn dates_that_are_not_the_policys() {
        for text in [
            "© 2015 Acme Inc. All rights reserved.",
            "We have served customers since 2015.",
            "The Maine Act, effective on July 1, 2020, gives you additional rights.",
            "In May 2018 the GDPR came into force.",
            "We may update this policy from time to time.",
            "Your account was updated 3 times in 2019.",
            "September 9, 2020",
            "Contact details of the State Data Protection Officer (as of 03.11.2019)",
        ] {
            assert_eq!(date_of(text), None, "{text:?}");
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in [
            "Updated 2023-02-30",
            "Last updated: February 29, 2023",
            "Last revised on 13/01/2019",
            "Effective Date: April 31, 2020",
            "Updated 0000-01-01",
            "Updated 9999-12-31",
        ] {
            assert_eq!(value(text), None, "{text:?}");
        }
        assert_eq!(
            value("Last updated: February 29, 2024").as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn the_latest_of_several_dates_is_the_policys() {
        let text = "Effective Date: January 1, 2020\n\nLast updated: March 3, 2024\n\n\
                    Previous version: effective June 1, 2019\n";
        assert_eq!(
            date_of(text).map(|d| (d.0, d.1)),
            Some(("2024-03-03".to_owned(), "last-updated"))
        );
        let same = "Effective Date: April 30, 2026\n\nLast Updated: April 30, 2026\n";
        assert_eq!(date_of(same).map(|d| d.1), Some("effective"));
    }

    #[test]
    fn iso_dates_for_packs_and_flags() {
        assert_eq!(
            CivilDate::parse_iso("2020-07-16").unwrap().to_string(),
            "2020-07-16"
        );
        for bad in [
            "2023-02-30",
            "2020-7-16",
            "16/07/2020",
            "",
            "2020-07-16x",
            "+020-07-16",
        ] {
            assert!(CivilDate::parse_iso(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_arithmetic_clamps_to_the_month_end() {
        let d = |s| CivilDate::parse_iso(s).unwrap();
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2025-12-01").add_months(12), d("2026-12-01"));
        assert_eq!(d("2023-11-15").add_months(14), d("2025-01-15"));
        assert_eq!(d("2025-02-10").end_of_month(), d("2025-02-28"));
    }

    #[test]
    fn unix_days_to_dates() {
        assert_eq!(CivilDate::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(CivilDate::from_unix_days(19_723).to_string(), "2024-01-01");
        assert_eq!(CivilDate::from_unix_days(20_789).to_string(), "2026-12-02");
        assert!(CivilDate::today() >= CivilDate::new(2024, 1, 1).unwrap());
    }

    /// Blocks of date statements: every wording in odd case, a long s,
    /// sometimes the policy as subject, a date, and text or another
    /// statement after it.
    fn wordy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        // Random ASCII case (a `(?i)` generator would also write long s).
        let wording = (
            prop_oneof![
                "(last |first |originally )?(updated|update|revised|revision|modified|amended|changed|reviewed|posted|published)",
                "effective|took effect|takes  effect|came into effect|comes into effect|in effect",
            ],
            any::<u64>(),
        )
            .prop_map(|(w, bits)| {
                let flip = |(i, c): (usize, char)| if bits >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c };
                w.chars().enumerate().map(flip).collect::<String>()
            });
        let wording = prop_oneof![9 => wording, 1 => Just("Last reviſed".to_owned())];
        let date = prop_oneof![
            Just("March 3, 2024"),
            Just("3rd of May 2019"),
            Just("2023-10-01"),
            Just("12/31/2019"),
            Just("May"),
        ];
        let statement = (
            prop_oneof![Just(""), Just("This policy was "), Just("We ")],
            wording,
            prop_oneof![Just(": "), Just(" on "), Just(" "), Just(". ")],
            date,
            prop_oneof![
                Just(String::new()),
                Just(".".to_owned()),
                Just(" and ".to_owned()),
                "[a-z ]{1,8}"
            ],
        )
            .prop_map(|(a, w, s, d, t)| format!("{a}{w}{s}{d}{t}"));
        let block = proptest::collection::vec(statement, 1..3).prop_map(|v| v.concat());
        proptest::collection::vec(block, 0..4).prop_map(|v| v.join("\n\n"))
    }

    #[test]
    fn no_wording_literal_hides_another() {
        // `candidate_blocks` relies on this to find every literal with a
        // non-overlapping search, standard or leftmost-first.
        for a in WORDING {
            for b in WORDING {
                for k in 1..a.len().min(b.len()) {
                    assert!(
                        !a[a.len() - k..].eq_ignore_ascii_case(&b[..k]),
                        "{a} ends as {b} starts"
                    );
                }
                assert!(a == b || !a.contains(b), "{b} is inside {a}");
            }
        }
    }

    /// Text where date statements can start anywhere a window allows:
    /// wordings split by odd whitespace, after `_`, glued to letters or
    /// digits, several to a line.
    fn spaced() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let space = prop_oneof![
            Just(" "),
            Just("  "),
            Just("\t"),
            Just("\n"),
            Just("\u{3000}"),
            Just(" \u{a0} ")
        ];
        // `~` is a space of the kind drawn for the token.
        let word = prop_oneof![
            Just("came~into~effect"),
            Just("comes~into~effect"),
            Just("in~effect"),
            Just("took~effect"),
            Just("last~updated"),
            Just("originally~posted"),
            Just("first~published"),
            Just("Effective"),
            Just("UPDATED"),
            Just("revision"),
            Just("into"),
            Just("effect"),
            Just("policy"),
            Just("x"),
            Just("_"),
            Just("March~3,"),
            Just("2024"),
            Just("12/31/2019"),
            Just("2023-10-01"),
            Just("."),
            Just(":"),
            Just("9"),
            Just("ineffective"),
            Just("on"),
        ];
        proptest::collection::vec((word, space, any::<bool>()), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|(w, s, glue)| {
                    let w = w.replace('~', s);
                    if glue { w } else { format!("{w}{s}") }
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// Anchored tries from the literals find what the unanchored
        /// search finds, group by group.
        #[test]
        fn anchored_tries_find_every_match(text in spaced()) {
            let hits: Vec<usize> = wording().find_iter(&text).map(|m| m.start()).collect();
            let groups = |all: Vec<Captures>| -> Vec<Vec<Option<Range<usize>>>> {
                all.iter()
                    .map(|c| (0..c.group_len()).map(|g| c.get_group(g).map(|s| s.range())).collect())
                    .collect()
            };
            proptest::prop_assert_eq!(groups(matches_in(&text, Some(&hits))), groups(matches_in(&text, None)));
        }

        /// Skipping blocks without a wording literal and a digit finds
        /// what searching every block finds.
        #[test]
        fn the_wording_filter_changes_nothing(text in wordy()) {
            let doc = crate::parse::parse(&text, InputFormat::Markdown);
            let all = statements_in(&doc, (0..doc.blocks.len()).map(|b| (b, None)).collect());
            let key = |d: &PolicyDate| (d.date, d.kind.as_str(), d.range.clone());
            proptest::prop_assert_eq!(
                find_all(&doc).iter().map(key).collect::<Vec<_>>(),
                all.iter().map(key).collect::<Vec<_>>()
            );
        }

        #[test]
        fn odd_text_never_panics(s in "\\PC{0,80}", y in 0u32..10000, m in 0u32..20, d in 0u32..40) {
            let text = format!("Last updated: {s} {m}/{d}/{y} {y}-{m}-{d} {d} May {y} {s}");
            let doc = crate::parse::parse(&text, InputFormat::Text);
            for found in find_all(&doc) {
                proptest::prop_assert!(doc.text.is_char_boundary(found.range.start));
                proptest::prop_assert!(found.range.end <= doc.text.len());
            }
        }
    }
}
