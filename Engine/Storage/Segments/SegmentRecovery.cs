using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Opens the segments of a log after a clean shutdown or a crash, touching only what a crash can
/// have torn: a sealed segment costs a header and one entry check (its slots are verified on first
/// use); the last segment's index is checked slot by slot (no entry reads) and only the batches
/// after its last trusted batch are read and validated.
/// </summary>
internal sealed class SegmentRecovery(IFileSystem fs, ILogger logger)
{
    /// <summary>Opens a sealed (not last) segment; its data must be intact.</summary>
    /// <exception cref="CorruptionException">The data fails validation.</exception>
    public Segment OpenSealed(string dataPath, ulong baseSequence)
    {
        IStorageFile data = fs.Open(dataPath, FileMode.Open, writable: false);
        try
        {
            ReadDataHeader(data, baseSequence);
            string indexPath = Path.ChangeExtension(dataPath, Segment.IndexExtension);
            string? problem = TryOpenSealedIndex(data, indexPath, baseSequence, out Segment? segment);
            if (segment is not null)
            {
                segment.Rebuild = RebuildSealed;
                return segment;
            }

            Log.IndexRebuilt(logger, indexPath, problem!);
            return BuildSealedIndex(data, baseSequence);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Opens the last segment, repairing a torn tail. Null when it holds no complete batch (its files are removed).</summary>
    public Segment? OpenActive(string dataPath, ulong baseSequence, long segmentSize)
    {
        IStorageFile data = fs.Open(dataPath, FileMode.Open, writable: true);
        try
        {
            if (data.Length < SegmentFormat.HeaderSize)
            {
                // A crash while the segment was being created: it never held a batch.
                RemoveEmpty(data, "segment header incomplete");
                return null;
            }

            ReadDataHeader(data, baseSequence);
            long capacity = Math.Max(segmentSize, data.Length) / SegmentFormat.EntryHeaderSize;
            string indexPath = Path.ChangeExtension(dataPath, Segment.IndexExtension);
            Segment segment = OpenActiveIndex(data, indexPath, baseSequence, capacity);
            RecoverTail(segment);
            segment.Activate();
            if (segment.Count == 0)
            {
                segment.Release();
                RemoveFiles(dataPath, "segment holds no complete batch");
                return null;
            }

            return segment;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private static void ReadDataHeader(IStorageFile data, ulong expectedBase)
    {
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        int read = data.Read(header, 0);
        ulong baseSequence = SegmentFormat.ReadHeader(header[..read], data.Path);
        if (baseSequence != expectedBase)
        {
            throw new CorruptionException(data.Path, 16, $"header names base sequence {baseSequence} but the file name says {expectedBase}");
        }
    }

    private string? TryOpenSealedIndex(IStorageFile data, string indexPath, ulong baseSequence, out Segment? segment)
    {
        segment = null;
        if (!fs.FileExists(indexPath))
        {
            return "index file missing";
        }

        IStorageFile file = fs.Open(indexPath, FileMode.Open, writable: false);
        IMappedRegion? map = null;
        try
        {
            long length = file.Length;
            if (length < IndexFormat.HeaderSize + IndexFormat.SlotSize)
            {
                return $"index file is {length} bytes";
            }

            map = file.Map(length, writable: false);
            Segment candidate;
            unsafe
            {
                if (!IndexFormat.TryReadHeader(new ReadOnlySpan<byte>(map.Pointer, IndexFormat.HeaderSize), indexPath, out IndexFormat.Header header))
                {
                    return "index header invalid";
                }

                if (header.State != IndexFormat.StateSealed || header.BaseSequence != baseSequence || header.SlotCount < 1
                    || header.SlotCount > (length - IndexFormat.HeaderSize) / IndexFormat.SlotSize)
                {
                    return "index header does not describe this sealed segment";
                }

                candidate = Segment.OpenExisting(data, file, map, baseSequence, header);
            }

            string? problem = CheckLastSlotAgainstData(candidate, candidate.IndexHeader.SlotCount);
            if (problem is not null)
            {
                if (candidate.SlotsMatchChecksum())
                {
                    // An intact sealed index that disagrees with the data is either an index from
                    // elsewhere or data that lost its end; only the data can be trusted, so the
                    // index is rebuilt from it, and the disagreement is reported loudly.
                    Log.SealedIndexDisagrees(logger, indexPath, candidate.IndexHeader.SlotCount, data.Path, problem);
                }

                return problem;
            }

            candidate.MarkSealed(verified: false);
            segment = candidate;
            return null;
        }
        finally
        {
            if (segment is null)
            {
                map?.Dispose();
                file.Dispose();
            }
        }
    }

    /// <summary>
    /// The last slot of a sealed index must pass its check and name the last entry of the data
    /// file, which must end exactly at the end of the file; otherwise the index is rebuilt.
    /// </summary>
    private static string? CheckLastSlotAgainstData(Segment segment, long slots)
    {
        if (!segment.TryGetSlot(slots - 1, out IndexFormat.Slot last) || !segment.TryGetSlot(0, out IndexFormat.Slot first))
        {
            return "index slot damaged";
        }

        if (first.Offset != SegmentFormat.HeaderSize + SegmentFormat.BatchHeaderSize || first.Sequence != segment.BaseSequence)
        {
            return "first index slot does not match the data";
        }

        long dataLength = segment.Data.Length;
        if (!TryReadEntryAt(segment, last, dataLength, out long entryEnd) || entryEnd != dataLength)
        {
            return "last index slot does not match the data";
        }

        segment.SetCommitted(slots, dataLength, last.Sequence);
        return null;
    }

    private static bool TryReadEntryAt(Segment segment, IndexFormat.Slot slot, long dataLength, out long entryEnd)
    {
        entryEnd = 0;
        if (slot.Offset + SegmentFormat.EntryHeaderSize > dataLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[SegmentFormat.EntryHeaderSize];
        segment.Data.Read(header, slot.Offset);
        SegmentFormat.EntryHeader entry = SegmentFormat.ReadEntryHeader(header);
        entryEnd = slot.Offset + SegmentFormat.EntryHeaderSize + entry.PayloadLength;
        if (entry.Sequence != slot.Sequence || entryEnd > dataLength)
        {
            return false;
        }

        byte[] payload = new byte[entry.PayloadLength];
        segment.Data.Read(payload, slot.Offset + SegmentFormat.EntryHeaderSize);
        return SegmentFormat.EntryChecksum(entry.Sequence, payload) == entry.Checksum;
    }

    /// <summary>Builds a sealed index from scratch; the whole data file must validate.</summary>
    private Segment BuildSealedIndex(IStorageFile data, ulong baseSequence)
    {
        Segment rebuilt = BuildIndex(data, baseSequence);
        rebuilt.MarkSealed(verified: true);
        return rebuilt;
    }

    private void RebuildSealed(Segment segment)
    {
        Log.IndexRebuilt(logger, segment.IndexPath, "index slots checksum mismatch");
        Segment rebuilt = BuildIndex(segment.Data, segment.BaseSequence);
        segment.TakeIndexFrom(rebuilt);
    }

    private Segment BuildIndex(IStorageFile data, ulong baseSequence)
    {
        string indexPath = Path.ChangeExtension(data.Path, Segment.IndexExtension);
        string temporary = indexPath + ".tmp";
        long capacity = data.Length / SegmentFormat.EntryHeaderSize;
        Segment rebuilt = Segment.CreateIndex(fs, data, temporary, baseSequence, capacity);
        BatchScanner.Result result = BatchScanner.Scan(rebuilt, SegmentFormat.HeaderSize, 0, 0);
        if (result.FailedAt >= 0 || result.SlotCount == 0)
        {
            throw new CorruptionException(data.Path, result.ValidEnd, $"sealed segment fails validation: {result.Problem ?? "no batch"}");
        }

        rebuilt.SetCommitted(result.SlotCount, result.ValidEnd, result.LastSequence);
        rebuilt.Seal();
        fs.Rename(temporary, indexPath);
        return rebuilt;
    }

    private Segment OpenActiveIndex(IStorageFile data, string indexPath, ulong baseSequence, long capacity)
    {
        if (fs.FileExists(indexPath))
        {
            IStorageFile file = fs.Open(indexPath, FileMode.Open, writable: true);
            IMappedRegion? map = null;
            try
            {
                long length = file.Length;
                if (length >= IndexFormat.HeaderSize)
                {
                    long slots = Math.Max(capacity, (length - IndexFormat.HeaderSize) / IndexFormat.SlotSize);
                    map = file.Map(Segment.IndexCapacityBytes(slots), writable: true);
                    unsafe
                    {
                        if (IndexFormat.TryReadHeader(new ReadOnlySpan<byte>(map.Pointer, IndexFormat.HeaderSize), indexPath, out IndexFormat.Header header)
                            && header.BaseSequence == baseSequence)
                        {
                            return Segment.OpenExisting(data, file, map, baseSequence, header);
                        }
                    }
                }
            }
            catch (CorruptionException)
            {
                map?.Dispose();
                file.Dispose();
                throw;
            }

            map?.Dispose();
            file.Dispose();
            Log.IndexRebuilt(logger, indexPath, "index header invalid");
        }

        return Segment.CreateIndex(fs, data, indexPath, baseSequence, capacity);
    }

    /// <summary>
    /// Finds the trusted prefix of the active index (slots that pass their checks and increase),
    /// steps back to the start of its last batch, and validates every batch from there to the end
    /// of the file, rewriting their slots. Whatever fails validation at the end is a torn write and
    /// is truncated; slots past the new end are cleared.
    /// </summary>
    private void RecoverTail(Segment segment)
    {
        long capacity = segment.SlotCapacity;
        long dataLength = segment.Data.Length;
        long trusted = 0;
        ulong previous = 0;
        long previousOffset = 0;
        while (trusted < capacity
            && segment.TryGetSlot(trusted, out IndexFormat.Slot slot)
            && slot.Sequence > previous
            && slot.Offset > previousOffset
            && slot.Offset < dataLength
            && (trusted > 0 || (slot.BatchStart && slot.Offset == SegmentFormat.HeaderSize + SegmentFormat.BatchHeaderSize)))
        {
            previous = slot.Sequence;
            previousOffset = slot.Offset;
            trusted++;
        }

        long written = trusted;
        while (written < capacity && !segment.IsSlotEmpty(written))
        {
            written++; // damaged or stale slots past the trusted prefix, cleared below
        }

        BatchScanner.Result result;
        long start = trusted;
        while (true)
        {
            start = PreviousBatchStart(segment, start);
            long offset = start == 0 ? SegmentFormat.HeaderSize : segment.GetSlot(start).Offset - SegmentFormat.BatchHeaderSize;
            ulong before = start == 0 ? 0 : segment.GetSlot(start - 1).Sequence;
            result = BatchScanner.Scan(segment, offset, start, before);
            if (start == 0 || result.SlotCount > start)
            {
                break; // the batch at the trusted point validated (or there is nothing before it)
            }
        }

        if (result.FailedAt >= 0)
        {
            long durableAfter = BatchScanner.FindDurableBatchAfter(segment, result.FailedAt);
            if (durableAfter >= 0)
            {
                throw new CorruptionException(segment.DataPath, result.FailedAt, $"{result.Problem}; a complete durable batch follows at offset {durableAfter}, so this is damage, not a torn write");
            }

            Log.TailTruncated(logger, segment.DataPath, result.ValidEnd, dataLength - result.ValidEnd, result.Problem!);
            segment.Data.SetLength(result.ValidEnd);
            segment.Data.SyncData();
        }

        segment.ClearSlots(result.SlotCount, Math.Max(written, result.SlotCount));
        segment.SetCommitted(result.SlotCount, result.ValidEnd, result.LastSequence);
    }

    /// <summary>The batch-start slot at or before <paramref name="slot"/> - 1 (0 when none).</summary>
    private static long PreviousBatchStart(Segment segment, long slot)
    {
        long i = slot - 1;
        while (i > 0 && !segment.GetSlot(i).BatchStart)
        {
            i--;
        }

        return Math.Max(i, 0);
    }

    private void RemoveEmpty(IStorageFile data, string reason)
    {
        string path = data.Path;
        data.Dispose();
        RemoveFiles(path, reason);
    }

    private void RemoveFiles(string dataPath, string reason)
    {
        Log.FileRemoved(logger, dataPath, reason);
        fs.Delete(Path.ChangeExtension(dataPath, Segment.IndexExtension));
        fs.Delete(dataPath);
    }
}
