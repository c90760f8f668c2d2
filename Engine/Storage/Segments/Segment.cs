using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// One segment of a ledger: an append-only data file of batch records (it encodes the batches it
/// is given) and its memory-mapped <see cref="SegmentIndex"/> of fixed-size slots. Only the log's
/// single writer appends; readers use the published <see cref="Count"/> and
/// <see cref="DataLength"/>, which only ever move forward by whole batches. A sealed segment's
/// files (<see cref="SegmentFiles"/>) are open only while the Db's <see cref="SegmentCache"/>
/// keeps them: its committed state lives here, so it stays known while its files are closed.
/// </summary>
/// <remarks>
/// Protocol. <c>count</c>, <c>dataLength</c> and <c>lastSequence</c> are written by the log's
/// single writer only (and by recovery before the segment is published, and by the lazy index
/// repair under the index's verification lock), with volatile writes and the count last; readers
/// read them with volatile reads and trust only what lies below the count they read.
/// <c>broken</c> and <see cref="IsSealed"/> belong to the writer. <c>leases</c> (a <see cref="LeaseCount"/>): the log holds one for as long as the segment is in its snapshot, every
/// reader takes one for the time it touches the files (<see cref="SegmentLease"/>), and the
/// release that brings it to zero closes the files - after which no lease can be taken, so a
/// segment deleted (or a ledger disposed) while a read runs is closed only after that read is
/// done, never under it. <c>files</c>: the open files or null; a reader holding a lease on the
/// segment takes one on its files too (<see cref="AcquireFiles"/>), and while it holds that,
/// <c>files</c> is that handle (the cache retires files only when no reader holds them, and a
/// new handle is opened, under <c>openLock</c>, only once the previous one is retired). So the
/// members below that touch the files read <c>files</c> and need the caller to hold a lease on
/// them; the active segment's files are the writer's and are never retired while it is active.
/// </remarks>
internal sealed partial class Segment
{
    private readonly StoreContext context;
    private long count;
    private long dataLength;
    private ulong lastSequence;
    private bool broken;

    private Segment(StoreContext context, string dataPath, SegmentFiles? files, ulong baseSequence)
    {
        this.context = context;
        this.files = files;
        DataPath = dataPath;
        BaseSequence = baseSequence;
    }

    /// <summary>The sequence of the segment's first entry; also its file name.</summary>
    public ulong BaseSequence { get; }

    /// <summary>The data file's path.</summary>
    public string DataPath { get; }

    /// <summary>The index file's path.</summary>
    public string IndexPath => Path.ChangeExtension(DataPath, IndexExtension);

    /// <summary>The byte offset of a segment's first entry (after the segment and the first batch header).</summary>
    public const long FirstEntryOffset = SegmentFormat.HeaderSize + SegmentFormat.BatchHeaderSize;

    /// <summary>The extension of data files.</summary>
    public const string DataExtension = ".seg";

    /// <summary>The extension of index files.</summary>
    public const string IndexExtension = ".idx";

    /// <summary>The number of committed entries.</summary>
    public long Count => Volatile.Read(ref count);

    /// <summary>The committed length of the data file.</summary>
    public long DataLength => Volatile.Read(ref dataLength);

    /// <summary>The sequence of the last committed entry (0 when empty).</summary>
    public ulong LastSequence => Volatile.Read(ref lastSequence);

    /// <summary>Whether the segment is sealed (no more appends).</summary>
    public bool IsSealed { get; private set; }

    /// <summary>How many slots the mapped index can hold (the active segment's; the writer only).</summary>
    public long SlotCapacity => Files.Index.SlotCapacity;

    /// <summary>The open files (the caller holds a lease on them, or is the writer of the active segment).</summary>
    private SegmentFiles Files => files!;

    /// <summary>The file name stem of a segment: its base sequence, zero padded to 20 digits.</summary>
    public static string FileStem(ulong baseSequence) => System.Text.Encoding.ASCII.GetString(Sequence.Encode(baseSequence));

    /// <summary>Creates a new, empty, active segment (data header written) with room for <paramref name="slotCapacity"/> slots.</summary>
    public static Segment Create(StoreContext context, ulong baseSequence, long slotCapacity)
    {
        // Create, not CreateNew: a file with this name can only be the leftover of a creation that
        // failed (its base is above Head), and it holds no committed batch.
        IFileSystem fs = context.FileSystem;
        string stem = Path.Combine(context.Directory, FileStem(baseSequence));
        IStorageFile data = fs.Open(stem + DataExtension, FileMode.Create, writable: true);
        try
        {
            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            SegmentFormat.WriteHeader(header, baseSequence);
            data.Write(header, 0);
            SegmentIndex index = SegmentIndex.Create(fs, stem + IndexExtension, baseSequence, slotCapacity);
            return new Segment(context, data.Path, new SegmentFiles(data, index, null), baseSequence) { dataLength = SegmentFormat.HeaderSize };
        }
        catch
        {
            data.Dispose();

            // Best effort: the creation's own error is the one reported, and recovery removes a
            // segment that never received a batch.
            TryDeleteFiles(fs, stem + DataExtension);
            throw;
        }
    }

