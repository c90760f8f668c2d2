using Microsoft.Extensions.Logging;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

/// <summary>Start, stored positions, and resuming after a restart (at-least-once, never a gap).</summary>
public sealed class ConsumerRestartTests
{
    // ---- Start ----

    [Fact]
    public async Task A_named_consumer_with_nothing_stored_persists_Start_minus_1_before_the_constructor_returns()
    {
        await using var host = new ConsumerHost();

        host.Start(new ConsumerOptions { Name = "c", Start = 5, Window = 10 });

        Assert.Equal([4UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_named_consumer_with_nothing_stored_and_Start_0_persists_0()
    {
        await using var host = new ConsumerHost();

        host.Start(new ConsumerOptions { Name = "c", Window = 10 });

        Assert.Equal([0UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_named_consumer_with_Start_1_persists_0()
    {
        await using var host = new ConsumerHost();

        host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 10 });

        Assert.Equal([0UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task The_persisted_Start_is_durable_across_a_Db_reopen()
    {
        await using var host = new ConsumerHost();
        host.Start(new ConsumerOptions { Name = "c", Start = 9, Window = 10 });

        await host.DisposeDbAsync();

        Assert.Equal([8UL], host.StoredAfterReopen("c"));
    }

    [Fact]
    public async Task A_restart_before_the_first_mark_resumes_at_Start()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        var options = new ConsumerOptions { Name = "c", Start = 5, Window = 10 };
        Consumer first = host.Start(options);
        Assert.Equal(Run(5, 3), await first.Entries.ReadSequencesAsync(3));
        await first.DisposeAsync().Within();

        Consumer second = host.Start(options);

        Assert.Equal(Run(5, 6), await second.Entries.ReadSequencesAsync(6));
    }

    [Fact]
    public async Task Stored_positions_take_precedence_over_Start()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        await host.Start(new ConsumerOptions { Name = "c", Start = 3, Window = 10 }).DisposeAsync().Within();

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 8, Window = 10 });

        Assert.Equal(3UL, (await consumer.Entries.ReadOneAsync()).Sequence);
        Assert.Equal([2UL], host.Table.Get("c"));
    }

    // ---- restart ----

    [Fact]
    public async Task A_restarted_consumer_resumes_after_its_last_mark()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        var options = new ConsumerOptions { Name = "c", Window = 10 };
        Consumer first = host.Start(options);
        await first.Entries.ReadAsync(4);
        await first.MarkAsync(3, cumulative: true).Within();
        await first.DisposeAsync().Within();

        Consumer second = host.Start(options);

        Assert.Equal(Run(4, 7), await second.Entries.ReadSequencesAsync(7));
    }

    [Fact]
    public async Task A_restarted_consumer_resumes_after_its_first_stored_position_and_skips_the_positions_stored_beyond_it()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 5, 7, 8);

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });

        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(3);
        Assert.Equal([6UL, 9UL, 10UL], delivered);
        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task Restored_positions_absorbed_into_the_first_position_by_a_mark_are_not_delivered_again()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 5, 7, 8);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Batch = 1 });

        Assert.Equal(new ulong[] { 6 }, await consumer.Entries.ReadSequencesAsync(1));
        await consumer.MarkAsync(6).Within();

        Assert.Equal(new ulong[] { 9, 10 }, await consumer.Entries.ReadSequencesAsync(2));
    }

    [Theory]
    [InlineData(1, new ulong[] { 6, 7, 8, 9, 10 })]
    [InlineData(2, new ulong[] { 6, 8, 9, 10 })]
    public async Task A_window_smaller_than_the_stored_list_redelivers_the_positions_it_cannot_hold_instead_of_stalling(int window, ulong[] expected)
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 5, 7, 8);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = window });

        var delivered = new List<ulong>();
        while (delivered.Count < expected.Length)
        {
            ulong sequence = (await consumer.Entries.ReadSequencesAsync(1))[0];
            delivered.Add(sequence);
            await consumer.MarkAsync(sequence).Within();
        }

        Assert.Equal(expected, delivered);
    }

    [Fact]
    public async Task After_a_restart_marking_the_gap_advances_past_the_restored_positions()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 5, 7, 8);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(6).Within();

        Assert.Equal([8UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_restored_position_can_be_marked_again()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 5, 7, 8);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(7).Within();

        Assert.Equal([5UL, 7UL, 8UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Entries_left_unmarked_before_a_restart_are_delivered_again_and_marked_ones_are_not()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        var options = new ConsumerOptions { Name = "c", Window = 10, Skip = 3 };
        Consumer first = host.Start(options);
        await first.Entries.ReadAsync(8);
        Assert.True(first.Mark(1));
        Assert.True(first.Mark(2));
        Assert.True(first.Mark(4));
        Assert.True(first.Mark(7));
        await first.DisposeAsync().Within();

        Consumer second = host.Start(options);

        ulong[] delivered = await second.Entries.ReadSequencesAsync(6);
        Assert.Equal([3UL, 5UL, 6UL, 8UL, 9UL, 10UL], delivered);
    }

    [Fact]
    public async Task A_restart_through_a_Db_reopen_resumes_from_the_durable_positions()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 6);
        Consumer first = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 5 });
        await first.Entries.ReadAsync(6);
        Assert.True(first.Mark(2, cumulative: true));
        Assert.True(first.Mark(5));
        await host.DisposeDbAsync();

        using var db = Db.Open(host.Directory);
        using var ledger = Ledger.Open(db, host.LedgerOptions);
        using var table = Table.Open(db, new TableOptions { Prefix = ConsumerHost.TablePrefix });
        Consumer second = new(ledger, table, new ConsumerOptions { Name = "c", Window = 10 });
        try
        {
            ulong[] delivered = await second.Entries.ReadSequencesAsync(3);
            Assert.Equal([3UL, 4UL, 6UL], delivered);
        }
        finally
        {
            await second.DisposeAsync().Within();
        }
    }

    [Fact]
    public async Task Consumers_with_different_names_keep_separate_positions()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer a = host.Start(new ConsumerOptions { Name = "a", Window = 10 });
        Consumer b = host.Start(new ConsumerOptions { Name = "b", Start = 4, Window = 10 });
        await a.Entries.ReadAsync(5);
        await b.Entries.ReadAsync(2);

        await a.MarkAsync(5, cumulative: true).Within();
        await b.MarkAsync(4).Within();

        Assert.Equal([5UL], host.Table.Get("a"));
        Assert.Equal([4UL], host.Table.Get("b"));
    }

    // ---- positions below the ledger's tail ----

    [Fact]
    public async Task A_consumer_whose_position_fell_below_the_tail_continues_at_the_oldest_entry()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 0);
        host.Ledger.Delete(7);

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });

        Assert.Equal(Run(8, 3), await consumer.Entries.ReadSequencesAsync(3));
    }

    [Fact]
    public async Task A_consumer_whose_position_fell_below_the_tail_logs_a_warning_naming_the_skipped_range()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("skipper", 2);
        host.Ledger.Delete(7);

        Consumer consumer = host.Start(new ConsumerOptions { Name = "skipper", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        LoggedMessage warning = Assert.Single(host.Logger.At(LogLevel.Warning), m => m.Message.Contains("skipper", StringComparison.Ordinal));
        Assert.Equal(3UL, warning.Value("From"));
        Assert.Equal(7UL, warning.Value("Tail"));
    }

    [Fact]
    public async Task After_skipping_deleted_entries_marks_advance_from_the_oldest_entry()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Table.Set("c", 0);
        host.Ledger.Delete(7);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(8).Within();

        Assert.Equal([8UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_running_consumer_overtaken_by_threshold_cleaning_continues_at_the_oldest_entry()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        Assert.Equal(Run(1, 2), await consumer.Entries.ReadSequencesAsync(2));
        using var cleaner = new Cleaner(host.Ledger, new CleanerOptions { Threshold = 3, Interval = TimeSpan.FromHours(1), Tables = [host.Table] });

        Assert.Equal(7, cleaner.Clean());
        Assert.Equal(7UL, host.Ledger.Tail);
        await consumer.MarkAsync(2, cumulative: true).Within();

        Assert.Equal(Run(8, 2), await consumer.Entries.ReadSequencesAsync(2));
        Assert.Contains(host.Logger.At(LogLevel.Warning), m => Equals(m.Value("From"), 3UL) && Equals(m.Value("Tail"), 7UL));
    }

    [Fact]
    public async Task A_cleaner_without_threshold_does_not_delete_below_a_new_consumers_persisted_Start()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        host.Start(new ConsumerOptions { Name = "c", Start = 4, Window = 10 });
        using var cleaner = new Cleaner(host.Ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1), Tables = [host.Table] });

        cleaner.Clean();

        Assert.Equal(3UL, host.Ledger.Tail);
    }

    [Fact]
    public async Task With_Skip_0_marking_an_entry_deleted_by_threshold_cleaning_after_delivery_is_persisted_at_once()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5 });
        Assert.Equal(Run(1, 5), await consumer.Entries.ReadSequencesAsync(5));
        host.Ledger.Delete(7); // 2..5 are delivered, unmarked, and now deleted
        await consumer.MarkAsync(1).Within();
        Assert.Equal(Run(8, 3), await consumer.Entries.ReadSequencesAsync(3));

        await consumer.MarkAsync(3).Within();

        Assert.Equal(7UL, host.Table.Get("c")[0]);
    }

    [Fact]
    public async Task A_Start_beyond_the_head_waits_for_that_sequence()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 100, Window = 10 });
        await consumer.Entries.AssertNothingDeliveredAsync();

        host.Write(99, 100, 101);

        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(2);
        Assert.Equal([100UL, 101UL], delivered);
    }
}
