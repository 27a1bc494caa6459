# Shared by the command-line tests: a scratch folder $work (removed on exit),
# $err for a command's stderr, and check/ok/bad that print one line per
# check and set $fail when one fails (shown with the stderr it left).
fail=0
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
err=$work/stderr

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; [ -s "$err" ] && sed 's/^/  stderr: /' "$err"; fail=1; }
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
# refuses COMMAND FILE NAME SED_EXPRESSION MESSAGE: FILE edited by the sed
# expression is refused by `$bin COMMAND` with exit 2, the message, and no
# output directory.
refuses() {
  local command=$1 file=$2 name=$3
  sed "$4" "$file" >"$work/$name.toml"
  "$bin" "$command" "$work/$name.toml" --out "$work/out_$name" >/dev/null 2>"$err"
  check "$name: exit 2" test $? -eq 2
  check "$name: says \"$5\"" grep -qF "$5" "$err"
  check "$name: nothing written" test ! -e "$work/out_$name"
}
# killed_at FILE COMMAND...: runs COMMAND in the background and kills it
# (SIGKILL) as soon as FILE exists (or after 30 s).
killed_at() {
  local file=$1 pid
  shift
  "$@" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do [ -e "$file" ] && break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
