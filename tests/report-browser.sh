#!/usr/bin/env bash
# The HTML report in a real browser (docs/report.md). Installs Debian's
# chromium if it is missing, writes the report of a fixture policy and of
# the fixture folder (for the index), opens each headless and checks *in
# the browser* that every finding and evidence link of the scorecard goes
# to a highlighted <mark> (or, for a finding about the whole policy, to its
# note), that following it makes that mark the :target, and that every mark
# links back to a scorecard row that links to it. Then saves screenshots.
#
# It also feeds the check a report with one link broken on purpose and
# fails unless the check catches it, so a check that passes everything
# cannot go unnoticed.
#
#   PRIVLINT_BIN              privlint to run [target/release/privlint, built if missing]
#   PRIVLINT_SCREENSHOTS      where the screenshots go [target/report-browser]
#   PRIVLINT_CHROMIUM         the browser to use [chromium or chromium-browser on PATH]
#   PRIVLINT_REQUIRE_CHROMIUM 1: fail, rather than skip, when chromium cannot be installed
#   PRIVLINT_REPORT_PATHS     more policies or folders (space-separated) to check in one report
#
# Exit 0 when every check passes (or SKIPPED), 1 when one fails.
set -euo pipefail

cd "$(dirname "$0")/.."
bin=${PRIVLINT_BIN:-target/release/privlint}
shots=${PRIVLINT_SCREENSHOTS:-target/report-browser}

skip_or_fail() {
    if [ "${PRIVLINT_REQUIRE_CHROMIUM:-}" = 1 ]; then
        echo "FAILED: $1 (PRIVLINT_REQUIRE_CHROMIUM=1)" >&2
        exit 1
    fi
    echo "SKIPPED: tests/report-browser.sh: $1" >&2
    exit 0
}

find_chromium() {
    command -v chromium || command -v chromium-browser || true
}

chromium=${PRIVLINT_CHROMIUM:-$(find_chromium)}
[ -x "$chromium" ] || chromium=$(command -v "$chromium" || true)
if [ -z "$chromium" ]; then
    if [ "$(id -u)" = 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        skip_or_fail "chromium is not installed, and installing it needs root or sudo"
    fi
    echo "installing chromium with apt-get" >&2
    if ! command -v apt-get >/dev/null ||
        ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
        ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2; then
        skip_or_fail "chromium could not be installed with apt-get"
    fi
    chromium=$(find_chromium)
    [ -n "$chromium" ] || skip_or_fail "apt-get installed chromium, but it is not on PATH"
fi
echo "browser: $("$chromium" --version 2>/dev/null || echo "$chromium")" >&2

if [ ! -x "$bin" ]; then
    echo "building $bin" >&2
    cargo build --release --quiet
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$shots"
shots=$(cd "$shots" && pwd)

# Root in a container has no sandbox to drop into.
flags=(--headless --disable-gpu --no-first-run --no-default-browser-check --hide-scrollbars
    --user-data-dir="$work/profile")
[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)

# The harness loads a report in a frame and writes its verdict into its own
# page, which --dump-dom prints: the frame's load event runs before the
# harness's, and --dump-dom waits for that. Reading the frame of a file://
# page needs --allow-file-access-from-files.
harness() {
    cat >"$work/harness-$1.html" <<HTML
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>report check</title></head>
<body><pre id="verdict">NO VERDICT</pre>
<iframe id="f" src="$1.html" width="1280" height="1600" onload="check()"></iframe>
<script>
function check() {
  const out = document.getElementById('verdict');
  const problems = [];
  let d;
  try { d = document.getElementById('f').contentDocument; } catch (e) { out.textContent = 'FAIL cannot read the report: ' + e; return; }
  if (!d || !d.body) { out.textContent = 'FAIL the report did not load'; return; }
  const win = document.getElementById('f').contentWindow;
  const target = (a) => d.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
  const links = Array.from(d.querySelectorAll('table.scorecard a.to-mark, table.scorecard a.to-note'));
  let toMarks = 0, toNotes = 0, clicked = 0;
  for (const a of links) {
    const t = target(a);
    if (!t) { problems.push('scorecard link ' + a.getAttribute('href') + ' goes nowhere'); continue; }
    if (a.classList.contains('to-mark')) {
      toMarks++;
      if (t.tagName !== 'MARK') { problems.push(a.getAttribute('href') + ' is a ' + t.tagName + ', not a mark'); continue; }
      const r = t.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) problems.push('mark ' + t.id + ' is not visible');
      const bg = win.getComputedStyle(t).backgroundColor;
      if (bg === 'transparent' || bg === 'rgba(0, 0, 0, 0)') problems.push('mark ' + t.id + ' is not highlighted');
      if (!t.closest('.policy-text')) problems.push('mark ' + t.id + ' is not in the policy text');
    } else {
      toNotes++;
      if (!t.closest('.whole')) problems.push(a.getAttribute('href') + ' is not a note about the whole policy');
    }
    // Following the link lands on it, as a reader's click (or Enter)
    // would. Only the first links: Chrome drops navigations beyond about
    // 200 in 10 seconds (crbug.com/1038223), fragment ones included.
    if (clicked++ < 100) {
      a.click();
      if (d.querySelector(':target') !== t) problems.push('following ' + a.getAttribute('href') + ' does not land on it');
    }
  }
  const marks = Array.from(d.querySelectorAll('mark[id]'));
  for (const m of marks) {
    const back = m.querySelector(':scope > a.tag[href^="#"]');
    if (!back) { problems.push('mark ' + m.id + ' has no link back'); continue; }
    const row = target(back);
    if (!row || row.tagName !== 'TR') { problems.push('mark ' + m.id + ' links back to ' + back.getAttribute('href') + ', not a scorecard row'); continue; }
    if (!row.querySelector('a[href="#' + m.id + '"]')) problems.push('row ' + row.id + ' does not link to mark ' + m.id);
    if (back.tabIndex < 0) problems.push('the back link of ' + m.id + ' cannot be reached with the keyboard');
  }
  // So does every note about the whole policy.
  for (const n of d.querySelectorAll('.whole li[id]')) {
    const back = n.querySelector(':scope > a.tag[href^="#"]');
    const row = back && target(back);
    if (!row || row.tagName !== 'TR' || !row.querySelector('a[href="#' + n.id + '"]')) problems.push('note ' + n.id + ' does not link back to its row');
  }
  // Continuations of a split mark point at a mark that exists.
  for (const c of d.querySelectorAll('mark.cont')) {
    const of = d.getElementById(c.dataset.of || '');
    if (!of || of.tagName !== 'MARK') problems.push('a continuation of ' + c.dataset.of + ' has no first part');
  }
  if (toMarks === 0) problems.push('no scorecard link to a highlight at all');
  if (marks.length === 0) problems.push('no highlight at all');
  if (d.querySelectorAll('script').length) problems.push('the report has a script');
  out.textContent = problems.length
    ? 'FAIL\n' + problems.slice(0, 20).join('\n') + (problems.length > 20 ? '\n… and ' + (problems.length - 20) + ' more' : '')
    : 'PASS ' + links.length + ' scorecard links (' + toMarks + ' to highlights, ' + toNotes + ' to notes), ' + marks.length + ' highlights linking back';
}
</script></body></html>
HTML
}

