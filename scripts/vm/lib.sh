# Shared pieces of scripts/vm-test.sh (sourced): disks, writing files into a guest image, one boot.
# Expects $cache (the guest image) and $work (this run's files).

# Fixed UUIDs, so a unit's name and its by-uuid path are known before the boot.
uuid() { printf '1b0e0a51-0000-4000-8000-%012d' "$1"; }

# A LUKS2 image with a key file. PBKDF2 at its minimum: argon2's memory cost and the default iteration time make
# every unlock take seconds under TCG.
luks2() { # luks2 IMAGE KEYFILE [cryptsetup options…]
    local image=$1 key=$2; shift 2
    truncate -s 32M "$image"
    cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file "$key" "$@" "$image"
}

newkey() { head -c 64 /dev/urandom >"$1"; chmod 0400 "$1"; }

# Writes a host directory tree into an ext4 image with debugfs (no loop device, no mount): directories are made,
# files replaced, symbolic links recreated, every mode kept, owned by root.
inject() { # inject IMAGE HOSTDIR
    local image=$1 dir=$2 commands
    # A guest that did not shut down cleanly (a boot that timed out) leaves a journal to replay: replay it first,
    # as the kernel would on mount, or the next mount replays it over what debugfs writes now.
    e2fsck -E journal_only -y "$image" >/dev/null 2>&1 || true
    commands=$(mktemp)
    (cd "$dir" && find . -mindepth 1 | sort) | while IFS= read -r rel; do
        local path=${rel#.} src=$dir/${rel#./}
        if [ -L "$src" ]; then
            printf 'rm %s\nsymlink %s %s\n' "$path" "$path" "$(readlink "$src")"
        elif [ -d "$src" ]; then
            printf 'mkdir %s\nsif %s mode 040%s\n' "$path" "$path" "$(stat -c %a "$src")"
        else
            printf 'rm %s\nwrite %s %s\nsif %s mode 0100%s\n' "$path" "$src" "$path" "$path" "$(stat -c %04a "$src")"
        fi
        printf 'sif %s uid 0\nsif %s gid 0\n' "$path" "$path"
    done >"$commands"
    debugfs -w -f "$commands" "$image" >"$commands.log" 2>&1
    # debugfs goes on after a failed command; a write it could not do shows as "…: <error>" for that path.
    if grep -E '^(write|mkdir|symlink):|Could not|No free space' "$commands.log" | grep -v 'already exists' >&2; then
        echo "vm-test: debugfs could not write $dir into $image" >&2; rm -f "$commands" "$commands.log"; return 1
    fi
    rm -f "$commands" "$commands.log"
}

# One boot: its own qemu run under its own timeout (and systemd's device and start timeouts at 300 s: udev
# probing a dozen disks under TCG on a loaded machine can take minutes), the disks given as NAME=FILE (the guest sees
# /dev/disk/by-id/virtio-NAME; the first is the root disk, /dev/vda). The report disk is zeroed first and
# unpacked into DIR/report afterwards. Returns qemu's status (124 on timeout).
boot() { # boot DIR CMDLINE NAME=FILE…
    local dir=$1 cmdline=$2; shift 2
    mkdir -p "$dir/report"
    rm -f "$dir/report.img"; truncate -s 64M "$dir/report.img"
    local drives=() n=0 spec
    for spec in "$@" "report=$dir/report.img"; do
        drives+=(-drive "file=${spec#*=},format=raw,if=none,id=d$n,cache=writeback"
                 -device "virtio-blk-pci,drive=d$n,serial=${spec%%=*}")
        n=$((n + 1))
    done
    local t=$SECONDS status=0
    timeout -k 10 "${VM_BOOT_TIMEOUT:-600}" qemu-system-x86_64 -nodefaults -no-user-config -accel tcg,thread=multi \
        -smp 2 -m 1024 -display none -monitor none -nic none -no-reboot -serial "file:$dir/console.log" -pidfile "$dir/qemu.pid" \
        -kernel "$cache/vmlinuz" -initrd "$cache/initrd.img" \
        -append "root=/dev/vda rw console=ttyS0 printk.devkmsg=on systemd.firstboot=off systemd.default_timeout_start_sec=300 $cmdline" \
        "${drives[@]}" || status=$?
    echo "$((SECONDS - t))" >"$dir/seconds"
    tar -xf "$dir/report.img" -C "$dir/report" 2>/dev/null || true
    return $status
}
