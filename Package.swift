// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "bootsim",
    products: [
        .library(name: "Core", targets: ["Core"]),
        .library(name: "SimFS", targets: ["SimFS"]),
        .executable(name: "systemd-cryptsetup-generator", targets: ["generator"]),
        .executable(name: "crypttab-check", targets: ["crypttab-check"]),
        .executable(name: "podrt", targets: ["runtime"]),
        .executable(name: "podrt-monitor", targets: ["podrt-monitor"]),
        .executable(name: "bootsim", targets: ["bootsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Thin C shims for syscalls Swift cannot call directly (variadic `syscall`, openat2, renameat2).
        .target(name: "CSupport"),
        .systemLibrary(name: "CFuse3", pkgConfig: "fuse3", providers: [.apt(["libfuse3-dev"])]),
        .systemLibrary(name: "CCryptSetup", pkgConfig: "libcryptsetup", providers: [.apt(["libcryptsetup-dev"])]),
        .systemLibrary(name: "CBlkid", pkgConfig: "blkid", providers: [.apt(["libblkid-dev"])]),
        // SQLite 3.54.1's amalgamation, built in (as podman's go-sqlite3 does), with lookaside memory and
        // without what podrt never uses: Sources/CSQLite/README.md.
        .target(name: "CSQLite", cSettings: sqliteSettings),
        .target(
            name: "Core",
            dependencies: ["CSupport", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // podrt's core: its own module, so the static generator links neither SQLite nor Foundation.
        .target(name: "Podrt", dependencies: ["Core", "CSQLite"]),
        // The container monitor (our conmon): C, since it is fork, poll and waitpid in one small process. The
        // tests use this build; scripts/install.sh compiles the shipped one with clang, without Swift's runtime.
        .executableTarget(name: "podrt-monitor"),
        .target(name: "SimFS", dependencies: ["Core"], swiftSettings: harnessSettings),
        // crypttab-check: libcryptsetup and libblkid stay out of Core, which the static generator links.
        .target(name: "CryptCheck", dependencies: ["Core", "CCryptSetup", "CBlkid"]),
        .executableTarget(
            name: "crypttab-check",
            dependencies: ["CryptCheck", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "CryptCheckTests", dependencies: ["CryptCheck"]),
        .executableTarget(name: "generator", dependencies: ["Core"], exclude: ["README.md"]),
        .executableTarget(
            name: "runtime",
            dependencies: ["Podrt", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "SimFUSE", dependencies: ["Core", "SimFS", "CFuse3"]),
        // The seeded scheduler, scenarios, invariants and the bug catalogue (bootsim run/replay/shrink/hunt);
        // Mounted/ runs the same scenarios on a FUSE mount with the built binaries (bootsim run --fuse).
        .target(name: "Simulation", dependencies: ["Core", "Podrt", "SimFS", "SimFUSE", "CSQLite", "CSupport"],
                swiftSettings: harnessSettings),
        .executableTarget(
            name: "bootsim",
            dependencies: ["SimFUSE", "Simulation", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // A seed makes thousands of small allocations (SQLite's parser, Swift's objects): gperftools'
            // tcmalloc serves them faster than glibc's malloc, which also gave freed heap back after every seed.
            linkerSettings: [.linkedLibrary("tcmalloc_minimal", .when(platforms: [.linux], configuration: .release))]
        ),
        // Contract/ links to CoreTests' suite; FUSEContractBackend.swift runs it over a FUSE mount instead.
        .testTarget(
            name: "SimFUSETests", dependencies: ["SimFUSE", "SimFS", "bootsim", "mutex-holder", "posix-workload"],
            exclude: ["Contract/Backends.swift", "Contract/SimVersusKernelFuzz.swift"]
        ),
        // A real separate process for the contract suite: it dies holding a mutex (owner-died cases).
        .executableTarget(name: "mutex-holder", dependencies: ["Core"], path: "Tests/Support/MutexHolder"),
        // Random file operations from root and two users, for comparing the FUSE mount with tmpfs.
        .executableTarget(name: "posix-workload", path: "Tests/Support/PosixWorkload"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "SimFS", "mutex-holder"]),
        .testTarget(name: "SimFSTests", dependencies: ["SimFS"]),
        .testTarget(
            name: "GeneratorTests", dependencies: ["Core", "SimFS", "Simulation", "generator"],
            exclude: ["record-divergent.sh"]
        ),
        // toml-oracle.py is run by the TOML differential test from the source tree, not bundled.
        .testTarget(name: "RuntimeTests", dependencies: ["Core", "CSQLite", "Podrt", "SimFS", "runtime", "podrt-monitor"],
                    exclude: ["TOML/toml-oracle.py"]),
        .testTarget(name: "SimulationTests", dependencies: ["CSQLite", "Simulation"]),
    ],
    swiftLanguageModes: [.v6]
)

/// SQLite's compile-time options (https://sqlite.org/compile.html), always optimised: tests and the debug
/// simulation run SQLite as much as release does.
var sqliteSettings: [CSetting] {
    [
        .define("SQLITE_THREADSAFE", to: "2"),  // a connection is never shared between threads
        // Memory statistics take one process-wide mutex on every allocation: seeds on two threads queued on it.
        .define("SQLITE_DEFAULT_MEMSTATUS", to: "0"),
        .define("SQLITE_DQS", to: "0"),
        .define("SQLITE_LIKE_DOESNT_MATCH_BLOBS"),
        .define("SQLITE_MAX_EXPR_DEPTH", to: "0"),
        .define("SQLITE_OMIT_DEPRECATED"),
        .define("SQLITE_OMIT_LOAD_EXTENSION"),
        .define("SQLITE_OMIT_PROGRESS_CALLBACK"),
        .define("SQLITE_OMIT_SHARED_CACHE"),
        .define("SQLITE_OMIT_TCL_VARIABLE"),
        .define("SQLITE_USE_ALLOCA"),
        .define("HAVE_USLEEP", to: "1"),
        .define("HAVE_FDATASYNC", to: "1"),
        .define("HAVE_LOCALTIME_R", to: "1"),
        .unsafeFlags(["-O2", "-w"]),
    ]
}

/// The simulated machine and its scheduler run every protocol call of every seed: in release they skip Swift's
/// run-time exclusivity checks (debug builds, and so the tests, keep them).
var harnessSettings: [SwiftSetting] {
    [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
