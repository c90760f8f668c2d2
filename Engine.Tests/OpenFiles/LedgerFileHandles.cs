namespace Quasar.Tests.OpenFiles;

/// <summary>
/// What the process holds open of one ledger's files, read from Linux's /proc: the descriptors
/// whose target lies in the ledger's directory, and the distinct files of it that are mapped.
/// </summary>
internal static class LedgerFileHandles
{
    /// <summary>Why the counts cannot be taken here (null on Linux).</summary>
    public static string? Unavailable => OperatingSystem.IsLinux() ? null : "needs Linux's /proc/self";

    /// <summary>The open descriptors of files inside <paramref name="directory"/>.</summary>
    public static int Descriptors(string directory)
    {
        int count = 0;
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target = TryTarget(fd);
            if (target is not null && target.StartsWith(directory + "/", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The files inside <paramref name="directory"/> that have at least one mapping.</summary>
    public static int MappedFiles(string directory) =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is int at and >= 0 ? line[at..] : "")
            .Where(path => path.StartsWith(directory + "/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Count();

    private static string? TryTarget(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed since the listing
        }
    }
}
