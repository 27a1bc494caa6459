#!/usr/bin/env bash
# Exit codes and messages of the renewsim binary: 0 ok, 2 bad usage.
set -u
bin=$1
fail=0
expect() {  # expect CODE DESCRIPTION -- ARGS...
  local want=$1 what=$2; shift 3
  "$bin" "$@" >/tmp/renewsim_cli_out.$$ 2>/tmp/renewsim_cli_err.$$
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; cat /tmp/renewsim_cli_err.$$; fail=1
  else
    echo "ok: $what"
  fi
}
expect 0 "--help" -- --help
grep -q "Examples:" /tmp/renewsim_cli_out.$$ || { echo "FAIL: --help shows no examples"; fail=1; }
expect 0 "--version" -- --version
grep -Eq "^renewsim [0-9]+\.[0-9]+\.[0-9]+ \(git [^)]+\)$" /tmp/renewsim_cli_out.$$ ||
  { echo "FAIL: --version format: $(cat /tmp/renewsim_cli_out.$$)"; fail=1; }
expect 2 "unknown option" -- --no-such-option
[ "$(wc -l </tmp/renewsim_cli_err.$$)" -eq 1 ] || { echo "FAIL: usage error is not one line"; fail=1; }
grep -q "^renewsim: error:" /tmp/renewsim_cli_err.$$ || { echo "FAIL: usage error message"; fail=1; }
expect 2 "unknown subcommand" -- no-such-command
rm -f /tmp/renewsim_cli_out.$$ /tmp/renewsim_cli_err.$$
exit $fail
