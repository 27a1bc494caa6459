#!/usr/bin/env bash
# Whole runs of `renewsim run` (never a test): median wall and CPU seconds
# (user + sys) and the peak resident memory of the whole process, for the
# national scenario's one replication and Sichuan's replications at 1 and 2
# threads. Figures go to docs/benchmarks.md.
#   bench_whole_runs.sh RENEWSIM_BINARY [REPEATS]       (default 3)
# With RENEWSIM_BENCH_LONG=1 also the national scenario with all its variants
# (about 3 minutes a run on 2 cores) and Sichuan with 100 replications (about
# half an hour on 2 cores, once).
set -euo pipefail
bin=$(realpath "$1")
repeats=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
long=${RENEWSIM_BENCH_LONG:-0}

# Median wall and CPU seconds, largest peak RSS over REPEATS runs.
measure() {  # measure LABEL COMMAND...
  local label=$1; shift
  local walls=() cpus=() rss=0 i
  for i in $(seq 1 "$repeats"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r wall user sys kib <"$work/time"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  local mw mc
  mw=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mc=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  awk -v l="$label" -v w="$mw" -v c="$mc" -v m="$rss" -v n="$repeats" \
    'BEGIN {printf "%-58s %8.2f s wall %8.2f s cpu %8.1f MiB  (median of %d)\n", l, w, c, m / 1024, n}'
}

echo "== load: $(uptime)"
cd "$root"
national=scenarios/national.toml
sichuan=scenarios/sichuan.toml
echo "== whole runs (one replication = every variant: policy, counterfactual, each new lever removed)"
measure "national, 1 replication, policy only, 2 threads" \
  "$bin" run "$national" --reps 1 --threads 2 --no-counterfactual --no-attribution --out "$work/out" -q
measure "sichuan, 8 replications, policy only, 1 thread" \
  "$bin" run "$sichuan" --reps 8 --threads 1 --no-counterfactual --no-attribution --out "$work/out" -q
measure "sichuan, 8 replications, policy only, 2 threads" \
  "$bin" run "$sichuan" --reps 8 --threads 2 --no-counterfactual --no-attribution --out "$work/out" -q
measure "sichuan, 2 replications (19 variants each), 2 threads" \
  "$bin" run "$sichuan" --reps 2 --threads 2 --out "$work/out" -q
if [ "$long" = 1 ]; then
  measure "national, 1 replication (6 variants), 2 threads" \
    "$bin" run "$national" --reps 1 --threads 2 --out "$work/out" -q
  repeats=1
  measure "sichuan, 100 replications (19 variants each), 2 threads" \
    "$bin" run "$sichuan" --reps 100 --threads 2 --out "$work/out" -q
else
  echo "(RENEWSIM_BENCH_LONG=1 adds the national run with all variants and Sichuan's 100 replications)"
fi
echo "== load: $(uptime)"
