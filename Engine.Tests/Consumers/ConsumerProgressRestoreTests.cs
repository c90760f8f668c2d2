namespace Quasar.Tests.Consumers;

/// <summary>
/// Restoring a consumer's progress from its stored positions: the first one is P, those beyond it
/// are done and not delivered again, and no stored list can leave the window without room.
/// </summary>
public sealed class ConsumerProgressRestoreTests
{
    [Fact]
    public void Nothing_stored_stores_Start_minus_1_as_P()
    {
        using var harness = new ProgressHarness();

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Start = 5, Window = 4 });

        Assert.Equal([4UL], harness.Stored);
        Assert.Equal(4UL, progress.Position);
        Assert.Equal(4UL, progress.PersistedFirst);
    }

    [Fact]
    public void Nothing_stored_and_Start_0_stores_0()
    {
        using var harness = new ProgressHarness();

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });

        Assert.Equal([0UL], harness.Stored);
        Assert.Equal(0UL, progress.Position);
    }

    [Fact]
    public void Positions_stored_beyond_the_first_are_not_delivered_again()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 8);
        harness.Restore(new ConsumerOptions { Window = 10 });

        Assert.Equal([6UL, 9UL], harness.Deliver(6, 7, 8, 9));
    }

    [Fact]
    public void Positions_beyond_the_first_take_room_in_the_window()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9);

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });

        Assert.Equal(2, progress.Room());
    }

    [Fact]
    public void Positions_that_continue_the_first_fold_into_P_and_take_no_room()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 6, 7, 9);

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });

        Assert.Equal(7UL, progress.Position);
        Assert.Equal(3, progress.Room());
    }

    [Fact]
    public void Stored_positions_at_or_below_the_first_and_repeated_ones_are_ignored()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 3, 5, 8, 8);

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });

        Assert.Equal(5UL, progress.Position);
        Assert.Equal(3, progress.Room());
        Assert.Equal([6UL, 7UL], harness.Deliver(6, 7, 8));
    }

    [Fact]
    public void A_window_lowered_since_the_positions_were_stored_keeps_room_for_one_delivery()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9, 11);

        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 2 });

        Assert.Equal(1, progress.Room());
        Assert.Equal([6UL], harness.Deliver(6));
        Assert.Equal(0, progress.Room());
    }

    [Fact]
    public void Positions_that_a_lowered_window_cannot_hold_are_delivered_again()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9, 11);
        harness.Restore(new ConsumerOptions { Window = 2 });
        harness.Deliver(6);

        harness.Mark(6);

        Assert.Equal(7UL, harness.Progress.Position);
        Assert.Equal([8UL, 9UL], harness.Deliver(8, 9));
    }

    [Fact]
    public void Restored_positions_folded_into_P_by_a_later_mark_are_not_delivered_again()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 8);
        harness.Restore(new ConsumerOptions { Window = 10 });
        harness.Deliver(6);

        harness.Mark(6);

        Assert.Equal(8UL, harness.Progress.Position);
        Assert.Equal([9UL], harness.Deliver(7, 8, 9));
    }

    // Bug: a mark moved P over every marked restored position behind the marked entry, also over
    // those the reader had not read up to yet, so the entries in between (7, 8) counted as done.
    [Fact]
    public void Entries_between_the_marked_ones_and_a_restored_position_the_reader_has_not_reached_are_still_delivered()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 9);
        harness.Restore(new ConsumerOptions { Window = 2 });
        harness.Deliver(6);

        harness.Mark(6);

        Assert.Equal(6UL, harness.Progress.Position);
        Assert.Equal([7UL], harness.Deliver(7));
    }

    [Fact]
    public void A_restored_position_counts_as_reached_once_the_reader_reads_past_it()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 9);
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Deliver(6, 7);
        harness.MarkAll((6, false), (7, false));

        Assert.Equal([10UL], harness.Deliver(9, 10)); // the ledger holds no 8

        Assert.Equal(9UL, harness.Progress.Position);
    }

    [Fact]
    public void A_persist_keeps_the_restored_positions_P_has_not_reached()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9);
        harness.Restore(new ConsumerOptions { Window = 10 });
        harness.Deliver(6, 7, 8);

        harness.Mark(6);

        Assert.Equal([7UL, 9UL], harness.Stored);
        Assert.Equal(7UL, harness.Progress.PersistedFirst);
    }

    // Bug: the marks handed to Compile held P and the restored positions but nothing for the
    // unread entries between them, so the leading marked run collapsed into the last restored
    // position: [9] was stored and the next restart skipped 6 and 8, never marked.
    [Fact]
    public void A_persist_before_the_reader_reaches_the_restored_positions_stores_them_beyond_P()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9);
        harness.Restore(new ConsumerOptions { Window = 4 });

        harness.Mark(9);

        Assert.Equal([5UL, 7UL, 9UL], harness.Stored);
    }

    // Bug: the same collapse after threshold cleaning: the skipped-to tail 6, the restored 7 and 9
    // compiled to [9], dropping 8, which the reader has not read yet.
    [Fact]
    public void A_persist_after_skipping_to_the_tail_stores_the_restored_positions_behind_an_unread_entry_beyond_P()
    {
        using var harness = new ProgressHarness();
        harness.Store(5, 7, 9);
        harness.Restore(new ConsumerOptions { Window = 4 });
        harness.Progress.SkipTo(6);

        harness.Mark(6);

        Assert.Equal([7UL, 9UL], harness.Stored);
    }

    [Fact]
    public void Restored_positions_at_or_below_a_skipped_to_tail_are_dropped_from_the_window()
    {
        using var harness = new ProgressHarness();
        harness.Store(0, 3, 5);
        ConsumerProgress progress = harness.Restore(new ConsumerOptions { Window = 4 });

        progress.SkipTo(4);

        Assert.Equal(4UL, progress.Position);
        Assert.Equal(3, progress.Room());
        Assert.Equal([6UL], harness.Deliver(5, 6));
    }
}
