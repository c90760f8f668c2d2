namespace Quasar.Storage.Segments;

/// <summary>
/// One snapshot of a log's segments: the live segments in sequence order, each with the global
/// slot of its first slot, the first live global slot and the tail, and the arithmetic that maps
/// sequences and positions to segments and slots (glossary in <see cref="SegmentLog"/>). The log
/// replaces the whole snapshot on roll and delete and never changes one in place; only the
/// counts of its segments move, and they only grow.
/// </summary>
internal sealed class SegmentSet
{
    private readonly Segment[] segments;
    private readonly long[] firstGlobals;

    private SegmentSet(Segment[] segments, long[] firstGlobals, long firstLive, ulong tail)
    {
        this.segments = segments;
        this.firstGlobals = firstGlobals;
        FirstLive = firstLive;
        Tail = tail;
    }

    /// <summary>The global slot of the first entry above the tail (position 0).</summary>
    public long FirstLive { get; }

    /// <summary>The last deleted sequence.</summary>
    public ulong Tail { get; }

    /// <summary>The number of segments.</summary>
    public int Count => segments.Length;

    /// <summary>The segment at <paramref name="index"/> (0 = oldest).</summary>
    public Segment this[int index] => segments[index];

    /// <summary>The segments, oldest first.</summary>
    public ReadOnlySpan<Segment> Segments => segments;

    /// <summary>The global slot one past the last committed entry.</summary>
    public long End => segments.Length == 0 ? 0 : firstGlobals[^1] + segments[^1].Count;

    /// <summary>The number of live entries.</summary>
    public long Length => End - FirstLive;

    /// <summary>
    /// The snapshot of segments just opened, numbered from global slot 0, before the tail is
    /// applied (the caller then applies the tail file's with <see cref="WithTail"/>).
    /// </summary>
    public static SegmentSet Opened(Segment[] segments)
    {
        var firstGlobals = new long[segments.Length];
        long global = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            firstGlobals[i] = global;
            global += segments[i].Count;
        }

        return new SegmentSet(segments, firstGlobals, 0, 0);
    }

    /// <summary>The global slot of slot 0 of the segment at <paramref name="index"/>.</summary>
    public long FirstGlobal(int index) => firstGlobals[index];

    /// <summary>The first slot of the segment at <paramref name="index"/> that is live (negative when all are).</summary>
    public long FirstLiveSlot(int index) => FirstLive - firstGlobals[index];

    /// <summary>This snapshot with <paramref name="created"/> appended as the new last segment (a roll).</summary>
    public SegmentSet WithRolled(Segment created)
    {
        long firstGlobal = segments.Length == 0 ? FirstLive : End;
        return new SegmentSet([.. segments, created], [.. firstGlobals, firstGlobal], FirstLive, Tail);
    }

    /// <summary>
    /// This snapshot after a delete up to <paramref name="newTail"/>: the live entries start
    /// above it, and the leading segments that hold nothing above it - never the last one (Head
    /// and appends live there) - are left out and returned in <paramref name="dead"/>.
    /// </summary>
    public SegmentSet WithTail(ulong newTail, out Segment[] dead)
    {
        int deadCount = 0;
        while (deadCount < segments.Length - 1 && segments[deadCount].LastSequence <= newTail)
        {
            deadCount++;
        }

        dead = segments[..deadCount];
        return new SegmentSet(segments[deadCount..], firstGlobals[deadCount..], GlobalUpperBound(newTail), newTail);
    }

    /// <summary>The index of the segment holding global slot <paramref name="global"/> (the last one when past the end).</summary>
    public int SegmentAt(long global)
    {
        int low = 0;
        int high = segments.Length - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (firstGlobals[mid] <= global)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high;
    }

    /// <summary>The global slot of the first entry with a sequence above <paramref name="sequence"/> (the end when none).</summary>
    public long GlobalUpperBound(ulong sequence)
    {
        if (sequence == ulong.MaxValue)
        {
            return End;
        }

        int index = FirstSegmentReaching(sequence + 1);
        return index < segments.Length ? firstGlobals[index] + segments[index].LowerBoundOpening(sequence + 1) : End;
    }

    /// <summary>
    /// The index of the first segment whose last sequence is at least <paramref name="sequence"/>
    /// (the count when none, or the last segment when it holds no committed entry). A segment with
    /// no committed entry - only the last can be one: a roll publishes the new segment before its
    /// first batch commits - is left out of the search: its LastSequence (0, or the next batch's,
    /// published before Count) would break the order the binary search relies on.
    /// </summary>
    public int FirstSegmentReaching(ulong sequence)
    {
        int low = 0;
        int high = segments.Length;
        if (high > 0 && segments[high - 1].Count == 0)
        {
            high--;
        }

        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (segments[mid].LastSequence < sequence)
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
