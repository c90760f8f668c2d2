using Quasar.Tests.Support;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Files a power loss leaves behind that recovery must accept: pages never synced come back as
/// zeros when the file's size (or its name) reached the disk but its data did not. Found by the
/// ledger model's power-loss properties.
/// </summary>
public sealed class PowerLossRecoveryTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerLossFileSystem fs = new();

    public void Dispose() => temp.Dispose();

    private string DbPath => Path.Combine(temp.Path, "db");

    [Fact]
    public void A_first_tail_record_lost_before_its_sync_leaves_tail_zero_and_the_ledger_opens()
    {
        using (Db db = Open(syncWrites: true))
        using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(new Entry(4, new byte[] { 1 }));

            // Change 0 writes the first tail record, change 1 would sync it: the power goes there,
            // the file keeps its new size but the record's page is lost (zeros).
            fs.CutAt(1, new PowerLossMode(Survivors.None, ZeroFilledTails: true));
            Assert.ThrowsAny<IOException>(() => ledger.Delete(4));
            Abandon(db);
        }

        fs.PowerOn();
        using (Db db = Open(syncWrites: true))
        using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal((0UL, 4UL, 1L), (ledger.Tail, ledger.Head, ledger.Length));
        }

        StoreCheck.AssertNoErrors(DbPath);
    }

    [Fact]
    public void A_new_segment_whose_name_reached_the_disk_but_not_its_header_is_removed_and_the_ledger_opens()
    {
        using (Db db = Open(syncWrites: false))
        using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            ledger.Write(new Entry(16, new byte[] { 1 }));

            // The directory entry may reach the disk on its own; the segment's data was never synced.
            fs.SyncDirectory(Path.Combine(DbPath, "ledger-l"));
            fs.PowerLoss(new PowerLossMode(Survivors.None, ZeroFilledTails: true));
            Abandon(db);
        }

        fs.PowerOn();
        using (Db db = Open(syncWrites: false))
        using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" }))
        {
            Assert.Equal((0UL, 0UL, 0L), (ledger.Tail, ledger.Head, ledger.Length));
        }

        StoreCheck.AssertNoErrors(DbPath);
    }

    private Db Open(bool syncWrites) => Db.Open(DbPath, new DbOptions { SyncWrites = syncWrites, FileSystem = fs });

    /// <summary>The Db the power loss left behind cannot close cleanly: its device is gone.</summary>
    private static void Abandon(Db db)
    {
        try
        {
            db.Dispose();
        }
        catch (Exception error) when (error is IOException or AggregateException)
        {
        }
    }
}
