//! YAML that may be hostile: a nesting check before parsing, plain words
//! for YAML's errors, and where a scalar's characters sit in the file.

use std::ops::Range;

/// Flow collections (`[`, `{`) nested deeper than this are refused before
/// parsing: libyaml's scanner slows down quadratically with flow depth
/// (10,000 `[` take seconds, 100,000 minutes), and yaml_serde would refuse
/// anything past 128 levels after parsing anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

/// The offset of the first `[` or `{` nested deeper than
/// [`MAX_FLOW_DEPTH`], skipping quoted scalars and comments. A bracket in
/// a plain scalar counts too, so the count can only err on the high side.
pub fn too_deep(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    // Whether a quote here would start a quoted scalar: at the start of a
    // line or after an indicator, not inside a word like `don't`.
    let mut scalar_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
                scalar_start = true;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                scalar_start = false;
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                scalar_start = true;
                continue;
            }
            b'\'' | b'"' if scalar_start => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if b == b'"' => i += 1,
                        q if q == b && b == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                        q if q == b => break,
                        _ => {}
                    }
                    i += 1;
                }
                scalar_start = false;
            }
            b'\n' | b',' | b':' | b'-' | b'?' => scalar_start = true,
            b' ' | b'\t' | b'\r' => {}
            _ => scalar_start = false,
        }
        i += 1;
    }
    None
}

/// Whether a file holds no YAML at all: nothing but blank lines, comments
/// and document markers.
pub fn is_blank(source: &str) -> bool {
    source.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// A YAML error made readable: the message without serde's textual
/// positions, where to point, and a suggested fix.
pub struct Explained {
    pub message: String,
    pub at: Option<usize>,
    pub help: Option<String>,
}

/// Explains a yaml_serde error message given with its position `at`.
pub fn explain(message: &str, source: &str, at: Option<usize>) -> Explained {
    // libyaml's messages name positions in the text ("at line 9 column
    // 14"); the report shows them, so they go, but the last one (the
    // context: where an unclosed quote opened) is worth pointing at.
    let mut marks = Vec::new();
    let mut text = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        text.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let (line, after) = split_number(after);
        let Some((column, after)) = after.strip_prefix(" column ").map(split_number) else {
            text.push_str(" at line ");
            rest = after;
            continue;
        };
        if let (Some(line), Some(column)) = (line, column) {
            marks.push(offset_of(source, line, column));
        }
        rest = after;
    }
    text.push_str(rest);
    let mut message = rename_types(&text);
    let mut at = at;
    let line_at = |at: Option<usize>| {
        let at = at?.min(source.len());
        let start = source[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = source[at..].find('\n').map_or(source.len(), |n| at + n);
        Some(&source[start..end])
    };
    let help = if message.contains("while scanning a quoted scalar") {
        // The problem is where the file ended; the cause is the quote.
        if let Some(Some(open)) = marks.last() {
            at = Some(*open);
        }
        message = "this quoted value is never closed".to_owned();
        Some("close the quote; inside single quotes, write a quote as `''`".to_owned())
    } else if let Some(open) = [
        "while parsing",
        "while scanning",
        "did not find",
        "could not find",
    ]
    .iter()
    .any(|m| message.contains(m))
    .then(|| unclosed_quote_before(source, at.unwrap_or(source.len())))
    .flatten()
    {
        // A quoted value may run over lines, so libyaml complains only
        // where the next quote closes it; the cause is the first one.
        at = Some(open);
        message = format!("{message}: the quote opened here is not closed on its line");
        Some("close the quote; inside single quotes, write a quote as `''`".to_owned())
    } else if message.contains("tab character")
        || line_at(at).is_some_and(|l| l.chars().take_while(|c| c.is_whitespace()).any(|c| c == '\t'))
    {
        Some("indent with spaces: YAML does not allow tabs in indentation".to_owned())
    } else if [
        "mapping values are not allowed",
        "did not find expected key",
        "did not find expected '-' indicator",
        "block sequence entries are not allowed",
        "could not find expected ':'",
        "while parsing a block mapping",
    ]
    .iter()
    .any(|m| message.contains(m))
    {
        Some(
            "check this line's indentation against the lines above: the keys of one map start in \
             the same column; quote a value that contains `: `"
                .to_owned(),
        )
    } else if message.contains("did not find expected ',' or ']'") {
        Some("close the list with `]`, and separate its items with `,`".to_owned())
    } else if message.contains("did not find expected ',' or '}'") {
        Some("close the map with `}`, and separate its entries with `,`".to_owned())
    } else if message.contains("found character that cannot start any token") {
        Some(
            "quote this value: it starts with a character YAML reserves (`@`, `` ` ``, `%`, a tab)"
                .to_owned(),
        )
    } else if message.contains("recursion limit exceeded") {
        message = "nested more than 128 levels deep".to_owned();
        Some("packs and configurations need a few levels of nesting; this file is not one".to_owned())
    } else if message.contains("repetition limit exceeded") {
        message = "its aliases expand to too much (an alias bomb?)".to_owned();
        // yaml_serde gives no position: point at the first alias.
        at = at.or_else(|| first_alias(source));
        Some("use each anchor a few times, not aliases of aliases of aliases".to_owned())
    } else if let Some(help) = list_help(&message) {
        Some(help)
    } else if let Some(field) = between(&message, "missing field `", "`") {
        Some(format!("add the key `{field}` to this map"))
    } else if let Some(field) = between(&message, "duplicate field `", "`") {
        Some(format!("remove one of the two `{field}` keys (or merge them)"))
    } else if message.starts_with("invalid type: sequence, expected a map") {
        Some("the file must be one YAML map of keys, not a list".to_owned())
    } else if message.starts_with("invalid type: ") && message.contains("expected a map (") {
        Some("the file must be one YAML map: `key: value` lines".to_owned())
    } else {
        None
    };
    Explained { message, at, help }
}

/// The offset of the first quote before `before` that opens a value and is
/// not closed on its line.
fn unclosed_quote_before(source: &str, before: usize) -> Option<usize> {
    let mut offset = 0;
    for line in source[..before.min(source.len())].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        // Where a value starts: after `key: `, `- `, or at the line's start.
        let body = line.trim_end();
        let value_at = body
            .find(": ")
            .map(|i| i + 2)
            .or_else(|| {
                body.trim_start()
                    .starts_with("- ")
                    .then(|| body.len() - body.trim_start().len() + 2)
            })
            .unwrap_or(body.len() - body.trim_start().len());
        let value = body[value_at..].trim_start_matches([' ', '-']).trim_start();
        let quote_at = start + body.len() - value.len();
        let open = match value.as_bytes().first() {
            Some(b'\'') => value[1..].replace("''", "").matches('\'').count() == 0,
            Some(b'"') => {
                let mut escaped = false;
                !value[1..].chars().any(|c| {
                    let close = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    close
                })
            }
            _ => false,
        };
        if open {
            return Some(quote_at);
        }
    }
    None
}

