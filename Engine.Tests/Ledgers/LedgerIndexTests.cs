using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerIndexTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(long segmentSize = 64 * 1024 * 1024) =>
        new(temp.Path, new LedgerOptions { Prefix = "index" }, new DbOptions { SegmentSize = segmentSize });

    /// <summary>A ledger holding 10, 20, 30, 40, 50.</summary>
    private LedgerHost OpenTens()
    {
        LedgerHost host = Open();
        host.Ledger.Write(EntriesOf(10, 20, 30));
        host.Ledger.Write(EntriesOf(40, 50));
        return host;
    }

    [Fact]
    public void Index_zero_is_the_oldest_entry()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal((10UL, true), host.Ledger.Index(0));
    }

    [Fact]
    public void Index_minus_one_is_the_newest_entry()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal((50UL, true), host.Ledger.Index(-1));
    }

    [Theory]
    [InlineData(1L, 20UL)]
    [InlineData(2L, 30UL)]
    [InlineData(4L, 50UL)]
    [InlineData(-2L, 40UL)]
    [InlineData(-4L, 20UL)]
    [InlineData(-5L, 10UL)]
    public void Index_counts_forward_from_the_oldest_and_back_from_the_newest(long index, ulong expected)
    {
        using LedgerHost host = OpenTens();

        Assert.Equal((expected, true), host.Ledger.Index(index));
    }

    [Theory]
    [InlineData(5L)]
    [InlineData(6L)]
    [InlineData(-6L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Index_out_of_range_returns_Head_and_not_found(long index)
    {
        using LedgerHost host = OpenTens();

        Assert.Equal((50UL, false), host.Ledger.Index(index));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1L)]
    public void Index_of_a_never_written_ledger_returns_zero_and_not_found(long index)
    {
        using LedgerHost host = Open();

        Assert.Equal((0UL, false), host.Ledger.Index(index));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Index_after_deleting_everything_returns_Head_and_not_found(long index)
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(50);

        Assert.Equal((50UL, false), host.Ledger.Index(index));
        host.Reopen();
        Assert.Equal((50UL, false), host.Ledger.Index(index));
    }

    [Fact]
    public void Index_counts_only_live_entries_after_a_delete()
    {
        using LedgerHost host = OpenTens();

        host.Ledger.Delete(20);

        Assert.Equal((30UL, true), host.Ledger.Index(0));
        Assert.Equal((50UL, true), host.Ledger.Index(2));
        Assert.Equal((50UL, true), host.Ledger.Index(-1));
        Assert.Equal((30UL, true), host.Ledger.Index(-3));
        Assert.Equal((50UL, false), host.Ledger.Index(3));
        Assert.Equal((50UL, false), host.Ledger.Index(-4));
    }

    [Fact]
    public void Index_gives_the_same_answers_after_reopening()
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(10);

        host.Reopen();

        Assert.Equal((20UL, true), host.Ledger.Index(0));
        Assert.Equal((50UL, true), host.Ledger.Index(-1));
        Assert.Equal((40UL, true), host.Ledger.Index(2));
        Assert.Equal((50UL, false), host.Ledger.Index(4));
    }

    [Fact]
    public void Index_reaches_every_entry_across_segments_and_after_partial_deletion()
    {
        using LedgerHost host = Open(segmentSize: 200);
        foreach (Entry[] batch in TestEntries.Range(1, 90).Chunk(4))
        {
            host.Ledger.Write(batch);
        }

        Assert.True(SegmentFiles(host.LedgerDirectory) > 5);
        for (long i = 0; i < 90; i++)
        {
            Assert.Equal(((ulong)i + 1, true), host.Ledger.Index(i));
            Assert.Equal(((ulong)(90 - i), true), host.Ledger.Index(-1 - i));
        }

        host.Ledger.Delete(37);
        host.Reopen();
        for (long i = 0; i < 53; i++)
        {
            Assert.Equal(((ulong)i + 38, true), host.Ledger.Index(i));
            Assert.Equal(((ulong)(90 - i), true), host.Ledger.Index(-1 - i));
        }

        Assert.Equal((90UL, false), host.Ledger.Index(53));
        Assert.Equal((90UL, false), host.Ledger.Index(-54));
    }
}
