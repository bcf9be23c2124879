#!/bin/sh
# The SimFUSE mount against tmpfs through the kernel, side by side, on the loop of create + write 256 B +
# fsync + rename + stat (Benchmarks/fuse-loop.c), first with the scheduler free to place the server and the loop,
# then with both on CPU 0 (`bootsim mount --cpu 0`, `taskset -c 0`), where an answer needs no wake-up across
# CPUs; then reboots per second through `bootsim ctl`.
# Needs root and /dev/fuse. Usage: Benchmarks/fuse-bench.sh [ITERATIONS] [REBOOTS]
set -eu
N=${1:-20000}
R=${2:-300}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BOOTSIM=${BOOTSIM:-$HERE/.build/release/bootsim}
[ -x "$BOOTSIM" ] || (cd "$HERE" && swift build -c release --product bootsim >/dev/null)
WORK=$(mktemp -d /tmp/fuse-bench.XXXXXX)
LOOP=$WORK/fuse-loop
cc -O2 -o "$LOOP" "$HERE/Benchmarks/fuse-loop.c"
mkdir "$WORK/tmpfs" "$WORK/sim" "$WORK/host" "$WORK/pll" "$WORK/sim0" "$WORK/pll0"
# libfuse's own passthrough_ll -s, as the reference measured under the same load.
PLL_SOURCE=/usr/share/doc/libfuse3-dev/examples/passthrough_ll.c
PLL=""
if [ -f "$PLL_SOURCE" ] && cc -O2 -o "$WORK/passthrough_ll" "$PLL_SOURCE" $(pkg-config fuse3 --cflags --libs) 2>/dev/null; then
    PLL=$WORK/passthrough_ll
fi
cleanup() {
    for m in "$WORK/pll" "$WORK/pll0"; do
        grep -q " $m " /proc/mounts && { fusermount3 -u "$m" || umount -l "$m"; }
    done
    for m in "$WORK/sim" "$WORK/host" "$WORK/sim0"; do
        grep -q " $m " /proc/mounts && { "$BOOTSIM" unmount "$m" 2>/dev/null || umount -l "$m"; }
    done
    grep -q " $WORK/tmpfs " /proc/mounts && umount -l "$WORK/tmpfs"
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mount -t tmpfs bench "$WORK/tmpfs"
mkdir "$WORK/tmpfs/backing" "$WORK/tmpfs/dir" "$WORK/tmpfs/pll" "$WORK/tmpfs/pll0"
"$BOOTSIM" mount "$WORK/sim" --background
"$BOOTSIM" mount "$WORK/host" --host "$WORK/tmpfs/backing" --background

tmpfs=$("$LOOP" "$WORK/tmpfs/dir" "$N")
sim_disk=$("$LOOP" "$WORK/sim/var" "$N")
sim_tmp=$("$LOOP" "$WORK/sim/tmp" "$N")
host=$("$LOOP" "$WORK/host" "$N")
pll=""
if [ -n "$PLL" ]; then
    "$PLL" -s -o source="$WORK/tmpfs/pll" "$WORK/pll"
    pll=$("$LOOP" "$WORK/pll" "$N")
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo "loop of create + write 256 B + fsync + rename + stat, $N iterations, µs per iteration:"
echo "  tmpfs through the kernel            $tmpfs"
echo "  SimFUSE, SimFS disk region (/var)   $sim_disk  ($(ratio "$sim_disk" "$tmpfs")× tmpfs)"
echo "  SimFUSE, SimFS tmpfs region (/tmp)  $sim_tmp  ($(ratio "$sim_tmp" "$tmpfs")× tmpfs)"
echo "  SimFUSE --host over tmpfs           $host  ($(ratio "$host" "$tmpfs")× tmpfs)"
[ -n "$pll" ] && echo "  libfuse passthrough_ll -s (tmpfs)   $pll  ($(ratio "$pll" "$tmpfs")× tmpfs)"

# The same with the server and the loop on CPU 0.
"$BOOTSIM" mount "$WORK/sim0" --background --cpu 0
tmpfs0=$(taskset -c 0 "$LOOP" "$WORK/tmpfs/dir" "$N")
sim0_disk=$(taskset -c 0 "$LOOP" "$WORK/sim0/var" "$N")
sim0_tmp=$(taskset -c 0 "$LOOP" "$WORK/sim0/tmp" "$N")
pll0=""
if [ -n "$PLL" ]; then
    taskset -c 0 "$PLL" -s -o source="$WORK/tmpfs/pll0" "$WORK/pll0"
    pll0=$(taskset -c 0 "$LOOP" "$WORK/pll0" "$N")
fi
echo "the same, the server and the loop on CPU 0:"
echo "  tmpfs through the kernel            $tmpfs0"
echo "  SimFUSE, SimFS disk region (/var)   $sim0_disk  ($(ratio "$sim0_disk" "$tmpfs0")× tmpfs)"
echo "  SimFUSE, SimFS tmpfs region (/tmp)  $sim0_tmp  ($(ratio "$sim0_tmp" "$tmpfs0")× tmpfs)"
[ -n "$pll0" ] && echo "  libfuse passthrough_ll -s (tmpfs)   $pll0  ($(ratio "$pll0" "$tmpfs0")× tmpfs)"

start=$(date +%s%N)
i=0
while [ $i -lt "$R" ]; do "$BOOTSIM" ctl "$WORK/sim" reboot; i=$((i + 1)); done
end=$(date +%s%N)
echo "reboots through 'bootsim ctl DIR reboot' (one process each): $(awk -v r="$R" -v ns=$((end - start)) 'BEGIN { printf "%.0f", r / (ns / 1e9) }')/s"

# The same through the control socket from one client process (no process start per reboot).
python3 - "$WORK/sim" "$((R * 5))" <<'PY'
import socket, sys, time
mount, n = sys.argv[1], int(sys.argv[2])
h = 0xcbf29ce484222325
for b in mount.encode():
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
path = "/run/bootsim/%016x.sock" % h
start = time.time()
for _ in range(n):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall(b"reboot\0clean\0")
    s.shutdown(socket.SHUT_WR)
    answer = b""
    while chunk := s.recv(4096):
        answer += chunk
    s.close()
    assert answer.startswith(b"0\n"), answer
print("reboots through the control socket (one client): %.0f/s" % (n / (time.time() - start)))
PY
