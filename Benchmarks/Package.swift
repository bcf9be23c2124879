// swift-tools-version:6.1
// Benchmarks live in their own package so the main build stays lean. Run from this directory:
//   swift run -c release simfs-loop
import PackageDescription

let package = Package(
    name: "Benchmarks",
    dependencies: [
        .package(name: "bootsim", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "simfs-loop",
            dependencies: [.product(name: "SimFS", package: "bootsim")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
