namespace Quasar.Tests.Support.PowerLoss;

/// <summary>
/// The shadow of one directory: its entries as last made durable (by a directory sync, or as
/// found when the file system first met the directory) and the changes since, in the order made,
/// each atomic (a rename inside the directory is one change). Guarded by the file system's lock.
/// </summary>
internal sealed class DirectoryShadow(string path, Dictionary<string, DirectoryEntry> entries)
{
    private readonly List<(long Rank, (string Name, DirectoryEntry? Entry)[] Changes)> changes = [];
    private Dictionary<string, DirectoryEntry> durable = new(entries, StringComparer.Ordinal);

    /// <summary>The directory's full path.</summary>
    public string Path { get; } = path;

    /// <summary>The entries as they are now.</summary>
    public Dictionary<string, DirectoryEntry> Current { get; } = new(entries, StringComparer.Ordinal);

    /// <summary>The ranks of the unsynced changes, in order.</summary>
    public IReadOnlyList<long> ChangeRanks => [.. changes.Select(change => change.Rank)];

    /// <summary>Applies a change now and logs it (a null entry unlinks the name).</summary>
    public void Change(long rank, params (string Name, DirectoryEntry? Entry)[] change)
    {
        Apply(Current, change);
        changes.Add((rank, change));
    }

    /// <summary>Takes in an entry that was already there but unknown (made outside the file system): it counts as durable.</summary>
    public void Adopt(string name, DirectoryEntry entry)
    {
        Current[name] = entry;
        durable[name] = entry;
    }

    /// <summary>The directory sync: what is there now is durable.</summary>
    public void Sync()
    {
        durable = new Dictionary<string, DirectoryEntry>(Current, StringComparer.Ordinal);
        changes.Clear();
    }

    /// <summary>The durable entries plus the first <paramref name="kept"/> unsynced changes.</summary>
    public Dictionary<string, DirectoryEntry> AfterPowerLoss(int kept)
    {
        var after = new Dictionary<string, DirectoryEntry>(durable, StringComparer.Ordinal);
        foreach ((_, (string Name, DirectoryEntry? Entry)[] change) in changes.Take(kept))
        {
            Apply(after, change);
        }

        return after;
    }

    private static void Apply(Dictionary<string, DirectoryEntry> into, (string Name, DirectoryEntry? Entry)[] change)
    {
        foreach ((string name, DirectoryEntry? entry) in change)
        {
            if (entry is null)
            {
                into.Remove(name);
            }
            else
            {
                into[name] = entry;
            }
        }
    }
}
