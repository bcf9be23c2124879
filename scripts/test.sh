#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test target, then the simulation's
# CI duties (issue 5): every scenario with 1,000 seeds and a determinism re-run, and a hunt for every
# catalogued historical bug within 1,000 seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="/opt/swift/usr/bin:$PATH"

swift build --build-tests
swift test --skip-build
# crypttab-check against LUKS images inside a FUSE-mounted simulated machine (issue 7 over issue 6).
bash scripts/crypttab-check-fuse.sh

swift build -c release --product bootsim
bootsim=.build/release/bootsim
for bug in $("$bootsim" catalog | grep -E '^[a-z0-9-]+$'); do
    echo "== hunt $bug"
    "$bootsim" hunt "$bug" --seeds 1000
done
# Last, so its closing line ("N passed, N failed") is the run's.
"$bootsim" run --seeds 1000 --determinism 20
