#!/usr/bin/env python3
"""Write a synthetic rule pack: each pattern of PATTERNS_FILE in VARIANTS
variants, as `forbid` rules.

Usage: synthetic_pack.py PATTERNS_FILE OUT.yaml [VARIANTS]   (default 9)

PATTERNS_FILE is `privlint rules --patterns` output (compiled form: a
leading `(?i)` and `(?-u:\\b)` boundaries, turned back into pack syntax
here). Variant v of a pattern is the pattern followed by whitespace and a
made-up word of its own, so no two regexes are equal and none is shared
or folded with another; with the built-in packs, 9 variants make 10x the
built-in patterns. The made-up words never occur in real text, so the
variants find nothing: they cost the search, not the findings.
"""

import sys


def quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main() -> int:
    patterns_file, out_file = sys.argv[1], sys.argv[2]
    variants = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    with open(patterns_file, encoding="utf-8") as f:
        pats = [p for p in f.read().splitlines() if p]
    out = [
        "pack: synthetic",
        "title: Synthetic pack for benchmarks",
        "version: 1",
        "rules:",
    ]
    for i, p in enumerate(pats):
        body = p[4:] if p.startswith("(?i)") else p
        body = body.replace(r"(?-u:\b)", r"\b").replace(r"(?-u:\B)", r"\B")
        out += [
            f"  - id: synthetic/r{i:04d}",
            f"    title: Synthetic rule {i}",
            "    kind: forbid",
            "    severity: info",
            f"    message: Synthetic rule {i} matched.",
            "    help: None; this pack exists for benchmarks.",
            "    citations: [{law: none, section: none}]",
            "    patterns:",
        ]
        for v in range(1, variants + 1):
            word = "zq" + "".join(
                chr(ord("a") + d % 26) for d in (i, v, i // 26, v * 7)
            )
            variant = "(?:" + body + r")\s+" + word + r"\b"
            out.append("      - " + quote(variant))
    with open(out_file, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
