import Foundation

/// Where "save scenario" may write: a plain file name ending `.yaml` or `.yml`, put beside the
/// workshop's scenario (so its relative `pathway:` still reads). No folders, nothing hidden: a
/// browser cannot reach elsewhere on the disk.
public enum ScenarioFileName {
    public static func resolve(_ name: String, beside scenario: URL) throws(WorkshopServiceError) -> URL {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let allowed = trimmed.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        guard (1...120).contains(trimmed.count), allowed, !trimmed.hasPrefix("."), !trimmed.contains(".."),
              trimmed.hasSuffix(".yaml") || trimmed.hasSuffix(".yml") else {
            throw .invalid("a scenario file name is letters, digits, dashes, underscores and dots, ending .yaml (no folders), such as workshop-options.yaml")
        }
        return scenario.deletingLastPathComponent().appendingPathComponent(trimmed)
    }
}
