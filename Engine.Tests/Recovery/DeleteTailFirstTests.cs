using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A delete that unlinks segments makes the new tail durable first, with or without SyncWrites:
/// an unlink can reach the disk before an unsynced tail, and a power loss would then bring back
/// deleted entries of the surviving segments (FORMAT.md, invariant 4).
/// </summary>
public sealed class DeleteTailFirstTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F12: without SyncWrites the tail was written but not synced before the unlinks.
    [Fact]
    public void Without_sync_writes_a_delete_that_unlinks_segments_syncs_the_tail_before_unlinking()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { SyncWrites = false, SegmentSize = 4096, FileSystem = files });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix });
        ledger.Write(TestEntries.Range(1, 60, extra: 30));
        ledger.Write(TestEntries.Range(61, 60, extra: 30));
        Assert.Equal(2, LedgerFiles.Segments(temp.Path).Length);
        var calls = new List<(FileFault Operation, string File)>();
        files.Fail = (operation, path) =>
        {
            calls.Add((operation, Path.GetFileName(path)));
            return false;
        };

        ledger.Delete(60);

        int firstUnlink = calls.FindIndex(c => c.Operation == FileFault.Delete);
        int tailSync = calls.FindIndex(c => c.Operation == FileFault.SyncData && c.File == "tail");
        Assert.InRange(firstUnlink, 0, int.MaxValue);
        Assert.InRange(tailSync, 0, firstUnlink - 1);
    }
}
