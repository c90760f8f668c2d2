using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// The real thing the queue model is compared with: a Db with <c>SyncWrites</c> on a
/// <see cref="PowerLossFileSystem"/>, a queue without its own cleaner, one producer, the named
/// consumers (Skip 0) and a cleaner on the queue's ledger and table whose passes the test runs
/// (its interval is an hour: it never runs on its own).
/// </summary>
internal sealed class QueueHost(string directory, QueueScenario scenario) : IDisposable
{
    private Db? db;
    private Cleaner? cleaner;

    public PowerLossFileSystem Files { get; } = new();

    public Queue Queue { get; private set; } = null!;

    public Producer Producer { get; private set; } = null!;

    public Cleaner Cleaner => cleaner!;

    public Dictionary<string, Consumer> Consumers { get; } = new(StringComparer.Ordinal);

    /// <summary>Opens the Db and the queue (recovering what is on disk), without any client yet.</summary>
    public void OpenQueue()
    {
        db = Db.Open(directory, new DbOptions { SyncWrites = true, SegmentSize = scenario.SegmentSize, FileSystem = Files });
        Queue = Queue.Open(db, new QueueOptions { Prefix = "q", LedgerCache = scenario.Caches ? 8 : 0, TableCache = scenario.Caches });
    }

    /// <summary>Creates the producer, every consumer (each stores its start when nothing is stored) and the cleaner.</summary>
    public void StartClients()
    {
        Producer = Queue.CreateProducer(new ProducerOptions { Batch = scenario.ProducerBatch });
        foreach (string name in scenario.Consumers)
        {
            Consumers[name] = Queue.CreateConsumer(new ConsumerOptions { Name = name, Window = scenario.Window, Batch = scenario.ConsumerBatch });
        }

        cleaner = new Cleaner(Queue.Ledger, new CleanerOptions { Retention = scenario.Retention, Interval = TimeSpan.FromHours(1), Tables = [Queue.Table] });
    }

    /// <summary>Disposes the cleaner, the queue (its clients with it) and the Db; every failure propagates.</summary>
    public void Close()
    {
        cleaner?.Dispose();
        Queue?.Dispose();
        db?.Dispose();
        Forget();
    }

    /// <summary>
    /// After a power loss: disposes everything as an application would, every call failing with the
    /// dead files' <see cref="IOException"/> (ignored, as a crashed process has no say), then turns the power back on.
    /// </summary>
    public void Abandon()
    {
        Ignoring(() => cleaner?.Dispose());
        Ignoring(() => Queue?.Dispose());
        Ignoring(() => db?.Dispose());
        Forget();
        Files.PowerOn();
    }

    public void Dispose()
    {
        if (db is not null)
        {
            Abandon();
        }
    }

    private void Forget()
    {
        db = null;
        cleaner = null;
        Queue = null!;
        Producer = null!;
        Consumers.Clear();
    }

    private static void Ignoring(Action dispose)
    {
        try
        {
            dispose();
        }
#pragma warning disable CA1031 // the abandoned Db fails as its files are dead; that is the point
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
