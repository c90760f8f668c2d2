using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Index slots left over from batches a power loss took (stale slots) are never trusted by a
/// later recovery, even when a second power loss brings back the index pages that held them and
/// new durable batches now lie at their offsets.
/// </summary>
public sealed class StaleIndexSlotTests : IDisposable
{
    private const long SegmentSize = 1 << 20;

    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Storage review F8: the trusted prefix took stale slots 10..13 after the second power loss;
    // stale slot 13's batch offset is exactly N3's header, so N3 validated, acknowledged 20 and 21
    // were skipped, and reads from the start threw.
    [Fact]
    public void Stale_slots_from_before_two_power_losses_do_not_hide_acknowledged_entries()
    {
        string db = Path.Combine(temp.Path, "db");
        string image = Path.Combine(temp.Path, "image");
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            WriteTracked(open.Ledger, db, Wide(1, 3));
        }

        WrittenBatch b1;
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            b1 = WriteTracked(open.Ledger, db, Wide(10, 3));
            WriteTracked(open.Ledger, db, Wide(13, 1));
            CopyDirectory(LedgerDirectory(db), LedgerDirectory(image)); // unsynced: slots for 10..13 written back, their data not
        }

        string segment = Rebase(b1.SegmentPath, db, image);
        string index = IndexOf(segment);
        byte[] staleIndex = File.ReadAllBytes(index);
        Truncate(segment, b1.Start); // power loss 1 took the unsynced data

        using (OpenLedger open = OpenLedger.Open(image, SegmentSize, syncWrites: true))
        {
            Assert.Equal(3UL, open.Ledger.Head);
            open.Ledger.Write(Wide(20, 1));
            open.Ledger.Write(Wide(21, 1));
            open.Ledger.Write(Wide(22, 1)); // its batch header lies where stale slot 13's batch did
        }

        File.WriteAllBytes(index, staleIndex); // power loss 2 took the index pages written since

        using (OpenLedger open = OpenLedger.Open(image, SegmentSize))
        {
            Assert.Equal(6, open.Ledger.Length);
            Assert.Equal([20UL, 21, 22], open.Ledger.Read(20, 10).Select(e => e.Sequence));
            Assert.Equal([1UL, 2, 3, 20, 21, 22], open.Ledger.Read(1, 10).Select(e => e.Sequence));
        }
    }

    /// <summary>Entries of 40 bytes (24-byte payloads): a batch of three is as long as two single-entry batches.</summary>
    private static Entry[] Wide(ulong first, int count) =>
        [.. Batch(first, count).Select(e => new Entry(e.Sequence, e.Payload.ToArray().Concat(new byte[12]).ToArray()))];
}
