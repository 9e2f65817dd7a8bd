// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for CarePath's readers, built only by `scripts/fuzz.sh` (with
/// `--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address`), apart from the main package so that
/// `swift build` and `swift test` there neither build them nor need fuzzer flags.
/// Each target is an executable whose `main` is libFuzzer's; it exports `LLVMFuzzerTestOneInput`.
let package = Package(
    name: "CarePathFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "CarePath", path: ".."),
    ],
    targets: [
        // What every target does with what it read: the model checks, then a tiny bounded run.
        .target(name: "FuzzHarness", dependencies: [
            .product(name: "CarePathModel", package: "CarePath"),
            .product(name: "CarePathFormat", package: "CarePath"),
            .product(name: "CarePathMetrics", package: "CarePath"),
        ]),
        .executableTarget(name: "fuzz-pathway", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "fuzz-scenario", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "fuzz-bpmn", dependencies: [
            "FuzzHarness", .product(name: "CarePathFormat", package: "CarePath"),
            .product(name: "CarePathInterop", package: "CarePath"),
        ]),
        .executableTarget(name: "fuzz-condition", dependencies: [
            .product(name: "CarePathModel", package: "CarePath"),
        ]),
    ]
)
