#!/usr/bin/env bash
# `renewsim sensitivity` on the small region: a switched-off lever's rate,
# which the model ignores, gets exactly no effect (common random numbers),
# while the city subsidy's budget moves investment and outlay; Morris and
# Sobol (Saltelli) designs; indices.csv, the chart, resume, wrong designs.
#   sensitivity.sh RENEWSIM_BINARY SOURCE_DIR
set -u
bin=$1
sweeps=$2/tests/data/sweeps
source "$(dirname "$0")/checks.sh"
# field COLUMN OUTPUT PARAMETER: one value of indices.csv
field() {
  awk -F, -v c="$1" -v o="$2" -v p="$3" 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
    $1 == o && $2 == p {print $col[c]}' "$dir/indices.csv"
}

dir=$work/morris
"$bin" sensitivity "$sweeps/morris.toml" --out "$dir" -q --chart >"$work/stdout" 2>"$err"
check "morris: exit 0" test $? -eq 0
check "morris: the ignored rate has mu* 0 for every output" \
  test -z "$(awk -F, '$2 == "levers.county_subsidy.rate" && $3 != "0"' "$dir/indices.csv")"
check "morris: ... and appears for every output" \
  test "$(grep -c ',levers.county_subsidy.rate,' "$dir/indices.csv")" -eq "$(grep -c ',levers.city_subsidy.budget,' "$dir/indices.csv")"
check "morris: the budget moves equipment investment" \
  awk -v x="$(field mu_star equipment_investment levers.city_subsidy.budget)" 'BEGIN {exit !(x > 0)}'
check "morris: the table lists the budget first" \
  test "$(grep -A1 '^equipment_investment$' "$work/stdout" | tail -1 | awk '{print $1}')" = "levers.city_subsidy.budget"
check "morris: a chart" test "$(head -c 4 "$dir/sensitivity.png" | tail -c 3)" = "PNG"
cp "$dir/indices.csv" "$work/indices_before.csv"
"$bin" sensitivity "$sweeps/morris.toml" --out "$dir" --resume -q >/dev/null 2>"$err"
check "morris: resumed when complete, the same indices" cmp -s "$dir/indices.csv" "$work/indices_before.csv"

dir=$work/saltelli
"$bin" sensitivity "$sweeps/saltelli.toml" --out "$dir" -q --bootstrap 200 >"$work/stdout" 2>"$err"
check "saltelli: exit 0" test $? -eq 0
check "saltelli: the ignored rate: S = ST = 0, intervals too" \
  test -z "$(awk -F, '$2 == "levers.county_subsidy.rate" && ($6 != "0" || $7 != "0" || $8 != "0" || $9 != "0" || $10 != "0" || $11 != "0")' "$dir/indices.csv")"
check "saltelli: the budget's total index for investment is large" \
  awk -v x="$(field total equipment_investment levers.city_subsidy.budget)" 'BEGIN {exit !(x > 0.5)}'
check "saltelli: 8 x (2 + 2) = 32 points ran" test "$(tail -n +2 "$dir/results.csv" | wc -l)" -eq 32

"$bin" sensitivity "$sweeps/grid.toml" --out "$work/grid" -q >/dev/null 2>"$err"
check "a grid sweep: exit 2" test $? -eq 2
check "... saying which designs it takes" grep -q 'sweep.design must be "morris" (screening) or "saltelli"' "$err"
check "... and writing nothing" test ! -e "$work/grid"
"$bin" sensitivity "$sweeps/morris.toml" --out "$work/m2" --outputs no_such_column -q >/dev/null 2>"$err"
check "an unknown output: exit 2" test $? -eq 2
check "... before anything runs" test ! -e "$work/m2"
exit "$fail"
