// swift-tools-version:6.1
// libFuzzer target over the generator's parsers and planner. A separate package, so that the root package's
// normal `swift build` never sees a fuzzer entry point. Build and run:
//   swift build -c release --sanitize=fuzzer --sanitize=address --product generator-fuzz
//   .build/release/generator-fuzz -runs=1000000 -max_len=4096
import PackageDescription

let package = Package(
    name: "GeneratorFuzz",
    dependencies: [.package(name: "bootsim", path: "..")],
    targets: [
        .executableTarget(
            name: "generator-fuzz",
            dependencies: [.product(name: "Core", package: "bootsim")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
