import CarePathEngine
import Foundation

/// Morris's elementary effects (Morris 1991), screened by mu* (Campolongo, Cariboni and Saltelli
/// 2007): r trajectories through a p-level grid of the unit hypercube, each moving one parameter
/// at a time by Delta = p / (2(p - 1)), in a random order; k + 1 points a trajectory.
///
///     let design = MorrisDesign(parameters: 3, trajectories: 10, levels: 4, seed: 1)
///     let y = design.points.map(model)
///     let indices = design.indices(outputs: y, positions: design.points)
public struct MorrisDesign: Hashable, Sendable {
    public var parameters: Int
    public var trajectories: Int
    public var levels: Int
    /// (k + 1) x r points, trajectory by trajectory, in the unit hypercube.
    public var points: [[Double]]
    /// The parameter each step of each trajectory moves (k per trajectory).
    public var moved: [[Int]]

    public var delta: Double { Double(levels) / (2 * Double(levels - 1)) }

    public init(parameters k: Int, trajectories r: Int, levels p: Int, seed: UInt64) {
        parameters = k; trajectories = r; levels = p; points = []; moved = []
        var random = RandomStream(seed: seed, key1: 0x4D4F52, key2: 0x5249)
        let step = Double(p) / (2 * Double(p - 1)), jumps = p / 2
        for _ in 0..<r {
            // A start on the grid; each level as likely, so that moves go up from the lower half
            // and down from the upper half, each by p/2 levels (Delta).
            var level = (0..<k).map { _ in Int(random.next() % UInt64(p)) }
            var x = level.map { Double($0) / Double(p - 1) }
            var order = Array(0..<k)
            for i in stride(from: k - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            points.append(x)
            for i in order {
                level[i] += level[i] < jumps ? jumps : -jumps
                x[i] = Double(level[i]) / Double(p - 1)
                points.append(x)
            }
            moved.append(order)
            _ = step
        }
    }

    /// mu, mu* and sigma of each parameter's elementary effects. `positions[n][i]` is where point n
    /// put parameter i as a share of its range (the design's, or the values the levers actually
    /// set, rounding included): an effect is the change of output over that change of position,
    /// so scaled to the range (mu* of y = c x over a range of width w is |c| w). A step that moved
    /// nothing (rounding) gives no effect.
    public func indices(outputs y: [Double], positions: [[Double]]) -> [MorrisIndices] {
        var effects = Array(repeating: [Double](), count: parameters)
        for t in 0..<trajectories {
            let first = t * (parameters + 1)
            for (j, i) in moved[t].enumerated() {
                let a = first + j, b = first + j + 1
                let dx = positions[b][i] - positions[a][i]
                guard dx != 0, y[a].isFinite, y[b].isFinite else { continue }
                effects[i].append((y[b] - y[a]) / dx)
            }
        }
        return effects.map(MorrisIndices.init)
    }

    /// The point pairs each parameter's effects come from (a, b), in the order `indices` reads them.
    public func steps(of parameter: Int) -> [(Int, Int)] {
        (0..<trajectories).flatMap { t -> [(Int, Int)] in
            let first = t * (parameters + 1)
            return moved[t].enumerated().filter { $0.element == parameter }.map { (first + $0.offset, first + $0.offset + 1) }
        }
    }
}

/// One parameter's elementary effects on one outcome, summarised.
public struct MorrisIndices: Hashable, Sendable, Codable {
    /// The mean effect (signed: effects of opposite signs cancel).
    public var mu: Double
    /// The mean absolute effect: the parameter's importance.
    public var muStar: Double
    /// The standard deviation of the effects (n - 1): non-linearity or interactions.
    public var sigma: Double
    public var effects: [Double]

    public init(_ effects: [Double]) {
        self.effects = effects
        let n = Double(effects.count)
        mu = n > 0 ? effects.reduce(0, +) / n : .nan
        muStar = n > 0 ? effects.reduce(0) { $0 + abs($1) } / n : .nan
        let m = mu
        sigma = n > 1 ? (effects.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : .nan
    }
}
