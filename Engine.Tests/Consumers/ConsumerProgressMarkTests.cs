using Quasar.Tests.Support;

namespace Quasar.Tests.Consumers;

/// <summary>What a mark comes to: answered at once (done already, or never delivered), or held and persisted.</summary>
public sealed class ConsumerProgressMarkTests
{
    [Fact]
    public async Task A_mark_at_or_below_the_stored_first_position_succeeds_at_once()
    {
        using var harness = new ProgressHarness();
        harness.Store(5);
        harness.Restore(new ConsumerOptions { Window = 4, Skip = 3 });

        AckProbe ack = harness.Mark(3);

        Assert.True(ack.IsCalled);
        Assert.Null(await ack.Outcome);
    }

    [Fact]
    public async Task A_mark_of_a_sequence_not_delivered_fails_at_once_with_InvalidSequenceException()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4, Skip = 3 });
        harness.Deliver(1);

        AckProbe ack = harness.Mark(2);

        Assert.True(ack.IsCalled);
        Assert.IsType<InvalidSequenceException>(await ack.Outcome);
    }

    [Fact]
    public void Marks_answered_at_once_do_not_count_toward_Skip()
    {
        using var harness = new ProgressHarness();
        harness.Store(5);
        harness.Restore(new ConsumerOptions { Window = 4, Skip = 1 });
        harness.Deliver(6);

        AckProbe[] acks = harness.MarkAll((5, false), (9, false), (6, false));

        Assert.False(acks[2].IsCalled);
        Assert.Equal([5UL], harness.Stored);
    }

    [Fact]
    public void A_cumulative_mark_moves_P_over_every_delivered_entry_up_to_it()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Deliver(1, 2, 3);

        harness.Mark(2, cumulative: true);

        Assert.Equal(2UL, harness.Progress.Position);
        Assert.Equal([2UL], harness.Stored);
    }

    [Fact]
    public void A_mark_out_of_order_is_stored_beyond_P()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Deliver(1, 2, 3);

        harness.Mark(2);

        Assert.Equal(0UL, harness.Progress.Position);
        Assert.Equal([0UL, 2UL], harness.Stored);
    }

    [Fact]
    public void A_mark_frees_room_only_once_P_moves_past_the_entry()
    {
        using var harness = new ProgressHarness();
        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 2 });
        harness.Deliver(1, 2);

        harness.Mark(2);
        Assert.Equal(0, progress.Room());

        harness.Mark(1);
        Assert.Equal(2, progress.Room());
    }

    // ---- Threshold cleaning: the ledger deleted entries the consumer had not marked ----

    [Fact]
    public void Skipping_to_the_tail_drops_the_delivered_entries_at_or_below_it_and_frees_their_room()
    {
        using var harness = new ProgressHarness();
        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Deliver(1, 2, 3);

        progress.SkipTo(10);

        Assert.Equal(10UL, progress.Position);
        Assert.Equal(4, progress.Room());
    }

    [Fact]
    public async Task A_mark_of_an_entry_skipped_by_cleaning_succeeds_and_persists_the_tail()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Deliver(1, 2);
        harness.Progress.SkipTo(10);

        AckProbe ack = harness.Mark(2);

        Assert.Null(await ack.Outcome);
        Assert.Equal([10UL], harness.Stored);
        Assert.Equal(10UL, harness.Progress.PersistedFirst);
    }

    [Fact]
    public void A_mark_of_an_entry_skipped_by_cleaning_counts_toward_Skip()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4, Skip = 1 });
        harness.Deliver(1, 2);
        harness.Progress.SkipTo(10);

        AckProbe first = harness.Mark(1);
        Assert.False(first.IsCalled);
        Assert.Equal([0UL], harness.Stored);

        AckProbe second = harness.Mark(2);
        Assert.True(first.IsCalled);
        Assert.True(second.IsCalled);
        Assert.Equal([10UL], harness.Stored);
    }

    [Fact]
    public async Task A_mark_of_a_sequence_above_the_tail_that_was_never_delivered_still_fails()
    {
        using var harness = new ProgressHarness();
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Progress.SkipTo(10);

        AckProbe ack = harness.Mark(11);

        Assert.IsType<InvalidSequenceException>(await ack.Outcome);
    }
}
