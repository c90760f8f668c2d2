using System.Threading.Channels;

namespace Quasar.Tests.Support;

/// <summary>A call of every public member of <see cref="Ledger"/>, by name, with arguments that succeed on an open ledger holding entries 1..3.</summary>
public static class LedgerMembers
{
    /// <summary>The calls, by member name.</summary>
    public static IReadOnlyDictionary<string, Action<Ledger>> All { get; } = new Dictionary<string, Action<Ledger>>
    {
        ["Length"] = l => _ = l.Length,
        ["Head"] = l => _ = l.Head,
        ["Tail"] = l => _ = l.Tail,
        ["Write"] = l => l.Write(LedgerProbe.EntriesOf(100)),
        ["Write with no entries"] = l => l.Write(),
        ["Read"] = l => l.Read(1, 1),
        ["Index"] = l => l.Index(0),
        ["Delete"] = l => l.Delete(1),
        ["Subscribe"] = l => l.Subscribe(Channel.CreateUnbounded<ulong>().Writer),
        ["Unsubscribe"] = l => l.Unsubscribe(Channel.CreateUnbounded<ulong>().Writer),
    };
}
