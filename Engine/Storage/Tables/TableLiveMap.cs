namespace Quasar.Storage.Tables;

/// <summary>
/// The table's live map: each name that exists now, with where its latest set record lies, and
/// the total size of those records (what a rewrite would keep, so the log can tell when dead
/// records dominate). Records are applied in file order; a later record for a name replaces
/// the earlier one. Not thread-safe: the table serializes calls.
/// </summary>
internal sealed class TableLiveMap
{
    private readonly Dictionary<string, LiveRecord> live = new(StringComparer.Ordinal);

    /// <summary>The number of live names.</summary>
    public int Count => live.Count;

    /// <summary>The summed encoded length of the live records.</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Whether <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => live.ContainsKey(name);

    /// <summary>Finds the live record of <paramref name="name"/>.</summary>
    public bool TryGet(string name, out LiveRecord record) => live.TryGetValue(name, out record);

    /// <summary>Makes <paramref name="record"/> the live record of <paramref name="name"/>, replacing any earlier one.</summary>
    public void Set(string name, LiveRecord record)
    {
        Forget(name);
        live[name] = record;
        LiveBytes += record.Length;
    }

    /// <summary>Removes <paramref name="name"/>; a missing name is a no-op.</summary>
    public void Forget(string name)
    {
        if (live.Remove(name, out LiveRecord old))
        {
            LiveBytes -= old.Length;
        }
    }

    /// <summary>Points <paramref name="name"/> at its copy at <paramref name="offset"/> (the length stays: a rewrite copies records unchanged).</summary>
    public void Move(string name, long offset) => live[name] = live[name].MovedTo(offset);

    /// <summary>The smallest first position and the largest last position over all names.</summary>
    public (ulong Min, ulong Max, bool Found) Range()
    {
        if (live.Count == 0)
        {
            return (0, 0, false);
        }

        ulong min = ulong.MaxValue;
        ulong max = ulong.MinValue;
        foreach (LiveRecord record in live.Values)
        {
            min = Math.Min(min, record.First);
            max = Math.Max(max, record.Last);
        }

        return (min, max, true);
    }

    /// <summary>Enumerates the live names with their records.</summary>
    public Dictionary<string, LiveRecord>.Enumerator GetEnumerator() => live.GetEnumerator();
}
