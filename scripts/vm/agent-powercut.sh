#!/bin/sh
# The guest agent of a power-cut round (scripts/vm-test.sh, issue 22 item 5). It first records what podrt shows
# after the last cut (the first podrt command of a boot refreshes), writes that onto the report disk, then loops:
# create and remove containers, pods and volumes, printing "VMTEST DONE …" on the serial console after each
# command that podrt reported done (exit 0), until the host pulls the plug (kills qemu). In the last round
# (vmtest.last on the kernel command line; the round is vmtest.round=N) it powers off instead of looping.
round=$(sed -n "s/.*vmtest.round=\([0-9]*\).*/\1/p" /proc/cmdline)
P="podrt --root /var/lib/podrt --runroot /run/podrt"
out=/run/vmtest-report
mkdir -p "$out" /var/lib/vmtest/rootfs
say() { echo "$*" >/dev/ttyS0; }
cat /proc/sys/kernel/random/boot_id >"$out/boot_id"
echo "$round" >"$out/round"
if [ -e /var/lib/podrt ]; then
    $P ps -a --format json >"$out/ps.json" 2>"$out/ps.err"; echo $? >"$out/ps.rc"
    $P pod ls --format json >"$out/pods.json" 2>"$out/pods.err"; echo $? >"$out/pods.rc"
    $P volume ls --format json >"$out/volumes.json" 2>"$out/volumes.err"; echo $? >"$out/volumes.rc"
    $P system locks >"$out/locks.txt" 2>&1; echo $? >"$out/locks.rc"
    $P events --format json >"$out/events.json" 2>"$out/events.err"; echo $? >"$out/events.rc"
    sqlite3 /var/lib/podrt/podrt.db 'PRAGMA quick_check' >"$out/quick_check" 2>&1
    ls -la /var/lib/podrt >"$out/files" 2>&1
fi
tar -C "$out" -cf /dev/disk/by-id/virtio-report . && sync
if grep -qw vmtest.last /proc/cmdline; then
    say "VMTEST LAST $round"
    systemctl --no-block poweroff
    exit 0
fi
say "VMTEST LOOP $round"
i=1
while :; do
    c=r${round}c$i
    say "VMTEST START create container $c"
    $P container create --name "$c" --rootfs /var/lib/vmtest/rootfs -- /bin/true >/dev/null 2>&1 && say "VMTEST DONE create container $c"
    case $((i % 4)) in
        1) say "VMTEST START create pod r${round}p$i"
           $P pod create --name "r${round}p$i" >/dev/null 2>&1 && say "VMTEST DONE create pod r${round}p$i" ;;
        2) say "VMTEST START create volume r${round}v$i"
           $P volume create "r${round}v$i" >/dev/null 2>&1 && say "VMTEST DONE create volume r${round}v$i" ;;
        3) old=r${round}c$((i - 2))
           say "VMTEST START rm container $old"
           $P container rm "$old" >/dev/null 2>&1 && say "VMTEST DONE rm container $old" ;;
        0) old=r${round}p$((i - 3))
           say "VMTEST START rm pod $old"
           $P pod rm "$old" >/dev/null 2>&1 && say "VMTEST DONE rm pod $old" ;;
    esac
    i=$((i + 1))
done