    /// <summary>
    /// The last segment as recovery opened it, its files open and kept open while it is active,
    /// checked (or repaired) up to <paramref name="count"/> entries ending at <paramref name="dataLength"/>.
    /// </summary>
    public static Segment Active(StoreContext context, IStorageFile data, SegmentIndex index, ulong baseSequence, long count, long dataLength, ulong lastSequence)
    {
        var segment = new Segment(context, data.Path, new SegmentFiles(data, index, null), baseSequence);
        segment.SetCommitted(count, dataLength, lastSequence);
        return segment;
    }

    /// <summary>
    /// A sealed segment that recovery checked (or rebuilt) up to <paramref name="count"/> entries
    /// ending at <paramref name="dataLength"/> and closed again: its files open on the first read.
    /// </summary>
    public static Segment Sealed(StoreContext context, string dataPath, ulong baseSequence, long count, long dataLength, ulong lastSequence, bool slotsVerified)
    {
        var segment = new Segment(context, dataPath, null, baseSequence) { IsSealed = true, slotsVerified = slotsVerified };
        segment.SetCommitted(count, dataLength, lastSequence);
        return segment;
    }

    /// <summary>Whether the slots were verified against the sealed checksum before (a reopened index needs no second check).</summary>
    public bool SlotsVerified => slotsVerified;

    /// <summary>
    /// Swaps in an index rebuilt from this segment's data and the committed state the rebuild
    /// found (the lazy slot verification's repair; no reader can be using the slots meanwhile).
    /// </summary>
    public void ReplaceIndex(SegmentIndex rebuilt, long count, long dataLength, ulong lastSequence)
    {
        Files.Index.Replace(rebuilt);
        SetCommitted(count, dataLength, lastSequence);
    }

    /// <summary>Publishes committed state, the count last (readers trust what is below the count they read).</summary>
    private void SetCommitted(long slots, long length, ulong last)
    {
        Volatile.Write(ref lastSequence, last);
        Volatile.Write(ref dataLength, length);
        Volatile.Write(ref count, slots);
    }

    // Fully optimised at its first call, as ReadEntries (W1 cold 2.85 M -> 4.04 M entries/s).
    /// <summary>
    /// Appends one batch (the caller checked it: non-empty, increasing, above this segment's
    /// entries, <paramref name="length"/> bytes encoded as <see cref="SegmentFormat.MeasureBatch"/>
    /// measured it, and room for it here): encodes the record into a pooled buffer and writes it
    /// at the end of the data file (syncing it and flagging it durable when <paramref name="sync"/>),
    /// then writes its slots, then publishes the new count. A crash before the publication leaves
    /// a record that recovery either completes (slots rebuilt) or truncates.
    /// </summary>
    /// <exception cref="IOException">The index space or the record could not be written; the batch left no trace (see <see cref="StorageFileAppend.AppendOrRollBack"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ReadOnlySpan<Entry> entries, long length, bool sync)
    {
        SegmentFiles files = Files;
        SegmentIndex index = files.Index;
        index.RetireCleanClose(); // before reading the committed state: it may repair the index, moving it
        long offset = dataLength;
        long slot = count;

        // Before the record, so a full disk fails the batch while there is nothing to undo (F1).
        index.ReserveSlots(slot, slot + entries.Length);
        using (SpanOwner<byte> record = SpanOwner<byte>.Allocate((int)length))
        {
            SegmentFormat.WriteBatch(record.Span, entries, durable: sync);
            files.Data.AppendOrRollBack(record.Span, offset, sync, ref broken);
        }

        long entryOffset = offset + SegmentFormat.BatchHeaderSize;
        for (int i = 0; i < entries.Length; i++)
        {
            index.SetSlot(slot + i, new IndexFormat.Slot(entries[i].Sequence, entryOffset, i == 0));
            entryOffset += SegmentFormat.EntrySize(entries[i].Payload.Length);
        }

        Volatile.Write(ref lastSequence, entries[^1].Sequence);
        Volatile.Write(ref dataLength, offset + length);
        Volatile.Write(ref count, slot + entries.Length);
    }

