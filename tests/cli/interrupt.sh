#!/usr/bin/env bash
# `renewsim run` interrupted or unable to write: complete output files or
# none, never a temporary file left behind; a message saying which; exit
# status 130 (SIGINT), 143 (SIGTERM), 1 (cannot write).
set -u
bin=$1
src=$2
source "$(dirname "$0")/checks.sh"
no_partials() { [ -z "$(find "$1" -name '*.partial' 2>/dev/null)" ]; }
# Starts a long run in the background, signals it after $2 seconds, waits; sets $rc.
run_and_signal() {  # run_and_signal SIGNAL DELAY OUT
  "$bin" run "$src/scenarios/default.toml" --reps 100000 --threads 2 --out "$3" >/dev/null 2>"$err" &
  local pid=$!
  sleep "$2"
  kill -s "$1" "$pid"
  wait "$pid"
  rc=$?
}

# 1. SIGINT during the run, into a directory the run created: removed again.
run_and_signal INT 1.5 "$work/new"
check "SIGINT: exit 130" test "$rc" -eq 130
check "SIGINT: says nothing was written" grep -q "^renewsim: interrupted by SIGINT; no output was written ($work/new removed)$" "$err"
check "SIGINT: the directory it created is gone" test ! -e "$work/new"

# 2. SIGTERM into an existing empty directory: left as it was.
mkdir "$work/empty"
run_and_signal TERM 1.5 "$work/empty"
check "SIGTERM: exit 143" test "$rc" -eq 143
check "SIGTERM: says nothing was written" grep -q "^renewsim: interrupted by SIGTERM; no output was written ($work/empty left as it was)$" "$err"
check "SIGTERM: the directory is still there and empty" test -d "$work/empty" -a -z "$(ls -A "$work/empty")"

# 3. Signals at spread-out moments of a short run, up to and past its end:
#    whatever the moment, all five files complete (byte-identical CSVs to an
#    uninterrupted run) or none, and the message and status agree.
cat >"$work/tiny.toml" <<'TOML'
[scenario]
end_year = 2025
[[sectors]]
name = "machinery"
firms = 200
category_mix = { machine_tools = 0.7, instruments = 0.3 }
TOML
small=(run "$work/tiny.toml" --reps 2 --threads 2 -q)
t0=$(date +%s%N)
"$bin" "${small[@]}" --out "$work/ref" 2>"$err" || bad "reference run"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
for i in 1 2 3 4 5 6 7; do
  out=$work/spread$i
  "$bin" "${small[@]}" --out "$out" 2>"$err" &
  pid=$!
  sleep "$(awk -v ms="$ms" -v i="$i" 'BEGIN { printf "%.3f", ms * i / 6 / 1000 }')"
  kill -s INT "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  n=$(ls "$out" 2>/dev/null | wc -l)
  if ! no_partials "$work"; then bad "signal at $i/6 of the run: a .partial file was left"
  elif [ "$n" -eq 0 ] && [ "$rc" -eq 130 ] && grep -q "no output was written" "$err"; then ok "signal at $i/6 of the run: no files, exit 130"
  elif [ "$n" -eq 5 ] && cmp -s "$out/targets.csv" "$work/ref/targets.csv" && cmp -s "$out/levers.csv" "$work/ref/levers.csv" && cmp -s "$out/series.csv" "$work/ref/series.csv" && cmp -s "$out/summary.csv" "$work/ref/summary.csv" &&
       [ "$(tail -c 2 "$out/manifest.json")" = "}" ] &&
       { [ "$rc" -eq 0 ] || { [ "$rc" -eq 130 ] && grep -q "holds the complete outputs" "$err"; }; }; then
    ok "signal at $i/6 of the run: complete files, exit $rc"
  else
    bad "signal at $i/6 of the run: exit $rc with $n files"; ls -la "$out" 2>/dev/null
  fi
done

# 4. A write that fails (file size limit: the same path as a full disk): exit 1,
#    the path and reason named, no file and no temporary left.
( ulimit -f 4; trap '' XFSZ; exec "$bin" "${small[@]}" --out "$work/full" ) 2>"$err"
rc=$?
check "write failure: exit 1" test "$rc" -eq 1
check "write failure: names the file and the reason" \
  grep -q "^renewsim: run failed: $work/full/.series.csv.partial: write failed: File too large; no output file was written$" "$err"
check "write failure: no output files" test -z "$(ls -A "$work/full")"
check "write failure: no temporary files" no_partials "$work/full"

# 5. ... and with --force over an earlier run's outputs: those stay as they were.
cp -r "$work/ref" "$work/old"
( ulimit -f 4; trap '' XFSZ; exec "$bin" "${small[@]}" --seed 5 --force --out "$work/old" ) 2>"$err"
check "write failure over old outputs: exit 1" test "$?" -eq 1
check "write failure over old outputs: they are unchanged" diff -r "$work/ref" "$work/old"

# 6. An output directory that cannot be made or written: exit 1 before the run.
touch "$work/file"
"$bin" "${small[@]}" --out "$work/file/sub" 2>"$err"
check "directory under a file: exit 1" test "$?" -eq 1
check "directory under a file: message" grep -q "^renewsim: run failed: $work/file/sub: cannot create the output directory: Not a directory$" "$err"
mkdir "$work/locked" && chmod a-w "$work/locked"
locked=$work/locked
if touch "$locked/probe" 2>/dev/null; then  # root ignores modes; sysfs refuses new files even to root
  rm -f "$locked/probe"
  locked=/sys/kernel
fi
if touch "$locked/probe" 2>/dev/null; then
  rm -f "$locked/probe"
  echo "skip: unwritable directory (no directory here refuses new files to this user)"
else
  "$bin" "${small[@]}" --force --out "$locked" 2>"$err"
  check "unwritable directory: exit 1" test "$?" -eq 1
  check "unwritable directory: message" grep -q "^renewsim: run failed: $locked: cannot write in the output directory: Permission denied$" "$err"
fi

exit $fail
