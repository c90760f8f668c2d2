using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage;

/// <summary>The directory of one ledger or table, as every store opens it.</summary>
internal static class StoreDirectory
{
    /// <summary>
    /// Creates the directory if missing (making its entry in the database directory durable) and
    /// removes files named <c>*.tmp</c>: unfinished rewrites a crash left behind.
    /// </summary>
    public static void Prepare(IFileSystem fs, string directory, ILogger logger)
    {
        bool created = !fs.DirectoryExists(directory);
        fs.CreateDirectory(directory);
        if (created)
        {
            fs.SyncDirectory(Path.GetDirectoryName(directory)!);
        }

        foreach (string temporary in fs.ListFiles(directory, "*.tmp"))
        {
            Log.FileRemoved(logger, temporary, "unfinished temporary file");
            fs.Delete(temporary);
        }
    }
}
