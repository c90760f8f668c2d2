using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Quasar.Tests.Support;

/// <summary>
/// A tmpfs of a few MiB that a test mounts (Linux, as root) to run out of disk space for real, and
/// a filler file that takes all of its space until the test frees some pages again. Disposing
/// unmounts it and deletes the mount point.
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    /// <summary>The page size the tmpfs allocates in.</summary>
    public const int PageSize = 4096;

    private static readonly Lazy<string?> WhyUnavailable = new(Probe);

    private readonly TempDirectory mountPoint = new();
    private SafeFileHandle? filler;
    private long fillerLength;

    private SmallTmpfs(int megabytes)
    {
        string? failure = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", mountPoint.Path);
        if (failure is not null)
        {
            mountPoint.Dispose();
            throw new InvalidOperationException($"mounting a tmpfs failed: {failure}");
        }
    }

    /// <summary>Why no tmpfs can be mounted here (not Linux, not root, no mount permission), or null when it can.</summary>
    public static string? Unavailable => WhyUnavailable.Value;

    /// <summary>The mount point.</summary>
    public string Path => mountPoint.Path;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB.</summary>
    public static SmallTmpfs Mount(int megabytes) => new(megabytes);

    /// <summary>Writes a filler file page by page until the file system reports that it is full.</summary>
    public void Fill()
    {
        filler = File.OpenHandle(System.IO.Path.Combine(Path, "filler"), FileMode.CreateNew, FileAccess.ReadWrite);
        byte[] page = new byte[PageSize];
        Array.Fill(page, (byte)0xAB);
        try
        {
            while (true)
            {
                RandomAccess.Write(filler, page, fillerLength);
                fillerLength += PageSize;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the file system is full
        }
    }

    /// <summary>Gives <paramref name="pages"/> pages of the filler back to the file system.</summary>
    public void Free(int pages)
    {
        fillerLength = Math.Max(0, fillerLength - ((long)pages * PageSize));
        RandomAccess.SetLength(filler!, fillerLength);
    }

    /// <summary>Gives all the filler's space back.</summary>
    public void FreeAll() => Free(int.MaxValue / PageSize);

    /// <summary>Unmounts (lazily if something still holds a file open) and deletes the mount point.</summary>
    public void Dispose()
    {
        filler?.Dispose();
        if (Run("umount", Path) is not null)
        {
            Run("umount", "-l", Path);
        }

        mountPoint.Dispose();
    }

    /// <summary>Mounts and unmounts a tiny tmpfs once per test run to learn whether this machine allows it.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux to mount a tmpfs";
        }

        try
        {
            new SmallTmpfs(1).Dispose();
            return null;
        }
        catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"needs root to mount a tmpfs ({error.Message})";
        }
    }

    /// <summary>Runs a command; null when it succeeded, else what it printed.</summary>
    private static string? Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        string errors = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{command} exited with {process.ExitCode}: {errors.Trim()}";
    }
}
