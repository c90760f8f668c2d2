namespace Quasar.Tests.Faults;

/// <summary>
/// The database a fault case runs on: one ledger ("l") and one table ("t") in a directory,
/// opened on a given file system. Opening is all or nothing: what an open that fails halfway
/// opened is closed again.
/// </summary>
internal sealed class FaultSession(string directory, DbOptions options)
{
    public const string LedgerPrefix = "l";
    public const string TablePrefix = "t";

    public string Directory => directory;

    public Db? Db { get; private set; }

    public Ledger? Ledger { get; private set; }

    public Table? Table { get; private set; }

    public Ledger OpenLedger => Ledger ?? throw new InvalidOperationException("the session is not open");

    public Table OpenTable => Table ?? throw new InvalidOperationException("the session is not open");

    public bool IsOpen => Table is not null;

    /// <summary>Opens the database, the ledger and the table; on failure closes what it opened (ignoring a second failure) and rethrows.</summary>
    public void Open()
    {
        try
        {
            Db = Quasar.Db.Open(directory, options);
            Ledger = Quasar.Ledger.Open(Db, new LedgerOptions { Prefix = LedgerPrefix });
            Table = Quasar.Table.Open(Db, new TableOptions { Prefix = TablePrefix });
        }
        catch
        {
            try
            {
                Close();
            }
            catch (IOException)
            {
                // the open's error is the one to report
            }

            throw;
        }
    }

    /// <summary>What the open stores hold.</summary>
    public StoreSnapshot Read() => StoreSnapshot.Read(OpenLedger, OpenTable);

    /// <summary>Disposes the database (and with it the stores); the session is closed even when that throws.</summary>
    public void Close()
    {
        Db? db = Db;
        Db = null;
        Ledger = null;
        Table = null;
        db?.Dispose();
    }
}
