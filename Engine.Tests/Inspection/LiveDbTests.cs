using Quasar.Storage;
using Quasar.Tests.Support;

namespace Quasar.Tests.Inspection;

/// <summary>The inspector on a directory a live <see cref="Db"/> holds open (and locked).</summary>
public sealed class LiveDbTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_checker_runs_on_a_locked_directory_and_sees_everything_acknowledged()
    {
        using var db = Db.Open(temp.Path, new DbOptions { SegmentSize = InspectedStore.SegmentSize });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "live" });
        using var table = Table.Open(db, new TableOptions { Prefix = "live-table" });
        for (ulong i = 1; i <= 200; i += 4)
        {
            ledger.Write([.. Enumerable.Range(0, 4).Select(k => InspectedStore.Entry(i + (ulong)k))]);
        }

        table.Set("reader", 120);
        Assert.Throws<IOException>(() => Db.Open(temp.Path)); // the lock is held

        DbInspector inspector = DbInspector.Open(temp.Path);
        StoreInfo store = InspectedStore.Store(inspector, "live");
        SegmentInfo[] segments = [.. inspector.ReadSegments(store)];
        Entry[] entries = [.. inspector.ReadEntries(store)];

        Assert.DoesNotContain(InspectedStore.Check(temp.Path), p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(ledger.Head, segments[^1].LastSequence);
        TestEntries.AssertMatches(ledger.Read(1, 1000), entries);
    }
}
