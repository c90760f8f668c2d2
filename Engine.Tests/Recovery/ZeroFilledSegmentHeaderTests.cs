using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A power loss during a segment roll can leave the new (last) segment file with its size on disk
/// but its first page lost: a zero-filled header. Its header was never synced, so no batch in it
/// was ever acknowledged: recovery drops it as it drops a segment whose header is incomplete.
/// </summary>
public sealed class ZeroFilledSegmentHeaderTests : IDisposable
{
    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Found by the queue model property (issue 12, power loss at a roll with zero-filled tails):
    // the queue did not open, CorruptionException "not a Quasar segment file (bad magic)".
    [Theory]
    [InlineData(SegmentHeaderSize)]
    [InlineData(4096)]
    public void A_last_segment_whose_header_page_was_lost_is_dropped_and_the_ledger_opens(int zeroes)
    {
        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            open.Ledger.Write(Batch(1, 3));
        }

        string rolled = Path.Combine(LedgerDirectory(temp.Path), "00000000000000000004.seg");
        File.WriteAllBytes(rolled, new byte[zeroes]);

        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            Assert.Equal([1UL, 2, 3], open.Ledger.Read(0, 100).Select(e => e.Sequence));
            Assert.Equal(3UL, open.Ledger.Head);
            open.Ledger.Write(Batch(4, 1));
            Assert.Equal(4, open.Ledger.Length);
        }

        Support.StoreCheck.AssertNoErrors(temp.Path);
    }

    [Fact]
    public void A_last_segment_with_a_damaged_nonzero_header_is_still_corruption()
    {
        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            open.Ledger.Write(Batch(1, 3));
        }

        string segment = Segments(temp.Path)[0];
        FlipByte(segment, 0);

        CorruptionException error = Assert.Throws<CorruptionException>(() => OpenLedger.Open(temp.Path, 1 << 20).Dispose());
        AssertNames(error, segment, 0);
    }
}
