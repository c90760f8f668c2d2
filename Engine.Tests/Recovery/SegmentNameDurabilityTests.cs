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

    // Storage review F11: a new ledger's tail file was created without a sync of its directory.
    [Fact]
    public void Opening_a_new_ledger_syncs_its_directory_after_creating_the_tail_file()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { SyncWrites = false, FileSystem = files });
        var calls = new List<(FileFault Operation, string Path)>();
        files.Fail = (operation, path) =>
        {
            calls.Add((operation, path));
            return false;
        };

        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix });

        Assert.Contains((FileFault.SyncDirectory, LedgerFiles.LedgerDirectory(temp.Path)), calls);
    }

    // Storage review F11: recovery removed an empty segment without syncing the directory, so a
    // power loss could bring it back after its predecessor had been appended to again.
    [Fact]
    public void Recovery_that_removes_an_empty_segment_syncs_the_directory_after_the_removal()
    {
        using (Db db = Db.Open(temp.Path))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            ledger.Write(TestEntries.Range(1, 10));
        }

        string empty = Path.Combine(LedgerFiles.LedgerDirectory(temp.Path), "00000000000000001000.seg");
        File.WriteAllBytes(empty, new byte[10]);
        var calls = new List<(FileFault Operation, string Path)>();
        files.Fail = (operation, path) =>
        {
            calls.Add((operation, path));
            return false;
        };

        using (Db db = Db.Open(temp.Path, new DbOptions { FileSystem = files }))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            Assert.Equal(10, ledger.Length);
        }

        int removal = calls.IndexOf((FileFault.Delete, empty));
        int directorySync = calls.FindLastIndex(c => c == (FileFault.SyncDirectory, LedgerFiles.LedgerDirectory(temp.Path)));
        Assert.False(File.Exists(empty));
        Assert.InRange(removal, 0, int.MaxValue);
        Assert.InRange(directorySync, removal + 1, int.MaxValue);
    }
}
