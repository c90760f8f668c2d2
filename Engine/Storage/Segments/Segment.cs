using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// One segment of a ledger: an append-only data file of batch records (it encodes the batches it
/// is given) and its memory-mapped <see cref="SegmentIndex"/> of fixed-size slots. Only the log's
/// single writer appends; readers use the published <see cref="Count"/> and
/// <see cref="DataLength"/>, which only ever move forward by whole batches.
/// </summary>
/// <remarks>
/// Protocol. <c>count</c>, <c>dataLength</c> and <c>lastSequence</c> are written by the log's
/// single writer only (and by recovery before the segment is published, and by the lazy index
/// repair under the index's verification lock), with volatile writes and the count last; readers
/// read them with volatile reads and trust only what lies below the count they read.
/// <c>broken</c> and <see cref="IsSealed"/> belong to the writer. <c>leases</c> (a <see cref="LeaseCount"/>): the log holds one for as long as the segment is in its snapshot, every
/// reader takes one for the time it touches the files (<see cref="SegmentLease"/>), and the
/// release that brings it to zero closes the files and unmaps the index - after which no lease
/// can be taken, so a segment deleted (or a ledger disposed) while a read runs is closed only
/// after that read is done, never under it.
/// </remarks>
internal sealed class Segment
{
    private readonly IStorageFile data;
    private readonly SegmentIndex index;
    private long count;
    private long dataLength;
    private ulong lastSequence;
    private LeaseCount leases = new(1);
    private bool broken;

    private Segment(IStorageFile data, SegmentIndex index, ulong baseSequence)
    {
        this.data = data;
        this.index = index;
        BaseSequence = baseSequence;
    }

    /// <summary>The sequence of the segment's first entry; also its file name.</summary>
    public ulong BaseSequence { get; }

    /// <summary>The data file's path.</summary>
    public string DataPath => data.Path;

    /// <summary>The index file's path.</summary>
    public string IndexPath => Path.ChangeExtension(data.Path, IndexExtension);

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

    /// <summary>How many slots the mapped index can hold.</summary>
    public long SlotCapacity => index.SlotCapacity;

    /// <summary>The file name stem of a segment: its base sequence, zero padded to 20 digits.</summary>
    public static string FileStem(ulong baseSequence) => System.Text.Encoding.ASCII.GetString(Sequence.Encode(baseSequence));

