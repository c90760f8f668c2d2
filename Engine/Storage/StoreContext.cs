using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;
using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// What a ledger's or a table's log is opened with: the file system it reaches its files through,
/// its own directory, whether every write is made durable before it returns, and where it logs.
/// One object, so that a log's collaborators (recovery, rewrites, segments) take the same four
/// facts together and a new one (a power-loss file system, a clock) is added in one place.
/// </summary>
/// <param name="FileSystem">The file-system seam every file access goes through.</param>
/// <param name="Directory">The store's directory (inside the database directory).</param>
/// <param name="SyncWrites">Whether each write is synced before it returns.</param>
/// <param name="Logger">Where recovery and maintenance report.</param>
internal sealed record StoreContext(IFileSystem FileSystem, string Directory, bool SyncWrites, ILogger Logger)
{
    /// <summary>
    /// The Db's bound on open sealed segments, shared by all its ledgers (a context made outside a
    /// Db, as tests make them, gets a cache of its own with the default bound).
    /// </summary>
    public SegmentCache SegmentCache { get; init; } = new(DbOptions.DefaultMaxOpenSegments);

    /// <summary>The path of <paramref name="fileName"/> inside the store's directory.</summary>
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>
    /// Creates the directory if missing (making its entry in the database directory durable),
    /// removes files named <c>*.tmp</c> (unfinished rewrites a crash left behind), and returns
    /// the files left: one listing serves the cleanup and the caller's search (opening is timed).
    /// </summary>
    public string[] PrepareDirectory()
    {
        DurableDirectory.Create(FileSystem, Directory);
        string[] files = FileSystem.ListFiles(Directory, "*");
        foreach (string temporary in files.Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            Log.FileRemoved(Logger, temporary, "unfinished temporary file");
            FileSystem.Delete(temporary);
        }

        return [.. files.Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))];
    }
}
