using Quasar.Storage.Files;
using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// Streams one segment file through a <see cref="FileCursor"/>, batch by batch and entry by entry,
/// judging every record with the engine's own rules (<see cref="SegmentFormat"/>,
/// <see cref="BatchRules"/>) and every slot of its index beside it (<see cref="IndexScan"/>).
/// Payloads are checksummed piece by piece as they pass, so memory stays constant whatever the
/// size of the file; only entries a caller asks for are copied out.
/// </summary>
/// <remarks>
/// What a failure means follows recovery (FORMAT.md, "Recovery on open"): in the last segment an
/// invalid batch that recovery validates (from the last batch of the index's synced prefix on)
/// with no complete durable batch after it is a torn write that recovery truncates (a warning);
/// anywhere else it is damage (an error). Scanning a file stops at its first invalid
/// batch: past it, record boundaries are unknown.
/// </remarks>
internal sealed class SegmentScan : IDisposable
{
    private readonly string dataPath;
    private readonly ulong baseSequence;
    private readonly bool isLast;
    private readonly ProblemList problems;
    private readonly FileCursor data;
    private readonly IndexScan index;
    private ulong previous;
    private ulong first;
    private long batches;
    private long entries;
    private bool stopped;
    private long failedAt;
    private readonly List<Entry> batchEntries = [];

    private SegmentScan(string dataPath, ulong baseSequence, bool isLast, ProblemList problems, FileCursor data, IndexScan index, ulong previous)
    {
        this.dataPath = dataPath;
        this.baseSequence = baseSequence;
        this.isLast = isLast;
        this.problems = problems;
        this.data = data;
        this.index = index;
        this.previous = previous;
    }

    /// <summary>Whether the scan reached the end of the data or its first invalid batch.</summary>
    public bool IsDone => stopped || data.Remaining == 0;

    /// <summary>The last valid entry's sequence so far (the previous segment's last before any).</summary>
    public ulong LastSequence => previous;

