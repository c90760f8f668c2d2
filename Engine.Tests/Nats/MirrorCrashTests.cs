using NATS.Client.Core;
using Quasar.Nats;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Nats;

/// <summary>Our side dies mid-stream: the mirroring process is SIGKILLed, a new mirror finishes, nothing is lost and nothing is stored twice.</summary>
public sealed class MirrorCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_mirror_killed_mid_stream_and_restarted_leaves_every_entry_once_and_in_order()
    {
        int count = MirrorFixture.Entries;
        int killAt = count / 5;
        using var server = NatsServer.StartNew();
        using var store = new TempDirectory();
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "ORDERS", "orders");

        long atKill;
        using (CrashChild child = CrashChild.StartTool(CrashChild.FindToolDll("Quasar.MirrorChild"), [store.Path, server.Url, "orders", count.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            Assert.True(child.WaitReady(), child.Describe());
            await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", killAt, TimeSpan.FromMinutes(2));
            child.Kill();
            Assert.False(child.ExitedBeforeKill, child.Describe());
            atKill = await JetStreamProbe.CountAsync(connection, "ORDERS");
        }

        Assert.True(atKill < count, $"the child mirrored all {count} entries before the kill: nothing was left to resume");

        using Db db = Db.Open(store.Path);
        using Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "orders" });
        using Table table = Table.Open(db, new TableOptions { Prefix = "marks" });
        Entry[] entries = [.. ledger.Read(ledger.Index(0).Sequence, (int)ledger.Length)];
        var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions { Name = "to-nats", Subject = "orders" });
        await using (mirror)
        {
            await mirror.StartAsync();
            await JetStreamProbe.WaitForCountAsync(connection, "ORDERS", entries.Length, TimeSpan.FromMinutes(2));
            output.WriteLine($"killed the mirroring process with {atKill} of {entries.Length} entries in the stream; the new mirror published {mirror.Published}, of which {mirror.Published - (entries.Length - atKill)} were re-sends the stream dropped as duplicates");
        }

        MirrorFixture.AssertMirrors(entries, await JetStreamProbe.ReadAllAsync(connection, "ORDERS"));
    }
}
