using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

public sealed class QuasarHealthCheckTests
{
    private static IHost BuildWithCheck(TempDirectory dir, HandledLog log) =>
        QuasarHost.Build(dir.Path, log, services =>
        {
            services.AddConsumer<StopAwareHandler>(QuasarHost.Queue, "worker");
            services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
            services.AddHealthChecks().AddQuasar(lagThreshold: 2);
        });

    private static async Task<HealthStatus> StatusAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().Within()).Status;

    /// <summary>The health once the worker has reached <paramref name="ready"/> after <paramref name="payloads"/> were written.</summary>
    private static async Task<HealthStatus> StatusOnceAsync(string[] payloads, string ready)
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost host = BuildWithCheck(dir, log);
        await host.StartAsync().Within();
        await QuasarHost.WriteAsync(host, payloads);
        await Bounded.Until(() => log.Count(ready) >= 1, $"the worker logged '{ready}'");
        HealthStatus status = await StatusAsync(host);
        await QuasarHost.StopAsync(host);
        return status;
    }

    [Fact]
    public async Task Running_consumers_that_keep_up_are_healthy() =>
        Assert.Equal(HealthStatus.Healthy, await StatusOnceAsync(["a"], "handled"));

    [Fact]
    public async Task A_consumer_lagging_beyond_the_threshold_is_degraded() =>
        Assert.Equal(HealthStatus.Degraded, await StatusOnceAsync(["slow", "b", "c", "d"], "started"));

    [Fact]
    public async Task A_consumer_whose_worker_died_is_unhealthy()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost host = BuildWithCheck(dir, log);
        await host.StartAsync().Within();
        await QuasarHost.WriteAsync(host, "a");
        await Bounded.Until(() => log.Count("handled") >= 1, "the worker is running");

        await host.Services.GetRequiredService<QuasarQueues>().GetQueue(QuasarHost.Queue).DisposeAsync().Within();
        await Bounded.Until(() => StatusAsync(host).Result == HealthStatus.Unhealthy, "the health check reports the dead worker");
        await QuasarHost.StopAsync(host);
    }
}