# Prints the verdict for report $1 (in $work/$1.html).
verdict() {
    harness "$1"
    timeout 120 "$chromium" "${flags[@]}" --allow-file-access-from-files --virtual-time-budget=10000 \
        --dump-dom "file://$work/harness-$1.html" 2>"$work/$1.chromium.log" |
        perl -0ne 'if (m{<pre id="verdict">(.*?)</pre>}s) { $_ = $1; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g; print "$_\n" }'
}

failed=0
check_report() { # name, privlint arguments...
    local name=$1
    shift
    local code=0
    "$bin" report --no-config "$@" -o "$work/$name.html" || code=$?
    if [ "$code" -ge 2 ]; then
        echo "FAIL $name: privlint report exited $code" >&2
        failed=1
        return
    fi
    local v
    v=$(verdict "$name")
    echo "$name: $v"
    case $v in PASS*) ;; *) failed=1 ;; esac
    timeout 120 "$chromium" "${flags[@]}" --window-size=1280,1600 \
        --screenshot="$shots/$name.png" "file://$work/$name.html" 2>>"$work/$name.chromium.log" >/dev/null
    if [ -s "$shots/$name.png" ]; then
        echo "$name: screenshot $shots/$name.png ($(wc -c <"$shots/$name.png") bytes)"
    else
        echo "FAIL $name: no screenshot" >&2
        failed=1
    fi
}

check_report one tests/fixtures/report/policy.md
check_report index tests/fixtures/report
# More policies to check the same way, e.g. /work/shared/corpus/policies.
if [ -n "${PRIVLINT_REPORT_PATHS:-}" ]; then
    read -r -a extra <<<"$PRIVLINT_REPORT_PATHS"
    check_report extra "${extra[@]}"
fi

# The check must catch a broken link: the first scorecard link to a
# highlight pointed at an id that does not exist...
# And a highlight whose link back goes nowhere.
sed '0,/class="to-mark" href="#/s//class="to-mark" href="#broken-/' "$work/one.html" >"$work/broken.html"
sed -E '0,/(<mark id="[^"]*" class="[^"]*"><a class="tag" href="#)/s//\1nowhere-/' "$work/one.html" >"$work/broken-back.html"
for name in broken broken-back; do
    v=$(verdict "$name")
    case $v in
    FAIL*) echo "$name (on purpose): caught: $(echo "$v" | sed -n 2p)" ;;
    *)
        echo "FAIL the check passed a report broken on purpose ($name): $v" >&2
        failed=1
        ;;
    esac
done

if [ "$failed" = 0 ]; then
    echo "report-browser: all checks passed"
else
    echo "report-browser: FAILED" >&2
fi
exit "$failed"