    /// <summary>The first slot in [0, Count) whose sequence is at least <paramref name="sequence"/>; Count when none (the caller holds a lease on the files).</summary>
    public long LowerBound(ulong sequence)
    {
        if (TryLowerBoundWithoutSlots(sequence, out long slot))
        {
            return slot;
        }

        SegmentIndex index = Files.Index;
        index.EnsureVerified();
        return SlotSearch.LowerBound(index, BaseSequence, LastSequence, Count, sequence);
    }

    /// <summary><see cref="LowerBound"/> for a caller that keeps the segment alive but holds no lease on its files (opens them only when the slots are needed).</summary>
    public long LowerBoundOpening(ulong sequence)
    {
        if (TryLowerBoundWithoutSlots(sequence, out long slot))
        {
            return slot;
        }

        SegmentFiles held = AcquireFiles();
        try
        {
            return LowerBound(sequence);
        }
        finally
        {
            ReleaseFiles(held);
        }
    }

    /// <summary>The answers of <see cref="LowerBound"/> that need no slot: opening a ledger must not verify, or open, a sealed index.</summary>
    private bool TryLowerBoundWithoutSlots(ulong sequence, out long slot)
    {
        long high = Count;
        slot = sequence <= BaseSequence ? 0 : high;
        return high == 0 || sequence <= BaseSequence || sequence > LastSequence;
    }

    /// <summary>The sequence of the last entry under the published count (0 when empty), consistent with <see cref="Count"/>.</summary>
    public ulong LastCommittedSequence()
    {
        SegmentIndex index = Files.Index;
        if (!index.IsVerified)
        {
            // Sealed (count final; last sequence checked against the data on open), and a repair
            // may unmap the slots under us.
            return LastSequence;
        }

        long count = Count;
        return count == 0 ? 0 : index.GetSlot(count - 1).Sequence;
    }

    /// <summary>The sequence at slot <paramref name="i"/> (verified index).</summary>
    public ulong SequenceAt(long i)
    {
        SegmentIndex index = Files.Index;
        index.EnsureVerified();
        return index.GetSlot(i).Sequence;
    }

    /// <summary>
    /// Seals the segment: syncs the data, stores the final slot count and slots checksum in the
    /// index header, syncs the index and trims it to its used size. A broken segment (a failed
    /// write it could not cut off) is never sealed: the sync would make the failed record durable
    /// inside a sealed segment, which recovery trusts; only a reopen may decide about it.
    /// </summary>
    /// <exception cref="IOException">The segment is broken, or the seal's I/O failed.</exception>
    public void Seal()
    {
        SegmentFiles files = Files;
        files.Data.ThrowIfBroken(broken);
        files.Data.SyncData();

        // Sealed even if sealing the index fails part-way (its file may be cut under the mapping,
        // so a slot store could fault): the data is synced, recovery rebuilds such an index. Such
        // a segment keeps its files open (outside the cache): a reopen would find that index.
        IsSealed = true;
        files.Index.Seal(Count);
        context.SegmentCache.Add(this);
    }

    /// <summary>Makes appended data and slots durable, and records in the index header how many slots the synced data covers
    /// (<paramref name="closing"/>: no append follows before a reopen, so as the clean-close record, unless the segment is broken).</summary>
    public void SyncData(bool closing = false)
    {
        long synced = Count;
        SegmentFiles files = Files;
        files.Data.SyncData();
        files.Index.RecordSynced(synced, DataLength, LastSequence, closing && !broken);
    }

    /// <summary>Closes and removes a segment whose first append failed (never published: the caller holds the only lease); false when its files stay.</summary>
    public bool Discard()
    {
        Release();
        return TryDeleteFiles(context.FileSystem, DataPath);
    }

    /// <summary>Unlinks both files (open handles keep working until released).</summary>
    public void DeleteFiles() => DeleteFiles(context.FileSystem, DataPath);

    /// <summary>Unlinks the index, then the data file, of the segment whose data file is <paramref name="dataPath"/>.</summary>
    private static void DeleteFiles(IFileSystem fs, string dataPath)
    {
        fs.Delete(Path.ChangeExtension(dataPath, IndexExtension));
        fs.Delete(dataPath);
    }

    /// <summary><see cref="DeleteFiles(IFileSystem, string)"/>, false instead of an I/O error.</summary>
    private static bool TryDeleteFiles(IFileSystem fs, string dataPath)
    {
        try
        {
            DeleteFiles(fs, dataPath);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
