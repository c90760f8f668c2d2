using System.Diagnostics;
using NATS.Client.Core;
using Quasar.Nats;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Nats;

/// <summary>The mirror against a real nats-server: every entry arrives once, in order, through server crashes.</summary>
public sealed class LedgerMirrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_entry_arrives_once_and_in_order_across_two_server_kills()
    {
        int count = MirrorFixture.Entries;
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        using Ledger ledger = db.Ledger("orders");
        using Table table = db.Table("marks");
        Entry[] entries = MirrorFixture.Write(ledger, count);
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "ORDERS", "orders");

        var clock = Stopwatch.StartNew();
        long retries;
        var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions { Name = "to-nats", Subject = "orders", AckTimeout = TimeSpan.FromSeconds(2), RetryDelay = TimeSpan.FromMilliseconds(100) });
        await using (mirror)
        {
            await mirror.StartAsync();
            for (int kill = 1; kill <= 2; kill++)
            {
                await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", count * kill / 3, TimeSpan.FromMinutes(3));
                server.Crash();
                server.Start();
            }

            await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", count, TimeSpan.FromMinutes(3));
            retries = mirror.Retries;
        }

        TimeSpan mirrored = clock.Elapsed;
        List<StreamMessage> messages = await JetStreamProbe.ReadAllAsync(connection, "ORDERS");
        output.WriteLine($"mirrored {count} entries in {mirrored.TotalSeconds:F1} s ({count / mirrored.TotalSeconds:F0}/s) with {server.Crashes} server kills; the mirror restarted {retries} sessions");
        Assert.Equal(2, server.Crashes);
        MirrorFixture.AssertMirrors(entries, messages);
    }

    [Fact]
    public async Task A_stopped_mirror_resumes_after_the_last_acknowledged_entry()
    {
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        using Ledger ledger = db.Ledger("orders");
        using Table table = db.Table("marks");
        Entry[] first = MirrorFixture.Write(ledger, 500);
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "ORDERS", "orders");
        var options = new LedgerMirrorOptions { Name = "to-nats", Subject = "orders", Window = 16, Errors = e => output.WriteLine(e.ToString()) };

        await using (var mirror = new LedgerMirror(ledger, table, connection, options))
        {
            await mirror.StartAsync();
            await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", first.Length, TimeSpan.FromMinutes(1));
        }

        Entry[] second = MirrorFixture.Write(ledger, 500);
        await using (var mirror = new LedgerMirror(ledger, table, connection, options))
        {
            await mirror.StartAsync();
            await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", first.Length + second.Length, TimeSpan.FromMinutes(1));
        }

        MirrorFixture.AssertMirrors([.. first, .. second], await JetStreamProbe.ReadAllAsync(connection, "ORDERS"));
    }
}
