using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Quasar.Storage.Segments;

/// <summary>
/// Byte layout of segment index files (FORMAT.md, "Index file"): a 64-byte header, then one
/// 16-byte slot per entry of the segment, in sequence order (the mapped file is
/// <see cref="SegmentIndex"/>).
/// </summary>
/// <remarks>
/// Integers are little-endian; offsets are in bytes from the start of each structure.
/// <code>
/// Index header (64 bytes)
/// 0            8         12         16         24           32           36         60         64
/// +------------+---------+----------+----------+------------+------------+----------+----------+
/// | magic      | version | state:   | base     | slot count | CRC-32C of | see      | CRC-32C  |
/// | "QUASARIX" | 1       | 0 active | sequence | (sealed:   | the slots  | below    | of 0..59 |
/// |            |         | 1 sealed |          | final;     | (sealed;   |          |          |
/// |            |         | 2 closed |          | else the   | else 0)    |          |          |
/// |            |         |          |          | synced)    |            |          |          |
/// +------------+---------+----------+----------+------------+------------+----------+----------+
///
/// Bytes 36..59 when closed (the clean-close record; reserved, 0, in the other states)
/// 36           44              52         60
/// +------------+---------------+----------+
/// | data file  | last sequence | reserved |
/// | length     | of the data   | 0        |
/// +------------+---------------+----------+
///
/// Slot i (16 bytes at offset 64 + 16 * i): the segment's i-th entry
/// 0                       8                                     16
/// +-----------------------+-------------------------------------+
/// | sequence of the entry | word: offset, batch start and check |
/// | (0 = empty slot)      | (bits below)                        |
/// +-----------------------+-------------------------------------+
///
/// The word, by bit
/// +--------------+-------------+------------------------------------+
/// | bits 63..48: | bit 47:     | bits 46..0: the byte offset of the |
/// | the check    | batch start | entry header in the .seg file      |
/// +--------------+-------------+------------------------------------+
/// check = the low 16 bits of CRC-32C over the sequence, then the word with bits 48..63 zero
/// </code>
/// </remarks>
internal static class IndexFormat
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>Size of the index header.</summary>
    public const int HeaderSize = 64;

    /// <summary>Size of one slot.</summary>
    public const int SlotSize = 16;

    /// <summary>"QUASARIX": the first eight bytes of every index file.</summary>
    public const ulong HeaderMagic = 0x5849_5241_5341_5551; // bytes 'Q','U','A','S','A','R','I','X'

    /// <summary>Header state of the index of the segment being appended to.</summary>
    public const uint StateActive = 0;

    /// <summary>Header state of a sealed segment's index: count and slot checksum are final.</summary>
    public const uint StateSealed = 1;

    /// <summary>
    /// Header state of the last segment's index after a clean close (the clean-close record):
    /// data and slots were synced before it, so the count, data length and last sequence it
    /// names are the whole segment. Replaced durably by an active header before the next append.
    /// </summary>
    public const uint StateClosed = 2;

    private const int OffsetBits = 47;
    private const ulong OffsetMask = (1UL << OffsetBits) - 1;
    private const ulong BatchStartBit = 1UL << OffsetBits;

    /// <summary>The decoded header of an index file; <paramref name="DataLength"/> and <paramref name="LastSequence"/> are the clean-close record's (0 unless closed).</summary>
    public readonly record struct Header(uint State, ulong BaseSequence, long SlotCount, uint SlotsChecksum, long DataLength = 0, ulong LastSequence = 0);

    /// <summary>Encodes an index header.</summary>
    public static void WriteHeader(Span<byte> destination, Header header)
    {
        destination = destination[..HeaderSize];
        destination.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, HeaderMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], header.State);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], header.BaseSequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], (ulong)header.SlotCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[32..], header.SlotsChecksum);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[36..], (ulong)header.DataLength);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[44..], header.LastSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[60..], Crc32C.Compute(destination[..60]));
    }

    /// <summary>Decodes an index header; false when anything is off (the index is then rebuilt).</summary>
    /// <exception cref="CorruptionException">The header is intact but names a format version this build does not read.</exception>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, string path, out Header header)
    {
        header = default;
        if (source.Length < HeaderSize
            || BinaryPrimitives.ReadUInt64LittleEndian(source) != HeaderMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[60..]) != Crc32C.Compute(source[..60]))
        {
            return false;
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        if (version != Version)
        {
            throw new CorruptionException(path, 8, $"unsupported index format version {version} (this build reads version {Version}); the file was left untouched");
        }

        header = new Header(
            BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(source[24..]), long.MaxValue),
            BinaryPrimitives.ReadUInt32LittleEndian(source[32..]),
            (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(source[36..]), long.MaxValue),
            BinaryPrimitives.ReadUInt64LittleEndian(source[44..]));
        return true;
    }

    /// <summary>One decoded slot: the entry's sequence, its byte offset in the segment, and whether a batch starts there.</summary>
    public readonly record struct Slot(ulong Sequence, long Offset, bool BatchStart);

    // AggressiveInlining on the slot helpers: they belong inside the per-entry loops compiled fully
    // optimised at their first call, where the JIT without profile data would leave them calls to
    // tier-0 code (see SegmentEntryDecoder.Decode).
    /// <summary>Encodes a slot; the second word carries offset, batch-start flag and a 16-bit check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteSlot(Span<byte> destination, Slot slot)
    {
        ulong word = (ulong)slot.Offset | (slot.BatchStart ? BatchStartBit : 0);
        word |= (ulong)SlotCheck(slot.Sequence, word) << 48;
        BinaryPrimitives.WriteUInt64LittleEndian(destination, slot.Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], word);
    }

    /// <summary>
    /// Whether a valid <paramref name="slot"/> at <paramref name="position"/> extends the last
    /// segment's trusted prefix (FORMAT.md, "Recovery on open"): its sequence and offset increase
    /// on the previous slot's, it points inside the data, and slot 0 starts the first batch.
    /// Recovery and the checker both decide with this rule.
    /// </summary>
    public static bool ExtendsTrustedPrefix(in Slot slot, long position, ulong previousSequence, long previousOffset, long dataLength) =>
        slot.Sequence > previousSequence
        && slot.Offset > previousOffset
        && slot.Offset < dataLength
        && (position > 0 || (slot.BatchStart && slot.Offset == SegmentFormat.HeaderSize + SegmentFormat.BatchHeaderSize));

    /// <summary>Decodes a slot; false when it is empty or its check does not match.</summary>
    public static bool TryReadSlot(ReadOnlySpan<byte> source, out Slot slot)
    {
        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(source);
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        ulong fields = word & (OffsetMask | BatchStartBit);
        if (sequence == 0 || (ushort)(word >> 48) != SlotCheck(sequence, fields))
        {
            slot = default;
            return false;
        }

        slot = new Slot(sequence, (long)(word & OffsetMask), (word & BatchStartBit) != 0);
        return true;
    }

    /// <summary>Decodes a slot without checking it (slots of an index already verified).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Slot ReadSlotUnchecked(ReadOnlySpan<byte> source)
    {
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        return new Slot(BinaryPrimitives.ReadUInt64LittleEndian(source), (long)(word & OffsetMask), (word & BatchStartBit) != 0);
    }

    /// <summary>Whether a slot's 16 bytes are all zero (never written).</summary>
    public static bool IsEmpty(ReadOnlySpan<byte> source) =>
        BinaryPrimitives.ReadUInt64LittleEndian(source) == 0 && BinaryPrimitives.ReadUInt64LittleEndian(source[8..]) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort SlotCheck(ulong sequence, ulong fields) =>
        (ushort)Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Start(), sequence), fields));
}
