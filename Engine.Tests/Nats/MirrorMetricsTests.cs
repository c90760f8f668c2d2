using System.Diagnostics.Metrics;
using NATS.Client.Core;
using Quasar.Diagnostics;
using Quasar.Nats;
using Quasar.Tests.Support;

namespace Quasar.Tests.Nats;

/// <summary>The bridge reports on the <c>Quasar</c> meter: publish rate (a counter), lag (a gauge), ingested messages.</summary>
public sealed class MirrorMetricsTests
{
    [Fact]
    public async Task Acknowledged_publishes_and_ingested_messages_are_counted_per_ledger()
    {
        using var recorder = new MetricsRecorder();
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        string source = TestDb.UniquePrefix("source");
        string copy = TestDb.UniquePrefix("copy");
        using Ledger ledger = db.Ledger(source);
        using Ledger inbound = db.Ledger(copy);
        using Table table = db.Table("marks");
        MirrorFixture.Write(ledger, 300);
        await using NatsConnection connection = server.Connect();
        await JetStreamProbe.CreateStreamAsync(connection, "ORDERS", "orders");

        await using (var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions { Name = "to-nats", Subject = "orders" }))
        await using (var ingest = new StreamIngest(db.Db, inbound, connection, new StreamIngestOptions { Stream = "ORDERS", Durable = "in" }))
        {
            await mirror.StartAsync();
            await ingest.StartAsync();
            await MirrorFixture.UntilAsync(() => inbound.Head == 300, () => $"head {inbound.Head}");
        }

        Assert.True(recorder.Sum("quasar.nats.mirror.published", source) >= 300);
        Assert.Equal(300, recorder.Sum("quasar.nats.ingest.written", copy));
    }

    [Fact]
    public async Task The_mirror_consumers_lag_gauge_shows_the_entries_no_server_acknowledged()
    {
        using var server = NatsServer.StartNew();
        using var db = new TestDb();
        string prefix = TestDb.UniquePrefix("orders");
        using Ledger ledger = db.Ledger(prefix);
        using Table table = db.Table("marks");
        MirrorFixture.Write(ledger, 50);
        await using NatsConnection connection = server.Connect();

        // No stream captures the subject: every session's publishes are refused, nothing is marked.
        var options = new LedgerMirrorOptions { Name = "to-nats", Subject = "nowhere", AckTimeout = TimeSpan.FromMilliseconds(200), RetryDelay = TimeSpan.FromMilliseconds(10) };
        await using var mirror = new LedgerMirror(ledger, table, connection, options);
        await mirror.StartAsync();

        await MirrorFixture.UntilAsync(() => ObserveLag(prefix).Contains(50), () => "no lag of 50 observed");
    }

    private static List<long> ObserveLag(string prefix)
    {
        var seen = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == QuasarMetrics.MeterName && instrument.Name == "quasar.consumer.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "ledger" && Equals(tag.Value, prefix))
                {
                    seen.Add(value);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
