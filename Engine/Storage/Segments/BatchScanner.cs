using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Validates batch records in a segment's data file, front to back, and writes their index
/// slots. Used by recovery (the tail a crash can have torn) and by index rebuilds.
/// </summary>
internal static class BatchScanner
{
    /// <summary>The outcome of a scan.</summary>
    /// <param name="SlotCount">Slots in use after the scan.</param>
    /// <param name="ValidEnd">The end offset of the last valid batch (or the start offset when none was valid).</param>
    /// <param name="LastSequence">The last valid entry's sequence (or the previous one passed in).</param>
    /// <param name="FailedAt">Where validation stopped before the end of the file, or -1 when it reached the end.</param>
    /// <param name="Problem">Why validation stopped, when it did.</param>
    public readonly record struct Result(long SlotCount, long ValidEnd, ulong LastSequence, long FailedAt, string? Problem);

    /// <summary>
    /// Scans batches of <paramref name="data"/> from <paramref name="offset"/> (writing their slots
    /// into <paramref name="index"/> from <paramref name="slot"/>) until the end of the file or the
    /// first batch that fails validation.
    /// </summary>
    public static Result Scan(IStorageFile data, SegmentIndex index, long offset, long slot, ulong previousSequence)
    {
        long fileLength = data.Length;
        while (offset < fileLength)
        {
            string? problem = TryScanBatch(data, index, offset, fileLength, slot, previousSequence, out SegmentFormat.BatchHeader header);
            if (problem is not null)
            {
                return new Result(slot, offset, previousSequence, offset, problem);
            }

            offset += header.Length;
            slot += header.Count;
            previousSequence = header.LastSequence;
        }

        return new Result(slot, offset, previousSequence, -1, null);
    }

    /// <summary>
    /// Looks for a complete, valid batch written durably (with SyncWrites) after the batch that
    /// failed at <paramref name="failedAt"/>, whose sequences follow
    /// <paramref name="previousSequence"/> (the last valid entry before it). Such a batch proves
    /// that the failed batch before it had been synced whole, so its failure is damage, not a torn
    /// write. The search starts past the failed batch's declared extent when its header is intact
    /// (a torn batch's own payload may carry batch records, and proves nothing), else at the next
    /// byte. Returns its offset, or -1.
    /// </summary>
    public static long FindDurableBatchAfter(IStorageFile data, long failedAt, ulong previousSequence)
    {
        long fileLength = data.Length;
        using SpanOwner<byte> chunk = SpanOwner<byte>.Allocate(1024 * 1024);
        ReadOnlySpan<byte> magic = [(byte)'Q', (byte)'S', (byte)'B', (byte)'1'];
        Span<byte> failedHeader = stackalloc byte[SegmentFormat.BatchHeaderSize];
        SegmentFormat.BatchHeader failed = default;
        bool headerIntact = data.Read(failedHeader, failedAt) == SegmentFormat.BatchHeaderSize
            && SegmentFormat.TryReadBatchHeader(failedHeader, out failed);
        long from = headerIntact ? failedAt + failed.Length : failedAt + 1;

        // Chunks overlap by the magic's length so a magic across a chunk boundary is found.
        for (long start = from; start < fileLength; start += chunk.Length - magic.Length)
        {
            int read = data.Read(chunk.Span, start);
            Span<byte> bytes = chunk.Span[..read];
            for (int found = bytes.IndexOf(magic); found >= 0; found = NextIndexOf(bytes, magic, found))
            {
                long candidate = start + found;
                if (TryScanBatch(data, null, candidate, fileLength, 0, previousSequence, out SegmentFormat.BatchHeader header) is null && header.IsDurable)
                {
                    return candidate;
                }
            }

            if (read < chunk.Length)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>The next occurrence of <paramref name="value"/> after index <paramref name="previous"/>, or -1.</summary>
    private static int NextIndexOf(Span<byte> data, ReadOnlySpan<byte> value, int previous)
    {
        int next = data[(previous + 1)..].IndexOf(value);
        return next < 0 ? -1 : previous + 1 + next;
    }

    /// <summary>
    /// Validates the batch at <paramref name="offset"/>, writing its slots into
    /// <paramref name="index"/> from <paramref name="slot"/> unless that is null (a search that
    /// only looks). Null when valid, else why not.
    /// </summary>
    private static string? TryScanBatch(IStorageFile data, SegmentIndex? index, long offset, long fileLength, long slot, ulong previousSequence, out SegmentFormat.BatchHeader header)
    {
        header = default;
        if (fileLength - offset < SegmentFormat.BatchHeaderSize)
        {
            return "incomplete batch header";
        }

        Span<byte> headerBytes = stackalloc byte[SegmentFormat.BatchHeaderSize];
        int read = data.Read(headerBytes, offset);
        if (read < SegmentFormat.BatchHeaderSize || !SegmentFormat.TryReadBatchHeader(headerBytes, out header))
        {
            return "invalid batch header";
        }

        string? misplaced = BatchRules.CheckPlacement(header, fileLength - offset, previousSequence);
        if (misplaced is not null)
        {
            return misplaced;
        }

        if (index is not null && slot + header.Count > index.SlotCapacity)
        {
            return "batch has more entries than the index can hold";
        }

        using SpanOwner<byte> buffer = SpanOwner<byte>.Allocate((int)header.Length);
        Span<byte> record = buffer.Span;
        if (data.Read(record, offset) < record.Length)
        {
            return "incomplete batch record";
        }

        // Before the first slot store: a full disk must fail the scan, not fault the mapping (F1).
        index?.ReserveSlots(slot, slot + header.Count);
        var rules = new BatchRules(header, previousSequence);
        for (uint i = 0; i < header.Count; i++)
        {
            string? problem = rules.CheckEntryHeaderRoom();
            int position = (int)rules.Position;
            SegmentFormat.EntryHeader entry = problem is null ? SegmentFormat.ReadEntryHeader(record[position..]) : default;
            problem ??= rules.CheckEntryHeader(entry);
            problem ??= rules.CheckEntry(entry, SegmentFormat.EntryChecksum(entry.Sequence, record.Slice(position + SegmentFormat.EntryHeaderSize, entry.PayloadLength)));
            if (problem is not null)
            {
                return problem;
            }

            if (index is not null)
            {
                index.SetSlot(slot + i, new IndexFormat.Slot(entry.Sequence, offset + position, i == 0));
            }
        }

        return rules.Finish();
    }
}
