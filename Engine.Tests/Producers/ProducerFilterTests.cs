using System.Text;
using System.Threading.Channels;
using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

public sealed class ProducerFilterTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    private static Entry Impostor(ulong sequence) => new(sequence, Encoding.ASCII.GetBytes($"impostor-{sequence}"));

    [Theory]
    [InlineData(3UL)]
    [InlineData(5UL)] // equal to Head
    public async Task With_Filter_an_entry_at_or_below_Head_is_dropped_and_its_ack_gets_null(ulong sequence)
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 5));
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true });
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(Impostor(sequence), probe.Ack));

        Assert.Null(await probe.Outcome);
        TestEntries.AssertMatches(TestEntries.Range(1, 5), ledger.Read(0, 10)); // nothing replaced
    }

    [Fact]
    public async Task Without_Filter_an_entry_at_or_below_Head_fails_with_NotMonotonicException()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 5));
        await using var producer = new Producer(ledger, new ProducerOptions());
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(Impostor(3), probe.Ack));

        Assert.IsType<NotMonotonicException>(await probe.Outcome);
    }

    [Fact]
    public async Task With_Filter_the_entries_above_Head_in_a_batch_are_written()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 5));
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true, Batch = 3, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);

        Assert.True(producer.TryWrite(Impostor(4), probes[0].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(6), probes[1].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(7), probes[2].Ack));

        foreach (AckProbe probe in probes)
        {
            Assert.Null(await probe.Outcome);
        }

        TestEntries.AssertMatches(TestEntries.Range(1, 7), ledger.Read(0, 10));
    }

    [Fact]
    public async Task With_Filter_an_entry_not_above_the_one_kept_before_it_in_the_batch_is_dropped()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true, Batch = 3, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);

        Assert.True(producer.TryWrite(TestEntries.Make(7), probes[0].Ack));
        Assert.True(producer.TryWrite(Impostor(6), probes[1].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(8), probes[2].Ack));

        foreach (AckProbe probe in probes)
        {
            Assert.Null(await probe.Outcome);
        }

        TestEntries.AssertMatches([TestEntries.Make(7), TestEntries.Make(8)], ledger.Read(0, 10));
    }

    [Fact]
    public async Task A_batch_of_only_dropped_entries_writes_nothing()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 5));
        Channel<ulong> writes = Channel.CreateUnbounded<ulong>();
        ledger.Subscribe(writes.Writer);
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true });

        await producer.WriteAsync(Impostor(2)).Within();
        await producer.WriteAsync(Impostor(5)).Within();

        Assert.False(writes.Reader.TryRead(out _));
        Assert.Equal(5UL, ledger.Head);
    }

    [Fact]
    public async Task Dropped_entries_get_null_even_if_the_rest_of_their_batch_fails()
    {
        using Ledger ledger = db.Ledger(limit: 5);
        ledger.Write(TestEntries.Range(1, 5)); // full: the kept entries fail with LimitReachedException
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true, Batch = 3, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);

        Assert.True(producer.TryWrite(Impostor(3), probes[0].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(6), probes[1].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(7), probes[2].Ack));

        Assert.Null(await probes[0].Outcome);
        Assert.IsType<LimitReachedException>(await probes[1].Outcome);
        Assert.IsType<LimitReachedException>(await probes[2].Outcome);
    }

    [Fact]
    public async Task With_Filter_WriteAsync_of_an_entry_at_or_below_Head_completes()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 5));
        await using var producer = new Producer(ledger, new ProducerOptions { Filter = true });

        await producer.WriteAsync(Impostor(1)).Within();

        Assert.Equal(5, ledger.Length);
    }
}
