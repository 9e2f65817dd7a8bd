import CarePathEngine
import PropertyBased
import Testing

/// The future event list against a plain reference: a stable sort of what was scheduled.
@Suite struct EventListProperties {
    /// A run of operations: a time to schedule at, or nil to take the next event.
    static let operations = Gen.frequency(
        (3, Gen.int(in: 0...12).map { Optional(Double($0)) }),   // few distinct times: many ties
        (1, Gen.double(in: 0...1e6).map { Optional($0) }),
        (2, Gen.always(Optional<Double>.none)),
    ).array(of: 0...300)

    /// Plays `operations` on an EventList and on a reference list kept in (time, order scheduled),
    /// then drains both; returns the two sequences of (time, payload) taken.
    static func play(_ operations: [Double?]) -> (list: [(Double, Int32)], reference: [(Double, Int32)]) {
        var events = EventList<Int32>()
        var pending: [(time: Double, payload: Int32)] = []
        var taken: [(Double, Int32)] = [], expected: [(Double, Int32)] = []
        var scheduled: Int32 = 0
        func takeReference() {
            // The earliest time; among equal times the first scheduled (stable: the lowest index).
            guard let i = pending.indices.min(by: { pending[$0].time < pending[$1].time || (pending[$0].time == pending[$1].time && $0 < $1) }) else { return }
            expected.append(pending.remove(at: i))
        }
        for operation in operations {
            if let time = operation {
                events.schedule(at: time, scheduled); pending.append((time, scheduled)); scheduled += 1
            } else {
                if let e = events.next() { taken.append((e.time, e.payload)) }
                takeReference()
            }
        }
        while let e = events.next() { taken.append((e.time, e.payload)) }
        while !pending.isEmpty { takeReference() }
        return (taken, expected)
    }

    @Test func popsInTimeOrderFirstInFirstOutAmongTies() async {
        await propertyCheck(count: 300, input: Self.operations) { operations in
            let (list, reference) = Self.play(operations)
            #expect(list.map(\.0) == reference.map(\.0), "times")
            #expect(list.map(\.1) == reference.map(\.1), "payloads (ties in the order scheduled)")
        }
    }

    /// Scheduled all at once then drained, the list equals a stable sort of the times.
    @Test func drainedEqualsAStableSort() async {
        let times = Gen.frequency((1, Gen.int(in: 0...20).map { Double($0) }), (1, Gen.double(in: 0...1e9))).array(of: 0...400)
        await propertyCheck(count: 200, input: times) { times in
            var events = EventList<Int32>()
            for (i, t) in times.enumerated() { events.schedule(at: t, Int32(i)) }
            #expect(events.count == times.count)
            var drained: [Int32] = []
            while let e = events.next() { drained.append(e.payload) }
            let sorted = times.enumerated().sorted { $0.element < $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            #expect(drained == sorted.map { Int32($0.offset) })
            #expect(events.isEmpty && events.nextTime == nil)
        }
    }
}
