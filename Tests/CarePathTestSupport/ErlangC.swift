/// Erlang C, by hand: the probability that an arrival to an M/M/c queue waits, and the mean wait
/// in queue. The answer the queueing tests and the capacity search tests check CarePath against
/// (it does not come from CarePath).
public enum ErlangC {
    /// P(wait) for Poisson arrivals at `lambda`, `c` servers each serving at `mu`; 1 when the
    /// queue cannot be stable (offered load a = lambda / mu at least c).
    public static func probabilityOfWaiting(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        let a = lambda / mu
        let rho = a / Double(c)
        guard rho < 1 else { return 1 }
        var term = 1.0, sum = 0.0  // a^k / k!
        for k in 0..<c {
            sum += term
            term *= a / Double(k + 1)
        }
        // term is now a^c / c!
        let tail = term / (1 - rho)
        return tail / (sum + tail)
    }

    /// The mean wait in queue (in the rates' time unit); infinite when the queue cannot be stable.
    public static func meanWait(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        guard lambda < Double(c) * mu else { return .infinity }
        return probabilityOfWaiting(arrivalRate: lambda, serviceRate: mu, servers: c) / (Double(c) * mu - lambda)
    }

    /// The mean wait in hours at `servers` servers of mean service 1 h, offered load `load` (= arrivals an hour).
    public static func meanWait(servers c: Int, load a: Double) -> Double {
        meanWait(arrivalRate: a, serviceRate: 1, servers: c)
    }
}
