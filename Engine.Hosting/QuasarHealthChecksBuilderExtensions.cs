using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Quasar.Hosting;

/// <summary>Registers <see cref="QuasarHealthCheck"/> on a health-checks builder.</summary>
public static class QuasarHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="QuasarHealthCheck"/> of the Quasar registered with
    /// <see cref="QuasarServiceCollectionExtensions.AddQuasar(IServiceCollection, Action{QuasarOptions})"/>:
    /// <c>services.AddHealthChecks().AddQuasar()</c>.
    /// </summary>
    /// <param name="builder">The health-checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="lagThreshold">The largest consumer lag still Healthy (at least 0); above it the check is Degraded.</param>
    /// <param name="name">The check's name in health reports.</param>
    /// <param name="failureStatus">The status reported when the check fails (a dead consumer, a store that refuses writes, or the check throwing); null: Unhealthy.</param>
    /// <param name="tags">Tags to filter checks by (for example in <c>MapHealthChecks</c>); null: none.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lagThreshold"/> is negative.</exception>
    public static IHealthChecksBuilder AddQuasar(this IHealthChecksBuilder builder, long lagThreshold = 1000, string name = "quasar", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(lagThreshold);
        return builder.Add(new HealthCheckRegistration(name, services => new QuasarHealthCheck(services, lagThreshold), failureStatus, tags));
    }
}
