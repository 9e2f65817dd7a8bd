import ArgumentParser
import CarePathFormat
import CarePathInterop
import Foundation

/// `carepath import bpmn FILE.bpmn`: a BPMN model from a workshop tool as a pathway file to fill in.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring models from other tools into CarePath.",
        subcommands: [ImportBPMN.self]
    )
}

struct ImportBPMN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpmn",
        abstract: "Turn a BPMN 2.0 model (bpmn.io, Camunda Modeler, Signavio...) into a pathway file.",
        discussion: """
            Pools become organisations, lanes roles, tasks states, exclusive gateways branches and message \
            flows between pools cross-organisation handoffs carrying the message as an information item; \
            a message from a step that carries on by its sequence flow is an item sent (sends:), not a choice. \
            A file written by `carepath export --bpmn` is read back whole from its CarePath extension elements. \
            What BPMN does not say (durations, capacities, sectors, probabilities) gets a default marked \
            '# TODO(planner)'. What cannot be mapped is printed as a warning with the BPMN element's id. \
            Exits 1 with a located error for a file that is not well-formed XML, not BPMN, or has no process.
            """
    )

    @Argument(help: "A BPMN 2.0 XML file.") var file: String
    @Option(name: .shortAndLong, help: "The pathway file to write (default: the BPMN file's name with .yaml, beside it).")
    var output: String?
    @Option(help: "The pathway's identifier (default: from the file name).") var id: String?
    @Flag(name: .long, help: "Do not print warnings.") var quiet = false

    func validate() throws {
        if let id, !CarePathName.isValid(id) {
            throw ValidationError("--id must be a name: letters, digits, '-' or '_', starting with a letter")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let result: BPMNImport.Result
        do throws(FormatErrors) {
            result = try BPMNImport.convert(url, as: file, pathwayID: id)
        } catch {
            throw Failure(error.description + "\n\(file): not imported")
        }
        if !quiet {
            for warning in result.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
        }
        let errors = result.check.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw Failure(errors.map(\.description).joined(separator: "\n")
                          + "\n\(file): the pathway made from it does not validate (a CarePath bug; please report it with the file); nothing written")
        }
        let path = output ?? url.deletingPathExtension().appendingPathExtension("yaml").relativePath
        try Outputs.write(Data(result.yaml.utf8), to: path)
        let todo = result.yaml.components(separatedBy: "TODO(planner)").count - 1
        print("\(path): pathway \(result.pathwayID) from \(file): \(result.organisations) organisation(s), \(result.roles) role(s), "
              + "\(result.states) state(s), \(result.crossOrganisationHandoffs) cross-organisation handoff(s), \(result.items) information item(s); "
              + "\(result.warnings.count) warning(s); \(todo) value(s) marked TODO(planner) to fill in")
    }
}
