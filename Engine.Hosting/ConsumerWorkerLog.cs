using Microsoft.Extensions.Logging;

namespace Quasar.Hosting;

/// <summary>The hosted consumers' log messages.</summary>
internal static partial class ConsumerWorkerLog
{
    /// <summary>An entry failed and will be tried again.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} of queue {Queue} failed entry {Sequence} (attempt {Attempt} of {MaxAttempts}); retrying.")]
    public static partial void Retrying(ILogger logger, Exception failure, string consumer, string queue, ulong sequence, int attempt, int maxAttempts);

    /// <summary>An entry failed its last attempt and goes to the dead-letter ledger.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer {Consumer} of queue {Queue} gave up on entry {Sequence} after {Attempts} attempts; it goes to the dead-letter ledger.")]
    public static partial void DeadLettered(ILogger logger, Exception failure, string consumer, string queue, ulong sequence, int attempts);
}
