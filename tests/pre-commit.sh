#!/usr/bin/env bash
# End-to-end test of the pre-commit hook (.pre-commit-hooks.yaml).
#
# Installs pre-commit from PyPI into a throwaway virtualenv, makes a
# throwaway git repository holding one policy that should fail and one that
# should pass, and runs `pre-commit try-repo <this checkout> privlint` on
# each. try-repo builds the hook the way users get it (pre-commit's rust
# language runs `cargo install --bins --path .` on a clone of this checkout,
# committed files plus tracked or staged changes; untracked files are not
# seen).
#
# Skips (exit 0) only when pre-commit cannot be installed: no python3, no
# venv module, or PyPI unreachable. PRIVLINT_REQUIRE_PRE_COMMIT=1 turns that
# skip into a failure. Any other unexpected outcome exits non-zero.
#
# Cost: cargo install is a release build. To keep it cheap the build shares
# this checkout's target directory (CARGO_TARGET_DIR, so the dependencies
# built by `cargo build --release` are reused) and builds the privlint
# crate itself at opt-level 0, through a cargo config file in the temporary
# directory (pre-commit runs cargo from a clone below it, and cargo reads
# .cargo/config.toml from every parent of its working directory). The
# binary that cargo install leaves at target/release/privlint is replaced by
# the one that was there before. PRIVLINT_PRE_COMMIT_FULL_BUILD=1 builds
# with the unmodified release profile instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privlint-pre-commit.XXXXXX")
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$CARGO_TARGET_DIR/release/privlint"
BIN_SAVED=""

