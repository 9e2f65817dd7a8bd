import Foundation

/// The CPU time a process has used (user and system, from /proc/PID/stat on Linux): what a run
/// costs, seen from outside the server.
struct ProcessCPU {
    let pid: Int32

    /// Seconds of CPU used so far; nil when /proc cannot tell (not Linux, process gone).
    func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds used over the next `interval` seconds of wall time.
    func used(over interval: TimeInterval) -> Double {
        let before = seconds() ?? 0
        Thread.sleep(forTimeInterval: interval)
        return (seconds() ?? 0) - before
    }

    /// Seconds from now until the process first spends a whole `window` using under 5% of one
    /// core; nil when that does not happen within `limit` seconds.
    func quiet(within limit: TimeInterval, window: TimeInterval) -> Double? {
        let start = Date()
        var samples: [(at: Double, cpu: Double)] = []
        while Date().timeIntervalSince(start) < limit {
            guard let now = seconds() else { return nil }
            let at = Date().timeIntervalSince(start)
            samples.append((at, now))
            if let from = samples.last(where: { at - $0.at >= window }), now - from.cpu < 0.05 * (at - from.at) {
                return from.at
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}
