using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a ledger; prints like the call it stands for.</summary>
public abstract record LedgerCommand
{
    public sealed record Write(IReadOnlyList<ulong> Sequences) : LedgerCommand
    {
        public override string ToString() => $"Write[{string.Join(",", Sequences)}]";
    }

    public sealed record Read(ulong Sequence, int Amount) : LedgerCommand
    {
        public override string ToString() => $"Read({Sequence}, {Amount})";
    }

    public sealed record Index(long Position) : LedgerCommand
    {
        public override string ToString() => $"Index({Position})";
    }

    public sealed record Delete(ulong Sequence) : LedgerCommand
    {
        public override string ToString() => $"Delete({Sequence})";
    }

    /// <summary>Disposes the Db and opens it (and the ledgers) again on the same directory.</summary>
    public sealed record Reopen : LedgerCommand
    {
        public override string ToString() => "Reopen";
    }

    /// <summary>Disposes the ledgers only and opens them again on the same Db.</summary>
    public sealed record ReopenLedgers : LedgerCommand
    {
        public override string ToString() => "ReopenLedgers";
    }

    /// <summary>Db.Sync: everything written so far becomes durable.</summary>
    public sealed record Sync : LedgerCommand
    {
        public override string ToString() => "Db.Sync";
    }

    /// <summary>The power goes between two calls; the Db is abandoned and opened again.</summary>
    public sealed record PowerLoss(PowerLossMode Mode) : LedgerCommand, IPowerLossStep
    {
        public override string ToString() => $"PowerLoss({Mode})";
    }

    /// <summary>The power goes during <paramref name="Call"/>, at its <paramref name="AtChange"/>-th change of the disk (or right after it, if it makes fewer).</summary>
    public sealed record PowerLossDuring(LedgerCommand Call, int AtChange, PowerLossMode Mode) : LedgerCommand, IPowerLossDuringStep<LedgerCommand>
    {
        public override string ToString() => $"PowerLoss({Mode}) at change {AtChange} of {Call}";
    }
}

/// <summary>A command sequence plus the options it runs with.</summary>
public sealed record LedgerScenario(long SegmentSize, int Cache, long Limit, IReadOnlyList<LedgerCommand> Commands, bool SyncWrites = false)
{
    public override string ToString() =>
        $"SegmentSize={SegmentSize}, Cache={Cache}, Limit={Limit}{(SyncWrites ? ", SyncWrites" : string.Empty)}: " + string.Join("; ", Commands);
}
