using System.Text;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>One step against a table; prints like the call it stands for.</summary>
public abstract record TableCommand
{
    /// <summary>Long names print shortened: their first characters and their UTF-8 length.</summary>
    internal static string Show(string name) =>
        name.Length <= 12 ? $"\"{name}\"" : $"\"{name[..9]}…\"({Encoding.UTF8.GetByteCount(name)} bytes)";

    public sealed record Set(string Name, IReadOnlyList<ulong> Positions) : TableCommand
    {
        public override string ToString() => $"Set({Show(Name)}, [{string.Join(",", Positions)}])";
    }

    public sealed record Get(string Name) : TableCommand
    {
        public override string ToString() => $"Get({Show(Name)})";
    }

    public sealed record Delete(string Name) : TableCommand
    {
        public override string ToString() => $"Delete({Show(Name)})";
    }

    public sealed record All : TableCommand
    {
        public override string ToString() => "All";
    }

    public sealed record Range : TableCommand
    {
        public override string ToString() => "Range";
    }

    /// <summary>Disposes the Db and opens it (and the tables) again on the same directory.</summary>
    public sealed record Reopen : TableCommand
    {
        public override string ToString() => "Reopen";
    }

    /// <summary>Disposes the tables only and opens them again on the same Db.</summary>
    public sealed record ReopenTables : TableCommand
    {
        public override string ToString() => "ReopenTables";
    }

    /// <summary>Db.Sync: everything written so far becomes durable.</summary>
    public sealed record Sync : TableCommand
    {
        public override string ToString() => "Db.Sync";
    }

    /// <summary>The power goes between two calls; the Db is abandoned and opened again.</summary>
    public sealed record PowerLoss(PowerLossMode Mode) : TableCommand, IPowerLossStep
    {
        public override string ToString() => $"PowerLoss({Mode})";
    }

    /// <summary>The power goes during <paramref name="Call"/>, at its <paramref name="AtChange"/>-th change of the disk (or right after it, if it makes fewer).</summary>
    public sealed record PowerLossDuring(TableCommand Call, int AtChange, PowerLossMode Mode) : TableCommand, IPowerLossDuringStep<TableCommand>
    {
        public override string ToString() => $"PowerLoss({Mode}) at change {AtChange} of {Call}";
    }
}

public sealed record TableScenario(IReadOnlyList<TableCommand> Commands, bool SyncWrites = false)
{
    public override string ToString() => (SyncWrites ? "SyncWrites: " : string.Empty) + string.Join("; ", Commands);
}
