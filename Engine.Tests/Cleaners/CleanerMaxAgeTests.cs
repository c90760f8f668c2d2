using Microsoft.Extensions.Time.Testing;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Cleaners;

/// <summary>CleanerOptions.MaxAge (issue 14): a hard limit by the timestamp in each sequence, on the Db's clock.</summary>
public sealed class CleanerMaxAgeTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ClockedStores stores = new();
    private readonly FakeTimeProvider clock;
    private readonly TestLogger log;
    private readonly Ledger ledger;
    private readonly Table table;

    public CleanerMaxAgeTests()
    {
        (clock, log, ledger, table) = (stores.Clock, stores.Log, stores.Ledger, stores.Table);
        table.Set("behind", 0); // a consumer that never marked: without the hard limit, nothing may go
    }

    public void Dispose() => stores.Dispose();

    [Fact]
    public void A_pass_deletes_the_entries_older_than_MaxAge()
    {
        ulong[] written = WriteAged(3 * Hour, 2 * Hour, TimeSpan.FromMinutes(30));
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour });

        long deleted = cleaner.Clean();

        Assert.Equal(2, deleted);
        Assert.Equal([written[2]], Live(ledger));
    }

    [Fact]
    public void Entries_expire_as_the_clock_advances()
    {
        ulong[] written = WriteAged(TimeSpan.FromMinutes(30));
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour });
        Assert.Equal(0, cleaner.Clean());

        clock.Advance(Hour);

        Assert.Equal(1, cleaner.Clean());
        Assert.Equal(written[0], ledger.Tail);
    }

    [Fact]
    public void MaxAge_deletes_past_the_lowest_stored_position()
    {
        WriteAged(2 * Hour, 2 * Hour);
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour });

        Assert.Equal(2, cleaner.Clean());
    }

    [Fact]
    public void Retention_still_keeps_its_newest_entries_however_old()
    {
        ulong[] written = WriteAged(3 * Hour, 2 * Hour);
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour, Retention = 1 });

        cleaner.Clean();

        Assert.Equal([written[1]], Live(ledger));
    }

    [Fact]
    public void An_empty_ledger_is_left_alone()
    {
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour });

        Assert.Equal(0, cleaner.Clean());
        Assert.Equal(0UL, ledger.Tail);
    }

    [Fact]
    public async Task A_consumer_left_behind_continues_at_the_oldest_entry_with_a_warning()
    {
        ulong[] written = WriteAged(2 * Hour, TimeSpan.FromMinutes(10));
        table.Set("c", 0); // stored by an earlier run of consumer c, which is behind
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = Hour });
        cleaner.Clean();
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1 });

        Assert.Equal(written[1], (await consumer.Entries.ReadOneAsync()).Sequence);
        Assert.Contains(log.Messages, m => m.EventId.Id == 50 && (string?)m.Value("Name") == "c");
    }

    [Fact]
    public void A_MaxAge_longer_than_the_calendar_deletes_nothing()
    {
        WriteAged(3 * Hour);
        using var cleaner = Cleaner(new CleanerOptions { MaxAge = TimeSpan.MaxValue });

        Assert.Equal(0, cleaner.Clean());
    }

    [Fact]
    public void A_negative_MaxAge_throws_ArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cleaner(new CleanerOptions { MaxAge = TimeSpan.FromSeconds(-1) }));
    }

    private Cleaner Cleaner(CleanerOptions options) => new(ledger, options with { Interval = TimeSpan.FromDays(1), Tables = [table] });

    /// <summary>Writes one entry per age, oldest first, each stamped that long before the clock's now.</summary>
    private ulong[] WriteAged(params TimeSpan[] ages)
    {
        ulong[] sequences = [.. ages.Select((age, i) => Sequence.Join(clock.GetUtcNow() - age, (uint)i + 1))];
        ledger.Write(EntriesOf(sequences));
        return sequences;
    }
}
