#!/bin/bash
# podrt beside podman 4.3.1: `ps -a` with and without the refresh of a simulated reboot, at 240 objects
# (210 containers, 20 volumes, 10 pods) and 2,310 (2,010, 200, 100); creates per second; the refresh of
# 10,000 objects. Needs root, hyperfine, and `apt-get install -y podman busybox-static`.
#
#   swift build -c release --product podrt && Benchmarks/podrt.sh [--no-podman] [--runs N]
#
# podrt runs with --machine-root, so its boot id is a file the reboot step can change: a reboot there is
# "new boot id, alive file and lock segment gone", which makes podrt refresh. podman's reboot is removing its
# alive file and /dev/shm/libpod_lock (its 4.3.1 has no boot-id check). Each side gets its own directory
# under $WORK; podman uses num_locks = 4096 and its own storage root.
set -euo pipefail

PODRT=${PODRT:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/podrt}
WORK=${WORK:-/var/tmp/podrt-bench}
RUNS=5
PODMAN=1
while [ $# -gt 0 ]; do
    case "$1" in
        --no-podman) PODMAN=0 ;;
        --runs) RUNS=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 125 ;;
    esac
    shift
done
[ -x "$PODRT" ] || { echo "no podrt at $PODRT: swift build -c release --product podrt" >&2; exit 1; }
mkdir -p "$WORK"

# --- podrt -------------------------------------------------------------------------------------------
podrt_root() { echo "$WORK/podrt-$1"; }
podrt() { local root=$1; shift; "$PODRT" --machine-root "$root" "$@"; }

podrt_setup() {  # name
    local root; root=$(podrt_root "$1")
    rm -rf "$root"
    mkdir -p "$root/proc/sys/kernel/random" "$root/usr/bin" "$root/dev/shm" "$root/run"
    cat /proc/sys/kernel/random/uuid > "$root/proc/sys/kernel/random/boot_id"
    printf '#!/bin/sh\n' > "$root/usr/bin/runc"; chmod 755 "$root/usr/bin/runc"
    mkdir -p "$root/etc/podrt"
    printf '[engine]\nnum_locks = 16384\n' > "$root/etc/podrt/containers.conf"
}

podrt_populate() {  # name containers volumes pods [parallel]
    local root; root=$(podrt_root "$1")
    local parallel=${5:-1}
    seq 1 "$3" | xargs -P "$parallel" -I{} "$PODRT" --machine-root "$root" volume create v{} > /dev/null
    seq 1 "$4" | xargs -P "$parallel" -I{} "$PODRT" --machine-root "$root" pod create --name p{} > /dev/null
    seq 1 "$2" | xargs -P "$parallel" -I{} "$PODRT" --machine-root "$root" container create --name c{} \
        -v v1:/data --rootfs /rootfs -- /bin/true > /dev/null
}

podrt_reboot() {  # root
    cat /proc/sys/kernel/random/uuid > "$1/proc/sys/kernel/random/boot_id"
    rm -rf "$1/run/podrt" "$1"/dev/shm/podrt_lock*
}

# --- podman ------------------------------------------------------------------------------------------
PODMAN_DIR="$WORK/podman"
export CONTAINERS_CONF="$PODMAN_DIR/containers.conf"
pm() { podman --root "$PODMAN_DIR/storage" --runroot "$PODMAN_DIR/runroot" "$@"; }

podman_setup() {
    pm system reset --force > /dev/null 2>&1 || true
    rm -rf "$PODMAN_DIR" /dev/shm/libpod_lock
    mkdir -p "$PODMAN_DIR/rootfs/bin" "$PODMAN_DIR/tmp"
    cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = []
[engine]
num_locks = 4096
tmp_dir = "$PODMAN_DIR/tmp"
runtime = "runc"
EOF
    cp /bin/busybox "$PODMAN_DIR/rootfs/bin/busybox"
    ln -sf busybox "$PODMAN_DIR/rootfs/bin/sh"
    ln -sf busybox "$PODMAN_DIR/rootfs/bin/true"
    tar -C "$PODMAN_DIR/rootfs" -c . | pm import - localhost/busybox > /dev/null
}

