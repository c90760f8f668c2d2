namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// Opens the table of a mutated store and judges its live map against the history of records
/// written. FORMAT.md's table recovery cuts a failing record off as a torn write when it reaches
/// the end of the file (frame cut off or declared length past the end) or when no valid record
/// follows it, and reports it otherwise; a file shorter than its header starts afresh. So a
/// correct table holds the map after some prefix of its records: all of them when
/// <c>table.log</c> is untouched, and at least every record that ends before the first damaged
/// byte when it is not.
/// </summary>
internal static class TableOracle
{
    public static StoreOutcome Judge(Db db, TableHistory history, Damage damage)
    {
        string store = Path.GetDirectoryName(history.File)!;
        try
        {
            using Table table = Table.Open(db, new TableOptions { Prefix = history.Prefix });
            return Check(table, history, damage, store);
        }
        catch (CorruptionException error)
        {
            return StoreOutcome.Detected(store, error);
        }
    }

    private static StoreOutcome Check(Table table, TableHistory history, Damage damage, string store)
    {
        IReadOnlyDictionary<string, ulong[]> all = table.All();
        foreach ((string name, ulong[] positions) in all)
        {
            Assert.Equal(positions, table.Get(name));
        }

        int records = history.States.Count - 1;
        int kept = Enumerable.Range(0, records + 1).LastOrDefault(k => Same(history.States[k], all), -1);
        Assert.True(kept >= 0, $"table '{history.Prefix}': the live map ({all.Count} names) is the map after no prefix of the {records} records written");
        long firstDamaged = damage.FirstOffset(history.File);
        int mustKeep = Enumerable.Range(0, records + 1).Last(k => k == 0 || history.Ends[k] <= firstDamaged);
        Assert.True(kept >= mustKeep, $"table '{history.Prefix}': holds the map after {kept} records, but the first {mustKeep} end before the first damaged byte ({firstDamaged})");
        string contents = $"the map after {kept} records";
        return kept == records
            ? new StoreOutcome(store, StoreVerdict.Intact, Contents: contents)
            : new StoreOutcome(store, StoreVerdict.Repaired, Note: kept == 0 ? "table started afresh or cut to its header" : "table records cut off as a torn write", Contents: contents);
    }

    private static bool Same(IReadOnlyDictionary<string, ulong[]> expected, IReadOnlyDictionary<string, ulong[]> actual) =>
        expected.Count == actual.Count
        && expected.All(pair => actual.TryGetValue(pair.Key, out ulong[]? positions) && positions.AsSpan().SequenceEqual(pair.Value));
}