    /// <summary>Creates a new, empty, active segment (data header written) with room for <paramref name="slotCapacity"/> slots.</summary>
    public static Segment Create(IFileSystem fs, string directory, ulong baseSequence, long slotCapacity)
    {
        // Create, not CreateNew: a file with this name can only be the leftover of a creation that
        // failed (its base is above Head), and it holds no committed batch.
        string stem = Path.Combine(directory, FileStem(baseSequence));
        IStorageFile data = fs.Open(stem + DataExtension, FileMode.Create, writable: true);
        try
        {
            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            SegmentFormat.WriteHeader(header, baseSequence);
            data.Write(header, 0);
            SegmentIndex index = SegmentIndex.Create(fs, stem + IndexExtension, baseSequence, slotCapacity);
            return new Segment(data, index, baseSequence) { dataLength = SegmentFormat.HeaderSize };
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
    /// A segment opened by recovery, whose data and index were checked (or rebuilt) up to
    /// <paramref name="count"/> entries ending at <paramref name="dataLength"/>.
    /// </summary>
    public static Segment Recovered(IStorageFile data, SegmentIndex index, ulong baseSequence, long count, long dataLength, ulong lastSequence, bool isSealed)
    {
        var segment = new Segment(data, index, baseSequence) { IsSealed = isSealed };
        segment.SetCommitted(count, dataLength, lastSequence);
        return segment;
    }

    /// <summary>
    /// Swaps in an index rebuilt from this segment's data and the committed state the rebuild
    /// found (the lazy slot verification's repair; no reader can be using the slots meanwhile).
    /// </summary>
    public void ReplaceIndex(SegmentIndex rebuilt, long count, long dataLength, ulong lastSequence)
    {
        index.Replace(rebuilt);
        SetCommitted(count, dataLength, lastSequence);
    }

    /// <summary>Publishes committed state, the count last (readers trust what is below the count they read).</summary>
    private void SetCommitted(long slots, long length, ulong last)
    {
        Volatile.Write(ref lastSequence, last);
        Volatile.Write(ref dataLength, length);
        Volatile.Write(ref count, slots);
    }

    /// <summary>
    /// Appends one batch (the caller checked it: non-empty, increasing, above this segment's
    /// entries, <paramref name="length"/> bytes encoded as <see cref="SegmentFormat.MeasureBatch"/>
    /// measured it, and room for it here): encodes the record into a pooled buffer and writes it
    /// at the end of the data file (syncing it and flagging it durable when <paramref name="sync"/>),
    /// then writes its slots, then publishes the new count. A crash before the publication leaves
    /// a record that recovery either completes (slots rebuilt) or truncates.
    /// </summary>
    /// <exception cref="IOException">The index space or the record could not be written; the batch left no trace (see <see cref="StorageFileAppend.AppendOrRollBack"/>).</exception>
    public void Append(ReadOnlySpan<Entry> entries, long length, bool sync)
    {
        index.RetireCleanClose(); // first: it may repair the index, moving the committed state
        long offset = dataLength;
        long slot = count;

        // Before the record, so a full disk fails the batch while there is nothing to undo (F1).
        index.ReserveSlots(slot, slot + entries.Length);
        using (SpanOwner<byte> record = SpanOwner<byte>.Allocate((int)length))
        {
            SegmentFormat.WriteBatch(record.Span, entries, durable: sync);
            data.AppendOrRollBack(record.Span, offset, sync, ref broken);
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

    /// <summary>The first slot in [0, Count) whose sequence is at least <paramref name="sequence"/>; Count when none.</summary>
    public long LowerBound(ulong sequence)
    {
        long low = 0;
        long high = Count;
        if (high == 0 || sequence <= BaseSequence)
        {
            return 0; // answered without the slots: opening a ledger must not verify a sealed index
        }

        if (sequence > LastSequence)
        {
            return high;
        }

        index.EnsureVerified();

        // Sequences are often dense (consecutive, or timestamp-ordinal runs), so one interpolation
        // probe usually lands on or next to the slot; the binary search then only finishes the job
        // inside the bounds it narrowed. Each probe of a large index is a cache miss, so this is
        // what makes point reads cheap.
        ulong last = LastSequence;
        long guess = (long)((UInt128)(sequence - BaseSequence) * (ulong)(high - 1) / (last - BaseSequence));
        ulong found = index.GetSlot(guess).Sequence;
        if (found == sequence)
        {
            return guess;
        }

        if (found < sequence)
        {
            low = guess + 1;
            high = Math.Min(high, guess + 1 + (long)Math.Min(sequence - found, (ulong)high));
        }
        else
        {
            high = guess;
            low = Math.Max(low, guess - (long)Math.Min(found - sequence, (ulong)guess));
        }

        while (low < high)
        {
            long mid = low + ((high - low) >> 1);
            if (index.GetSlot(mid).Sequence < sequence)
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

    /// <summary>The sequence of the last entry under the published count (0 when empty), consistent with <see cref="Count"/>.</summary>
    public ulong LastCommittedSequence()
    {
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
        index.EnsureVerified();
        return index.GetSlot(i).Sequence;
    }

    /// <summary>
    /// Reads <paramref name="amount"/> entries starting at slot <paramref name="first"/>, verifying
    /// every entry's sequence and checksum. Each chunk of up to <see cref="ReadChunkBytes"/> is one
    /// positional read into one array that the returned payloads share (one copy per payload).
    /// </summary>
    /// <exception cref="CorruptionException">An entry fails its checks; names the data file and the entry's offset.</exception>
    public void ReadEntries(long first, int amount, List<Entry> into)
    {
        index.EnsureVerified();
        long stop = first + amount;
        while (first < stop)
        {
            long start = index.GetSlot(first).Offset;
            long next = ChunkEnd(first, stop, start + ReadChunkBytes);
            long end = EndOffset(next);
            var buffer = GC.AllocateUninitializedArray<byte>(checked((int)(end - start)));
            int read = data.Read(buffer, start);
            bool cut = read < buffer.Length;
            if (cut)
            {
                // Synced data that lost its end (F14): the entries still whole in it are read.
                Array.Resize(ref buffer, read);
            }

            for (long k = first; k < next; k++)
            {
                IndexFormat.Slot slot = index.GetSlot(k);
                if (cut && slot.Offset + SegmentFormat.EntryHeaderSize > start + read)
                {
                    throw new CorruptionException(DataPath, start + read, $"file ends before the committed entries (the index expects {end} bytes)");
                }

                into.Add(SegmentEntryDecoder.Decode(this, buffer, (int)(slot.Offset - start), k, slot));
            }

            first = next;
        }
    }

    /// <summary>
    /// The most bytes one positional read of <see cref="ReadEntries"/> covers (a single larger entry
    /// is read whole). A read of 1,000 ordinary entries fits in one chunk: one system call, and one
    /// array the payloads share. Measured (W3, 1,000,000 entries, Read(seq, 1000)): 1 MiB chunks
    /// read 22.7 M entries/s at 62 MB peak RSS; 80 KB chunks (kept below the large object heap)
    /// only 12.4 M/s at 145 MB, because small-object arrays are zeroed and churn gen0, while large
    /// uninitialized arrays are not zeroed at all.
    /// </summary>
    public const long ReadChunkBytes = 1024 * 1024;

    /// <summary>Where the bytes of slot <paramref name="k"/>'s entry end at the latest: the next slot's offset, or the data end (the index must be verified).</summary>
    public long EndOffset(long k) => k < Count ? index.GetSlot(k).Offset : DataLength;

    /// <summary>The largest slot bound in (first, stop] whose bytes end by <paramref name="limit"/>; at least first + 1.</summary>
    private long ChunkEnd(long first, long stop, long limit)
    {
        if (EndOffset(stop) <= limit)
        {
            return stop;
        }

        long low = first + 1;
        long high = stop;
        while (low < high)
        {
            long mid = low + ((high - low + 1) >> 1);
            if (EndOffset(mid) <= limit)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
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
        data.ThrowIfBroken(broken);
        data.SyncData();

        // Sealed even if sealing the index fails part-way (its file may be cut under the mapping,
        // so a slot store could fault): the data is synced, recovery rebuilds such an index.
        IsSealed = true;
        index.Seal(Count);
    }

    /// <summary>Makes appended data and slots durable, and records in the index header how many slots the synced data covers
    /// (<paramref name="closing"/>: no append follows before a reopen, so as the clean-close record, unless the segment is broken).</summary>
    public void SyncData(bool closing = false)
    {
        long synced = Count;
        data.SyncData();
        index.RecordSynced(synced, DataLength, LastSequence, closing && !broken);
    }

    /// <summary>Takes a lease; false when the segment is already closed.</summary>
    public bool TryAcquire() => leases.TryAcquire();

    /// <summary>Returns a lease; the last one closes the files.</summary>
    public void Release()
    {
        if (leases.Release())
        {
            index.Dispose();
            data.Dispose();
        }
    }

    /// <summary>Closes and removes a segment whose first append failed (never published: the caller holds the only lease); false when its files stay.</summary>
    public bool Discard(IFileSystem fs)
    {
        Release();
        return TryDeleteFiles(fs, DataPath);
    }

    /// <summary>Unlinks both files (open handles keep working until released).</summary>
    public void DeleteFiles(IFileSystem fs) => DeleteFiles(fs, DataPath);

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
