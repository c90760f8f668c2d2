namespace Quasar.Tests.Support;

/// <summary>
/// A <see cref="Quasar.Table"/> on its own <see cref="Quasar.Db"/> in a fresh temp directory, with or
/// without the positions cache. <see cref="Reopen"/> closes both and opens them again, to check what
/// was persisted; disposing closes them and deletes the directory.
/// </summary>
public sealed class TableHost : IDisposable
{
    /// <summary>The table's prefix.</summary>
    public const string Prefix = "positions";

    private readonly TempDirectory temp = new();

    /// <summary>Opens the database and the table.</summary>
    public TableHost(bool cache)
    {
        Db = Db.Open(temp.Path);
        Table = Table.Open(Db, Options(cache));
    }

    /// <summary>The database.</summary>
    public Db Db { get; private set; }

    /// <summary>The open table.</summary>
    public Table Table { get; private set; }

    /// <summary>Closes the table and the database and opens both again, the table with or without the cache.</summary>
    public Table Reopen(bool cache)
    {
        Table.Dispose();
        Db.Dispose();
        Db = Db.Open(temp.Path);
        Table = Table.Open(Db, Options(cache));
        return Table;
    }

    /// <summary>Closes the table and the database and deletes the directory.</summary>
    public void Dispose()
    {
        Table.Dispose();
        Db.Dispose();
        temp.Dispose();
    }

    private static TableOptions Options(bool cache) => new() { Prefix = Prefix, Cache = cache };
}
