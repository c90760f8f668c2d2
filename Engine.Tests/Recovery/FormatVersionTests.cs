using System.Buffers.Binary;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A file written by a newer format version is refused with a <see cref="CorruptionException"/>
/// that names the version, and nothing on disk is changed (a newer build must still read it).
/// </summary>
public sealed class FormatVersionTests : IDisposable
{
    private const long SegmentSize = 300;
    private readonly TempDirectory temp = new();
    private readonly string db;

    public FormatVersionTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_segment_of_an_unknown_format_version_is_refused_and_left_untouched(bool sealedSegment)
    {
        WriteLedger();
        string[] segments = Segments(db);
        string segment = sealedSegment ? segments[0] : segments[^1];
        SetVersion(segment, versionAt: 8, crcAt: 28, crcOver: 28);

        AssertRefusedAndUntouched(segment, "segment format version 2");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_index_of_an_unknown_format_version_is_refused_and_left_untouched(bool sealedSegment)
    {
        WriteLedger();
        string[] segments = Segments(db);
        string index = IndexOf(sealedSegment ? segments[0] : segments[^1]);
        SetVersion(index, versionAt: 8, crcAt: 60, crcOver: 60);

        AssertRefusedAndUntouched(index, "index format version 2");
    }

    [Fact]
    public void A_tail_record_of_an_unknown_version_is_refused_and_left_untouched()
    {
        WriteLedger();
        string tail = TailFile(db);
        Assert.Equal(TailCopySize, new FileInfo(tail).Length);
        SetVersion(tail, versionAt: 4, crcAt: 28, crcOver: 28);

        AssertRefusedAndUntouched(tail, "version 2");
    }

    /// <summary>Five segments of two 3-entry batches, and one delete so that a tail record exists.</summary>
    private void WriteLedger()
    {
        using OpenLedger open = OpenLedger.Open(db, SegmentSize);
        for (int b = 0; b < 10; b++)
        {
            open.Ledger.Write(Batch(1 + ((ulong)b * 3), 3));
        }

        open.Ledger.Delete(2);
        Assert.Equal(5, Segments(db).Length);
    }

    /// <summary>
    /// Sets the u32 version field to 2 and recomputes the CRC-32C that covers it, so the file is
    /// valid in every respect but its version. First checks that the test's own CRC reproduces
    /// the stored one, so a refusal cannot come from a checksum mismatch.
    /// </summary>
    private static void SetVersion(string path, int versionAt, int crcAt, int crcOver)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcAt)), Crc32C(bytes.AsSpan(0, crcOver)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(versionAt)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(versionAt), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcAt), Crc32C(bytes.AsSpan(0, crcOver)));
        File.WriteAllBytes(path, bytes);
    }

    private void AssertRefusedAndUntouched(string path, string expectedMessage)
    {
        string ledger = LedgerDirectory(db);
        Dictionary<string, byte[]> before = ReadAllFiles(ledger);

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, SegmentSize).Dispose());
        Assert.Equal(path, error.FilePath);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);

        Dictionary<string, byte[]> after = ReadAllFiles(ledger);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach ((string file, byte[] bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[file]), $"{file} changed when the ledger was refused");
        }
    }
}
