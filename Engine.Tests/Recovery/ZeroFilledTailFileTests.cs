using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A power loss during a ledger's first deletion can keep the tail file's new size while losing
/// the pages of both copies: zero-filled, never written durably, so the tail is still 0.
/// </summary>
public sealed class ZeroFilledTailFileTests : IDisposable
{
    private readonly Support.TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    // Found by the queue model property (issue 12, power loss at change 2 of the first cleaner pass
    // with zero-filled tails): the queue did not open, "both copies of the tail record are damaged".
    [Fact]
    public void A_tail_file_whose_copies_are_both_zero_filled_opens_as_tail_zero()
    {
        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            open.Ledger.Write(Batch(1, 3));
        }

        File.WriteAllBytes(TailFile(temp.Path), new byte[TailSecondCopyOffset + TailCopySize]);

        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            Assert.Equal(0UL, open.Ledger.Tail);
            Assert.Equal([1UL, 2, 3], open.Ledger.Read(0, 100).Select(e => e.Sequence));
            Assert.Equal(2, open.Ledger.Delete(2));
        }

        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20))
        {
            Assert.Equal(2UL, open.Ledger.Tail);
        }
    }

    [Fact]
    public void A_tail_file_whose_copies_are_both_damaged_with_nonzero_bytes_is_still_corruption()
    {
        using (OpenLedger open = OpenLedger.Open(temp.Path, 1 << 20, syncWrites: true))
        {
            open.Ledger.Write(Batch(1, 3));
            open.Ledger.Delete(1);
            open.Ledger.Delete(2);
        }

        FlipByte(TailFile(temp.Path), 0);
        FlipByte(TailFile(temp.Path), TailSecondCopyOffset);

        Assert.Throws<CorruptionException>(() => OpenLedger.Open(temp.Path, 1 << 20).Dispose());
    }
}
