#!/usr/bin/env bash
# `renewsim sweep`: the same bytes at any thread count; a sweep killed with
# SIGKILL (even in the middle of a write) resumes without redoing or losing
# a run and ends with the outputs of an uninterrupted sweep; a failed point
# is recorded and the sweep goes on (exit 1); a directory is resumed only by
# the sweep that made it; with MPI, 2 and 3 ranks give the single process's
# outputs (after sorting).
#   sweep.sh RENEWSIM_BINARY SOURCE_DIR WITH_MPI(0|1)
set -u
bin=$1
src=$2
mpi=${3:-0}
sweeps=$src/tests/data/sweeps
source "$(dirname "$0")/checks.sh"
# Two output directories hold the same rows (each file sorted; the header stays first).
same_sorted() {
  local f
  for f in runs.csv summary.csv results.csv; do
    cmp -s <(head -1 "$1/$f"; tail -n +2 "$1/$f" | sort) <(head -1 "$2/$f"; tail -n +2 "$2/$f" | sort) || return 1
  done
}
same_bytes() {
  local f
  for f in runs.csv summary.csv results.csv; do cmp -s "$1/$f" "$2/$f" || return 1; done
}

# 1. The same bytes at 1 and 2 threads; results.csv has a row per point.
"$bin" sweep "$sweeps/grid.toml" --out "$work/t1" --threads 1 -q 2>"$err"
check "grid sweep at 1 thread: exit 0" test $? -eq 0
"$bin" sweep "$sweeps/grid.toml" --out "$work/t2" --threads 2 -q 2>"$err"
check "grid sweep at 2 threads: exit 0" test $? -eq 0
check "1 and 2 threads: byte-identical outputs" same_bytes "$work/t1" "$work/t2"
check "results.csv: one row per point (6)" test "$(tail -n +2 "$work/t1/results.csv" | wc -l)" -eq 6
check "runs.csv: rows of 12 runs" test "$(cut -d, -f1,3 "$work/t1/runs.csv" | tail -n +2 | sort -u | wc -l)" -eq 12
check "sweep.json: complete" grep -q '"status": "complete"' "$work/t1/sweep.json"

# 2. Killed with SIGKILL half-way, then cut mid-write, then resumed.
"$bin" sweep "$sweeps/slow.toml" --out "$work/whole" --threads 1 -q 2>"$err"
check "slow sweep uninterrupted: exit 0" test $? -eq 0
"$bin" sweep "$sweeps/slow.toml" --out "$work/killed" --threads 1 -q 2>"$err" &
pid=$!
for _ in $(seq 1 3000); do  # until three runs are committed
  [ -f "$work/killed/.journal" ] && [ "$(wc -l <"$work/killed/.journal")" -ge 3 ] && break
  sleep 0.01
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
lines=$(wc -l <"$work/killed/.journal")
check "killed part-way (3 to 23 commits in the journal, got $lines)" test "$lines" -ge 3 -a "$lines" -lt 24
# A kill in the middle of a commit leaves a partial row and a partial journal line.
printf '7,policy,1,2024,equipment_invest' >>"$work/killed/runs.csv"
printf 'R 7 1 999' >>"$work/killed/.journal"
"$bin" sweep "$sweeps/slow.toml" --out "$work/killed" --threads 2 --resume 2>"$err"
check "resume: exit 0" test $? -eq 0
check "resume: says what was already done" grep -q "resuming: [0-9]* points and [0-9]* runs already done" "$err"
check "resumed = uninterrupted (sorted)" same_sorted "$work/whole" "$work/killed"
check "resume redid no run (each run once in the journal)" \
  test "$(grep -c '^R' "$work/killed/.journal")" -eq 16 -a -z "$(grep '^R' "$work/killed/.journal" | cut -d' ' -f2,3 | sort | uniq -d)"
"$bin" sweep "$sweeps/slow.toml" --out "$work/killed" --resume -q 2>"$err"
check "resuming a finished sweep: nothing to do, exit 0" test $? -eq 0
check "... and nothing added" same_sorted "$work/whole" "$work/killed"

# SIGINT: exit 130, saying how to continue; the continuation completes it.
"$bin" sweep "$sweeps/slow.toml" --out "$work/int" --threads 1 -q 2>"$err" &
pid=$!
for _ in $(seq 1 3000); do
  [ -f "$work/int/.journal" ] && [ "$(wc -l <"$work/int/.journal")" -ge 2 ] && break
  sleep 0.01
