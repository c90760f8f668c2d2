namespace Quasar.Tests.Support;

/// <summary>
/// A <see cref="Quasar.Db"/> with one <see cref="Quasar.Ledger"/> open on a directory. <see cref="Reopen"/>
/// closes both and opens them again with the same options, to check what was persisted.
/// </summary>
public sealed class LedgerHost : IDisposable
{
    public LedgerHost(string directory, LedgerOptions ledgerOptions, DbOptions? dbOptions = null)
    {
        Directory = directory;
        LedgerOptions = ledgerOptions;
        DbOptions = dbOptions ?? new DbOptions();
        Db = Quasar.Db.Open(directory, DbOptions);
        Ledger = Quasar.Ledger.Open(Db, ledgerOptions);
    }

    public string Directory { get; }

    public LedgerOptions LedgerOptions { get; }

    public DbOptions DbOptions { get; }

    public Db Db { get; private set; }

    public Ledger Ledger { get; private set; }

    /// <summary>The ledger's directory: <c>ledger-</c> plus the prefix (only valid for prefixes that need no escaping).</summary>
    public string LedgerDirectory => Path.Combine(Directory, "ledger-" + LedgerOptions.Prefix);

    /// <summary>Closes the ledger and the database and opens both again.</summary>
    public Ledger Reopen()
    {
        Ledger.Dispose();
        Db.Dispose();
        Db = Quasar.Db.Open(Directory, DbOptions);
        Ledger = Quasar.Ledger.Open(Db, LedgerOptions);
        return Ledger;
    }

    public void Dispose()
    {
        Ledger.Dispose();
        Db.Dispose();
    }
}
