using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

/// <summary>The host's <see cref="IMeterFactory"/> creates the Db's meter, so the consumer counters reach what the host's metrics pipeline listens to.</summary>
public sealed class HostedMetricsTests
{
    [Fact]
    public async Task The_consumer_counters_of_a_hosted_worker_are_recorded_on_the_containers_meter_factory()
    {
        using var dir = new TempDirectory();
        using var meters = new TestMeterFactory();
        HandledLog log = new();
        IHost host = QuasarHost.Build(dir.Path, log, services => services
            .AddSingleton<IMeterFactory>(meters)
            .AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "first"));
        await host.StartAsync().Within();

        await QuasarHost.WriteAsync(host, "a", "b", "c");
        await Bounded.Until(() => log.Count(nameof(First)) >= 3, "the worker handled 3 entries");
        await QuasarHost.StopAsync(host);

        Assert.Contains("Quasar", meters.MeterNames);
        Assert.Equal(3, meters.Sum("quasar.consumer.delivered", "first"));
    }
}
