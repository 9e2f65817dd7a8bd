import CarePathModel
import CarePathSimulation

extension OCELJSONEncoder {
    /// Appends the patient's events to `eventsOut`, and the patient and its items to `objectsOut`.
    mutating func write(_ j: PatientJourney) {
        patients += 1
        touched.removeAll(keepingCapacity: true)
        seenBy.removeAll(keepingCapacity: true)

        // Arrival: the run attributes come first (no comma before them).
        beginEvent(arrivalTypeOpen, time: j.arrival)
        eventsOut.append(arrivalTail)
        patientLink(j.patient)
        eventsOut.append("]}")

        // Cross-organisation handoffs, in time order with the visits.
        var h = 0
        let handoffs = j.handoffs
        for visit in j.visits {
            while h < handoffs.count {
                if !handoffs[h].crossOrganisation { h += 1; continue }
                guard handoffs[h].time <= visit.start else { break }
                writeHandoff(handoffs[h], j.patient)
                h += 1
            }
            let s = visit.state
            guard s < names.terminal.count, !names.terminal[s] else { continue }
            writeVisit(visit, j.patient)
        }
        while h < handoffs.count {
            if handoffs[h].crossOrganisation { writeHandoff(handoffs[h], j.patient) }
            h += 1
        }
        if j.terminal >= 0 {
            // Performed by the terminal state's owner if it has one, else by the state the patient left from.
            let by = performedBy[j.terminal] != nil ? j.terminal : j.visits.last?.state
            beginEvent(stateTypeOpen[j.terminal], time: j.left)
            eventsOut.append("\",\"attributes\":[")
            eventsOut.append(by.map { leavingAttributes[$0] } ?? leavingAlone)
            eventsOut.append(eventTail)
            patientLink(j.patient)
            if let by, let link = performedBy[by] { eventsOut.append(link) }
            eventsOut.append("]}")
        }
        writeObjects(j)
    }

    /// `event-<run>-<n>`, the type and the time's value.
    @inline(__always)
    mutating func beginEvent(_ typeOpen: LogFragment, time: Double) {
        if !firstEvent { eventsOut.append(byte: UInt8(ascii: ",")) }
        firstEvent = false
        nextEvent += 1
        events += 1
        eventsOut.append(eventOpen); eventsOut.append(nextEvent); eventsOut.append(typeOpen)
        eventsOut.append(time: time, clock: clock, iso: true)
    }

    /// The patient's number and the end of its link (`eventTail` opened it).
    @inline(__always)
    mutating func patientLink(_ patient: Int) {
        eventsOut.append(patient); eventsOut.append("\",\"qualifier\":\"patient\"}")
    }

    @inline(__always)
    mutating func decimal(_ x: Double) {
        if x.isFinite { eventsOut.append(decimal: x) } else { eventsOut.append("null") }
    }

    @inline(__always)
    mutating func touch(_ item: Int) { if !touched.contains(item) { touched.append(item) } }

    mutating func writeVisit(_ visit: PatientJourney.Visit, _ patient: Int) {
        let s = visit.state
        beginEvent(stateTypeOpen[s], time: visit.start)
        eventsOut.append("\",\"attributes\":[{\"name\":\"completed\",\"value\":")
        if visit.end.isFinite {
            eventsOut.append(byte: UInt8(ascii: "\"")); eventsOut.append(time: visit.end, clock: clock, iso: true); eventsOut.append("\"}")
        } else {
            eventsOut.append("null}")
        }
        eventsOut.append(stateMiddle[s]); decimal(visit.waited)
        eventsOut.append("},{\"name\":\"duration_h\",\"value\":"); decimal(visit.end - visit.start)
        var gaps = 0
        for check in visit.checks where check.gap != .available { gaps += 1 }
        eventsOut.append("},{\"name\":\"items_needed\",\"value\":"); eventsOut.append(visit.checks.count)
        eventsOut.append("},{\"name\":\"gaps\",\"value\":"); eventsOut.append(gaps)
        eventsOut.append("},{\"name\":\"handoff_delay_h\",\"value\":"); decimal(visit.handoffDelay)
        eventsOut.append("}")
        eventsOut.append(eventTail)
        patientLink(patient)
        if let link = performedBy[s] {
            eventsOut.append(link)
            let o = names.stateOrganisation[s]
            if !seenBy.contains(o) { seenBy.append(o) }
        }
        // One link per item and qualifier, as the SQLite layout's key allows.
        linked.removeAll(keepingCapacity: true)
        for check in visit.checks {
            let key = check.item &* 8 &+ check.gap.rawValue
            guard !linked.contains(key) else { continue }
            linked.append(key)
            touch(check.item)
            eventsOut.append(itemLinkOpen); eventsOut.append(patient); eventsOut.append(needsLink[check.item][check.gap.rawValue])
        }
        for item in produces[s] {
            touch(item)
            eventsOut.append(itemLinkOpen); eventsOut.append(patient); eventsOut.append(producesLink[item])
        }
        eventsOut.append("]}")
    }

