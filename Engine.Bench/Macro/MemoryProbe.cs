using System.Diagnostics;
using System.Globalization;

namespace Quasar.Bench.Macro;

/// <summary>
/// Peak memory of the measured part of a child run. RSS: Linux's VmHWM, reset first through
/// <c>/proc/self/clear_refs</c> so that warm-up and the untimed load do not count (elsewhere the
/// process's whole-life peak). Managed heap: the largest <see cref="GC.GetTotalMemory(bool)"/>
/// seen by a sampler every 10 ms (a lower bound on the true peak between samples).
/// </summary>
public sealed class MemoryProbe : IDisposable
{
    private readonly Thread sampler;
    private readonly long allocatedBefore;
    private volatile bool stopped;
    private long managedPeak;

    private MemoryProbe(bool rssReset)
    {
        RssReset = rssReset;
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        managedPeak = GC.GetTotalMemory(forceFullCollection: false);
        sampler = new Thread(Sample) { IsBackground = true, Name = "memory probe" };
        sampler.Start();
    }

    /// <summary>Whether the RSS peak was reset at the start (else it covers the whole process).</summary>
    public bool RssReset { get; }

    /// <summary>Collects garbage, resets the RSS peak where it can and starts sampling.</summary>
    public static MemoryProbe Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        bool reset = false;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                reset = true;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return new MemoryProbe(reset);
    }

    /// <summary>Stops sampling and adds peak_rss_mb, managed_peak_mb and allocated_mb to <paramref name="metrics"/>.</summary>
    public void Stop(Dictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        stopped = true;
        sampler.Join();
        UpdatePeak();
        metrics["peak_rss_mb"] = PeakRssBytes() / 1e6;
        metrics["managed_peak_mb"] = Interlocked.Read(ref managedPeak) / 1e6;
        metrics["allocated_mb"] = allocated / 1e6;
    }

    public void Dispose()
    {
        stopped = true;
    }

    private void Sample()
    {
        while (!stopped)
        {
            UpdatePeak();
            Thread.Sleep(10);
        }
    }

    private void UpdatePeak()
    {
        long now = GC.GetTotalMemory(forceFullCollection: false);
        long seen = Interlocked.Read(ref managedPeak);
        while (now > seen)
        {
            long previous = Interlocked.CompareExchange(ref managedPeak, now, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    private static long PeakRssBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    string kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
