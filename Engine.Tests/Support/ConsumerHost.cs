using System.Threading.Channels;

namespace Quasar.Tests.Support;

/// <summary>
/// A temp directory with a <see cref="Quasar.Db"/> (logging to <see cref="Logger"/>), a ledger and a
/// table open on it, and the consumers a test starts; disposing it disposes them all, each wait
/// bounded so that a hang fails the test.
/// </summary>
public sealed class ConsumerHost : IAsyncDisposable
{
    public const string TablePrefix = "table";

    private readonly TempDirectory temp = new();
    private readonly List<Consumer> consumers = [];

    public ConsumerHost(int ledgerCache = 0)
    {
        DbOptions = new DbOptions { Logger = Logger };
        LedgerOptions = new LedgerOptions { Prefix = LedgerPrefix, Cache = ledgerCache };
        Db = Db.Open(temp.Path, DbOptions);
        Ledger = Ledger.Open(Db, LedgerOptions);
        Table = Table.Open(Db, new TableOptions { Prefix = TablePrefix });
    }

    public TestLogger Logger { get; } = new();

    /// <summary>The ledger's prefix: unique per host, so that metrics tagged with it belong to this test.</summary>
    public string LedgerPrefix { get; } = "l-" + Guid.NewGuid().ToString("N");

    public DbOptions DbOptions { get; }

    public LedgerOptions LedgerOptions { get; }

    public string Directory => temp.Path;

    public Db Db { get; }

    public Ledger Ledger { get; }

    public Table Table { get; }

    /// <summary>Writes entries (payloads by <see cref="TestEntries.Make"/>) with the given sequences.</summary>
    public void Write(params ulong[] sequences) => Ledger.Write(ConsumerProbe.EntriesOf(sequences));

    /// <summary>Writes entries first .. first + count - 1.</summary>
    public void WriteRange(ulong first, int count) => Ledger.Write(TestEntries.Range(first, count));

    /// <summary>Starts a consumer on the ledger and table; the host disposes it.</summary>
    public Consumer Start(ConsumerOptions options) => Track(new Consumer(Ledger, Table, options));

    /// <summary>Starts a consumer without a table (temporary consumers only); the host disposes it.</summary>
    public Consumer StartWithoutTable(ConsumerOptions options) => Track(new Consumer(Ledger, null, options));

    /// <summary>Disposes the database (off the test thread, bounded).</summary>
    public Task DisposeDbAsync() => Task.Run(Db.Dispose).Within();

    /// <summary>Opens the directory again after <see cref="DisposeDbAsync"/> and reads what the table holds for <paramref name="name"/>.</summary>
    public ulong[] StoredAfterReopen(string name)
    {
        using Db db = Db.Open(temp.Path, DbOptions);
        using Table table = Table.Open(db, new TableOptions { Prefix = TablePrefix });
        return table.Get(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (Consumer consumer in consumers)
            {
                await consumer.DisposeAsync().Within();
            }

            await DisposeDbAsync();
        }
        finally
        {
            temp.Dispose();
        }
    }

    private Consumer Track(Consumer consumer)
    {
        consumers.Add(consumer);
        return consumer;
    }
}

/// <summary>Helpers on consumers for the tests.</summary>
public static class ConsumerProbe
{
    /// <summary>A sequence no test ledger holds: marking it fails with <see cref="InvalidSequenceException"/>.</summary>
    public const ulong Undelivered = ulong.MaxValue - 1;

    /// <summary>
    /// Waits until every mark queued before this call has been processed: marks are processed in
    /// the order they were queued, and a mark of a sequence never delivered is answered at once
    /// (with <see cref="InvalidSequenceException"/>), without being held or persisted.
    /// </summary>
    public static async Task MarksProcessedAsync(this Consumer consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(Undelivered).Within());
    }

    /// <summary>Sequences first, first + 1, ... (count of them).</summary>
    public static ulong[] Run(ulong first, int count) => [.. Enumerable.Range(0, count).Select(i => first + (ulong)i)];

    /// <summary>Entries made by <see cref="TestEntries.Make"/> for the given sequences.</summary>
    public static Entry[] EntriesOf(params ulong[] sequences) => [.. sequences.Select(s => TestEntries.Make(s))];

    /// <summary>The sequences of every live entry of <paramref name="ledger"/>.</summary>
    public static ulong[] Live(Ledger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return [.. ledger.Read(0, int.MaxValue).Select(e => e.Sequence)];
    }

    /// <summary>How long a test watches for something that must not happen (a negative check, never a duration assertion).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>Reads exactly <paramref name="count"/> entries, each within <see cref="Bounded.Limit"/>.</summary>
    public static async Task<Entry[]> ReadAsync(this ChannelReader<Entry> reader, int count)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var read = new List<Entry>(count);
        while (read.Count < count)
        {
            using var timeout = new CancellationTokenSource(Bounded.Limit);
            read.Add(await reader.ReadAsync(timeout.Token));
        }

        return [.. read];
    }

    /// <summary>Reads exactly <paramref name="count"/> entries and returns their sequences.</summary>
    public static async Task<ulong[]> ReadSequencesAsync(this ChannelReader<Entry> reader, int count) =>
        [.. (await reader.ReadAsync(count)).Select(e => e.Sequence)];

    /// <summary>Reads one entry within <see cref="Bounded.Limit"/>.</summary>
    public static async Task<Entry> ReadOneAsync(this ChannelReader<Entry> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var timeout = new CancellationTokenSource(Bounded.Limit);
        return await reader.ReadAsync(timeout.Token);
    }

    /// <summary>Waits <see cref="Quiet"/> and asserts that no entry arrived meanwhile.</summary>
    public static async Task AssertNothingDeliveredAsync(this ChannelReader<Entry> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await Task.Delay(Quiet);
        bool delivered = reader.TryRead(out Entry entry);
        Assert.False(delivered, $"Entry {entry.Sequence} was delivered, but none was expected.");
    }
}
