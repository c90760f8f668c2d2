using System.Buffers.Binary;

namespace Quasar.Storage;

/// <summary>
/// The 32-byte header that segment and table files share (FORMAT.md): magic (8 bytes), format
/// version (4), reserved (4), one 64-bit value (a segment's base sequence, a table's generation),
/// reserved (4), and the CRC-32C of bytes 0..27 (4). Little-endian.
/// </summary>
internal static class FileHeader
{
    /// <summary>The header's size.</summary>
    public const int Size = 32;

    /// <summary>Writes a header.</summary>
    public static void Write(Span<byte> destination, ulong magic, uint version, ulong value)
    {
        destination = destination[..Size];
        destination.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], version);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Validates a header and returns its value.</summary>
    /// <param name="source">The file's first bytes (fewer than <see cref="Size"/> when the file is shorter).</param>
    /// <param name="path">The file, for error messages.</param>
    /// <param name="magic">The magic this kind of file starts with.</param>
    /// <param name="version">The only version this build reads.</param>
    /// <param name="kind">"segment" or "table", for error messages.</param>
    /// <exception cref="CorruptionException">Too short, bad magic, bad checksum, or an unknown version (the file is left untouched).</exception>
    public static ulong Read(ReadOnlySpan<byte> source, string path, ulong magic, uint version, string kind)
    {
        if (source.Length < Size)
        {
            throw new CorruptionException(path, source.Length, $"{kind} header is {source.Length} bytes, expected {Size}");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(source) != magic)
        {
            throw new CorruptionException(path, 0, $"not a Quasar {kind} file (bad magic)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            throw new CorruptionException(path, 28, $"{kind} header checksum mismatch");
        }

        uint found = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        if (found != version)
        {
            throw new CorruptionException(path, 8, $"unsupported {kind} format version {found} (this build reads version {version}); the file was left untouched");
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(source[16..]);
    }
}
