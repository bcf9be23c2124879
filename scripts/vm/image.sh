#!/usr/bin/env bash
# Builds the VM test's guest image (issue 22): a debootstrapped Debian 12 with systemd 252, its kernel and
# initramfs, on a raw ext4 image made with `mkfs.ext4 -d` (no loop device needed).
#
#   scripts/vm/image.sh CACHE_DIR      → CACHE_DIR/{root.img,vmlinuz,initrd.img,packages}
#
# vm-test.sh calls it with CACHE_DIR keyed by this file's own hash, so a change here (the package list included)
# builds a new image and an unchanged script reuses the cached one. Needs root and the Debian mirror of the
# machine's apt sources (about 2 minutes idle, 6 on a loaded 2-core machine).
set -euo pipefail
out=${1:?usage: image.sh CACHE_DIR}

# What the guest needs: systemd 252 (its generator, systemd-cryptsetup and busctl are all in `systemd` on
# bookworm), libcryptsetup for systemd-cryptsetup, e2fsprogs for `tmp` volumes (systemd-makefs runs mke2fs),
# sqlite3 for the power-cut rounds' quick_check, runc, conmon and busybox-static for podrt's containers.
packages=systemd,systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,kmod,libcryptsetup12,cryptsetup-bin,dmsetup
packages+=,e2fsprogs,util-linux,sqlite3,runc,conmon,busybox-static

# The mirror the machine's own apt uses (deb822 or one-line sources), else Debian's.
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p';
         sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list 2>/dev/null) || true
mirror=$(printf '%s\n' $mirror | grep -E '/debian/?$' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d "${TMPDIR:-/var/tmp}/vm-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
echo "vm image: debootstrap bookworm from $mirror (${packages//,/ })"
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -30 "$work/debootstrap.log"; echo "vm image: debootstrap failed (log above)" >&2; exit 1; }

# A fixed machine id: no first-boot setup that could wait for an answer on the console.
echo 4a3f1f0b6c2d4e5f8a9b0c1d2e3f4a5b >"$root/etc/machine-id"
echo vmtest >"$root/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$root/etc/fstab"
# The serial getty hangs up the console the reports and the power-cut loop write to; timers only add noise.
for unit in serial-getty@ttyS0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
            fstrim.timer systemd-tmpfiles-clean.timer; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# A small initramfs: only what mounts the root disk. Debian's MODULES=most one is five times the size, and
# unpacking it under TCG costs tens of seconds per boot.
echo MODULES=list >"$root/etc/initramfs-tools/conf.d/vmtest"
printf 'virtio_pci\nvirtio_blk\next4\n' >>"$root/etc/initramfs-tools/modules"
chroot "$root" update-initramfs -u -k all >"$work/initramfs.log" 2>&1 ||
    { tail -20 "$work/initramfs.log"; echo "vm image: update-initramfs failed" >&2; exit 1; }
# dm-crypt as soon as udev runs, so the first attach does not race the module load.
printf 'dm_crypt\n' >"$root/etc/modules-load.d/dm-crypt.conf"

# The guest agent: a oneshot after cryptsetup.target that runs whatever the host put at /etc/vmtest/run for
# this boot (vm-test.sh writes it into a copy of the image), and powers off when there is none.
mkdir -p "$root/etc/vmtest"
cat >"$root/etc/systemd/system/vmtest.service" <<'EOF'
[Unit]
Description=vm-test agent (scripts/vm-test.sh)
After=cryptsetup.target local-fs.target systemd-udev-settle.service
Wants=cryptsetup.target

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'if [ -x /etc/vmtest/run ]; then /etc/vmtest/run; else systemctl --no-block poweroff; fi'
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/vmtest.service "$root/etc/systemd/system/multi-user.target.wants/vmtest.service"

rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
mkdir -p "$out"
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"
chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' >"$out/packages"
mkfs.ext4 -q -F -L vmroot -d "$root" "$out/root.img.new" 3G
mv "$out/root.img.new" "$out/root.img"
echo "vm image: $out ($(grep -E '^systemd ' "$out/packages"), kernel $(basename "$root"/boot/vmlinuz-*))"
