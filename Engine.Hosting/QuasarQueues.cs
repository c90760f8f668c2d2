using Microsoft.Extensions.Options;

namespace Quasar.Hosting;

/// <summary>
/// The queues of <see cref="QuasarOptions.Queues"/>, opened once on the shared <see cref="Db"/>
/// when this singleton is first resolved, each with one shared <see cref="Producer"/> and its
/// dead-letter ledger. The same queue and producer are also registered as keyed services under
/// the queue's name (<c>[FromKeyedServices("orders")] Producer producer</c>).
/// Protocol: everything is opened in the constructor and only read afterwards, so lookups need no
/// lock; <see cref="DisposeAsync"/> runs once, when the container is disposed.
/// </summary>
public sealed class QuasarQueues : IAsyncDisposable
{
    private readonly Dictionary<string, Opened> queues = new(StringComparer.Ordinal);

    internal QuasarQueues(Db db, IOptions<QuasarOptions> options)
    {
        foreach ((string name, QuasarQueueOptions settings) in options.Value.Queues)
        {
            string prefix = settings.PrefixFor(name);
            Queue queue = Queue.Open(db, new QueueOptions
            {
                Prefix = prefix,
                CleanInterval = settings.CleanInterval,
                CleanRetention = settings.Retention,
                CleanThreshold = settings.Threshold,
                CleanMaxAge = settings.MaxAge,
                CleanMaxBytes = settings.MaxBytes,
            });
            DeadLetterLedger dead = new(Ledger.Open(db, new LedgerOptions { Prefix = prefix + DeadLetterLedger.Suffix }));
            queues.Add(name, new Opened(queue, queue.CreateProducer(settings.Producer), dead));
        }
    }

    /// <summary>The names of the queues.</summary>
    public IReadOnlyCollection<string> Names => queues.Keys;

    /// <summary>The queue named <paramref name="name"/>.</summary>
    /// <param name="name">A key of <see cref="QuasarOptions.Queues"/>.</param>
    /// <returns>The open queue.</returns>
    /// <exception cref="KeyNotFoundException">No queue has that name.</exception>
    public Queue GetQueue(string name) => Find(name).Queue;

    /// <summary>The producer shared by everyone writing to the queue named <paramref name="name"/>.</summary>
    /// <param name="name">A key of <see cref="QuasarOptions.Queues"/>.</param>
    /// <returns>The producer, with the queue's <see cref="QuasarQueueOptions.Producer"/> options.</returns>
    /// <exception cref="KeyNotFoundException">No queue has that name.</exception>
    public Producer GetProducer(string name) => Find(name).Producer;

    /// <summary>The dead-letter ledger of the queue named <paramref name="name"/>; decode its entries with <see cref="DeadLetter.Decode"/>.</summary>
    /// <param name="name">A key of <see cref="QuasarOptions.Queues"/>.</param>
    /// <returns>The ledger <c>&lt;prefix&gt;:dead</c>.</returns>
    /// <exception cref="KeyNotFoundException">No queue has that name.</exception>
    public Ledger GetDeadLetters(string name) => Find(name).DeadLetters.Ledger;

    /// <summary>The dead-letter writer of the queue named <paramref name="name"/>.</summary>
    internal DeadLetterLedger DeadLettersOf(string name) => Find(name).DeadLetters;

    /// <summary>
    /// What is wrong with the queues' stores (ledger, position table, dead-letter ledger), one line
    /// each naming the queue and the store: closed while the host runs, or the last write refused
    /// by the storage (I/O error, full disk) with no write accepted since. Empty when all is well.
    /// </summary>
    internal List<string> StoreProblems()
    {
        List<string> problems = [];
        foreach ((string name, Opened opened) in queues)
        {
            Ledger ledger = opened.Queue.Ledger;
            Table table = opened.Queue.Table;
            Ledger dead = opened.DeadLetters.Ledger;
            AddProblem(problems, name, $"ledger '{ledger.Options.Prefix}'", ledger.IsClosed, ledger.Refusal.Last);
            AddProblem(problems, name, $"table '{table.Options.Prefix}'", table.IsClosed, table.Refusal.Last);
            AddProblem(problems, name, $"dead-letter ledger '{dead.Options.Prefix}'", dead.IsClosed, dead.Refusal.Last);
        }

        return problems;
    }

    /// <summary>Disposes every queue (with its producer and consumers) and dead-letter ledger; the Db stays open.</summary>
    /// <returns>A task that completes once all are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (Opened opened in queues.Values)
        {
            await opened.Queue.DisposeAsync().ConfigureAwait(false);
            await opened.DeadLetters.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void AddProblem(List<string> problems, string queue, string store, bool closed, Exception? refused)
    {
        if (closed)
        {
            problems.Add($"queue {queue}: {store} is closed");
        }
        else if (refused is not null)
        {
            problems.Add($"queue {queue}: {store} refused a write: {refused.GetType().FullName}: {refused.Message}");
        }
    }

    private Opened Find(string name) =>
        queues.TryGetValue(name, out Opened? opened)
            ? opened
            : throw new KeyNotFoundException($"No Quasar queue is named '{name}'; the configured ones are: {string.Join(", ", queues.Keys)}.");

    private sealed record Opened(Queue Queue, Producer Producer, DeadLetterLedger DeadLetters);
}
