using Quasar.Diagnostics;

namespace Quasar.Storage.Segments;

/// <summary>
/// The ordered segments of one ledger plus its tail record: appends batches to the last segment,
/// rolls to a new one at the size limit, reads by sequence or by position, and drops whole
/// segments below the tail. Opening (and recovery after a crash) is <see cref="SegmentRecovery"/>.
/// </summary>
/// <remarks>
/// <para><b>Glossary.</b> A <i>slot</i> is an entry's number inside one segment (0 = the
/// segment's first entry; its 16-byte index slot describes it). A <i>global slot</i> numbers the
/// entries of all segments in one run, from 0 at the first segment found on open: segment k's
/// slot i is global slot <see cref="SegmentSet.FirstGlobal"/>(k) + i. It is never stored (it
/// starts again at every open), and a delete does not renumber it. A <i>position</i> is what
/// <c>Ledger.Index</c> speaks: 0 is the oldest live entry (the first above the tail), so position
/// p is global slot <see cref="SegmentSet.FirstLive"/> + p; a delete moves FirstLive, and with it
/// every position.</para>
/// <para><b>Concurrency.</b></para>
/// <list type="bullet">
/// <item><b>Single writer.</b> Append, Delete, Sync and Dispose are serialized by the caller (the
/// ledger's write lock and call gate); Dispose runs only once no call is in flight. Everything
/// else (Head, Tail, Length, Read, TryGetSequenceAt, CountAfter) runs concurrently with them.</item>
/// <item><b>Snapshot.</b> <c>state</c> is one immutable <see cref="SegmentSet"/>, written only by the
/// writer and replaced whole (a volatile write) on a roll and on a delete. A reader captures it
/// once and does all its arithmetic on that capture. Within a snapshot only the segments'
/// committed counts move (forward, by whole batches), and a roll seals the last one before it
/// publishes the next snapshot. <c>tailFile</c> and <c>leftover</c> belong to the writer; readers learn the tail from
/// the snapshot.</item>
/// <item><b>Publication order.</b> An append writes the batch record (and syncs it when writes are
/// durable), then its index slots, then the segment's last sequence and data length, and last its
/// count (<see cref="Segment.Count"/>, a volatile write): a reader that sees the count sees every
/// slot and byte below it, never part of a batch. A roll seals the old segment, appends the first
/// batch to the new one, and only then publishes the snapshot with it: no reader ever sees a
/// segment without a batch, and a first append that fails leaves nothing to unpublish. Head, Read, Index and Length all derive from the same published counts,
/// and a reader reads a segment's count once per use (a second read could expose a batch from
/// below the sequence it asked for).</item>
/// <item><b>Leases.</b> Every segment is reference counted: the log holds one lease for as long as
/// the segment is in its snapshot, and a reader takes one (<see cref="SegmentLease"/>) for the time
/// it touches the segment's files and mapped slots, so the files are closed and the index unmapped
/// only after the last reader is done - never under one. The lease covers the segment's open
/// files too: a sealed segment's are opened on demand and closed by the Db's
/// <see cref="SegmentCache"/> only while no reader holds them.</item>
/// <item><b>Publish before unlink.</b> A delete persists the tail first, then publishes the snapshot
/// without the dead segments, and only then unlinks them and drops the log's lease. So a reader
/// whose lease is refused knows, by its snapshot no longer being the log's, that a delete passed
/// the segment and every entry read so far (deletion cuts a prefix): it drops them and starts over
/// on the new snapshot. Skipping the segment instead would return a run with a hole, or one that
/// stops short of the newer segments its snapshot does not list. A refused lease in the current
/// snapshot means the log is being disposed: nothing to read.</item>
/// </list>
/// </remarks>
internal sealed class SegmentLog : IDisposable
{
    private readonly StoreContext context;
    private readonly string name;
    private readonly long segmentSize;
    private readonly TailFile tailFile;
    private volatile SegmentSet state;
    private string? leftover;

