using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

/// <summary>
/// "Unhealthy when a store refuses writes" (issue 14): each store keeps the last write its storage
/// refused until a later write succeeds, and the health check names the queue, the store and the
/// error. The faults are injected under the host's Db through the tests' file system seam.
/// </summary>
public sealed class StoreRefusalHealthTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly FaultyFileSystem files = new();
    private readonly IHost host;

    private readonly HandledLog log = new();

    public StoreRefusalHealthTests()
    {
        host = QuasarHost.Build(dir.Path, log, services =>
        {
            services.Configure<QuasarOptions>(options => options.FileSystem = files);
            services.AddHealthChecks().AddQuasar();
            services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "worker");
            services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        });
    }

    public void Dispose() => dir.Dispose();

    private Producer Producer => host.Services.GetRequiredKeyedService<Producer>(QuasarHost.Queue);

    private async Task<HealthReportEntry> CheckAsync() =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().Within()).Entries["quasar"];

    /// <summary>Every write into the files of the queue's ledger fails, as on a full or failing disk.</summary>
    private void FailLedgerWrites() => FailWritesUnder(StoreNames.Ledger(QuasarHost.Queue + ":l"));

    private void FailWritesUnder(string storeDirectory)
    {
        string store = Path.Combine(dir.Path, storeDirectory);
        files.Fail = (operation, path) => operation == FileFault.Write && path.StartsWith(store, StringComparison.Ordinal);
    }

    /// <summary>Starts the host and waits until the worker handled one entry, so its consumer stored its position.</summary>
    private async Task StartAndHandleOneAsync()
    {
        await host.StartAsync().Within();
        await Producer.WriteAsync("a"u8.ToArray()).Within();
        await Bounded.Until(() => log.Count(nameof(First)) >= 1, "the worker handled the first entry");
    }

    [Fact]
    public async Task A_queue_whose_ledger_refuses_a_write_is_unhealthy_naming_the_queue_the_store_and_the_error()
    {
        await StartAndHandleOneAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

        FailLedgerWrites();
        await Assert.ThrowsAsync<IOException>(() => Producer.WriteAsync("b"u8.ToArray()).Within());
        HealthReportEntry entry = await CheckAsync();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("queue orders: ledger 'orders:l' refused a write: System.IO.IOException: injected Write failure", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_write_that_succeeds_makes_the_queue_healthy_again()
    {
        await StartAndHandleOneAsync();
        FailLedgerWrites();
        await Assert.ThrowsAsync<IOException>(() => Producer.WriteAsync("a"u8.ToArray()).Within());
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync()).Status);

        files.Heal();
        await Producer.WriteAsync("b"u8.ToArray()).Within();
        HealthReportEntry entry = await CheckAsync();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
    }

    [Fact]
    public async Task A_refused_write_is_remembered_until_a_write_succeeds_not_merely_until_time_passes()
    {
        await StartAndHandleOneAsync();
        FailLedgerWrites();
        await Assert.ThrowsAsync<IOException>(() => Producer.WriteAsync("a"u8.ToArray()).Within());

        files.Heal();
        HealthReportEntry entry = await CheckAsync();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status); // nothing proves the disk works again until a write does
    }

    [Fact]
    public async Task A_Db_disposed_while_the_host_runs_leaves_every_store_closed_and_the_check_unhealthy()
    {
        await StartAndHandleOneAsync();

        host.Services.GetRequiredService<Db>().Dispose();
        HealthReportEntry entry = await CheckAsync();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("queue orders: ledger 'orders:l' is closed", entry.Description, StringComparison.Ordinal);
        Assert.Contains("queue orders: dead-letter ledger 'orders:dead' is closed", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_position_table_that_refuses_a_mark_is_named_beside_the_consumer_it_killed()
    {
        await StartAndHandleOneAsync();

        FailWritesUnder(StoreNames.Table(QuasarHost.Queue + ":t"));
        await Producer.WriteAsync("b"u8.ToArray()).Within();
        await Bounded.Until(() => CheckAsync().Result.Description?.Contains("died", StringComparison.Ordinal) == true, "the worker died of the refused mark");
        HealthReportEntry entry = await CheckAsync();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("queue orders: table 'orders:t' refused a write: System.IO.IOException: injected Write failure", entry.Description, StringComparison.Ordinal);
    }
}
