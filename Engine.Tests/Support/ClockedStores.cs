using Microsoft.Extensions.Time.Testing;

namespace Quasar.Tests.Support;

/// <summary>A Db in a temp directory on a <see cref="FakeTimeProvider"/>, with a ledger "l" and a table "t"; disposed with the test.</summary>
public sealed class ClockedStores : IDisposable
{
    private readonly TempDirectory temp = new();

    public ClockedStores()
    {
        Db = Db.Open(temp.Path, new DbOptions { TimeProvider = Clock, Logger = Log });
        Ledger = Ledger.Open(Db, new LedgerOptions { Prefix = "l" });
        Table = Table.Open(Db, new TableOptions { Prefix = "t" });
    }

    public FakeTimeProvider Clock { get; } = FakeClock.Create();

    public TestLogger Log { get; } = new();

    public Db Db { get; }

    public Ledger Ledger { get; }

    public Table Table { get; }

    public void Dispose()
    {
        Db.Dispose();
        temp.Dispose();
    }
}
