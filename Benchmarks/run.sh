#!/bin/bash
# `podrt run --rm --rootfs DIR /bin/true` beside `podman run --rm --rootfs DIR /bin/true` (podman 4.3.1), both
# with runc on the same busybox-static rootfs, both without a network namespace (podman: --network host; podrt
# makes none). Needs root, runc, hyperfine, podman and busybox-static.
#
#   swift build -c release --product podrt --product podrt-monitor && Benchmarks/run.sh [--runs N]
#
# podman gets a containers.conf of its own: the cgroupfs manager and the file events backend (no systemd
# here), and no default ulimits (its nofile=1048576 is above this machine's hard limit, and runc then fails).
set -euo pipefail

BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release}
PODRT=${PODRT:-$BIN/podrt}
WORK=${WORK:-/var/tmp/podrt-run-bench}
RUNS=30
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 125 ;;
    esac
    shift
done
[ -x "$PODRT" ] && [ -x "$(dirname "$PODRT")/podrt-monitor" ] || {
    echo "no podrt and podrt-monitor in $(dirname "$PODRT"): swift build -c release --product podrt --product podrt-monitor" >&2
    exit 1
}

rm -rf "$WORK"
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/proc" "$WORK/rootfs/sys" "$WORK/rootfs/dev" "$WORK/podman"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for applet in sh true; do ln -s busybox "$WORK/rootfs/bin/$applet"; done
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\n' \
    > "$WORK/podman/containers.conf"

PODRT_CMD="$PODRT --root $WORK/podrt/lib --runroot $WORK/podrt/run run --rm --rootfs $WORK/rootfs /bin/true"
PODMAN_CMD="podman --root $WORK/podman/storage --runroot $WORK/podman/run run --rm --network host --rootfs $WORK/rootfs /bin/true"
export CONTAINERS_CONF="$WORK/podman/containers.conf"
$PODRT_CMD && $PODMAN_CMD  # both work, and their first-use setup is not timed

hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/run.json" -n podrt "$PODRT_CMD" -n podman "$PODMAN_CMD"
python3 - "$WORK/run.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours, theirs = results["podrt"], results["podman"]
print("RESULT run --rm /bin/true: podman median %.1f ms, podrt median %.1f ms, ratio %.2fx (means %.1f / %.1f ms, %.2fx)"
      % (theirs["median"] * 1e3, ours["median"] * 1e3, theirs["median"] / ours["median"],
         theirs["mean"] * 1e3, ours["mean"] * 1e3, theirs["mean"] / ours["mean"]))
PY
# Interleaved: podrt and podman one after the other, N times, in alternating order. The machine's speed drifts
# during hyperfine's two blocks of runs; here both sides meet the same drift.
python3 "$(dirname "$0")/interleave.py" "run --rm /bin/true" "$RUNS" "$PODRT_CMD" "$PODMAN_CMD"
# podrt's store has its own lock segment in /dev/shm, named after the store: remove it with the store.
segment=$($PODRT --root "$WORK/podrt/lib" --runroot "$WORK/podrt/run" system info | awk '/lockSegment:/ {print $2}')
rm -rf "$WORK" "$segment"
