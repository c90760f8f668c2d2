using NATS.Client.Core;
using Quasar.Nats;
using Quasar.Tests.Support;

namespace Quasar.Tests.Nats;

/// <summary>Bad options fail at construction, naming the option; no server is needed.</summary>
public sealed class BridgeOptionsTests
{
    [Theory]
    [InlineData("", "orders", 1, "Name")]
    [InlineData("m", "", 1, "Subject")]
    [InlineData("m", "orders.*", 1, "Subject")]
    [InlineData("m", "orders", 0, "Window")]
    public async Task A_mirror_with_a_bad_option_throws_naming_it(string name, string subject, int window, string option)
    {
        using var db = new TestDb();
        using Ledger ledger = db.Ledger();
        using Table table = db.Table();
        await using var connection = new NatsConnection();

        ArgumentException thrown = Assert.ThrowsAny<ArgumentException>(() =>
            new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions { Name = name, Subject = subject, Window = window }));
        Assert.Equal(option, thrown.ParamName);
    }

    [Theory]
    [InlineData("", "d", 1, 1, "Stream")]
    [InlineData("S", " ", 1, 1, "Durable")]
    [InlineData("S", "d", 0, 1, "Batch")]
    [InlineData("S", "d", 1, 0, "FetchWait")]
    public async Task An_ingest_with_a_bad_option_throws_naming_it(string stream, string durable, int batch, int fetchSeconds, string option)
    {
        using var db = new TestDb();
        using Ledger ledger = db.Ledger();
        await using var connection = new NatsConnection();

        ArgumentException thrown = Assert.ThrowsAny<ArgumentException>(() =>
            new StreamIngest(db.Db, ledger, connection, new StreamIngestOptions { Stream = stream, Durable = durable, Batch = batch, FetchWait = TimeSpan.FromSeconds(fetchSeconds) }));
        Assert.Equal(option, thrown.ParamName);
    }

    [Fact]
    public async Task A_mirror_started_twice_throws()
    {
        using var db = new TestDb();
        using Ledger ledger = db.Ledger();
        using Table table = db.Table();
        await using var connection = new NatsConnection(new NatsOpts { Url = "nats://127.0.0.1:1" });
        await using var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions { Name = "m", Subject = "s", RetryDelay = TimeSpan.FromMilliseconds(10) });

        await mirror.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => mirror.StartAsync());
    }

    [Fact]
    public async Task An_ingest_into_a_ledger_of_another_Db_throws_naming_the_ledger()
    {
        using var db = new TestDb();
        using var other = new TestDb();
        using Ledger ledger = other.Ledger();
        await using var connection = new NatsConnection();

        ArgumentException thrown = Assert.Throws<ArgumentException>(() =>
            new StreamIngest(db.Db, ledger, connection, new StreamIngestOptions { Stream = "S", Durable = "d" }));
        Assert.Equal("ledger", thrown.ParamName);
    }
}
