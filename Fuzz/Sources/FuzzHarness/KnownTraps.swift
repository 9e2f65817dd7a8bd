import CarePathModel

/// Inputs whose bounded run is known to trap or never end, left out of the run (not of reading
/// and checking) until the fixes for them land (issue 12, "numbers are safe by construction" and
/// "every run is bounded": the rel-bounds branch). Without this, every fuzz run would stop at the
/// first such input instead of looking for new problems. Remove each rule when its fix is merged,
/// then fuzz: what it found becomes a regression test there.
enum KnownTraps {
    /// Numbers written beyond these magnitudes: durations of 1e19 h, rates of 1e-300/d, shapes of
    /// 0.0001, `integer(-9223372036854775808, 5)` trap in the run (Double to Int conversions in the
    /// time series and calendars, abs of Int.min).
    static let largest = 1e7, smallest = 1e-3

    static func skipsRun(_ scenario: Scenario, _ pathway: Pathway) -> Bool {
        hasExtremeNumber(pathway) || hasExtremeNumber(scenario) || hasCycle(pathway)
    }

    /// Any number held in the model (durations in hours, rates per hour, shapes, integer ranges,
    /// probabilities) out of range, found by walking the value's fields.
    static func hasExtremeNumber(_ value: Any) -> Bool {
        var pending: [Any] = [value], seen = 0
        while let next = pending.popLast() {
            seen += 1
            if seen > 1_000_000 { return true }
            switch next {
            case let x as Double: if x.magnitude > largest || (x != 0 && x.magnitude < smallest) { return true }
            case let n as Int: if n.magnitude > UInt(largest) { return true }
            case let n as Int32: if n.magnitude > UInt32(largest) { return true }
            case is String, is UInt64: continue   // names; the seed
            default: pending.append(contentsOf: Mirror(reflecting: next).children.map(\.value))
            }
        }
        return false
    }

    /// A state a patient can come back to: a branch that always loops (`when: "age >= 0"` back
    /// to the same state) runs for ever, and no run-away limit stops it yet.
    static func hasCycle(_ pathway: Pathway) -> Bool {
        let index = Dictionary(pathway.states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var mark = [UInt8](repeating: 0, count: pathway.states.count)   // 0 new, 1 on the path, 2 done
        var stack: [(state: Int, next: Int)] = []
        for start in pathway.states.indices where mark[start] == 0 {
            mark[start] = 1; stack.append((start, 0))
            while let (state, next) = stack.last {
                let transitions = pathway.states[state].next
                guard next < transitions.count else { mark[state] = 2; stack.removeLast(); continue }
                stack[stack.count - 1].next += 1
                guard let to = index[transitions[next].to] else { continue }
                if mark[to] == 1 { return true }
                if mark[to] == 0 { mark[to] = 1; stack.append((to, 0)) }
            }
        }
        return false
    }
}
