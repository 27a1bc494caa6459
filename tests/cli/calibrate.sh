#!/usr/bin/env bash
# `renewsim calibrate`: recovers known parameters from data the model itself
# generated; the fitted scenario runs; an interrupted calibration resumes to
# the same result; MPI ranks give the single process's result; bad files are
# refused with exit 2 and nothing written.
#   calibrate.sh RENEWSIM_BINARY SOURCE_DIR WITH_MPI(0|1)
set -u
bin=$1
src=$2
with_mpi=${3:-0}
source "$(dirname "$0")/checks.sh"
data=$src/tests/data
fast=(--set scenario.end_year=2023 --set baseline_2023.calibrate=false)

# The data: 16 replications (seed 11, not the calibration's) at the true values.
"$bin" run "$data/small.toml" --reps 16 --seed 11 "${fast[@]}" --set behaviour.logit_scale=0.15 \
  --set behaviour.review_interval_days=300 --out "$work/truth" -q >/dev/null 2>"$err"
check "the data run: exit 0" test $? -eq 0
# The calibration file next to the test data (its scenario path is relative), with
# each moment's mean over the 16 replications and its standard error.
spec=$data/searches/recovery.toml
file=$work/recovery.toml
sed "s|^scenario = \"../small.toml\"|scenario = \"$data/small.toml\"|" "$spec" >"$file"
awk -F, '$1 == "policy" && $3 == 2023 { n[$4]++; s[$4] += $5; ss[$4] += $5 * $5 }
         END { split("equipment_investment projects_started replacements retrofits breakdowns", ms, " ")
               for (i = 1; i <= 5; i++) { m = ms[i]; mean = s[m] / n[m]; var = (ss[m] - n[m] * mean * mean) / (n[m] - 1)
               printf "\n[[calibrate.moments]]\nmetric = \"%s\"\nyear = 2023\nobserved = %.17g\nsd = %.17g\n",
                      m, mean, sqrt(var / n[m]) } }' "$work/truth/series.csv" >>"$file"
check "five moments from the data" test "$(grep -c '^\[\[calibrate.moments\]\]' "$file")" -eq 5

# 1. Recovery.
"$bin" calibrate "$file" --out "$work/cal" --threads 2 >"$work/stdout" 2>"$err"
check "calibrate: exit 0" test $? -eq 0
within() {  # within KEY TRUE: TRUE lies in the 95 % interval and within 10 % of the range of the fit
  awk -F, -v key="$1" -v truth="$2" -v width="$3" '$1 == key {
    found = 1; v = $2 + 0; lo = $4 + 0; hi = $5 + 0
    if (!(lo <= truth && truth <= hi && (v - truth) ^ 2 < (0.1 * width) ^ 2 && hi > lo)) exit 1 }
    END { exit !found }' "$work/cal/parameters.csv"
}
check "logit_scale 0.15 recovered (in its 95 % interval, within 10 % of the range)" within behaviour.logit_scale 0.15 0.35
check "review_interval_days 300 recovered (in its 95 % interval, within 10 % of the range)" \
  within behaviour.review_interval_days 300 450
check "fit.csv: each moment with observed, simulated and z" test "$(tail -n +2 "$work/cal/fit.csv" | wc -l)" -eq 5
check "the report prints the parameters" grep -q "^  behaviour.logit_scale " "$work/stdout"
check "evaluations.csv: every candidate (14 generations of 8)" test "$(tail -n +2 "$work/cal/evaluations.csv" | wc -l)" -eq 112
check "calibration.json: a chi-squared p-value over 3 degrees of freedom" grep -q '"degrees_of_freedom": 3' \
  "$work/cal/calibration.json"

# 2. fitted.toml is a scenario: run with it equals run of the base with the fitted values.
logit=$(awk -F, '$1 == "behaviour.logit_scale" { print $2 }' "$work/cal/parameters.csv")
review=$(awk -F, '$1 == "behaviour.review_interval_days" { print $2 }' "$work/cal/parameters.csv")
"$bin" run "$work/cal/fitted.toml" --reps 2 --seed 5 "${fast[@]}" --out "$work/run_fitted" -q >/dev/null 2>"$err"
check "run fitted.toml: exit 0" test $? -eq 0
"$bin" run "$data/small.toml" --reps 2 --seed 5 "${fast[@]}" --set "behaviour.logit_scale=$logit" \
  --set "behaviour.review_interval_days=$review" --out "$work/run_set" -q >/dev/null 2>"$err"
