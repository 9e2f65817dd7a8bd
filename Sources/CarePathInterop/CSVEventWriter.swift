import CarePathFiles
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// One row per simulation event, streamed as it happens: for spreadsheets, R, pandas, DuckDB.
final class CSVEventWriter: JourneySink {
    static let header = "variant,replication,patient,time_h,timestamp,event,state,organisation,role,item,gap,response,time_spent_h,waited_h,from_state,cross_organisation,latency_h,lost_referrals,items_carried\n"

    let file: StreamingFile
    let clock: LogClock
    var names: LogNames?
    var variantField = ""
    var replication = 0
    private(set) var rows = 0
    private(set) var patients = 0

    init(_ url: URL, clock: LogClock) throws {
        file = try StreamingFile(url)
        self.clock = clock
        file.write(Self.header)
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.names = names
        variantField = Self.field(variantName)
        self.replication = replication
    }

    /// RFC 4180 quoting, and formula-like text neutralised, as in the metrics CSV (`CSVExport.field`).
    static func field(_ text: String) -> String { CSVExport.field(text) }

    @inline(__always) func number(_ x: Double) -> String { x.isFinite ? String(x) : "" }

    func event(_ row: LogRow) {
        guard let names else { return }
        var line = variantField
        line += ",\(replication),\(row.patient),\(number(row.time)),\(clock.sql(row.time)),\(row.kind.rawValue),"
        if row.state >= 0 {
            line += Self.field(names.states[row.state]) + ","
            line += Self.field(names.organisation(ofState: row.state) ?? "") + ","
            line += Self.field(names.role(ofState: row.state) ?? "") + ","
        } else {
            line += ",,,"
        }
        line += (row.item >= 0 ? Self.field(names.items[row.item]) : "") + ","
        line += (row.gap?.name ?? "") + ","
        line += (row.response.map(XESWriter.response) ?? "") + ","
        line += number(row.timeSpent) + ","
        line += number(row.waited) + ","
        line += (row.from >= 0 ? Self.field(names.states[row.from]) : "") + ","
        line += row.crossOrganisation.map { $0 ? "true" : "false" } ?? ""
        line += "," + number(row.latency) + ","
        line += row.lost >= 0 ? String(row.lost) : ""
        line += "," + Self.field(row.carried.map { names.items[$0] }.joined(separator: " "))
        line += "\n"
        file.write(line)
        rows += 1
    }

    func journey(_ journey: PatientJourney) { patients += 1 }

    func finish() throws { try file.finish() }
    func abort() { file.abort() }
}
