using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The on-disk facts the recovery tests rely on (FORMAT.md), written down here independently of
/// the engine's own format code, plus small file-surgery helpers.
/// </summary>
internal static class LedgerFiles
{
    public const string Prefix = "events";
    public const int SegmentHeaderSize = 32;
    public const int BatchHeaderSize = 40;
    public const int EntryHeaderSize = 16;
    public const int IndexHeaderSize = 64;
    public const int IndexSlotSize = 16;
    public const int TailCopySize = 32;

    // The index header's fields (FORMAT.md, "Index header"), the clean-close record's included.
    public const int IndexStateOffset = 12;
    public const uint IndexStateActive = 0;
    public const uint IndexStateClosed = 2;
    public const int IndexCountOffset = 24;
    public const int IndexSlotsCrcOffset = 32;
    public const int IndexDataLengthOffset = 36;
    public const int IndexLastSequenceOffset = 44;
    public const int IndexHeaderCrcOffset = 60;
    public const int TailSecondCopyOffset = 4096;

    /// <summary>The directory of the ledger <see cref="Prefix"/> inside a database directory.</summary>
    public static string LedgerDirectory(string dbDirectory) => Path.Combine(dbDirectory, "ledger-" + Prefix);

    /// <summary>The segment data files, in sequence order (the 20-digit names sort like the numbers).</summary>
    public static string[] Segments(string dbDirectory)
    {
        string directory = LedgerDirectory(dbDirectory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        string[] files = Directory.GetFiles(directory, "*.seg");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    public static string IndexOf(string segmentPath) => Path.ChangeExtension(segmentPath, ".idx");

    public static string TailFile(string dbDirectory) => Path.Combine(LedgerDirectory(dbDirectory), "tail");

    /// <summary>An entry whose 12-byte payload names its sequence (fixed width, so every 3-entry batch is 124 bytes).</summary>
    public static Entry Entry(ulong sequence) =>
        new(sequence, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"entry-{sequence:D6}")));

    public static Entry[] Batch(ulong first, int count) =>
        Enumerable.Range(0, count).Select(i => Entry(first + (ulong)i)).ToArray();

    /// <summary>The encoded size of a batch record: its header plus every entry's header and payload.</summary>
    public static long BatchLength(IEnumerable<Entry> entries) =>
        BatchHeaderSize + entries.Sum(e => (long)EntryHeaderSize + e.Payload.Length);

    /// <summary>Writes one batch and records where its record landed, checking the record's size against the format.</summary>
    public static WrittenBatch WriteTracked(Ledger ledger, string dbDirectory, Entry[] batch)
    {
        Dictionary<string, long> before = Segments(dbDirectory).ToDictionary(p => p, p => new FileInfo(p).Length);
        ledger.Write(batch);
        string newest = Segments(dbDirectory)[^1];
        long start = before.TryGetValue(newest, out long length) ? length : SegmentHeaderSize;
        long end = new FileInfo(newest).Length;
        Assert.Equal(BatchLength(batch), end - start);
        return new WrittenBatch(newest, start, end, batch);
    }