check "run fitted.toml: the same series as the base with --set of the fitted values" \
  cmp -s "$work/run_fitted/series.csv" "$work/run_set/series.csv"

printf '[sweep]\nscenario = "%s"\nreplications = 2\n[[parameters]]\nkey = "behaviour.credibility"\nvalues = [0.5, 1.0]\n' \
  "$work/cal/fitted.toml" >"$work/on_fitted.toml"
"$bin" validate "$work/on_fitted.toml" >/dev/null 2>"$err"
check "a sweep file takes fitted.toml as its scenario" test $? -eq 0

# 3. Killed in the middle, then resumed: the same result, byte for byte.
killed_at "$work/killed/evaluations/g004/.journal" "$bin" calibrate "$file" --out "$work/killed" --threads 2 -q
check "killed before the end (no fit.csv yet)" test ! -e "$work/killed/fit.csv"
"$bin" calibrate "$file" --out "$work/killed" --threads 1 -q >/dev/null 2>"$err"
check "a non-empty directory without --resume: exit 2" test $? -eq 2
"$bin" calibrate "$file" --out "$work/killed" --threads 1 --resume -q >/dev/null 2>"$err"
check "--resume: exit 0" test $? -eq 0
for f in fit.csv parameters.csv evaluations.csv fitted.toml; do
  check "--resume: $f as the uninterrupted calibration's" cmp -s "$work/cal/$f" "$work/killed/$f"
done
size_before=$(cat "$work"/cal/evaluations/*/runs.csv | wc -c)
"$bin" calibrate "$file" --out "$work/cal" --resume -q >/dev/null 2>"$err"
check "--resume of a finished calibration: exit 0" test $? -eq 0
check "... runs nothing again" test "$(cat "$work"/cal/evaluations/*/runs.csv | wc -c)" -eq "$size_before"
sed 's/^generations = 14/generations = 15/' "$file" >"$work/changed.toml"
"$bin" calibrate "$work/changed.toml" --out "$work/cal" --resume -q >/dev/null 2>"$err"
check "--resume with another file: exit 2" test $? -eq 2
check "... saying so" grep -q "made by another calibrate file" "$err"

# 4. MPI: two ranks give the single process's result.
if [ "$with_mpi" = 1 ] && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  mpirun -n 2 "$bin" calibrate "$file" --out "$work/mpi" --threads 1 -q >/dev/null 2>"$err"
  check "mpirun -n 2: exit 0" test $? -eq 0
  for f in fit.csv parameters.csv evaluations.csv; do
    check "mpirun -n 2: $f as the single process's" cmp -s "$work/cal/$f" "$work/mpi/$f"
  done
fi

# 5. Bad files: exit 2, the file, line and key named, nothing written.
refuses calibrate "$file" after_2023 '0,/^year = 2023/s//year = 2024/' "2024 is after 2023: calibration uses data up to 2023 only"
refuses calibrate "$file" design 's/^seed = 5/seed = 5\ndesign = "grid"/' "sweep.design: a calibrate file has no design"
refuses calibrate "$file" values_list 's/^min = 0.05/values = [0.1, 0.2]/; s/^max = 0.4//' "the calibrate search needs a range"
refuses calibrate "$file" unknown_metric '0,/^metric = "[a-z_]*"/s//metric = "projects_startd"/' 'did you mean "projects_started"'
refuses calibrate "$file" no_sd '0,/^sd = .*/s///' "sd: missing"
refuses calibrate "$file" adaptive 's/^replications = 8$//; $a [replications]\nmin = 2\nmax = 4\n[[replications.precision]]\nmetric = "cnc_rate"\nyear = 2023\nhalf_width = 0.1' \
  "needs a fixed number of replications"
printf '[sweep]\nscenario = "%s"\n[[parameters]]\nkey = "behaviour.logit_scale"\nmin = 0.1\nmax = 0.2\n' \
  "$data/small.toml" >"$work/no_table.toml"
"$bin" calibrate "$work/no_table.toml" --out "$work/out_no_table" >/dev/null 2>"$err"
check "no [calibrate]: exit 2" test $? -eq 2
check "no [calibrate]: says what is missing" grep -q "calibrate: missing" "$err"
exit "$fail"
