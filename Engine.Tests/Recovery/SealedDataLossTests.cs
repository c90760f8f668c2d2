using Quasar.Storage;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Storage review F14: a sealed segment whose intact index lists more entries than its data holds
/// lost synced data. Rebuilding the index from the data used to leave a silent gap in the ledger
/// (a read of the lost range returned the next segment's entries); now the segment keeps what its
/// index lists and a read of the lost entries raises CorruptionException naming the data file and
/// the offset, while the checker reports an error.
/// </summary>
public sealed class SealedDataLossTests : IDisposable
{
    private const int BatchSize = 3;

    /// <summary>Four 3-entry batches (124 bytes each) per segment.</summary>
    private const long SegmentSize = 512;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public SealedDataLossTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_read_of_entries_a_sealed_segment_lost_at_its_end_raises_CorruptionException()
    {
        WrittenBatch lost = LoseLastBatchOfFirstSegment();

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);

        CorruptionException error = Assert.Throws<CorruptionException>(() => open.Ledger.Read(lost.First, BatchSize));
        AssertNames(error, lost.SegmentPath, lost.EntryOffset(0));
    }

    [Fact]
    public void The_entries_before_the_loss_and_after_the_segment_still_read_and_no_sequence_moves()
    {
        WrittenBatch lost = LoseLastBatchOfFirstSegment();

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);

        Assert.Equal(Batch(1, (int)lost.First - 1).Select(TestEntries.Text), open.Ledger.Read(1, (int)lost.First - 1).Select(TestEntries.Text));
        Assert.Equal(Batch(lost.Last + 1, BatchSize).Select(TestEntries.Text), open.Ledger.Read(lost.Last + 1, BatchSize).Select(TestEntries.Text));
        Assert.Equal((lost.First, true), open.Ledger.Index((int)lost.First - 1));
    }

    [Fact]
    public void The_checker_reports_the_lost_entries_as_an_error()
    {
        WrittenBatch lost = LoseLastBatchOfFirstSegment();

        Assert.Contains(StoreCheck.Problems(db), p => p.Severity == ProblemSeverity.Error && p.FilePath == IndexOf(lost.SegmentPath));
    }

    /// <summary>Writes four segments' worth of batches and cuts the first segment's last batch off its data file.</summary>
    private WrittenBatch LoseLastBatchOfFirstSegment()
    {
        var written = new List<WrittenBatch>();
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize, syncWrites: true))
        {
            for (int b = 0; b < 12; b++)
            {
                written.Add(WriteTracked(open.Ledger, db, Batch(1 + ((ulong)b * BatchSize), BatchSize)));
            }
        }

        WrittenBatch lost = written.Last(w => w.SegmentPath == written[0].SegmentPath);
        Assert.NotEqual(written[^1].SegmentPath, lost.SegmentPath);
        Truncate(lost.SegmentPath, lost.Start);
        return lost;
    }
}