/// The offset of the first alias (`*name`) outside quotes and comments,
/// roughly: a `*` after a space, `[`, `,` or `:` and before a name.
fn first_alias(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    (1..bytes.len()).find(|&i| {
        bytes[i] == b'*'
            && matches!(bytes[i - 1], b' ' | b'[' | b',' | b':')
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    })
}

/// serde's Rust type names, in the words of the docs.
fn rename_types(message: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        (
            "struct PackDef",
            "a map (a pack: `pack`, `title`, `version`, `rules`)",
        ),
        (
            "struct RawConfig",
            "a map (the settings: `packs`, `rules`, `include`, ...)",
        ),
        ("struct RuleDef", "a map (a rule: `id`, `title`, `kind`, ...)"),
        (
            "struct RawOverride",
            "a map (an override: `files`, `packs`, `rules`)",
        ),
        ("struct Citation", "a map (a citation: `law`, `section`, `url`)"),
        ("struct Examples", "a map (`flag` and `pass` lists)"),
        ("struct LabelFile", "a map (a label file: `policies`)"),
    ];
    let mut out = message.to_owned();
    for (from, to) in NAMES {
        out = out.replace(from, to);
    }
    out
}

/// For "KEY: invalid type: string "x", expected a sequence", how to write
/// the list.
fn list_help(message: &str) -> Option<String> {
    let (path, rest) = message.split_once(": invalid type: ")?;
    if !rest.ends_with("expected a sequence") {
        return None;
    }
    let key = path.rsplit('.').next()?.split('[').next()?;
    let value = between(rest, "string \"", "\"").map(|v| v.replace('\'', "''"));
    Some(match value {
        Some(v) => format!("`{key}` takes a list: write `{key}: ['{v}']`"),
        None => format!("`{key}` takes a list: write `{key}: [...]` or one `- item` a line"),
    })
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let (_, rest) = s.split_once(open)?;
    Some(rest.split_once(close)?.0)
}

fn split_number(s: &str) -> (Option<usize>, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (s[..end].parse().ok(), &s[end..])
}

/// The byte offset of 1-based `line` and character `column` (libyaml
/// counts columns in characters).
fn offset_of(source: &str, line: usize, column: usize) -> Option<usize> {
    let start = crate::span::line_start(source, line)?;
    let text = source.get(start..)?;
    let within = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    Some(start + within)
}

/// A scalar in the YAML source.
#[derive(Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The scalar as written, quotes included.
    pub range: Range<usize>,
    /// For each byte of the value, its offset in the source, when the
    /// characters map 1:1: a plain or single-quoted scalar on one line
    /// (`''` counts as the one quote it stands for), or a double-quoted one
    /// without escapes.
    pub map: Option<Vec<usize>>,
}

