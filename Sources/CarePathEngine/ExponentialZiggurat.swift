import Foundation

/// Standard exponential variates by the ziggurat method (Marsaglia and Tsang, "The ziggurat method
/// for generating random variables", J. Stat. Softw. 5(8), 2000), 256 layers. Nearly every draw is
/// one multiplication and one comparison; the logarithm of the inversion method was the largest
/// single cost of a queueing run (measured with perf). Exact: the rare rejections fall back to the
/// exact density.
@usableFromInline
struct ExponentialZiggurat: Sendable {
    @usableFromInline let k: [UInt32]
    @usableFromInline let w: [Double]
    @usableFromInline let f: [Double]
    @usableFromInline static let r = 7.697117470131487

    init() {
        let m = 4294967296.0
        var de = Self.r, te = Self.r
        let ve = 3.949659822581572e-3
        let q = ve / exp(-de)
        var k = [UInt32](repeating: 0, count: 256)
        var w = [Double](repeating: 0, count: 256)
        var f = [Double](repeating: 0, count: 256)
        k[0] = UInt32((de / q) * m)
        k[1] = 0
        w[0] = q / m
        w[255] = de / m
        f[0] = 1
        f[255] = exp(-de)
        for i in stride(from: 254, through: 1, by: -1) {
            de = -log(ve / de + exp(-de))
            k[i + 1] = UInt32((de / te) * m)
            te = de
            f[i] = exp(-de)
            w[i] = de / m
        }
        self.k = k; self.w = w; self.f = f
    }

    @usableFromInline static let shared = ExponentialZiggurat()

    /// One draw of Exp(1).
    @inlinable @inline(__always)
    func sample(_ rng: inout RandomStream) -> Double {
        let bits = rng.next()
        let i = Int(bits & 255)
        let j = UInt32(truncatingIfNeeded: bits >> 32)
        if j < k[i] { return Double(j) * w[i] }
        return slow(i, j, &rng)
    }

    @usableFromInline
    func slow(_ first: Int, _ firstJ: UInt32, _ rng: inout RandomStream) -> Double {
        var i = first, j = firstJ
        while true {
            if i == 0 { return Self.r - log(rng.uniformPositive()) }
            let x = Double(j) * w[i]
            if f[i] + rng.uniform() * (f[i - 1] - f[i]) < exp(-x) { return x }
            let bits = rng.next()
            i = Int(bits & 255)
            j = UInt32(truncatingIfNeeded: bits >> 32)
            if j < k[i] { return Double(j) * w[i] }
        }
    }
}

extension RandomStream {
    /// An Exp(1) draw (ziggurat).
    @inlinable @inline(__always)
    public mutating func exponential() -> Double {
        ExponentialZiggurat.shared.sample(&self)
    }
}
