import CGraphviz
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output formats of a diagram.
public enum RenderFormat: String, CaseIterable, Hashable, Sendable {
    /// CarePath's own DOT text, unchanged: libgvc is not called, so the file is exactly what
    /// `DOTGraph.dotText` produced (stable across Graphviz versions, and readable by any Graphviz).
    case dot
    /// SVG from libgvc's core renderer.
    case svg
    /// PNG from libgvc's cairo renderer.
    case png

    /// The usual file extension.
    public var fileExtension: String { rawValue }
}

/// A Graphviz failure, with Graphviz's own message when it gave one.
public struct GraphvizError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Stage: String, Hashable, Sendable {
        case context, parse, layout, render, output
    }
    public var stage: Stage
    public var message: String

    public init(stage: Stage, message: String) { self.stage = stage; self.message = message }

    public var description: String { "Graphviz \(stage.rawValue) failed: \(message)" }
}

/// Renders DOT text in-process with libgvc.
///
/// Sequence: read (agread with a deterministic ID discipline, see `DeterministicDOTReader`) →
/// gvLayout → gvRender into an open_memstream FILE* → fclose → free, and always gvFreeLayout and
/// agclose, on failure too. The GVC context is created once and kept (see `context` for why).
/// Graphviz's messages are kept off stderr and returned in the thrown `GraphvizError`.
///
/// libgvc/libcgraph keep global state (the DOT parser, the error channel, cdt trees that
/// reorganise on lookup) and are documented as not thread-safe, so every call made here happens
/// while holding one process-wide lock: renders from several threads are serialised, never run
/// in parallel. Output is produced with `open_memstream` + `gvRender` rather than `gvRenderData`,
/// whose length parameter changed type in Graphviz 13 (`unsigned int *` to `size_t *`).
public struct GraphvizRenderer: Sendable {
    /// The Graphviz layout engine (`dot` draws clusters and ranks, which diagrams rely on).
    public var layoutEngine: String

    public init(layoutEngine: String = "dot") { self.layoutEngine = layoutEngine }

    /// The graph in `format`; `.dot` returns the graph's own DOT text.
    public func render(_ graph: DOTGraph, format: RenderFormat) throws(GraphvizError) -> Data {
        try render(dot: graph.dotText, format: format)
    }

    /// DOT text rendered to `format`. For `.dot` the text is returned as it is, without parsing.
    public func render(dot: String, format: RenderFormat) throws(GraphvizError) -> Data {
        switch format {
        case .dot: return Data(dot.utf8)
        case .svg: return try Self.renderLocked(dot: dot, engine: layoutEngine, format: "svg")
        case .png: return try Self.renderLocked(dot: dot, engine: layoutEngine, format: "png")
        }
    }

    /// SVG as a string, for embedding in HTML reports.
    public func svg(dot: String) throws(GraphvizError) -> String {
        let data = try render(dot: dot, format: .svg)
        guard let text = String(data: data, encoding: .utf8) else {
            throw GraphvizError(stage: .output, message: "the SVG is not valid UTF-8")
        }
        return text
    }

    /// SVG ready to paste inside an HTML page: from the `<svg` element on, without the XML
    /// declaration, DOCTYPE and generator comment that only a standalone file needs.
    public func inlineSVG(dot: String) throws(GraphvizError) -> String {
        let text = try svg(dot: dot)
        guard let start = text.range(of: "<svg") else {
            throw GraphvizError(stage: .output, message: "the output has no <svg> element")
        }
        return String(text[start.lowerBound...])
    }

    /// The one lock every libgvc/libcgraph call goes through.
    private static let lock = NSLock()

    private static func renderLocked(dot: String, engine: String, format: String) throws(GraphvizError) -> Data {
        lock.lock()
        defer { lock.unlock() }

        // AGMAX: messages go to cgraph's private message file instead of stderr, and aglasterr()
        // reads the last one back. (A user callback via agseterrf is avoided on purpose: in 2.42
        // its formatting buffer is reused after realloc, so a message over 1 KB corrupts memory.)
        let previousLevel = agseterr(AGMAX)
        defer { _ = agseterr(previousLevel) }
        _ = agreseterrors()

        guard let context = sharedContext() else {
            throw GraphvizError(stage: .context, message: "could not create a Graphviz context")
        }

        // Not agmemread: see DeterministicDOTReader. Its disciplines are used until agclose,
        // so keep it alive past the agclose below (defers run last-registered first).
        let reader = DeterministicDOTReader(dot)
        defer { withExtendedLifetime(reader) {} }
        guard let graph = reader.read() else {
            throw GraphvizError(stage: .parse, message: lastMessage() ?? "the text is not a DOT graph")
        }
        defer { _ = agclose(graph) }
        // Registered after agclose's defer so it runs first; safe even when layout failed.
        defer { _ = gvFreeLayout(context, graph) }

        guard gvLayout(context, graph, engine) == 0 else {
            throw GraphvizError(stage: .layout, message: lastMessage() ?? "layout with '\(engine)' failed")
        }

        var buffer: UnsafeMutablePointer<CChar>? = nil
        var size = 0
        guard let stream = open_memstream(&buffer, &size) else {
            throw GraphvizError(stage: .output, message: "open_memstream failed: " + String(cString: strerror(errno)))
        }
        let status = gvRender(context, graph, format, stream)
        // fclose flushes the stream and sets buffer/size; the buffer is ours to free afterwards.
        let closed = fclose(stream)
        defer { free(buffer) }
        guard status == 0 else {
            throw GraphvizError(stage: .render, message: lastMessage() ?? "rendering as \(format) failed")
        }
        guard closed == 0, let buffer else {
            throw GraphvizError(stage: .output, message: "could not collect the \(format) output")
        }
        return Data(bytes: buffer, count: size)
    }

    /// The process's one Graphviz context, created on first use and never freed.
    ///
    /// Why not gvContext/gvFreeContext per render: Graphviz 2.42's pango plugin caches a pointer to
    /// the last font name in a static, and that name belongs to the context's font table, so after
    /// gvFreeContext the next render's text layout reads freed memory (found with AddressSanitizer).
    /// One context for the process is how the `dot` command itself renders many graphs. Only touched
    /// with the lock held.
    nonisolated(unsafe) private static var context: OpaquePointer?

    private static func sharedContext() -> OpaquePointer? {
        if let context { return context }
        context = gvContext()
        return context
    }

    /// The last message cgraph recorded since `agreseterrors()`, trimmed; nil when none was an error.
    /// Must be called with the lock held.
    private static func lastMessage() -> String? {
        guard agerrors() > 0, let raw = aglasterr() else { return nil }
        defer { free(raw) }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
