import Foundation

/// Shard throughput (issue 15): a sweep's shards run as separate `carepath sweep run` processes,
/// one thread each, N at once on N cores, against one shard alone. The figure is the rate ratio,
/// units per second with N at once over units per second alone (the goal: at least 0.9 x N where
/// the cores exist), printed with the cores there are. Needs the release `carepath` beside this
/// binary (`swift build -c release`) or in `CAREPATH`. `carepath-bench shards`; the plan from
/// `CAREPATH_SHARD_PATIENTS` (default 8,000) patients of the discharge scenario, 4 replications: with
/// 2,000 a shard ran about half a second and process start-up noise moved the ratio from 1.7 to 2.0.
extension Benchmark {
    static func shardThroughput() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let binary = ProcessInfo.processInfo.environment["CAREPATH"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("carepath").path
        print("\nShard throughput: \(cores) shard processes at once on \(cores) cores vs one alone (\(binary))")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("  skipped: no carepath binary at \(binary) (swift build -c release, or set CAREPATH)")
            verdicts.append(Verdict(benchmark: "Shard throughput", figure: "not measured (no binary)", target: ">= 0.9 x N", met: nil))
            return
        }
        let patients = ProcessInfo.processInfo.environment["CAREPATH_SHARD_PATIENTS"].flatMap(Int.init) ?? 8_000
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("carepath-bench-shards-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: folder) }
        do {
            try fm.createDirectory(at: folder.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
            try fm.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
            try fm.copyItem(at: root.appendingPathComponent("Pathways/discharge-to-assess.yaml"),
                            to: folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
            let text = try String(contentsOf: root.appendingPathComponent("Scenarios/discharge-architectures.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "  patients: 3000\n", with: "  patients: \(patients)\n")
                .replacingOccurrences(of: "\nreplications: 20\n", with: "\nreplications: 4\n")
                .replacingOccurrences(of: "\nwarm-up: 4w ", with: "\nwarm-up: 10% ")
            try text.write(to: folder.appendingPathComponent("Scenarios/bench.yaml"), atomically: true, encoding: .utf8)
        } catch {
            print("  failed to set up: \(error)")
            return
        }
        let shards = max(cores, 1)
        func sweep(_ arguments: [String]) -> Process? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["sweep"] + arguments
            p.currentDirectoryURL = folder
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch { return nil }
            return p
        }
        guard let plan = sweep(["plan", "Scenarios/bench.yaml", "--shards", String(shards), "-o", "s"]) else { return }
        plan.waitUntilExit()
        guard plan.terminationStatus == 0, let manifest = try? Data(contentsOf: folder.appendingPathComponent("s/manifest.json")),
              let object = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any],
              let planned = object["shards"] as? [[String: Any]] else {
            print("  the plan failed")
            return
        }
        let units = planned.map { ($0["units"] as? [Any])?.count ?? 0 }
        var alone: [Double] = [], together: [Double] = []
        for _ in 0..<runs {
            // One shard alone, then every shard at once, each process on one thread.
            let (ok1, t1) = time { () -> Bool in
                guard let p = sweep(["run", "s", "--shard", "0", "--threads", "1"]) else { return false }
                p.waitUntilExit()
                return p.terminationStatus == 0
            }
            let (okN, tN) = time { () -> Bool in
                let processes = (0..<shards).compactMap { sweep(["run", "s", "--shard", String($0), "--threads", "1"]) }
                processes.forEach { $0.waitUntilExit() }
                return processes.count == shards && processes.allSatisfy { $0.terminationStatus == 0 }
            }
            guard ok1, okN else {
                print("  a shard failed")
                return
            }
            alone.append(Double(units[0]) / t1)
            together.append(Double(units.reduce(0, +)) / tN)
        }
        let rate1 = median(alone), rateN = median(together)
        let ratio = rateN / rate1
        print("  one shard: \(units[0]) units at \(f2(rate1)) units/s; \(shards) at once: \(units.reduce(0, +)) units at \(f2(rateN)) units/s")
        print("  ratio \(f2(ratio)) on \(cores) cores (goal: at least \(f2(0.9 * Double(shards))))")
        emit(Figure(benchmark: "shards", figures: ["cores": Double(cores), "shards": Double(shards), "units_per_s_one": rate1,
                                                   "units_per_s_all": rateN, "ratio": ratio, "patients": Double(patients)]))
        verdicts.append(Verdict(benchmark: "\(shards) shards as processes on \(cores) cores", figure: "\(f2(ratio)) x one shard's rate",
                                target: ">= \(f2(0.9 * Double(shards)))", met: ratio >= 0.9 * Double(shards)))
    }
}
