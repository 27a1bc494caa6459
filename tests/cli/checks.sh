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
