# The power-cut rounds of scripts/vm-test.sh (sourced; issue 22, item 5). podrt, installed through
# scripts/install.sh, creates and removes objects in a loop inside the guest; the host kills qemu (no shutdown, no
# flush: whatever the guest had not written to its virtual disk is gone) at a different time each round. The next
# boot's agent records what podrt shows, and scripts/vm/powercut.py checks it against every "VMTEST DONE" line the
# host saw on the serial console before the cut. Only the image is kept between rounds: nothing on the host
# touches it (the round and the last-round flag go on the kernel command line).
pc=$work/powercut
mkdir -p "$pc/files/usr/local/bin" "$pc/files/etc/vmtest"
image=$pc/root.img
cp --sparse=always "$cache/root.img" "$image"
cp "$stage/usr/local/bin/podrt" "$pc/files/usr/local/bin/podrt"
install -m 0755 scripts/vm/agent-powercut.sh "$pc/files/etc/vmtest/run"
inject "$image" "$pc/files"

for ((r = 1; r <= cuts + 1; r++)); do
    dir=$pc/round-$r
    mkdir -p "$dir"
    if ((r > cuts)); then
        echo "vm-test: power-cut round $r: boot, check, power off"
        status=0
        boot "$dir" "vmtest.round=$r vmtest.last" "root=$image" || status=$?
        echo "vm-test:   qemu exited $status after $(cat "$dir/seconds") s"
    else
        # Cut times spread over the loop, not on a whole second: 4.3 s, 9.6 s, 14.9 s, …
        cut=$(python3 -c "print(round(4.3 + 5.3 * ($r - 1), 1))")
        echo "vm-test: power-cut round $r: boot, check, loop, cut the power ${cut} s into the loop"
        boot "$dir" "vmtest.round=$r" "root=$image" &
        bootpid=$!
        waited=0
        until grep -qa "VMTEST LOOP $r" "$dir/console.log" 2>/dev/null; do
            if ! kill -0 "$bootpid" 2>/dev/null || ((waited > ${VM_BOOT_TIMEOUT:-600})); then break; fi
            sleep 0.5; waited=$((waited + 1))
        done
        if grep -qa "VMTEST LOOP $r" "$dir/console.log" 2>/dev/null; then
            sleep "$cut"
            kill -9 "$(cat "$dir/qemu.pid")" 2>/dev/null || true
            echo "cut" >"$dir/cut"
        fi
        wait "$bootpid" || true
        echo "vm-test:   qemu gone after $(cat "$dir/seconds") s"
    fi
    python3 scripts/vm/powercut.py "$pc" "$r" "$results"
done
