import CarePathModel

/// Attributes of every type a condition can read.
let attributes = [
    PatientAttribute(name: "age", type: .number),
    PatientAttribute(name: "lives_alone", type: .boolean),
    PatientAttribute(name: "deprivation", type: .number),
    PatientAttribute(name: "sex", type: .categorical(["female", "male", "other"])),
]
/// Values to evaluate on: ordinary, at the edges, and not finite.
let patients: [[Double]] = [
    [83, 1, 3, 0], [0, 0, 1, 2], [-1e308, 1, .infinity, 1], [.nan, 0, -.infinity, 2],
]

/// A condition: parsed, compiled against the attributes above, evaluated; the text of one that
/// parses must parse again to the same expression.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCondition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let condition = try? Condition.parse(text) else { return 0 }
    _ = condition.attributeNames
    guard let again = try? Condition.parse(condition.source), again == condition else {
        fatalError("'\(text)' parsed once but not the same way again")
    }
    guard let compiled = try? condition.compile(attributes: attributes) else { return 0 }
    for values in patients {
        let viaArray = compiled.evaluate(values)
        let viaBuffer = values.withUnsafeBufferPointer { compiled.evaluate($0) }
        if viaArray != viaBuffer { fatalError("'\(text)' evaluates differently on the same values") }
    }
    _ = condition.compiledOrFalse(attributes: attributes)
    return 0
}
