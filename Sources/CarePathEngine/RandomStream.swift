/// A seeded random stream: xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
/// generators", 2018), seeded through SplitMix64 as its authors recommend. Small (32 bytes) and
/// fast, so that every replication, and every patient within it, can own independent streams:
/// the basis of common random numbers across variants.
public struct RandomStream: RandomNumberGenerator, Sendable, BitwiseCopyable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A stream determined by a seed and any number of further keys (replication, patient, purpose).
    @inlinable
    public init(seed: UInt64, _ keys: UInt64...) {
        var x = seed
        for k in keys { x = Self.splitMix(&x) ^ (k &* 0x9E37_79B9_7F4A_7C15) }
        s0 = Self.splitMix(&x); s1 = Self.splitMix(&x); s2 = Self.splitMix(&x); s3 = Self.splitMix(&x)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable
    public init(seed: UInt64, key1: UInt64, key2: UInt64) {
        var x = seed
        x = Self.splitMix(&x) ^ (key1 &* 0x9E37_79B9_7F4A_7C15)
        x = Self.splitMix(&x) ^ (key2 &* 0x9E37_79B9_7F4A_7C15)
        s0 = Self.splitMix(&x); s1 = Self.splitMix(&x); s2 = Self.splitMix(&x); s3 = Self.splitMix(&x)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable @inline(__always)
    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in (0, 1]: safe under a logarithm.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// Successive independent streams from one SplitMix64 sequence: cheaper than seeding each
    /// from scratch when a patient needs several.
    public struct Seeder {
        @usableFromInline var x: UInt64

        @inlinable
        public init(seed: UInt64, key1: UInt64, key2: UInt64) {
            var x = seed
            x = RandomStream.splitMix(&x) ^ (key1 &* 0x9E37_79B9_7F4A_7C15)
            x = RandomStream.splitMix(&x) ^ (key2 &* 0x9E37_79B9_7F4A_7C15)
            self.x = x
        }

        @inlinable
        public mutating func next() -> RandomStream {
            RandomStream(s0: RandomStream.splitMix(&x), s1: RandomStream.splitMix(&x),
                         s2: RandomStream.splitMix(&x), s3: RandomStream.splitMix(&x))
        }

        /// The stream `next()` would give after `k` others, without making them: SplitMix64's state
        /// only adds a constant, so any position is reached directly. Unused streams cost nothing.
        @inlinable @inline(__always)
        public func stream(_ k: UInt64) -> RandomStream {
            var y = x &+ (4 &* k) &* 0x9E37_79B9_7F4A_7C15
            return RandomStream(s0: RandomStream.splitMix(&y), s1: RandomStream.splitMix(&y),
                                s2: RandomStream.splitMix(&y), s3: RandomStream.splitMix(&y))
        }
    }

    /// A placeholder for a stream a run never draws from.
    public static let unused = RandomStream(s0: 1, s1: 0, s2: 0, s3: 0)

    @inlinable
    init(s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64) {
        self.s0 = s0 | 1  // never the all-zero state
        self.s1 = s1; self.s2 = s2; self.s3 = s3
    }
}
