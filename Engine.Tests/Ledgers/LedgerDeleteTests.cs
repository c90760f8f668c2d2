using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerDeleteTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(int cache = 0, long segmentSize = 64 * 1024 * 1024) =>
        new(temp.Path, new LedgerOptions { Prefix = "deletes", Cache = cache }, new DbOptions { SegmentSize = segmentSize });

    /// <summary>A ledger holding 10, 20, 30.</summary>
    private LedgerHost OpenTens(int cache = 0)
    {
        LedgerHost host = Open(cache);
        host.Ledger.Write(EntriesOf(10, 20, 30));
        return host;
    }

    private static void AssertStateAndAfterReopen(LedgerHost host, ulong head, ulong tail, params ulong[] live)
    {
        AssertState(host.Ledger, head, tail, live);
        host.Reopen();
        AssertState(host.Ledger, head, tail, live);
    }

    /// <summary>Writes 1..count in batches of <paramref name="batch"/>.</summary>
    private static void WriteRun(Ledger ledger, int count, int batch)
    {
        foreach (Entry[] chunk in TestEntries.Range(1, count).Chunk(batch))
        {
            ledger.Write(chunk);
        }
    }

    /// <summary>The base sequences of the segment files in a ledger directory, ascending.</summary>
    private static ulong[] SegmentBases(string ledgerDirectory) =>
        Directory.GetFiles(ledgerDirectory, "*.seg")
            .Select(path => ulong.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToArray();

    [Fact]
    public void Delete_removes_every_entry_at_or_below_the_sequence_and_returns_how_many()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal(2L, host.Ledger.Delete(20));

        AssertStateAndAfterReopen(host, 30, 20, 30);
    }

    [Fact]
    public void Delete_between_entries_sets_Tail_to_the_given_sequence()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal(1L, host.Ledger.Delete(15));

        AssertStateAndAfterReopen(host, 30, 15, 20, 30);
    }

    [Fact]
    public void Delete_moves_Tail_forward_even_when_no_entry_lay_in_between()
    {
        using LedgerHost host = OpenTens();
        Assert.Equal(1L, host.Ledger.Delete(15));

        Assert.Equal(0L, host.Ledger.Delete(17));

        AssertStateAndAfterReopen(host, 30, 17, 20, 30);
    }

    [Fact]
    public void Delete_below_the_first_entry_moves_Tail_and_removes_nothing()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal(0L, host.Ledger.Delete(5));

        AssertStateAndAfterReopen(host, 30, 5, 10, 20, 30);
    }

    [Theory]
    [InlineData(20UL)] // at Tail
    [InlineData(19UL)] // below Tail, above an entry
    [InlineData(10UL)] // below Tail, at a deleted entry
    [InlineData(0UL)]
    public void Delete_at_or_below_Tail_returns_zero_and_changes_nothing(ulong sequence)
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(20);

        Assert.Equal(0L, host.Ledger.Delete(sequence));

        AssertStateAndAfterReopen(host, 30, 20, 30);
    }

    [Fact]
    public void Delete_zero_on_a_fresh_ledger_returns_zero_and_changes_nothing()
    {
        using LedgerHost host = OpenTens();

        Assert.Equal(0L, host.Ledger.Delete(0));

        AssertStateAndAfterReopen(host, 30, 0, 10, 20, 30);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(ulong.MaxValue)]
    public void Delete_on_a_never_written_ledger_returns_zero_and_leaves_Tail_zero(ulong sequence)
    {
        using LedgerHost host = Open();

        Assert.Equal(0L, host.Ledger.Delete(sequence));

        AssertStateAndAfterReopen(host, 0, 0);
    }

    [Fact]
    public void Delete_on_an_emptied_ledger_returns_zero_and_leaves_Tail_unchanged()
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(25);
        Assert.Equal(1L, host.Ledger.Delete(30));

        Assert.Equal(0L, host.Ledger.Delete(1000));

        AssertStateAndAfterReopen(host, 30, 30);
    }

    [Theory]
    [InlineData(31UL)]
    [InlineData(1000UL)]
    [InlineData(ulong.MaxValue)]
    public void Delete_beyond_Head_deletes_everything_and_sets_Tail_to_Head(ulong sequence)
    {
        using LedgerHost host = OpenTens();

        Assert.Equal(3L, host.Ledger.Delete(sequence));

        AssertStateAndAfterReopen(host, 30, 30);
    }

    [Fact]
    public void Head_survives_deleting_everything_and_reopening_so_the_next_write_must_be_above_it()
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(30);
        host.Reopen();

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(30)));
        host.Ledger.Write(EntriesOf(31));

        AssertStateAndAfterReopen(host, 31, 30, 31);
    }

    [Fact]
    public void Entries_written_after_deleting_everything_are_live_and_deletable()
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(30);
        host.Ledger.Write(EntriesOf(40, 50));

        Assert.Equal(1L, host.Ledger.Delete(45));

        AssertStateAndAfterReopen(host, 50, 45, 50);
    }

    [Fact]
    public void Delete_beyond_Head_after_deleting_everything_and_writing_again_sets_Tail_to_the_new_Head()
    {
        using LedgerHost host = OpenTens();
        host.Ledger.Delete(30);
        host.Ledger.Write(EntriesOf(40));

        Assert.Equal(1L, host.Ledger.Delete(ulong.MaxValue));

        AssertStateAndAfterReopen(host, 40, 40);
    }

    [Fact]
    public void Successive_deletes_count_only_the_entries_they_remove()
    {
        using LedgerHost host = Open();
        WriteRun(host.Ledger, 100, 10);

        Assert.Equal(10L, host.Ledger.Delete(10));
        Assert.Equal(0L, host.Ledger.Delete(10));
        Assert.Equal(25L, host.Ledger.Delete(35));
        Assert.Equal(65L, host.Ledger.Delete(200));

        AssertStateAndAfterReopen(host, 100, 100);
    }

    [Fact]
    public void Delete_unlinks_whole_segments_below_Tail_and_keeps_the_segment_holding_the_first_live_entry()
    {
        using LedgerHost host = Open(segmentSize: 200);
        WriteRun(host.Ledger, 100, 2);
        ulong[] before = SegmentBases(host.LedgerDirectory);
        Assert.True(before.Length > 10);

        Assert.Equal(57L, host.Ledger.Delete(57));

        ulong[] after = SegmentBases(host.LedgerDirectory);
        Assert.True(after.Length < before.Length);
        Assert.Equal(after, before.Where(b => b >= after[0]));
        Assert.True(after[0] <= 58, "the segment holding sequence 58 was deleted");
        Assert.True(after[1] > 58, "a segment holding only deleted entries was kept");
        Assert.Equal(after.Length, Directory.GetFiles(host.LedgerDirectory, "*.idx").Length);
        AssertStateAndAfterReopen(host, 100, 57, Run(58, 43));
    }

    [Fact]
    public void Deleting_everything_unlinks_every_segment_but_the_last()
    {
        using LedgerHost host = Open(segmentSize: 200);
        WriteRun(host.Ledger, 100, 2);
        ulong lastBase = SegmentBases(host.LedgerDirectory)[^1];

        Assert.Equal(100L, host.Ledger.Delete(100));

        Assert.Equal([lastBase], SegmentBases(host.LedgerDirectory));
        AssertStateAndAfterReopen(host, 100, 100);
        Assert.Equal([lastBase], SegmentBases(host.LedgerDirectory));
    }

    [Fact]
    public void Writes_after_deleting_everything_across_segments_read_back_after_reopen()
    {
        using LedgerHost host = Open(segmentSize: 200);
        WriteRun(host.Ledger, 100, 2);
        host.Ledger.Delete(100);

        foreach (Entry[] chunk in TestEntries.Range(101, 20).Chunk(2))
        {
            host.Ledger.Write(chunk);
        }

        AssertStateAndAfterReopen(host, 120, 100, Run(101, 20));
    }

    [Fact]
    public void Delete_trims_the_cache_so_deleted_entries_are_never_read_back()
    {
        using LedgerHost host = OpenTens(cache: 10);

        host.Ledger.Delete(20);

        IReadOnlyList<Entry> read = host.Ledger.Read(0, 10);
        TestEntries.AssertMatches(EntriesOf(30), read);
        Assert.DoesNotContain(host.Ledger.Read(10, 1), e => e.Sequence <= 20);
    }

    [Fact]
    public void Deleting_everything_with_a_cache_then_writing_reads_only_the_new_entries()
    {
        using LedgerHost host = OpenTens(cache: 10);

        host.Ledger.Delete(30);
        host.Ledger.Write(EntriesOf(40, 50));

        TestEntries.AssertMatches(EntriesOf(40, 50), host.Ledger.Read(0, 10));
        TestEntries.AssertMatches(EntriesOf(40, 50), host.Ledger.Read(10, 10));
    }
}
