using System.Text;
using Microsoft.Extensions.Time.Testing;
using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

/// <summary><see cref="Producer.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>: the producer assigns the sequence.</summary>
public sealed class ProducerAssignedSequenceTests : IDisposable
{
    private readonly TestDb db = new(new DbOptions { SyncWrites = true });

    public void Dispose() => db.Dispose();

    private static ReadOnlyMemory<byte> Payload(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Starts <paramref name="count"/> writes at once, each awaiting its own; returns each payload's sequence.</summary>
    private static async Task<Dictionary<string, ulong>> WriteConcurrently(Producer producer, int count)
    {
        using var start = new ManualResetEventSlim();
        Task<(string Text, ulong Sequence)>[] writers = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait();
            string text = $"payload-{i}";
            return (text, await producer.WriteAsync(Payload(text)));
        })).ToArray();
        start.Set();
        (string Text, ulong Sequence)[] written = await Task.WhenAll(writers).Within();
        return written.ToDictionary(w => w.Text, w => w.Sequence);
    }

    /// <summary>The ledger's entries, oldest first, as (sequence, payload text).</summary>
    private static List<(ulong Sequence, string Text)> Contents(Ledger ledger) =>
        ledger.Read(0, (int)Math.Max(1, ledger.Length)).Select(e => (e.Sequence, TestEntries.Text(e))).ToList();

    /// <summary>Every write is in the ledger with its payload, in strictly increasing order, and nothing else is.</summary>
    private static void AssertLedgerHoldsExactly(Ledger ledger, Dictionary<string, ulong> written)
    {
        List<(ulong Sequence, string Text)> contents = Contents(ledger);
        Assert.Equal(written.Count, contents.Count);
        Assert.Equal(written.Count, written.Values.Distinct().Count());
        for (int i = 1; i < contents.Count; i++)
        {
            Assert.True(contents[i].Sequence > contents[i - 1].Sequence, $"entry {i} ({contents[i].Sequence}) is not above entry {i - 1} ({contents[i - 1].Sequence})");
        }

        foreach ((ulong sequence, string text) in contents)
        {
            Assert.Equal(written[text], sequence);
        }
    }

    [Fact]
    public async Task Successive_writes_return_strictly_increasing_sequences_that_hold_their_payloads()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        ulong first = await producer.WriteAsync(Payload("a")).Within();
        ulong second = await producer.WriteAsync(Payload("b")).Within();
        ulong third = await producer.WriteAsync(Payload("c")).Within();

        Assert.True(first < second && second < third);
        Assert.Equal([(first, "a"), (second, "b"), (third, "c")], Contents(ledger));
    }

    [Fact]
    public async Task Sequences_follow_the_generate_scheme_on_the_database_clock()
    {
        FakeTimeProvider clock = FakeClock.Create();
        using var clocked = new TestDb(new DbOptions { TimeProvider = clock });
        using Ledger ledger = clocked.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        DateTimeOffset now = clock.GetUtcNow();

        ulong first = await producer.WriteAsync(Payload("a")).Within();
        ulong second = await producer.WriteAsync(Payload("b")).Within();
        clock.Advance(TimeSpan.FromSeconds(1));
        ulong third = await producer.WriteAsync(Payload("c")).Within();

        Assert.Equal(Sequence.Join(now, 1), first);
        Assert.Equal(Sequence.Join(now, 2), second);
        Assert.Equal(Sequence.Join(now.AddSeconds(1), 1), third);
    }

    [Fact]
    public async Task Concurrent_writers_get_distinct_increasing_sequences_in_ledger_order_that_survive_reopen()
    {
        Dictionary<string, ulong> written;
        using (Ledger ledger = db.Ledger())
        {
            await using var producer = new Producer(ledger, new ProducerOptions { Batch = 64 });
            written = await WriteConcurrently(producer, 64);
        }

        db.Reopen();
        using Ledger reopened = db.Ledger();
        AssertLedgerHoldsExactly(reopened, written);
    }

    [Fact]
    public async Task Writers_waiting_for_room_in_a_full_queue_still_get_sequences_in_ledger_order()
    {
        // The ack of a first entry holds the producer's loop, so with a capacity of 1 every other
        // writer waits for room; released together, they enter in whatever order they wake. A
        // sequence taken at call time instead of at entry would reach the ledger out of order
        // (in about half the rounds, when tried): hence several rounds.
        for (int round = 0; round < 5; round++)
        {
            using Ledger ledger = db.Ledger($"round-{round}");
            await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
            using var loopHeld = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            Assert.True(producer.Write(new Entry(1, Payload("held")), _ =>
            {
                loopHeld.Set();
                release.Wait();
            }));
            loopHeld.Wait();

            Task<Dictionary<string, ulong>> writing = WriteConcurrently(producer, 100);
            await Task.Delay(100); // setup only: lets the writers reach the full queue; nothing is timed
            release.Set();
            Dictionary<string, ulong> written = await writing;

            written.Add("held", 1);
            AssertLedgerHoldsExactly(ledger, written);
        }
    }

    [Fact]
    public async Task Sequences_lie_above_the_head_found_at_reopen()
    {
        ulong head = Sequence.Join(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), 7);
        using (Ledger ledger = db.Ledger())
        {
            ledger.Write(new Entry(head, Payload("far future")));
        }

        db.Reopen();
        using Ledger reopened = db.Ledger();
        await using var producer = new Producer(reopened, new ProducerOptions());

        Assert.Equal(head + 1, await producer.WriteAsync(Payload("next")).Within());
        Assert.Equal(head + 2, await producer.WriteAsync(Payload("after")).Within());
    }

    [Fact]
    public async Task An_assigned_sequence_lies_above_an_explicit_one_queued_before_it()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        ulong explicitSequence = Sequence.Join(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), 1);

        await producer.WriteAsync(new Entry(explicitSequence, Payload("explicit"))).Within();
        ulong assigned = await producer.WriteAsync(Payload("assigned")).Within();

        Assert.Equal(explicitSequence + 1, assigned);
    }

    [Fact]
    public async Task An_explicit_sequence_at_or_below_the_last_assigned_one_fails_with_NotMonotonicException()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        ulong assigned = await producer.WriteAsync(Payload("assigned")).Within();

        await Assert.ThrowsAsync<NotMonotonicException>(() => producer.WriteAsync(new Entry(assigned, Payload("same"))).Within());
        await Assert.ThrowsAsync<NotMonotonicException>(() => producer.WriteAsync(new Entry(assigned - 1, Payload("below"))).Within());

        Assert.Equal([(assigned, "assigned")], Contents(ledger));
    }

    [Fact]
    public async Task A_write_cancelled_before_it_enters_the_queue_writes_nothing()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.WriteAsync(Payload("x"), cancelled.Token).Within());
        await producer.FlushAsync().Within();

        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task A_write_after_dispose_fails_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();

        await Assert.ThrowsAsync<ProducerClosedException>(() => producer.WriteAsync(Payload("x")).Within());
        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task An_oversize_payload_fails_with_ArgumentException_and_writes_nothing()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        await Assert.ThrowsAsync<ArgumentException>(() => producer.WriteAsync(new byte[Ledger.MaxPayloadLength + 1]).Within());

        Assert.Equal(0, ledger.Length);
    }
}
