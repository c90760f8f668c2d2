using System.Globalization;

namespace Quasar.Tests.Contracts;

/// <summary>The store contract for a table; item n is the name <c>item-n</c> holding positions [n, 10n].</summary>
public abstract class TableStoreContract(bool cache) : StoreContract<Table>
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, Action<Table>> Members { get; } = new Dictionary<string, Action<Table>>
    {
        ["Set"] = t => t.Set("name", 1, 2),
        ["Set with no positions"] = t => t.Set("name"),
        ["Get"] = t => t.Get(Name(1)),
        ["All"] = t => t.All(),
        ["Delete"] = t => t.Delete(Name(1)),
        ["Range"] = t => t.Range(),
    };

    /// <inheritdoc />
    protected override Table Open(Db db, string prefix) => Table.Open(db, new TableOptions { Prefix = prefix, Cache = cache });

    /// <inheritdoc />
    protected override IDisposable OpenOtherKind(Db db, string prefix) => Ledger.Open(db, new LedgerOptions { Prefix = prefix });

    /// <inheritdoc />
    protected override void Put(Table store, int item) => store.Set(Name(item), Positions(item));

    /// <inheritdoc />
    protected override void AssertHolds(Table store, int count)
    {
        var expected = Enumerable.Range(1, count).ToDictionary(Name, Positions);
        IReadOnlyDictionary<string, ulong[]> all = store.All();
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), all.OrderBy(p => p.Key, StringComparer.Ordinal));
        foreach ((string name, ulong[] positions) in expected)
        {
            Assert.Equal(positions, store.Get(name));
        }

        Assert.Equal(count == 0 ? (0UL, 0UL, false) : (1UL, 10UL * (ulong)count, true), store.Range());
    }

    private static string Name(int item) => string.Create(CultureInfo.InvariantCulture, $"item-{item}");

    private static ulong[] Positions(int item) => [(ulong)item, 10UL * (ulong)item];
}

/// <summary>A table that keeps only names and file offsets in memory.</summary>
public sealed class TableStoreContractTests() : TableStoreContract(cache: false);

/// <summary>A table that keeps the decoded positions in memory.</summary>
public sealed class CachedTableStoreContractTests() : TableStoreContract(cache: true);
