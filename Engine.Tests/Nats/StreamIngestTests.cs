using System.Diagnostics;
using System.Text;
using NATS.Client.Core;
using Quasar.Nats;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Nats;

/// <summary>The ingest against a real nats-server: every stream message lands in the ledger once, in order.</summary>
public sealed class StreamIngestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redelivered_messages_are_dropped_and_every_message_is_written_once_in_order()
    {
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        using Ledger ledger = db.Ledger("inbound");
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "EVENTS", "events");
        byte[][] payloads = Payloads(2_000);
        await JetStreamProbe.PublishAsync(connection, "events", payloads);

        // Every seventh message is refused (nak) on its first delivery, after its write: the
        // server delivers it again, after later ones were written, and the ledger must drop it.
        int refused = payloads.Length / 7;
        var options = new StreamIngestOptions
        {
            Stream = "EVENTS",
            Durable = "inbound",
            Batch = 64,
            NakInstead = (sequence, delivered) => delivered == 1 && sequence % 7 == 0,
            Errors = e => output.WriteLine(e.ToString()),
        };
        await using (var ingest = new StreamIngest(db.Db, ledger, connection, options))
        {
            await ingest.StartAsync();
            await MirrorFixture.UntilAsync(() => ingest.Dropped >= refused && ledger.Head == (ulong)payloads.Length, () => $"dropped {ingest.Dropped} of {refused}, head {ledger.Head}");
            Assert.Equal(payloads.Length, ingest.Written);
        }

        AssertLedgerHolds(ledger, payloads);
    }

    [Fact]
    public async Task An_ingest_started_again_continues_after_the_ledger_head()
    {
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        using Ledger ledger = db.Ledger("inbound");
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "EVENTS", "events");
        byte[][] payloads = Payloads(1_000);
        var options = new StreamIngestOptions { Stream = "EVENTS", Durable = "inbound", Batch = 50 };

        await JetStreamProbe.PublishAsync(connection, "events", payloads[..400]);
        await using (var ingest = new StreamIngest(db.Db, ledger, connection, options))
        {
            await ingest.StartAsync();
            await MirrorFixture.UntilAsync(() => ledger.Head == 400, () => $"head {ledger.Head}");
        }

        await JetStreamProbe.PublishAsync(connection, "events", payloads[400..]);
        await using (var ingest = new StreamIngest(db.Db, ledger, connection, options))
        {
            await ingest.StartAsync();
            await MirrorFixture.UntilAsync(() => ledger.Head == 1_000, () => $"head {ledger.Head}");
        }

        AssertLedgerHolds(ledger, payloads);
    }

    [Fact]
    public async Task A_mirror_and_an_ingest_chained_through_a_killed_server_end_identical()
    {
        int count = Math.Max(MirrorFixture.Entries / 5, 1_000);
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        using Ledger source = db.Ledger("source");
        using Table marks = db.Table("marks");
        using Ledger copy = db.Ledger("copy");
        Entry[] entries = MirrorFixture.Write(source, count);
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "CHAIN", "chain");

        var clock = Stopwatch.StartNew();
        var mirror = new LedgerMirror(source, marks, connection, new LedgerMirrorOptions { Name = "out", Subject = "chain", AckTimeout = TimeSpan.FromSeconds(2), RetryDelay = TimeSpan.FromMilliseconds(100) });
        var ingest = new StreamIngest(db.Db, copy, connection, new StreamIngestOptions { Stream = "CHAIN", Durable = "in", RetryDelay = TimeSpan.FromMilliseconds(100) });
        await using (mirror)
        await using (ingest)
        {
            await mirror.StartAsync();
            await ingest.StartAsync();
            await JetStreamProbe.WaitForCountAsync(connection, "CHAIN", count / 3, TimeSpan.FromMinutes(2));
            server.Crash();
            server.Start();
            await MirrorFixture.UntilAsync(() => copy.Head == (ulong)count, () => $"copy head {copy.Head}");
            output.WriteLine($"chained {count} entries in {clock.Elapsed.TotalSeconds:F1} s through {server.Crashes} server kill; mirror sessions restarted {mirror.Retries}, ingest sessions restarted {ingest.Retries}, redeliveries dropped {ingest.Dropped}");
        }

        AssertLedgerHolds(copy, [.. entries.Select(entry => entry.Payload.ToArray())]);
    }

    private static byte[][] Payloads(int count) =>
        [.. Enumerable.Range(1, count).Select(i => Encoding.ASCII.GetBytes($"event-{i}"))];

    /// <summary>The ledger holds exactly the payloads, in order, at sequences 1..n (the stream's).</summary>
    private static void AssertLedgerHolds(Ledger ledger, byte[][] payloads)
    {
        Assert.Equal(payloads.Length, ledger.Length);
        var read = new List<Entry>(payloads.Length);
        for (ulong next = 1; read.Count < payloads.Length;)
        {
            IReadOnlyList<Entry> chunk = ledger.Read(next, 1000);
            Assert.NotEmpty(chunk);
            read.AddRange(chunk);
            next = chunk[^1].Sequence + 1;
        }

        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.True(
                read[i].Sequence == (ulong)(i + 1) && read[i].Payload.Span.SequenceEqual(payloads[i]),
                $"ledger entry {i + 1} is sequence {read[i].Sequence} '{Encoding.ASCII.GetString(read[i].Payload.Span)}'");
        }
    }
}