/// The scalar starting at `at`, if its value is `value`; for a map (a
/// pattern's `{regex: ...}`), the scalar under its `key`.
pub fn find_scalar(source: &str, at: usize, value: &str, key: &str) -> Option<Scalar> {
    if let Some(s) = scalar_at(source, at, value) {
        return Some(s);
    }
    // In a map, serde points at the map; the value sits after `key:`. Look
    // no further than a few lines on, inside this map.
    let window_end = source[at.min(source.len())..]
        .match_indices('\n')
        .nth(8)
        .map_or(source.len(), |(i, _)| at + i);
    let window = source.get(at..window_end)?;
    let mut from = 0;
    while let Some(i) = window[from..].find(key) {
        let k = at + from + i;
        let after = source[k + key.len()..].trim_start_matches(' ');
        if let Some(v) = after.strip_prefix(':') {
            // `v` is a suffix of `source`: its value starts this far in.
            let value_at = source.len() - v.trim_start_matches([' ', '\t']).len();
            if let Some(s) = scalar_at(source, value_at, value) {
                return Some(s);
            }
        }
        from += i + key.len();
    }
    None
}

/// The scalar starting exactly at `at`, recognised only if it reads as
/// `value` (or, double-quoted with escapes, at least starts and ends as a
/// quoted scalar, whose value it then does not map).
fn scalar_at(source: &str, at: usize, value: &str) -> Option<Scalar> {
    let text = source.get(at..)?;
    let line = &text[..text.find('\n').unwrap_or(text.len())];
    match text.as_bytes().first()? {
        b'\'' => {
            let mut map = Vec::with_capacity(value.len());
            let mut i = 1;
            let bytes = line.as_bytes();
            loop {
                match bytes.get(i) {
                    None => return None, // runs on to another line: folded
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => {
                        map.push(at + i);
                        i += 2;
                    }
                    Some(b'\'') => break,
                    Some(_) => {
                        map.push(at + i);
                        i += 1;
                    }
                }
            }
            let decoded = line[1..i].replace("''", "'");
            (decoded == value).then(|| Scalar {
                range: at..at + i + 1,
                map: Some(map),
            })
        }
        b'"' => {
            let bytes = line.as_bytes();
            let mut i = 1;
            let mut escaped = false;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => {
                        escaped = true;
                        i += 2;
                        continue;
                    }
                    b'"' => break,
                    _ => i += 1,
                }
            }
            if i >= bytes.len() {
                return None;
            }
            let range = at..at + i + 1;
            if escaped {
                // Escapes do not map 1:1: the whole scalar it is.
                return Some(Scalar { range, map: None });
            }
            (&line[1..i] == value).then(|| Scalar {
                range,
                map: Some((at + 1..at + i).collect()),
            })
        }
        _ => {
            let rest = line.strip_prefix(value)?;
            let ends = rest.is_empty()
                || rest.starts_with([',', ']', '}', '\r'])
                || rest.trim_start().is_empty()
                || rest.trim_start().starts_with('#');
            ends.then(|| Scalar {
                range: at..at + value.len(),
                map: Some((at..at + value.len()).collect()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_before_parsing_but_quoted_brackets_do_not_count() {
        let deep = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep(&deep), Some(3 + MAX_FLOW_DEPTH));
        let quoted = format!(
            "a: '{}'\nb: \"{}\"\n# {}\n",
            "[".repeat(200),
            "{".repeat(200),
            "[".repeat(200)
        );
        assert_eq!(too_deep(&quoted), None);
        assert_eq!(too_deep("m: don't [x]\n"), None);
    }

    #[test]
    fn scalars_map_to_their_characters() {
        let src = "p: ['a''b(', plain(, \"dq(\", \"e\\\\(\"]\n";
        let s = find_scalar(src, 4, "a'b(", "regex").unwrap();
        assert_eq!(&src[s.range.clone()], "'a''b('");
        // `(` is byte 3 of the value, after the doubled quote.
        assert_eq!(&src[s.map.as_ref().unwrap()[3]..][..1], "(");
        let at = src.find("plain").unwrap();
        let s = find_scalar(src, at, "plain(", "regex").unwrap();
        assert_eq!(s.map.unwrap()[5], at + 5);
        let at = src.find("\"dq").unwrap();
        assert_eq!(
            find_scalar(src, at, "dq(", "regex").unwrap().map.unwrap()[2],
            at + 3
        );
        // An escape: the whole scalar, no per-character map.
        let at = src.find("\"e").unwrap();
        let s = find_scalar(src, at, "e\\(", "regex").unwrap();
        assert_eq!(&src[s.range], "\"e\\\\(\"");
        assert!(s.map.is_none());
        // A map: the scalar under the key.
        let src = "- {polarity: negated, regex: 'x('}\n";
        let s = find_scalar(src, 2, "x(", "regex").unwrap();
        assert_eq!(&src[s.range], "'x('");
    }

    #[test]
    fn explains_an_unclosed_quote_at_the_quote() {
        let src = "a: 1\nb: 'open\n";
        let e = explain(
            "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 2 column 4",
            src,
            Some(src.len()),
        );
        assert_eq!(e.at, Some(src.find('\'').unwrap()));
        assert!(e.help.unwrap().contains("close the quote"));
        let e = explain(
            "rules[0].patterns: invalid type: string \"foo\", expected a sequence",
            "",
            None,
        );
        assert_eq!(
            e.help.as_deref(),
            Some("`patterns` takes a list: write `patterns: ['foo']`")
        );
    }
}
