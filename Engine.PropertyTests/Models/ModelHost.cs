using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Models;

/// <summary>One Db with the stores a model run compares (opened by <paramref name="openStores"/>), closed, reopened and abandoned as the run's steps say.</summary>
internal sealed class ModelHost<TStore>(string directory, DbOptions options, Func<Db, (string Name, TStore Store)[]> openStores) : IDisposable
    where TStore : IDisposable
{
    private Db? db;

    public (string Name, TStore Store)[] Stores { get; private set; } = [];

    public void Open()
    {
        db = Db.Open(directory, options);
        Stores = openStores(db);
    }

    /// <summary>Closes the Db and checks its files with the consistency checker.</summary>
    public void Close()
    {
        Stores = [];
        Db? closing = db;
        db = null;
        closing?.Dispose();
        StoreCheck.AssertNoErrors(directory, "closed for a reopen");
    }

    /// <summary>Disposes the stores only and opens them again on the same Db.</summary>
    public void ReopenStores()
    {
        foreach ((_, TStore store) in Stores)
        {
            store.Dispose();
        }

        Stores = [];
        Stores = openStores(db!);
    }

    public void Sync() => db!.Sync();

    /// <summary>Drops the Db the power loss left behind; its dispose fails (the device is gone) and that is expected.</summary>
    public void Abandon()
    {
        Stores = [];
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

    public void Dispose() => db?.Dispose();
}
