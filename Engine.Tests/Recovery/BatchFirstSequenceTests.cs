using System.Buffers.Binary;
using Quasar.Storage;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A batch is valid only if its first entry carries the header's first sequence (FORMAT.md,
/// "Batch record"); storage review F18 found that rule unchecked. Forging it takes a header whose
/// first sequence was changed and whose checksum was recomputed, the entries (and their checksums)
/// left as written.
/// </summary>
public sealed class BatchFirstSequenceTests : IDisposable
{
    private const long SegmentSize = 1 << 20;
    private const int FirstSequenceOffset = 16;
    private const int HeaderChecksumOffset = 36;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public BatchFirstSequenceTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_batch_whose_header_names_another_first_sequence_than_its_first_entry_is_damage()
    {
        WrittenBatch middle;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize, syncWrites: true))
        {
            WriteTracked(open.Ledger, db, Batch(10, 3));
            middle = WriteTracked(open.Ledger, db, [Entry(20), Entry(21)]);
            WriteTracked(open.Ledger, db, [Entry(30)]);
        }

        ForgeFirstSequence(middle, 15); // still above the previous batch, still at most its last
        File.Delete(IndexOf(middle.SegmentPath)); // recovery validates every batch

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, SegmentSize).Dispose());

        AssertNames(error, middle.SegmentPath, middle.Start);
    }

    [Fact]
    public void The_checker_reports_a_batch_whose_first_entry_does_not_match_its_header()
    {
        WrittenBatch middle;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize, syncWrites: true))
        {
            WriteTracked(open.Ledger, db, Batch(10, 3));
            middle = WriteTracked(open.Ledger, db, [Entry(20), Entry(21)]);
            WriteTracked(open.Ledger, db, [Entry(30)]);
        }

        ForgeFirstSequence(middle, 15);

        Assert.Contains(StoreCheck.Problems(db), p => p.Severity == ProblemSeverity.Error && p.Message.Contains("first sequence", StringComparison.Ordinal));
    }

    /// <summary>Rewrites the batch header's first sequence and recomputes the header checksum.</summary>
    private static void ForgeFirstSequence(WrittenBatch batch, ulong first)
    {
        byte[] header = new byte[BatchHeaderSize];
        using (var file = new FileStream(batch.SegmentPath, FileMode.Open, FileAccess.Read))
        {
            file.Position = batch.Start;
            file.ReadExactly(header);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(FirstSequenceOffset), first);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(HeaderChecksumOffset), Crc32C(header.AsSpan(0, HeaderChecksumOffset)));
        Overwrite(batch.SegmentPath, batch.Start, header);
    }
}
