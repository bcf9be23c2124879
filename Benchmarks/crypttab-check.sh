#!/usr/bin/env bash
# crypttab-check on 20 entries backed by real LUKS images (10 LUKS1, 10 LUKS2, each with its own key file),
# timed with hyperfine. The issue's target: under 1 s for 20 entries.
# Usage: Benchmarks/crypttab-check.sh [RUNS=10]   (from the package root; root, cryptsetup-bin, hyperfine)
set -euo pipefail
runs=${1:-10}
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product crypttab-check >/dev/null
check=$PWD/.build/release/crypttab-check
dir=$(mktemp -d /tmp/crypttab-check-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT

: >"$dir/crypttab"
for i in $(seq 1 20); do
    type=luks2; ((i % 2)) && type=luks1
    truncate -s 20M "$dir/img$i"
    head -c 64 /dev/urandom >"$dir/key$i"
    chmod 0400 "$dir/key$i"
    cryptsetup -q luksFormat --type "$type" --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --batch-mode \
        "$dir/img$i" "$dir/key$i"
    echo "vol$i $dir/img$i $dir/key$i luks,discard" >>"$dir/crypttab"
done

# One run first, so a broken setup shows (every entry must come out good: exit status 0).
"$check" --crypttab "$dir/crypttab" --cmdline "" >"$dir/report" || { cat "$dir/report"; exit 1; }
echo "entries whose key unlocks a keyslot: $(grep -c "keyslot [0-9]" "$dir/report" || true)"
hyperfine -N --warmup 2 --runs "$runs" "$check --crypttab $dir/crypttab --cmdline ''"
