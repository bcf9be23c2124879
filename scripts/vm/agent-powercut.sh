#!/bin/sh
# The guest agent of the podrt rounds (scripts/vm-test.sh, issue 22 items 4 and 5). The kernel command line gives
# the round (vmtest.round=N) and what to do after recording what podrt shows now (the first podrt command of a
# boot refreshes):
#   vmtest.mode=loop    create and remove containers, pods and volumes, printing "VMTEST DONE …" on the serial
#                       console after each command podrt reported done (exit 0), until the host cuts the power;
#   vmtest.mode=reboot  start a detached container (runc), record it, and reboot cleanly;
#   vmtest.mode=last    start that container again after the reboot, record it, and power off.
round=$(sed -n 's/.*vmtest\.round=\([0-9]*\).*/\1/p' /proc/cmdline)
mode=$(sed -n 's/.*vmtest\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
P="podrt --root /var/lib/podrt --runroot /run/podrt"
out=/run/vmtest-report
rootfs=/var/lib/vmtest/rootfs
say() { echo "$*" >/dev/ttyS0; }
record() { # record PREFIX: what podrt shows
    $P ps -a --format json >"$out/$1ps.json" 2>"$out/$1ps.err"; echo $? >"$out/$1ps.rc"
    $P pod ls --format json >"$out/$1pods.json" 2>"$out/$1pods.err"; echo $? >"$out/$1pods.rc"
    $P volume ls --format json >"$out/$1volumes.json" 2>"$out/$1volumes.err"; echo $? >"$out/$1volumes.rc"
    $P system locks >"$out/$1locks.txt" 2>&1; echo $? >"$out/$1locks.rc"
    $P events --format json >"$out/$1events.json" 2>"$out/$1events.err"; echo $? >"$out/$1events.rc"
}
mkdir -p "$out" "$rootfs/bin"
# A busybox rootfs for the detached container.
[ -e "$rootfs/bin/busybox" ] || { cp /bin/busybox "$rootfs/bin/"; for c in sh sleep true; do ln -sf busybox "$rootfs/bin/$c"; done; }
cat /proc/sys/kernel/random/boot_id >"$out/boot_id"
echo "$round $mode" >"$out/round"
record ""
sqlite3 /var/lib/podrt/podrt.db 'PRAGMA quick_check' >"$out/quick_check" 2>&1
ls -la /var/lib/podrt >"$out/files" 2>&1
case $mode in
    reboot)
        $P run -d --name web --rootfs "$rootfs" /bin/sleep 100000 >"$out/run.out" 2>&1; echo $? >"$out/run.rc"
        record "running-" ;;
    last)
        $P start web >"$out/start.out" 2>&1; echo $? >"$out/start.rc"
        record "started-"
        $P stop -t 2 web >"$out/stop.out" 2>&1; echo $? >"$out/stop.rc" ;;
esac
tar -C "$out" -cf /dev/disk/by-id/virtio-report . && sync
case $mode in
    reboot) say "VMTEST REBOOT $round"; systemctl --no-block reboot; exit 0 ;;
    last) say "VMTEST LAST $round"; systemctl --no-block poweroff; exit 0 ;;
esac
say "VMTEST LOOP $round"
i=1
while :; do
    c=r${round}c$i
    say "VMTEST START create container $c"
    $P container create --name "$c" --rootfs "$rootfs" /bin/true >/dev/null 2>/dev/ttyS0 && say "VMTEST DONE create container $c"
    case $((i % 4)) in
        1) say "VMTEST START create pod r${round}p$i"
           $P pod create --name "r${round}p$i" >/dev/null 2>/dev/ttyS0 && say "VMTEST DONE create pod r${round}p$i" ;;
        2) say "VMTEST START create volume r${round}v$i"
           $P volume create "r${round}v$i" >/dev/null 2>/dev/ttyS0 && say "VMTEST DONE create volume r${round}v$i" ;;
        3) old=r${round}c$((i - 2))
           say "VMTEST START rm container $old"
           $P container rm "$old" >/dev/null 2>/dev/ttyS0 && say "VMTEST DONE rm container $old" ;;
        0) old=r${round}p$((i - 3))
           say "VMTEST START rm pod $old"
           $P pod rm "$old" >/dev/null 2>/dev/ttyS0 && say "VMTEST DONE rm pod $old" ;;
    esac
    i=$((i + 1))
done
