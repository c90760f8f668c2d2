using Quasar.Storage;

namespace Quasar.Cli.Inspection;

/// <summary>
/// What the operator commands show of one ledger, read through <see cref="DbInspector"/>: its tail
/// record, its segments, and from them Head, the live entries and the bytes on disk.
/// </summary>
internal sealed class LedgerView
{
    private readonly DbInspector inspector;

    private LedgerView(DbInspector inspector, StoreInfo store, TailInfo tail, IReadOnlyList<SegmentInfo> segments)
    {
        this.inspector = inspector;
        Store = store;
        Tail = tail;
        Segments = segments;
        Head = segments.Count == 0 ? 0 : segments.Max(s => s.LastSequence);
        DataBytes = segments.Sum(s => s.DataLength);
        IndexBytes = segments.Sum(s => s.Index.Length);
        Entries = EntriesAbove(tail.Tail);
    }

    /// <summary>The ledger as the inspector found it.</summary>
    public StoreInfo Store { get; }

    /// <summary>Its tail record: the last deleted sequence.</summary>
    public TailInfo Tail { get; }

    /// <summary>Its segments in log order.</summary>
    public IReadOnlyList<SegmentInfo> Segments { get; }

    /// <summary>The last written sequence: the last segment keeps it even when every entry is deleted.</summary>
    public ulong Head { get; }

    /// <summary>Live entries: those above the Tail.</summary>
    public long Entries { get; }

    /// <summary>Bytes in segment files.</summary>
    public long DataBytes { get; }

    /// <summary>Bytes in index files (preallocated and sparse: their length overstates the disk used).</summary>
    public long IndexBytes { get; }

    /// <summary>Reads the ledger <paramref name="store"/> of <paramref name="inspector"/> (one scan of its segments).</summary>
    /// <param name="inspector">The inspector of the directory.</param>
    /// <param name="store">One of its ledgers.</param>
    /// <returns>The view.</returns>
    public static LedgerView Read(DbInspector inspector, StoreInfo store) =>
        new(inspector, store, inspector.ReadTail(store), [.. inspector.ReadSegments(store)]);

    /// <summary>
    /// Live entries after <paramref name="position"/>: a consumer's lag. Whole segments count by
    /// their entry counts; only the segment the position falls in is read entry by entry, so a
    /// large lag costs no more than a small one.
    /// </summary>
    /// <param name="position">A stored position (the consumer resumes after it).</param>
    /// <returns>How many live entries lie above it.</returns>
    public long EntriesAbove(ulong position)
    {
        ulong from = Math.Max(position, Tail.Tail);
        long count = 0;
        foreach (SegmentInfo segment in Segments.Where(s => s.EntryCount > 0 && s.LastSequence > from))
        {
            count += segment.FirstSequence > from
                ? segment.EntryCount
                : inspector.ReadEntries(Store, from + 1, segment.EntryCount).TakeWhile(e => e.Sequence <= segment.LastSequence).LongCount();
        }

        return count;
    }
}
