import CarePathWorkshopServer
import XCTest

/// The rules that keep a workshop off the network unless the room asks for it.
final class AccessTokenTests: XCTestCase {
    func testTheTokenComparisonAndTheLoopbackRule() {
        let token = AccessToken("0123456789abcdef-room")!
        XCTAssertTrue(token.matches("0123456789abcdef-room"))
        XCTAssertFalse(token.matches("0123456789abcdef-roon"))
        XCTAssertFalse(token.matches("0123456789abcdef-roo"))
        XCTAssertFalse(token.matches("0123456789abcdef-roomm"))
        XCTAssertFalse(token.matches(""))
        XCTAssertFalse(token.matches(nil))
        XCTAssertNil(AccessToken("short"))
        XCTAssertNotEqual(AccessToken.generate(), AccessToken.generate())
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] { XCTAssertTrue(Loopback.contains(host), host) }
        for host in ["0.0.0.0", "192.168.1.4", "example.org", "::", "127.0.0.256", "127.0.0"] { XCTAssertFalse(Loopback.contains(host), host) }
    }
}
