using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Recovery truncates a failed batch at the end of the last segment as a torn write, but a failed
/// batch followed by a complete durable batch cannot be torn (the durable batch was written after
/// it was synced): that is damage, reported and never truncated.
/// </summary>
public sealed class DamageOrTornTests : IDisposable
{
    private const long SegmentSize = 1 << 20;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public DamageOrTornTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_damaged_middle_batch_followed_by_durable_batches_is_reported_and_nothing_is_truncated()
    {
        WrittenBatch second = WriteFiveBatches(syncWrites: true)[1];
        FlipByte(second.SegmentPath, second.Start + 10);
        File.Delete(IndexOf(second.SegmentPath)); // recovery must rescan the whole segment
        long length = new FileInfo(second.SegmentPath).Length;

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(db, SegmentSize).Dispose());

        Assert.Equal(second.SegmentPath, error.FilePath);
        Assert.Equal(second.Start, error.Offset);
        Assert.Equal(length, new FileInfo(second.SegmentPath).Length);
    }

    [Fact]
    public void A_damaged_middle_batch_followed_only_by_batches_written_without_sync_is_truncated_as_torn()
    {
        WrittenBatch second = WriteFiveBatches(syncWrites: false)[1];
        FlipByte(second.SegmentPath, second.Start + 10);
        File.Delete(IndexOf(second.SegmentPath));

        using OpenLedger open = OpenLedger.Open(db, SegmentSize);

        Assert.Equal(3, open.Ledger.Length);
        Assert.Equal(second.Start, new FileInfo(second.SegmentPath).Length);
    }

    private WrittenBatch[] WriteFiveBatches(bool syncWrites)
    {
        using OpenLedger open = OpenLedger.Open(db, SegmentSize, syncWrites);
        return [.. Enumerable.Range(0, 5).Select(b => WriteTracked(open.Ledger, db, Batch(1 + ((ulong)b * 3), 3)))];
    }
}
