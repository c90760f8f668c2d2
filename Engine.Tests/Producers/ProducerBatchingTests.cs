using System.Threading.Channels;
using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

public sealed class ProducerBatchingTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    /// <summary>Subscribes to the ledger: one notification (the new Head) per Ledger.Write.</summary>
    private static ChannelReader<ulong> Writes(Ledger ledger)
    {
        Channel<ulong> channel = Channel.CreateUnbounded<ulong>();
        ledger.Subscribe(channel.Writer);
        return channel.Reader;
    }

    private static ulong[] Drain(ChannelReader<ulong> reader)
    {
        var heads = new List<ulong>();
        while (reader.TryRead(out ulong head))
        {
            heads.Add(head);
        }

        return [.. heads];
    }

    [Fact]
    public async Task Batch_entries_queued_together_are_written_with_one_ledger_write()
    {
        using Ledger ledger = db.Ledger();
        ChannelReader<ulong> writes = Writes(ledger);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 5, Timeout = TimeSpan.FromHours(1) });

        for (ulong sequence = 1; sequence <= 5; sequence++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make(sequence)));
        }

        await producer.FlushAsync().Within();

        Assert.Equal([5UL], Drain(writes));
        Assert.Equal(5, ledger.Length);
    }

    [Fact]
    public async Task More_entries_than_Batch_are_split_into_batches_of_Batch_entries()
    {
        using Ledger ledger = db.Ledger();
        ChannelReader<ulong> writes = Writes(ledger);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 5, Timeout = TimeSpan.FromHours(1) });

        await Task.Run(() =>
        {
            for (ulong sequence = 1; sequence <= 10; sequence++)
            {
                Assert.True(producer.Write(TestEntries.Make(sequence)));
            }
        }).Within();

        await producer.FlushAsync().Within();

        Assert.Equal([5UL, 10UL], Drain(writes));
    }

    [Fact]
    public async Task With_Timeout_zero_a_lone_entry_is_written_without_waiting_for_more()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 100, Timeout = TimeSpan.Zero });

        // Would hang (and fail on the bound) if the producer waited for the batch to fill.
        await producer.WriteAsync(TestEntries.Make(1)).Within();

        Assert.Equal(1, ledger.Length);
    }

    [Fact]
    public async Task With_a_long_Timeout_an_unfinished_batch_waits_for_more_entries()
    {
        using Ledger ledger = db.Ledger();
        ChannelReader<ulong> writes = Writes(ledger);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 3, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);

        Assert.True(producer.TryWrite(TestEntries.Make(1), probes[0].Ack));
        await Task.Delay(200);
        Assert.Equal(0, ledger.Length);
        Assert.False(probes[0].IsCalled);

        Assert.True(producer.TryWrite(TestEntries.Make(2), probes[1].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(3), probes[2].Ack));

        foreach (AckProbe probe in probes)
        {
            Assert.Null(await probe.Outcome);
        }

        Assert.Equal([3UL], Drain(writes));
    }

    [Fact]
    public async Task An_unfinished_batch_is_written_once_Timeout_passes()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 100, Timeout = TimeSpan.FromMilliseconds(100) });
        AckProbe[] probes = AckProbe.Many(3);

        for (int i = 0; i < probes.Length; i++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make((ulong)i + 1), probes[i].Ack));
        }

        // No flush and the batch never fills: only the Timeout can write it.
        foreach (AckProbe probe in probes)
        {
            Assert.Null(await probe.Outcome);
        }

        Assert.Equal([1UL, 2UL, 3UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_batch_that_is_not_monotonic_fails_every_entry_in_it()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 3, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);
        ulong[] sequences = [5, 4, 6]; // only the second is out of order

        for (int i = 0; i < probes.Length; i++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make(sequences[i]), probes[i].Ack));
        }

        foreach (AckProbe probe in probes)
        {
            Assert.IsType<NotMonotonicException>(await probe.Outcome);
        }

        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task Valid_entries_after_a_failed_batch_are_written()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Make(5));
        await using var producer = new Producer(ledger, new ProducerOptions());
        var failed = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(3), failed.Ack));
        Assert.IsType<NotMonotonicException>(await failed.Outcome);

        await producer.WriteAsync(TestEntries.Make(6)).Within();

        Assert.Equal([5UL, 6UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task An_entry_the_ledger_rejects_as_too_large_gets_ArgumentException_and_the_producer_goes_on()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        var rejected = new AckProbe();

        Assert.True(producer.TryWrite(new Entry(1, new byte[Ledger.MaxPayloadLength + 1]), rejected.Ack));

        Assert.IsAssignableFrom<ArgumentException>(await rejected.Outcome);
        await producer.WriteAsync(TestEntries.Make(2)).Within();
        Assert.Equal([2UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }
}