cleanup() {
  if [ -n "$BIN_SAVED" ] && [ -f "$BIN_SAVED" ]; then
    rm -f "$BIN" && cp -p "$BIN_SAVED" "$BIN" || echo "warning: could not restore $BIN" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

skip() {
  echo "SKIPPED tests/pre-commit.sh: $*"
  if [ "${PRIVLINT_REQUIRE_PRE_COMMIT:-}" = 1 ]; then
    echo "FAIL: PRIVLINT_REQUIRE_PRE_COMMIT=1 and pre-commit could not be installed" >&2
    exit 1
  fi
  exit 0
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
elapsed() { echo "$(($(date +%s) - $1))s"; }

# Things this test needs that are not pre-commit: their absence is a failure.
command -v git >/dev/null || fail "git not found"
command -v cargo >/dev/null || fail "cargo not found"
git -C "$ROOT" ls-files --error-unmatch .pre-commit-hooks.yaml >/dev/null 2>&1 ||
  fail ".pre-commit-hooks.yaml is not tracked by git in $ROOT (try-repo only sees tracked files)"

# 1. pre-commit, in a virtualenv.
t0=$(date +%s)
command -v python3 >/dev/null || skip "python3 not found, so pre-commit cannot be installed"
python3 -m venv "$WORK/venv" >"$WORK/venv.log" 2>&1 ||
  skip "python3 -m venv failed, so pre-commit cannot be installed: $(tail -n 3 "$WORK/venv.log")"
"$WORK/venv/bin/python" -m pip install --disable-pip-version-check --quiet --timeout 60 \
  'pre-commit>=3' >"$WORK/pip.log" 2>&1 ||
  skip "pip could not install pre-commit from PyPI: $(tail -n 3 "$WORK/pip.log")"
PRE_COMMIT="$WORK/venv/bin/pre-commit"
echo "installed $("$PRE_COMMIT" --version) in $(elapsed "$t0")"

# 2. The hook's `files` pattern, as pre-commit loads it, matches exactly the
#    extensions privlint looks for in folders (DEFAULT_INCLUDE in src/config.rs).
mapfile -t exts < <(sed -n '/pub const DEFAULT_INCLUDE/,/^];/p' "$ROOT/src/config.rs" | grep -o '"\*\.[a-z]*"' | tr -d '"*.')
[ "${#exts[@]}" -gt 0 ] || fail "could not read DEFAULT_INCLUDE from src/config.rs"
"$WORK/venv/bin/python" - "$ROOT/.pre-commit-hooks.yaml" "${exts[@]}" <<'EOF' || fail "the hook's files pattern does not match DEFAULT_INCLUDE"
import re, sys
from pre_commit.clientlib import load_manifest
manifest, exts = sys.argv[1], sys.argv[2:]
hooks = {h["id"]: h for h in load_manifest(manifest)}
hook = hooks["privlint"]
assert hook["language"] == "rust", hook["language"]
assert hook["pass_filenames"] is True
pattern = re.compile(hook["files"])
bad = [f"policy.{e}" for e in exts if not pattern.search(f"policy.{e}")]
bad += [f"privacy/x.{e}" for e in exts if not pattern.search(f"privacy/x.{e}")]
for name in ["main.rs", "setup.py", "Cargo.toml", "policy.yaml", "policy.md.orig", "md", "policy.pdf"]:
    if pattern.search(name):
        bad.append(f"{name} (should not match)")
if bad:
    sys.exit(f"files={hook['files']!r} gets these wrong: {bad}")
print(f"files pattern matches {' '.join(exts)} and nothing else tried")
EOF

# 3. A repository with a failing and a passing policy (invented for this test).
REPO="$WORK/policies"
mkdir -p "$REPO" "$WORK/tmp"
cat >"$REPO/bad.md" <<'EOF'
# Privacy Policy of Quill Garden

We collect your e-mail address and the journal entries you write, and we may
share them with our partners.

Quill Garden complies with the U.S.-EU Safe Harbor Framework as set forth by
the U.S. Department of Commerce regarding the collection and use of personal
information transferred from the European Union.
EOF
cat >"$REPO/good.md" <<'EOF'
# Privacy Policy of Quill Garden

_Effective 12 January 2026_

Quill Garden ("we") runs a small online plant journal. This policy says what
we collect and what you can do about it.

## Information we collect

We collect your e-mail address when you register and the journal entries you
write. Our web servers record IP addresses to protect the service from abuse.

## Sale of personal information

We do not sell your personal information to anyone.

## Your choices

You can unsubscribe from our newsletter with the link at the bottom of each
message, or opt out of marketing e-mails in your account settings.

## Retention

Journal entries are kept until you delete your account. Server logs are
deleted after 14 days and backups after 60 days.

## Children

Quill Garden is not directed to children under 13, and we do not knowingly
collect personal information from them. If we find that a child under 13 has
sent us personal information, we delete it.

## Transfers

Data sent to the United States is transferred under the EU-U.S. Data Privacy
Framework.
EOF
git -C "$REPO" init -q
git -C "$REPO" add bad.md good.md
git -C "$REPO" -c user.name=privlint-test -c user.email=test@privlint.invalid commit -q -m policies

# 4. Build settings (see the header).
if [ "${PRIVLINT_PRE_COMMIT_FULL_BUILD:-}" != 1 ]; then
  mkdir -p "$WORK/.cargo"
  cat >"$WORK/.cargo/config.toml" <<'EOF'
[profile.release.package.privlint]
opt-level = 0
debug = false
codegen-units = 16
EOF
fi
if [ -f "$BIN" ]; then
  BIN_SAVED="$WORK/privlint.saved"
  cp -p "$BIN" "$BIN_SAVED"
fi
# try-repo clones into a temporary directory: keep it below $WORK.
export TMPDIR="$WORK/tmp" PRE_COMMIT_HOME="$WORK/pre-commit-home"
unset PRE_COMMIT_COLOR
echo "cargo target directory: $CARGO_TARGET_DIR"

# try_repo FILE: runs the hook on FILE; sets RC and OUT.
try_repo() {
  OUT="$WORK/$1.out"
  local t
  t=$(date +%s)
  set +e
  (cd "$REPO" && "$PRE_COMMIT" try-repo "$ROOT" privlint --color never --verbose --files "$1") >"$OUT" 2>&1
  RC=$?
  set -e
  echo "pre-commit try-repo $ROOT privlint --files $1: exit $RC in $(elapsed "$t")"
}
expect() { # DESCRIPTION FIXED-STRING
  grep -qF -- "$2" "$OUT" || {
    cat "$OUT" >&2
    fail "$1: output lacks '$2'"
  }
}

# 5. The bad policy fails, with privlint's own exit 1 (findings, not a
#    usage error) and rustc-style plain output naming the rule.
try_repo bad.md
[ "$RC" -eq 1 ] || { cat "$OUT" >&2; fail "bad.md: pre-commit exited $RC, expected 1"; }
expect bad.md "privlint...."
expect bad.md "Failed"
expect bad.md "- exit code: 1"
expect bad.md "error[safe-harbor/eu-us-safe-harbor]"
expect bad.md " --> bad.md:6:32"
expect bad.md "error[retention/stated]"
echo "bad.md failed as expected: $(grep -c '^error\[' "$OUT") errors, $(grep -c '^warning\[' "$OUT") warnings"

# 6. The good policy passes.
try_repo good.md
[ "$RC" -eq 0 ] || { cat "$OUT" >&2; fail "good.md: pre-commit exited $RC, expected 0"; }
expect good.md "Passed"
if grep -qE '^(error|warning)\[' "$OUT"; then
  cat "$OUT" >&2
  fail "good.md passed but printed findings"
fi
echo "good.md passed as expected"
echo "pre-commit hook test passed in $(elapsed "$t0")"
