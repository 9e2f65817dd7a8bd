import CarePathFormat
import CarePathInterop
import Foundation
import FuzzHarness

/// A BPMN file: imported; the pathway file made from it is checked (the importer does) and, when
/// it has no error, read back and run bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBPMN(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do throws(FormatErrors) {
        let result = try BPMNImport.convert(data: Data(bytes: data, count: size), file: "fuzz.bpmn", pathwayID: "fuzz")
        if !result.check.contains(where: { $0.severity == .error }) { Harness.pathway(result.yaml, file: "fuzz.yaml") }
    } catch {}
    return 0
}
