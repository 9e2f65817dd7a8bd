import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OCELJSONWriter {
    static let patientTypeJSON = OCELJSONWriter.J.string(OCELWriter.patientType)
    static let itemTypeJSON = OCELJSONWriter.J.string(OCELWriter.itemType)
    static let arrivesJSON = OCELJSONWriter.J.string(OCELWriter.arrives)
    static let handoffJSON = OCELJSONWriter.J.string(OCELWriter.handoff)

    func journey(_ j: PatientJourney) {
        guard let names else { return }
        // Written into local buffers: stored properties would be checked for exclusive access at
        // every append.
        var eventsOut = LogBytes(capacity: 0), objectsOut = LogBytes(capacity: 0)
        swap(&eventsOut, &self.eventsOut)
        swap(&objectsOut, &self.objectsOut)
        defer {
            swap(&eventsOut, &self.eventsOut)
            swap(&objectsOut, &self.objectsOut)
        }
        patients += 1
        var touched: [Int] = []
        func touch(_ item: Int) { if !touched.contains(item) { touched.append(item) } }

        // Arrival.
        beginEvent(&eventsOut, Self.arrivesJSON, time: j.arrival)
        runAttributes(&eventsOut, first: true)
        relationships(&eventsOut)
        var first = true
        relation(&eventsOut, &first, { self.patientID(&$0, j.patient) }, "patient")
        eventsOut.append("]}")

        var handoffIndex = 0
        let handoffs = j.handoffs.filter(\.crossOrganisation)
        var seenBy: [Int] = []
        for visit in j.visits {
            while handoffIndex < handoffs.count, handoffs[handoffIndex].time <= visit.start {
                writeHandoff(&eventsOut, handoffs[handoffIndex], j, touch)
                handoffIndex += 1
            }
            let s = visit.state
            guard s < names.terminal.count, !names.terminal[s] else { continue }
            beginEvent(&eventsOut, stateType[s], time: visit.start)
            eventAttribute(&eventsOut, "completed", first: true)
            if visit.end.isFinite {
                eventsOut.append(byte: UInt8(ascii: "\"")); eventsOut.append(time: visit.end, clock: clock, iso: true); eventsOut.append("\"}")
            } else {
                eventsOut.append("null}")
            }
            eventAttribute(&eventsOut, "organisation"); eventsOut.append(stateOrganisation[s] ?? Self.empty); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "role"); eventsOut.append(stateRole[s] ?? Self.empty); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "waited_h"); decimal(&eventsOut, visit.waited); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "duration_h"); decimal(&eventsOut, visit.end - visit.start); eventsOut.append(byte: UInt8(ascii: "}"))
            var gaps = 0
            for check in visit.checks where check.gap != .available { gaps += 1 }
            eventAttribute(&eventsOut, "items_needed"); eventsOut.append(visit.checks.count); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "gaps"); eventsOut.append(gaps); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "handoff_delay_h"); decimal(&eventsOut, visit.handoffDelay); eventsOut.append(byte: UInt8(ascii: "}"))
            runAttributes(&eventsOut)
            relationships(&eventsOut)
            var first = true
            relation(&eventsOut, &first, { self.patientID(&$0, j.patient) }, "patient")
            if let org = stateOrganisation[s] {
                relation(&eventsOut, &first, { self.organisationID(&$0, org) }, "performed by")
                let o = names.stateOrganisation[s]
                if !seenBy.contains(o) { seenBy.append(o) }
            }
            // One link per item and qualifier, as the SQLite layout's key allows.
            var linked: [(Int, Int)] = []
            for check in visit.checks where !linked.contains(where: { $0 == (check.item, check.gap.rawValue) }) {
                linked.append((check.item, check.gap.rawValue))
                touch(check.item)
                if !first { eventsOut.append(byte: UInt8(ascii: ",")) }
                first = false
                eventsOut.append("{\"objectId\":\""); itemID(&eventsOut, j.patient, check.item)
                eventsOut.append("\",\"qualifier\":"); eventsOut.append(gapQualifier[check.gap.rawValue]); eventsOut.append(byte: UInt8(ascii: "}"))
            }
            for item in produces[s] {
                touch(item)
                relation(&eventsOut, &first, { self.itemID(&$0, j.patient, item) }, "produces")
            }
            eventsOut.append("]}")
        }
        while handoffIndex < handoffs.count {
            writeHandoff(&eventsOut, handoffs[handoffIndex], j, touch)
            handoffIndex += 1
        }
        if j.terminal >= 0 {
            let by = stateOrganisation[j.terminal] != nil ? j.terminal : j.visits.last?.state
            beginEvent(&eventsOut, stateType[j.terminal], time: j.left)
            eventAttribute(&eventsOut, "organisation", first: true); eventsOut.append(by.flatMap { stateOrganisation[$0] } ?? Self.empty); eventsOut.append(byte: UInt8(ascii: "}"))
            eventAttribute(&eventsOut, "role"); eventsOut.append(by.flatMap { stateRole[$0] } ?? Self.empty); eventsOut.append(byte: UInt8(ascii: "}"))
            runAttributes(&eventsOut)
            relationships(&eventsOut)
            var first = true
            relation(&eventsOut, &first, { self.patientID(&$0, j.patient) }, "patient")
            if let org = by.flatMap({ stateOrganisation[$0] }) { relation(&eventsOut, &first, { self.organisationID(&$0, org) }, "performed by") }
            eventsOut.append("]}")
        }

        // The patient and its items.
        beginObject(&objectsOut, { self.patientID(&$0, j.patient) }, Self.patientTypeJSON)
        objectsOut.append(",\"attributes\":[")
        attribute(&objectsOut, "variant", variantValue, first: true)
        objectAttribute(&objectsOut, "replication") { $0.append(self.replication) }
        objectAttribute(&objectsOut, "patient") { $0.append(j.patient) }
        objectAttribute(&objectsOut, "arrival") { $0.append(byte: UInt8(ascii: "\"")); $0.append(time: j.arrival, clock: self.clock, iso: true); $0.append(byte: UInt8(ascii: "\"")) }
        let group: [UInt8]
        if let cached = groupValues[j.group] { group = cached } else { group = J.string(names.group(j.group)); groupValues[j.group] = group }
        attribute(&objectsOut, "cohort_group", group)
        attribute(&objectsOut, "terminal", j.terminal >= 0 ? stateNameValue[j.terminal] : Self.empty)
        objectAttribute(&objectsOut, "counted") { $0.append(j.counted ? "true" : "false") }
        let inPathway = j.left - j.arrival
        objectAttribute(&objectsOut, "time_in_pathway_h") { if inPathway.isFinite { $0.append(decimal: inPathway) } else { $0.append("null") } }
        for (a, attribute) in names.attributes.enumerated() where a < j.attributes.count {
            let value = j.attributes[a]
            objectsOut.append(",{\"name\":"); objectsOut.append(attributeNames[a])
            objectsOut.append(",\"time\":\""); objectsOut.append(Self.epochBytes); objectsOut.append("\",\"value\":")
            switch attribute.type {
            case .number: if value.isFinite { objectsOut.append(decimal: value) } else { objectsOut.append("null") }
            case .boolean: objectsOut.append(value != 0 ? "true" : "false")
            case .categorical:
                if let level = Int(exactly: value), level >= 0, level < attributeLevels[a].count { objectsOut.append(attributeLevels[a][level]) }
                else { objectsOut.append("null") }
            }
            objectsOut.append(byte: UInt8(ascii: "}"))
        }
        objectsOut.append("],\"relationships\":[")
        first = true
        for o in seenBy where o >= 0 && o < names.organisations.count {
            let org = organisationJSON[o]
            relation(&objectsOut, &first, { self.organisationID(&$0, org) }, "seen by")
        }
        objectsOut.append("]}")
        objects += 1
        for item in touched {
            beginObject(&objectsOut, { self.itemID(&$0, j.patient, item) }, Self.itemTypeJSON)
            objectsOut.append(",\"attributes\":[")
            objectsOut.append(itemObjectAttributes[item])
            objectAttribute(&objectsOut, "patient") { $0.append(byte: UInt8(ascii: "\"")); self.patientID(&$0, j.patient); $0.append(byte: UInt8(ascii: "\"")) }
            attribute(&objectsOut, "variant", variantValue)
            objectAttribute(&objectsOut, "replication") { $0.append(self.replication) }
            objectsOut.append("],\"relationships\":[")
            var first = true
            relation(&objectsOut, &first, { self.patientID(&$0, j.patient) }, "about")
            objectsOut.append("]}")
            objects += 1
        }
        if eventsOut.count >= 1 << 16 { eventsOut.withUnsafeBytes { file.write(raw: $0) }; eventsOut.removeAll() }
        if objectsOut.count >= 1 << 16 { objectsOut.withUnsafeBytes { spill.write($0) }; objectsOut.removeAll() }
    }

    static let empty: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\"")]

    @inline(__always)
    func objectAttribute(_ objectsOut: inout LogBytes, _ name: StaticString, _ value: (inout LogBytes) -> Void) {
        objectsOut.append(",{\"name\":\""); objectsOut.append(name); objectsOut.append("\",\"time\":\""); objectsOut.append(Self.epochBytes)
        objectsOut.append("\",\"value\":"); value(&objectsOut); objectsOut.append(byte: UInt8(ascii: "}"))
    }

    func runAttributes(_ eventsOut: inout LogBytes, first: Bool) {
        eventAttribute(&eventsOut, "variant", first: first); eventsOut.append(variantValue); eventsOut.append(byte: UInt8(ascii: "}"))
        eventAttribute(&eventsOut, "replication"); eventsOut.append(replication); eventsOut.append(byte: UInt8(ascii: "}"))
    }

    func writeHandoff(_ eventsOut: inout LogBytes, _ h: PatientJourney.Handoff, _ j: PatientJourney, _ touch: (Int) -> Void) {
        beginEvent(&eventsOut, Self.handoffJSON, time: h.time)
        eventAttribute(&eventsOut, "from_state", first: true); eventsOut.append(stateNameValue[h.from]); eventsOut.append(byte: UInt8(ascii: "}"))
        eventAttribute(&eventsOut, "to_state"); eventsOut.append(stateNameValue[h.to]); eventsOut.append(byte: UInt8(ascii: "}"))
        eventAttribute(&eventsOut, "latency_h"); decimal(&eventsOut, h.latency); eventsOut.append(byte: UInt8(ascii: "}"))
        eventAttribute(&eventsOut, "lost_referrals"); eventsOut.append(h.lost); eventsOut.append(byte: UInt8(ascii: "}"))
        runAttributes(&eventsOut)
        relationships(&eventsOut)
        var first = true
        relation(&eventsOut, &first, { self.patientID(&$0, j.patient) }, "patient")
        if let from = stateOrganisation[h.from] { relation(&eventsOut, &first, { self.organisationID(&$0, from) }, "from") }
        if let to = stateOrganisation[h.to] { relation(&eventsOut, &first, { self.organisationID(&$0, to) }, "to") }
        var carried: [Int] = []
        for i in h.carried where !carried.contains(i) {
            carried.append(i)
            touch(i)
            relation(&eventsOut, &first, { self.itemID(&$0, j.patient, i) }, "carries")
        }
        eventsOut.append("]}")
    }

    func finish() throws {
        eventsOut.withUnsafeBytes { file.write(raw: $0) }
        eventsOut.removeAll()
        file.write("\n],\"objects\":[")
        objectsOut.withUnsafeBytes { spill.write($0) }
        objectsOut.removeAll()
        do {
            try spill.copy { file.write(bytes: $0) }
        } catch {
            abort()
            throw StreamingFileError(path: file.destination.path, message: "\(error)")
        }
        file.write("\n]}\n")
        spill.abort()
        try file.finish()
    }

    func abort() {
        file.abort()
        spill.abort()
    }
}

