namespace Quasar;

/// <summary>
/// The newest entries of a ledger kept in memory: payloads copied (one array per batch, so a
/// write allocates nothing per entry), <see cref="Entry.Object"/> kept. Thread-safe.
/// </summary>
internal sealed class LedgerCache(int capacity)
{
    private readonly EntryBuffer buffer = new(capacity);
    private readonly object sync = new();

    /// <summary>
    /// The most bytes of payload copies sharing one array: below the large object heap threshold,
    /// so the copies are ordinary gen0 objects that die young with the entries.
    /// </summary>
    private const int ChunkBytes = 80 * 1024;

    /// <summary>Adds a written batch (only its newest <c>capacity</c> entries can stay).</summary>
    public void Add(ReadOnlySpan<Entry> entries)
    {
        if (entries.Length > capacity)
        {
            entries = entries[^capacity..];
        }

        long remaining = 0;
        foreach (Entry entry in entries)
        {
            remaining += entry.Payload.Length;
        }

        lock (sync)
        {
            byte[] chunk = [];
            int offset = 0;
            foreach (Entry entry in entries)
            {
                int length = entry.Payload.Length;
                if (length > chunk.Length - offset)
                {
                    chunk = GC.AllocateUninitializedArray<byte>((int)Math.Max(length, Math.Min(ChunkBytes, remaining)));
                    offset = 0;
                }

                entry.Payload.Span.CopyTo(chunk.AsSpan(offset));
                buffer.Push(entry with { Payload = chunk.AsMemory(offset, length) });
                offset += length;
                remaining -= length;
            }
        }
    }

    /// <summary>Reads from the cache when it holds <paramref name="sequence"/>'s position (its oldest entry is at or before it).</summary>
    /// <remarks>
    /// Only a cache that is current up to <paramref name="head"/> answers: a write publishes its
    /// batch in the log before it adds it here, so a reader that has seen the new Head must not get
    /// a cached answer that stops short of it.
    /// </remarks>
    public bool TryRead(ulong sequence, int amount, ulong head, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<Entry>? entries)
    {
        entries = null;
        lock (sync)
        {
            if (!buffer.TryGet(0, out Entry oldest) || oldest.Sequence > sequence
                || !buffer.TryGet(-1, out Entry newest) || newest.Sequence < head)
            {
                return false;
            }

            int first = FirstAtOrAfter(sequence);
            int count = Math.Min(amount, buffer.Count - first);
            entries = new List<Entry>(Math.Max(count, 0));
            for (int i = 0; i < count; i++)
            {
                buffer.TryGet(first + i, out Entry entry);
                entries.Add(entry);
            }

            return true;
        }
    }

    /// <summary>Drops the cached entries at or below <paramref name="tail"/>.</summary>
    public void TrimThrough(ulong tail)
    {
        lock (sync)
        {
            buffer.Trim(entry => entry.Sequence <= tail);
        }
    }

    /// <summary>Empties the cache.</summary>
    public void Clear()
    {
        lock (sync)
        {
            buffer.Clear();
        }
    }

    private int FirstAtOrAfter(ulong sequence)
    {
        int low = 0;
        int high = buffer.Count;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            buffer.TryGet(mid, out Entry entry);
            if (entry.Sequence < sequence)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
