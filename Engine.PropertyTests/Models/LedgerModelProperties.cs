using FsCheck;
using FsCheck.Fluent;

namespace Quasar.PropertyTests.Models;

/// <summary>Ledgers against the reference model (<see cref="LedgerModel"/>), step by step (<see cref="LedgerRun"/>).</summary>
public class LedgerModelProperties
{
    [QuasarProperty]
    public Property Ledger_behaves_like_the_model_with_and_without_cache() =>
        Prop.ForAll(LedgerScenarios.Plain, scenario => LedgerRun.Execute(scenario, powerLoss: false));

    /// <summary>Every Write and Delete that returned survives any power loss; the one in flight may or may not.</summary>
    [PowerLossProperty]
    public Property Ledger_with_SyncWrites_keeps_every_acknowledged_call_across_power_losses() =>
        Prop.ForAll(LedgerScenarios.WithPowerLoss(syncWrites: true), scenario => LedgerRun.Execute(scenario, powerLoss: true));

    /// <summary>Everything before the last Db.Sync or clean close survives; of the writes after it, a prefix.</summary>
    [PowerLossProperty]
    public Property Ledger_without_SyncWrites_keeps_everything_synced_across_power_losses() =>
        Prop.ForAll(LedgerScenarios.WithPowerLoss(syncWrites: false), scenario => LedgerRun.Execute(scenario, powerLoss: true));
}
