namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="Cleaner"/> with bad options and calls after dispose: the documented exception and no
/// file changed (above all, no entry deleted). The ledger holds 1..3; the table <c>kept = [1]</c>.
/// </summary>
public sealed class CleanerBadInputTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    /// <summary>Long enough that no periodic pass runs during a test.</summary>
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    private static readonly Dictionary<string, CleanerOptions> OutOfRangeOptions = new()
    {
        ["Interval zero"] = new() { Interval = TimeSpan.Zero },
        ["Interval -1 tick"] = new() { Interval = -Tick },
        ["Interval TimeSpan.MinValue"] = new() { Interval = TimeSpan.MinValue },
        // Beyond what a .NET timer can wait: refused at the call, not when the loop first waits.
        ["Interval TimeSpan.MaxValue"] = new() { Interval = TimeSpan.MaxValue },
        ["Retention -1"] = new() { Interval = Never, Retention = -1 },
        ["Retention long.MinValue"] = new() { Interval = Never, Retention = long.MinValue },
        ["Threshold -1"] = new() { Interval = Never, Threshold = -1 },
        ["Threshold long.MinValue"] = new() { Interval = Never, Threshold = long.MinValue },
    };

    public static TheoryData<string> OutOfRangeCases => [.. OutOfRangeOptions.Keys];

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void A_negative_zero_or_untimeable_option_throws_ArgumentOutOfRangeException_at_the_call_and_leaves_files_unchanged(string options) =>
        store.Refuses<ArgumentOutOfRangeException>(() => new Cleaner(store.Ledger, OutOfRangeOptions[options]));

    [Fact]
    public void A_null_ledger_options_or_table_list_throws_ArgumentNullException_and_leaves_files_unchanged()
    {
        store.Refuses<ArgumentNullException>(() => new Cleaner(null!, new CleanerOptions { Interval = Never }));
        store.Refuses<ArgumentNullException>(() => new Cleaner(store.Ledger, null!));
        store.Refuses<ArgumentNullException>(() => new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Tables = null! }));
    }

    [Fact]
    public void A_null_table_in_the_list_throws_ArgumentException_and_leaves_files_unchanged() =>
        store.Refuses<ArgumentException>(() => new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Tables = [store.Table, null!] }));

    [Fact]
    public void A_disposed_ledger_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.Ledger.Dispose();

        store.Refuses<ObjectDisposedException>(() => new Cleaner(store.Ledger, new CleanerOptions { Interval = Never }));
    }

    [Fact]
    public void Clean_after_Dispose_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        var cleaner = new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Tables = [store.Table] });
        cleaner.Dispose();

        store.Refuses<ObjectDisposedException>(() => cleaner.Clean());
    }

    [Fact]
    public void Clean_with_a_disposed_table_throws_ObjectDisposedException_and_deletes_nothing()
    {
        using var cleaner = new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Tables = [store.Table] });
        store.Table.Dispose();

        store.Refuses<ObjectDisposedException>(() => cleaner.Clean());

        Assert.Equal(3, store.Ledger.Length);
    }

    [Fact]
    public void A_Retention_of_long_MaxValue_keeps_everything()
    {
        using var cleaner = new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Retention = long.MaxValue, Threshold = 1 });

        Assert.Equal(0, cleaner.Clean());
        Assert.Equal(3, store.Ledger.Length);
    }

    [Fact]
    public void A_Threshold_of_long_MaxValue_deletes_only_what_the_tables_have_passed()
    {
        using var cleaner = new Cleaner(store.Ledger, new CleanerOptions { Interval = Never, Threshold = long.MaxValue, Tables = [store.Table] });

        Assert.Equal(1, cleaner.Clean()); // the table's kept = [1]: entry 1 is done with
        Assert.Equal(2, store.Ledger.Length);
    }
}
