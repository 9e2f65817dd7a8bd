import Foundation

/// The token a room's browsers must present when the server listens beyond this machine.
///
/// Sent as `Authorization: Bearer TOKEN` (the page's requests) or `?token=TOKEN` (the address the
/// start message prints, so the page itself can be opened). Compared in constant time, so how long
/// a refusal takes says nothing about how much of a guess was right.
public struct AccessToken: Sendable, Hashable {
    public let value: String

    /// At least 16 characters, printable ASCII without spaces, so it survives a URL and a header.
    public init?(_ value: String) {
        guard value.utf8.count >= 16, value.utf8.count <= 256,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "#") })
        else { return nil }
        self.value = value
    }

    /// 32 random bytes from the system's generator, as 64 hex digits.
    public static func generate() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        return AccessToken(hex)!   // 64 hex digits always satisfy init
    }

    /// Whether `candidate` equals the token, taking the same time for every candidate of a length.
    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        let a = Array(value.utf8), b = Array(candidate.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<b.count {
            difference |= a[i % a.count] ^ b[i]
        }
        return difference == 0
    }
}

/// Whether a host name or address only reaches this machine.
public enum Loopback {
    public static func contains(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
