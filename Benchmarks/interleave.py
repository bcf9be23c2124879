#!/usr/bin/env python3
"""podrt and podman one after the other, RUNS times each, alternating which goes first, so that both meet the
same drift of the machine (hyperfine's two blocks of runs can meet speeds far apart).

    python3 Benchmarks/interleave.py WHAT RUNS PODRT_COMMAND PODMAN_COMMAND
"""
import shlex, statistics, subprocess, sys, time

what, runs = sys.argv[1], int(sys.argv[2])
commands = {"podrt": shlex.split(sys.argv[3]), "podman": shlex.split(sys.argv[4])}
times = {name: [] for name in commands}
for index in range(runs):
    for name in (["podrt", "podman"] if index % 2 == 0 else ["podman", "podrt"]):
        start = time.perf_counter()
        subprocess.run(commands[name], check=True, stdout=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
ours, theirs = statistics.median(times["podrt"]), statistics.median(times["podman"])
print("RESULT interleaved %s (%d each): podman median %.1f ms, podrt median %.1f ms, ratio %.2fx"
      % (what, runs, theirs * 1e3, ours * 1e3, theirs / ours))
