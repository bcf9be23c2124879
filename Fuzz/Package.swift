// swift-tools-version:6.1
// libFuzzer targets over the generator's parsers and planner, podrt's readers and bootsim's scenario parser.
// A separate package, so that the root package's normal `swift build` never sees a fuzzer entry point. The
// generator sources (Sources/Core/Generator and the System protocols they use) are compiled into the fuzz module
// itself through symbolic links: SwiftPM does not instrument a dependency module for coverage here, and
// libFuzzer needs the coverage. Build and run:
//   swift build -c release --sanitize=fuzzer --sanitize=address --product generator-fuzz
//   .build/release/generator-fuzz -runs=1000000 -max_len=4096 corpus
import PackageDescription

let package = Package(
    name: "GeneratorFuzz",
    dependencies: [.package(url: "https://github.com/apple/swift-system", from: "1.4.0")],
    targets: [
        .executableTarget(
            name: "generator-fuzz",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        // podrt's JSON reader and TOML reader, the same way: their sources are linked into each fuzz module.
        // They `import Core`; PodrtFuzzCore (Core's System protocols, linked too) stands in for it by alias.
        // swiftc keeps only its last -sanitize= flag and SwiftPM orders two --sanitize= by chance, so build with
        // one flag for both (else a build has coverage or ASan, not both):
        //   swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --product json-fuzz
        //   .build/release/json-fuzz -runs=1000000 -max_len=4096 corpus                  (or toml-fuzz)
        .target(name: "PodrtFuzzCore", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
        .executableTarget(name: "json-fuzz", dependencies: ["PodrtFuzzCore"],
                          swiftSettings: [.unsafeFlags(["-module-alias", "Core=PodrtFuzzCore"])]),
        .executableTarget(name: "toml-fuzz", dependencies: ["PodrtFuzzCore"],
                          swiftSettings: [.unsafeFlags(["-module-alias", "Core=PodrtFuzzCore"])]),
        // bootsim's scenario parser (Sources/Simulation/Scenario/Syntax, which imports nothing) and SimFS's op names,
        // linked the same way; Core's errno table comes from PodrtFuzzCore. The long run: docs/strict-reading.md.
        .executableTarget(name: "scenario-fuzz", dependencies: ["PodrtFuzzCore"],
                          swiftSettings: [.unsafeFlags(["-module-alias", "Core=PodrtFuzzCore"])]),
    ],
    swiftLanguageModes: [.v6]
)