podman_populate() {  # containers volumes pods, added to what is there
    local from_v=$4 from_p=$5 from_c=$6
    for i in $(seq "$from_v" "$2"); do pm volume create "v$i" > /dev/null; done
    for i in $(seq "$from_p" "$3"); do pm pod create --infra=false --name "p$i" > /dev/null; done
    for i in $(seq "$from_c" "$1"); do pm create --name "c$i" -v v1:/data localhost/busybox /bin/true > /dev/null; done
}

podman_reboot() { rm -f "$PODMAN_DIR/tmp/alive" /dev/shm/libpod_lock; }

# --- measurements ------------------------------------------------------------------------------------
seconds() { date +%s.%N; }

measure() {  # label size
    local label=$1 size=$2 root; root=$(podrt_root "$label")
    echo "== $size objects"
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/$label-podrt.json" \
        -n "podrt ps -a" "$PODRT --machine-root $root ps -a" \
        2>&1 | grep -E "Time|Range|podrt" || true
    hyperfine --runs "$RUNS" --prepare "$(declare -f podrt_reboot); podrt_reboot $root" \
        -n "podrt ps -a + refresh" "$PODRT --machine-root $root ps -a" 2>&1 | grep -E "Time|Range" || true
    podrt "$root" system locks > /dev/null && echo "podrt system locks: clean"
    if [ "$PODMAN" = 1 ]; then
        hyperfine -N --warmup 1 --runs "$RUNS" -n "podman ps -a" \
            "podman --root $PODMAN_DIR/storage --runroot $PODMAN_DIR/runroot ps -a" 2>&1 | grep -E "Time|Range" || true
        hyperfine --runs "$RUNS" --prepare "rm -f $PODMAN_DIR/tmp/alive /dev/shm/libpod_lock" \
            -n "podman ps -a + refresh" \
            "podman --root $PODMAN_DIR/storage --runroot $PODMAN_DIR/runroot ps -a" 2>&1 | grep -E "Time|Range" || true
    fi
}

for spec in "240 210 20 10" "2310 2010 200 100"; do
    set -- $spec
    podrt_setup "n$1"
    start=$(seconds)
    podrt_populate "n$1" "$2" "$3" "$4"
    end=$(seconds)
    echo "podrt: created $1 objects one process each in $(echo "$end - $start" | bc) s:" \
        "$(echo "$1 / ($end - $start)" | bc) creates/s"
    if [ "$PODMAN" = 1 ]; then
        if [ "$1" = 240 ]; then podman_setup; podman_populate 210 20 10 1 1 1;
        else podman_populate 2010 200 100 21 11 211; fi
        echo "podman: $(pm ps -a -q | wc -l) containers, $(pm volume ls -q | wc -l) volumes, $(pm pod ls -q | wc -l) pods"
    fi
    measure "n$1" "$1"
done

echo "== 10,000 objects (9,000 containers, 700 volumes, 300 pods), podrt only"
podrt_setup n10000
podrt_populate n10000 9000 700 300 2
root=$(podrt_root n10000)
hyperfine --runs "$RUNS" --prepare "$(declare -f podrt_reboot); podrt_reboot $root" \
    -n "podrt ps -a + refresh (10,000)" "$PODRT --machine-root $root ps -a" 2>&1 | grep -E "Time|Range" || true
hyperfine -N --warmup 1 --runs "$RUNS" -n "podrt ps -a (10,000)" "$PODRT --machine-root $root ps -a" \
    2>&1 | grep -E "Time|Range" || true
hyperfine --runs "$RUNS" --prepare "$(declare -f podrt_reboot); podrt_reboot $root" \
    -n "podrt system info + refresh (10,000)" "$PODRT --machine-root $root system info" 2>&1 | grep -E "Time|Range" || true
