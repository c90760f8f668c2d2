using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerReadTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(int cache = 0, long segmentSize = 64 * 1024 * 1024) =>
        new(temp.Path, new LedgerOptions { Prefix = "reads", Cache = cache }, new DbOptions { SegmentSize = segmentSize });

    /// <summary>A ledger holding 10, 20, ..., 100.</summary>
    private LedgerHost OpenTens(int cache = 0)
    {
        LedgerHost host = Open(cache);
        host.Ledger.Write(EntriesOf(10, 20, 30, 40, 50));
        host.Ledger.Write(EntriesOf(60, 70, 80, 90, 100));
        return host;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_starts_from_and_including_the_given_sequence(int cache)
    {
        using LedgerHost host = OpenTens(cache);

        TestEntries.AssertMatches(EntriesOf(30, 40, 50), host.Ledger.Read(30, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_starting_between_entries_starts_at_the_next_entry(int cache)
    {
        using LedgerHost host = OpenTens(cache);

        TestEntries.AssertMatches(EntriesOf(40, 50), host.Ledger.Read(31, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_returns_at_most_amount_entries(int cache)
    {
        using LedgerHost host = OpenTens(cache);

        TestEntries.AssertMatches(EntriesOf(10), host.Ledger.Read(0, 1));
        TestEntries.AssertMatches(EntriesOf(10, 20, 30, 40, 50, 60, 70), host.Ledger.Read(10, 7));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_with_an_amount_larger_than_available_returns_everything_from_the_start(int cache)
    {
        using LedgerHost host = OpenTens(cache);

        TestEntries.AssertMatches(EntriesOf(80, 90, 100), host.Ledger.Read(80, 1000));
        TestEntries.AssertMatches(EntriesOf(80, 90, 100), host.Ledger.Read(80, int.MaxValue));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_of_the_last_entry_returns_only_it(int cache)
    {
        using LedgerHost host = OpenTens(cache);

        TestEntries.AssertMatches(EntriesOf(100), host.Ledger.Read(100, 5));
    }

    [Theory]
    [InlineData(0, 101UL)]
    [InlineData(0, ulong.MaxValue)]
    [InlineData(100, 101UL)]
    [InlineData(100, ulong.MaxValue)]
    public void Read_starting_past_Head_is_empty(int cache, ulong start)
    {
        using LedgerHost host = OpenTens(cache);

        Assert.Empty(host.Ledger.Read(start, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_of_an_empty_ledger_is_empty(int cache)
    {
        using LedgerHost host = Open(cache);

        Assert.Empty(host.Ledger.Read(0, 10));
        Assert.Empty(host.Ledger.Read(1, 10));
    }

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(0, 25UL)]
    [InlineData(0, 30UL)]
    [InlineData(100, 0UL)]
    [InlineData(100, 25UL)]
    [InlineData(100, 30UL)]
    public void Read_starting_at_or_below_Tail_returns_from_the_first_live_entry(int cache, ulong start)
    {
        using LedgerHost host = OpenTens(cache);
        host.Ledger.Delete(30);

        TestEntries.AssertMatches(EntriesOf(40, 50), host.Ledger.Read(start, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Read_after_deleting_everything_is_empty(int cache)
    {
        using LedgerHost host = OpenTens(cache);
        host.Ledger.Delete(100);

        Assert.Empty(host.Ledger.Read(0, 10));
        Assert.Empty(host.Ledger.Read(100, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Read_with_an_amount_below_one_throws_ArgumentOutOfRangeException_and_changes_nothing(int amount)
    {
        using LedgerHost host = OpenTens();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Ledger.Read(10, amount));

        AssertState(host.Ledger, 100, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
    }

    [Fact]
    public void Read_returns_the_same_entries_after_reopening()
    {
        using LedgerHost host = OpenTens();

        host.Reopen();

        TestEntries.AssertMatches(EntriesOf(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), host.Ledger.Read(0, 100));
        TestEntries.AssertMatches(EntriesOf(40, 50), host.Ledger.Read(35, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Reads_span_segments_from_any_start_with_any_amount(int cache)
    {
        Entry[] all = TestEntries.Range(1, 120);
        using LedgerHost host = Open(cache, segmentSize: 200);
        foreach (Entry[] batch in all.Chunk(3))
        {
            host.Ledger.Write(batch);
        }

        Assert.True(SegmentFiles(host.LedgerDirectory) > 10);
        for (int start = 1; start <= 121; start += 7)
        {
            foreach (int amount in (int[])[1, 2, 5, 17, 200])
            {
                IReadOnlyList<Entry> read = host.Ledger.Read((ulong)start, amount);
                TestEntries.AssertMatches(all.Skip(start - 1).Take(amount), read);
            }
        }
    }

    [Fact]
    public void Reads_span_segments_after_reopening()
    {
        Entry[] all = TestEntries.Range(1, 60);
        using LedgerHost host = Open(segmentSize: 200);
        foreach (Entry[] batch in all.Chunk(2))
        {
            host.Ledger.Write(batch);
        }

        host.Reopen();

        TestEntries.AssertMatches(all, host.Ledger.Read(1, 100));
        TestEntries.AssertMatches(all[24..37], host.Ledger.Read(25, 13));
    }

    [Fact]
    public void Read_starting_below_Tail_after_whole_segments_were_deleted_returns_from_the_first_live_entry()
    {
        Entry[] all = TestEntries.Range(1, 60);
        using LedgerHost host = Open(segmentSize: 200);
        foreach (Entry[] batch in all.Chunk(2))
        {
            host.Ledger.Write(batch);
        }

        host.Ledger.Delete(33);

        TestEntries.AssertMatches(all[33..38], host.Ledger.Read(1, 5));
        host.Reopen();
        TestEntries.AssertMatches(all[33..38], host.Ledger.Read(1, 5));
    }

    [Fact]
    public void Read_results_are_independent_of_later_writes()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(TestEntries.Range(1, 3));

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);
        host.Ledger.Write(TestEntries.Range(4, 3));

        TestEntries.AssertMatches(TestEntries.Range(1, 3), read);
    }
}
