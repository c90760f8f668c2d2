using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// Checks a segment's index file against its data while the data is streamed: the header against
/// the file name and the segment's place in the log, then slot i against the i-th entry (its
/// sequence, offset and batch-start flag), read front to back through a <see cref="FileCursor"/>,
/// and at the end the sealed count and slot checksum.
/// </summary>
/// <remarks>
/// Severity follows recovery: every segment before the last must carry an intact sealed index
/// (anything else is damage), while the last segment's index is rebuilt on open, so its header
/// and the slots of its last batch (a kill between writing the batch and its slots, or a live
/// writer in between) are warnings. Slot problems wait in <c>pending</c> until the next batch
/// shows they were not the last batch's.
/// </remarks>
internal sealed class IndexScan : IDisposable
{
    private readonly string path;
    private readonly bool isLast;
    private readonly ProblemList problems;
    private readonly List<CheckProblem> pending = [];
    private readonly FileCursor? cursor;
    private readonly IndexFormat.Header header;
    private IndexState state;
    private uint slotsChecksum = Crc32C.Start();
    private long slotsRead;
    private long written;
    private bool isShort;

    private IndexScan(string path, bool isLast, ProblemList problems, FileCursor? cursor, IndexFormat.Header header, IndexState state)
    {
        this.path = path;
        this.isLast = isLast;
        this.problems = problems;
        this.cursor = cursor;
        this.header = header;
        this.state = state;
    }

    /// <summary>Opens the index of the segment at <paramref name="dataPath"/> and checks its header.</summary>
    public static IndexScan Open(string dataPath, ulong baseSequence, bool isLast, ProblemList problems, int bufferSize)
    {
        string path = Path.ChangeExtension(dataPath, Segment.IndexExtension);
        if (!File.Exists(path))
        {
            Report(problems, isLast, path, 0, "index file missing; recovery builds it from the segment");
            return new IndexScan(path, isLast, problems, null, default, IndexState.Missing);
        }

        FileCursor cursor = FileCursor.Open(path, bufferSize);
        ReadOnlyMemory<byte> bytes = cursor.Peek(IndexFormat.HeaderSize);
        IndexFormat.Header header = default;
        string? problem = null;
        try
        {
            if (!IndexFormat.TryReadHeader(bytes.Span, path, out header))
            {
                problem = bytes.Length < IndexFormat.HeaderSize ? $"index file is {bytes.Length} bytes, shorter than its header" : "index header invalid (magic or checksum)";
            }
        }
        catch (CorruptionException error)
        {
            problems.Error(path, error.Offset, error.Message);
            return new IndexScan(path, isLast, problems, cursor, default, IndexState.Invalid) { isShort = false };
        }

        if (problem is not null)
        {
            Report(problems, isLast, path, 0, problem + "; recovery rebuilds the index from the segment");
            return new IndexScan(path, isLast, problems, cursor, default, IndexState.Invalid) { isShort = bytes.Length < IndexFormat.HeaderSize };
        }

        var scan = new IndexScan(path, isLast, problems, cursor, header, header.State == IndexFormat.StateSealed ? IndexState.Sealed : IndexState.Active);
        if (header.BaseSequence != baseSequence)
        {
            Report(problems, isLast, path, 16, $"index header names base sequence {header.BaseSequence}, the segment is {baseSequence}; recovery rebuilds the index");
            scan.state = IndexState.Invalid;
        }
        else if (!isLast && header.State != IndexFormat.StateSealed)
        {
            problems.Error(path, 12, "the index of a segment before the last is not sealed");
        }

        cursor.Skip(IndexFormat.HeaderSize);
        return scan;
    }

    /// <summary>A new batch starts: the slot problems held back belong to a batch that was not the last.</summary>
    public void BeginBatch()
    {
        foreach (CheckProblem problem in pending)
        {
            problems.Add(problem);
        }

        pending.Clear();
    }

    /// <summary>Checks the next slot against the entry at <paramref name="offset"/> of the segment.</summary>
    public void Expect(ulong sequence, long offset, bool batchStart)
    {
        if (!HasSlots || (state == IndexState.Sealed && slotsRead >= header.SlotCount))
        {
            return;
        }

        long slotOffset = cursor!.Position;
        IndexFormat.Slot? slot = ReadSlot();
        if (slot is null)
        {
            return;
        }

        if (slot.Value.Sequence == 0 && slot.Value.Offset == 0)
        {
            Hold(slotOffset, $"slot {slotsRead - 1} is empty; the segment has sequence {sequence} at offset {offset}");
        }
        else if (slot.Value.Sequence != sequence || slot.Value.Offset != offset || slot.Value.BatchStart != batchStart)
        {
            Hold(slotOffset, $"slot {slotsRead - 1} names sequence {slot.Value.Sequence} at offset {slot.Value.Offset}{(slot.Value.BatchStart ? " (batch start)" : string.Empty)}; the segment has sequence {sequence} at offset {offset}{(batchStart ? " (batch start)" : string.Empty)}");
        }
    }

