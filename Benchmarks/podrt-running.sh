#!/bin/bash
# `ps -a` with N containers of which M really run (runc, a monitor each: podrt-monitor / conmon), podrt beside
# podman 4.3.1, and `ps -a` with the refresh after a simulated reboot. Needs root, runc, hyperfine, podman,
# busybox-static.
#
#   swift build -c release --product podrt --product podrt-monitor && Benchmarks/podrt-running.sh \
#       [--containers N] [--running M] [--podman-containers N] [--runs R]
#
# It runs in a mount namespace of its own with a fresh tmpfs on /dev/shm and on the run directories, so podman's
# /dev/shm/libpod_lock (one per machine in 4.3.1) is its own and no other podman user's on this machine.
# Podman populates first (the slow part), then podrt; both are measured at the end, one after the other.
#
# The reboot: every container process and its monitor is killed first (a real reboot kills them), then
# - podman: its alive file and /dev/shm/libpod_lock go (4.3.1 has no boot-id check), so it refreshes;
# - podrt: the store is copied once under a --machine-root whose boot id is a file; each run gets a new boot
#   id and loses its runroot and lock segment, so it refreshes.
# Only the first refresh of each sees M containers still marked running; the later ones reset the same rows.
set -euo pipefail

BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release}
PODRT=${PODRT:-$BIN/podrt}
WORK=${WORK:-/var/tmp/podrt-running-bench}
CONTAINERS=2010 RUNNING=100 PODMAN_CONTAINERS= RUNS=5
while [ $# -gt 0 ]; do
    case "$1" in
        --containers) CONTAINERS=$2; shift ;;
        --running) RUNNING=$2; shift ;;
        --podman-containers) PODMAN_CONTAINERS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 125 ;;
    esac
    shift
done
PODMAN_CONTAINERS=${PODMAN_CONTAINERS:-$CONTAINERS}
if [ -z "${PODRT_BENCH_NS:-}" ]; then
    exec env PODRT_BENCH_NS=1 unshare -m --propagation private "$0" --containers "$CONTAINERS" \
        --running "$RUNNING" --podman-containers "$PODMAN_CONTAINERS" --runs "$RUNS"
fi

rm -rf "$WORK"
mkdir -p "$WORK"
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs "$WORK"
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/proc" "$WORK/rootfs/sys" "$WORK/rootfs/dev" "$WORK/podman/tmp"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for applet in sh true sleep; do ln -s busybox "$WORK/rootfs/bin/$applet"; done
# Persistent state on disk, not on the tmpfs.
DISK=$WORK.disk
rm -rf "$DISK"; mkdir -p "$DISK"
# podman mounts a tmpfs on each running container's userdata/shm: unmount them before removing the store.
trap 'awk -v d="$DISK/" '"'"'index($2, d) == 1 {print $2}'"'"' /proc/mounts | xargs -r umount -l; rm -rf "$DISK"' EXIT

# --- podman ------------------------------------------------------------------------------------------------
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\nnum_locks = 4096\ntmp_dir = "%s"\n' \
    "$WORK/podman/tmp" > "$WORK/podman/containers.conf"
export CONTAINERS_CONF="$WORK/podman/containers.conf"
PM="podman --root $DISK/podman --runroot $WORK/podman/run"
seconds() { date +%s.%N; }

start=$(seconds)
for i in $(seq 1 "$((PODMAN_CONTAINERS - RUNNING))"); do
    $PM create --name "c$i" --network host --rootfs "$WORK/rootfs" /bin/true > /dev/null
done
for i in $(seq 1 "$RUNNING"); do
    $PM run -d --name "r$i" --network host --rootfs "$WORK/rootfs" /bin/sleep 100000 > /dev/null
done
echo "podman: $PODMAN_CONTAINERS containers ($RUNNING running) created in $(echo "$(seconds) - $start" | bc) s;" \
    "ps -a shows $($PM ps -a -q | wc -l), $($PM ps -q | wc -l) running"

