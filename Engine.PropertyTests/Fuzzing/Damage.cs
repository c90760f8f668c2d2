namespace Quasar.PropertyTests.Fuzzing;

/// <summary>
/// What the mutations of one case did to the store's files, by path relative to the store: the
/// byte ranges whose content may differ from what was written, and which files lost their
/// original content altogether (deleted, or replaced by another file's bytes). The oracle reads
/// it to decide which losses a mutation can explain.
/// </summary>
internal sealed class Damage
{
    /// <summary>A range end for damage that reaches the end of the file whatever its length.</summary>
    public const long ToTheEnd = long.MaxValue;

    private readonly Dictionary<string, List<(long Start, long End)>> ranges = new(StringComparer.Ordinal);
    private readonly HashSet<string> gone = new(StringComparer.Ordinal);
    private readonly HashSet<string> replaced = new(StringComparer.Ordinal);
    private readonly List<string> actions = [];

    public IEnumerable<string> TouchedFiles => ranges.Keys;

    /// <summary>Records that bytes [start, end) of <paramref name="file"/> may differ from what was written.</summary>
    public void Changed(string file, long start, long end, string action)
    {
        if (!ranges.TryGetValue(file, out List<(long, long)>? list))
        {
            ranges[file] = list = [];
        }

        list.Add((start, end));
        if (action.Length > 0)
        {
            actions.Add(action);
        }
    }

    /// <summary>Records that <paramref name="file"/> was cut to <paramref name="length"/> bytes.</summary>
    public void Truncated(string file, long length, string action) => Changed(file, length, ToTheEnd, action);

    /// <summary>Records that <paramref name="file"/> no longer exists.</summary>
    public void Deleted(string file, string action)
    {
        gone.Add(file);
        Changed(file, 0, ToTheEnd, action);
    }

    /// <summary>Records that <paramref name="file"/> now holds another file's bytes (or exists where nothing was).</summary>
    public void Replaced(string file, string action)
    {
        gone.Remove(file);
        replaced.Add(file);
        Changed(file, 0, ToTheEnd, action);
    }

    public bool Touched(string file) => ranges.ContainsKey(file);

    /// <summary>Whether the file is gone (and nothing took its name since).</summary>
    public bool IsGone(string file) => gone.Contains(file);

    /// <summary>Whether the file's original content was replaced by other bytes (a swap or a copy over it).</summary>
    public bool IsReplaced(string file) => replaced.Contains(file);

    /// <summary>The first offset whose byte may differ (<see cref="ToTheEnd"/> when untouched).</summary>
    public long FirstOffset(string file) =>
        ranges.TryGetValue(file, out List<(long Start, long End)>? list) ? list.Min(r => r.Start) : ToTheEnd;

    /// <summary>Where the last damaged range ends (<see cref="ToTheEnd"/> when damage reaches the end of the file).</summary>
    public long LastEnd(string file) =>
        ranges.TryGetValue(file, out List<(long Start, long End)>? list) ? list.Max(r => r.End) : 0;

    public override string ToString() => actions.Count == 0 ? "(no change)" : string.Join("; ", actions);
}
