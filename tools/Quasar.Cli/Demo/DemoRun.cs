using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Quasar.Cli.Output;

namespace Quasar.Cli.Demo;

/// <summary>
/// One run of <c>quasar demo</c>: opens the database and the queue, announces which consumers
/// resume, offers load until the run ends (time, messages, or a signal), lets the consumers catch
/// up, stores their positions, closes everything and only then prints the summary.
/// </summary>
internal static class DemoRun
{
    private const int CacheBytes = 64 * 1024 * 1024;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    /// <summary>Consumers that make no progress for this long while catching up are given up on.</summary>
    private static readonly TimeSpan DrainStall = TimeSpan.FromSeconds(10);

    /// <summary>Runs the demo.</summary>
    /// <param name="settings">What to run.</param>
    /// <returns><see cref="ExitCodes.Ok"/>, or <see cref="ExitCodes.Problems"/> when a completed run lost a message or a write failed.</returns>
    public static async Task<int> RunAsync(DemoSettings settings)
    {
        IDemoView view = settings.Mode switch
        {
            OutputMode.Live => new LiveView(settings),
            OutputMode.Json => new JsonView(),
            _ => new PlainView(Console.Out),
        };
        using var stop = new StopSignal();
        string directory = Path.GetFullPath(settings.Directory);
        DemoSummary summary;
        try
        {
            summary = await RunOnDatabaseAsync(settings, directory, view, stop);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or QuasarException)
        {
            await Console.Error.WriteLineAsync($"quasar demo: {directory}: {exception.Message}");
            return ExitCodes.Problems;
        }

        view.Finish(summary); // after the close: the files are complete when the summary says so
        bool problems = summary.Outcome != DemoSummary.Interrupted
            && (!summary.AllReceived || summary.Failed > 0 || summary.Consumers.Any(c => c.Error is not null));
        return problems ? ExitCodes.Problems : ExitCodes.Ok;
    }

    private static async Task<DemoSummary> RunOnDatabaseAsync(DemoSettings settings, string directory, IDemoView view, StopSignal stop)
    {
        using Db db = Db.Open(directory, new DbOptions { SyncWrites = settings.Sync });
        using Queue queue = Queue.Open(db, new QueueOptions
        {
            Prefix = DemoSettings.QueuePrefix,
            // Recent entries for the consumers to read from memory; the ledger copies them, so the
            // cache is held to about 64 MiB whatever the payload size.
            LedgerCache = Math.Clamp(CacheBytes / settings.Payload, 1, 16_384),
            TableCache = true,
            CleanInterval = TimeSpan.FromSeconds(1),
        });
        view.Announce($"quasar demo in {directory}");
        view.Announce(settings.Describe());
        var probe = new StoreProbe(queue, directory);
        ulong run = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(ulong)));

        // A consumer new to this directory starts at the next message; one with a stored position resumes after it.
        ulong next = queue.Ledger.Head + 1;
        var consumers = new List<TimedConsumer>(settings.Consumers);
        var resumedAfter = new ulong?[settings.Consumers];
        for (int i = 0; i < settings.Consumers; i++)
        {
            string name = DemoSettings.ConsumerName(i);
            ulong[] stored = queue.Table.Get(name);
            resumedAfter[i] = stored.Length > 0 ? stored[0] : null;
            view.Announce(stored.Length > 0
                ? $"consumer {name} resumes after {stored[0]} (stored position)"
                : $"consumer {name} starts fresh at the next message");
            consumers.Add(new TimedConsumer(queue, name, settings, run, next));
        }

        var load = new LoadGenerator(queue.CreateProducer(new ProducerOptions { Batch = settings.Batch }), settings, run, queue.Ledger.Head);
        var monitor = new DemoMonitor(load, consumers, probe);
        string outcome = DemoSummary.Interrupted;
        double seconds = 0;
        await view.ShowAsync(async show =>
        {
            load.Start();
            outcome = await OfferLoadAsync(settings, consumers, monitor, show, stop.Token);
            await load.StopAsync(); // every accepted message is written (and acknowledged) from here on
            seconds = monitor.Elapsed.TotalSeconds;
            if (outcome != DemoSummary.Interrupted)
            {
                await DrainAsync(load, consumers, monitor, show, stop.Token);
            }
        });

        await Task.WhenAll(consumers.Select(consumer => consumer.DisposeAsync().AsTask()));
        var results = new ConsumerSummary[consumers.Count];
        for (int i = 0; i < consumers.Count; i++)
        {
            TimedConsumer consumer = consumers[i];
            ulong position = probe.StoredPosition(consumer.Name);
            results[i] = new ConsumerSummary(consumer.Name, resumedAfter[i], consumer.Received, consumer.FromEarlierRuns, position, probe.EntriesAfter(position), consumer.Error?.Message);
        }

        monitor.Sample("stopped"); // takes the last latencies into the run's histogram
        long sent = load.Written;
        bool allReceived = consumers.All(consumer => consumer.Received == sent);
        return new DemoSummary(
            settings with { Directory = directory }, outcome, seconds, sent, load.Failed, seconds > 0 ? sent / seconds : 0, load.FirstError?.ToString(), allReceived, monitor.RunLatency, probe.Read(), results);
    }

    /// <summary>Samples once a second until the run's end: its time, every message received by every consumer, or a signal.</summary>
    private static async Task<string> OfferLoadAsync(DemoSettings settings, List<TimedConsumer> consumers, DemoMonitor monitor, Action<DemoSnapshot> show, CancellationToken stop)
    {
        TimeSpan nextSample = SampleEvery;
        while (!stop.IsCancellationRequested)
        {
            if (settings.Messages is int messages && consumers.All(consumer => consumer.HasAll(messages)))
            {
                show(monitor.Sample("running"));
                return DemoSummary.Completed;
            }

            if (settings.Seconds is int seconds && monitor.Elapsed.TotalSeconds >= seconds)
            {
                show(monitor.Sample("running"));
                return DemoSummary.TimeLimit;
            }

            if (monitor.Elapsed >= nextSample)
            {
                nextSample += SampleEvery; // on a fixed schedule, so the lines stay a second apart
                show(monitor.Sample("running"));
            }

            await Pause(stop);
        }

        return DemoSummary.Interrupted;
    }

    /// <summary>After the load stopped: samples once a second while the consumers catch up with what was written.</summary>
    private static async Task DrainAsync(LoadGenerator load, List<TimedConsumer> consumers, DemoMonitor monitor, Action<DemoSnapshot> show, CancellationToken stop)
    {
        long sent = load.Written;
        TimeSpan nextSample = monitor.Elapsed + SampleEvery;
        long lastProgress = Stopwatch.GetTimestamp();
        long received = consumers.Sum(consumer => consumer.Received);
        while (!stop.IsCancellationRequested && consumers.Any(consumer => consumer.Received < sent))
        {
            long now = consumers.Sum(consumer => consumer.Received);
            if (now != received)
            {
                received = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > DrainStall)
            {
                return; // the summary reports who is missing what
            }

            if (monitor.Elapsed >= nextSample)
            {
                nextSample += SampleEvery;
                show(monitor.Sample("draining"));
            }

            await Pause(stop);
        }
    }

    private static async Task Pause(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Tick, stop);
        }
        catch (OperationCanceledException)
        {
            // the caller's loop sees the signal
        }
    }
}
