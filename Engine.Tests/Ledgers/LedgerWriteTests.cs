using System.Text;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerWriteTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private LedgerHost Open(long limit = 0, int cache = 0, DbOptions? dbOptions = null) =>
        new(temp.Path, new LedgerOptions { Prefix = "writes", Limit = limit, Cache = cache }, dbOptions);

    private static Entry Oversized(ulong sequence) => new(sequence, new byte[Ledger.MaxPayloadLength + 1]);

    /// <summary>Asserts the state, then reopens and asserts it again (nothing unpersisted was counted).</summary>
    private static void AssertStateAndAfterReopen(LedgerHost host, ulong head, ulong tail, params ulong[] live)
    {
        AssertState(host.Ledger, head, tail, live);
        host.Reopen();
        AssertState(host.Ledger, head, tail, live);
    }

    [Fact]
    public void A_new_ledger_is_empty_with_Head_and_Tail_zero()
    {
        using LedgerHost host = Open();

        AssertState(host.Ledger, head: 0, tail: 0);
        Assert.Empty(host.Ledger.Read(0, 10));
    }

    [Fact]
    public void Written_entries_read_back_in_order_with_their_payloads()
    {
        using LedgerHost host = Open();
        Entry[] entries = TestEntries.Range(1, 5);

        host.Ledger.Write(entries);

        TestEntries.AssertMatches(entries, host.Ledger.Read(1, 10));
    }

    [Fact]
    public void Head_is_the_last_sequence_written_and_Length_counts_entries_even_with_gaps()
    {
        using LedgerHost host = Open();

        host.Ledger.Write(EntriesOf(5, 100));
        host.Ledger.Write(EntriesOf(1000));

        AssertState(host.Ledger, head: 1000, tail: 0, 5, 100, 1000);
    }

    [Fact]
    public void Successive_batches_append_after_each_other()
    {
        using LedgerHost host = Open();

        host.Ledger.Write(TestEntries.Range(1, 3));
        host.Ledger.Write(TestEntries.Range(4, 3));
        host.Ledger.Write(TestEntries.Range(7, 1));

        AssertState(host.Ledger, 7, 0, Run(1, 7));
    }

    [Fact]
    public void Write_with_no_entries_is_a_no_op_on_an_empty_ledger()
    {
        using LedgerHost host = Open();

        host.Ledger.Write();
        host.Ledger.Write([]);

        AssertStateAndAfterReopen(host, 0, 0);
    }

    [Fact]
    public void Write_with_no_entries_is_a_no_op_on_a_written_ledger()
    {
        using LedgerHost host = Open(limit: 3);
        host.Ledger.Write(TestEntries.Range(1, 3));

        host.Ledger.Write();

        AssertStateAndAfterReopen(host, 3, 0, 1, 2, 3);
    }

    [Fact]
    public void Entries_with_empty_payloads_are_written_and_read_back_empty()
    {
        using LedgerHost host = Open();

        host.Ledger.Write(new Entry(1, ReadOnlyMemory<byte>.Empty), new Entry(2, Array.Empty<byte>()));

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);
        Assert.Equal([1UL, 2UL], SequencesOf(read));
        Assert.All(read, e => Assert.True(e.Payload.IsEmpty));
        host.Reopen();
        read = host.Ledger.Read(1, 10);
        Assert.Equal([1UL, 2UL], SequencesOf(read));
        Assert.All(read, e => Assert.True(e.Payload.IsEmpty));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Written_entries_survive_closing_and_reopening_the_database(bool syncWrites)
    {
        using LedgerHost host = Open(dbOptions: new DbOptions { SyncWrites = syncWrites });
        host.Ledger.Write(TestEntries.Range(1, 4));
        host.Ledger.Write(TestEntries.Range(5, 4));

        host.Reopen();

        AssertState(host.Ledger, 8, 0, Run(1, 8));
    }

    [Fact]
    public void Writes_after_reopen_must_be_above_the_persisted_Head()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(TestEntries.Range(1, 5));
        host.Reopen();

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(TestEntries.Make(5)));
        host.Ledger.Write(TestEntries.Make(6));

        AssertStateAndAfterReopen(host, 6, 0, Run(1, 6));
    }

    [Fact]
    public void MaxPayloadLength_is_at_least_16_MiB()
    {
        Assert.True(Ledger.MaxPayloadLength >= 16 * 1024 * 1024);
    }

    [Fact]
    public void A_payload_of_exactly_MaxPayloadLength_is_accepted_and_read_back_whole()
    {
        using LedgerHost host = Open();
        byte[] payload = new byte[Ledger.MaxPayloadLength];
        payload[0] = 1;
        payload[^1] = 2;

        host.Ledger.Write(new Entry(1, payload));

        host.Reopen();
        Entry read = Assert.Single(host.Ledger.Read(1, 1));
        Assert.Equal(1UL, read.Sequence);
        Assert.True(read.Payload.Span.SequenceEqual(payload));
    }

    [Fact]
    public void Write_with_a_payload_longer_than_MaxPayloadLength_throws_ArgumentException_and_writes_nothing()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(TestEntries.Range(1, 2));

        Assert.Throws<ArgumentException>(() => host.Ledger.Write(TestEntries.Make(3), Oversized(4), TestEntries.Make(5)));

        AssertStateAndAfterReopen(host, 2, 0, 1, 2);
    }

    [Fact]
    public void Write_beyond_the_Limit_throws_LimitReachedException_and_writes_nothing()
    {
        using LedgerHost host = Open(limit: 5);
        host.Ledger.Write(TestEntries.Range(1, 3));

        Assert.Throws<LimitReachedException>(() => host.Ledger.Write(TestEntries.Range(4, 3)));

        AssertStateAndAfterReopen(host, 3, 0, 1, 2, 3);
    }

    [Fact]
    public void A_single_batch_larger_than_the_Limit_on_an_empty_ledger_throws_LimitReachedException()
    {
        using LedgerHost host = Open(limit: 2);

        Assert.Throws<LimitReachedException>(() => host.Ledger.Write(TestEntries.Range(1, 3)));

        AssertStateAndAfterReopen(host, 0, 0);
    }

    [Fact]
    public void Write_that_fills_the_ledger_exactly_to_its_Limit_succeeds()
    {
        using LedgerHost host = Open(limit: 5);
        host.Ledger.Write(TestEntries.Range(1, 3));

        host.Ledger.Write(TestEntries.Range(4, 2));

        AssertStateAndAfterReopen(host, 5, 0, Run(1, 5));
    }

    [Fact]
    public void Deleting_entries_makes_room_under_the_Limit()
    {
        using LedgerHost host = Open(limit: 3);
        host.Ledger.Write(TestEntries.Range(1, 3));
        Assert.Throws<LimitReachedException>(() => host.Ledger.Write(TestEntries.Make(4)));

        host.Ledger.Delete(2);
        host.Ledger.Write(TestEntries.Range(4, 2));

        AssertStateAndAfterReopen(host, 5, 2, 3, 4, 5);
    }

    [Fact]
    public void Payload_size_is_checked_before_the_Limit()
    {
        using LedgerHost host = Open(limit: 2);
        host.Ledger.Write(TestEntries.Range(1, 2));

        // Over the limit and oversized: the payload check wins.
        Assert.Throws<ArgumentException>(() => host.Ledger.Write(TestEntries.Make(3), Oversized(4)));

        AssertStateAndAfterReopen(host, 2, 0, 1, 2);
    }

    [Fact]
    public void Payload_size_is_checked_before_monotonicity()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(TestEntries.Range(1, 2));

        // Not above Head and oversized: the payload check wins.
        Assert.Throws<ArgumentException>(() => host.Ledger.Write(Oversized(2)));

        AssertStateAndAfterReopen(host, 2, 0, 1, 2);
    }

    [Fact]
    public void Limit_is_checked_before_monotonicity()
    {
        using LedgerHost host = Open(limit: 2);
        host.Ledger.Write(TestEntries.Range(1, 2));

        // Over the limit and not above Head: the limit check wins.
        Assert.Throws<LimitReachedException>(() => host.Ledger.Write(EntriesOf(2, 1)));

        AssertStateAndAfterReopen(host, 2, 0, 1, 2);
    }

    [Fact]
    public void A_batch_breaking_all_three_rules_fails_on_the_payload_size()
    {
        using LedgerHost host = Open(limit: 2);
        host.Ledger.Write(TestEntries.Range(1, 2));

        Assert.Throws<ArgumentException>(() => host.Ledger.Write(TestEntries.Make(1), Oversized(3), TestEntries.Make(2)));

        AssertStateAndAfterReopen(host, 2, 0, 1, 2);
    }

    [Theory]
    [InlineData(10UL)] // equal to Head
    [InlineData(9UL)] // below Head, above Tail
    [InlineData(1UL)] // below Head and below every entry
    public void Write_with_a_sequence_at_or_below_head_throws_NotMonotonic_and_writes_nothing(ulong sequence)
    {
        using LedgerHost host = Open();
        host.Ledger.Write(EntriesOf(5, 10));

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(sequence, 20)));

        AssertStateAndAfterReopen(host, 10, 0, 5, 10);
    }

    [Fact]
    public void Write_with_sequence_zero_on_an_empty_ledger_throws_NotMonotonic_and_writes_nothing()
    {
        using LedgerHost host = Open();

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(0, 1)));

        AssertStateAndAfterReopen(host, 0, 0);
    }

    [Theory]
    [InlineData(new ulong[] { 11, 12, 12, 13 })] // repeated
    [InlineData(new ulong[] { 11, 13, 12 })] // decreasing at the end
    [InlineData(new ulong[] { 12, 11 })] // decreasing
    public void Write_with_sequences_not_strictly_increasing_within_the_batch_throws_NotMonotonic_and_writes_nothing(ulong[] sequences)
    {
        using LedgerHost host = Open();
        host.Ledger.Write(EntriesOf(10));

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(sequences)));

        AssertStateAndAfterReopen(host, 10, 0, 10);
    }

    [Fact]
    public void Write_not_above_Head_after_everything_was_deleted_throws_NotMonotonic()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(TestEntries.Range(1, 5));
        host.Ledger.Delete(5);

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(5)));

        AssertStateAndAfterReopen(host, 5, 5);
    }

    public static TheoryData<string> FailureKinds => ["payload", "limit", "monotonic"];

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public void A_failed_batch_leaves_the_ledger_writable_for_the_next_valid_batch(string failure)
    {
        using LedgerHost host = Open(limit: 4);
        host.Ledger.Write(TestEntries.Range(1, 2));

        (Entry[] bad, Type expected) = failure switch
        {
            "payload" => (new[] { TestEntries.Make(3), Oversized(4) }, typeof(ArgumentException)),
            "limit" => (TestEntries.Range(3, 3), typeof(LimitReachedException)),
            _ => (EntriesOf(3, 3), typeof(NotMonotonicException)),
        };
        Assert.Throws(expected, () => host.Ledger.Write(bad));
        host.Ledger.Write(TestEntries.Range(3, 2));

        AssertStateAndAfterReopen(host, 4, 0, 1, 2, 3, 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void The_caller_may_reuse_its_payload_buffers_as_soon_as_Write_returns(int cache)
    {
        using LedgerHost host = Open(cache: cache);
        byte[] buffer = Encoding.ASCII.GetBytes("original");

        host.Ledger.Write(new Entry(1, buffer), new Entry(2, buffer.AsMemory(0, 4)));
        Encoding.ASCII.GetBytes("REPLACED").CopyTo(buffer, 0);

        IReadOnlyList<Entry> read = host.Ledger.Read(1, 10);
        Assert.Equal(["original", "orig"], read.Select(TestEntries.Text));
        host.Reopen();
        Assert.Equal(["original", "orig"], host.Ledger.Read(1, 10).Select(TestEntries.Text));
    }

    [Fact]
    public void The_largest_sequence_can_be_written_and_nothing_can_follow_it()
    {
        using LedgerHost host = Open();
        host.Ledger.Write(EntriesOf(1, ulong.MaxValue - 1, ulong.MaxValue));

        Assert.Throws<NotMonotonicException>(() => host.Ledger.Write(EntriesOf(ulong.MaxValue)));

        AssertStateAndAfterReopen(host, ulong.MaxValue, 0, 1, ulong.MaxValue - 1, ulong.MaxValue);
    }

    [Fact]
    public void A_batch_larger_than_the_segment_size_is_written_whole()
    {
        using LedgerHost host = Open(dbOptions: new DbOptions { SegmentSize = 200 });
        host.Ledger.Write(TestEntries.Range(1, 2));

        host.Ledger.Write(TestEntries.Range(3, 40, extra: 50));
        host.Ledger.Write(TestEntries.Range(43, 2));

        TestEntries.AssertMatches([.. TestEntries.Range(1, 2), .. TestEntries.Range(3, 40, extra: 50), .. TestEntries.Range(43, 2)], host.Ledger.Read(1, 100));
        host.Reopen();
        Assert.Equal(44, host.Ledger.Length);
        TestEntries.AssertMatches(TestEntries.Range(3, 40, extra: 50), host.Ledger.Read(3, 40));
    }
}
