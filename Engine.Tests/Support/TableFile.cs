using System.Buffers.Binary;
using System.Text;

namespace Quasar.Tests.Support;

/// <summary>What the crash tests read from a table file directly (FORMAT.md), without opening it as a table.</summary>
public static class TableFile
{
    /// <summary>The size of the table file's header.</summary>
    public const int HeaderSize = 32;

    /// <summary>The generation in the table file's header (FORMAT.md: bytes 16..23, little-endian).</summary>
    public static ulong Generation(string file)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.ReadExactly(header);
        }

        Assert.Equal("QUASARTB", Encoding.ASCII.GetString(header[..8]));
        return BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
    }

    /// <summary>The size of a set record (FORMAT.md: 8-byte frame, kind, name length, name, count, positions).</summary>
    public static long SetRecordLength(string name, int positions) => 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name) + 4 + (8L * positions);

    /// <summary>The size of a delete record: frame, kind, name length, name.</summary>
    public static long DeleteRecordLength(string name) => 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name);

    /// <summary>The length of <paramref name="path"/>, or -1 when it does not exist.</summary>
    public static long LengthOrMissing(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return -1;
        }
    }
}
