#!/usr/bin/env bash
# The main job: every scenario in scenarios/ on the simulated machine, many seeds each (bootsim run).
# Installs what is missing, builds bootsim in release mode, and passes any arguments on to `bootsim run`
# (default: 1,000 seeds per scenario). Ends with the line "N passed, N failed"; exit 1 on a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product bootsim
if (($#)); then
    exec .build/release/bootsim run "$@"
fi
exec .build/release/bootsim run --seeds 1000
