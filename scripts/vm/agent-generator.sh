#!/bin/sh
# The guest agent of a generator boot (scripts/vm-test.sh): runs as vmtest.service after cryptsetup.target,
# records every named entry's unit (over D-Bus, as systemctl show reads it), its dm mapping and the generator's
# tree, writes them as a tar onto the report disk and powers off.
out=/run/vmtest-report
mkdir -p "$out/entries"
cat /proc/cmdline >"$out/cmdline"
cp /etc/vmtest/names "$out/names"
# Wait for the cryptsetup, device and swap jobs to settle (a nofail entry's device may still be timing out).
i=0
while [ $i -lt 300 ] && systemctl list-jobs --no-legend 2>/dev/null | grep -Eq 'cryptsetup|\.device|\.swap'; do
    sleep 1; i=$((i + 1))
done
echo "$i" >"$out/waited-seconds"
systemctl list-jobs --no-legend >"$out/jobs" 2>&1
n=0
while IFS= read -r name; do
    n=$((n + 1)); d="$out/entries/$n"; mkdir -p "$d"
    printf '%s' "$name" >"$d/name"
    unit=$(systemd-escape --template=systemd-cryptsetup@.service -- "$name")
    printf '%s' "$unit" >"$d/unit"
    path=$(busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
        LoadUnit s "$unit" | sed -n 's/^o "\(.*\)"$/\1/p')
    for p in LoadState ActiveState SubState; do
        busctl --json=short get-property org.freedesktop.systemd1 "$path" org.freedesktop.systemd1.Unit "$p" >"$d/$p.json" 2>&1
    done
    for p in ExecStart Result; do
        busctl --json=short get-property org.freedesktop.systemd1 "$path" org.freedesktop.systemd1.Service "$p" >"$d/$p.json" 2>&1
    done
    systemctl show -p ExecStart -- "$unit" >"$d/show-ExecStart" 2>&1
    systemctl status --no-pager -l -- "$unit" >"$d/status" 2>&1
    if dmsetup info -- "$name" >"$d/dmsetup" 2>&1; then echo yes >"$d/mapped"; else echo no >"$d/mapped"; fi
done </etc/vmtest/names
dmsetup ls >"$out/dmsetup-ls" 2>&1
swapon --show --noheadings >"$out/swaps" 2>&1
ls -l /dev/disk/by-label /dev/disk/by-id >"$out/disks" 2>&1
tar -C /run/systemd -cf "$out/generator.tar" generator
journalctl -b --no-pager -o short-monotonic >"$out/journal.txt" 2>&1
tar -C "$out" -cf /dev/disk/by-id/virtio-report . && sync
echo "vmtest: report written ($n entries, waited ${i} s)"
systemctl --no-block poweroff
