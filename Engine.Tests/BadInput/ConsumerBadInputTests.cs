using Quasar.Tests.Support;

namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="Consumer"/> with bad options, marks of sequences it never delivered and calls after
/// dispose: the documented exception and no file changed. The ledger holds 1..3.
/// </summary>
public sealed class ConsumerBadInputTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    private static readonly Dictionary<string, ConsumerOptions> OutOfRangeOptions = new()
    {
        ["Batch 0"] = new() { Name = "c", Batch = 0 },
        ["Batch int.MinValue"] = new() { Name = "c", Batch = int.MinValue },
        ["Window 0"] = new() { Name = "c", Window = 0 },
        ["Window int.MinValue"] = new() { Name = "c", Window = int.MinValue },
        ["Skip -1"] = new() { Name = "c", Window = 2, Skip = -1 },
        ["Timeout -1 tick"] = new() { Name = "c", Timeout = -Tick },
        ["Deadline -1 tick"] = new() { Name = "c", Deadline = -Tick },
        ["Deadline TimeSpan.MinValue"] = new() { Name = "c", Deadline = TimeSpan.MinValue },
        // Beyond what a .NET timer can wait: refused at the call, not when the loop first waits.
        ["Timeout TimeSpan.MaxValue"] = new() { Name = "c", Window = 3, Skip = 1, Timeout = TimeSpan.MaxValue },
        ["Deadline TimeSpan.MaxValue"] = new() { Name = "c", Deadline = TimeSpan.MaxValue },
    };

    public static TheoryData<string> OutOfRangeCases => [.. OutOfRangeOptions.Keys];

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void A_negative_zero_or_untimeable_option_throws_ArgumentOutOfRangeException_at_the_call_and_leaves_files_unchanged(string options) =>
        store.Refuses<ArgumentOutOfRangeException>(() => new Consumer(store.Ledger, store.Table, OutOfRangeOptions[options]));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void Skip_at_or_above_Window_throws_ArgumentException_and_leaves_files_unchanged(int window, int skip) =>
        store.Refuses<ArgumentException>(() => new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c", Window = window, Skip = skip }));

    [Fact]
    public void A_null_ledger_options_or_table_of_a_named_consumer_throws_ArgumentNullException_and_leaves_files_unchanged()
    {
        store.Refuses<ArgumentNullException>(() => new Consumer(null!, store.Table, new ConsumerOptions { Name = "c" }));
        store.Refuses<ArgumentNullException>(() => new Consumer(store.Ledger, store.Table, null!));
        store.Refuses<ArgumentNullException>(() => new Consumer(store.Ledger, null, new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public void A_disposed_ledger_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.Ledger.Dispose();

        store.Refuses<ObjectDisposedException>(() => new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public void A_disposed_table_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.Table.Dispose();

        store.Refuses<ObjectDisposedException>(() => new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c" }));
    }

    [Theory]
    [InlineData(99UL)]
    [InlineData(ulong.MaxValue)]
    public async Task Marking_a_sequence_never_delivered_fails_with_InvalidSequenceException_and_leaves_files_unchanged(ulong sequence)
    {
        await using var consumer = new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c", Window = 3 });
        Assert.Equal(1UL, (await consumer.Entries.ReadAsync().AsTask().Within()).Sequence);

        await store.RefusesAsync<InvalidSequenceException>(() => consumer.MarkAsync(sequence));
        await store.RefusesAsync<InvalidSequenceException>(() => consumer.MarkAsync(sequence, cumulative: true));
    }

    [Fact]
    public async Task After_dispose_MarkAsync_faults_with_ConsumerClosedException_and_Mark_returns_false_and_files_stay_unchanged()
    {
        var consumer = new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c", Window = 3 });
        await consumer.Entries.ReadAsync().AsTask().Within();
        await consumer.DisposeAsync().Within();

        await store.RefusesAsync<ConsumerClosedException>(() => consumer.MarkAsync(1));
        DirectorySnapshot before = DirectorySnapshot.Take(store.Path);
        Assert.False(consumer.Mark(1));
        store.Db.Sync();
        before.AssertUnchanged();
    }

    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public async Task A_Window_or_Batch_of_int_MaxValue_delivers_without_allocating_for_it(int window, int batch)
    {
        await using var consumer = new Consumer(store.Ledger, store.Table, new ConsumerOptions { Name = "c", Window = window, Batch = batch });

        for (ulong expected = 1; expected <= (window > 1 ? 3UL : 1UL); expected++)
        {
            Assert.Equal(expected, (await consumer.Entries.ReadAsync().AsTask().Within()).Sequence);
        }
    }
}
