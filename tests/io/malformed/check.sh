#!/usr/bin/env bash
# One malformed scenario or sweep file (sweep_*.toml): `renewsim validate`
# must exit 2, print nothing on stdout and exactly the lines of NAME.err on
# stderr; `renewsim run` (`renewsim sweep`) must exit 2 and leave no output
# directory behind.
#   check.sh RENEWSIM_BINARY DIR/NAME.toml
set -u
bin=$1
dir=$(dirname "$2")
name=$(basename "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir" || exit 1  # messages name the file as given: run from its folder
fail=0

"$bin" validate "$name" >"$work/stdout" 2>"$work/stderr"
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: validate exited $rc, expected 2"; fail=1; }
[ -s "$work/stdout" ] && { echo "FAIL: validate printed on stdout:"; cat "$work/stdout"; fail=1; }
if ! diff -u "${name%.toml}.err" "$work/stderr"; then
  echo "FAIL: messages differ from ${name%.toml}.err (- expected, + got)"
  fail=1
fi

command=run
case "$name" in sweep_*) command=sweep ;; esac
"$bin" "$command" "$name" --out "$work/out" -q >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: $command exited $rc, expected 2"; fail=1; }
[ -e "$work/out" ] && { echo "FAIL: $command created the output directory"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: $name"
exit "$fail"
