# The power-cut rounds of scripts/vm-test.sh (sourced; issue 22, item 5). podrt, installed through
# scripts/install.sh, creates and removes objects in a loop inside the guest; the host kills qemu (no shutdown, no
# flush: whatever the guest had not written to its virtual disk is gone) at a different time each round. The next
# boot's agent records what podrt shows, and scripts/vm/powercut.py checks it against every "VMTEST DONE" line the
# host saw on the serial console before the cut. Only the image is kept between rounds: nothing on the host
# touches it (the round and the last-round flag go on the kernel command line).
pc=$work/powercut
mkdir -p "$pc/files/etc/vmtest"
image=$pc/root.img
cp --sparse=always "$cache/root.img" "$image"
cp -a "$stage/usr" "$pc/files/"
install -m 0755 scripts/vm/agent-powercut.sh "$pc/files/etc/vmtest/run"
inject "$image" "$pc/files"

# Rounds 1…cuts loop and lose their power; round cuts+1 checks the last cut, starts a detached container and
# reboots cleanly; round cuts+2 checks the reboot (issue 22, item 4) and powers off.
for ((r = 1; r <= cuts + 2; r++)); do
    dir=$pc/round-$r
    mkdir -p "$dir"
    if ((r > cuts)); then
        mode=reboot; ((r == cuts + 2)) && mode=last
        echo "vm-test: podrt round $r: boot, check, $mode"
        status=0
        boot "$dir" "vmtest.round=$r vmtest.mode=$mode" "root=$image" || status=$?
        echo "vm-test:   qemu exited $status after $(cat "$dir/seconds") s"
    else
        # The cut comes after 4, 8, 12, … operations reported done in the round, and a fraction of a second
        # more (0.15 s, 0.5 s, 0.85 s, …): so each round cuts at a different point, whatever the machine's speed.
        target=$((4 * r)) extra=$(python3 -c "print(round(0.15 + (0.35 * ($r - 1)) % 1, 2))")
        echo "vm-test: podrt round $r: boot, check, loop, cut the power after $target operations + ${extra} s"
        boot "$dir" "vmtest.round=$r vmtest.mode=loop" "root=$image" &
        bootpid=$!
        t=$SECONDS
        while kill -0 "$bootpid" 2>/dev/null && ((SECONDS - t < ${VM_BOOT_TIMEOUT:-600})); do
            done_ops=$(grep -ac 'VMTEST DONE' "$dir/console.log" 2>/dev/null || true)
            ((${done_ops:-0} >= target)) && break
            sleep 0.2
        done
        sleep "$extra"
        kill -9 "$(cat "$dir/qemu.pid" 2>/dev/null)" 2>/dev/null && echo "cut" >"$dir/cut"
        wait "$bootpid" 2>/dev/null || true
        echo "vm-test:   power cut after $(cat "$dir/seconds") s"
    fi
    python3 scripts/vm/powercut.py "$pc" "$r" "$cuts" "$results"
done
