#!/usr/bin/env bash
# A real boot (issue 22): Debian 12's systemd 252 runs our generator in a qemu guest and unlocks real LUKS disks;
# the same boots with systemd's own generator, for comparison; podrt across real power cuts.
#
#   scripts/vm-test.sh [--keep] [--only generator|powercut] [--cuts N (default 2)]
#
# - The guest image is built once by scripts/vm/image.sh and cached outside the clone, in
#   ${BOOTSIM_VM_CACHE:-/var/cache/bootsim-vm}/<hash of image.sh>, so a changed package list builds a new one.
# - The programs go into the guest through scripts/install.sh --destdir, the documented install.
# - Each boot is its own qemu run (TCG: /dev/kvm cannot run a guest on these machines) under its own timeout
#   (VM_BOOT_TIMEOUT, default 600 s: a boot takes about 1 minute idle and over 2 on a loaded 2-core machine).
#   Reports come back as a tar written by the guest agent onto a raw disk, not through the serial line.
# - Ends with "N passed, N failed"; exit 1 on a failure. Work files: /var/tmp/vm-test.*, removed unless --keep
#   or a check failed. VM_GENERATORS="ours" boots with ours alone (for work on the test itself).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
keep=0 only=all cuts=${VM_CUTS:-2}
while (($#)); do
    case $1 in
        --keep) keep=1; shift ;;
        --only) only=${2:?--only needs generator or powercut}; shift 2 ;;
        --cuts) cuts=${2:?--cuts needs a number}; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "vm-test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case $only in all|generator|powercut) ;; *) echo "vm-test.sh: --only takes generator or powercut, not '$only'" >&2; exit 2 ;; esac

started=$SECONDS
need=()
for p in qemu-system-x86 debootstrap cryptsetup-bin e2fsprogs python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
    echo "vm-test: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cache=${BOOTSIM_VM_CACHE:-/var/cache/bootsim-vm}/$(sha256sum scripts/vm/image.sh | cut -c1-16)
if [ -f "$cache/root.img" ]; then
    echo "vm-test: guest image cached in $cache"
else
    t=$SECONDS
    bash scripts/vm/image.sh "$cache"
    echo "vm-test: guest image built in $((SECONDS - t)) s"
fi

work=$(mktemp -d /var/tmp/vm-test.XXXXXX)
source scripts/vm/lib.sh
stage=$work/stage
bash scripts/install.sh --destdir "$stage" --products "systemd-cryptsetup-generator podrt" >"$work/install.log" 2>&1 ||
    { tail -30 "$work/install.log"; echo "vm-test: scripts/install.sh failed" >&2; exit 1; }

results=$work/results.jsonl
: >"$results"
if [ "$only" != powercut ]; then
    source scripts/vm/generator-boots.sh
fi
if [ "$only" != generator ]; then
    source scripts/vm/powercut.sh
fi

status=0
python3 scripts/vm/summary.py "$results" "$work" || status=$?
echo "vm-test: wall time $((SECONDS - started)) s"
if ((keep)) || ((status)); then echo "vm-test: work files kept in $work"; else rm -rf "$work"; fi
exit $status
