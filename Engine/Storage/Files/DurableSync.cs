using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Quasar.Storage.Files;

/// <summary>
/// Durability primitives. On Linux a data sync is fdatasync (the file's data and the metadata
/// needed to read it, not timestamps); elsewhere the runtime's full flush. Directories are synced
/// with open + fsync where the platform allows (not on Windows, whose rename is already durable
/// once the file handles are flushed).
/// </summary>
internal static partial class DurableSync
{
    /// <summary>Makes the file's written data durable.</summary>
    public static void SyncData(SafeFileHandle handle)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            SyncDataCore(handle);
        }
        finally
        {
            Diagnostics.QuasarMetrics.RecordFsync(started);
        }
    }

    private static void SyncDataCore(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (fdatasync((int)handle.DangerousGetHandle()) != 0)
                {
                    throw new IOException($"fdatasync failed with errno {Marshal.GetLastPInvokeError()}.");
                }
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
        else
        {
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <summary>Makes the directory's entries durable where the platform allows.</summary>
    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
