// swift-tools-version:6.0
import PackageDescription

/// The engine is generic over its observer; these let the modules that run it specialise it,
/// so the event loop runs without generic metadata lookups (measured: most of the time otherwise).
let hotLoop: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"])]

let package = Package(
    name: "CarePath",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "carepath", targets: ["carepath"]),
        .executable(name: "carepath-bench", targets: ["carepath-bench"]),
        // For the fuzz targets in Fuzz/, which use this package by path (scripts/fuzz.sh).
        .library(name: "CarePathModel", targets: ["CarePathModel"]),
        .library(name: "CarePathFormat", targets: ["CarePathFormat"]),
        .library(name: "CarePathMetrics", targets: ["CarePathMetrics"]),
        .library(name: "CarePathInterop", targets: ["CarePathInterop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Graphviz, used in-process (Debian: libgraphviz-dev).
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc",
                       providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]),
        // The pathway model: value types only, no I/O.
        .target(name: "CarePathModel"),
        // Pathway and scenario files: YAML in, located problems out.
        .target(name: "CarePathFormat", dependencies: [
            "CarePathModel", .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The generic discrete-event core: future event list, random streams, sampling.
        .target(name: "CarePathEngine", dependencies: ["CarePathModel"], swiftSettings: hotLoop),
        // A pathway interpreted on the engine: patients, roles, information flows, observers.
        .target(name: "CarePathSimulation", dependencies: [
            "CarePathEngine", "CarePathModel",
            .product(name: "HeapModule", package: "swift-collections"),
        ], swiftSettings: hotLoop),
        // Streaming statistics of a run, and summaries across replications and variants.
        .target(name: "CarePathMetrics", dependencies: [
            "CarePathEngine", "CarePathSimulation", "CarePathModel",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], swiftSettings: hotLoop),
        // Writing outputs safely: one rule for output paths, atomic and streamed files, temporaries
        // removed on SIGINT/SIGTERM and swept after a crash.
        .target(name: "CarePathFiles"),
        // Graphviz diagrams of a pathway.
        .target(name: "CarePathRender", dependencies: ["CarePathModel", "CGraphviz"]),
        // The self-contained HTML report of a run, and the comparison of architecture options.
        .target(name: "CarePathReport", dependencies: ["CarePathModel", "CarePathMetrics", "CarePathRender", "CarePathFormat"]),
        // The SQLite results store: runs, metrics, outcomes and event logs for analysts.
        .target(name: "CarePathStore", dependencies: [
            "CarePathMetrics", "CarePathModel", "CarePathSimulation", "CarePathFormat", "CarePathFiles",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["SCHEMA.md"]),
        // BPMN import and event logs for process mining (XES, OCEL 2.0, CSV).
        .target(name: "CarePathInterop", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathMetrics", "CarePathSimulation", "CarePathRender", "CarePathStore", "CarePathFiles",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Experiments on a scenario through levers: sensitivity analysis (OAT, Morris, Sobol).
        .target(name: "CarePathExperiments", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathEngine", "CarePathSimulation", "CarePathMetrics", "CarePathReport", "CarePathStore", "CarePathFiles",
        ]),
        // Workshop mode's engine: the levers a room may move, live runs against the baseline on
        // common random numbers, the room's board (no web server: that is the command's).
        .target(name: "CarePathWorkshop", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathSimulation", "CarePathMetrics", "CarePathStore", "CarePathFiles",
            "CarePathEngine", .product(name: "Yams", package: "Yams"),
        ]),
        // A progress line with the time left, on a terminal only, for every long command.
        .target(name: "CarePathProgress"),
        // Sweeps across machines: a plan of shards, each run into its own file, merged into one run.
        .target(name: "CarePathSweep", dependencies: [
            "CarePathFormat", "CarePathMetrics", "CarePathModel", "CarePathSimulation", "CarePathStore", "CarePathFiles",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The workshop's local web server and its one page (the only target that knows Hummingbird).
        .target(name: "CarePathWorkshopServer", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathRender", "CarePathFiles", "CarePathStore", "CarePathWorkshop",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // The command-line tool.
        .executableTarget(name: "carepath", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathRender", "CarePathMetrics", "CarePathReport", "CarePathStore", "CarePathInterop", "CarePathFiles",
            "CarePathExperiments", "CarePathSweep", "CarePathProgress", "CarePathWorkshop", "CarePathWorkshopServer", .product(name: "Yams", package: "Yams"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Performance figures: `swift run -c release carepath-bench`.
        .executableTarget(name: "carepath-bench", dependencies: [
            "CarePathFormat", "CarePathInterop", "CarePathMetrics", "CarePathModel", "CarePathSimulation", "CarePathStore",
            "CarePathExperiments", "CarePathRender", "CarePathReport",
            "CarePathWorkshop",
        ]),
        // Answers that do not come from CarePath (Erlang C) and fixtures shared by test targets.
        .target(name: "CarePathTestSupport", path: "Tests/CarePathTestSupport"),
        .testTarget(name: "CarePathModelTests", dependencies: ["CarePathModel"]),
        .testTarget(name: "CarePathFormatTests", dependencies: ["CarePathFormat", "CarePathModel"]),
        .testTarget(name: "CarePathRenderTests", dependencies: ["CarePathRender", "CarePathFormat", "CarePathModel"]),
        .testTarget(name: "CarePathFilesTests", dependencies: ["CarePathFiles"]),
        .testTarget(name: "CarePathCLITests", dependencies: ["carepath", "CarePathStore", "CarePathTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CarePathReportTests", dependencies: ["CarePathReport", "CarePathFormat", "CarePathMetrics", "CarePathModel", "CarePathRender"]),
        .testTarget(name: "CarePathSimulationTests", dependencies: [
            "CarePathSimulation", "CarePathMetrics", "CarePathEngine", "CarePathFormat", "CarePathModel", "CarePathTestSupport",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        .testTarget(name: "CarePathInteropTests", dependencies: ["CarePathInterop", "CarePathFormat", "CarePathMetrics", "CarePathModel"],
                    resources: [.copy("Fixtures")]),
        // Properties of the text parsers and the event list over generated inputs (Swift Testing).
        .testTarget(name: "CarePathPropertyTests", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathEngine",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CarePathExperimentsTests", dependencies: [
            "CarePathExperiments", "CarePathFormat", "CarePathMetrics", "CarePathModel", "CarePathStore", "CarePathTestSupport",
        ]),
        .testTarget(name: "CarePathWorkshopTests", dependencies: ["CarePathWorkshop", "CarePathStore", "CarePathFormat", "CarePathMetrics", "CarePathModel"]),
        .testTarget(name: "CarePathSweepTests", dependencies: [
            "carepath", "CarePathSweep", "CarePathProgress", "CarePathStore", "CarePathTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "CarePathWorkshopServerTests", dependencies: ["CarePathWorkshopServer", "carepath"]),
        .testTarget(name: "CarePathStoreTests", dependencies: ["CarePathStore", "CarePathMetrics", "CarePathFormat", "CarePathModel"]),
    ]
)
