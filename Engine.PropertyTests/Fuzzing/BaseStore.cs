using Quasar.Tests.Support;

namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// The store every fuzz case starts from, built once per run and copied per case: a ledger
/// written with <c>SyncWrites</c> (durable batches) and two deletes (a tail file with both copies
/// written, one segment unlinked, dead entries left in another), a ledger written without it, and
/// a table; several sealed segments and an active one each. Besides the files it keeps what was
/// written, which is what a mutated copy is judged against.
/// </summary>
internal sealed class BaseStore : IDisposable
{
    public const long SegmentSize = 2048;
    public const string DurablePrefix = "durable";
    public const string RelaxedPrefix = "relaxed";
    public const string TablePrefix = "positions";

    private readonly TempDirectory temp = new();

    private BaseStore(LedgerHistory durable, LedgerHistory relaxed, TableHistory table)
    {
        Durable = durable;
        Relaxed = relaxed;
        Table = table;
    }

    /// <summary>The built store's directory; never opened again, only copied.</summary>
    public string Directory => Path.Combine(temp.Path, "base");

    public LedgerHistory Durable { get; }

    public LedgerHistory Relaxed { get; }

    public TableHistory Table { get; }

    public IEnumerable<LedgerHistory> Ledgers => [Durable, Relaxed];

    /// <summary>Every file of the store, relative to its directory, sorted.</summary>
    public IReadOnlyList<string> Files { get; private set; } = [];

    /// <summary>Builds the store; deterministic, so every run fuzzes the same bytes.</summary>
    public static BaseStore Build()
    {
        var durable = new LedgerHistory(DurablePrefix, Durable: true);
        var relaxed = new LedgerHistory(RelaxedPrefix, Durable: false);
        var table = new TableHistory(TablePrefix);
        var store = new BaseStore(durable, relaxed, table);
        try
        {
            store.Write();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Copies the store into <paramref name="destination"/> (which must not exist).</summary>
    public void CopyTo(string destination)
    {
        foreach (string file in Files)
        {
            string target = Path.Combine(destination, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Directory, file), target);
        }
    }

    public void Dispose() => temp.Dispose();

    private void Write()
    {
        using (Db db = Db.Open(Directory, new DbOptions { SegmentSize = SegmentSize, SyncWrites = true }))
        {
            using (Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = DurablePrefix }))
            {
                Durable.WriteBatches(Directory, ledger, batches: 50, firstSequence: 1);
                Durable.DeleteThrough(ledger, Durable.Batches[Durable.Batches.Count / 5].Entries[^1].Sequence);
                Durable.DeleteThrough(ledger, Durable.Batches[Durable.Batches.Count / 3].Entries[0].Sequence);
                Durable.WriteBatches(Directory, ledger, batches: 10, firstSequence: Durable.Batches[^1].Entries[^1].Sequence + 7);
            }

            using Table table = Quasar.Table.Open(db, new TableOptions { Prefix = TablePrefix });
            Table.Write(table);
        }

        using (Db db = Db.Open(Directory, new DbOptions { SegmentSize = SegmentSize }))
        {
            using Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = RelaxedPrefix });
            Relaxed.WriteBatches(Directory, ledger, batches: 40, firstSequence: 1_000_000);
        }

        Files = [.. System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f))
            .Order(StringComparer.Ordinal)];
        foreach (LedgerHistory ledger in Ledgers)
        {
            ledger.Settle(Directory);
        }

        Table.Settle(Directory);
    }
}
