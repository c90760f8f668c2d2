using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Head never reads the slots of a sealed index that was not verified yet: a repair of those
/// slots (on the first read that needs them) swaps the mapping, and Head may run beside it.
/// </summary>
public sealed class HeadOfSealedSegmentTests : IDisposable
{
    private const long SegmentSize = 4096;

    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Storage review F16: Head read the last slot of an unverified sealed last segment directly,
    // so a concurrent repair could unmap it under Head. Here the slot changes on disk under the
    // shared mapping instead, which shows that Head reads it.
    [Fact]
    public void Head_of_a_sealed_last_segment_does_not_read_its_unverified_slots()
    {
        using (OpenLedger open = OpenLedger.Open(temp.Path, SegmentSize))
        {
            open.Ledger.Write(Batch(1, 100));
            open.Ledger.Write(Batch(101, 60)); // rolls: the first segment is sealed
        }

        string[] segments = Segments(temp.Path);
        Assert.Equal(2, segments.Length);
        Truncate(segments[1], SegmentHeaderSize); // the second segment never got its batch: recovery removes it

        using (OpenLedger open = OpenLedger.Open(temp.Path, SegmentSize))
        {
            Assert.Equal(100UL, open.Ledger.Head);
            Overwrite(IndexOf(segments[0]), IndexHeaderSize + (99 * IndexSlotSize), new byte[IndexSlotSize]);

            Assert.Equal(100UL, open.Ledger.Head);
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (ulong)i), open.Ledger.Read(0, 1000).Select(e => e.Sequence));
        }
    }
}