    // Whether a segment was created since the directory was last synced (writer only): without
    // SyncWrites a roll does not sync the directory, so Sync must, or a power loss after it could
    // forget the new segment's name (storage review F11).
    private bool directoryUnsynced;

    private SegmentLog(StoreContext context, string name, long segmentSize, TailFile tailFile, SegmentSet state)
    {
        this.context = context;
        this.name = name;
        this.segmentSize = segmentSize;
        this.tailFile = tailFile;
        this.state = state;
    }

    /// <summary>The largest payload one entry may carry (16 MiB).</summary>
    public const int MaxPayloadLength = SegmentFormat.MaxPayloadLength;

    /// <summary>The last written sequence (or the tail, when everything was deleted and that is larger).</summary>
    /// <remarks>
    /// Read from the same published slot count that Read, Index and Length use, so no reader sees a
    /// Head whose entry it cannot read, nor an entry above Head. The snapshot can be stale: after it
    /// the writer may roll and write, and a delete unlink the segment that was last in it. So the
    /// slot is read under a lease (the slots of a closed segment are unmapped memory), and a lease
    /// refused by a delete sends the reader to the newer snapshot.
    /// </remarks>
    public ulong Head
    {
        get
        {
            while (true)
            {
                if (TryGetHead(state, out ulong head))
                {
                    return head;
                }
            }
        }
    }

    /// <summary>The last deleted sequence.</summary>
    public ulong Tail => state.Tail;

    /// <summary>The number of live entries.</summary>
    public long Length => state.Length;

    /// <summary>The number of segment files.</summary>
    public int SegmentCount => state.Count;

    /// <summary>Opens (creating if needed) the log in the context's directory, recovering it after a crash.</summary>
    public static SegmentLog Open(StoreContext context, string name, long segmentSize)
    {
        (TailFile tailFile, SegmentSet segments) = SegmentRecovery.Open(context, name, segmentSize);
        return new SegmentLog(context, name, segmentSize, tailFile, segments);
    }

    /// <summary>The encoded size of a batch holding <paramref name="entries"/>, checking that it can be written (the first check of a write).</summary>
    /// <exception cref="ArgumentException">A payload is longer than <see cref="MaxPayloadLength"/>, or the batch would encode to 2 GiB or more.</exception>
    public static long MeasureBatch(ReadOnlySpan<Entry> entries) => SegmentFormat.MeasureBatch(entries);

    /// <summary>
    /// Appends one batch (already validated by the ledger: non-empty, increasing, above Head,
    /// within the size limits) whose encoded <paramref name="length"/> the ledger measured with
    /// <see cref="MeasureBatch"/>. One positional write, plus one data sync when writes are durable.
    /// </summary>
    /// <exception cref="IOException">The write failed, or an earlier failure left files that only a reopen can sort out.</exception>
    public void Append(ReadOnlySpan<Entry> entries, long length)
    {
        if (leftover is not null)
        {
            throw new IOException($"A segment of a failed write could not be removed ('{leftover}'); reopen the store to recover it.");
        }

        SegmentSet current = state;
        Segment? active = current.Count == 0 ? null : current[^1];
        if (active is not null && !active.IsSealed
            && active.DataLength + length <= segmentSize && active.Count + entries.Length <= active.SlotCapacity)
        {
            active.Append(entries, length, context.SyncWrites);
            return;
        }

        if (active is not null && !active.IsSealed)
        {
            active.Seal();
        }

        AppendToNewSegment(current, entries, length);
    }

