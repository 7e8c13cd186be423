#!/usr/bin/env python3
"""Run privlint's patterns through proselint's Python API, one check each.

Usage: proselint_driver.py PATTERNS_FILE FILE_LIST

PATTERNS_FILE holds one regex a line (`privlint rules --patterns`);
FILE_LIST one path a line. Every pattern becomes a proselint `Check` of type
`ExistenceSimple` on proselint's default engine (`Fast`, RE2), or on its
`Fancy` engine (Python `re`) when RE2 refuses the pattern. Each file is
linted with `proselint.tools.LintFile(...).lint(config)`, the same call
proselint's command line makes, with only these checks enabled and no cap
on the number of results. Prints one line per file: the number of results,
then the path; and to stderr, how many checks ran on which engine.

privlint's regex dialect differs from RE2's and Python's in one construct:
`(?-u:\\b)` (an ASCII word boundary) is written `\\b` here.
"""

import sys
from pathlib import Path

from proselint.registry import CheckRegistry
from proselint.registry.checks import Check, engine, types
from proselint.tools import LintFile


def translate(pattern: str) -> str:
    return pattern.replace(r"(?-u:\b)", r"\b").replace(r"(?-u:\B)", r"\B")


def build_checks(patterns: list[str]) -> tuple[list[Check], int, int]:
    checks, fast, fancy = [], 0, 0
    for i, raw in enumerate(patterns):
        pattern = translate(raw)
        eng = engine.Fast()
        try:
            eng.compiled_pattern(pattern)
            fast += 1
        except Exception:  # RE2 refuses it: fall back to Python's re
            eng = engine.Fancy()
            eng.compiled_pattern(pattern)
            fancy += 1
        checks.append(
            Check(
                check_type=types.ExistenceSimple(pattern=pattern),
                path=f"privlint.p{i:04d}",
                message="privlint pattern {}",
                engine=eng,
            )
        )
    return checks, fast, fancy


def main() -> int:
    patterns_file, file_list = sys.argv[1], sys.argv[2]
    patterns = [
        line for line in Path(patterns_file).read_text().splitlines() if line
    ]
    checks, fast, fancy = build_checks(patterns)
    CheckRegistry().register_many(tuple(checks))
    config = {"max_errors": 10**9, "checks": {"privlint": True}}
    out = sys.stdout
    total = 0
    for path in Path(file_list).read_text().splitlines():
        if not path:
            continue
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
        if not text:
            continue
        results = LintFile(path, text).lint(config)
        total += len(results)
        out.write(f"{len(results)}\t{path}\n")
    print(
        f"proselint_driver: {len(checks)} checks ({fast} on RE2, {fancy} on"
        f" Python re), {total} results",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
