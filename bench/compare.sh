#!/usr/bin/env bash
# Benchmarks privlint against ripgrep (with privlint's own patterns) and a
# prose linter (proselint, driven with one check per privlint pattern), and
# measures how privlint's cost grows with corpus size and rule count.
#
# Usage: bench/compare.sh [CORPUS_DIR]      (default ../shared/bench-corpus)
#
# Environment:
#   RUNS=3 WARMUP=1     hyperfine runs and warm-up runs per command
#   PROSE_MB=5          size of the subset proselint runs on (first files by sorted path)
#   SCALE_COUNTS="1000 2000 5000 10000"   corpus sizes for the scaling table
#                       (past the corpus's size, its files repeat: memory
#                       must stay flat however many documents a run reads)
#   RULES_FILES=1000    files the rule-count scaling runs on
#   STARTUP_RUNS=50     runs of the start-up timing (timed without /usr/bin/time)
#   RG_FULL=0           time ripgrep on the subset only, not the whole corpus
#   SKIP_INSTALL=1      do not install missing tools
#
# Installs what it needs when missing: ripgrep, hyperfine and GNU time from
# Debian (apt-get, as root) or ripgrep and hyperfine from crates.io (cargo
# install); proselint 0.16.0 from PyPI into a venv under target/bench-venv.
# Prints Markdown tables at the end; raw hyperfine JSON goes to
# target/bench-results/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-$root/../shared/bench-corpus}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
PROSE_MB=${PROSE_MB:-5}
SCALE_COUNTS=${SCALE_COUNTS:-"1000 2000 5000 10000"}
RULES_FILES=${RULES_FILES:-1000}
PROSELINT_VERSION=0.16.0

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 1; }

