import FuzzHarness

/// A scenario file followed by its pathway (after a line `#=== pathway`) and any other file it
/// names (`#=== calendars/holidays.yaml`): read, checked against each other, and run bounded when
/// neither has an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = Harness.text(data, size) else { return 0 }
    let (scenario, files) = Harness.sections(text)
    Harness.scenario(scenario, files: files)
    return 0
}
