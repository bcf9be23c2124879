// SimFS: the simulated machine that drives Core in tests and in bootsim (see DESIGN.md, "SimFS semantics").
// Nothing here reads the real clock, real randomness or the real file system.
//
// The map, for callers:
// - `SimWorld(seed:commandLine:)` is the whole machine. Everything derives from the seed: `RunSeeds`
//   (SimRandom.swift) draws each component's seed in a fixed order; every stream is a `SplitMix64`.
// - `world.spawn(name:environment:)` adds a process driven by the caller's thread; `world.machine(for:)` is
//   that process's `Machine` (FileSystem, MachineClock, MutexSegments, ProcessControl, RandomSource), with
//   its own descriptors, umask 022 and environment. `world.register(program:_:)` makes a program that
//   `ProcessControl.spawn` starts as a new process (of the scheduler, or run to its end without one).
// - `world.kill(_:signal:)`, `world.exit(_:code:)`, `world.hasEnded(_:)`, `world.liveProcesses`.
// - `world.reboot(commandLine:)` (clean) and `world.powerLoss(seed:commandLine:)` (see PowerLoss.swift and
//   Durability.swift for the model); `world.bootID`, `world.bootCount`, `world.commandLine`.
// - `world.addFault(_:)`, `removeFault(_:)`, `clearFaults()` with `FaultRule` (the FUSE server keeps its
//   own `FaultRules`, the same engine and glob); errno names are Core's `Errno(name:)` / `.name`.
// - `world.opLog`, `world.opCount`, `world.traceHash`, `world.opLogCapacity`; `OpLogEntry` is also the
//   FUSE server's record.
// - `world.consistencyProblems()`: self-check of the tree's bookkeeping (empty when sound).
// - `world.now`, `world.wallNow`, `world.advanceClock(to:)`, `world.opCost`.
// - `world.scheduler`: a `SimScheduling` hook that sees every call as a scheduling point. The scheduler is
//   the machine's one model of waiting: it parks a process that must wait and reports deadlocks. Nothing
//   waits inside the world; without a scheduler a call that would have to wait fails with EDEADLK.
// - `world.snapshot()` / `restore(_:)`, `world.serialized()` / `SimWorld(serialized:)`.
//
// Deliberate differences from Linux: processes are root and no permission checks are made; `/proc` holds
// only `cmdline` and `sys/kernel/random/boot_id`, and chmod/chown/truncate there are EPERM; without a
// scheduler a wait that could never end is refused with EDEADLK (Linux would hang); mode and owner changes are durable at
// once; `fsync` of a file does not make its directory entry durable (POSIX; ext4 would).
@_exported import Core
