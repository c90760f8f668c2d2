using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Recovery validates the data of every batch of the last segment that was not known to be
/// synced, whatever its index says: after a power loss the index pages can reach the disk while
/// data pages under them were lost (zero-filled).
/// </summary>
public sealed class UnsyncedHoleTests : IDisposable
{
    private const long SegmentSize = 1 << 20;

    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Storage review F3: the trusted index prefix was accepted without reading its data, so a
    // hole under it was never truncated and every read through it threw.
    [Fact]
    public void A_zero_filled_hole_under_the_index_of_unsynced_batches_is_truncated_as_torn()
    {
        string db = Path.Combine(temp.Path, "db");
        string afterPowerLoss = Path.Combine(temp.Path, "after-power-loss");
        WrittenBatch third;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            WrittenBatch[] written = [.. Enumerable.Range(0, 5).Select(b => WriteTracked(open.Ledger, db, Batch(1 + ((ulong)b * 3), 3)))];
            third = written[2];

            // The files as the disk may hold them when the power goes now: nothing was synced,
            // and the index pages (slots for all five batches) were written back.
            CopyDirectory(LedgerDirectory(db), LedgerDirectory(afterPowerLoss));
        }

        string segment = Rebase(third.SegmentPath, db, afterPowerLoss);
        Overwrite(segment, third.Start, new byte[third.End - third.Start]); // that data page was lost

        using (OpenLedger open = OpenLedger.Open(afterPowerLoss, SegmentSize))
        {
            Assert.Equal(6, open.Ledger.Length);
            Assert.Equal(Enumerable.Range(1, 6).Select(i => (ulong)i), open.Ledger.Read(0, 100).Select(e => e.Sequence));
            Assert.Equal(third.Start, new FileInfo(segment).Length);
        }
    }
}
