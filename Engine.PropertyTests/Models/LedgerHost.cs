using Quasar.Storage.Files;
using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Models;

/// <summary>One Db with two ledgers on it (Cache = 0 and Cache = scenario.Cache), on the given file system (null: the real one).</summary>
internal sealed class LedgerHost(string directory, LedgerScenario scenario, IFileSystem? fileSystem) : IDisposable
{
    private Db? db;

    public (string Name, Ledger Ledger)[] Ledgers { get; private set; } = [];

    public void Open()
    {
        db = Db.Open(directory, new DbOptions { SegmentSize = scenario.SegmentSize, SyncWrites = scenario.SyncWrites, FileSystem = fileSystem });
        OpenLedgers();
    }

    /// <summary>Closes the Db and checks its files with the consistency checker.</summary>
    public void Close()
    {
        Ledgers = [];
        Db? closing = db;
        db = null;
        closing?.Dispose();
        StoreCheck.AssertNoErrors(directory, "closed for a reopen");
    }

    public void ReopenLedgers()
    {
        foreach ((_, Ledger ledger) in Ledgers)
        {
            ledger.Dispose();
        }

        Ledgers = [];
        OpenLedgers();
    }

    public void Sync() => db!.Sync();

    /// <summary>Drops the Db the power loss left behind; its dispose fails (the device is gone) and that is expected.</summary>
    public void Abandon()
    {
        Ledgers = [];
        try
        {
            db?.Dispose();
        }
#pragma warning disable CA1031 // whatever the dead Db throws while closing is of no interest
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        db = null;
    }

    private void OpenLedgers()
    {
        Ledgers =
        [
            ("plain ledger", Ledger.Open(db!, new LedgerOptions { Prefix = "plain", Limit = scenario.Limit })),
            ($"cached ledger (Cache={scenario.Cache})", Ledger.Open(db!, new LedgerOptions { Prefix = "cached", Cache = scenario.Cache, Limit = scenario.Limit })),
        ];
    }

    public void Dispose() => db?.Dispose();
}
