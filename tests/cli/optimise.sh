#!/usr/bin/env bash
# `renewsim optimise`: the cheapest capital-subsidy budget and cap that make
# the subsidy support at least 40 projects in 2026 with probability 0.8
# (tests/data/searches/cheapest_budget.toml). The package reported meets the
# target on fresh replications and is the cheapest of those that do; the
# trade-off curve rises in both cost and probability; best.toml runs; an
# interrupted search resumes to the same result; MPI ranks agree; bad files
# are refused with exit 2.
#   optimise.sh RENEWSIM_BINARY SOURCE_DIR WITH_MPI(0|1)
set -u
bin=$1
src=$2
with_mpi=${3:-0}
source "$(dirname "$0")/checks.sh"
data=$src/tests/data
file=$work/cheapest_budget.toml
sed "s|^scenario = \"../optimise_policy.toml\"|scenario = \"$data/optimise_policy.toml\"|" \
  "$data/searches/cheapest_budget.toml" >"$file"

"$bin" optimise "$file" --out "$work/opt" --threads 2 >"$work/stdout" 2>"$err"
check "optimise: exit 0 (a package meets the target)" test $? -eq 0
best_cost=$(awk -F, '$1 == "reevaluation" && $4 == "ok" && $(NF - 1) == "true" { print $(NF - 2) }' \
  "$work/opt/candidates.csv" | sort -g | head -1)
check "the best package's re-evaluation meets P >= 0.8" grep -q '"probability": 1\|"probability": 0\.[89]' \
  "$work/opt/optimisation.json"
check "the best is the cheapest re-evaluated package that meets it" \
  grep -q "\"cost\": $best_cost," "$work/opt/optimisation.json"
check "re-evaluated on 12 fresh replications" \
  test "$(awk -F, '$1 == "reevaluation" { print $7 }' "$work/opt/candidates.csv" | sort -u)" = 12
check "three packages re-evaluated" test "$(grep -c '^reevaluation,' "$work/opt/candidates.csv")" -eq 3
check "36 candidates searched (6 generations of 6)" test "$(grep -c '^search,' "$work/opt/candidates.csv")" -eq 36
# Much cheaper than the whole range's most generous package (budget 1e8 a year, about 2.9e8 over 2024-2026).
check "the best costs far less than the largest budget" awk -v c="$best_cost" 'BEGIN { exit !(c > 0 && c < 1.5e8) }'
check "the trade-off rises in cost and in probability" awk -F, '
  NR > 1 && $1 == "search" { if (n++ && !($2 > cost && $3 > p)) bad = 1; cost = $2; p = $3 }
  END { exit bad || n < 2 }' "$work/opt/tradeoff.csv"
check "the report marks the best" grep -q "<- best" "$work/stdout"
"$bin" run "$work/opt/best.toml" --reps 2 --set population.scale=0.3 --out "$work/run_best" -q >/dev/null 2>"$err"
check "run best.toml: exit 0" test $? -eq 0

# Killed, then resumed: the same outputs.
killed_at "$work/killed/evaluations/g002/.journal" "$bin" optimise "$file" --out "$work/killed" --threads 2 -q
"$bin" optimise "$file" --out "$work/killed" --threads 1 --resume -q >/dev/null 2>"$err"
check "--resume: exit 0" test $? -eq 0
for f in candidates.csv tradeoff.csv best.toml; do
  check "--resume: $f as the uninterrupted search's" cmp -s "$work/opt/$f" "$work/killed/$f"
done

if [ "$with_mpi" = 1 ] && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  mpirun -n 2 "$bin" optimise "$file" --out "$work/mpi" --threads 1 -q >/dev/null 2>"$err"
  check "mpirun -n 2: exit 0" test $? -eq 0
  for f in candidates.csv tradeoff.csv; do
    check "mpirun -n 2: $f as the single process's" cmp -s "$work/opt/$f" "$work/mpi/$f"
  done
fi

# A series metric as the cost: one lever's outlay summed over the assessment years.
sed 's/^probability = 0.8/probability = 0.8\ncost = "lever.city_subsidy.outlay"/; s/^generations = 6/generations = 1/' \
  "$file" >"$work/lever_cost.toml"
"$bin" optimise "$work/lever_cost.toml" --out "$work/lever_cost" -q >/dev/null 2>"$err"
check "cost = a lever's outlay: runs" test -s "$work/lever_cost/candidates.csv"
check "... candidate 0's cost is the sum of its yearly mean outlays from 2024" awk -F, -v FS=, '
  FILENAME ~ /summary/ && $1 == 0 && $2 == "policy" && $3 >= 2024 && $4 == "lever.city_subsidy.outlay" { sum += $6 }
  FILENAME ~ /candidates/ && $1 == "search" && $3 == 0 { cost = $(NF - 2) }
  END { exit !(sum > 0 && (cost - sum) ^ 2 < (1e-9 * sum) ^ 2) }' \
  "$work/lever_cost/evaluations/g000/summary.csv" "$work/lever_cost/candidates.csv"

# A target no package in the ranges meets: exit 1, with the trade-off still written.
sed 's/^max = 1e8/max = 2e6/' "$file" >"$work/too_little.toml"
"$bin" optimise "$work/too_little.toml" --out "$work/too_little" -q >"$work/stdout" 2>"$err"
check "no package meets it: exit 1" test $? -eq 1
check "... says so" grep -q "^No package evaluated meets P(supported) >= 0.8" "$work/stdout"
check "... and writes the trade-off" test -s "$work/too_little/tradeoff.csv"
check "... and no best.toml" test ! -e "$work/too_little/best.toml"
cp "$work/opt/best.toml" "$work/too_little/best.toml"
"$bin" optimise "$work/too_little.toml" --out "$work/too_little" --force -q >/dev/null 2>"$err"
check "--force: an old best.toml does not stay beside the new result" test ! -e "$work/too_little/best.toml"

refuses optimise "$file" unknown_target 's/^target = "supported"/target = "suported"/' 'did you mean "supported"'
refuses optimise "$file" net_cost 's/^target = "supported"/target = "supported"\ncost = "net_fiscal_cost"/' "needs sweep.counterfactual = true"
refuses optimise "$file" cost_name 's/^target = "supported"/target = "supported"\ncost = "outlay"/' "optimise.cost"
refuses optimise "$file" probability 's/^probability = 0.8/probability = 1/' "between 0 and 1"
refuses optimise "$file" population 's/^population = 6/population = 1/' "at least 2"
exit "$fail"
