using System.Text;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerCacheTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(int cache) => new(temp.Path, new LedgerOptions { Prefix = "cache", Cache = cache });

    /// <summary>Entries as <see cref="TestEntries.Make"/> builds them, each carrying the object "object-&lt;sequence&gt;".</summary>
    private static Entry[] WithObjects(ulong first, int count) =>
        TestEntries.Range(first, count).Select(e => e with { Object = $"object-{e.Sequence}" }).ToArray();

    private static void AssertObjects(IEnumerable<Entry> entries)
    {
        Assert.All(entries, e => Assert.Equal($"object-{e.Sequence}", e.Object));
    }

    [Fact]
    public void Reads_served_from_the_cache_carry_the_Object_written_with_each_entry()
    {
        using LedgerHost host = Open(cache: 10);
        host.Ledger.Write(WithObjects(1, 5));

        IReadOnlyList<Entry> read = host.Ledger.Read(2, 10);

        TestEntries.AssertMatches(TestEntries.Range(2, 4), read);
        AssertObjects(read);
    }

    [Fact]
    public void Reads_from_a_ledger_without_cache_have_a_null_Object()
    {
        using LedgerHost host = Open(cache: 0);
        host.Ledger.Write(WithObjects(1, 5));

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);

        TestEntries.AssertMatches(TestEntries.Range(1, 5), read);
        Assert.All(read, e => Assert.Null(e.Object));
    }

    [Fact]
    public void A_read_starting_before_the_cached_window_comes_from_disk_whole_and_without_Objects()
    {
        using LedgerHost host = Open(cache: 5);
        host.Ledger.Write(WithObjects(1, 10));

        IReadOnlyList<Entry> read = host.Ledger.Read(3, 100);

        TestEntries.AssertMatches(TestEntries.Range(3, 8), read);
        Assert.All(read, e => Assert.Null(e.Object));
    }

    [Fact]
    public void The_cache_holds_the_newest_entries_across_batches()
    {
        using LedgerHost host = Open(cache: 5);
        host.Ledger.Write(WithObjects(1, 4));
        host.Ledger.Write(WithObjects(5, 4));

        IReadOnlyList<Entry> cached = host.Ledger.Read(4, 100);

        TestEntries.AssertMatches(TestEntries.Range(4, 5), cached);
        AssertObjects(cached);
    }

    [Fact]
    public void A_batch_larger_than_the_cache_keeps_only_its_newest_entries_cached()
    {
        using LedgerHost host = Open(cache: 3);
        host.Ledger.Write(WithObjects(1, 10));

        IReadOnlyList<Entry> cached = host.Ledger.Read(8, 100);
        IReadOnlyList<Entry> fromDisk = host.Ledger.Read(7, 100);

        TestEntries.AssertMatches(TestEntries.Range(8, 3), cached);
        AssertObjects(cached);
        TestEntries.AssertMatches(TestEntries.Range(7, 4), fromDisk);
        Assert.All(fromDisk, e => Assert.Null(e.Object));
    }

    [Fact]
    public void After_reopening_reads_come_from_disk_without_Objects()
    {
        using LedgerHost host = Open(cache: 10);
        host.Ledger.Write(WithObjects(1, 5));

        host.Reopen();

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);
        TestEntries.AssertMatches(TestEntries.Range(1, 5), read);
        Assert.All(read, e => Assert.Null(e.Object));
    }

    [Fact]
    public void Entries_written_after_reopening_are_cached_again()
    {
        using LedgerHost host = Open(cache: 10);
        host.Ledger.Write(WithObjects(1, 5));
        host.Reopen();

        host.Ledger.Write(WithObjects(6, 2));

        IReadOnlyList<Entry> read = host.Ledger.Read(6, 10);
        TestEntries.AssertMatches(TestEntries.Range(6, 2), read);
        AssertObjects(read);
        TestEntries.AssertMatches(TestEntries.Range(1, 7), host.Ledger.Read(1, 10));
    }

    [Fact]
    public void The_cache_copies_payloads_so_mutating_the_written_buffer_changes_nothing()
    {
        using LedgerHost host = Open(cache: 10);
        byte[] shared = Encoding.ASCII.GetBytes("aaaabbbb");
        host.Ledger.Write(new Entry(1, shared.AsMemory(0, 4), "first"), new Entry(2, shared.AsMemory(4, 4), "second"));

        Array.Fill(shared, (byte)'z');

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);
        Assert.Equal(["aaaa", "bbbb"], read.Select(TestEntries.Text));
        Assert.Equal(["first", "second"], read.Select(e => e.Object));
    }

    [Fact]
    public void Delete_trims_the_cache_and_the_remaining_cached_entries_keep_their_Objects()
    {
        using LedgerHost host = Open(cache: 10);
        host.Ledger.Write(WithObjects(1, 6));

        host.Ledger.Delete(4);

        IReadOnlyList<Entry> read = host.Ledger.Read(0, 10);
        TestEntries.AssertMatches(TestEntries.Range(5, 2), read);
        AssertObjects(read);
    }

    [Fact]
    public void Deleting_everything_empties_the_cache_and_new_writes_are_cached_alone()
    {
        using LedgerHost host = Open(cache: 10);
        host.Ledger.Write(WithObjects(1, 6));
        host.Ledger.Delete(6);
        Assert.Empty(host.Ledger.Read(0, 10));

        host.Ledger.Write(WithObjects(7, 2));

        IReadOnlyList<Entry> read = host.Ledger.Read(0, 10);
        TestEntries.AssertMatches(TestEntries.Range(7, 2), read);
        AssertObjects(read);
    }

    [Fact]
    public void Cached_and_uncached_ledgers_return_the_same_entries_for_every_start_and_amount()
    {
        using var cachedDb = Db.Open(Path.Combine(temp.Path, "cached"), new DbOptions { SegmentSize = 300 });
        using var plainDb = Db.Open(Path.Combine(temp.Path, "plain"), new DbOptions { SegmentSize = 300 });
        using var cached = Ledger.Open(cachedDb, new LedgerOptions { Prefix = "l", Cache = 7 });
        using var plain = Ledger.Open(plainDb, new LedgerOptions { Prefix = "l" });
        foreach (Entry[] batch in EntriesOf(3, 5, 6, 9, 10, 11, 15, 20, 21, 22, 23, 30, 31, 40).Chunk(3))
        {
            cached.Write(batch);
            plain.Write(batch);
        }

        cached.Delete(5);
        plain.Delete(5);

        for (ulong start = 0; start <= 42; start++)
        {
            for (int amount = 1; amount <= 15; amount++)
            {
                Assert.Equal(SequencesOf(plain.Read(start, amount)), SequencesOf(cached.Read(start, amount)));
                TestEntries.AssertMatches(plain.Read(start, amount), cached.Read(start, amount));
            }
        }
    }
}
