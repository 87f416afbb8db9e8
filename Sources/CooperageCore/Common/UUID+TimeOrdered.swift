public import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then random bits.
    ///
    /// Rows written later get larger ids, so an index on (tenant, id) grows at the end of each tenant's range
    /// instead of at a random page: at ten million usage rows the primary key no longer fits in memory, and
    /// random inserts read and dirty a page each.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        func byte(_ value: UInt64, _ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: value >> shift) }
        return UUID(
            uuid: (
                byte(milliseconds, 40), byte(milliseconds, 32), byte(milliseconds, 24), byte(milliseconds, 16),
                byte(milliseconds, 8), byte(milliseconds, 0),
                0x70 | (byte(random.0, 56) & 0x0F), byte(random.0, 48),
                0x80 | (byte(random.0, 40) & 0x3F), byte(random.0, 32), byte(random.0, 24), byte(random.0, 16),
                byte(random.0, 8), byte(random.0, 0), byte(random.1, 8), byte(random.1, 0)
            )
        )
    }
}
