using System.Diagnostics;
using FASTER.core;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// Microsoft's FasterLog (<c>Microsoft.FASTER.Core</c>) with its default local storage device
/// (<c>FasterLogSettings(directory)</c>: <c>Devices.CreateLogDevice</c>, on Linux the managed
/// device, which opens its segment and commit files with O_SYNC (seen with strace; no O_DIRECT),
/// so every page it writes is durable when the write returns) and default page, memory and
/// segment sizes. Append = <c>Enqueue</c> per entry, <c>Commit(true)</c> per batch; read
/// = scan iterator. It has no lookup by sequence: W6 reads by logical address, taken from
/// <c>Enqueue</c>'s return values while the store was loaded (entry i+1 at <c>addresses[i]</c>).
/// </summary>
public sealed partial class FasterLogEngine : IEngineWorkloads
{
    /// <summary>Logical address of each sequence (index = sequence - 1), recorded by the last <see cref="Append"/>.</summary>
    private long[]? addresses;

    public string Name => "fasterlog";

    public bool Supports(string workload) => workload is "W1" or "W2" or "W3" or "W4" or "W6";

    public string Mode(string workload) => workload switch
    {
        "W1" => "Enqueue per entry, Commit(true) per batch of 1000; device files O_SYNC: durable at every commit; no compression",
        "W2" => "Enqueue x10 then Commit(true); device files O_SYNC: durable per commit",
        "W3" => "reopened (recover latest commit), Scan(Begin, Tail).GetNext (copy per entry)",
        "W4" => "new FasterLog (recover latest commit) + TailAddress, page cache warm",
        "W6" => "reopened; ReadAsync(address) with the addresses Enqueue returned during the (untimed) load (cold: found by an untimed scan)",
        "W7" => "tasks awaiting EnqueueAsync + WaitForCommitAsync per entry; AutoCommit (a commit per enqueue, run one after another); device files O_SYNC",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    private static FasterLogSettings Settings(string directory) => new(directory, deleteDirOnDispose: false);

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite)
    {
        // Commit(true) per batch whether durableEachWrite or not: BENCH.md's FasterLog append.
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        long[] recorded = new long[entries];
        var watch = Stopwatch.StartNew();
        using (FasterLogSettings settings = Settings(directory))
        using (var log = new FasterLog(settings))
        {
            for (int written = 0; written < entries; written += batch)
            {
                int count = Math.Min(batch, entries - written);
                BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
                for (int i = 0; i < count; i++)
                {
                    recorded[written + i] = log.Enqueue(batchEntries[i].Payload.Span);
                }

                log.Commit(spinWait: true);
            }

            watch.Stop();
        }

        addresses = recorded;
        return watch.Elapsed;
    }

    public TimeSpan Open(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        using FasterLogSettings settings = Settings(directory);
        using var log = new FasterLog(settings);
        long tail = log.TailAddress;
        TimeSpan elapsed = watch.Elapsed;
        if (tail <= log.BeginAddress || log.CommittedUntilAddress != tail)
        {
            throw new InvalidOperationException($"W4: FasterLog recovered begin {log.BeginAddress}, tail {tail}, committed {log.CommittedUntilAddress}");
        }

        return elapsed;
    }

    public TimeSpan ReadAll(string directory, int entries)
    {
        using FasterLogSettings settings = Settings(directory);
        using var log = new FasterLog(settings);
        var watch = Stopwatch.StartNew();
        long read = 0;
        using (FasterLogScanIterator iterator = log.Scan(log.BeginAddress, log.TailAddress))
        {
            while (true)
            {
                if (iterator.GetNext(out byte[] entry, out int length, out _))
                {
                    read++;
                    BenchPayload.Verify(entry.AsSpan(0, length), (ulong)read);
                }
                else if (iterator.Ended)
                {
                    break;
                }
                else
                {
                    iterator.WaitAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }

        TimeSpan elapsed = watch.Elapsed;
        if (read != entries)
        {
            throw new InvalidOperationException($"W3 read {read} entries, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan PointReads(string directory, int entries, int reads, int seed)
    {
        using FasterLogSettings settings = Settings(directory);
        using var log = new FasterLog(settings);

        // Cold mode loads the store in another process: the addresses are then found by an untimed scan.
        long[] known = addresses ?? ScanAddresses(log, entries);
        if (known.Length != entries)
        {
            throw new InvalidOperationException($"W6: {known.Length} addresses recorded, {entries} entries expected");
        }

        var random = new Random(seed);
        for (int i = 0; i < 1000; i++)
        {
            ReadOne(log, known, random.Next(1, entries + 1));
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ReadOne(log, known, random.Next(1, entries + 1));
        }

        return watch.Elapsed;
    }

    private static long[] ScanAddresses(FasterLog log, int entries)
    {
        var found = new List<long>(entries);
        using FasterLogScanIterator iterator = log.Scan(log.BeginAddress, log.TailAddress);
        while (iterator.GetNext(out byte[] _, out int _, out long address))
        {
            found.Add(address);
        }

        return [.. found];
    }

    private static void ReadOne(FasterLog log, long[] known, int sequence)
    {
        (byte[] entry, int length) = log.ReadAsync(known[sequence - 1], BenchPayload.Length).AsTask().GetAwaiter().GetResult();
        if (entry is null)
        {
            throw new InvalidOperationException($"W6: FasterLog found nothing at the address of {sequence}");
        }

        BenchPayload.Verify(entry.AsSpan(0, length), (ulong)sequence);
    }
}
