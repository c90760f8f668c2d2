using Microsoft.Extensions.Options;
using Quasar.Storage;

namespace Quasar.Hosting;

/// <summary>
/// Checks <see cref="QuasarOptions"/> and every <c>AddConsumer</c> registration when the host
/// starts: every failure names its field (<c>Directory</c>, <c>Queues[name].Prefix</c>,
/// <c>Queues[name].Producer.Batch</c>, <c>Consumer 'name' of queue 'orders'.Window</c>, ...), and
/// every registered consumer's queue must exist.
/// </summary>
internal sealed class QuasarOptionsValidator(IEnumerable<ConsumerRegistration> consumers) : IValidateOptions<QuasarOptions>
{
    /// <summary>The longest suffix a queue adds to its prefix (the dead-letter ledger's).</summary>
    private const string LongestSuffix = DeadLetterLedger.Suffix;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, QuasarOptions options)
    {
        OptionFailures failures = new();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{nameof(QuasarOptions.Directory)} must name a directory.");
        }

        failures.AtLeast(nameof(QuasarOptions.SegmentSize), options.SegmentSize, 1);
        foreach ((string queue, QuasarQueueOptions settings) in options.Queues)
        {
            ValidateQueue(queue, settings, failures);
        }

        foreach (ConsumerRegistration consumer in consumers)
        {
            if (!options.Queues.ContainsKey(consumer.QueueName))
            {
                failures.Add($"Consumer '{consumer.ConsumerName}' reads queue '{consumer.QueueName}', which {nameof(QuasarOptions.Queues)} does not name.");
            }

            consumer.Options.Validate(failures, $"Consumer '{consumer.ConsumerName}' of queue '{consumer.QueueName}': {nameof(QuasarConsumerOptions)}");
        }

        return failures.Result;
    }

    private static void ValidateQueue(string queue, QuasarQueueOptions settings, OptionFailures failures)
    {
        string field = $"{nameof(QuasarOptions.Queues)}[{queue}]";
        try
        {
            StoreNames.Validate(settings.PrefixFor(queue) + LongestSuffix, nameof(settings.Prefix));
        }
        catch (ArgumentException e)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.Prefix)} '{settings.PrefixFor(queue)}' is not a valid prefix (with the suffix '{LongestSuffix}'): {e.Message}");
        }

        failures.Wait($"{field}.{nameof(QuasarQueueOptions.CleanInterval)}", settings.CleanInterval);
        failures.AtLeast($"{field}.{nameof(QuasarQueueOptions.Retention)}", settings.Retention, 0);
        failures.AtLeast($"{field}.{nameof(QuasarQueueOptions.Threshold)}", settings.Threshold, 0);
        if (settings.MaxAge < TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.MaxAge)} must not be negative; got {settings.MaxAge}.");
        }

        failures.AtLeast($"{field}.{nameof(QuasarQueueOptions.MaxBytes)}", settings.MaxBytes, 0);

        // A limit with no cleaner to apply it would silently keep everything.
        if ((settings.MaxAge > TimeSpan.Zero || settings.MaxBytes > 0) && settings.CleanInterval == TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.MaxAge)} and {nameof(QuasarQueueOptions.MaxBytes)} need {field}.{nameof(QuasarQueueOptions.CleanInterval)} above zero (no cleaner runs without it).");
        }

        ValidateProducer($"{field}.{nameof(QuasarQueueOptions.Producer)}", settings.Producer, failures);
    }

    private static void ValidateProducer(string field, ProducerOptions? producer, OptionFailures failures)
    {
        if (producer is null)
        {
            failures.Add($"{field} must be set.");
            return;
        }

        failures.AtLeast($"{field}.{nameof(ProducerOptions.Batch)}", producer.Batch, 1);
        failures.Wait($"{field}.{nameof(ProducerOptions.Timeout)}", producer.Timeout);
        failures.AtLeast($"{field}.{nameof(ProducerOptions.Retry)}", producer.Retry, 0);
        failures.Wait($"{field}.{nameof(ProducerOptions.Delay)}", producer.Delay);
        if (producer.Retry > 0 && producer.Delay == TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(ProducerOptions.Retry)} above 0 needs {field}.{nameof(ProducerOptions.Delay)} above zero.");
        }
    }
}
