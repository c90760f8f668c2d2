using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Quasar.Storage.Segments;

/// <summary>
/// Byte layout of segment files, batch records and entries (FORMAT.md, "Segment file").
/// All integers are little-endian; every checksum is CRC-32C (<see cref="Crc32C"/>).
/// </summary>
/// <remarks>
/// A segment file is a 32-byte header followed by batch records, back to back, to the end of the
/// file. Offsets are in bytes from the start of each structure.
/// <code>
/// Segment header (32 bytes, the FileHeader that table files share)
/// 0            8         12         16              24         28         32
/// +------------+---------+----------+---------------+----------+----------+
/// | magic      | version | reserved | base sequence | reserved | CRC-32C  |
/// | "QUASARSG" | 1       | 0        | = file name   | 0        | of 0..27 |
/// +------------+---------+----------+---------------+----------+----------+
///
/// Batch record (40-byte header, then the entries in sequence order; one Ledger.Write)
/// 0        4           8               16            24            32        36         40
/// +--------+-----------+---------------+-------------+-------------+---------+----------+-------------+
/// | magic  | entry     | record length | sequence of | sequence of | flags:  | CRC-32C  | entries ... |
/// | "QSB1" | count,    | in bytes,     | the first   | the last    | bit 0 = | of 0..35 |             |
/// |        | 1 or more | this header   | entry       | entry       | durable |          |             |
/// |        |           | included      |             |             |         |          |             |
/// +--------+-----------+---------------+-------------+-------------+---------+----------+-------------+
///
/// Entry (16-byte header, then n payload bytes)
/// 0          8          12                  16                  16 + n
/// +----------+----------+-------------------+-------------------+
/// | sequence | payload  | CRC-32C of 0..11, | payload (n bytes) |
/// |          | length n | then the payload  |                   |
/// +----------+----------+-------------------+-------------------+
/// </code>
/// </remarks>
internal static class SegmentFormat
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>Size of the segment file header.</summary>
    public const int HeaderSize = FileHeader.Size;

    /// <summary>Size of a batch record's header.</summary>
    public const int BatchHeaderSize = 40;

    /// <summary>Size of an entry's header (sequence, payload length, checksum).</summary>
    public const int EntryHeaderSize = 16;

    /// <summary>The largest payload a ledger accepts (16 MiB).</summary>
    public const int MaxPayloadLength = 16 * 1024 * 1024;

    /// <summary>The largest encoded batch record (it is written with one positional write).</summary>
    public const long MaxBatchLength = int.MaxValue - 64;

    /// <summary>"QUASARSG": the first eight bytes of every segment file.</summary>
    public const ulong HeaderMagic = 0x4753_5241_5341_5551; // bytes 'Q','U','A','S','A','R','S','G'

    /// <summary>"QSB1": the first four bytes of every batch record.</summary>
    public const uint BatchMagic = 0x3142_5351; // bytes 'Q','S','B','1'

    /// <summary>Batch flag: the batch was synced before its write returned (written with SyncWrites).</summary>
    public const uint BatchFlagDurable = 1;

    /// <summary>Writes a segment header for <paramref name="baseSequence"/>.</summary>
    public static void WriteHeader(Span<byte> destination, ulong baseSequence) =>
        FileHeader.Write(destination, HeaderMagic, Version, baseSequence);

    /// <summary>Validates a segment header and returns its base sequence.</summary>
    /// <exception cref="CorruptionException">Bad magic, bad checksum or an unknown version.</exception>
    public static ulong ReadHeader(ReadOnlySpan<byte> source, string path) =>
        FileHeader.Read(source, path, HeaderMagic, Version, "segment");

    // Fully optimised at its first call: its loop sizes every entry
    // (why: SegmentEntryDecoder.Decode; with Segment.Append, W1 cold 2.85 M -> 4.04 M entries/s).
    /// <summary>The encoded size of a batch holding <paramref name="entries"/>, checking that it can be written.</summary>
    /// <exception cref="ArgumentException">A payload is longer than <see cref="MaxPayloadLength"/>, or the record would reach <see cref="MaxBatchLength"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long MeasureBatch(ReadOnlySpan<Entry> entries)
    {
        long length = BatchHeaderSize;
        for (int i = 0; i < entries.Length; i++)
        {
            int payload = entries[i].Payload.Length;
            if (payload > MaxPayloadLength)
            {
                throw new ArgumentException($"Entry {i} (sequence {entries[i].Sequence}) has a {payload}-byte payload; the maximum is {MaxPayloadLength} bytes.", nameof(entries));
            }

            length += EntrySize(payload);
        }

        if (length > MaxBatchLength)
        {
            throw new ArgumentException($"The batch encodes to {length} bytes; a batch must stay below {MaxBatchLength} bytes. Split it into several writes.", nameof(entries));
        }

        return length;
    }

    /// <summary>The encoded size of one entry: its header and <paramref name="payloadLength"/> payload bytes.</summary>
    public static int EntrySize(int payloadLength) => EntryHeaderSize + payloadLength;

    // Fully optimised at its first call: its loop encodes every entry
    // (why: SegmentEntryDecoder.Decode; with Segment.Append, W1 cold 2.85 M -> 4.04 M entries/s).
    /// <summary>
    /// Encodes a batch record into <paramref name="destination"/> (exactly
    /// <see cref="MeasureBatch"/> bytes). Entry i starts at <see cref="BatchHeaderSize"/> plus the
    /// <see cref="EntrySize"/> of the entries before it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteBatch(Span<byte> destination, ReadOnlySpan<Entry> entries, bool durable)
    {
        int offset = BatchHeaderSize;
        for (int i = 0; i < entries.Length; i++)
        {
            offset += WriteEntry(destination[offset..], entries[i].Sequence, entries[i].Payload.Span);
        }

        Span<byte> header = destination[..BatchHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, BatchMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)entries.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], entries[0].Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], entries[^1].Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[32..], durable ? BatchFlagDurable : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
    }

    // AggressiveInlining on the entry helpers, as on the slot helpers of IndexFormat (see SegmentEntryDecoder.Decode).
    /// <summary>Encodes one entry at the start of <paramref name="destination"/>; returns its <see cref="EntrySize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteEntry(Span<byte> destination, ulong sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], EntryChecksum(sequence, payload));
        payload.CopyTo(destination[EntryHeaderSize..]);
        return EntrySize(payload.Length);
    }

    /// <summary>The checksum stored in an entry: CRC-32C over its sequence, its length and its payload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint EntryChecksum(ulong sequence, ReadOnlySpan<byte> payload) =>
        Crc32C.Finish(Crc32C.Append(EntryChecksumStart(sequence, payload.Length), payload));

    /// <summary>
    /// The running CRC state of an entry's checksum before its payload: a reader that streams the
    /// payload feeds it through <see cref="Crc32C.Append(uint, ReadOnlySpan{byte})"/> piece by piece
    /// and finishes it with <see cref="Crc32C.Finish"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint EntryChecksumStart(ulong sequence, int payloadLength) =>
        Crc32C.Append(Crc32C.Append(Crc32C.Start(), sequence), (uint)payloadLength);

    /// <summary>A decoded, checksum-verified batch header.</summary>
    public readonly record struct BatchHeader(uint Count, long Length, ulong FirstSequence, ulong LastSequence, uint Flags)
    {
        /// <summary>Whether the batch was synced before its write returned.</summary>
        public bool IsDurable => (Flags & BatchFlagDurable) != 0;
    }

    /// <summary>Decodes a batch header; false when the magic, checksum or fields are invalid.</summary>
    public static bool TryReadBatchHeader(ReadOnlySpan<byte> source, out BatchHeader header)
    {
        header = default;
        if (source.Length < BatchHeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(source) != BatchMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[36..]) != Crc32C.Compute(source[..36]))
        {
            return false;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        ulong first = BinaryPrimitives.ReadUInt64LittleEndian(source[16..]);
        ulong last = BinaryPrimitives.ReadUInt64LittleEndian(source[24..]);
        if (count == 0 || length > MaxBatchLength || length < BatchHeaderSize + ((ulong)count * EntryHeaderSize) || first == 0 || last < first)
        {
            return false;
        }

        header = new BatchHeader(count, (long)length, first, last, BinaryPrimitives.ReadUInt32LittleEndian(source[32..]));
        return true;
    }

    /// <summary>A decoded entry header.</summary>
    public readonly record struct EntryHeader(ulong Sequence, int PayloadLength, uint Checksum);

    /// <summary>Decodes an entry header (not yet checksum-verified).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EntryHeader ReadEntryHeader(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(source[8..]), int.MaxValue),
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));
}
