using Quasar.Tests.Support;

namespace Quasar.Tests.Cleaners;

public sealed class CleanerTests : IDisposable
{
    /// <summary>Long enough that no periodic pass interferes with a test that calls Clean itself.</summary>
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    /// <summary>A ledger holding entries 1..count.</summary>
    private Ledger Filled(int count, string prefix = "ledger")
    {
        Ledger ledger = db.Ledger(prefix);
        ledger.Write(TestEntries.Range(1, count));
        return ledger;
    }

    private static ulong[] Live(Ledger ledger) => [.. ledger.Read(0, int.MaxValue).Select(e => e.Sequence)];

    // ---- options ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Interval_not_above_zero_is_rejected(int milliseconds)
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(milliseconds) }));
    }

    [Fact]
    public void Negative_Retention_is_rejected()
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = -1 }));
    }

    [Fact]
    public void Negative_Threshold_is_rejected()
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Cleaner(ledger, new CleanerOptions { Interval = Never, Threshold = -1 }));
    }

    // ---- retention ----

    [Fact]
    public void Clean_keeps_the_Retention_newest_entries_and_returns_how_many_it_deleted()
    {
        using Ledger ledger = Filled(10);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 3 });

        Assert.Equal(7, cleaner.Clean());

        Assert.Equal([8UL, 9UL, 10UL], Live(ledger));
        Assert.Equal(7UL, ledger.Tail);
    }

    [Fact]
    public void Clean_with_Retention_zero_and_no_tables_deletes_every_entry()
    {
        using Ledger ledger = Filled(10);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never });

        Assert.Equal(10, cleaner.Clean());

        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public void Clean_deletes_nothing_while_Length_is_at_most_Retention()
    {
        using Ledger ledger = Filled(5);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 5 });

        Assert.Equal(0, cleaner.Clean());

        Assert.Equal(5, ledger.Length);
    }

    [Fact]
    public void A_second_Clean_with_nothing_new_deletes_nothing()
    {
        using Ledger ledger = Filled(10);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 2 });
        cleaner.Clean();

        Assert.Equal(0, cleaner.Clean());
    }

    [Fact]
    public void Clean_on_an_empty_ledger_deletes_nothing()
    {
        using Ledger ledger = db.Ledger();
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never });

        Assert.Equal(0, cleaner.Clean());
    }

    // ---- tables ----

    [Fact]
    public void Clean_never_deletes_past_the_lowest_first_position_in_a_table()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 4, 6, 7);
        table.Set("d", 6);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Tables = [table] });

        Assert.Equal(4, cleaner.Clean());

        Assert.Equal([5UL, 6UL, 7UL, 8UL, 9UL, 10UL], Live(ledger));
    }

    [Fact]
    public void The_lowest_first_position_over_all_tables_limits_Clean()
    {
        using Ledger ledger = Filled(10);
        using Table first = db.Table("first");
        using Table second = db.Table("second");
        first.Set("c", 6);
        second.Set("c", 3);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Tables = [first, second] });

        Assert.Equal(3, cleaner.Clean());

        Assert.Equal(3UL, ledger.Tail);
    }

    [Fact]
    public void An_empty_table_does_not_restrict_Clean()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 2, Tables = [table] });

        Assert.Equal(8, cleaner.Clean());
    }

    [Fact]
    public void Retention_still_applies_when_a_table_position_would_allow_more()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 9);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 4, Tables = [table] });

        Assert.Equal(6, cleaner.Clean());

        Assert.Equal([7UL, 8UL, 9UL, 10UL], Live(ledger));
    }

    [Fact]
    public void A_table_position_at_or_below_Tail_means_nothing_is_deleted()
    {
        using Ledger ledger = Filled(10);
        ledger.Delete(5);
        using Table table = db.Table();
        table.Set("c", 2);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Tables = [table] });

        Assert.Equal(0, cleaner.Clean());

        Assert.Equal(5UL, ledger.Tail);
        Assert.Equal(5, ledger.Length);
    }

    [Fact]
    public void A_table_position_zero_means_nothing_is_deleted()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 0);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Tables = [table] });

        Assert.Equal(0, cleaner.Clean());

        Assert.Equal(10, ledger.Length);
    }

    // ---- threshold ----

    [Fact]
    public void Above_Threshold_Clean_deletes_regardless_of_tables_down_to_Threshold_entries()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 2);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Threshold = 4, Tables = [table] });

        Assert.Equal(6, cleaner.Clean());

        Assert.Equal([7UL, 8UL, 9UL, 10UL], Live(ledger));
    }

    [Fact]
    public void At_Threshold_the_tables_are_respected()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 2);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Threshold = 10, Tables = [table] });

        Assert.Equal(2, cleaner.Clean());

        Assert.Equal(2UL, ledger.Tail);
    }

    [Fact]
    public void Above_Threshold_Retention_larger_than_Threshold_is_still_kept()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 0);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Retention = 6, Threshold = 4, Tables = [table] });

        Assert.Equal(4, cleaner.Clean());

        Assert.Equal(6, ledger.Length);
    }

    [Fact]
    public void Above_Threshold_a_table_that_allows_more_than_Threshold_is_followed()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 8);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Threshold = 4, Tables = [table] });

        Assert.Equal(8, cleaner.Clean());

        Assert.Equal([9UL, 10UL], Live(ledger));
    }

    // ---- durability order ----

    [Fact]
    public void After_Clean_and_a_reopen_no_table_position_lies_below_the_ledger_Tail()
    {
        Ledger ledger = Filled(10);
        Table table = db.Table();
        table.Set("c", 5, 7);
        table.Set("d", 6);
        using (var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Never, Tables = [table] }))
        {
            Assert.Equal(5, cleaner.Clean());
        }

        db.Reopen();
        using Ledger reopened = db.Ledger();
        using Table reopenedTable = db.Table();

        Assert.Equal(5UL, reopened.Tail);
        Assert.All(reopenedTable.All().Values.SelectMany(p => p), position => Assert.True(position >= reopened.Tail));
    }

    // ---- periodic passes ----

    [Fact]
    public async Task The_first_periodic_pass_runs_one_Interval_after_construction()
    {
        using Ledger ledger = Filled(10);

        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromSeconds(2) });
        Assert.Equal(10, ledger.Length); // no pass at construction

        await Bounded.Until(() => ledger.Length == 0, "the first periodic pass cleans the ledger");
    }

    [Fact]
    public async Task Periodic_passes_keep_cleaning_entries_written_later()
    {
        using Ledger ledger = Filled(5);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20) });
        await Bounded.Until(() => ledger.Length == 0, "the first pass cleans the ledger");

        ledger.Write(TestEntries.Range(6, 5));

        await Bounded.Until(() => ledger.Length == 0, "a later pass cleans the new entries");
        Assert.Equal(10UL, ledger.Tail);
    }

    [Fact]
    public async Task Periodic_passes_respect_the_tables()
    {
        using Ledger ledger = Filled(10);
        using Table table = db.Table();
        table.Set("c", 6);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20), Tables = [table] });
        await Bounded.Until(() => ledger.Tail == 6, "a pass cleans up to the table position");

        table.Set("c", 9);

        await Bounded.Until(() => ledger.Tail == 9, "a later pass follows the table position");
        await Task.Delay(100);
        Assert.Equal(9UL, ledger.Tail);
    }

    // ---- errors ----

    [Fact]
    public async Task Disposing_a_table_the_cleaner_uses_reports_ObjectDisposedException_to_Errors()
    {
        using Ledger ledger = Filled(10);
        Table table = db.Table();
        var errors = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20), Tables = [table], Errors = e => errors.TrySetResult(e) });

        table.Dispose();

        Assert.IsType<ObjectDisposedException>(await errors.Task.Within());
    }

    [Fact]
    public async Task Disposing_the_ledger_the_cleaner_uses_reports_ObjectDisposedException_to_Errors()
    {
        Ledger ledger = Filled(10);
        var errors = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20), Errors = e => errors.TrySetResult(e) });

        ledger.Dispose();

        Assert.IsType<ObjectDisposedException>(await errors.Task.Within());
    }

    [Fact]
    public async Task A_table_of_another_database_closed_under_the_cleaner_is_reported_at_the_next_pass()
    {
        using Ledger ledger = Filled(10);
        using var other = new TestDb();
        Table foreign = other.Table();
        foreign.Set("c", 3);
        var errors = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20), Tables = [foreign], Errors = e => errors.TrySetResult(e) });

        foreign.Dispose();

        Assert.IsType<ObjectDisposedException>(await errors.Task.Within());
    }

    [Fact]
    public async Task An_Errors_callback_that_throws_is_caught_and_logged()
    {
        var logger = new TestLogger();
        using var logged = new TestDb(new DbOptions { Logger = logger });
        using Ledger ledger = logged.Ledger();
        ledger.Write(TestEntries.Range(1, 10)); // something to clean, so that the pass reads the table
        using var other = new TestDb();
        Table foreign = other.Table();
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cleaner = new Cleaner(ledger, new CleanerOptions
        {
            Interval = TimeSpan.FromMilliseconds(20),
            Tables = [foreign],
            Errors = _ =>
            {
                called.TrySetResult();
                throw new InvalidOperationException("errors boom");
            },
        });

        foreign.Dispose();
        await called.Task.Within();

        await Bounded.Until(() => logger.Messages.Any(r => r.Exception is InvalidOperationException { Message: "errors boom" }), "the thrown exception is logged");
    }
}