[[ -d $corpus ]] || die "corpus directory not found: $corpus"
corpus=$(cd "$corpus" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/privlint-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
results=$root/target/bench-results
mkdir -p "$results"

# ---------------------------------------------------------------- installs
have() { command -v "$1" >/dev/null 2>&1; }
install_tools() {
    local missing=()
    have rg || missing+=(ripgrep)
    have hyperfine || missing+=(hyperfine)
    [[ -x /usr/bin/time ]] || missing+=(time)
    ((${#missing[@]})) || return 0
    [[ ${SKIP_INSTALL:-} ]] && die "missing: ${missing[*]} (SKIP_INSTALL is set)"
    if [[ $(id -u) == 0 ]] && have apt-get; then
        say "installing ${missing[*]} with apt-get"
        apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2 || true
    fi
    for tool in ripgrep hyperfine; do
        local bin=$tool; [[ $tool == ripgrep ]] && bin=rg
        if ! have "$bin"; then
            say "installing $tool with cargo install"
            cargo install --locked "$tool" >&2
        fi
    done
    [[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing; install the 'time' package"
}
install_tools

venv=$root/target/bench-venv
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import proselint" 2>/dev/null; then
    [[ ${SKIP_INSTALL:-} ]] && die "proselint venv missing at $venv (SKIP_INSTALL is set)"
    say "installing proselint $PROSELINT_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "proselint==$PROSELINT_VERSION" >&2
fi
prose_version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("proselint"))')

say "building privlint (release)"
(cd "$root" && cargo build --release --locked -q)
privlint=$root/target/release/privlint
builtin_packs=coppa,opt-out,third-party-sale,retention,safe-harbor

# ---------------------------------------------------------------- inputs
# The files privlint lints in the corpus (its default include globs), sorted
# by path as privlint sorts them.
(cd "$corpus" && find . -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.mdown' \
    -o -name '*.mkd' -o -name '*.html' -o -name '*.htm' -o -name '*.xhtml' -o -name '*.txt' \
    -o -name '*.text' -o -name '*.rst' \) -not -path '*/.*' | sed 's|^\./||' | LC_ALL=C sort) \
    >"$tmp/files.txt"
nfiles=$(wc -l <"$tmp/files.txt")
((nfiles > 0)) || die "no policy files in $corpus"

bytes_of() { # list of paths relative to $corpus on stdin -> total bytes
    (cd "$corpus" && tr '\n' '\0' | xargs -0 cat | wc -c)
}
corpus_bytes=$(bytes_of <"$tmp/files.txt")

# The first N files of the corpus by sorted path; past its end, the list
# starts again (as "round K" copies, below).
first_files() { # N -> relative paths, one a line
    local n=$1
    while ((n > 0)); do
        head -n "$n" "$tmp/files.txt"
        n=$((n - nfiles))
    done
}

# A directory holding the first N files of the corpus (hard links when the
# file system allows, else copies), for subsets; a file listed again goes
# under another name, so that privlint reads it again.
subset_dir() { # N NAME -> prints the directory
    local n=$1 dir=$tmp/$2 i=0
    mkdir -p "$dir"
    first_files "$n" | while IFS= read -r f; do
        local dest=$dir/r$((i / nfiles))__${f//\//__}
        i=$((i + 1))
        ln "$corpus/$f" "$dest" 2>/dev/null || cp "$corpus/$f" "$dest"
    done
    printf '%s\n' "$dir"
}

"$privlint" rules --packs "$builtin_packs" --patterns >"$tmp/patterns.txt"
npatterns=$(wc -l <"$tmp/patterns.txt")
# ripgrep joins -f patterns into one alternation, where the same group name
# twice is an error: named groups become plain groups (same matches).
sed -E 's/\(\?P<[A-Za-z_][A-Za-z0-9_]*>/(?:/g' "$tmp/patterns.txt" >"$tmp/patterns.rg"
if ! rg -i -c -f "$tmp/patterns.rg" "$root/examples" >/dev/null 2>"$tmp/rg.err"; then
    [[ -s $tmp/rg.err ]] && die "ripgrep refuses the patterns: $(cat "$tmp/rg.err")"
fi

say "warming the page cache ($nfiles files, $((corpus_bytes / 1000000)) MB)"
bytes_of <"$tmp/files.txt" >/dev/null

# ---------------------------------------------------------------- helpers
# timeit NAME COMMAND -> "mean stddev peak-RSS-MB". hyperfine runs the
# command under GNU time, which appends each run's peak RSS to a file; the
# largest is reported (time's own cost is a fork and an exec). Raw hyperfine
# JSON is kept in $results.
timeit() {
    local name=$1 cmd=$2
    say "timing $name: $cmd"
    : >"$tmp/rss-$name"
    hyperfine -N -i --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$results/$name.json" \
        "/usr/bin/time -f %M -a -o $tmp/rss-$name $cmd" >&2
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
rss = max(int(l) for l in open(sys.argv[2]) if l.strip().isdigit())
print("%.4f %.4f %.1f" % (r["mean"], r["stddev"] or 0, rss / 1024))' \
        "$results/$name.json" "$tmp/rss-$name"
}
# Start-up is a few milliseconds, of which /usr/bin/time's own exec would
# be a sixth: timed bare, with more runs.
timeit_bare() {
    local name=$1 cmd=$2
    say "timing $name: $cmd"
    hyperfine -N -i --style basic --warmup 5 --runs "${STARTUP_RUNS:-50}" \
        --export-json "$results/$name.json" "$cmd" >&2
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (r["mean"], r["stddev"] or 0))' "$results/$name.json"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.2f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# ---------------------------------------------------------------- peers
# privlint, whole corpus
read -r t_priv sd_priv rss_priv < <(timeit privlint "$privlint check --no-config --format json $corpus")

# ripgrep, whole corpus, privlint's patterns (RG_FULL=0 skips it: ripgrep
# is slow on these patterns, and the subset row below compares it too)
if [[ ${RG_FULL:-1} != 0 ]]; then
    read -r t_rg sd_rg rss_rg < <(timeit ripgrep "rg -i -c -f $tmp/patterns.rg $corpus")
fi

# the proselint subset: first files by sorted path, PROSE_MB in all
prose_limit=$((PROSE_MB * 1000000))
: >"$tmp/prose-rel.txt"
sum=0
while IFS= read -r f; do
    ((sum >= prose_limit)) && break
    printf '%s\n' "$f" >>"$tmp/prose-rel.txt"
    sum=$((sum + $(stat -c %s "$corpus/$f")))
done <"$tmp/files.txt"
prose_files=$(wc -l <"$tmp/prose-rel.txt")
prose_bytes=$sum
sed "s|^|$corpus/|" "$tmp/prose-rel.txt" >"$tmp/prose-abs.txt"
prose_dir=$(subset_dir "$prose_files" prose)

read -r t_prose sd_prose rss_prose < <(timeit proselint \
    "$venv/bin/python $here/proselint_driver.py $tmp/patterns.txt $tmp/prose-abs.txt")
"$venv/bin/python" "$here/proselint_driver.py" "$tmp/patterns.txt" "$tmp/prose-abs.txt" 2>"$tmp/prose.err" >/dev/null
prose_note=$(cat "$tmp/prose.err")

# privlint and ripgrep on the proselint subset too, for a like-for-like ratio
read -r t_priv_sub sd_priv_sub rss_priv_sub < <(timeit privlint-subset "$privlint check --no-config --format json $prose_dir")
read -r t_rg_sub sd_rg_sub rss_rg_sub < <(timeit ripgrep-subset "rg -i -c -f $tmp/patterns.rg $prose_dir")

# ---------------------------------------------------------------- scaling
scale_rows=()
for n in $SCALE_COUNTS; do
    if ((n == nfiles)); then
        dir=$corpus t=$t_priv sd=$sd_priv rss=$rss_priv b=$corpus_bytes
    else
        dir=$(subset_dir "$n" "scale-$n")
        read -r t sd rss < <(timeit "privlint-$n" "$privlint check --no-config --format json $dir")
        b=$(first_files "$n" | bytes_of)
        rm -rf "$dir"
    fi
    label=$n
    ((n > nfiles)) && label="$n (corpus repeated)"
    scale_rows+=("| $label | $(mb "$b") | $t ± $sd | $(mbps "$b" "$t") | $rss |")
done

# ---------------------------------------------------------------- rule count
# A synthetic pack (bench/synthetic_pack.py): every built-in pattern in 9
# variants, each followed by its own made-up word, as forbid rules; with the
# built-in packs that is 10x the built-in patterns, all distinct regexes.
python3 "$here/synthetic_pack.py" "$tmp/patterns.txt" "$tmp/synthetic.yaml" 9
"$privlint" rules --packs "$builtin_packs,$tmp/synthetic.yaml" --patterns >"$tmp/patterns10.txt"
npatterns10=$(wc -l <"$tmp/patterns10.txt")
rules_n=$((RULES_FILES > nfiles ? nfiles : RULES_FILES))
if ((rules_n == nfiles)); then rules_dir=$corpus; else rules_dir=$(subset_dir "$rules_n" "rules-$rules_n"); fi
if ((rules_n == nfiles)); then rules_bytes=$corpus_bytes; else rules_bytes=$(head -n "$rules_n" "$tmp/files.txt" | bytes_of); fi
read -r t_r1 sd_r1 rss_r1 < <(timeit rules-1x "$privlint check --no-config --format json --packs $builtin_packs $rules_dir")
read -r t_r10 sd_r10 rss_r10 < <(timeit rules-10x "$privlint check --no-config --format json --packs $builtin_packs,$tmp/synthetic.yaml $rules_dir")

# ---------------------------------------------------------------- start-up
small=$root/examples/minimal-policy.txt
read -r t_start sd_start < <(timeit_bare startup "$privlint check --no-config --format json $small")

# ---------------------------------------------------------------- report
row() { # tool set bytes t sd rss
    local m; m=$(mbps "$3" "$4")
    printf '| %s | %s | %s | %s ± %s | %s | %s | %s | %s |\n' "$1" "$2" "$(mb "$3")" "$4" "$5" "$m" \
        "$(ratio "$m" "$6")" "$(ratio "$m" "$7")" "$8"
}
if [[ ${RG_FULL:-1} != 0 ]]; then rg_mbps=$(mbps "$corpus_bytes" "$t_rg"); else rg_mbps=0; fi
rg_sub_mbps=$(mbps "$prose_bytes" "$t_rg_sub")
prose_mbps=$(mbps "$prose_bytes" "$t_prose")
rg_row=""
if [[ ${RG_FULL:-1} != 0 ]]; then
    rg_row=$(row "rg -i -c -f PATTERNS" "corpus ($nfiles)" "$corpus_bytes" "$t_rg" "$sd_rg" "$rg_mbps" "-" "$rss_rg")$'\n'
fi
cat <<EOF

## privlint vs peers

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- src rules Cargo.toml Cargo.lock || echo '+dirty'), $(nproc) cores; hyperfine --warmup $WARMUP --runs $RUNS (mean ± stddev), warm page cache.
Corpus: $corpus, $nfiles files. Subset: the first $prose_files files by sorted path. $npatterns patterns. proselint $prose_version; $prose_note.
Ratios are of MB/s; "vs ripgrep" and "vs proselint" compare with the peer on the same files.$([[ ${RG_FULL:-1} == 0 ]] && echo " RG_FULL=0: ripgrep timed on the subset only.")

| tool | files | MB | mean s | MB/s | vs ripgrep | vs proselint | peak RSS MB |
|---|---|---|---|---|---|---|---|
$(row "privlint check --format json" "corpus ($nfiles)" "$corpus_bytes" "$t_priv" "$sd_priv" "$rg_mbps" "-" "$rss_priv")
${rg_row}$(row "privlint check --format json" "subset ($prose_files)" "$prose_bytes" "$t_priv_sub" "$sd_priv_sub" "$rg_sub_mbps" "$prose_mbps" "$rss_priv_sub")
$(row "rg -i -c -f PATTERNS" "subset ($prose_files)" "$prose_bytes" "$t_rg_sub" "$sd_rg_sub" "$rg_sub_mbps" "$prose_mbps" "$rss_rg_sub")
$(row "proselint $prose_version driver" "subset ($prose_files)" "$prose_bytes" "$t_prose" "$sd_prose" "$rg_sub_mbps" "$prose_mbps" "$rss_prose")

## privlint: corpus size

| files | MB | mean s | MB/s | peak RSS MB |
|---|---|---|---|---|
$(printf '%s\n' "${scale_rows[@]}")

## privlint: rule count ($rules_n files, $(mb "$rules_bytes") MB)

| patterns | mean s | MB/s | time vs built-in |
|---|---|---|---|
| $npatterns (built-in) | $t_r1 ± $sd_r1 | $(mbps "$rules_bytes" "$t_r1") | 1.00 |
| $npatterns10 (built-in + synthetic) | $t_r10 ± $sd_r10 | $(mbps "$rules_bytes" "$t_r10") | $(ratio "$t_r10" "$t_r1") |

Peak RSS: $rss_r1 MB with the built-in packs, $rss_r10 MB with the synthetic pack.

## privlint: start-up

One small policy ($(wc -c <"$small") bytes, examples/minimal-policy.txt): $(awk -v s="$t_start" -v d="$sd_start" 'BEGIN { printf "%.1f ± %.1f ms", s * 1000, d * 1000 }').
EOF
