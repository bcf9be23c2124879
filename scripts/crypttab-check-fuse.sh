#!/usr/bin/env bash
# crypttab-check inside a FUSE-mounted simulated machine (needs the `bootsim` product of the FUSE issue).
# Makes LUKS1/LUKS2 images with a key, a detached header and a by-uuid link inside the machine, then checks
# its /etc/crypttab with --root. Expects: 4 good entries, 1 wrong key, 1 unsafe swap, exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
[ -x "$bin/bootsim" ] || { echo "SKIPPED: $bin/bootsim is not built (FUSE issue not merged)"; exit 0; }
work=$(mktemp -d)
mnt=$work/mnt
mkdir -p "$mnt"
cleanup() { "$bin/bootsim" unmount "$mnt" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"$bin/bootsim" mount "$mnt" --background --cmdline quiet

format=(cryptsetup -q luksFormat --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --batch-mode)
head -c 64 /dev/urandom >"$work/key"
head -c 64 /dev/urandom >"$work/wrong"
chmod 600 "$work/key" "$work/wrong"
truncate -s 4M "$work/l1.img" "$work/l2.img" "$work/data.img"
truncate -s 1M "$work/hdr.img"
"${format[@]}" --type luks1 "$work/l1.img" "$work/key"
"${format[@]}" --type luks2 --luks2-metadata-size 16k --luks2-keyslots-size 512k "$work/l2.img" "$work/key"
"${format[@]}" --type luks2 --luks2-metadata-size 16k --luks2-keyslots-size 512k --header "$work/hdr.img" \
    "$work/data.img" "$work/key"

mkdir -p "$mnt/var/images" "$mnt/etc/keys" "$mnt/dev/disk/by-uuid"
cp "$work"/*.img "$mnt/var/images/"
cp -p "$work/key" "$work/wrong" "$mnt/etc/keys/"
uuid=$(cryptsetup luksUUID "$work/l1.img")
ln -s /var/images/l1.img "$mnt/dev/disk/by-uuid/$uuid"
cat >"$mnt/etc/crypttab" <<TAB
one UUID=$uuid /etc/keys/key
two /var/images/l2.img /etc/keys/key discard
det /var/images/data.img /etc/keys/key header=/var/images/hdr.img
none /var/images/l2.img none
bad /var/images/l2.img /etc/keys/wrong
swap /var/images/l1.img /dev/urandom swap
TAB

set +e
out=$("$bin/crypttab-check" --root "$mnt" --cmdline "$(cat "$mnt/proc/cmdline")" --format json)
status=$?
set -e
python3 - "$status" "$out" <<'PY'
import json, sys
status, report = int(sys.argv[1]), json.loads(sys.argv[2])
got = {e["name"]: (e["type"], e["keyslot"], e["status"]) for e in report["entries"]}
want = {"one": ("LUKS1", 0, "ok"), "two": ("LUKS2", 0, "ok"), "det": ("LUKS2", 0, "ok"),
        "none": ("LUKS2", None, "ok"), "bad": ("LUKS2", None, "error"), "swap": ("LUKS1", None, "error")}
assert status == 1, status
assert got == want, got
print("crypttab-check inside the simulated machine: OK (6 entries)")
PY
