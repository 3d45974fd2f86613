// swift-tools-version:6.1
// Switchyard: an A/B-testing inference gateway. Target names follow the architecture
// (docs/ARCHITECTURE.md): C bridges (C*), vocabulary (Core), engine (Transport), codecs (HTTP1, HTTP2,
// KServe), server glue (Server), policy and statistics (Routing, Stats), the native runtime
// (Kernels, Runtime) and the gateway that wires them (Gateway), plus the `switchyard` executable.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The request path (transport, codecs, server glue, protocol, gateway) is built without dynamic
/// exclusivity checks in release builds: their mutable state is confined to one event loop by
/// construction, and the checks (a thread-local access set per class property access) cost about
/// 20 % of server CPU per h2c request (measured: 9.0 → 7.2 µs per request, h2load -c32 -m16).
/// Debug builds, which the tests run, keep them.
let requestPath: [SwiftSetting] = strict + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// Numeric kernels drop overflow and bounds checks in release builds; every fast kernel keeps a
/// checked reference implementation that the tests use as an oracle.
let fastMath: [SwiftSetting] = strict + [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

/// The runtime's kernels target the deployment CPUs (AVX2 + FMA, measured on these machines):
/// without FMA enabled, `SIMD.addingProduct` lowers to one `fmaf` libcall per lane (~20× slower
/// GEMM). SWITCHYARD_FMA tells the kernels that fused multiply-add is native; without it they
/// use a separate multiply and add (the portable path, e.g. for a build on another CPU).
let runtimeSIMD: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]),
    .define("SWITCHYARD_FMA"),
]

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchyard", targets: ["switchyard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // traits: [] works around a SwiftPM 6.3 bug that recompiles SwiftProtobuf on every build.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C bridges: the only places that import C headers.
        .systemLibrary(name: "CSwitchyardLinux", path: "Sources/CSwitchyardLinux"),
        .systemLibrary(name: "CNghttp2", path: "Sources/CNghttp2", pkgConfig: "libnghttp2",
                       providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
                       providers: [.apt(["liblz4-dev"])]),
        .target(name: "CSimdjson", path: "Sources/CSimdjson",
                cxxSettings: [.define("SIMDJSON_THREADS_ENABLED", to: "1"),
                              // simdjson's inline code keeps assert()s without NDEBUG, which SwiftPM
                              // does not define for C++ targets.
                              .define("NDEBUG", .when(configuration: .release)),
                              .unsafeFlags(["-O3", "-march=x86-64-v3", "-mpclmul"])],
                linkerSettings: [.linkedLibrary("simdjson")]),

        // Vocabulary: HTTP types, errors. No syscalls.
        .target(name: "SwitchyardCore", swiftSettings: strict),
        // Engine: epoll event loops, sockets, timers, Dispatch offload. The only owner of syscalls.
        .target(name: "SwitchyardTransport", dependencies: ["CSwitchyardLinux", "SwitchyardCore"], swiftSettings: requestPath),
        // Codecs: bytes in, typed events out. No sockets.
        .target(name: "SwitchyardHTTP1", dependencies: ["SwitchyardCore"], swiftSettings: requestPath),
        .target(name: "SwitchyardHTTP2", dependencies: ["CNghttp2", "SwitchyardCore"], swiftSettings: requestPath),
        // Glue: transport + codecs = an HTTP/1.1 + h2c server feeding one responder interface.
        .target(name: "SwitchyardServer",
                dependencies: ["SwitchyardTransport", "SwitchyardHTTP1", "SwitchyardHTTP2", "SwitchyardCore"],
                swiftSettings: requestPath),

        // Native ONNX runtime: no HTTP in its dependency graph.
        .target(name: "SwitchyardKernels", swiftSettings: fastMath + runtimeSIMD),
        .target(name: "SwitchyardRuntime",
                dependencies: ["SwitchyardKernels", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                swiftSettings: strict + runtimeSIMD),

        // Open Inference Protocol v2: typed requests/responses, JSON, binary extension, gRPC messages.
        .target(name: "SwitchyardKServe",
                dependencies: ["SwitchyardCore", "CSimdjson", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                swiftSettings: requestPath),

        // Online statistics: pure math, no I/O.
        .target(name: "SwitchyardCompression", dependencies: ["CLZ4"], swiftSettings: strict),
        .target(name: "SwitchyardStats",
                dependencies: ["SwitchyardCore", .product(name: "Histogram", package: "hdrhistogram-swift")],
                swiftSettings: strict),
        // Traffic policies: pure decisions, config schema, canary controller.
        .target(name: "SwitchyardRouting",
                dependencies: ["SwitchyardStats", "Yams", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),

        // The admin API's routes and JSON bodies, shared by the gateway and `switchyard ctl`.
        .target(name: "SwitchyardAdminAPI", dependencies: ["SwitchyardCore", "SwitchyardRouting", "SwitchyardStats"], swiftSettings: strict),

        // `switchyard ctl`: the admin API's client and the operator's tables.
        .target(name: "SwitchyardControl", dependencies: ["SwitchyardAdminAPI", "SwitchyardRouting", "SwitchyardStats"],
                swiftSettings: strict),

        // The gateway: model repository, inference pipeline, admin API.
        .target(name: "SwitchyardGateway",
                dependencies: ["SwitchyardServer", "SwitchyardKServe", "SwitchyardRuntime", "SwitchyardAdminAPI",
                               "SwitchyardRouting", "SwitchyardStats", "SwitchyardCore", "SwitchyardTransport", "SwitchyardCompression", "Yams",
                               .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                swiftSettings: requestPath),

        .executableTarget(name: "switchyard",
                          dependencies: ["SwitchyardGateway", "SwitchyardServer", "SwitchyardRuntime", "SwitchyardAdminAPI", "SwitchyardRouting",
                                         "SwitchyardControl",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        // Test kit shared by the socket-level test targets.
        .target(name: "SwitchyardTestSupport", dependencies: ["SwitchyardTransport"], path: "Tests/SwitchyardTestSupport"),

        .testTarget(name: "SwitchyardCoreTests", dependencies: ["SwitchyardCore"]),
        .testTarget(name: "SwitchyardHTTP1Tests", dependencies: ["SwitchyardHTTP1"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SwitchyardHTTP2Tests", dependencies: ["SwitchyardHTTP2", "CNghttp2"]),
        .testTarget(name: "SwitchyardTransportTests", dependencies: ["SwitchyardTransport", "SwitchyardTestSupport"]),
        .testTarget(name: "SwitchyardRuntimeTests", dependencies: ["SwitchyardRuntime", "SwitchyardKernels"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SwitchyardKServeTests", dependencies: ["SwitchyardKServe"]),
        .testTarget(name: "SwitchyardCompressionTests", dependencies: ["SwitchyardCompression"]),
        .testTarget(name: "SwitchyardStatsTests", dependencies: ["SwitchyardStats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SwitchyardRoutingTests", dependencies: ["SwitchyardRouting"]),
        .testTarget(name: "SwitchyardAdminAPITests", dependencies: ["SwitchyardAdminAPI"]),
        .testTarget(name: "SwitchyardControlTests",
                    dependencies: ["SwitchyardControl", "SwitchyardAdminAPI", "SwitchyardRouting", "SwitchyardStats",
                                   "SwitchyardServer", "SwitchyardTransport", "SwitchyardCore"]),
        .testTarget(name: "SwitchyardIntegrationTests",
                    dependencies: ["SwitchyardServer", "SwitchyardGateway", "SwitchyardTestSupport", "SwitchyardAdminAPI",
                                   "SwitchyardRouting", "SwitchyardStats"],
                    exclude: ["Scripts"]),
    ]
)
