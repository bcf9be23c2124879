#!/usr/bin/env bash
# Run `systemd-analyze verify` over the units a recording holds, and print what it says.
#
#   verify-units.sh [--tree expected|systemd] [CASE...]
#
# Each case's normal/ tree is copied to a temporary directory (the unit files' directory is then part of the
# unit search path, so drop-ins and the symlinked units load as they would from /run/systemd/generator), and every
# *.service and *.mount file in it is verified with `systemd-analyze verify --man=no`. Prints "ok CASE" or
# "INVALID CASE" followed by systemd-analyze's output. Exit 1 if any case has an invalid unit.
set -uo pipefail
export LC_ALL=C SYSTEMD_LOG_COLOR=0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tree=expected
if [[ ${1:-} == --tree ]]; then tree=$2; shift 2; fi
cases=("$@")
if ((${#cases[@]} == 0)); then for d in "$HERE"/*/"$tree"; do cases+=("$(basename "$(dirname "$d")")"); done; fi
bad=0
for c in "${cases[@]}"; do
    [[ -d $c ]] || c="$HERE/$c"
    src="$c/$tree/normal"
    [[ -d $src ]] || continue
    tmp=$(mktemp -d /tmp/verify-units.XXXXXX)
    cp -a "$src/." "$tmp/"
    mapfile -d '' units < <(find "$tmp" -maxdepth 1 -type f \( -name '*.service' -o -name '*.mount' \) -print0 | sort -z)
    out=""
    if ((${#units[@]})); then
        out=$(cd "$tmp" && systemd-analyze verify --man=no "${units[@]}" 2>&1) || true
    fi
    rm -rf "$tmp"
    # systemd-analyze's own environment noise is not about the units.
    out=$(grep -v -e '^$' <<<"$out" | sed "s|$tmp/||g")
    if [[ -n $out ]]; then
        echo "INVALID $(basename "$c")"; sed 's/^/    /' <<<"$out"; bad=1
    else
        echo "ok      $(basename "$c")"
    fi
done
exit $bad
