using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Quasar.Hosting;

/// <summary>Registers Quasar in a service collection: the Db, its named queues and hosted consumers.</summary>
public static class QuasarServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="Db"/> (a singleton opened on first use, disposed with the
    /// container), <see cref="QuasarQueues"/>, and each queue and its shared producer as keyed
    /// singletons under the queue's name. The options are validated when the host starts.
    /// A <see cref="TimeProvider"/> in the container becomes the Db's clock, and an
    /// <see cref="IMeterFactory"/> (the host's, after <c>AddMetrics</c>) creates its meter.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddQuasar(this IServiceCollection services, Action<QuasarOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddQuasarCore(services).Configure(configure);
        return services;
    }

    /// <summary>
    /// <see cref="AddQuasar(IServiceCollection, Action{QuasarOptions})"/> with the options bound
    /// from <paramref name="section"/> (keys <c>Directory</c>, <c>SyncWrites</c>,
    /// <c>SegmentSize</c>, <c>Queues:&lt;name&gt;:Prefix|CleanInterval|Retention|Threshold|MaxAge|MaxBytes</c>,
    /// <c>Queues:&lt;name&gt;:Producer:Batch|Timeout|Retry|Delay|Filter</c>;
    /// a TimeSpan as <c>"00:10:00"</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Quasar")</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddQuasar(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        AddQuasarCore(services).Bind(section);
        return services;
    }

    /// <summary>
    /// Runs the consumer <paramref name="consumerName"/> of queue <paramref name="queueName"/> in a
    /// hosted service that hands each entry to <typeparamref name="THandler"/> (registered scoped
    /// unless already registered), retries a failing entry with exponential backoff, and after
    /// <see cref="QuasarConsumerOptions.MaxAttempts"/> writes it to the dead-letter ledger (see
    /// <see cref="DeadLetter"/>) and marks it. Delivery is at least once.
    /// </summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="services">The service collection (after <c>AddQuasar</c> or before; the queue is checked at start).</param>
    /// <param name="queueName">A key of <see cref="QuasarOptions.Queues"/>.</param>
    /// <param name="consumerName">The consumer's persistent name; two registrations of one queue need two names.</param>
    /// <param name="configure">Sets the retry and consumer options (validated when the host starts); null for the defaults.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddConsumer<THandler>(this IServiceCollection services, string queueName, string consumerName, Action<QuasarConsumerOptions>? configure = null)
        where THandler : class, IQuasarHandler
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(consumerName);
        QuasarConsumerOptions options = new();
        configure?.Invoke(options);
        ConsumerRegistration registration = new(queueName, consumerName, options);
        services.AddSingleton(registration);
        services.TryAddScoped<THandler>();
        // Not AddHostedService: it keeps one service per type, and one handler may serve many consumers.
        services.AddSingleton<IHostedService>(provider => new ConsumerWorker<THandler>(
            provider.GetRequiredService<QuasarQueues>(),
            provider.GetRequiredService<IServiceScopeFactory>(),
            registration,
            (provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<ConsumerWorker<THandler>>(),
            provider.GetRequiredService<Db>().Options.TimeProvider));
        return services;
    }

    private static OptionsBuilder<QuasarOptions> AddQuasarCore(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuasarOptions>, QuasarOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            QuasarOptions options = provider.GetRequiredService<IOptions<QuasarOptions>>().Value;
            return Db.Open(options.Directory, new DbOptions
            {
                SyncWrites = options.SyncWrites,
                SegmentSize = options.SegmentSize,
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
                Logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Quasar"),
                MeterFactory = provider.GetService<IMeterFactory>(),
                FileSystem = options.FileSystem,
            });
        });
        services.TryAddSingleton(provider => new QuasarQueues(provider.GetRequiredService<Db>(), provider.GetRequiredService<IOptions<QuasarOptions>>()));
        services.TryAddKeyedSingleton<Queue>(KeyedService.AnyKey, (provider, key) => provider.GetRequiredService<QuasarQueues>().GetQueue(KeyOf(key)));
        services.TryAddKeyedSingleton<Producer>(KeyedService.AnyKey, (provider, key) => provider.GetRequiredService<QuasarQueues>().GetProducer(KeyOf(key)));
        return services.AddOptions<QuasarOptions>().ValidateOnStart();
    }

    private static string KeyOf(object? key) =>
        key as string ?? throw new InvalidOperationException($"Quasar queues are keyed by their name (a string); got {key ?? "null"}.");
}
