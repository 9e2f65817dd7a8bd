import ArgumentParser
import CarePathFormat
import CarePathModel
import CarePathRender
import CarePathStore
import CarePathWorkshop
import CarePathWorkshopServer
import Foundation

struct Workshop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a workshop page for a scenario: the diagram, levers, live answers against the baseline, and the room's options board.",
        discussion: """
        Listens on 127.0.0.1 (this machine only) unless --host says otherwise. On any other host every request, the page \
        included, needs the access token (--token, or one generated and printed at start); requests without it are refused \
        (401). Runs, saved options and notes go to the results store (--db), so a restart finds the board again.
        """
    )

    @Argument(help: "A scenario file.") var scenario: String
    @Option(help: "The port to listen on (0: any free port, printed at start).") var port: Int = 8080
    @Option(help: "The address to listen on; anything but loopback requires the access token.") var host: String = "127.0.0.1"
    @Option(help: "The results store runs, options and notes are kept in.") var db: String = "Reports/carepath.sqlite"
    @Option(help: "The access token (at least 16 characters; generated when --host is not loopback and none is given).") var token: String?
    @Option(help: "Replications of each run (default: the scenario's).") var replications: Int?
    @OptionGroup var waiting: StoreWait

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let token, AccessToken(token) == nil {
            throw ValidationError("--token must be 16 to 256 printable characters without spaces, '&' or '#'")
        }
        if let replications, !(1...Bounds.maximumReplications).contains(replications) {
            throw ValidationError("--replications must be from 1 to \(Bounds.maximumReplications)")
        }
    }

    func run() throws {
        let setup: WorkshopSetup
        do throws(FormatErrors) {
            setup = try WorkshopSetup.load(URL(fileURLWithPath: scenario))
        } catch {
            throw Failure(error.description + "\n\(scenario): no workshop started")
        }
        try Outputs.prepare([], database: db)
        let store: ResultsStore
        do { store = try waiting.open(db, create: true) } catch { throw Failure("\(db): cannot open the results store: \(error)") }
        let svg: String
        do throws(GraphvizError) {
            var diagram = PathwayDiagram(pathway: setup.pathway)
            diagram.direction = try PathwayDiagram.screenDirection(diagram)
            svg = String(decoding: try diagram.render(.svg), as: UTF8.self)
        } catch {
            throw Failure("\(scenario): cannot draw the diagram: \(error)")
        }
        let offLoopback = !Loopback.contains(host)
        let given = token.flatMap(AccessToken.init)
        let access = given ?? (offLoopback ? AccessToken.generate() : nil)
        let service = WorkshopEngine(setup: setup, store: store, replications: replications)
        let page = WorkshopPage(title: service.setup.title, question: service.setup.question, svg: svg)
        let server: WorkshopServer
        do throws(WorkshopServer.StartError) {
            server = try WorkshopServer(service: service, page: page, configuration: .init(host: host, port: port, token: access))
        } catch {
            throw Failure(error.description)
        }
        let host = self.host, scenario = self.scenario, db = self.db, generated = given == nil
        let levers = service.setup.levers.count
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run { bound in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    var lines = ["carepath workshop: \(scenario) (\(levers) levers), runs and the board kept in \(db)"]
                    if let access {
                        lines.append("Open http://\(shown):\(bound)/?token=\(access.value)")
                        lines.append(offLoopback
                            ? "Listening on \(host), beyond this machine: every request needs the access token\(generated ? " (generated; --token chooses one)" : ""); requests without it are refused (401)."
                            : "Every request needs the access token; requests without it are refused (401).")
                    } else {
                        lines.append("Open http://\(shown):\(bound)/")
                        lines.append("Listening on \(host): this machine only. Ctrl-C stops the server.")
                    }
                    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                }
            } catch {
                failure.set("\(host):\(port): cannot serve: \(error)")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.message { throw Failure(message) }
    }
}

/// The server task's failure, read on the main thread once it has ended.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    func set(_ message: String) { lock.lock(); stored = message; lock.unlock() }
    var message: String? { lock.lock(); defer { lock.unlock() }; return stored }
}
