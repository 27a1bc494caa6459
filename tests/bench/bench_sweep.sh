#!/usr/bin/env bash
# Sweep benchmarks (never a test): throughput in runs per second of a
# regional sweep at 1 and 2 threads and at 1, 2 and 3 MPI ranks (one thread
# each), and the peak memory of a 10 000-point sweep against its first 1 000
# points. Whole-process wall times; figures go to docs/benchmarks.md.
#   bench_sweep.sh RENEWSIM_BINARY [REPEATS]
set -euo pipefail
bin=$(realpath "$1")
repeats=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

# Median wall seconds and peak RSS (KiB, the largest process) of a command.
measure() {  # measure LABEL RUNS COMMAND...
  local label=$1 runs=$2; shift 2
  local walls=() rss=0 i
  for i in $(seq 1 "$repeats"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r wall kib <"$work/time"
    walls+=("$wall")
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  awk -v l="$label" -v w="$median" -v r="$runs" -v m="$rss" \
    'BEGIN {printf "%-34s %8.2f s %8.2f runs/s %8.1f MiB\n", l, w, r / w, m / 1024}'
}

sweep=$here/sweeps/liaocheng_throughput.toml
runs=32
echo "== sweep throughput: $sweep ($runs runs, median of $repeats)"
measure "1 process, 1 thread" $runs "$bin" sweep "$sweep" --out "$work/out" -q --threads 1
measure "1 process, 2 threads" $runs "$bin" sweep "$sweep" --out "$work/out" -q --threads 2
if command -v mpirun >/dev/null && ldd "$bin" | grep -q libmpi; then
  for n in 1 2 3; do
    measure "mpirun -n $n, 1 thread per rank" $runs mpirun -n "$n" "$bin" sweep "$sweep" --out "$work/out" -q --threads 1
  done
else
  echo "(MPI: renewsim built without it)"
fi

tiny=$here/sweeps/tiny_10000.toml
echo "== memory of a long sweep: $tiny (1 thread, one run)"
repeats=1
measure "first 1 000 points" 1000 "$bin" sweep "$tiny" --out "$work/out" -q --threads 1 --points 1000
measure "all 10 000 points" 10000 "$bin" sweep "$tiny" --out "$work/out" -q --threads 1
