#!/usr/bin/env bash
# Show what systemd's unit-file parser makes of one single-quoted ExecStart= argument, as written by a generator.
#
#   probe-exec-arg.sh 'ARG' ...
#
# Trick: the argument is made the *executable* of a throw-away unit (prefixed with /nonexistent/), and
# `systemd-analyze verify` prints the decoded executable path in its complaint. Escapes (\t, \xNN, \NNN octal,
# \\) and specifiers (%i, %n, ... expanded as for a unit named q.service) are applied exactly as in a real unit.
# Control characters are shown by `cat -A` (^I is a TAB, M-C M-$ are the bytes of a UTF-8 character).
set -uo pipefail
export SYSTEMD_LOG_COLOR=0 LC_ALL=C
tmp=$(mktemp -d /tmp/probe-exec.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for arg in "$@"; do
    printf '[Service]\nType=oneshot\nExecStart=%s x\n' "'/nonexistent/$arg'" >"$tmp/q.service"
    out=$(cd "$tmp" && systemd-analyze verify --man=no ./q.service 2>&1)
    decoded=$(grep -m1 -o -e 'Command .* is not executable' -e 'special characters: .*' -e 'Unbalanced quoting.*' <<<"$out" |
        sed 's/^Command //; s/ is not executable$//; s/^special characters: //')
    printf '%s  =>  %s\n' "$arg" "$(cat -A <<<"${decoded#/nonexistent/}" | sed 's/\$$//')"
done
