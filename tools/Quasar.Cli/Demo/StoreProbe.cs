namespace Quasar.Cli.Demo;

/// <summary>Reads the queue's state for the dashboard through the public API and the file system.</summary>
/// <param name="queue">The demo's queue.</param>
/// <param name="directory">The database directory.</param>
internal sealed class StoreProbe(Queue queue, string directory)
{
    /// <summary>The ledger's counters and the bytes in its files.</summary>
    /// <returns>The state now.</returns>
    public StoreState Read()
    {
        int segments = 0;
        long bytes = 0;
        foreach (FileInfo file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                if (file.Extension == ".idx")
                {
                    continue; // sized for a full segment and sparse: its length says nothing about the disk
                }

                segments += file.Extension == ".seg" ? 1 : 0;
                bytes += file.Length;
            }
            catch (FileNotFoundException)
            {
                // the cleaner removed it between listing and reading
            }
        }

        Ledger ledger = queue.Ledger;
        return new StoreState(ledger.Length, ledger.Head, ledger.Tail, segments, bytes);
    }

    /// <summary>The first position stored for <paramref name="name"/> (0 when none).</summary>
    /// <param name="name">A consumer's name.</param>
    /// <returns>The position a restart of that consumer resumes after.</returns>
    public ulong StoredPosition(string name)
    {
        ulong[] positions = queue.Table.Get(name);
        return positions.Length > 0 ? positions[0] : 0;
    }

    /// <summary>Entries in the ledger after <paramref name="position"/>: a binary search over <see cref="Ledger.Index"/>.</summary>
    /// <param name="position">A stored position.</param>
    /// <returns>How many entries a consumer resuming after it has ahead of it (approximate while the ledger changes).</returns>
    public long EntriesAfter(ulong position)
    {
        Ledger ledger = queue.Ledger;
        long length = ledger.Length;
        long low = 0;
        long high = length;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            (ulong sequence, bool found) = ledger.Index(middle);
            if (found && sequence <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle; // beyond the position, or the cleaner shortened the ledger meanwhile
            }
        }

        return length - low;
    }
}
