#!/usr/bin/env bash
# Numeric edge cases run end to end: a sector without firms, a region without
# firms, levers with no budget limit (0) and with a budget too small for any
# grant, a run of one year (warm-up start = end = 2023), budgets and caps of
# 1e12 RMB, the largest firm revenues allowed. Each must run (exit 0) and write
# only finite numbers.
set -u
bin=$1
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
sector='[[sectors]]
name = "machinery"
firms = 300
category_mix = { machine_tools = 0.6, instruments = 0.4 }
'
# run CASE: runs $work/CASE.toml into $work/CASE; checks exit 0 and finite values.
run() {
  local case=$1
  if ! "$bin" run "$work/$case.toml" --reps 2 --threads 2 -q --out "$work/$case" 2>"$work/$case.err"; then
    bad "$case: run failed"; cat "$work/$case.err"; return
  fi
  local nonfinite
  nonfinite=$(awk -F, 'FNR > 1 && FILENAME ~ /series/ && $5 !~ /^-?[0-9.e+-]+$/ { print FILENAME ": " $0 }
                       FNR > 1 && FILENAME ~ /summary/ { for (i = 5; i <= 8; ++i) if ($i !~ /^-?[0-9.e+-]+$/) print FILENAME ": " $0 }' \
              "$work/$case/series.csv" "$work/$case/summary.csv")
  if [ -n "$nonfinite" ]; then bad "$case: values that are not finite numbers"; echo "$nonfinite" | head -5
  else ok "$case: runs, every value finite"; fi
}
# value CASE REPLICATION YEAR METRIC: the series value ("" when absent).
value() { awk -F, -v r="$2" -v y="$3" -v m="$4" '$1 == "policy" && $2 == r && $3 == y && $4 == m { print $5 }' "$work/$1/series.csv"; }
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
positive() { awk -v v="$1" 'BEGIN { exit !(v + 0 > 0) }'; }

head='[scenario]
end_year = 2025
'
printf '%s\n%s\n[[sectors]]\nname = "empty"\nfirms = 0\ncategory_mix = { furnaces_boilers = 1 }\n' "$head" "$sector" >"$work/zero_firms_sector.toml"
run zero_firms_sector
check "zero_firms_sector: the empty sector invests nothing" test "$(value zero_firms_sector 0 2024 equipment_investment.sector.empty)" = 0
check "zero_firms_sector: the other one does" positive "$(value zero_firms_sector 0 2024 equipment_investment.sector.machinery)"

printf '%s\n[[sectors]]\nname = "empty"\nfirms = 0\ncategory_mix = { machine_tools = 1 }\n' "$head" >"$work/zero_firms_region.toml"
run zero_firms_region
check "zero_firms_region: no growth rows over a zero base" test -z "$(value zero_firms_region 0 2024 equipment_investment_growth_vs_2023)"

# budget = 0 means no limit (docs/levers.md); budget = 1 RMB can pay no grant.
printf '%s\n%s\n[[levers]]\nname = "fund"\ntype = "capital_subsidy"\nrate = 0.1\nbudget = %s\n[[levers]]\nname = "loans"\ntype = "interest_subsidy"\npoints = 0.01\nyears = 3\nbudget = %s\n' \
  "$head" "$sector" 0 0 >"$work/budget_unlimited.toml"
run budget_unlimited
check "budget_unlimited: grants are made" positive "$(value budget_unlimited 0 2024 lever.fund.granted)"
printf '%s\n%s\n[[levers]]\nname = "fund"\ntype = "capital_subsidy"\nrate = 0.1\nbudget = %s\n[[levers]]\nname = "loans"\ntype = "interest_subsidy"\npoints = 0.01\nyears = 3\nbudget = %s\n' \
  "$head" "$sector" 1 1 >"$work/budget_one_rmb.toml"
run budget_one_rmb
check "budget_one_rmb: nothing granted" test "$(value budget_one_rmb 0 2024 lever.fund.granted)" = 0 -a \
  "$(value budget_one_rmb 0 2024 lever.loans.granted)" = 0 -a "$(value budget_one_rmb 0 2024 fiscal_outlay)" = 0
check "budget_one_rmb: applications rejected" positive "$(value budget_one_rmb 0 2024 lever.fund.rejected_applications)"

printf '[scenario]\nwarmup_start_year = 2023\nend_year = 2023\n\n%s' "$sector" >"$work/one_year.toml"
run one_year
check "one_year: only 2023 is written" test "$(cut -d, -f3 "$work/one_year/series.csv" | sort -u | tr '\n' ' ')" = "2023 year "

printf '[scenario]\nend_year = 2027\n\n%s\n[[levers]]\nname = "fund"\ntype = "capital_subsidy"\nrate = 0.5\ncap = 1e12\nbudget = 1e12\npool = true\n[[levers]]\nname = "loans"\ntype = "interest_subsidy"\npoints = 0.2\nyears = 50\nbudget = 1e12\n[[levers]]\nname = "tax"\ntype = "tax"\nexpensing_unit_limit = 1e12\ncredit = 0.5\n' \
  "$sector" >"$work/budget_1e12.toml"
run budget_1e12
check "budget_1e12: grants are made" positive "$(value budget_1e12 0 2024 lever.fund.granted)"

printf '%s[population]\nrevenue_min = { small = 1e14, medium = 1e14, large = 1e14 }\nrevenue_max = { small = 1e15, medium = 1e15, large = 1e15 }\nrevenue_median = { small = 5e14, medium = 5e14, large = 5e14 }\n\n%s' \
  "$head" "$sector" >"$work/revenue_1e15.toml"
run revenue_1e15
check "revenue_1e15: capacity is positive" positive "$(value revenue_1e15 0 2024 capacity)"

exit $fail
