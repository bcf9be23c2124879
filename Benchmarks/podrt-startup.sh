#!/bin/bash
# Start-up cost of podrt's command line (issue 21, item 3): `podrt ps` on an empty store, this build beside an
# older one (the build before the change). hyperfine times all runs of one command, then all of the other, and
# this machine is shared and noisy, so the pair runs twice, in both orders, and the medians pool both.
#
#   OLD=/work/wt-cli-base/.build/release/podrt NEW=.build/release/podrt Benchmarks/podrt-startup.sh [--runs N]
#
# Each binary gets its own empty store under --machine-root (a boot id file, a stand-in runc), made by one
# untimed `ps` first, so the timed runs open an existing store and do not refresh. Output: hyperfine's report,
# then `RESULT ps (empty store): old X ms, new Y ms (medians), new/old speed Z.ZZx`.
set -euo pipefail
NEW=${NEW:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/podrt}
OLD=${OLD:?OLD=/path/to/the/old/podrt}
RUNS=200
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 125 ;;
    esac
    shift
done
for binary in "$OLD" "$NEW"; do [ -x "$binary" ] || { echo "no podrt at $binary" >&2; exit 1; }; done
WORK=$(mktemp -d /tmp/podrt-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for side in old new; do
    root=$WORK/$side
    mkdir -p "$root/proc/sys/kernel/random" "$root/usr/bin" "$root/dev/shm" "$root/run"
    cat /proc/sys/kernel/random/uuid > "$root/proc/sys/kernel/random/boot_id"
    printf '#!/bin/sh\n' > "$root/usr/bin/runc"; chmod 755 "$root/usr/bin/runc"
done
"$OLD" --machine-root "$WORK/old" ps > /dev/null
"$NEW" --machine-root "$WORK/new" ps > /dev/null
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$WORK/a.json" \
    -n old "$OLD --machine-root $WORK/old ps" -n new "$NEW --machine-root $WORK/new ps"
hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$WORK/b.json" \
    -n new "$NEW --machine-root $WORK/new ps" -n old "$OLD --machine-root $WORK/old ps"
python3 - "$WORK/a.json" "$WORK/b.json" <<'PY'
import json, statistics, sys
times = {"old": [], "new": []}
for path in sys.argv[1:]:
    for result in json.load(open(path))["results"]:
        times[result["command"]] += result["times"]
old, new = (statistics.median(times[k]) * 1000 for k in ("old", "new"))
print(f"RESULT ps (empty store): old {old:.2f} ms, new {new:.2f} ms (medians of {len(times['old'])} runs each), "
      f"new/old speed {old / new:.2f}x")
PY