    /// <summary>
    /// Creates a segment named for the batch and sized for it, appends the batch, and only then
    /// publishes the snapshot with it: a first append that fails leaves no segment behind (its
    /// files are removed), so the next batch, whatever its sequences, gets a segment of its own.
    /// </summary>
    private void AppendToNewSegment(SegmentSet current, ReadOnlySpan<Entry> entries, long length)
    {
        // A batch larger than a segment gets a segment of its own, sized for it.
        long slotCapacity = Math.Max(segmentSize, SegmentFormat.HeaderSize + length) / SegmentFormat.EntryHeaderSize;
        Segment created = Segment.Create(context, entries[0].Sequence, slotCapacity);
        try
        {
            if (context.SyncWrites)
            {
                context.FileSystem.SyncDirectory(context.Directory);
            }
            else
            {
                directoryUnsynced = true;
            }

            created.Append(entries, length, context.SyncWrites);
        }
        catch
        {
            if (!created.Discard())
            {
                // Its files may hold the failed batch, under a name the next batch would not
                // replace: recovery decides about them, so nothing more is written until a reopen.
                leftover = created.DataPath;
            }

            throw;
        }

        state = current.WithRolled(created);
        Log.SegmentRolled(context.Logger, name, created.DataPath);
    }

    /// <summary>
    /// Deletes every entry at or below <paramref name="newTail"/> (which the ledger has checked
    /// lies above the current tail and at or below Head): persists the tail first (synced whenever
    /// segments are unlinked), then publishes the snapshot without the sealed segments that hold
    /// nothing above it, then unlinks them. Returns how many entries were removed.
    /// </summary>
    public long Delete(ulong newTail)
    {
        SegmentSet current = state;
        SegmentSet next = current.WithTail(newTail, out Segment[] dead);

        // An unlink can reach the disk before an unsynced tail does; a power loss between them
        // would bring deleted entries of the surviving segments back (FORMAT.md, invariant 4).
        // So a delete that unlinks syncs the tail even without SyncWrites.
        tailFile.Write(newTail, context.SyncWrites || dead.Length > 0);
        state = next;
        Unlink(context, name, dead, newTail);
        return next.FirstLive - current.FirstLive;
    }

    /// <summary>Unlinks dead segments (already out of the published snapshot) and drops the log's lease on them; readers holding one finish first.</summary>
    internal static void Unlink(StoreContext context, string name, Segment[] dead, ulong tail)
    {
        foreach (Segment segment in dead)
        {
            segment.MarkUnlinked();
            segment.DeleteFiles();
            Log.SegmentDeleted(context.Logger, name, segment.DataPath, tail);
            segment.Release();
        }
    }

    /// <summary>
    /// Appends up to <paramref name="amount"/> live entries from the first one at or after
    /// <paramref name="sequence"/>. A delete that closes a segment under the read sends it back to
    /// the start on the new snapshot, without the entries read so far (see "Concurrency").
    /// </summary>
    public void Read(ulong sequence, int amount, List<Entry> into)
    {
        int start = into.Count;
        while (!TryRead(state, sequence, amount, into))
        {
            into.RemoveRange(start, into.Count - start);
        }
    }

    /// <summary>One attempt of <see cref="Read"/> on <paramref name="snapshot"/>; false when a delete closed a segment under it.</summary>
    private bool TryRead(SegmentSet snapshot, ulong sequence, int amount, List<Entry> into)
    {
        int remaining = amount;
        for (int index = snapshot.FirstSegmentReaching(sequence); remaining > 0 && index < snapshot.Count; index++)
        {
            using SegmentLease lease = Lease(snapshot, index);
            if (lease.IsStale)
            {
                return false;
            }

            if (!lease.IsHeld)
            {
                continue;
            }

            // The count is read once, before the search: LowerBound answers "none at or after
            // the sequence" with the count it saw, and reading from there up to a later count
            // would return a batch appended meanwhile from below the sequence asked for.
            Segment segment = lease.Segment;
            long available = segment.Count;
            long slot = Math.Max(segment.LowerBound(sequence), snapshot.FirstLiveSlot(index));
            int count = (int)Math.Min(remaining, available - slot);
            if (count > 0)
            {
                segment.ReadEntries(slot, count, into);
                remaining -= count;
            }
        }

        return true;
    }

