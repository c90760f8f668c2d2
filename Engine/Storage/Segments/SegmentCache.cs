namespace Quasar.Storage.Segments;

/// <summary>
/// Bounds how many sealed segments of one <see cref="Db"/> have their files open (descriptors and
/// mappings: <see cref="DbOptions.MaxOpenSegments"/>), as a table cache bounds a key-value store's
/// open files. A sealed segment's files are opened on the first read that needs them and join the
/// cache; when the cache holds more than its capacity, the least recently used idle ones are
/// closed (CLOCK: one "used" bit per entry, so a cache hit takes no lock). Active segments are
/// not counted: their files stay open while they are appended to, then join the cache when sealed.
/// </summary>
/// <remarks>
/// Protocol. <c>ring</c>, <c>hand</c> and membership change only under <c>gate</c>. Membership is
/// the cache's lease on a segment's files (<see cref="SegmentFiles"/>): a segment joins with its
/// files open and that lease handed over, and leaves either by eviction (only when no reader holds
/// the files: <see cref="SegmentFiles.TryRetire"/>) or by <see cref="Remove"/> when the segment
/// itself closes (deleted or its log disposed), which releases the lease. Both run under the
/// gate, so the lease is returned exactly once. When every entry is in use the cache stays over
/// its capacity for that moment, never closing files under a reader; readers returning a lease
/// trim it (<see cref="TrimIfOver"/>). <c>count</c> mirrors <c>ring.Count</c> for that lock-free check.
/// </remarks>
internal sealed class SegmentCache
{
    private readonly object gate = new();
    private readonly List<Segment> ring = [];
    private int hand;
    private volatile int count;

    /// <summary>A cache that keeps at most <paramref name="capacity"/> idle sealed segments open.</summary>
    public SegmentCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most sealed segments kept open while no reader holds them.</summary>
    public int Capacity { get; }

    /// <summary>How many sealed segments have their files open now.</summary>
    public int OpenCount => count;

    /// <summary>Adds a segment whose files were just opened (or sealed), handing the owner's lease on them to the cache; evicts idle ones beyond the capacity.</summary>
    public void Add(Segment segment)
    {
        lock (gate)
        {
            ring.Add(segment);
            count = ring.Count;
            EvictBeyondCapacity();
        }
    }

    /// <summary>Removes a closing segment and closes its files; false when it was not in the cache.</summary>
    public bool Remove(Segment segment)
    {
        lock (gate)
        {
            int at = ring.IndexOf(segment);
            if (at < 0)
            {
                return false;
            }

            RemoveAt(at);
            segment.ReleaseCachedFiles();
            return true;
        }
    }

    /// <summary>Closes idle segments while the cache holds more than its capacity (after readers kept it over).</summary>
    public void TrimIfOver()
    {
        if (count > Capacity)
        {
            lock (gate)
            {
                EvictBeyondCapacity();
            }
        }
    }

    /// <summary>
    /// The CLOCK sweep: an entry used since the hand last passed gets a second chance, an idle one
    /// is closed. Two turns at most: every bit is clear after the first, so what is left is in use.
    /// </summary>
    private void EvictBeyondCapacity()
    {
        for (int budget = 2 * ring.Count; ring.Count > Capacity && budget > 0; budget--)
        {
            if (hand >= ring.Count)
            {
                hand = 0;
            }

            if (ring[hand].TryEvictFiles())
            {
                RemoveAt(hand);
            }
            else
            {
                hand++;
            }
        }
    }

    private void RemoveAt(int at)
    {
        ring.RemoveAt(at);
        count = ring.Count;
        if (hand > at)
        {
            hand--;
        }
    }
}
