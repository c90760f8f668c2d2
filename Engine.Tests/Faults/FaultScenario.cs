using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>What the public call under test does to the session's stores.</summary>
internal enum ScenarioKind
{
    /// <summary>A write-side call (Write, Delete, Set, Db.Sync) on open stores, which stay open after it.</summary>
    Call,

    /// <summary>The opening itself: Db.Open, Ledger.Open, Table.Open on a closed directory.</summary>
    Open,

    /// <summary>Db.Dispose of open stores.</summary>
    Dispose,
}

/// <summary>
/// One public operation the fault sweep records and then fails call by call.
/// <paramref name="Prepare"/> builds the starting store once (null: no database directory at all), on the real file system (the
/// session is open; it is closed afterwards), and <paramref name="Damage"/> may then alter its
/// files (a crash's leftovers for recovery to repair). Each case opens a copy (unless the
/// operation is the open itself), runs <paramref name="Dirty"/> unrecorded, then records or
/// fails <paramref name="Act"/>. <paramref name="Effect"/> models what the operation changes
/// when it succeeds.
/// </summary>
internal sealed record FaultScenario(
    string Name,
    ScenarioKind Kind,
    DbOptions Options,
    Action<FaultSession>? Prepare,
    Action<FaultSession> Act,
    Func<StoreSnapshot, StoreSnapshot> Effect)
{
    /// <summary>Changes the closed store's files after <see cref="Prepare"/>; null: none.</summary>
    public Action<string>? Damage { get; init; }

    /// <summary>Work done on the opened copy before the recorded call (unsynced writes a Sync or Dispose then has to make durable); null: none.</summary>
    public Action<FaultSession>? Dirty { get; init; }

    /// <summary>A call the operation must make (operation, path pattern), proving the scenario reaches what it is named for (a roll, a rewrite, an unlink); null: none.</summary>
    public (FileFault Operation, string PathPattern)? MustCall { get; init; }

    /// <summary>The calls whose failure the operation absorbs (it returns, the effect whole); null: every failure must throw.</summary>
    public Func<FileCall, bool>? MayReturn { get; init; }

    public override string ToString() => Name;
}
