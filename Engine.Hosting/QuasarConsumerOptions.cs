namespace Quasar.Hosting;

/// <summary>
/// One hosted consumer: how it retries an entry whose handler throws, and the engine's
/// <see cref="ConsumerOptions"/> knobs of its consumer (<see cref="Batch"/>, <see cref="Window"/>,
/// <see cref="Skip"/>, <see cref="Timeout"/>, <see cref="Deadline"/>, <see cref="Start"/>). Settable
/// in code or bound from configuration (<c>o =&gt; section.Bind(o)</c>); validated when the host starts.
/// </summary>
public sealed class QuasarConsumerOptions
{
    private static readonly ConsumerOptions Defaults = new();

    /// <summary>Attempts at one entry before it goes to the dead-letter ledger (at least 1).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed attempt; each later wait doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries read from the ledger at once and buffered for the handler (<see cref="ConsumerOptions.Batch"/>; at least 1).</summary>
    public int Batch { get; set; } = Defaults.Batch;

    /// <summary>
    /// Entries that may be delivered before the one in the handler is marked (<see cref="ConsumerOptions.Window"/>;
    /// at least 1). The worker handles one entry at a time, so above 1 this only lets the reader run ahead.
    /// </summary>
    public int Window { get; set; } = Defaults.Window;

    /// <summary>
    /// Marks held in memory before the next one writes them all to the position table
    /// (<see cref="ConsumerOptions.Skip"/>; not negative, below <see cref="Window"/>). Held marks are
    /// written when the worker stops; a crash redelivers up to this many handled entries.
    /// </summary>
    public int Skip { get; set; } = Defaults.Skip;

    /// <summary>Held marks are written this long after the first of them (<see cref="ConsumerOptions.Timeout"/>; zero: only by count and on stop).</summary>
    public TimeSpan Timeout { get; set; } = Defaults.Timeout;

    /// <summary>
    /// When the window is full and no mark comes for this long, the consumer dies with
    /// <see cref="ConsumerDeadlockException"/> (<see cref="ConsumerOptions.Deadline"/>; zero: never).
    /// With the default Window of 1 this limits one entry's handling, retries and backoff included;
    /// the handler in flight is not cancelled by it: the worker ends, and the health check reports
    /// it dead, once that handler returns.
    /// </summary>
    public TimeSpan Deadline { get; set; } = Defaults.Deadline;

    /// <summary>The first sequence delivered when nothing is stored for the consumer's name yet (<see cref="ConsumerOptions.Start"/>).</summary>
    public ulong Start { get; set; } = Defaults.Start;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan BackoffAfter(int attempt)
    {
        double ticks = InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The engine's options of the consumer named <paramref name="name"/>.</summary>
    internal ConsumerOptions ToConsumerOptions(string name) => new()
    {
        Name = name,
        Start = Start,
        Batch = Batch,
        Window = Window,
        Skip = Skip,
        Timeout = Timeout,
        Deadline = Deadline,
    };

    /// <summary>Adds a failure naming the field for each value out of range, prefixed with <paramref name="owner"/>.</summary>
    internal void Validate(OptionFailures failures, string owner)
    {
        failures.AtLeast($"{owner}.{nameof(MaxAttempts)}", MaxAttempts, 1);
        failures.Wait($"{owner}.{nameof(InitialBackoff)}", InitialBackoff);
        failures.Wait($"{owner}.{nameof(MaxBackoff)}", MaxBackoff);
        if (MaxBackoff < InitialBackoff)
        {
            failures.Add($"{owner}.{nameof(MaxBackoff)} ({MaxBackoff}) must not be below {nameof(InitialBackoff)} ({InitialBackoff}).");
        }

        failures.AtLeast($"{owner}.{nameof(Batch)}", Batch, 1);
        failures.AtLeast($"{owner}.{nameof(Window)}", Window, 1);
        failures.AtLeast($"{owner}.{nameof(Skip)}", Skip, 0);
        if (Skip >= Window)
        {
            failures.Add($"{owner}.{nameof(Skip)} ({Skip}) must be below {nameof(Window)} ({Window}).");
        }

        failures.Wait($"{owner}.{nameof(Timeout)}", Timeout);
        failures.Wait($"{owner}.{nameof(Deadline)}", Deadline);
    }
}
