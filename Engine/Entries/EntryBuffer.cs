namespace Quasar;

/// <summary>
/// A fixed-capacity circular buffer of entries: pushing into a full buffer overwrites the oldest.
/// Not thread-safe; its owner (for example a ledger's cache) serializes access.
/// </summary>
public sealed class EntryBuffer
{
    private readonly int capacity;
    private Entry[] slots;
    private int oldest;

    /// <summary>Creates an empty buffer.</summary>
    /// <param name="capacity">The most entries it holds (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public EntryBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        slots = new Entry[InitialCapacity.For(capacity)];
    }

    /// <summary>The most entries the buffer holds.</summary>
    public int Capacity => capacity;

    /// <summary>The number of entries held now.</summary>
    public int Count { get; private set; }

    /// <summary>Appends entries as the newest, overwriting the oldest ones when full.</summary>
    /// <param name="entries">The entries, oldest first.</param>
    public void Push(params ReadOnlySpan<Entry> entries)
    {
        // Only the last Capacity entries can survive the push.
        if (entries.Length > capacity)
        {
            entries = entries[^capacity..];
        }

        foreach (Entry entry in entries)
        {
            if (Count == slots.Length && Count < capacity)
            {
                Grow();
            }

            int slot = Wrap(oldest + Count);
            slots[slot] = entry;
            if (Count == capacity)
            {
                oldest = Wrap(oldest + 1);
            }
            else
            {
                Count++;
            }
        }
    }

    /// <summary>Gets the entry at a position: 0 is the oldest, -1 the newest (negative counts back from the newest).</summary>
    /// <param name="index">The position; valid from <c>-Count</c> to <c>Count - 1</c>.</param>
    /// <param name="entry">The entry, or default when the position is out of range.</param>
    /// <returns><see langword="true"/> when the position holds an entry.</returns>
    public bool TryGet(int index, out Entry entry)
    {
        if (index < 0)
        {
            index += Count;
        }

        if ((uint)index >= (uint)Count)
        {
            entry = default;
            return false;
        }

        entry = slots[Wrap(oldest + index)];
        return true;
    }

    /// <summary>Visits the entries from oldest to newest until the visitor returns <see langword="false"/>.</summary>
    /// <param name="visitor">Called with each entry; returns whether to go on.</param>
    public void Scan(Func<Entry, bool> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        for (int i = 0; i < Count; i++)
        {
            if (!visitor(slots[Wrap(oldest + i)]))
            {
                return;
            }
        }
    }

    /// <summary>Drops the oldest entries while <paramref name="predicate"/> returns <see langword="true"/> for them.</summary>
    /// <param name="predicate">Called with the oldest remaining entry; returns whether to drop it.</param>
    public void Trim(Func<Entry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        while (Count > 0 && predicate(slots[oldest]))
        {
            slots[oldest] = default; // release the payload and object for the GC
            oldest = Wrap(oldest + 1);
            Count--;
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        Array.Clear(slots);
        oldest = 0;
        Count = 0;
    }

    /// <summary>Enlarges a full buffer below its capacity, the entries unwrapped to start at slot 0.</summary>
    private void Grow()
    {
        var larger = new Entry[InitialCapacity.Grown(slots.Length, capacity)];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = slots[Wrap(oldest + i)];
        }

        slots = larger;
        oldest = 0;
    }

    private int Wrap(int index) => index >= slots.Length ? index - slots.Length : index;
}