# --- podrt -------------------------------------------------------------------------------------------------
# (The podman part is slow: podrt's binaries may still be building; wait for them, at most an hour.)
for _ in $(seq 1 720); do [ -x "$PODRT" ] && [ -x "$(dirname "$PODRT")/podrt-monitor" ] && break; sleep 5; done
[ -x "$PODRT" ] && [ -x "$(dirname "$PODRT")/podrt-monitor" ] || {
    echo "no podrt and podrt-monitor in $(dirname "$PODRT"): swift build -c release --product podrt --product podrt-monitor" >&2
    exit 1
}
mkdir -p "$DISK/etc"
printf '[engine]\nnum_locks = 16384\n' > "$DISK/etc/podrt.conf"
# podman's CONTAINERS_CONF is exported above; podrt reads that variable too (as podman's config order says), so
# its commands run without it.
PR="env -u CONTAINERS_CONF $PODRT --config $DISK/etc/podrt.conf --root $DISK/podrt --runroot $WORK/podrt/run"
start=$(seconds)
seq 1 "$((CONTAINERS - RUNNING))" | xargs -I{} $PR create --name c{} --rootfs "$WORK/rootfs" /bin/true > /dev/null
for i in $(seq 1 "$RUNNING"); do $PR run -d --name "r$i" --rootfs "$WORK/rootfs" /bin/sleep 100000 > /dev/null; done
echo "podrt: $CONTAINERS containers ($RUNNING running) created in $(echo "$(seconds) - $start" | bc) s;" \
    "ps -a shows $(($($PR ps -a | wc -l) - 1)) rows, ps $(($($PR ps | wc -l) - 1))"

# --- ps -a with running containers -------------------------------------------------------------------------
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/ps.json" -n "podrt ps -a" "$PR ps -a" \
    -n "podman ps -a" "$PM ps -a" | grep -E "Time|Range|ps -a"

# The same, interleaved (one of each in turn, alternating which goes first): both meet the same drift.
python3 "$(dirname "$0")/interleave.py" "ps -a" "$RUNS" "$PR ps -a" "$PM ps -a"

# --- the reboot ------------------------------------------------------------------------------------------
# podrt's copy under a machine root, taken while the rows say running; then every process is killed.
ROOT=$DISK/machine
mkdir -p "$ROOT/proc/sys/kernel/random" "$ROOT/usr/bin" "$ROOT/dev/shm" "$ROOT$DISK" "$ROOT$WORK/podrt" "$ROOT$DISK/etc"
printf '#!/bin/sh\n' > "$ROOT/usr/bin/runc"; chmod 755 "$ROOT/usr/bin/runc"
cp "$DISK/etc/podrt.conf" "$ROOT$DISK/etc/podrt.conf"
cp -a "$DISK/podrt" "$ROOT$DISK/podrt"
PRM="env -u CONTAINERS_CONF $PODRT --machine-root $ROOT --config $DISK/etc/podrt.conf --root $DISK/podrt --runroot $WORK/podrt/run"
podrt_reboot() {
    cat /proc/sys/kernel/random/uuid > "$ROOT/proc/sys/kernel/random/boot_id"
    rm -rf "$ROOT$WORK/podrt/run" "$ROOT"/dev/shm/podrt_lock*
}
# Kill monitors first so that none records an exit: after a reboot nothing has.
for pid in $($PM ps -q | xargs $PM inspect --format '{{.State.ConmonPid}} {{.State.Pid}}'); do kill -9 "$pid"; done
for pid in $(pgrep -f "podrt-monitor.*$WORK/podrt/run" || true); do kill -9 "$pid" 2> /dev/null || true; done
for id in $(runc --root "$WORK/podrt/run/runc" list -q 2> /dev/null); do
    runc --root "$WORK/podrt/run/runc" kill "$id" KILL 2> /dev/null || true
done
hyperfine --runs "$RUNS" --export-json "$WORK/refresh.json" \
    --prepare "$(declare -f podrt_reboot); ROOT=$ROOT WORK=$WORK; podrt_reboot" -n "podrt ps -a + refresh" "$PRM ps -a" \
    --prepare "rm -f $WORK/podman/tmp/alive /dev/shm/libpod_lock" -n "podman ps -a + refresh" "$PM ps -a" \
    | grep -E "Time|Range|refresh"
$PRM system locks > /dev/null && echo "podrt system locks after the refreshes: clean"

python3 - "$WORK/ps.json" "$WORK/refresh.json" "$CONTAINERS" "$PODMAN_CONTAINERS" "$RUNNING" <<'PY'
import json, sys
for path, what in ((sys.argv[1], "ps -a"), (sys.argv[2], "ps -a + refresh")):
    r = json.load(open(path))["results"]
    ours, theirs = r[0], r[1]
    print("RESULT %s (podrt %s containers, podman %s, %s running): podman median %.1f ms, podrt median %.1f ms,"
          " ratio %.1fx" % (what, sys.argv[3], sys.argv[4], sys.argv[5], theirs["median"] * 1e3,
                            ours["median"] * 1e3, theirs["median"] / ours["median"]))
PY

# --- clean up: podman refreshed and podrt's copy refreshed; podrt's own store still has its runc state.
$PM rm -af -t 0 > /dev/null 2>&1 || true
$PR rm -af > /dev/null 2>&1 || true
umount -l "$WORK"
