#!/usr/bin/env bash
# The renewsim binary end to end: exit codes (0 ok, 2 bad usage or input),
# messages, and the files a run writes.
set -u
bin=$1
src=$2
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/stdout
err=$work/stderr

expect() {  # expect CODE DESCRIPTION -- ARGS...
  local want=$1 what=$2; shift 3
  "$bin" "$@" >"$out" 2>"$err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; cat "$err"; fail=1
  else
    echo "ok: $what"
  fi
}
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

expect 0 "--help" -- --help
check "--help shows examples" grep -q "Examples:" "$out"
expect 0 "run --help" -- run --help
check "run --help shows an example" grep -q "renewsim run scenarios/default.toml" "$out"
expect 0 "--version" -- --version
check "--version names version and git revision" grep -Eq "^renewsim [0-9]+\.[0-9]+\.[0-9]+ \(git [^)]+\)$" "$out"
expect 2 "unknown option" -- --no-such-option
check "usage error is one line" test "$(wc -l <"$err")" -eq 1
check "usage error message" grep -q "^renewsim: error:" "$err"
expect 2 "unknown subcommand" -- no-such-command
expect 2 "missing scenario file" -- run "$work/none.toml"

# A bad scenario: every error reported with file:line:column and key path, nothing written.
cat >"$work/bad.toml" <<'TOML'
[scenario]
end_yaer = 2030
replications = -3

[[sectors]]
name = "x"
firms = 10
category_mix = { machine_tools = -1.5 }
TOML
expect 2 "bad scenario" -- run "$work/bad.toml" --out "$work/bad_out"
check "unknown key with suggestion" grep -q 'bad.toml:2:1: scenario.end_yaer: unknown key (did you mean "end_year"?)' "$err"
check "out-of-range value" grep -q "bad.toml:3:16: scenario.replications: value -3 is out of range" "$err"
check "range in a nested table" grep -q "bad.toml:8:34: sectors\[0\].category_mix.machine_tools: value -1.5 is out of range" "$err"
check "nothing written for a bad scenario" test ! -e "$work/bad_out"
expect 2 "validate a bad scenario" -- validate "$work/bad.toml"
check "validate reports every error" test "$(grep -c 'bad.toml:' "$err")" -ge 3
expect 0 "validate the shipped scenarios" -- validate "$src/scenarios/default.toml" "$src/tests/data/small.toml"
check "validate says ok" grep -q "default.toml: ok (18044 firms" "$out"

# A real run of the small scenario.
expect 0 "run small scenario" -- run "$src/tests/data/small.toml" --reps 2 --threads 2 --out "$work/run" -q
for f in series.csv summary.csv targets.csv levers.csv manifest.json; do check "run wrote $f" test -s "$work/run/$f"; done
check "series header" test "$(head -1 "$work/run/series.csv")" = "variant,replication,year,metric,value"
check "summary header" test "$(head -1 "$work/run/summary.csv")" = "variant,year,metric,replications,mean,p05,p50,p95"
check "no partial files left" test -z "$(ls -A "$work/run" | grep partial)"
check "manifest names the seed" grep -q '"seed": 99' "$work/run/manifest.json"
expect 2 "non-empty output directory without --force" -- run "$src/tests/data/small.toml" --reps 1 --out "$work/run" -q
check "refusal explains --force" grep -q "use --force" "$err"
expect 0 "--force overwrites" -- run "$src/tests/data/small.toml" --reps 1 --out "$work/run" -q --force
exit $fail
