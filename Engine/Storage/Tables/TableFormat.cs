using System.Buffers.Binary;
using System.Text;

namespace Quasar.Storage.Tables;

/// <summary>
/// Byte layout of table files (FORMAT.md, "Table file"): a 32-byte header, then records, each a
/// length, a CRC-32C and a body that sets or deletes one name. Positions are stored as binary
/// little-endian u64s, not as <see cref="Sequence.EncodeList(ReadOnlySpan{ulong})"/> text: sequences are usually
/// 19-20 digit timestamps, so binary is smaller, fixed-size and needs no parsing.
/// </summary>
/// <remarks>
/// <code>
/// File:   +--------------+----------+----------+-----+----------+
///         | header (32)  | record 0 | record 1 | ... | record n |   records back to back to the end
///         +--------------+----------+----------+-----+----------+
///
/// Header (little-endian; FileHeader, shared with segment files):
///         0              8          12         16                24         28         32
///         +--------------+----------+----------+-----------------+----------+----------+
///         | "QUASARTB"   | version  | reserved | generation      | reserved | CRC-32C  |
///         |              | = 1      | (0)      | (+1 per rewrite)| (0)      | of 0..27 |
///         +--------------+----------+----------+-----------------+----------+----------+
///
/// Record (b = body length; the CRC covers the b body bytes; k = name bytes; c = positions):
///         0          4          8      9          11         11+k        15+k              15+k+8c
///         +----------+----------+------+----------+----------+-----------+-----------------+
///         | b        | CRC-32C  | kind | k        | name     | c         | positions       |
///         | (u32)    | of body  | 1,2  | (u16)    | (UTF-8)  | (u32)     | (u64 each)      |
///         +----------+----------+------+----------+----------+-----------+-----------------+
///         |-- frame (8) --------|-- body (b bytes); a delete (kind 2) ends after the name ---|
/// </code>
/// </remarks>
internal static class TableFormat
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>Size of the file header.</summary>
    public const int HeaderSize = FileHeader.Size;

    /// <summary>Size of a record's frame (length and checksum) before its body.</summary>
    public const int FrameSize = 8;

    /// <summary>The longest name in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>The most positions one name may hold.</summary>
    public const int MaxPositions = 1 << 20;

    /// <summary>"QUASARTB": the first eight bytes of every table file.</summary>
    public const ulong HeaderMagic = 0x4254_5241_5341_5551; // bytes 'Q','U','A','S','A','R','T','B'

    /// <summary>Record kind: the name now holds the positions in the body.</summary>
    public const byte KindSet = 1;

    /// <summary>Record kind: the name no longer exists.</summary>
    public const byte KindDelete = 2;

    /// <summary>Writes a file header with <paramref name="generation"/> (bumped on every rewrite).</summary>
    public static void WriteHeader(Span<byte> destination, ulong generation) =>
        FileHeader.Write(destination, HeaderMagic, Version, generation);

    /// <summary>Validates a file header and returns its generation.</summary>
    /// <exception cref="CorruptionException">Too short, bad magic, checksum, or an unknown version.</exception>
    public static ulong ReadHeader(ReadOnlySpan<byte> source, string path) =>
        FileHeader.Read(source, path, HeaderMagic, Version, "table");

    /// <summary>The encoded size (frame included) of a record for <paramref name="nameBytes"/> and <paramref name="positions"/> positions.</summary>
    public static int RecordLength(int nameBytes, int positions, byte kind) =>
        FrameSize + 3 + nameBytes + (kind == KindSet ? 4 + (positions * 8) : 0);

    /// <summary>Encodes a record into <paramref name="destination"/> (exactly <see cref="RecordLength"/> bytes).</summary>
    public static void WriteRecord(Span<byte> destination, byte kind, string name, int nameBytes, ReadOnlySpan<ulong> positions)
    {
        int length = RecordLength(nameBytes, positions.Length, kind);
        Span<byte> body = destination[FrameSize..length];
        body[0] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(body[1..], (ushort)nameBytes);
        Encoding.UTF8.GetBytes(name, body.Slice(3, nameBytes));
        if (kind == KindSet)
        {
            Span<byte> values = body[(3 + nameBytes)..];
            BinaryPrimitives.WriteUInt32LittleEndian(values, (uint)positions.Length);
            for (int i = 0; i < positions.Length; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(values[(4 + (i * 8))..], positions[i]);
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Compute(body));
    }

    /// <summary>A decoded, checksum-verified record.</summary>
    public readonly record struct Record(byte Kind, string Name, ulong[] Positions, int Length);

    /// <summary>Where a record ends (frame included), or -1 when its frame is cut off.</summary>
    public static long DeclaredEnd(ReadOnlySpan<byte> frame, long offset) =>
        frame.Length < FrameSize ? -1 : offset + FrameSize + BinaryPrimitives.ReadUInt32LittleEndian(frame);

    /// <summary>
    /// Whether a record that failed its checks is a torn write (FORMAT.md, "Table recovery"): its
    /// frame is cut off (<paramref name="declaredEnd"/> -1) or it reaches the end of the
    /// <paramref name="fileLength"/>-byte file. Otherwise data follows it, and it is damage.
    /// </summary>
    public static bool FailureIsTorn(long declaredEnd, long fileLength) => declaredEnd < 0 || declaredEnd >= fileLength;

    /// <summary>
    /// Whether <paramref name="source"/> starts with a frame and body whose lengths fit together
    /// as a record's must (kind, name length, position count and body length agree), without
    /// computing the checksum: a cheap filter before <see cref="TryReadRecord"/> when looking for
    /// a record at every byte offset.
    /// </summary>
    public static bool HasRecordShape(ReadOnlySpan<byte> source)
    {
        if (source.Length < FrameSize + 3)
        {
            return false;
        }

        long bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(source);
        int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(source[(FrameSize + 1)..]);
        if (bodyLength > source.Length - FrameSize || nameBytes is < 1 or > MaxNameBytes)
        {
            return false;
        }

        byte kind = source[FrameSize];
        if (kind == KindDelete)
        {
            return bodyLength == 3 + nameBytes;
        }

        int countAt = FrameSize + 3 + nameBytes;
        if (kind != KindSet || source.Length < countAt + 4)
        {
            return false;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(source[countAt..]);
        return count is >= 1 and <= MaxPositions && bodyLength == 3 + nameBytes + 4 + (8L * count);
    }

    /// <summary>
    /// Whether a valid record starts at any byte offset of <paramref name="after"/> (the bytes
    /// after a record that failed; records have no alignment). Only such a record proves the file
    /// went on past the failure, so that the failure is damage rather than a torn write
    /// (FORMAT.md, "Table recovery"); recovery and the checker both decide by it.
    /// </summary>
    public static bool ValidRecordFollows(ReadOnlySpan<byte> after)
    {
        for (int start = 0; start < after.Length; start++)
        {
            ReadOnlySpan<byte> candidate = after[start..];
            if (HasRecordShape(candidate) && TryReadRecord(candidate, out _) is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes the record at the start of <paramref name="source"/>; null with a reason when it is invalid.</summary>
    public static string? TryReadRecord(ReadOnlySpan<byte> source, out Record record)
    {
        record = default;
        if (source.Length < FrameSize)
        {
            return "record frame cut off";
        }

        uint bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (bodyLength > source.Length - FrameSize)
        {
            return "record cut off";
        }

        ReadOnlySpan<byte> body = source.Slice(FrameSize, (int)bodyLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[4..]) != Crc32C.Compute(body))
        {
            return "record checksum mismatch";
        }

        if (body.Length < 3)
        {
            return "record body too short";
        }

        byte kind = body[0];
        int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(body[1..]);
        if (kind is not (KindSet or KindDelete) || body.Length < 3 + nameBytes)
        {
            return "record body malformed";
        }

        string name = Encoding.UTF8.GetString(body.Slice(3, nameBytes));
        ulong[] positions = [];
        if (kind == KindSet)
        {
            ReadOnlySpan<byte> values = body[(3 + nameBytes)..];
            if (values.Length < 4)
            {
                return "record body malformed";
            }

            uint count = BinaryPrimitives.ReadUInt32LittleEndian(values);
            if (count == 0 || values.Length != 4 + ((long)count * 8))
            {
                return "record body malformed";
            }

            positions = new ulong[count];
            for (int i = 0; i < positions.Length; i++)
            {
                positions[i] = BinaryPrimitives.ReadUInt64LittleEndian(values[(4 + (i * 8))..]);
            }
        }
        else if (body.Length != 3 + nameBytes)
        {
            return "record body malformed";
        }

        record = new Record(kind, name, positions, FrameSize + (int)bodyLength);
        return null;
    }
}
