import FuzzHarness

/// A pathway file: read, checked, and run bounded with a plain cohort when it has no error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPathway(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let text = Harness.text(data, size) { Harness.pathway(text) }
    return 0
}