    /// <summary>
    /// Opens the segment at <paramref name="dataPath"/> (the base sequence its name gives) and its
    /// index, and checks the segment header against the name and <paramref name="previousSequence"/>,
    /// the last sequence of the segments before it.
    /// </summary>
    public static SegmentScan Open(string dataPath, ulong baseSequence, bool isLast, ulong previousSequence, ProblemList problems, int bufferSize)
    {
        FileCursor data = FileCursor.Open(dataPath, bufferSize);
        IndexScan? index = null;
        try
        {
            index = IndexScan.Open(dataPath, baseSequence, isLast, problems, bufferSize);
            var scan = new SegmentScan(dataPath, baseSequence, isLast, problems, data, index, previousSequence);
            scan.CheckHeader();
            return scan;
        }
        catch
        {
            if (index is not null)
            {
                index.Dispose();
            }

            data.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the next batch record; entries for which <paramref name="wanted"/> is true are copied
    /// into <paramref name="into"/>. Returns the bytes the batch covers (0 when the scan stopped).
    /// </summary>
    public long NextBatch(Func<ulong, bool>? wanted, List<Entry>? into)
    {
        long offset = data.Position;
        if (IsDone)
        {
            return 0;
        }

        if (data.Remaining < SegmentFormat.BatchHeaderSize)
        {
            return Fail(offset, offset, "incomplete batch header");
        }

        ReadOnlyMemory<byte> headerBytes = data.Peek(SegmentFormat.BatchHeaderSize);
        if (!SegmentFormat.TryReadBatchHeader(headerBytes.Span, out SegmentFormat.BatchHeader header))
        {
            return Fail(offset, offset, "invalid batch header");
        }

        string? problem = BatchRules.CheckPlacement(header, data.Remaining, previous);
        if (problem is not null)
        {
            return Fail(offset, offset, problem);
        }

        if (batches == 0 && header.FirstSequence != baseSequence)
        {
            problems.Error(dataPath, offset + 16, $"the first batch starts at sequence {header.FirstSequence}, but the segment's base sequence is {baseSequence}");
        }

        index.BeginBatch();
        data.Skip(SegmentFormat.BatchHeaderSize);
        var rules = new BatchRules(header, previous);
        batchEntries.Clear();
        for (uint i = 0; i < header.Count; i++)
        {
            long entryOffset = data.Position;
            problem = rules.CheckEntryHeaderRoom();
            if (problem is null)
            {
                (problem, SegmentFormat.EntryHeader entry, uint checksum) = ReadEntry(i, rules, wanted is not null && into is not null ? wanted : null);
                problem ??= rules.CheckEntry(entry, checksum);
                if (problem is null)
                {
                    index.Expect(entry.Sequence, entryOffset, i == 0);
                }
            }

            if (problem is not null)
            {
                return Fail(offset, entryOffset, problem);
            }
        }

        problem = rules.Finish();
        if (problem is not null)
        {
            return Fail(offset, offset, problem);
        }

        into?.AddRange(batchEntries);
        first = batches == 0 ? header.FirstSequence : first;
        previous = header.LastSequence;
        batches++;
        entries += header.Count;
        return header.Length;
    }

    /// <summary>Finishes the index check and describes the segment.</summary>
    public SegmentInfo Finish()
    {
        IndexInfo indexInfo = index.Finish(entries);
        if (isLast && batches == 0 && data.Length >= SegmentFormat.HeaderSize)
        {
            problems.Warning(dataPath, SegmentFormat.HeaderSize, "the last segment holds no complete batch; recovery removes it");
        }

        return new SegmentInfo(dataPath, baseSequence, data.Length, batches, entries, first, batches == 0 ? 0 : previous, stopped ? failedAt : data.Position, indexInfo);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        index.Dispose();
        data.Dispose();
    }

    /// <summary>
    /// Reads the entry header at the cursor and streams its payload through the checksum, copying
    /// it into <c>batchEntries</c> when <paramref name="wanted"/> asks for it (handed out only once
    /// the whole batch is valid). Returns why the entry cannot be read, or its header and the
    /// checksum computed over it for the rules to judge.
    /// </summary>
    private (string? Problem, SegmentFormat.EntryHeader Entry, uint Checksum) ReadEntry(uint i, BatchRules rules, Func<ulong, bool>? wanted)
    {
        ReadOnlyMemory<byte> headerBytes = data.Peek(SegmentFormat.EntryHeaderSize);
        SegmentFormat.EntryHeader entry = SegmentFormat.ReadEntryHeader(headerBytes.Span);
        string? problem = rules.CheckEntryHeader(entry);
        if (problem is not null)
        {
            return (problem, entry, 0);
        }

        data.Skip(SegmentFormat.EntryHeaderSize);
        uint state = SegmentFormat.EntryChecksumStart(entry.Sequence, entry.PayloadLength);
        if (wanted is not null && wanted(entry.Sequence))
        {
            byte[] payload = GC.AllocateUninitializedArray<byte>(entry.PayloadLength);
            if (!data.Read(payload))
            {
                return (CutOff(i), entry, 0);
            }

            batchEntries.Add(new Entry(entry.Sequence, payload));
            return (null, entry, Crc32C.Finish(Crc32C.Append(state, payload)));
        }

        uint? streamed = data.Checksum(entry.PayloadLength, state);
        return streamed is null ? (CutOff(i), entry, 0) : (null, entry, Crc32C.Finish(streamed.Value));
    }

    /// <summary>Why an entry whose bytes end with the file fails (the file shrank under a live writer, or lost its end).</summary>
    private static string CutOff(uint i) => $"entry {i} of the batch is cut off";

    private void CheckHeader()
    {
        if (data.Length < SegmentFormat.HeaderSize)
        {
            string message = $"segment file is {data.Length} bytes, shorter than its header";
            if (isLast)
            {
                problems.Warning(dataPath, 0, message + " (a crash while it was created); recovery removes it");
            }
            else
            {
                problems.Error(dataPath, 0, message);
            }

            stopped = true;
            return;
        }

        ReadOnlyMemory<byte> header = data.Peek(SegmentFormat.HeaderSize);
        try
        {
            ulong found = SegmentFormat.ReadHeader(header.Span, dataPath);
            if (found != baseSequence)
            {
                problems.Error(dataPath, 16, $"header names base sequence {found} but the file name says {baseSequence}");
            }
            else if (baseSequence <= previous)
            {
                problems.Error(dataPath, 16, $"segment starts at sequence {baseSequence}, not after the previous segment's last sequence {previous}");
            }
        }
        catch (CorruptionException error)
        {
            problems.Error(dataPath, error.Offset, error.Message);
            stopped = true;
            return;
        }

        data.Skip(SegmentFormat.HeaderSize);
    }

    /// <summary>
    /// Stops at the batch at <paramref name="batchOffset"/>, which failed at
    /// <paramref name="at"/>: a torn write in the last segment when no complete durable batch
    /// follows it (what recovery truncates), damage otherwise.
    /// </summary>
    private long Fail(long batchOffset, long at, string problem)
    {
        stopped = true;
        failedAt = batchOffset;
        string where = at == batchOffset ? $"batch at offset {batchOffset}" : $"entry at offset {at} of the batch at offset {batchOffset}";
        if (!isLast)
        {
            problems.Error(dataPath, at, $"{problem} ({where})");
            return 0;
        }

        if (batchOffset < TrustedIndexPrefix.ValidationStart(Path.ChangeExtension(dataPath, Segment.IndexExtension), baseSequence, data.Length))
        {
            // Recovery trusts the synced batches its index records and starts validating after
            // this one: the data was synced, so the failure is damage, and a read of it throws.
            problems.Error(dataPath, at, $"{problem} ({where}); the index records later batches as synced, so this is damage, not a torn write");
            return 0;
        }

        using IStorageFile file = PhysicalFileSystem.Instance.Open(dataPath, FileMode.Open, writable: false);
        long durable = BatchScanner.FindDurableBatchAfter(file, batchOffset, previous);
        if (durable >= 0)
        {
            problems.Error(dataPath, at, $"{problem} ({where}); a complete durable batch follows at offset {durable}, so this is damage, not a torn write");
        }
        else
        {
            problems.Warning(dataPath, batchOffset, $"torn write: {problem} ({where}); recovery truncates the file to {batchOffset} bytes, dropping {data.Length - batchOffset}");
        }

        return 0;
    }
}
