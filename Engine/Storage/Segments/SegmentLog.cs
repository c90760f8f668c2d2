using System.Buffers;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// The ordered segments of one ledger plus its tail record: appends batches to the last segment,
/// rolls to a new one at the size limit, reads by sequence or by position, and drops whole
/// segments below the tail. Mutations (append, delete, sync, dispose) are serialized by the
/// caller; reads run concurrently with them.
/// </summary>
internal sealed class SegmentLog : IDisposable
{
    private readonly IFileSystem fs;
    private readonly ILogger logger;
    private readonly string name;
    private readonly long segmentSize;
    private readonly bool syncWrites;
    private readonly TailFile tailFile;
    private volatile LogState state;

    private SegmentLog(IFileSystem fs, string directory, string name, long segmentSize, bool syncWrites, ILogger logger, TailFile tailFile, LogState state)
    {
        this.fs = fs;
        Directory = directory;
        this.name = name;
        this.segmentSize = segmentSize;
        this.syncWrites = syncWrites;
        this.logger = logger;
        this.tailFile = tailFile;
        this.state = state;
    }

    /// <summary>The immutable part of the log's state, swapped whole on roll and delete.</summary>
    /// <param name="Segments">The live segments in sequence order.</param>
    /// <param name="FirstLive">The global slot number of the first entry above the tail.</param>
    /// <param name="Tail">The last deleted sequence.</param>
    private sealed record LogState(Segment[] Segments, long FirstLive, ulong Tail);

    /// <summary>The directory holding the log's files.</summary>
    public string Directory { get; }

    /// <summary>The last written sequence (or the tail, when everything was deleted and that is larger).</summary>
    /// <remarks>
    /// Read from the same published slot count that Read, Index and Length use, so no reader sees a
    /// Head whose entry it cannot read, nor an entry above Head. The state a reader captured can be
    /// stale: after it the writer may roll and write, and a delete unlink the segment that was last
    /// in it. So the slot is read under a lease (the slots of a closed segment are unmapped memory),
    /// and a segment closed under the reader sends it to the newer state.
    /// </remarks>
    public ulong Head
    {
        get
        {
            while (true)
            {
                LogState current = state;
                if (TryGetHead(current, out ulong head))
                {
                    return head;
                }
            }
        }
    }

    /// <summary>Head as <paramref name="current"/> has it; false when one of its segments was deleted under the reader.</summary>
    private bool TryGetHead(LogState current, out ulong head)
    {
        Segment[] segments = current.Segments;
        for (int i = segments.Length - 1; i >= 0; i--)
        {
            Segment segment = segments[i];
            if (!segment.TryAcquire())
            {
                // Delete publishes the new state before it closes a segment, so a changed state
                // means a delete; an unchanged one a log being disposed.
                if (!ReferenceEquals(state, current))
                {
                    head = 0;
                    return false;
                }

                continue;
            }

            try
            {
                ulong last = segment.LastCommittedSequence();
                if (last != 0)
                {
                    head = Math.Max(last, current.Tail);
                    return true;
                }
            }
            finally
            {
                segment.Release();
            }
        }

        head = current.Tail;
        return true;
    }

    /// <summary>The last deleted sequence.</summary>
    public ulong Tail => state.Tail;

    /// <summary>The number of live entries.</summary>
    public long Length => LengthOf(state);

    /// <summary>The number of segment files.</summary>
    public int SegmentCount => state.Segments.Length;

    /// <summary>Opens (creating if needed) the log in the context's directory and recovers it.</summary>
    public static SegmentLog Open(StoreContext context, string name, long segmentSize)
    {
        context.PrepareDirectory();
        (IFileSystem fs, string directory, bool syncWrites, ILogger logger) = context;
        TailFile tailFile = TailFile.Open(fs, Path.Combine(directory, TailFile.FileName));
        var segments = new List<Segment>();
        try
        {
            OpenSegments(fs, directory, name, segmentSize, logger, segments);
            ulong tail = tailFile.Tail;
            // Finish a delete a crash interrupted between persisting the tail and unlinking.
            int dead = DeadPrefix(segments, tail);
            Unlink(fs, logger, name, segments.GetRange(0, dead), tail);
            segments.RemoveRange(0, dead);
            long global = 0;
            foreach (Segment segment in segments)
            {
                segment.FirstGlobal = global;
                global += segment.Count;
            }

            Segment[] array = [.. segments];
            var initial = new LogState(array, GlobalUpperBound(array, tail), tail);
            return new SegmentLog(fs, directory, name, segmentSize, syncWrites, logger, tailFile, initial);
        }
        catch
        {
            foreach (Segment segment in segments)
            {
                segment.Release();
            }

            tailFile.Dispose();
            throw;
        }
    }

    private static void OpenSegments(IFileSystem fs, string directory, string name, long segmentSize, ILogger logger, List<Segment> segments)
    {
        var found = new List<(ulong Base, string Path)>();
        foreach (string path in fs.ListFiles(directory, "*" + Segment.DataExtension))
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            if (stem.Length == Sequence.EncodedLength && Sequence.TryDecode(System.Text.Encoding.ASCII.GetBytes(stem), out ulong baseSequence))
            {
                found.Add((baseSequence, path));
            }
            else
            {
                Log.UnexpectedFile(logger, name, path);
            }
        }