    /// <summary>An index file's header fields, after checking its header CRC; the slots CRC is recomputed over the first Count slots.</summary>
    public static IndexHeaderFields ReadIndexHeader(string indexPath)
    {
        byte[] bytes = File.ReadAllBytes(indexPath);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(IndexHeaderCrcOffset)), Crc32C(bytes.AsSpan(0, IndexHeaderCrcOffset)));
        long count = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(IndexCountOffset));
        int slotBytes = (int)Math.Min(count * IndexSlotSize, bytes.Length - IndexHeaderSize);
        return new IndexHeaderFields(
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(IndexStateOffset)),
            count,
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(IndexSlotsCrcOffset)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(IndexDataLengthOffset)),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(IndexLastSequenceOffset)),
            Crc32C(bytes.AsSpan(IndexHeaderSize, slotBytes)));
    }

    /// <summary>XORs the byte at <paramref name="offset"/> with <paramref name="mask"/> (a different value for any mask but 0).</summary>
    public static void FlipByte(string path, long offset, byte mask = 0xFF)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        Assert.True(offset < file.Length, $"offset {offset} is past the end of {path} ({file.Length} bytes)");
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ mask));
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    public static void Append(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(bytes);
    }

    public static void Overwrite(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }

    /// <summary>Replaces <paramref name="destination"/> with a copy of <paramref name="source"/>.</summary>
    public static void CopyDirectory(string source, string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        Directory.CreateDirectory(destination);
        foreach (string directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    /// <summary>The same file inside a copy of its directory tree.</summary>
    public static string Rebase(string path, string fromRoot, string toRoot) =>
        Path.Combine(toRoot, Path.GetRelativePath(fromRoot, path));

    /// <summary>Every file under <paramref name="directory"/> with its bytes.</summary>
    public static Dictionary<string, byte[]> ReadAllFiles(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    /// <summary>CRC-32C (Castagnoli), initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Runs <paramref name="body"/>; a failure is rethrown with <paramref name="context"/> in front of its message.</summary>
    public static void InContext(string context, Action body)
    {
        try
        {
            body();
        }
        catch (Exception error)
        {
            throw new XunitException($"{context}: {error.GetType().Name}: {error.Message}", error);
        }
    }

    /// <summary>Asserts that <paramref name="error"/> names <paramref name="path"/> and <paramref name="offset"/>, in its properties and its message.</summary>
    public static void AssertNames(CorruptionException error, string path, long offset)
    {
        Assert.Equal(path, error.FilePath);
        Assert.Equal(offset, error.Offset);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(offset.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}

/// <summary>An index header as stored, and the CRC-32C of the slots its count covers.</summary>
internal sealed record IndexHeaderFields(uint State, long Count, uint SlotsCrc, long DataLength, ulong LastSequence, uint ComputedSlotsCrc);

/// <summary>Where one written batch record lies: its segment file and its byte range there.</summary>
internal sealed record WrittenBatch(string SegmentPath, long Start, long End, Entry[] Entries)
{
    public ulong First => Entries[0].Sequence;

    public ulong Last => Entries[^1].Sequence;

    /// <summary>The file offset of entry <paramref name="index"/>'s header.</summary>
    public long EntryOffset(int index)
    {
        long offset = Start + LedgerFiles.BatchHeaderSize;
        for (int k = 0; k < index; k++)
        {
            offset += LedgerFiles.EntryHeaderSize + Entries[k].Payload.Length;
        }

        return offset;
    }
}

/// <summary>A database and one ledger (by default <see cref="LedgerFiles.Prefix"/>) opened on it.</summary>
internal sealed class OpenLedger : IDisposable
{
    private OpenLedger(Db db, Ledger ledger)
    {
        Db = db;
        Ledger = ledger;
    }

    public Db Db { get; }

    public Ledger Ledger { get; }

    public static OpenLedger Open(string dbDirectory, long segmentSize, bool syncWrites = false, string prefix = LedgerFiles.Prefix, ILogger? logger = null)
    {
        var db = Db.Open(dbDirectory, new DbOptions { SegmentSize = segmentSize, SyncWrites = syncWrites, Logger = logger });
        try
        {
            return new OpenLedger(db, Ledger.Open(db, new LedgerOptions { Prefix = prefix }));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Ledger.Dispose();
        Db.Dispose();
    }
}

/// <summary>Everything a reader can observe of a ledger, for before/after comparisons.</summary>
internal sealed record LedgerState(long Length, ulong Head, ulong Tail, (ulong Sequence, string Payload)[] Entries, (long Index, ulong Sequence, bool Found)[] Positions)
{
    public static LedgerState Capture(Ledger ledger)
    {
        long length = ledger.Length;
        (ulong, string)[] entries = ledger.Read(1, 1_000_000).Select(e => (e.Sequence, Encoding.ASCII.GetString(e.Payload.Span))).ToArray();
        var positions = new List<(long, ulong, bool)>();
        for (long i = -length - 1; i <= length; i++)
        {
            (ulong sequence, bool found) = ledger.Index(i);
            positions.Add((i, sequence, found));
        }

        return new LedgerState(length, ledger.Head, ledger.Tail, entries, [.. positions]);
    }

    public static void AssertSame(LedgerState expected, LedgerState actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.Head, actual.Head);
        Assert.Equal(expected.Tail, actual.Tail);
        Assert.Equal(expected.Entries, actual.Entries);
        Assert.Equal(expected.Positions, actual.Positions);
    }
}
