#!/bin/sh
# The SimFUSE mount against libfuse's own passthrough_ll -s and tmpfs, side by side in one run, on the loop of
# create + write 256 B + fsync + rename + stat (Benchmarks/fuse-loop.c). ROUNDS rounds, each running every
# setup once in turn (so load changes hit them alike); medians and ratios at the end. Setups:
#   unpinned       the scheduler places the server and the loop;
#   one CPU        server and loop both on CPU 0 (`bootsim mount --cpu 0`, `taskset -c 0`);
#   two CPUs       server on CPU 1, loop on CPU 0;
# and `bootsim mount --spin 100` (the server polls 100 µs for the next request before sleeping) where the
# server has a CPU of its own, and `bootsim mount --server-permissions` (no default_permissions: the server
# checks permissions, and the kernel sends no GETATTR to refresh modes) unpinned and on one CPU. Then the FUSE requests per loop (the server's counters in `ctl status`, and
# passthrough_ll -d's log), and reboots per second through `bootsim ctl`.
# Needs root and /dev/fuse. Usage: Benchmarks/fuse-bench.sh [ITERATIONS] [REBOOTS] [ROUNDS]
set -eu
N=${1:-10000}
R=${2:-300}
ROUNDS=${3:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BOOTSIM=${BOOTSIM:-$HERE/.build/release/bootsim}
[ -x "$BOOTSIM" ] || (cd "$HERE" && swift build -c release --product bootsim >/dev/null)
WORK=$(mktemp -d /tmp/fuse-bench.XXXXXX)
LOOP=$WORK/fuse-loop
cc -O2 -o "$LOOP" "$HERE/Benchmarks/fuse-loop.c"
PLL_SOURCE=/usr/share/doc/libfuse3-dev/examples/passthrough_ll.c
PLL=$WORK/passthrough_ll
cc -O2 -o "$PLL" "$PLL_SOURCE" $(pkg-config fuse3 --cflags --libs)
SIMS="sim simspin sim0 sim1 sim1spin simperm simperm0"
PLLS="pll pll0 pll1 pllcount"
cleanup() {
    for m in $PLLS; do
        grep -q " $WORK/$m " /proc/mounts && { fusermount3 -u "$WORK/$m" || umount -l "$WORK/$m"; }
    done
    for m in $SIMS; do
        grep -q " $WORK/$m " /proc/mounts && { "$BOOTSIM" unmount "$WORK/$m" 2>/dev/null || umount -l "$WORK/$m"; }
    done
    grep -q " $WORK/tmpfs " /proc/mounts && umount -l "$WORK/tmpfs"
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mkdir "$WORK/tmpfs"
for m in $SIMS $PLLS; do mkdir "$WORK/$m"; done
mount -t tmpfs bench "$WORK/tmpfs"
mkdir "$WORK/tmpfs/dir"
for m in $PLLS; do mkdir "$WORK/tmpfs/$m"; done
"$BOOTSIM" mount "$WORK/sim" --background
"$BOOTSIM" mount "$WORK/simspin" --background --spin 100
"$BOOTSIM" mount "$WORK/sim0" --background --cpu 0
"$BOOTSIM" mount "$WORK/sim1" --background --cpu 1
"$BOOTSIM" mount "$WORK/sim1spin" --background --cpu 1 --spin 100
"$BOOTSIM" mount "$WORK/simperm" --background --server-permissions
"$BOOTSIM" mount "$WORK/simperm0" --background --server-permissions --cpu 0
"$PLL" -s -o source="$WORK/tmpfs/pll" "$WORK/pll"
taskset -c 0 "$PLL" -s -o source="$WORK/tmpfs/pll0" "$WORK/pll0"
taskset -c 1 "$PLL" -s -o source="$WORK/tmpfs/pll1" "$WORK/pll1"

# name|command: each setup's loop, in the order run within a round.
SETUPS="tmpfs|$LOOP $WORK/tmpfs/dir $N
pll|$LOOP $WORK/pll $N
sim|$LOOP $WORK/sim/var $N
simtmp|$LOOP $WORK/sim/tmp $N
simspin|$LOOP $WORK/simspin/var $N
simperm|$LOOP $WORK/simperm/var $N
tmpfs0|taskset -c 0 $LOOP $WORK/tmpfs/dir $N
pll0|taskset -c 0 $LOOP $WORK/pll0 $N
sim0|taskset -c 0 $LOOP $WORK/sim0/var $N
simperm0|taskset -c 0 $LOOP $WORK/simperm0/var $N
pll1|taskset -c 0 $LOOP $WORK/pll1 $N
sim1|taskset -c 0 $LOOP $WORK/sim1/var $N
sim1spin|taskset -c 0 $LOOP $WORK/sim1spin/var $N"
RESULTS=$WORK/results
: > "$RESULTS"
round=1
while [ $round -le "$ROUNDS" ]; do
    echo "$SETUPS" | while IFS='|' read -r name command; do
        echo "$name $($command)" >> "$RESULTS"
    done
    round=$((round + 1))
done
median() { awk -v n="$1" '$1 == n { print $2 }' "$RESULTS" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
all() { awk -v n="$1" '$1 == n { printf "%s ", $2 }' "$RESULTS"; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.2f", a / b }'; }
line() { printf '  %-44s %8s µs  %5s× passthrough_ll  %6s× tmpfs   (runs: %s)\n' "$2" "$(median "$1")" "$(ratio "$1" "$3")" "$(ratio "$1" "$4")" "$(all "$1")"; }
echo "loop of create + write 256 B + fsync + rename + stat, $N iterations, $ROUNDS rounds, median µs per iteration:"
echo "unpinned:"
line tmpfs "tmpfs through the kernel" pll tmpfs
line pll "libfuse passthrough_ll -s over tmpfs" pll tmpfs
line sim "SimFUSE, SimFS disk region (/var)" pll tmpfs
line simtmp "SimFUSE, SimFS tmpfs region (/tmp)" pll tmpfs
line simspin "SimFUSE --spin 100, /var" pll tmpfs
line simperm "SimFUSE --server-permissions, /var" pll tmpfs
echo "one CPU (server and loop on CPU 0):"
line tmpfs0 "tmpfs through the kernel" pll0 tmpfs0
line pll0 "libfuse passthrough_ll -s over tmpfs" pll0 tmpfs0
line sim0 "SimFUSE --cpu 0, /var" pll0 tmpfs0
line simperm0 "SimFUSE --server-permissions --cpu 0, /var" pll0 tmpfs0
echo "two CPUs (server on CPU 1, loop on CPU 0):"
line pll1 "libfuse passthrough_ll -s over tmpfs" pll1 tmpfs0
line sim1 "SimFUSE --cpu 1, /var" pll1 tmpfs0
line sim1spin "SimFUSE --cpu 1 --spin 100, /var" pll1 tmpfs0

# FUSE requests per loop: ours from the server's counters, passthrough_ll's from its debug log.
requests() { "$BOOTSIM" ctl "$1" status | awk '/^requests: / { print $2 }'; }
C=1000
before=$(requests "$WORK/sim")
"$LOOP" "$WORK/sim/var" $C > /dev/null
after=$(requests "$WORK/sim")
echo "FUSE requests per loop (over $C loops):"
echo "  SimFUSE                   $(awk -v a="$before" -v b="$after" -v c=$C 'BEGIN { printf "%.2f", (b - a) / c }')  ($("$BOOTSIM" ctl "$WORK/sim" status | grep '^requests: '))"
before=$(requests "$WORK/simperm")
"$LOOP" "$WORK/simperm/var" $C > /dev/null
after=$(requests "$WORK/simperm")
echo "  SimFUSE --server-permissions $(awk -v a="$before" -v b="$after" -v c=$C 'BEGIN { printf "%.2f", (b - a) / c }')  ($("$BOOTSIM" ctl "$WORK/simperm" status | grep '^requests: '))"
"$PLL" -d -f -s -o source="$WORK/tmpfs/pllcount" "$WORK/pllcount" 2> "$WORK/pll.log" &
while ! grep -q " $WORK/pllcount " /proc/mounts; do sleep 0.1; done
"$LOOP" "$WORK/pllcount" $C > /dev/null
fusermount3 -u "$WORK/pllcount"
wait
echo "  libfuse passthrough_ll -s $(grep -c 'opcode: ' "$WORK/pll.log" | awk -v c=$C '{ printf "%.2f", ($1 - 2) / c }')  ($(grep -o 'opcode: [A-Z_]*' "$WORK/pll.log" | sort | uniq -c | awk '{ printf "%s=%s ", $3, $1 }'))"

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