/// A temporary file beside an output, written and read back once, then removed.
final class SpillFile {
    let path: String
    private var fd: Int32
    private(set) var error: String?

    init(beside url: URL) throws {
        let destination = url.standardizedFileURL
        // Named and registered like every temporary, so that a signal or a later sweep removes it.
        path = TemporaryFiles.path(beside: destination)
        TemporaryFiles.register(path)
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            TemporaryFiles.unregister(path)
            throw StreamingFileError(path: destination.path, message: "creating a temporary file: " + String(cString: strerror(errno)))
        }
    }

    deinit { abort() }

    func write(_ raw: UnsafeRawBufferPointer) {
        guard error == nil, fd >= 0 else { return }
        do {
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                #else
                let n = Darwin.write(fd, base + offset, raw.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    error = "writing \(path): " + String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
    }

    /// Hands the file's bytes, from the start, to `sink` in chunks.
    func copy(_ sink: ([UInt8]) -> Void) throws {
        if let error { throw StreamingFileError(path: path, message: error) }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw StreamingFileError(path: path, message: "rewinding: " + String(cString: strerror(errno))) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StreamingFileError(path: path, message: "reading back: " + String(cString: strerror(errno)))
            }
            if n == 0 { break }
            sink(Array(chunk[0..<n]))
        }
    }

    func abort() {
        if fd >= 0 { close(fd); fd = -1; unlink(path); TemporaryFiles.unregister(path) }
    }
}
