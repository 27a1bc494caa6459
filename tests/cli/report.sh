#!/usr/bin/env bash
# `renewsim run --report`: the charts and report.html are written, and the
# report opens in headless Chromium with every chart loaded and no script
# error. The check is shown to fail on a broken chart and on a script error.
#   report.sh RENEWSIM_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (scripts/setup installs it)"
  exit 1
fi

# status FILE: "charts loaded errors" as the page's own script recorded them once loaded.
status() {
  HOME=$work timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-dev-shm-usage \
    --virtual-time-budget=10000 --dump-dom "file://$1" 2>/dev/null |
    sed -n 's/.*id="report-status" data-charts="\([0-9]*\)" data-loaded="\([0-9]*\)" data-errors="\([0-9]*\)".*/\1 \2 \3/p'
}

cat >"$work/region.toml" <<'TOML'
[scenario]
name = "report_test"
end_year = 2027
[[sectors]]
name = "machinery"
firms = 300
category_mix = { machine_tools = 0.6, motors_pumps = 0.2, instruments = 0.2 }
[[levers]]
name = "grant"
type = "capital_subsidy"
rate = 0.15
[[levers]]
name = "loans"
type = "loan_fund"
rate = 0.02
[[targets]]
name = "growth"
metric = "equipment_investment"
measure = "growth"
comparison = ">="
value = 0.25
year = 2027
[[targets]]
name = "cnc"
metric = "cnc_rate"
comparison = ">"
value = 0.75
year = 2027
[[targets]]
name = "five_g"
modelled = false
year = 2025
note = "outside the model"
TOML

"$bin" run "$work/region.toml" --reps 2 --threads 2 -q --report --out "$work/out" >/dev/null 2>"$work/err"
rc=$?
check "run --report exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$work/err"
check "report.html written" test -s "$work/out/report.html"
for c in target_growth.png target_cnc.png levers_induced.png fiscal_outlay.png; do
  check "chart $c written" test -s "$work/out/charts/$c"
done
check "no temporary files" test -z "$(find "$work/out" -name '.*.partial')"
check "report is self-contained (no external references)" \
  test -z "$(grep -Eo '(src|href)="(https?:|file:|/)[^"]*' "$work/out/report.html")"

read -r charts loaded errors <<<"$(status "$work/out/report.html")"
if [ -n "${charts:-}" ] && [ "$charts" -eq 4 ] && [ "$loaded" -eq "$charts" ] && [ "$errors" -eq 0 ]; then
  ok "Chromium: $loaded of $charts charts loaded, no script error"
else
  bad "Chromium: charts=${charts:-?} loaded=${loaded:-?} errors=${errors:-?}"
fi

# The check catches a chart that does not load ...
sed '0,/base64,/s//base64,AAAA/' "$work/out/report.html" >"$work/broken.html"
read -r charts loaded errors <<<"$(status "$work/broken.html")"
check "Chromium: a broken chart is noticed" test "${loaded:-4}" -lt "${charts:-0}"
# ... and a script error.
sed 's|</body>|<script>undefined_function();</script></body>|' "$work/out/report.html" >"$work/error.html"
read -r charts loaded errors <<<"$(status "$work/error.html")"
check "Chromium: a script error is noticed" test "${errors:-0}" -ge 1

# The same report from the Python script on its own.
rm -rf "$work/out/charts" "$work/out/report.html"
check "analysis/report.py alone" /usr/bin/python3 "$src/analysis/report.py" "$work/out" --quiet
check "analysis/report.py wrote report.html" test -s "$work/out/report.html"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