        found.Sort((a, b) => a.Base.CompareTo(b.Base));
        var recovery = new SegmentRecovery(fs, logger);
        ulong previous = 0;
        for (int i = 0; i < found.Count; i++)
        {
            bool isLast = i == found.Count - 1;
            Segment? segment = isLast
                ? recovery.OpenActive(found[i].Path, found[i].Base, segmentSize)
                : recovery.OpenSealed(found[i].Path, found[i].Base);
            if (segment is null)
            {
                continue;
            }

            segments.Add(segment);
            if (segment.BaseSequence <= previous)
            {
                throw new CorruptionException(segment.DataPath, SegmentFormat.HeaderSize, $"segment starts at sequence {segment.BaseSequence}, not after the previous segment's last sequence {previous}");
            }

            previous = segment.LastSequence;
        }
    }

    /// <summary>How many leading segments hold nothing above <paramref name="tail"/>; never the last one (Head and appends live there).</summary>
    private static int DeadPrefix(IReadOnlyList<Segment> segments, ulong tail)
    {
        int dead = 0;
        while (dead < segments.Count - 1 && segments[dead].LastSequence <= tail)
        {
            dead++;
        }

        return dead;
    }

    /// <summary>Unlinks dead segments and drops the log's lease on them (readers holding one finish first).</summary>
    private static void Unlink(IFileSystem fs, ILogger logger, string name, IEnumerable<Segment> dead, ulong tail)
    {
        foreach (Segment segment in dead)
        {
            segment.DeleteFiles(fs);
            Log.SegmentDeleted(logger, name, segment.DataPath, tail);
            segment.Release();
        }
    }

    /// <summary>
    /// Appends one batch (already validated by the ledger: non-empty, increasing, above Head,
    /// within the size limits) whose encoded <paramref name="length"/> the ledger measured with
    /// <see cref="SegmentFormat.MeasureBatch"/>. One positional write, plus one data sync when writes are durable.
    /// </summary>
    public void Append(ReadOnlySpan<Entry> entries, long length)
    {
        Segment active = ActiveSegmentFor(entries, length);
        byte[] record = ArrayPool<byte>.Shared.Rent((int)length);
        int[] offsets = ArrayPool<int>.Shared.Rent(entries.Length);
        try
        {
            SegmentFormat.WriteBatch(record.AsSpan(0, (int)length), entries, offsets, durable: syncWrites);
            active.Append(record.AsSpan(0, (int)length), entries, offsets.AsSpan(0, entries.Length), syncWrites);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    private Segment ActiveSegmentFor(ReadOnlySpan<Entry> entries, long length)
    {
        LogState current = state;
        Segment? active = current.Segments.Length == 0 ? null : current.Segments[^1];
        if (active is not null && !active.IsSealed
            && (active.Count == 0 || (active.DataLength + length <= segmentSize && active.Count + entries.Length <= active.SlotCapacity)))
        {
            return active;
        }

        if (active is not null && !active.IsSealed)
        {
            active.Seal();
        }

        // A batch larger than a segment gets a segment of its own, sized for it.
        long slotCapacity = Math.Max(segmentSize, SegmentFormat.HeaderSize + length) / SegmentFormat.EntryHeaderSize;
        Segment created = Segment.Create(fs, Directory, entries[0].Sequence, slotCapacity);
        created.FirstGlobal = active is null ? current.FirstLive : active.FirstGlobal + active.Count;
        if (syncWrites)
        {
            fs.SyncDirectory(Directory);
        }

        state = current with { Segments = [.. current.Segments, created] };
        Log.SegmentRolled(logger, name, created.DataPath);
        return created;
    }

    /// <summary>
    /// Deletes every entry at or below <paramref name="newTail"/> (which the ledger has checked
    /// lies above the current tail and at or below Head): persists the tail first, then unlinks
    /// the sealed segments that hold nothing above it. Returns how many entries were removed.
    /// </summary>
    public long Delete(ulong newTail)
    {
        LogState current = state;
        long firstLive = GlobalUpperBound(current.Segments, newTail);
        long removed = firstLive - current.FirstLive;
        tailFile.Write(newTail, syncWrites);

        int dead = DeadPrefix(current.Segments, newTail);
        state = new LogState(current.Segments[dead..], firstLive, newTail);
        Unlink(fs, logger, name, current.Segments[..dead], newTail);
        return removed;
    }

    /// <summary>
    /// Appends up to <paramref name="amount"/> live entries from the first one at or after <paramref name="sequence"/>.
    /// A segment deleted under the read means the tail passed it, and with it every entry read so
    /// far (deletion cuts a prefix): those are dropped and the read starts over on the new state.
    /// Skipping the segment instead would return a run with a hole in it, or one that stops short
    /// of the newer segments the captured state does not list.
    /// </summary>
    public void Read(ulong sequence, int amount, List<Entry> into)
    {
        int start = into.Count;
        while (!TryRead(state, sequence, amount, into))
        {
            into.RemoveRange(start, into.Count - start);
        }
    }

    /// <summary>One attempt of <see cref="Read"/> on <paramref name="current"/>; false when a segment was deleted under it.</summary>
    private bool TryRead(LogState current, ulong sequence, int amount, List<Entry> into)
    {
        Segment[] segments = current.Segments;
        int remaining = amount;
        for (int index = FirstSegmentReaching(segments, sequence); remaining > 0 && index < segments.Length; index++)
        {
            Segment segment = segments[index];
            if (!segment.TryAcquire())
            {
                // Delete publishes the new state before it closes a segment, so a changed state
                // means a delete; an unchanged one a log being disposed, which has nothing to read.
                if (!ReferenceEquals(state, current))
                {
                    return false;
                }

                continue;
            }

            try
            {
                // The count is read once, before the search: LowerBound answers "none at or after
                // the sequence" with the count it saw, and reading from there up to a later count
                // would return a batch appended meanwhile from below the sequence asked for.
                long available = segment.Count;
                long slot = Math.Max(segment.LowerBound(sequence), current.FirstLive - segment.FirstGlobal);
                int count = (int)Math.Min(remaining, available - slot);
                if (count > 0)
                {
                    segment.ReadEntries(slot, count, into);
                    remaining -= count;
                }
            }
            finally
            {
                segment.Release();
            }
        }

        return true;
    }

    /// <summary>The sequence of the live entry at <paramref name="position"/> (0 = oldest); false when out of range.</summary>
    public bool TryGetSequenceAt(long position, out ulong sequence)
    {
        while (true)
        {
            LogState current = state;
            sequence = 0;
            long length = LengthOf(current); // the same snapshot as the segments searched below
            if (position < 0 || position >= length)
            {
                return false;
            }

            long global = current.FirstLive + position;
            int index = SegmentAt(current.Segments, global);
            Segment segment = current.Segments[index];
            if (!segment.TryAcquire())
            {
                continue; // deleted under us: look again in the new state
            }

            try
            {
                sequence = segment.SequenceAt(global - segment.FirstGlobal);
                return true;
            }
            finally
            {
                segment.Release();
            }
        }
    }

    private static long LengthOf(LogState current) =>
        current.Segments.Length == 0 ? 0 : current.Segments[^1].FirstGlobal + current.Segments[^1].Count - current.FirstLive;

    /// <summary>The number of live entries above <paramref name="sequence"/> (the caller excludes deletes).</summary>
    public long CountAfter(ulong sequence)
    {
        LogState current = state;
        return End(current.Segments) - Math.Max(GlobalUpperBound(current.Segments, sequence), current.FirstLive);
    }

    /// <summary>Makes everything appended and deleted so far durable.</summary>
    public void Sync()
    {
        Segment[] segments = state.Segments;
        if (segments.Length > 0 && !segments[^1].IsSealed)
        {
            segments[^1].SyncData();
        }

        tailFile.Sync();
    }

    /// <summary>Syncs and closes every file (no call may be in flight).</summary>
    public void Dispose()
    {
        try
        {
            Sync();
        }
        finally
        {
            foreach (Segment segment in state.Segments)
            {
                segment.Release();
            }

            tailFile.Dispose();
        }
    }

    /// <summary>The index of the segment holding global slot <paramref name="global"/> (the last one when past the end).</summary>
    private static int SegmentAt(Segment[] segments, long global)
    {
        int low = 0;
        int high = segments.Length - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (segments[mid].FirstGlobal <= global)
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

    /// <summary>The global slot number of the first entry with a sequence of at least <paramref name="sequence"/> (the end when none).</summary>
    private static long GlobalLowerBound(Segment[] segments, ulong sequence)
    {
        int index = FirstSegmentReaching(segments, sequence);
        return index < segments.Length ? segments[index].FirstGlobal + segments[index].LowerBound(sequence) : End(segments);
    }

    /// <summary>The global slot number of the first entry with a sequence above <paramref name="sequence"/> (the end when none).</summary>
    private static long GlobalUpperBound(Segment[] segments, ulong sequence) =>
        sequence == ulong.MaxValue ? End(segments) : GlobalLowerBound(segments, sequence + 1);

    private static long End(Segment[] segments) => segments.Length == 0 ? 0 : segments[^1].FirstGlobal + segments[^1].Count;

    /// <summary>
    /// The index of the first segment whose last sequence is at least <paramref name="sequence"/>
    /// (the length when none, or the last segment when it holds no committed entry). A segment with
    /// no committed entry - only the last can be one: a roll publishes the new segment before its
    /// first batch commits - is left out of the search: its LastSequence (0, or the next batch's,
    /// published before Count) would break the order the binary search relies on.
    /// </summary>
    private static int FirstSegmentReaching(Segment[] segments, ulong sequence)
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