    /// <summary>Checks what follows the <paramref name="entries"/> slots the data needs, and describes the index.</summary>
    public IndexInfo Finish(long entries)
    {
        foreach (CheckProblem problem in pending)
        {
            problems.Add(problem with { Severity = isLast ? ProblemSeverity.Warning : ProblemSeverity.Error, Message = problem.Message + (isLast ? " (the last batch of the last segment: its slots are written after its data, and recovery rewrites them)" : string.Empty) });
        }

        pending.Clear();
        if (state == IndexState.Sealed)
        {
            FinishSealed(entries);
        }
        else if (state == IndexState.Active && !isShort)
        {
            FinishActive();
        }

        long slotCount = state == IndexState.Sealed ? header.SlotCount : written;
        return new IndexInfo(path, cursor?.Length ?? 0, state, slotCount, isShort);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (cursor is not null)
        {
            cursor.Dispose();
        }
    }

    private bool HasSlots => cursor is not null && state is IndexState.Sealed or IndexState.Active && !isShort;

    private void FinishSealed(long entries)
    {
        if (header.SlotCount != entries)
        {
            Report(problems, isLast, path, 24, $"the sealed index counts {header.SlotCount} slots; the segment holds {entries} entries");
        }

        while (!isShort && slotsRead < header.SlotCount)
        {
            ReadSlot();
        }

        if (!isShort && Crc32C.Finish(slotsChecksum) != header.SlotsChecksum)
        {
            Report(problems, isLast, path, 32, "the slots fail the checksum in the sealed index header");
        }
    }

    /// <summary>Slots past the data up to the first empty one are stale: recovery reads that far and clears them.</summary>
    private void FinishActive()
    {
        while (cursor!.Remaining >= IndexFormat.SlotSize)
        {
            long slotOffset = cursor.Position;
            ReadOnlyMemory<byte> bytes = cursor.Peek(IndexFormat.SlotSize);
            if (IndexFormat.IsEmpty(bytes.Span))
            {
                return;
            }

            problems.Warning(path, slotOffset, $"slot {slotsRead} is written but the segment has no entry for it; recovery clears it");
            cursor.Skip(IndexFormat.SlotSize);
            slotsRead++;
        }
    }

    /// <summary>The next slot: (0, 0) when empty, null when the file ends first (the index is short) or the slot fails its check.</summary>
    private IndexFormat.Slot? ReadSlot()
    {
        long slotOffset = cursor!.Position;
        ReadOnlyMemory<byte> bytes = cursor.Peek(IndexFormat.SlotSize);
        if (bytes.Length < IndexFormat.SlotSize)
        {
            isShort = true;
            Report(problems, isLast, path, cursor.Length, $"index file is {cursor.Length} bytes; slot {slotsRead} would end at {slotOffset + IndexFormat.SlotSize}");
            return null;
        }

        slotsChecksum = Crc32C.Append(slotsChecksum, bytes.Span);
        bool empty = IndexFormat.IsEmpty(bytes.Span);
        bool valid = IndexFormat.TryReadSlot(bytes.Span, out IndexFormat.Slot slot);
        cursor.Skip(IndexFormat.SlotSize);
        slotsRead++;
        if (empty)
        {
            return default(IndexFormat.Slot);
        }

        written++;
        if (!valid)
        {
            Hold(slotOffset, $"slot {slotsRead - 1} fails its check");
            return null;
        }

        return slot;
    }

    /// <summary>A slot problem: an error before the last segment, else held until the next batch says whether it was the last one's.</summary>
    private void Hold(long offset, string message)
    {
        var problem = new CheckProblem(ProblemSeverity.Error, path, offset, message);
        if (isLast)
        {
            pending.Add(problem);
        }
        else
        {
            problems.Add(problem);
        }
    }

    private static void Report(ProblemList problems, bool isLast, string path, long offset, string message)
    {
        if (isLast)
        {
            problems.Warning(path, offset, message);
        }
        else
        {
            problems.Error(path, offset, message);
        }
    }
}
