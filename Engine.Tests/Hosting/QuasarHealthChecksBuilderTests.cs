using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quasar.Hosting;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting;

public sealed class QuasarHealthChecksBuilderTests
{
    private static HealthCheckRegistration RegistrationOf(Action<IHealthChecksBuilder> add)
    {
        ServiceCollection services = new();
        add(services.AddHealthChecks());
        using ServiceProvider provider = services.BuildServiceProvider();
        return Assert.Single(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);
    }

    [Fact]
    public void AddQuasar_registers_a_check_named_quasar_with_the_default_threshold_of_1000()
    {
        HealthCheckRegistration registration = RegistrationOf(checks => checks.AddQuasar());
        using ServiceProvider empty = new ServiceCollection().BuildServiceProvider();

        Assert.Equal("quasar", registration.Name);
        Assert.Equal(HealthStatus.Unhealthy, registration.FailureStatus);
        Assert.Empty(registration.Tags);
        Assert.Equal(1000, Assert.IsType<QuasarHealthCheck>(registration.Factory(empty)).LagThreshold);
    }

    [Fact]
    public void AddQuasar_takes_the_name_threshold_failure_status_and_tags_given()
    {
        HealthCheckRegistration registration = RegistrationOf(checks => checks.AddQuasar(5, "queues", HealthStatus.Degraded, ["ready", "storage"]));
        using ServiceProvider empty = new ServiceCollection().BuildServiceProvider();

        Assert.Equal("queues", registration.Name);
        Assert.Equal(HealthStatus.Degraded, registration.FailureStatus);
        Assert.Equal(["ready", "storage"], registration.Tags.Order());
        Assert.Equal(5, Assert.IsType<QuasarHealthCheck>(registration.Factory(empty)).LagThreshold);
    }

    [Fact]
    public void A_negative_lag_threshold_is_refused_at_registration() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddHealthChecks().AddQuasar(lagThreshold: -1));

    [Fact]
    public async Task A_dead_consumer_is_reported_with_the_failure_status_given()
    {
        using var dir = new TempDirectory();
        HandledLog log = new();
        IHost host = QuasarHost.Build(dir.Path, log, services =>
        {
            services.AddConsumer<RecordingHandler<First>>(QuasarHost.Queue, "worker");
            services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
            services.AddHealthChecks().AddQuasar(failureStatus: HealthStatus.Degraded);
        });
        await host.StartAsync().Within();
        await QuasarHost.WriteAsync(host, "a");
        await Bounded.Until(() => log.Count(nameof(First)) >= 1, "the worker is running");

        await host.Services.GetRequiredService<QuasarQueues>().GetQueue(QuasarHost.Queue).DisposeAsync().Within();
        HealthCheckService checks = host.Services.GetRequiredService<HealthCheckService>();
        await Bounded.Until(() => checks.CheckHealthAsync().Result.Entries["quasar"].Description?.Contains("died", StringComparison.Ordinal) == true, "the check reports the dead worker");
        HealthReport report = await checks.CheckHealthAsync().Within();
        await QuasarHost.StopAsync(host);

        Assert.Equal(HealthStatus.Degraded, report.Entries["quasar"].Status);
    }
}
