#!/usr/bin/env bash
# A .docx made by a real word processor gives the same rule ids as its
# source (issue 9).
#
# Converts policies to .docx with LibreOffice (soffice --headless
# --convert-to docx): examples/outdated-policy.html (HTML: headings,
# paragraphs) and, when ../shared is beside the checkout, every seed policy
# in ../shared/seeds (.txt; LibreOffice makes each line a paragraph). Then
# runs privlint check --format json on each source and its .docx and
# compares the sets of rule ids found; any difference fails, printing both.
#
# Installs libreoffice-writer with apt-get when soffice is missing (as root,
# or with sudo). Skips (exit 0, with a SKIPPED line) only when LibreOffice
# cannot be installed; PRIVLINT_REQUIRE_LIBREOFFICE=1 makes that a failure.
# The binary is target/release/privlint (PRIVLINT_BIN overrides), built if
# missing.
set -euo pipefail

START=$(pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privlint-docx.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

skip() {
  echo "SKIPPED tests/docx-libreoffice.sh: $*"
  if [ "${PRIVLINT_REQUIRE_LIBREOFFICE:-}" = 1 ]; then
    echo "FAIL: PRIVLINT_REQUIRE_LIBREOFFICE=1 and LibreOffice could not be installed" >&2
    exit 1
  fi
  exit 0
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if ! command -v soffice >/dev/null; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || skip "soffice not found, and not root (no sudo) to install it"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null || skip "soffice not found, and no apt-get to install it"
  echo "installing libreoffice-writer with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q >"$WORK/apt.log" 2>&1 &&
    "${sudo[@]}" apt-get install -y -q --no-install-recommends libreoffice-writer >>"$WORK/apt.log" 2>&1 ||
    { tail -5 "$WORK/apt.log"; skip "apt-get could not install libreoffice-writer"; }
  command -v soffice >/dev/null || skip "libreoffice-writer installed but soffice not on PATH"
fi

BIN=${PRIVLINT_BIN:-$ROOT/target/release/privlint}
# Relative to where the script was started; it runs privlint from elsewhere.
case "$BIN" in /*) ;; *) BIN="$START/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --locked --release)
fi
if command -v jq >/dev/null; then
  rules_of() { jq -r '.files[].findings[].rule'; }
elif command -v python3 >/dev/null; then
  rules_of() {
    python3 -c 'import json,sys; print("\n".join(f["rule"] for x in json.load(sys.stdin)["files"] for f in x["findings"]))'
  }
else
  fail "neither jq nor python3 to read the JSON"
fi
# The sorted rule ids privlint finds in a file (exit 1 is findings, not a failure).
rule_ids() {
  local code=0
  "$BIN" check --format json "$1" >"$WORK/report.json" || code=$?
  [ "$code" -le 1 ] || fail "privlint exited $code on $1: $(cat "$WORK/report.json")"
  rules_of <"$WORK/report.json" | sort -u
}

# A profile of its own: no clash with a running LibreOffice or another run.
soffice=(soffice "-env:UserInstallation=file://$WORK/profile" --headless)
mkdir -p "$WORK/src" "$WORK/out"
cp "$ROOT/examples/outdated-policy.html" "$WORK/src/"
"${soffice[@]}" --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' \
  --outdir "$WORK/out" "$WORK/src/outdated-policy.html" >"$WORK/soffice.log" 2>&1 ||
  { cat "$WORK/soffice.log"; fail "soffice could not convert outdated-policy.html"; }
SEEDS="$ROOT/../shared/seeds"
if compgen -G "$SEEDS/*.txt" >/dev/null; then
  cp "$SEEDS"/*.txt "$WORK/src/"
  "${soffice[@]}" --convert-to docx --outdir "$WORK/out" "$WORK/src"/*.txt >>"$WORK/soffice.log" 2>&1 ||
    { cat "$WORK/soffice.log"; fail "soffice could not convert the seeds"; }
else
  echo "note: no ../shared/seeds; comparing the bundled example only"
fi

checked=0
failed=0
for src in "$WORK/src"/*; do
  name=$(basename "$src")
  docx="$WORK/out/${name%.*}.docx"
  [ -f "$docx" ] || fail "soffice made no $docx (log: $(cat "$WORK/soffice.log"))"
  # Run from the folder so both reports name the file alike.
  a=$(cd "$WORK/src" && rule_ids "$name")
  b=$(cd "$WORK/out" && rule_ids "$(basename "$docx")")
  checked=$((checked + 1))
  if [ "$a" = "$b" ]; then
    echo "ok   $name: $(echo "$a" | wc -w) rule ids, the same from the .docx"
  else
    failed=$((failed + 1))
    echo "DIFF $name"
    echo "  source: $(echo "$a" | tr '\n' ' ')"
    echo "  .docx:  $(echo "$b" | tr '\n' ' ')"
  fi
done
[ "$failed" = 0 ] || fail "$failed of $checked converted policies give other rule ids than their source"
echo "tests/docx-libreoffice.sh: $checked policies, the same rule ids from LibreOffice's .docx"
