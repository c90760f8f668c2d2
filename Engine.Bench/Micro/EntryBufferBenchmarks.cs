using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// The entry buffer (a ledger's cache): push into a full buffer, point reads and scans.
[MemoryDiagnoser]
public class EntryBufferBenchmarks
{
    private const int Capacity = 1_000;

    // Cached once: a non-capturing visitor, so Scan allocates no delegate per call.
    private static readonly Func<Entry, bool> SumVisitor = static entry =>
    {
        scanned += entry.Sequence;
        return true;
    };

    private static ulong scanned;

    private readonly byte[] payloads = new byte[Capacity * 100];
    private Entry[] entries = [];
    private Entry single;
    private EntryBuffer buffer = new(Capacity);

    [GlobalSetup]
    public void Setup()
    {
        entries = new Entry[Capacity];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new Entry((ulong)i + 1, payloads.AsMemory(i * 100, 100));
        }

        single = new Entry(Capacity + 1, payloads.AsMemory(0, 100));
        buffer = new EntryBuffer(Capacity);
        buffer.Push(entries); // full from the start: every push overwrites the oldest
    }

    [Benchmark]
    public int PushOne()
    {
        buffer.Push(single);
        return buffer.Count;
    }

    [Benchmark]
    public int PushSpan()
    {
        buffer.Push(entries);
        return buffer.Count;
    }

    // One lookup alone is below the timer's resolution (BenchmarkDotNet reports ZeroMeasurement),
    // so this reads every position once and reports the time per lookup.
    [Benchmark(OperationsPerInvoke = Capacity)]
    public ulong TryGet()
    {
        ulong sum = 0;
        for (int i = 0; i < Capacity; i++)
        {
            if (buffer.TryGet(i, out Entry entry))
            {
                sum += entry.Sequence;
            }
        }

        return sum;
    }

    [Benchmark]
    public ulong Scan()
    {
        scanned = 0;
        buffer.Scan(SumVisitor);
        return scanned;
    }
}
