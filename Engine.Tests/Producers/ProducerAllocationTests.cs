using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

/// <summary>The Write/TryWrite path allocates nothing per entry beyond what the caller passes.</summary>
public sealed class ProducerAllocationTests : IDisposable
{
    private const int Entries = 5_000;

    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task TryWrite_allocates_nothing_per_entry_on_the_calling_thread()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 2 * Entries, Timeout = TimeSpan.FromHours(1) });
        var payload = new byte[16];
        Action<Exception?> ack = _ => { };
        Assert.True(producer.TryWrite(new Entry(1, payload), ack)); // first use: lazy initialisation is not per entry

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong sequence = 2; sequence <= Entries; sequence++)
        {
            Assert.True(producer.TryWrite(new Entry(sequence, payload), ack));
        }

        long perEntry = (GC.GetAllocatedBytesForCurrentThread() - before) / Entries;
        Assert.Equal(0, perEntry);
    }

    [Fact]
    public async Task Write_allocates_nothing_per_entry_on_the_calling_thread_while_there_is_room()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 2 * Entries, Timeout = TimeSpan.FromHours(1) });
        var payload = new byte[16];
        Assert.True(producer.Write(new Entry(1, payload)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong sequence = 2; sequence <= Entries; sequence++)
        {
            Assert.True(producer.Write(new Entry(sequence, payload)));
        }

        long perEntry = (GC.GetAllocatedBytesForCurrentThread() - before) / Entries;
        Assert.Equal(0, perEntry);
    }
}
