#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine: the C libraries and tools from apt,
# then the Swift packages (resolved by SwiftPM). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# systemd: its own generator and systemd-analyze are the oracles (the fixtures, G1 in FUSE mode, G3).
# runc and busybox-static: the real-container tests (RuncTests build a rootfs from /bin/busybox); conmon and
# podman: the peers of podrt-monitor and podrt in Benchmarks/run.sh; catatonit: the init of `run --init`; man-db: the
# test of the installed man pages.
packages=(libfuse3-dev fuse3 libcryptsetup-dev libblkid-dev e2fsprogs pkg-config libsqlite3-dev runc cryptsetup-bin hyperfine
          libgoogle-perftools-dev systemd libxml2-utils busybox-static conmon podman catatonit man-db)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null || { echo "swift not found (expected at /opt/swift/usr/bin)" >&2; exit 1; }
swift package resolve
