namespace Quasar.Tests.Support;

/// <summary>A table's contents as a dictionary of name to positions: comparisons and readable descriptions for the crash tests.</summary>
public static class TableState
{
    /// <summary>Whether two values are equal, where null means the name is absent.</summary>
    public static bool SameValue(ulong[]? a, ulong[]? b) => a is null || b is null ? a is null && b is null : a.AsSpan().SequenceEqual(b);

    /// <summary>A value for a failure message, or "nothing (absent)".</summary>
    public static string Show(ulong[]? value) => value is null ? "nothing (absent)" : Describe(value);

    /// <summary>A value for a failure message, shortened past eight positions.</summary>
    public static string Describe(ulong[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 8 ? $"[{string.Join(',', value)}]" : $"[{value[0]}, ... {value.Length} positions ..., {value[^1]}]";
    }

    /// <summary>Asserts that the table holds exactly <paramref name="expected"/>, naming up to five names missing, extra or different.</summary>
    public static void AssertSame(IReadOnlyDictionary<string, ulong[]> expected, IReadOnlyDictionary<string, ulong[]> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        string[] missing = [.. expected.Keys.Where(n => !actual.ContainsKey(n)).Order(StringComparer.Ordinal).Take(5)];
        string[] extra = [.. actual.Keys.Where(n => !expected.ContainsKey(n)).Order(StringComparer.Ordinal).Take(5)];
        string[] different = [.. expected.Where(p => actual.TryGetValue(p.Key, out ulong[]? value) && !SameValue(p.Value, value))
            .Select(p => $"'{p.Key}': expected {Describe(p.Value)}, found {Describe(actual[p.Key])}").Take(5)];
        Assert.True(
            missing.Length == 0 && extra.Length == 0 && different.Length == 0,
            $"the table differs from what was acknowledged: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}], different [{string.Join("; ", different)}]");
    }

    /// <summary>Asserts that <see cref="Table.Range"/> reported the min of first and max of last positions of <paramref name="state"/>.</summary>
    public static void AssertRange(Dictionary<string, ulong[]> state, (ulong Min, ulong Max, bool Found) range)
    {
        ArgumentNullException.ThrowIfNull(state);
        Assert.Equal(
            state.Count == 0 ? (0UL, 0UL, false) : (state.Values.Min(v => v[0]), state.Values.Max(v => v[^1]), true),
            range);
    }

    /// <summary>The largest last position (what <see cref="Table.Range"/> reports as Max; 0 when empty).</summary>
    public static ulong MaxPosition(Dictionary<string, ulong[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Count == 0 ? 0 : state.Values.Max(v => v[^1]);
    }
}
