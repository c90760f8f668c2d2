using Microsoft.Extensions.Options;
using Quasar.Storage;

namespace Quasar.Hosting;

/// <summary>
/// Checks <see cref="QuasarOptions"/> when the host starts: every failure names its field
/// (<c>Directory</c>, <c>Queues[name].Prefix</c>, ...), and every registered consumer's queue must exist.
/// </summary>
internal sealed class QuasarOptionsValidator(IEnumerable<ConsumerRegistration> consumers) : IValidateOptions<QuasarOptions>
{
    /// <summary>The longest suffix a queue adds to its prefix (the dead-letter ledger's).</summary>
    private const string LongestSuffix = DeadLetterLedger.Suffix;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, QuasarOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{nameof(QuasarOptions.Directory)} must name a directory.");
        }

        if (options.SegmentSize < 1)
        {
            failures.Add($"{nameof(QuasarOptions.SegmentSize)} must be at least 1; got {options.SegmentSize}.");
        }

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
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateQueue(string queue, QuasarQueueOptions settings, List<string> failures)
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

        if (settings.CleanInterval < TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.CleanInterval)} must not be negative; got {settings.CleanInterval}.");
        }

        if (settings.Retention < 0)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.Retention)} must not be negative; got {settings.Retention}.");
        }

        if (settings.Threshold < 0)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.Threshold)} must not be negative; got {settings.Threshold}.");
        }

        if (settings.MaxAge < TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.MaxAge)} must not be negative; got {settings.MaxAge}.");
        }

        if (settings.MaxBytes < 0)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.MaxBytes)} must not be negative; got {settings.MaxBytes}.");
        }

        // A limit with no cleaner to apply it would silently keep everything.
        if ((settings.MaxAge > TimeSpan.Zero || settings.MaxBytes > 0) && settings.CleanInterval == TimeSpan.Zero)
        {
            failures.Add($"{field}.{nameof(QuasarQueueOptions.MaxAge)} and {nameof(QuasarQueueOptions.MaxBytes)} need {field}.{nameof(QuasarQueueOptions.CleanInterval)} above zero (no cleaner runs without it).");
        }
    }
}
