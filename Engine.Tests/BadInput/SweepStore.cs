using Quasar.Tests.Support;

namespace Quasar.Tests.BadInput;

/// <summary>
/// The store every bad-input sweep calls into: a database holding ledger <c>ledger</c> with
/// entries 1..3 and table <c>table</c> with <c>kept = [1]</c>, so a refused call has files it
/// could damage. <see cref="Refuses{TException}"/> checks a refusal against the whole directory.
/// </summary>
internal sealed class SweepStore : IDisposable
{
    private readonly TestDb db;
    private bool dbDisposed;

    /// <summary>Opens the database and both stores and writes their data.</summary>
    public SweepStore(LedgerOptions? ledger = null, DbOptions? options = null)
    {
        db = new TestDb(options);
        Ledger = Ledger.Open(db.Db, ledger ?? new LedgerOptions { Prefix = "ledger" });
        Ledger.Write(LedgerProbe.EntriesOf(1, 2, 3));
        Table = Table.Open(db.Db, new TableOptions { Prefix = "table" });
        Table.Set("kept", 1);
    }

    /// <summary>The database directory.</summary>
    public string Path => db.Path;

    /// <summary>The database.</summary>
    public Db Db => db.Db;

    /// <summary>The ledger, holding entries 1..3.</summary>
    public Ledger Ledger { get; }

    /// <summary>The table, holding <c>kept = [1]</c>.</summary>
    public Table Table { get; }

    /// <summary>Disposes the database (closing both stores), for the after-dispose cases.</summary>
    public void DisposeDb()
    {
        dbDisposed = true;
        Db.Dispose();
    }

    /// <summary>Asserts <paramref name="call"/> throws exactly <typeparamref name="TException"/> and changes no file.</summary>
    public TException Refuses<TException>(Action call)
        where TException : Exception => Refusal.Throws<TException>(Path, call, Settle);

    /// <summary>The same for a call that returns something (a constructor): its result is dropped.</summary>
    public TException Refuses<TException>(Func<object?> call)
        where TException : Exception => Refuses<TException>(() => { _ = call(); });

    /// <summary>Asserts the task of <paramref name="call"/> faults with exactly <typeparamref name="TException"/> and changes no file.</summary>
    public Task<TException> RefusesAsync<TException>(Func<Task> call)
        where TException : Exception => Refusal.ThrowsAsync<TException>(Path, call, Settle);

    /// <summary>Disposes the stores and the database and deletes the directory.</summary>
    public void Dispose()
    {
        Ledger.Dispose();
        Table.Dispose();
        db.Dispose();
    }

    // Sync makes earlier buffered writes visible to the snapshot; a disposed database has none.
    private void Settle()
    {
        if (!dbDisposed)
        {
            Db.Sync();
        }
    }
}
