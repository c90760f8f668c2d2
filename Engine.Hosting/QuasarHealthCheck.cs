using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Quasar.Hosting;

/// <summary>
/// The health of the queues and their hosted consumers: failed (the registration's failure status,
/// Unhealthy by default) when a consumer's worker died while the host was running or a queue's
/// store refuses writes (closed, or its last write failed in the storage: an I/O error, a full
/// disk; until a later write succeeds), Degraded when a consumer's <see cref="Consumer.Lag"/>
/// exceeds <see cref="LagThreshold"/>, else Healthy. The description names each consumer and store
/// at fault and the error. Register it with
/// <c>services.AddHealthChecks().AddQuasar()</c> (<see cref="QuasarHealthChecksBuilderExtensions"/>).
/// </summary>
public sealed class QuasarHealthCheck : IHealthCheck
{
    private readonly IReadOnlyList<ConsumerRegistration> consumers;
    private readonly IServiceProvider services;

    /// <summary>A check with the default lag threshold (1000 entries).</summary>
    /// <param name="services">The container, which holds the consumer registrations.</param>
    public QuasarHealthCheck(IServiceProvider services)
        : this(services, 1000)
    {
    }

    /// <summary>A check with the given lag threshold.</summary>
    /// <param name="services">The container, which holds the consumer registrations.</param>
    /// <param name="lagThreshold">The largest lag still Healthy (at least 0).</param>
    public QuasarHealthCheck(IServiceProvider services, long lagThreshold)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentOutOfRangeException.ThrowIfNegative(lagThreshold);
        consumers = [.. (IEnumerable<ConsumerRegistration>?)services.GetService(typeof(IEnumerable<ConsumerRegistration>)) ?? []];
        this.services = services;
        LagThreshold = lagThreshold;
    }

    /// <summary>The largest lag still Healthy.</summary>
    public long LagThreshold { get; }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Dictionary<string, object> data = [];
        // Resolved at check time: the queues open with the first use of the Db, which may come after the check is built.
        List<string> failed = (services.GetService(typeof(QuasarQueues)) as QuasarQueues)?.StoreProblems() ?? [];
        List<string> lagging = [];
        foreach (ConsumerRegistration consumer in consumers)
        {
            string name = $"{consumer.QueueName}/{consumer.ConsumerName}";
            if (consumer.Status.Death is { } death)
            {
                failed.Add($"{name} died: {death}");
                continue;
            }

            long lag = consumer.Status.Lag;
            data[name] = lag;
            if (lag > LagThreshold)
            {
                lagging.Add($"{name} lags {lag} entries");
            }
        }

        HealthCheckResult result =
            failed.Count > 0 ? new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", failed), data: data)
            : lagging.Count > 0 ? HealthCheckResult.Degraded($"{string.Join("; ", lagging)} (threshold {LagThreshold})", data: data)
            : HealthCheckResult.Healthy($"{consumers.Count} consumers running", data);
        return Task.FromResult(result);
    }
}
