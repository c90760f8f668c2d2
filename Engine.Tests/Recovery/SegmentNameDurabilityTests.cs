using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Db.Sync makes everything durable, the names of new segments included: without SyncWrites a
/// roll does not sync the ledger's directory, so the next Sync does (POSIX promises a new file's
/// name only after its directory is synced).
/// </summary>
public sealed class SegmentNameDurabilityTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F11: SegmentLog.Sync never synced the directory a roll without SyncWrites had changed.
    [Fact]
    public void Without_sync_writes_a_sync_after_a_roll_syncs_the_ledger_directory()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix });
        var calls = new List<(FileFault Operation, string Path)>();
        files.Fail = (operation, path) =>
        {
            calls.Add((operation, path));
            return false;
        };

        ledger.Write(TestEntries.Range(1, 60, extra: 30));
        ledger.Write(TestEntries.Range(61, 60, extra: 30));
        Assert.Equal(2, LedgerFiles.Segments(temp.Path).Length);
        db.Sync();

        Assert.Contains((FileFault.SyncDirectory, LedgerFiles.LedgerDirectory(temp.Path)), calls);
    }

    [Fact]
    public void Without_sync_writes_a_sync_with_no_new_segment_leaves_the_directory_alone()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix });
        ledger.Write(TestEntries.Range(1, 10));
        db.Sync();
        var calls = new List<FileFault>();
        files.Fail = (operation, _) =>
        {
            calls.Add(operation);
            return false;
        };

        ledger.Write(TestEntries.Range(11, 10));
        db.Sync();

        Assert.DoesNotContain(FileFault.SyncDirectory, calls);
    }
}
