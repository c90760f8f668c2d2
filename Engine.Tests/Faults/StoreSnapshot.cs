using System.Collections.Immutable;
using Quasar.Tests.Support;

namespace Quasar.Tests.Faults;

/// <summary>
/// What the fault sweep's database holds, as its public API reads it: the ledger's tail and live
/// entries and the table's names. Compared by its rendering, which failure messages show.
/// </summary>
internal sealed record StoreSnapshot(ulong Tail, ImmutableList<string> Entries, ImmutableSortedDictionary<string, string> Table)
{
    public static StoreSnapshot Empty { get; } = new(0, [], ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>Reads the ledger and the table through their public API.</summary>
    public static StoreSnapshot Read(Ledger ledger, Table table) => new(
        ledger.Tail,
        [.. ledger.Read(0, int.MaxValue).Select(Render)],
        table.All().ToImmutableSortedDictionary(p => p.Key, p => string.Join(',', p.Value), StringComparer.Ordinal));

    /// <summary>This content after <paramref name="entries"/> were written.</summary>
    public StoreSnapshot WithWrite(IEnumerable<Entry> entries) => this with { Entries = Entries.AddRange(entries.Select(Render)) };

    /// <summary>This content after a delete of everything at or below <paramref name="tail"/>.</summary>
    public StoreSnapshot WithDelete(ulong tail) =>
        this with { Tail = tail, Entries = [.. Entries.Where(e => ulong.Parse(e[..e.IndexOf(':')]) > tail)] };

    /// <summary>This content after <paramref name="name"/> was set to <paramref name="positions"/>.</summary>
    public StoreSnapshot WithSet(string name, params ulong[] positions) =>
        this with { Table = Table.SetItem(name, string.Join(',', positions)) };

    /// <summary>This content after <paramref name="name"/> was removed from the table.</summary>
    public StoreSnapshot WithoutName(string name) => this with { Table = Table.Remove(name) };

    public bool Equals(StoreSnapshot? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>A short form: the tail, the entry count and first and last entries, and the table.</summary>
    public override string ToString() =>
        $"tail {Tail}, {Entries.Count} entries [{string.Join(' ', Entries.Take(2))} .. {string.Join(' ', Entries.TakeLast(2))}] " +
        $"(digest {string.Join('|', Entries).GetHashCode(StringComparison.Ordinal):x8}), table {{{string.Join("; ", Table.Select(p => $"{p.Key}={Abbreviate(p.Value)}"))}}}";

    private static string Render(Entry entry) => $"{entry.Sequence}:{TestEntries.Text(entry)}";

    private static string Abbreviate(string positions) => positions.Length <= 40 ? positions : $"{positions[..20]}..({positions.Length} chars, {positions.GetHashCode(StringComparison.Ordinal):x8})";
}