done
kill -INT "$pid"
wait "$pid"
rc=$?
check "SIGINT: exit 130" test "$rc" -eq 130
check "SIGINT: says the finished runs are kept and how to continue" \
  grep -q "^renewsim: interrupted by SIGINT; every finished run is kept in $work/int; continue with: renewsim sweep '.*slow.toml' --out '$work/int' --resume$" "$err"
"$bin" sweep "$sweeps/slow.toml" --out "$work/int" --resume -q 2>"$err"
check "SIGINT then resume = uninterrupted (sorted)" same_sorted "$work/whole" "$work/int"

# 3. Only the sweep that made a directory resumes it; a used directory needs --force.
"$bin" sweep "$sweeps/slow.toml" --out "$work/killed" --resume --reps 1 -q 2>"$err"
check "resume with other arguments: exit 2" test $? -eq 2
check "... saying the sweep differs" grep -q "was made by a different sweep" "$err"
"$bin" sweep "$sweeps/grid.toml" --out "$work/t1" -q 2>"$err"
check "a used directory without --force: exit 2" test $? -eq 2
"$bin" sweep "$sweeps/grid.toml" --out "$work/none" --resume -q 2>"$err"
check "--resume where no sweep ran: exit 2" test $? -eq 2
"$bin" sweep "$sweeps/grid.toml" --out "$work/t1" --force -q 2>"$err"
check "--force starts afresh: exit 0" test $? -eq 0
check "... with the same outputs" same_bytes "$work/t1" "$work/t2"

# 4. A point that fails is recorded; the others run; exit 1 and a final line.
"$bin" sweep "$sweeps/failing.toml" --out "$work/failing" -q 2>"$err"
check "a failed point: exit 1" test $? -eq 1
check "... a final line counting it" grep -q "^renewsim: sweep done: 4 points, 1 failed, 3 runs" "$err"
check "... its row: failed, with the error" grep -q '^2,failed,0,2025-06-01,2025-01-01,.*the lever ends before it starts' "$work/failing/results.csv"
check "... the other points ran" test "$(grep -c ',ok,' "$work/failing/results.csv")" -eq 3

# 5. Adaptive replications: every point stops between min and max, in whole batches.
"$bin" sweep "$sweeps/adaptive.toml" --out "$work/adaptive" -q 2>"$err"
check "adaptive sweep: exit 0" test $? -eq 0
check "adaptive: replications in {2,4,6,8}" \
  test -z "$(tail -n +2 "$work/adaptive/results.csv" | cut -d, -f3 | grep -v -x -e 2 -e 4 -e 6 -e 8)"

# 6. A design file; the first N points of a design.
"$bin" sweep "$sweeps/table.toml" --out "$work/table" -q 2>"$err"
check "csv design: exit 0, 3 points" test $? -eq 0 -a "$(tail -n +2 "$work/table/results.csv" | wc -l)" -eq 3
"$bin" sweep "$sweeps/grid.toml" --out "$work/first2" --points 2 -q 2>"$err"
check "--points 2: exit 0" test $? -eq 0
check "--points 2: the grid's first two points" \
  cmp -s <(tail -n +2 "$work/first2/results.csv") <(sed -n 2,3p "$work/t2/results.csv")

# 7. MPI: 2 and 3 ranks give the single process's outputs.
if [ "$mpi" = 1 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  for n in 2 3; do
    mpirun -n "$n" "$bin" sweep "$sweeps/grid.toml" --out "$work/mpi$n" --threads 1 -q >/dev/null 2>"$err"
    check "mpirun -n $n: exit 0" test $? -eq 0
    check "mpirun -n $n: the single process's outputs (sorted)" same_sorted "$work/t2" "$work/mpi$n"
    check "mpirun -n $n: sweep.json counts $n ranks" grep -q "\"ranks\": $n" "$work/mpi$n/sweep.json"
  done
  mpirun -n 2 "$bin" sweep "$sweeps/failing.toml" --out "$work/mpi_failing" --threads 1 -q >/dev/null 2>"$err"
  check "mpirun -n 2, a failed point: exit 1" test $? -eq 1
  check "mpirun -n 2, a failed point: the single process's outputs" same_sorted "$work/failing" "$work/mpi_failing"
else
  echo "skipped: MPI (renewsim built without it)"
fi
exit "$fail"
