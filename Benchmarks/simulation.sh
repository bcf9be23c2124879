#!/bin/sh
# Simulation throughput: seeds/s of the standard refresh-race scenario (3 podrt processes racing after 1 reboot,
# 24 objects), the time of one replay, and the time to shrink a caught catalogue bug.
# Usage: Benchmarks/simulation.sh [SEEDS] [JOBS]   (from the package root; builds bootsim in release mode)
set -eu
seeds=${1:-2000}
jobs=${2:-2}
swift build -c release --product bootsim >/dev/null
bootsim=.build/release/bootsim
echo "== bootsim run scenarios/refresh-race.scenario --seeds $seeds --jobs $jobs"
$bootsim run scenarios/refresh-race.scenario --seeds "$seeds" --jobs "$jobs" 2>/dev/null | tail -3
echo "== PCT"
$bootsim run scenarios/refresh-race.scenario --seeds "$seeds" --jobs "$jobs" --strategy pct 2>/dev/null | tail -2
echo "== replay of one seed"
$bootsim replay scenarios/refresh-race.scenario --seed 7 | grep "trace hash"
echo "== shrink of a caught catalogue bug (alive-lock-released-early)"
seed=$($bootsim hunt alive-lock-released-early --seeds 1000 | sed -n 's/.*seed \([0-9]*\) (.*/\1/p')
/usr/bin/time -f "shrink took %e s" $bootsim shrink scenarios/refresh-race.scenario --seed "$seed" \
    --bug alive-lock-released-early | grep -E "decisions:|^I"
