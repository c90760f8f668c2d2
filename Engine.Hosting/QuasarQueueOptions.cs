namespace Quasar.Hosting;

/// <summary>One named queue of <see cref="QuasarOptions.Queues"/>; the fields map onto <see cref="QueueOptions"/>.</summary>
public sealed class QuasarQueueOptions
{
    /// <summary>The store prefix; null or empty: the queue's name. Its dead letters live in the ledger <c>&lt;Prefix&gt;:dead</c>.</summary>
    public string? Prefix { get; set; }

    /// <summary>How often the cleaner runs (<see cref="QueueOptions.CleanInterval"/>); zero: no cleaner.</summary>
    public TimeSpan CleanInterval { get; set; }

    /// <summary>Entries always kept (<see cref="QueueOptions.CleanRetention"/>).</summary>
    public long Retention { get; set; }

    /// <summary>Above this many entries the cleaner deletes regardless of consumers (<see cref="QueueOptions.CleanThreshold"/>); zero: off.</summary>
    public long Threshold { get; set; }

    /// <summary>
    /// Entries older than this are deleted whatever the consumers' positions
    /// (<see cref="QueueOptions.CleanMaxAge"/>; configuration: <c>"00:10:00"</c>); zero: off.
    /// Needs <see cref="CleanInterval"/> above zero.
    /// </summary>
    public TimeSpan MaxAge { get; set; }

    /// <summary>
    /// While the queue's entries take more than this many bytes, the oldest are deleted whatever the
    /// consumers' positions (<see cref="QueueOptions.CleanMaxBytes"/>); zero: off. Needs
    /// <see cref="CleanInterval"/> above zero.
    /// </summary>
    public long MaxBytes { get; set; }

    /// <summary>
    /// The options of the queue's shared producer (<see cref="QuasarQueues.GetProducer"/> and the
    /// keyed <see cref="Quasar.Producer"/>): <c>Queues:&lt;name&gt;:Producer:Batch|Timeout|Retry|Delay|Filter</c>.
    /// </summary>
    public ProducerOptions Producer { get; set; } = new();

    /// <summary>The prefix in effect for the queue named <paramref name="name"/>.</summary>
    internal string PrefixFor(string name) => string.IsNullOrEmpty(Prefix) ? name : Prefix;
}
