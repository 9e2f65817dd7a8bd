import ArgumentParser
import CarePathStore
import Foundation

/// `--wait SECONDS`: how long a command waits for a results store another process is writing to,
/// saying so on standard error, before it gives up naming that process.
struct StoreWait: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds to wait for a store another process is writing to (default: 10).", valueName: "seconds"))
    var wait: Double = ResultsStore.defaultWait

    func validate() throws {
        guard wait.isFinite, wait >= 0, wait <= 86_400 else { throw ValidationError("--wait must be a number of seconds from 0 to 86400") }
    }

    func open(_ path: String, create: Bool) throws -> ResultsStore {
        try ResultsStore(path: path, create: create, wait: wait) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    }
}
