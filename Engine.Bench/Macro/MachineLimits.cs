using System.Diagnostics;
using System.Globalization;

namespace Quasar.Bench.Macro;

/// <summary>
/// The machine's own limits, measured by the parent before the workloads (BENCH.md): what no
/// engine can beat on this disk and CPU.
/// </summary>
/// <param name="WriteMBps">Sequential write of 256 MiB in 1 MiB chunks, not synced (mostly the page cache); the better of two.</param>
/// <param name="SyncedWriteMBps">The same, with one <c>Flush(true)</c> (fsync) at the end, included in the time; the better of two.</param>
/// <param name="SyncsPerSecond">Appends of 4 KiB, each followed by <c>RandomAccess.FlushToDisk</c> (fsync on Linux), for about a second.</param>
/// <param name="MemcpyMBps">One 256 MiB <c>Span.CopyTo</c> between two touched arrays.</param>
public sealed record MachineLimits(double WriteMBps, double SyncedWriteMBps, double SyncsPerSecond, double MemcpyMBps)
{
    private const int Chunk = 1024 * 1024;
    private const int TotalBytes = 256 * Chunk;

    public static MachineLimits Measure(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "limits-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Twice each, interleaved, keeping the better: the first write of a run also pays for
            // warming the file system and the page cache, which is not the machine's limit.
            double write = SequentialWrite(path, sync: false);
            double synced = SequentialWrite(path, sync: true);
            write = Math.Max(write, SequentialWrite(path, sync: false));
            synced = Math.Max(synced, SequentialWrite(path, sync: true));
            double syncs = SyncRate(path);
            return new MachineLimits(write, synced, syncs, Memcpy());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double SequentialWrite(string path, bool sync)
    {
        File.Delete(path);
        var chunk = new byte[Chunk];
        Random.Shared.NextBytes(chunk);
        var watch = Stopwatch.StartNew();
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (int written = 0; written < TotalBytes; written += Chunk)
            {
                stream.Write(chunk);
            }

            if (sync)
            {
                stream.Flush(flushToDisk: true);
            }
        }

        double seconds = watch.Elapsed.TotalSeconds;
        File.Delete(path);
        return TotalBytes / seconds / 1e6;
    }

    private static double SyncRate(string path)
    {
        var block = new byte[4096];
        Random.Shared.NextBytes(block);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle = stream.SafeFileHandle;
        long offset = 0;
        int syncs = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            RandomAccess.Write(handle, block, offset);
            RandomAccess.FlushToDisk(handle);
            offset += block.Length;
            syncs++;
        }

        return syncs / watch.Elapsed.TotalSeconds;
    }

    private static double Memcpy()
    {
        byte[] source = GC.AllocateUninitializedArray<byte>(TotalBytes);
        byte[] destination = GC.AllocateUninitializedArray<byte>(TotalBytes);
        source.AsSpan().Fill(0x5a);
        destination.AsSpan().Clear(); // touch every page first: the timed copy measures copying, not page faults
        var watch = Stopwatch.StartNew();
        source.AsSpan().CopyTo(destination);
        double seconds = watch.Elapsed.TotalSeconds;
        GC.KeepAlive(destination);
        return TotalBytes / seconds / 1e6;
    }

    /// <summary>The machine-readable line: <c>limits seq_write_mb_per_s=... ...</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"limits seq_write_mb_per_s={WriteMBps:0.#} seq_write_synced_mb_per_s={SyncedWriteMBps:0.#} fsync_4k_per_s={SyncsPerSecond:0.#} memcpy_mb_per_s={MemcpyMBps:0.#}");
}
