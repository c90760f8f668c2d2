using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Storage review F18: a Delete whose tail record could not be made durable threw, but the record
/// stayed in the file and took effect after a restart. A failed tail write now leaves no trace,
/// as a failed append does.
/// </summary>
public sealed class FailedDeleteTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly string db;

    public FailedDeleteTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(1)] // the first tail record: the file was empty
    [InlineData(3)] // a later one, over an older copy
    public void A_delete_whose_tail_sync_failed_has_no_effect_after_a_restart(int deletesBefore)
    {
        bool failing = false;
        var fs = new FaultyFileSystem
        {
            // Fails one sync of the tail file: the Delete's (its roll-back's sync succeeds).
            Fail = (fault, path) => failing && fault == FileFault.SyncData && Path.GetFileName(path) == "tail" && !(failing = false),
        };
        using (var opened = Db.Open(db, new DbOptions { SyncWrites = true, FileSystem = fs }))
        using (var ledger = Ledger.Open(opened, new LedgerOptions { Prefix = LedgerFiles.Prefix }))
        {
            ledger.Write(Batch(1, 10));
            for (int i = 1; i < deletesBefore; i++)
            {
                ledger.Delete((ulong)i);
            }

            failing = true;
            Assert.Throws<IOException>(() => ledger.Delete(8));
        }

        using OpenLedger reopened = OpenLedger.Open(db, 64 * 1024 * 1024);
        Assert.Equal((ulong)(deletesBefore - 1), reopened.Ledger.Tail);
        Assert.Equal(10 - (deletesBefore - 1), reopened.Ledger.Length);
    }
}
