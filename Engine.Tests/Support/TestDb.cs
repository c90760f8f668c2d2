namespace Quasar.Tests.Support;

/// <summary>
/// A <see cref="Quasar.Db"/> in a fresh temp directory, with helpers to open ledgers and tables on
/// it and to reopen it. Disposing it disposes the database and deletes the directory.
/// </summary>
public sealed class TestDb : IDisposable
{
    private readonly TempDirectory temp = new();

    public TestDb(DbOptions? options = null)
    {
        Options = options ?? new DbOptions();
        Db = Quasar.Db.Open(temp.Path, Options);
    }

    public DbOptions Options { get; }

    public Db Db { get; private set; }

    public string Path => temp.Path;

    /// <summary>A prefix no other test uses (the Quasar meter is process-wide).</summary>
    public static string UniquePrefix(string name) => $"{name}-{Guid.NewGuid():N}";

    public Ledger Ledger(string prefix = "ledger", long limit = 0, int cache = 0) =>
        Quasar.Ledger.Open(Db, new LedgerOptions { Prefix = prefix, Limit = limit, Cache = cache });

    public Table Table(string prefix = "table") => Quasar.Table.Open(Db, new TableOptions { Prefix = prefix });

    /// <summary>Disposes the database (closing every store) and opens it again.</summary>
    public Db Reopen()
    {
        Db.Dispose();
        Db = Quasar.Db.Open(temp.Path, Options);
        return Db;
    }

    public void Dispose()
    {
        Db.Dispose();
        temp.Dispose();
    }
}
