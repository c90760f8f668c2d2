using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

/// <summary>Window is a range (API.md Clarifications): at most Window entries lie above the fully marked prefix P.</summary>
public sealed class ConsumerWindowTests
{
    [Fact]
    public async Task Without_marks_delivery_stops_after_Window_entries()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5, Batch = 3 });

        Assert.Equal(Run(1, 5), await consumer.Entries.ReadSequencesAsync(5));

        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task One_entry_never_marked_stops_delivery_after_Window_entries_even_if_all_later_ones_are_marked()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5 });
        Assert.Equal(Run(1, 5), await consumer.Entries.ReadSequencesAsync(5));

        foreach (ulong sequence in Run(2, 4))
        {
            await consumer.MarkAsync(sequence).Within();
        }

        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task Marking_the_oldest_unmarked_entry_resumes_delivery()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5 });
        Assert.Equal(Run(1, 5), await consumer.Entries.ReadSequencesAsync(5));
        foreach (ulong sequence in Run(2, 4))
        {
            await consumer.MarkAsync(sequence).Within();
        }

        await consumer.MarkAsync(1).Within();

        Assert.Equal(Run(6, 5), await consumer.Entries.ReadSequencesAsync(5));
        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task The_stored_list_stays_bounded_by_Window_while_one_entry_stays_unmarked()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 50);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5 });
        Assert.Equal(Run(1, 5), await consumer.Entries.ReadSequencesAsync(5));

        foreach (ulong sequence in Run(2, 4))
        {
            await consumer.MarkAsync(sequence).Within();
        }

        await consumer.Entries.AssertNothingDeliveredAsync();
        Assert.Equal([0UL, 2UL, 3UL, 4UL, 5UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task The_window_is_measured_from_the_oldest_unmarked_entry_not_from_the_first_delivered()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 3 });
        Assert.Equal(Run(1, 3), await consumer.Entries.ReadSequencesAsync(3));

        await consumer.MarkAsync(1).Within(); // P = 1; 2 stays unmarked

        Assert.Equal(4UL, (await consumer.Entries.ReadOneAsync()).Sequence);
        await consumer.MarkAsync(3).Within();
        await consumer.MarkAsync(4).Within();
        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task A_cumulative_mark_frees_the_whole_window()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 4 });
        Assert.Equal(Run(1, 4), await consumer.Entries.ReadSequencesAsync(4));

        await consumer.MarkAsync(4, cumulative: true).Within();

        Assert.Equal(Run(5, 4), await consumer.Entries.ReadSequencesAsync(4));
        Assert.Equal([4UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Marking_entries_in_order_lets_a_Window_of_1_deliver_everything()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 1 });

        for (ulong sequence = 1; sequence <= 10; sequence++)
        {
            Entry entry = await consumer.Entries.ReadOneAsync();
            Assert.Equal(sequence, entry.Sequence);
            await consumer.MarkAsync(sequence).Within();
        }

        Assert.Equal([10UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Positions_restored_beyond_the_first_count_toward_the_window()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        host.Table.Set("c", 0, 2, 3); // 1 was delivered and never marked; 2 and 3 were
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 4 });

        // Above P = 0 lie 2 and 3 (restored): room for two more, 1 and 4.
        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(2);
        Assert.Equal([1UL, 4UL], delivered);
        await consumer.Entries.AssertNothingDeliveredAsync();
    }

    [Fact]
    public async Task Restored_positions_that_continue_the_first_position_do_not_take_room_in_the_window()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        host.Table.Set("c", 5, 6, 7); // everything up to 7 is marked: P = 7
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });

        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(2);

        Assert.Equal([8UL, 9UL], delivered);
    }
}
