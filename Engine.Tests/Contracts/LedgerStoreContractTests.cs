using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>The store contract for a ledger; items are entries 1, 2, 3, ... (<see cref="TestEntries.Make"/>).</summary>
public abstract class LedgerStoreContract(int cache) : StoreContract<Ledger>
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, Action<Ledger>> Members => LedgerMembers.All;

    /// <inheritdoc />
    protected override Ledger Open(Db db, string prefix) => Ledger.Open(db, new LedgerOptions { Prefix = prefix, Cache = cache });

    /// <inheritdoc />
    protected override IDisposable OpenOtherKind(Db db, string prefix) => Table.Open(db, new TableOptions { Prefix = prefix });

    /// <inheritdoc />
    protected override void Put(Ledger store, int item) => store.Write(TestEntries.Make((ulong)item));

    /// <inheritdoc />
    protected override void AssertHolds(Ledger store, int count) =>
        LedgerProbe.AssertState(store, (ulong)count, 0, LedgerProbe.Run(1, count));
}

/// <summary>A ledger without a cache.</summary>
public sealed class LedgerStoreContractTests() : LedgerStoreContract(cache: 0);

/// <summary>A ledger whose cache holds everything the tests write.</summary>
public sealed class CachedLedgerStoreContractTests() : LedgerStoreContract(cache: 64);