    mutating func writeHandoff(_ h: PatientJourney.Handoff, _ patient: Int) {
        beginEvent(handoffTypeOpen, time: h.time)
        eventsOut.append("\",\"attributes\":[{\"name\":\"from_state\",\"value\":"); eventsOut.append(stateValue[h.from])
        eventsOut.append("},{\"name\":\"to_state\",\"value\":"); eventsOut.append(stateValue[h.to])
        eventsOut.append("},{\"name\":\"latency_h\",\"value\":"); decimal(h.latency)
        eventsOut.append("},{\"name\":\"lost_referrals\",\"value\":"); eventsOut.append(h.lost)
        eventsOut.append("}")
        eventsOut.append(eventTail)
        patientLink(patient)
        if let link = fromLink[h.from] { eventsOut.append(link) }
        if let link = toLink[h.to] { eventsOut.append(link) }
        for (k, item) in h.carried.enumerated() where !h.carried[..<k].contains(item) {
            touch(item)
            eventsOut.append(itemLinkOpen); eventsOut.append(patient); eventsOut.append(carriesLink[item])
        }
        eventsOut.append("]}")
    }

    /// The patient and the items its events touched.
    mutating func writeObjects(_ j: PatientJourney) {
        if !firstObject { objectsOut.append(byte: UInt8(ascii: ",")) }
        firstObject = false
        objectsOut.append(patientOpen); objectsOut.append(j.patient)
        objectsOut.append(patientAfterID); objectsOut.append(j.patient)
        objectsOut.append("},{\"name\":\"arrival\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":\"")
        objectsOut.append(time: j.arrival, clock: clock, iso: true)
        objectsOut.append("\"},{\"name\":\"cohort_group\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":")
        if let cached = groupValues[j.group] {
            objectsOut.append(cached)
        } else {
            let group = fragments.make(OCELJSONWriter.J.string(names.group(j.group)))
            groupValues[j.group] = group
            objectsOut.append(group)
        }
        objectsOut.append("},{\"name\":\"terminal\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":")
        if j.terminal >= 0 { objectsOut.append(stateValue[j.terminal]) } else { objectsOut.append("\"\"") }
        objectsOut.append(j.counted ? "},{\"name\":\"counted\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":true}"
                                    : "},{\"name\":\"counted\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":false}")
        objectsOut.append(",{\"name\":\"time_in_pathway_h\",\"time\":\"1970-01-01T00:00:00.000+00:00\",\"value\":")
        let inPathway = j.left - j.arrival
        if inPathway.isFinite { objectsOut.append(decimal: inPathway) } else { objectsOut.append("null") }
        objectsOut.append(byte: UInt8(ascii: "}"))
        for (a, attribute) in names.attributes.enumerated() where a < j.attributes.count {
            let value = j.attributes[a]
            objectsOut.append(attributeOpen[a])
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
        var first = true
        for o in seenBy where o >= 0 && o < names.organisations.count {
            if !first { objectsOut.append(byte: UInt8(ascii: ",")) }
            first = false
            objectsOut.append(seenByLink[o])
        }
        objectsOut.append("]}")
        objects += 1
        for item in touched {
            objectsOut.append(byte: UInt8(ascii: ","))
            objectsOut.append(itemOpen); objectsOut.append(j.patient)
            objectsOut.append(itemMiddle[item]); objectsOut.append(j.patient)
            objectsOut.append(itemTail); objectsOut.append(j.patient)
            objectsOut.append("\",\"qualifier\":\"about\"}]}")
            objects += 1
        }
    }
}
