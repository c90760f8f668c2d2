using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// What one case of a fault sweep saw: the injected call (none for the recording run), how the
/// public call ended, whether the ledger and the table took a write afterwards (null: not tried),
/// and every broken promise.
/// </summary>
internal sealed class FaultOutcome(FileCall? call, FaultEffect effect, bool persistent = false)
{
    public FileCall? Call => call;

    public FaultEffect Effect => effect;

    /// <summary>Whether every later call of the same operation on the same path failed too, until the call under test returned.</summary>
    public bool Persistent => persistent;

    /// <summary>The exception type and message the public call threw; null when it returned.</summary>
    public string? Error { get; set; }

    public bool? LedgerKeptWorking { get; set; }

    public bool? TableKeptWorking { get; set; }

    /// <summary>The exception type the closing Db.Dispose threw, if any.</summary>
    public string? CloseError { get; set; }

    public List<string> Violations { get; } = [];

    public string Injected => call is null ? "no fault" : $"{call}{(effect == FaultEffect.Partial ? ", half written" : string.Empty)}{(persistent ? ", and every later one" : string.Empty)}";

    public override string ToString() =>
        $"{Injected}: {(Error is null ? "returned" : "threw " + Error)}; ledger {Works(LedgerKeptWorking)}, table {Works(TableKeptWorking)}" +
        (CloseError is null ? string.Empty : $"; dispose threw {CloseError}");

    private static string Works(bool? works) => works switch
    {
        true => "kept working",
        false => "refused until reopen",
        null => "not tried",
    };
}
