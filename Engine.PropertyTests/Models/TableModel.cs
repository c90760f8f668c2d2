using System.Text;

namespace Quasar.PropertyTests.Models;

/// <summary>The reference model of a table, from API.md: a map from names to position lists.</summary>
internal sealed class TableModel : IRecoveredState
{
    /// <summary>The longest name in UTF-8 bytes (Table.Set's documentation).</summary>
    public const int MaxNameBytes = 1024;

    private readonly Dictionary<string, ulong[]> map = new(StringComparer.Ordinal);

    public TableModel Clone()
    {
        var copy = new TableModel();
        foreach ((string name, ulong[] positions) in map)
        {
            copy.map[name] = positions;
        }

        return copy;
    }

    /// <summary>Every name and its positions, as compared after a power loss.</summary>
    public string Describe() => Render(map);

    private static bool Valid(string name) => name.Length > 0 && Encoding.UTF8.GetByteCount(name) <= MaxNameBytes;

    /// <summary>Stores a copy; empty positions: no-op.</summary>
    public Outcome Set(string name, IReadOnlyList<ulong> positions)
    {
        if (!Valid(name))
        {
            return Outcome.Throws<ArgumentException>();
        }

        if (positions.Count > 0)
        {
            map[name] = [.. positions];
        }

        return Outcome.Returned("ok");
    }

    /// <summary>Missing: empty.</summary>
    public Outcome Get(string name) =>
        Valid(name) ? Outcome.Returned(Render(map.GetValueOrDefault(name) ?? [])) : Outcome.Throws<ArgumentException>();

    /// <summary>Missing: no-op.</summary>
    public Outcome Delete(string name)
    {
        if (!Valid(name))
        {
            return Outcome.Throws<ArgumentException>();
        }

        map.Remove(name);
        return Outcome.Returned("ok");
    }

    public Outcome All() => Outcome.Returned(Render(map));

    /// <summary>Min of the first positions, max of the last ones; position 0 counts like any other.</summary>
    public Outcome Range() =>
        Outcome.Returned(map.Count == 0
            ? RenderRange(0, 0, false)
            : RenderRange(map.Values.Min(p => p[0]), map.Values.Max(p => p[^1]), true));

    public static string Render(IReadOnlyList<ulong> positions) => "[" + string.Join(",", positions) + "]";

    public static string Render(IReadOnlyDictionary<string, ulong[]> all) =>
        "{" + string.Join(", ", all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{TableCommand.Show(p.Key)}: {Render(p.Value)}")) + "}";

    /// <summary>Min and Max mean nothing when the table is empty: only Found is compared then.</summary>
    public static string RenderRange(ulong min, ulong max, bool found) => found ? $"({min}, {max}, True)" : "(not found)";
}
