using Quasar.Tests.Support;

namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="Producer"/> with bad options, refused entries and calls after dispose: the documented
/// exception (at the call for options, through the task for entries) and no file changed. The
/// ledger holds 1..3 with Limit 4.
/// </summary>
public sealed class ProducerBadInputTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly SweepStore store = new(new LedgerOptions { Prefix = "ledger", Limit = 4 });

    public void Dispose() => store.Dispose();

    private static readonly Dictionary<string, ProducerOptions> OutOfRangeOptions = new()
    {
        ["Batch 0"] = new() { Batch = 0 },
        ["Batch int.MinValue"] = new() { Batch = int.MinValue },
        ["Timeout -1 tick"] = new() { Timeout = -Tick },
        ["Timeout TimeSpan.MinValue"] = new() { Timeout = TimeSpan.MinValue },
        ["Retry -1"] = new() { Retry = -1, Delay = TimeSpan.FromSeconds(1) },
        ["Delay -1 tick"] = new() { Delay = -Tick },
        // Beyond what a .NET timer can wait: refused at the call, not when the loop first waits.
        ["Timeout TimeSpan.MaxValue"] = new() { Batch = 2, Timeout = TimeSpan.MaxValue },
        ["Delay TimeSpan.MaxValue"] = new() { Retry = 1, Delay = TimeSpan.MaxValue },
    };


    public static TheoryData<string> OutOfRangeCases => [.. OutOfRangeOptions.Keys];

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void A_negative_or_untimeable_option_throws_ArgumentOutOfRangeException_at_the_call_and_leaves_files_unchanged(string options) =>
        store.Refuses<ArgumentOutOfRangeException>(() => new Producer(store.Ledger, OutOfRangeOptions[options]));

    [Fact]
    public void Retry_without_Delay_throws_ArgumentException_and_leaves_files_unchanged() =>
        store.Refuses<ArgumentException>(() => new Producer(store.Ledger, new ProducerOptions { Retry = 1 }));

    [Fact]
    public void A_null_ledger_or_options_throws_ArgumentNullException_and_leaves_files_unchanged()
    {
        store.Refuses<ArgumentNullException>(() => new Producer(null!, new ProducerOptions()));
        store.Refuses<ArgumentNullException>(() => new Producer(store.Ledger, null!));
    }

    [Fact]
    public void A_disposed_ledger_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.Ledger.Dispose();

        store.Refuses<ObjectDisposedException>(() => new Producer(store.Ledger, new ProducerOptions()));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(3UL)]
    public async Task An_entry_not_above_Head_fails_with_NotMonotonicException_and_leaves_files_unchanged(ulong sequence)
    {
        await using var producer = new Producer(store.Ledger, new ProducerOptions());

        await store.RefusesAsync<NotMonotonicException>(() => producer.WriteAsync(TestEntries.Make(sequence)));
    }

    [Fact]
    public async Task An_oversized_payload_fails_with_ArgumentException_and_leaves_files_unchanged()
    {
        await using var producer = new Producer(store.Ledger, new ProducerOptions());

        await store.RefusesAsync<ArgumentException>(() => producer.WriteAsync(new Entry(4, new byte[Ledger.MaxPayloadLength + 1])));
    }

    [Fact]
    public async Task An_entry_beyond_Limit_fails_with_LimitReachedException_and_leaves_files_unchanged()
    {
        await using var producer = new Producer(store.Ledger, new ProducerOptions());
        await producer.WriteAsync(TestEntries.Make(4)).Within();

        await store.RefusesAsync<LimitReachedException>(() => producer.WriteAsync(TestEntries.Make(5)));
    }

    [Fact]
    public async Task After_dispose_WriteAsync_and_FlushAsync_fault_with_ProducerClosedException_and_leave_files_unchanged()
    {
        var producer = new Producer(store.Ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();

        await store.RefusesAsync<ProducerClosedException>(() => producer.WriteAsync(TestEntries.Make(4)));
        await store.RefusesAsync<ProducerClosedException>(() => producer.FlushAsync());
    }

    [Fact]
    public async Task After_dispose_Write_and_TryWrite_return_false_and_leave_files_unchanged()
    {
        var producer = new Producer(store.Ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();
        store.Db.Sync();
        DirectorySnapshot before = DirectorySnapshot.Take(store.Path);

        Assert.False(producer.Write(TestEntries.Make(4)));
        Assert.False(producer.TryWrite(TestEntries.Make(4)));

        store.Db.Sync();
        before.AssertUnchanged();
    }

    [Fact]
    public async Task A_Batch_of_int_MaxValue_writes_without_allocating_for_the_whole_batch()
    {
        await using var producer = new Producer(store.Ledger, new ProducerOptions { Batch = int.MaxValue });

        await producer.WriteAsync(TestEntries.Make(4)).Within();

        Assert.Equal(4UL, store.Ledger.Head);
    }
}
