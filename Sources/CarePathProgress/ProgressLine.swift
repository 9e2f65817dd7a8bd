import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One progress line on standard error for a long command (simulate, compare, export, sweep run
/// and merge, and any other that calls it): the share done, what is done in the command's own
/// words, and the time left at the rate so far, redrawn in place at most five times a second.
/// Only on a terminal: when standard error is not one (a log, a pipe, a batch job) or `CI` is
/// set, nothing is written at all. Nothing shows before the command has taken a second.
public final class ProgressLine: @unchecked Sendable {
    /// Shortest time between two redraws, in seconds.
    public static let interval = 0.2
    /// Nothing shows before this many seconds: quick commands stay quiet.
    public static let defaultDelay = 1.0

    private let start: Date
    private let lock = NSLock()
    private var shown = false
    private var lastShown = Date.distantPast
    private let output: FileHandle
    private let delay: Double
    public let enabled: Bool

    /// A line on standard error, shown only when it is a terminal and `CI` is not set.
    /// `CAREPATH_PROGRESS_DELAY` (seconds, default 1) sets how long before it shows.
    public convenience init() {
        let environment = ProcessInfo.processInfo.environment
        let delay = environment["CAREPATH_PROGRESS_DELAY"].flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        self.init(enabled: isatty(STDERR_FILENO) != 0 && environment["CI"] == nil, delay: delay ?? Self.defaultDelay)
    }

    /// A line shown or not as `enabled` says (tests), on `output`, once `delay` seconds have passed.
    public init(enabled: Bool, output: FileHandle = .standardError, start: Date = Date(), delay: Double = defaultDelay) {
        self.enabled = enabled; self.output = output; self.start = start; self.delay = delay
    }

    /// Shows `fraction` (0...1) done, with `detail` (`3/10 replications`), unless drawn less than
    /// `interval` ago (the last update, fraction 1, always draws).
    public func update(fraction: Double, detail: String, now: Date = Date()) {
        draw(last: fraction >= 1, now: now) { Self.line(fraction: fraction, detail: detail, elapsed: $0) }
    }

    /// Shows a line of the caller's own making from the seconds elapsed, for work whose total is
    /// not known up front (a search that stops at its first answer), with the same rules.
    public func update(now: Date = Date(), text: (_ elapsed: Double) -> String) {
        draw(last: false, now: now, text)
    }

    private func draw(last: Bool, now: Date, _ text: (Double) -> String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let elapsed = now.timeIntervalSince(start)
        guard elapsed >= delay, now.timeIntervalSince(lastShown) >= Self.interval || last else { return }
        shown = true
        lastShown = now
        output.write(Data(("\r" + text(elapsed) + "   ").utf8))
    }

    /// Ends the line, if one was shown.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { output.write(Data("\n".utf8)); shown = false }
    }

    /// `[#######                       ] 25%, 3/12 shards, about 1 min 30 s left`.
    public static func line(fraction: Double, detail: String, elapsed: Double) -> String {
        let width = 30
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let filled = min(width, max(0, Int(f * Double(width))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + "\(Int(f * 100))%" + (detail.isEmpty ? "" : ", " + detail) + timeLeft(elapsed: elapsed, fraction: f)
    }

    /// `, about 2 min 30 s left`, at the rate so far (elapsed / fraction x what is left); empty
    /// before anything is done and once all is.
    public static func timeLeft(elapsed: Double, fraction: Double) -> String {
        guard fraction > 0, fraction < 1, elapsed.isFinite, elapsed > 0 else { return "" }
        let left = elapsed / fraction * (1 - fraction)
        guard left.isFinite, left < 1e9 else { return ", time left unknown" }
        return ", about \(duration(left)) left"
    }

    /// `2 min 30 s`, `1 h 30 min`, `4 s` (whole seconds; "a very long time" past 1e9 s).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "a very long time" }
        let s = Int(max(seconds, 0).rounded())
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        if s >= 60 { return "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }
}