    /// <summary>Head as <paramref name="snapshot"/> has it; false when a delete closed one of its segments under the reader.</summary>
    private bool TryGetHead(SegmentSet snapshot, out ulong head)
    {
        for (int index = snapshot.Count - 1; index >= 0; index--)
        {
            using SegmentLease lease = Lease(snapshot, index);
            if (lease.IsStale)
            {
                head = 0;
                return false;
            }

            ulong last = lease.IsHeld ? lease.Segment.LastCommittedSequence() : 0;
            if (last != 0)
            {
                head = Math.Max(last, snapshot.Tail);
                return true;
            }
        }

        head = snapshot.Tail;
        return true;
    }

    /// <summary>The sequence of the live entry at <paramref name="position"/> (0 = oldest); false when out of range.</summary>
    public bool TryGetSequenceAt(long position, out ulong sequence)
    {
        while (true)
        {
            SegmentSet snapshot = state;
            sequence = 0;
            if (position < 0 || position >= snapshot.Length) // the same snapshot as the segments searched below
            {
                return false;
            }

            long global = snapshot.FirstLive + position;
            int index = snapshot.SegmentAt(global);
            using SegmentLease lease = Lease(snapshot, index);
            if (lease.IsHeld)
            {
                sequence = lease.Segment.SequenceAt(global - snapshot.FirstGlobal(index));
                return true;
            }

            // closed under us: look again in the new snapshot
        }
    }

    /// <summary>
    /// Takes a reader's lease on segment <paramref name="index"/> of <paramref name="snapshot"/>.
    /// When the segment is closed, the snapshot is checked after the attempt: a delete publishes
    /// the new snapshot before it closes a segment, so a replaced one means a delete.
    /// </summary>
    /// <exception cref="IOException">The segment's files, closed by the cache, could not be opened again.</exception>
    private SegmentLease Lease(SegmentSet snapshot, int index)
    {
        Segment segment = snapshot[index];
        if (!segment.TryAcquire())
        {
            return SegmentLease.Refused(isStale: !ReferenceEquals(state, snapshot));
        }

        try
        {
            return SegmentLease.Held(segment, segment.AcquireFiles());
        }
        catch (Exception error) when (segment.IsUnlinked && error is IOException or CorruptionException)
        {
            // The cache had closed the files, and a delete unlinked them before they could be
            // opened again: the delete passed this segment, so the reader starts over on the
            // snapshot it published first (a reader with files open keeps reading them instead).
            segment.Release();
            return SegmentLease.Refused(isStale: true);
        }
        catch
        {
            segment.Release();
            throw;
        }
    }

    /// <summary>The newest live entry to delete so that the rest take at most <paramref name="maxBytes"/>; see <see cref="SegmentBytes"/>. The caller excludes appends and deletes.</summary>
    public bool TryGetLastToDropForBytes(long maxBytes, out ulong sequence) => SegmentBytes.TryGetLastToDrop(state, maxBytes, out sequence);

    /// <summary>The number of live entries above <paramref name="sequence"/> (the caller excludes deletes).</summary>
    public long CountAfter(ulong sequence)
    {
        SegmentSet snapshot = state;
        return snapshot.End - Math.Max(snapshot.GlobalUpperBound(sequence), snapshot.FirstLive);
    }

    /// <summary>Makes everything appended and deleted so far durable.</summary>
    public void Sync() => Sync(closing: false);

    /// <summary>Makes everything durable; when <paramref name="closing"/>, the last segment gets its clean-close record.</summary>
    private void Sync(bool closing)
    {
        SegmentSet snapshot = state;
        if (snapshot.Count > 0 && !snapshot[^1].IsSealed)
        {
            snapshot[^1].SyncData(closing);
        }

        tailFile.Sync();
        if (directoryUnsynced)
        {
            context.FileSystem.SyncDirectory(context.Directory);
            directoryUnsynced = false;
        }
    }

    /// <summary>Syncs and closes every file (no call may be in flight).</summary>
    public void Dispose()
    {
        try
        {
            Sync(closing: true);
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
}
