using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>
/// Everything <c>stat</c> and <c>dump</c> show of a directory, read once through
/// <see cref="DbInspector"/> (never the lock, never a write): ledgers, tables, and the queues'
/// consumers with their lag.
/// </summary>
internal sealed class InspectedDirectory
{
    private InspectedDirectory(DbInspector inspector)
    {
        Inspector = inspector;
        Ledgers = inspector.Stores.Where(s => s.Kind == StoreKind.Ledger).ToDictionary(s => s.Prefix, s => LedgerView.Read(inspector, s), StringComparer.Ordinal);
        Tables = inspector.Stores.Where(s => s.Kind == StoreKind.Table).ToDictionary(s => s.Prefix, inspector.ReadTable, StringComparer.Ordinal);
        Consumers = ConsumerView.Find(Tables, Ledgers);
    }

    /// <summary>The inspector the directory was read with.</summary>
    public DbInspector Inspector { get; }

    /// <summary>The ledgers by prefix.</summary>
    public IReadOnlyDictionary<string, LedgerView> Ledgers { get; }

    /// <summary>The tables by prefix.</summary>
    public IReadOnlyDictionary<string, TableInfo> Tables { get; }

    /// <summary>The consumers of the queues found (a table <c>P:t</c> beside a ledger <c>P:l</c>).</summary>
    public IReadOnlyList<ConsumerView> Consumers { get; }

    /// <summary>The ledgers ordered by prefix (ordinal).</summary>
    public IEnumerable<LedgerView> OrderedLedgers => Ledgers.Values.OrderBy(l => l.Store.Prefix, StringComparer.Ordinal);

    /// <summary>The tables ordered by prefix (ordinal), with their store.</summary>
    public IEnumerable<(StoreInfo Store, TableInfo Table)> OrderedTables =>
        Inspector.Stores.Where(s => s.Kind == StoreKind.Table).OrderBy(s => s.Prefix, StringComparer.Ordinal).Select(s => (s, Tables[s.Prefix]));

    /// <summary>Reads <paramref name="directory"/>.</summary>
    /// <param name="directory">A database directory that exists.</param>
    /// <returns>What it holds.</returns>
    public static InspectedDirectory Read(string directory) => new(DbInspector.Open(directory));

    /// <summary><paramref name="path"/> relative to the database directory, '/'-separated, so output never depends on where the directory is.</summary>
    /// <param name="path">A path inside the directory.</param>
    /// <returns>The relative path.</returns>
    public string Relative(string path) => Paths.Relative(Inspector.Directory, path);
}
