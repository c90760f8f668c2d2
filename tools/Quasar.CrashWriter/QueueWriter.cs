using System.Diagnostics;
using System.Globalization;

namespace Quasar.CrashWriter;

/// <summary>
/// The queue mode, the child of Engine.Tests' Recovery/QueueCrashTests.cs (selected by the first
/// argument <see cref="CrashProtocol.QueueMode"/>): a whole queue under load until the test kills
/// it with SIGKILL. A producer with durable writes continues after Head with sequences
/// Head+1, Head+2, ... (payloads <see cref="CrashProtocol.QueuePayload"/>) and reports each
/// acknowledged entry; two named consumers (<see cref="RecordingConsumer"/>) record what they
/// process in their own files before marking it; the queue's cleaner runs every few milliseconds
/// with no retention; segments are tiny, so they roll every few dozen entries; and
/// <see cref="TableBallast"/> drives the table through rewrites. The kills therefore land during
/// rolls, cleanings and rewrites. The producer stays at most <see cref="MaxAhead"/> entries ahead of
/// the slower consumer, so every run does a little of everything and the ledger stays short.
/// </summary>
internal static class QueueWriter
{
    /// <summary>How far the producer may run ahead of the slower consumer's last processed entry.</summary>
    private const ulong MaxAhead = 64;

    /// <summary>Runs the mode with <c>&lt;db directory&gt; &lt;records directory&gt; &lt;prefix&gt; &lt;seed&gt;</c>; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 4 || !int.TryParse(args[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
        {
            Console.Error.WriteLine("usage: " + CrashProtocol.QueueUsage);
            return 2;
        }

        var random = new Random(seed);
        using Stream stdout = Console.OpenStandardOutput();
        using var db = Db.Open(args[0], new DbOptions { SyncWrites = true, SegmentSize = CrashProtocol.SegmentSize, Logger = new PhaseMarkers(stdout) });
        // The state recovery left, read before the queue's cleaner starts: its first pass may
        // delete before the ready line is out (and print its marker before it).
        (ulong recoveredHead, ulong recoveredTail) = RecoveredState(db, args[2]);
        using var queue = Queue.Open(db, new QueueOptions
        {
            Prefix = args[2],
            LedgerCache = random.Next(2) == 0 ? 0 : 256,
            TableCache = random.Next(2) == 0,
            // Every few ms (a segment at a time), or every few dozen ms (several segments unlinked at once).
            CleanInterval = TimeSpan.FromMilliseconds(random.Next(2) == 0 ? random.Next(1, 6) : random.Next(20, 81)),
            CleanErrors = error => Console.Error.WriteLine($"cleaner: {error}"),
        });
        CrashProtocol.Emit(stdout, CrashProtocol.QueueReady(recoveredHead, recoveredTail));

        using RecordingConsumer first = StartConsumer(queue, 0, args[1], random);
        using RecordingConsumer second = StartConsumer(queue, 1, args[1], random);
        _ = TableBallast.Start(queue.Table, new Random(random.Next()));
        Producer producer = queue.CreateProducer(new ProducerOptions { Batch = random.Next(1, 17) });

        // A safety net only: the test kills the child within a second of this point.
        var watch = Stopwatch.StartNew();
        ulong headAtStart = queue.Ledger.Head;
        ulong next = headAtStart + 1;
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            // From Head at start: a consumer that had processed everything before gets nothing to record until the producer writes.
            if (next > Math.Max(headAtStart, Math.Min(first.Processed, second.Processed)) + MaxAhead)
            {
                Thread.Sleep(1);
                continue;
            }

            ulong sequence = next++;
            producer.Write(new Entry(sequence, CrashProtocol.QueuePayload(sequence)), error =>
            {
                if (error is null)
                {
                    CrashProtocol.Emit(stdout, CrashProtocol.Written(sequence, sequence));
                }
                else
                {
                    Console.Error.WriteLine($"producer: entry {sequence}: {error}");
                }
            });
        }

        Console.Error.WriteLine("Quasar.CrashWriter queue: not killed within a minute; exiting.");
        return 3;
    }

    /// <summary>Opens the queue's ledger alone (recovering it), reads Head and Tail, and closes it again.</summary>
    private static (ulong Head, ulong Tail) RecoveredState(Db db, string prefix)
    {
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = prefix + ":l" });
        return (ledger.Head, ledger.Tail);
    }

    private static RecordingConsumer StartConsumer(Queue queue, int index, string recordsDirectory, Random random)
    {
        string name = CrashProtocol.QueueConsumers[index];
        return RecordingConsumer.Start(queue, name, CrashProtocol.QueueConsumerWindows[index], CrashProtocol.ConsumerRecordsPath(recordsDirectory, name), new Random(random.Next()));
    }
}
