#!/usr/bin/env bash
# `renewsim discover` on a sweep directory made here with a known answer: on
# a 20 x 20 grid of (a, b), the target is met with probability 0.9 when
# a in [0.3, 0.7] and b >= 0.5, and 0.1 elsewhere; a third parameter c plays
# no part. The box must name a and b with those ranges and leave c alone.
#   discover.sh RENEWSIM_BINARY
set -u
bin=$1
source "$(dirname "$0")/checks.sh"
dir=$work/sweep
mkdir -p "$dir"
cat >"$dir/sweep.json" <<'JSON'
{"design": {"kind": "grid", "points": 400, "keys": ["levers.x.a", "levers.x.b", "levers.x.c"]}}
JSON
awk 'BEGIN {
  print "point,status,replications,levers.x.a,levers.x.b,levers.x.c,goal.median,goal.p05,goal.p95,goal.probability,error";
  n = 0;
  for (i = 0; i < 20; i++) for (j = 0; j < 20; j++) {
    a = i / 19; b = j / 19; c = ((i * 7 + j * 13) % 20) / 19;
    p = (a >= 0.3 && a <= 0.7 && b >= 0.5) ? 0.9 : 0.1;
    printf "%d,ok,10,%.6f,%.6f,%.6f,0,0,0,%g,\n", n++, a, b, c, p;
  }
  print "400,failed,0,0.5,0.5,0.5,,,,,the point failed";
}' >"$dir/results.csv"

"$bin" discover "$dir" --target goal --probability 0.5 --density 1 --boxes 1 >"$work/stdout" 2>"$err"
check "discover: exit 0" test $? -eq 0
check "discover: counts the points of interest (failed points left out)" grep -q "^Points where P(goal) >= 0.5: 80 of 400$" "$work/stdout"
check "discover: a box of density 1 covering every point of interest" grep -q "^box 1: coverage 1.00, density 1.00" "$work/stdout"
check "discover: a in [0.315789, 0.684211]" grep -q "^  levers.x.a in \[0.315789, 0.684211\]$" "$work/stdout"
check "discover: b in [0.526316, 1]" grep -q "^  levers.x.b in \[0.526316, 1\]$" "$work/stdout"
check "discover: c left alone" test -z "$(grep 'levers.x.c in' "$work/stdout")"
check "discover: boxes.csv names the restricted parameters" grep -q '^1,1,1,.*,levers.x.a levers.x.b,' "$dir/discover_goal_boxes.csv"
check "discover: the trajectory starts with every point" grep -q '^1,0,1,0.2,1,400,' "$dir/discover_goal_trajectory.csv"

"$bin" discover "$dir" --target goal --probability 0.5 --density 0.9 --chart -q >/dev/null 2>"$err"
check "discover --chart: exit 0" test $? -eq 0
check "discover --chart: a PNG" test "$(head -c 4 "$dir/discover_goal.png" | tail -c 3)" = "PNG"

"$bin" discover "$dir" --target gaol >/dev/null 2>"$err"
check "an unknown target: exit 2" test $? -eq 2
check "... listing the targets there are" grep -q 'no target "gaol" (targets: goal)' "$err"
"$bin" discover "$work" --target goal >/dev/null 2>"$err"
check "not a sweep's directory: exit 2" test $? -eq 2
exit "$fail"
