import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// A GRDB cached INSERT statement driven through SQLite's own binding calls, for the tables that
/// take a row per patient or per event: no argument arrays, no boxing, bindings that stay put
/// across rows (SQLite keeps them after `sqlite3_reset`), so the event log is written at SQLite's
/// own speed. Used only inside a `Database` access, on the statement's connection. The store's
/// tables and the OCEL 2.0 export both write through it.
public struct PreparedInsert {
    public let statement: Statement
    let connection: SQLiteConnection?
    private var handle: SQLiteStatement { statement.sqliteStatement }

    public init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    @inline(__always) public func bind(_ i: Int32, _ value: Int64) { sqlite3_bind_int64(handle, i, value) }
    @inline(__always) public func bind(_ i: Int32, _ value: Int) { sqlite3_bind_int64(handle, i, Int64(value)) }
    @inline(__always) public func bind(_ i: Int32, _ value: Double) { sqlite3_bind_double(handle, i, value) }
    @inline(__always) public func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    public func bind(_ i: Int32, _ value: String) {
        // SQLITE_TRANSIENT: SQLite copies the bytes before the Swift buffer goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var value = value
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    _ = sqlite3_bind_text(handle, i, $0, Int32(bytes.count), transient)
                }
            } else {
                _ = sqlite3_bind_text(handle, i, "", 0, transient)  // empty text, not NULL
            }
        }
    }

    /// Inserts one row with the current bindings.
    @inline(__always) public func step() throws {
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }

    /// Lets go of text bindings once the rows are in.
    public func done() { sqlite3_clear_bindings(handle) }
}
