using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Opens a log after a clean shutdown or a crash (FORMAT.md, "Recovery on open"), touching only
/// what a crash can have torn: a sealed segment costs a header and one entry check (its slots are
/// verified on first use); the last segment's index is checked slot by slot (no entry reads) and
/// only the batches after its last trusted batch are read and validated; a delete interrupted
/// between persisting the tail and unlinking is finished.
/// </summary>
internal sealed class SegmentRecovery(StoreContext context)
{
    private readonly IFileSystem fs = context.FileSystem;
    private readonly ILogger logger = context.Logger;
    private readonly bool syncWrites = context.SyncWrites;

    // Whether recovery removed files from the directory, which then needs a sync.
    private bool removedFiles;

    /// <summary>
    /// Prepares the log's directory, reads its tail file, opens and repairs its segments in
    /// sequence order, and unlinks the sealed segments that hold nothing above the tail.
    /// </summary>
    /// <exception cref="CorruptionException">Damage that is not a torn write (named by file and offset).</exception>
    public static (TailFile TailFile, SegmentSet Segments) Open(StoreContext context, string name, long segmentSize)
    {
        string[] files = context.PrepareDirectory();
        TailFile tailFile = TailFile.Open(context.FileSystem, context.PathOf(TailFile.FileName));
        var segments = new List<Segment>();
        try
        {
            var recovery = new SegmentRecovery(context);
            recovery.OpenSegments(files, name, segmentSize, segments);
            ulong tail = tailFile.Tail;
            SegmentSet opened = SegmentSet.Opened([.. segments]).WithTail(tail, out Segment[] dead);
            SegmentLog.Unlink(context, name, dead, tail);
            if (tailFile.Created || recovery.removedFiles)
            {
                // A removed empty segment that a later power loss brought back would make its
                // predecessor, appended to since, open as sealed (storage review F11).
                context.FileSystem.SyncDirectory(context.Directory);
            }

            return (tailFile, opened);
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

    /// <summary>Opens every segment file among the directory's <paramref name="files"/> in sequence order (the last as the active one) and checks that they follow each other.</summary>
    private void OpenSegments(string[] files, string name, long segmentSize, List<Segment> segments)
    {
        var found = new List<(ulong Base, string Path)>();
        foreach (string path in files.Where(f => f.EndsWith(Segment.DataExtension, StringComparison.Ordinal)))
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
        ulong previous = 0;
        for (int i = 0; i < found.Count; i++)
        {
            bool isLast = i == found.Count - 1;
            Segment? segment = isLast ? OpenActive(found[i].Path, found[i].Base, segmentSize) : OpenSealed(found[i].Path, found[i].Base);
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

    /// <summary>
    /// Checks a sealed (not last) segment and closes its files again: its data must be intact. What
    /// is read: the data header (32 bytes), the index header and its first and last slots, and the
    /// last slot's entry (which must end exactly at the end of the data); the full slot checksum
    /// waits for the first read. The segment keeps the count, last sequence and data length found,
    /// so its files open only when a read needs them (<see cref="SealedReopen"/>), and a ledger of
    /// many segments holds no descriptor or mapping for them after the open.
    /// </summary>
    /// <exception cref="CorruptionException">The data fails validation.</exception>
    private Segment OpenSealed(string dataPath, ulong baseSequence)
    {
        using IStorageFile data = fs.Open(dataPath, FileMode.Open, writable: false);
        ReadDataHeader(data, baseSequence);
        string indexPath = Path.ChangeExtension(dataPath, Segment.IndexExtension);
        string? problem = TryCheckSealedIndex(data, indexPath, baseSequence, out Segment? segment);
        if (segment is not null)
        {
            return segment;
        }

        Log.IndexRebuilt(logger, indexPath, problem!);
        (SegmentIndex index, BatchScanner.Result scanned) = BuildSealedIndex(data, baseSequence);
        index.Dispose();
        return Segment.Sealed(context, dataPath, baseSequence, scanned.SlotCount, scanned.ValidEnd, scanned.LastSequence, slotsVerified: true);
    }

    /// <summary>Opens the last segment, repairing a torn tail. Null when it holds no complete batch (its files are removed).</summary>
    private Segment? OpenActive(string dataPath, ulong baseSequence, long segmentSize)
    {
        IStorageFile data = fs.Open(dataPath, FileMode.Open, writable: true);
        SegmentIndex? index = null;
        try
        {
            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            int read = data.Read(header, 0);
            if (read < SegmentFormat.HeaderSize || !header.ContainsAnyExcept((byte)0))
            {
                // A crash while the segment was being created: it never held a batch. A header of
                // zeros was never synced (a power loss kept the name or size, not the data), and
                // every batch is synced together with it, so none can be durable either.
                data.Dispose();
                RemoveFiles(dataPath, "segment header incomplete");
                return null;
            }

            CheckDataHeader(header, data.Path, baseSequence);
            long capacity = Math.Max(segmentSize, data.Length) / SegmentFormat.EntryHeaderSize;
            index = OpenActiveIndex(Path.ChangeExtension(dataPath, Segment.IndexExtension), baseSequence, capacity);
            if (CleanCloseRecord.TryTrust(data, index, baseSequence, out long count, out long length, out ulong last))
            {
                // A clean close synced everything first: nothing to validate, scan or sync now.
                Segment closed = Segment.Active(context, data, index, baseSequence, count, length, last);
                index.ActivateClosed(() => RebuildIndex(closed, data, "index slots fail the clean-close record's checksum", sealing: false));
                Log.OpenedByCleanClose(logger, dataPath, count, length);
                return closed;
            }

            BatchScanner.Result recovered = ActiveTailRecovery.Recover(data, index, logger, out long synced);
            index.Activate(synced);
            if (recovered.SlotCount == 0)
            {
                index.Dispose();
                index = null;
                data.Dispose();
                RemoveFiles(dataPath, "segment holds no complete batch");
                return null;
            }

            if (syncWrites)
            {
                // Batches a killed process wrote without SyncWrites may exist only in the page
                // cache; they are served from now on, so they must be durable first (storage
                // review F18).
                data.SyncData();
            }

            return Segment.Active(context, data, index, baseSequence, recovered.SlotCount, recovered.ValidEnd, recovered.LastSequence);
        }
        catch
        {
            index?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Checks a data file's header and that it names the base sequence of the file name.</summary>
    private static void ReadDataHeader(IStorageFile data, ulong expectedBase)
    {
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        int read = data.Read(header, 0);
        CheckDataHeader(header[..read], data.Path, expectedBase);
    }

    /// <summary>Checks the header bytes of the data file at <paramref name="path"/> and that they name the base sequence of the file name.</summary>
    private static void CheckDataHeader(ReadOnlySpan<byte> header, string path, ulong expectedBase)
    {
        ulong baseSequence = SegmentFormat.ReadHeader(header, path);
        if (baseSequence != expectedBase)
        {
            throw new CorruptionException(path, 16, $"header names base sequence {baseSequence} but the file name says {expectedBase}");
        }
    }

    /// <summary>The sealed segment described by its existing index when that index is intact and matches the data; else returns why not (the index is then rebuilt).</summary>
    private string? TryCheckSealedIndex(IStorageFile data, string indexPath, ulong baseSequence, out Segment? segment)
    {
        segment = null;
        SegmentIndex? index = SegmentIndex.TryOpenSealed(fs, indexPath, baseSequence, out string? invalid);
        if (index is null)
        {
            return invalid;
        }

        try
        {
            IndexFormat.Header header = index.Header;
            string? problem = SealedIndexCheck.LastSlotAgainstData(data, index, baseSequence, header.SlotCount, out long dataLength, out ulong lastSequence);
            if (problem is not null && index.SlotsMatchChecksum()
                && SealedIndexCheck.ListsMoreThanData(data, index, header.SlotCount, out IndexFormat.Slot last, out long impliedEnd))
            {
                // Synced data that lost its end is damage: a rebuild from the data would leave a
                // silent gap in the ledger (storage review F14). The segment keeps what its index
                // lists, so sequences still follow on, and a read of the lost entries finds the
                // file too short and raises CorruptionException naming it and the offset.
                Log.SealedIndexDisagrees(logger, indexPath, header.SlotCount, data.Path, $"{problem}: the data ends at {data.Length} before the entries the index lists; reads of them fail");
                segment = Segment.Sealed(context, data.Path, baseSequence, header.SlotCount, impliedEnd, last.Sequence, slotsVerified: true);
                return null;
            }

            if (problem is not null)
            {
                if (index.SlotsMatchChecksum())
                {
                    // An intact sealed index that disagrees with data it does not reach past is
                    // an index from elsewhere; only the data can be trusted, so the index is
                    // rebuilt from it, and the disagreement is reported loudly.
                    Log.SealedIndexDisagrees(logger, indexPath, header.SlotCount, data.Path, problem);
                }

                return problem;
            }

            segment = Segment.Sealed(context, data.Path, baseSequence, header.SlotCount, dataLength, lastSequence, slotsVerified: false);
            return null;
        }
        finally
        {
            index.Dispose();
        }
    }

    /// <summary>The lazy slot verification's repair of a sealed index (<see cref="SealedReopen"/> sets it when it opens the files).</summary>
    public static void RebuildSealed(StoreContext context, Segment segment, IStorageFile data) =>
        new SegmentRecovery(context).RebuildIndex(segment, data, "index slots checksum mismatch", sealing: true);

    /// <summary>
    /// The lazy slot verification's repair: rebuilds the index of a sealed segment, or of the last
    /// one opened by its clean-close record, whose slots failed their checksum. Both were synced
    /// whole, so the whole data file must validate.
    /// </summary>
    private void RebuildIndex(Segment segment, IStorageFile data, string reason, bool sealing)
    {
        Log.IndexRebuilt(logger, segment.IndexPath, reason);
        long capacity = sealing ? data.Length / SegmentFormat.EntryHeaderSize : segment.SlotCapacity;
        (SegmentIndex rebuilt, BatchScanner.Result scanned) = BuildIndex(data, segment.BaseSequence, capacity, sealing);
        segment.ReplaceIndex(rebuilt, scanned.SlotCount, scanned.ValidEnd, scanned.LastSequence);
    }

    /// <summary>Builds a sealed index from scratch (beside the old one, then renamed over it); the whole data file must validate.</summary>
    private (SegmentIndex Index, BatchScanner.Result Scanned) BuildSealedIndex(IStorageFile data, ulong baseSequence) =>
        BuildIndex(data, baseSequence, data.Length / SegmentFormat.EntryHeaderSize, sealing: true);

    /// <summary>Builds a sealed or active index from scratch (beside the old one, then renamed over it); the whole data file must validate.</summary>
    private (SegmentIndex Index, BatchScanner.Result Scanned) BuildIndex(IStorageFile data, ulong baseSequence, long capacity, bool sealing)
    {
        string indexPath = Path.ChangeExtension(data.Path, Segment.IndexExtension);
        string temporary = indexPath + ".tmp";
        SegmentIndex rebuilt = SegmentIndex.Create(fs, temporary, baseSequence, capacity);
        try
        {
            BatchScanner.Result result = BatchScanner.Scan(data, rebuilt, SegmentFormat.HeaderSize, 0, 0);
            if (result.FailedAt >= 0 || result.SlotCount == 0)
            {
                throw new CorruptionException(data.Path, result.ValidEnd, $"{(sealing ? "sealed" : "cleanly closed")} segment fails validation: {result.Problem ?? "no batch"}");
            }

            if (sealing)
            {
                SyncWritable(data.Path);
                rebuilt.Seal(result.SlotCount);
            }
            else
            {
                rebuilt.Activate(result.SlotCount); // the clean close synced the data
            }

            fs.Rename(temporary, indexPath);
            return (rebuilt, result);
        }
        catch
        {
            // Neither the handle and mapping nor the file outlive a failed rebuild (storage review F17).
            rebuilt.Dispose();
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Makes a sealed segment's data durable before an index that lists it is. The segment's own
    /// handle is read-only, and Windows' FlushFileBuffers needs write access (storage review F18),
    /// so the sync goes through a handle opened writable for it; a sync flushes the file, not the
    /// handle, so it covers whatever any handle wrote.
    /// </summary>
    private void SyncWritable(string dataPath)
    {
        using IStorageFile writable = fs.Open(dataPath, FileMode.Open, writable: true);
        writable.SyncData();
    }

    /// <summary>The last segment's index as found, or a fresh one when it is missing or its header is invalid.</summary>
    private SegmentIndex OpenActiveIndex(string indexPath, ulong baseSequence, long capacity)
    {
        SegmentIndex? index = SegmentIndex.TryOpenActive(fs, indexPath, baseSequence, capacity, out bool existed);
        if (index is not null)
        {
            return index;
        }

        if (existed)
        {
            Log.IndexRebuilt(logger, indexPath, "index header invalid");
        }

        return SegmentIndex.Create(fs, indexPath, baseSequence, capacity);
    }

    /// <summary>Deletes a leftover of a failed step, best effort (the step's own error is the one reported; open removes leftovers).</summary>
    private void TryDelete(string path)
    {
        try
        {
            fs.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // the next open removes *.tmp files
        }
    }

    /// <summary>Removes a segment that holds no batch, reporting why.</summary>
    private void RemoveFiles(string dataPath, string reason)
    {
        Log.FileRemoved(logger, dataPath, reason);
        fs.Delete(Path.ChangeExtension(dataPath, Segment.IndexExtension));
        fs.Delete(dataPath);
        removedFiles = true;
    }
}
