// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CarePath",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "carepath", targets: ["carepath"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
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
        ]),
        // The generic discrete-event core: future event list, random streams, sampling.
        .target(name: "CarePathEngine", dependencies: ["CarePathModel"]),
        // A pathway interpreted on the engine: patients, roles, information flows, observers.
        .target(name: "CarePathSimulation", dependencies: [
            "CarePathEngine", "CarePathModel",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "HeapModule", package: "swift-collections"),
        ]),
        // Streaming statistics of a run, and summaries across replications and variants.
        .target(name: "CarePathMetrics", dependencies: [
            "CarePathSimulation", "CarePathModel",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // Graphviz diagrams of a pathway.
        .target(name: "CarePathRender", dependencies: ["CarePathModel", "CGraphviz"]),
        // The command-line tool.
        .executableTarget(name: "carepath", dependencies: [
            "CarePathModel", "CarePathFormat", "CarePathRender", "CarePathMetrics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CarePathModelTests", dependencies: ["CarePathModel"]),
        .testTarget(name: "CarePathFormatTests", dependencies: ["CarePathFormat", "CarePathModel"]),
        .testTarget(name: "CarePathRenderTests", dependencies: ["CarePathRender", "CarePathFormat", "CarePathModel"]),
        .testTarget(name: "CarePathCLITests", dependencies: ["carepath"]),
        .testTarget(name: "CarePathSimulationTests", dependencies: ["CarePathSimulation", "CarePathMetrics", "CarePathEngine", "CarePathFormat", "CarePathModel"]),
    ]
)
