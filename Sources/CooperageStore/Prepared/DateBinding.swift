import CooperageCore
import NIOCore
import PostgresNIO

/// A calendar day bound as a `date` parameter, sent in PostgreSQL's text form (`YYYY-MM-DD`).
///
/// Bound as text and cast in the statement (`$9::date`), the cast is a conversion through text that Citus writes
/// out as `('2026-12-01'::cstring)::date` when it delegates the call to a worker, which the worker refuses ("cannot
/// cast type cstring to date", measured). A parameter that is a `date` from the start needs no cast.
struct DateBinding: PostgresNonThrowingEncodable {
    static var psqlType: PostgresDataType { .date }
    static var psqlFormat: PostgresFormat { .text }

    let day: LocalDate

    init(_ day: LocalDate) { self.day = day }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(day.description)
    }
}
