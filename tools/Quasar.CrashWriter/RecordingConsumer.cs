using System.Text;
using System.Threading.Channels;

namespace Quasar.CrashWriter;

/// <summary>
/// One named consumer of the queue mode. For every entry delivered it appends
/// <see cref="CrashProtocol.ConsumerRecord"/> to its own records file, and syncs the file to disk
/// before it marks any of the entries it holds: so every mark the table holds names an entry the
/// file holds. It holds
/// up to a few processed entries and marks them in a shuffled order (now and then with one
/// cumulative mark), so the stored position lists carry positions beyond the first one.
/// Its Window is fixed (<see cref="CrashProtocol.QueueConsumerWindows"/>); Batch, Skip and Timeout
/// are drawn from the seed.
/// </summary>
/// <remarks>
/// One task reads, records and marks; <see cref="Processed"/> is the only state other threads read
/// (the producer's throttle), published with a volatile write after the records are synced.
/// </remarks>
internal sealed class RecordingConsumer : IDisposable
{
    private readonly Consumer consumer;
    private readonly FileStream records;
    private readonly Random random;
    private readonly int holdLimit;
    private long processed;

    private RecordingConsumer(Consumer consumer, FileStream records, Random random, int holdLimit)
    {
        this.consumer = consumer;
        this.records = records;
        this.random = random;
        this.holdLimit = holdLimit;
    }

    /// <summary>The last sequence this consumer recorded and synced in this process (0 before the first).</summary>
    public ulong Processed => (ulong)Volatile.Read(ref processed);

    /// <summary>Creates the consumer <paramref name="name"/> on <paramref name="queue"/> and starts its loop.</summary>
    public static RecordingConsumer Start(Queue queue, string name, int window, string recordsPath, Random random)
    {
        int skip = random.Next(0, window);
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions
        {
            Name = name,
            Start = 1,
            Batch = random.Next(1, 9),
            Window = window,
            Skip = skip,
            Timeout = skip > 0 ? TimeSpan.FromMilliseconds(random.Next(1, 30)) : TimeSpan.Zero,
            Errors = error => Console.Error.WriteLine($"consumer {name}: {error}"),
        });

        // Unbuffered: each record reaches the file with one write; MarkHeld syncs them (Flush(true)) before marking.
        var records = new FileStream(recordsPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var started = new RecordingConsumer(consumer, records, random, random.Next(1, window + 1));
        _ = Task.Run(() => started.RunAsync(name));
        return started;
    }

    /// <summary>Closes the records file (the queue disposes the consumer).</summary>
    public void Dispose() => records.Dispose();

    private async Task RunAsync(string name)
    {
        var held = new List<ulong>();
        try
        {
            ChannelReader<Entry> entries = consumer.Entries;
            while (await entries.WaitToReadAsync().ConfigureAwait(false))
            {
                while (entries.TryRead(out Entry entry))
                {
                    Record(entry);
                    held.Add(entry.Sequence);
                    if (held.Count >= holdLimit)
                    {
                        MarkHeld(held);
                    }
                }

                MarkHeld(held); // nothing more at hand: never sit on marks while the window may be full
            }
        }
        catch (ObjectDisposedException)
        {
            // the process is exiting
        }
#pragma warning disable CA1031 // the test fails on any stderr output
        catch (Exception error)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"consumer {name}: {error}");
        }
    }

    private void Record(Entry entry)
    {
        string line = CrashProtocol.ConsumerRecord(entry.Sequence, Encoding.ASCII.GetString(entry.Payload.Span));
        records.Write(Encoding.ASCII.GetBytes(line + "\n"));
    }

    /// <summary>Syncs the records of the held entries, then marks them.</summary>
    private void MarkHeld(List<ulong> held)
    {
        if (held.Count == 0)
        {
            return;
        }

        records.Flush(flushToDisk: true);
        Volatile.Write(ref processed, (long)held[^1]);

        if (random.Next(4) == 0)
        {
            consumer.Mark(held[^1], cumulative: true);
        }
        else
        {
            ulong[] order = [.. held];
            random.Shuffle(order);
            foreach (ulong sequence in order)
            {
                consumer.Mark(sequence);
            }
        }

        held.Clear();
    }
}
