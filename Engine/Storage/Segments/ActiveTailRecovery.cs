using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Segments;

/// <summary>
/// Recovery of the last (active) segment's end: the one place a crash or power loss can leave a
/// torn batch, a zero-filled hole under a written index page, or slots ahead of the data
/// (FORMAT.md, "Recovery on open", the last segment). <see cref="SegmentRecovery"/> calls it once
/// the segment's header and index are open.
/// </summary>
internal static class ActiveTailRecovery
{
    // Deliberately left to the tiered JIT: its slot loop runs ~500,000 times in one call, and
    // on-stack replacement compiles it with profile data, which inlines the slot checks. Marked
    // AggressiveOptimization it compiled them as calls, and a second open took 9.6 ms, not 1.9 ms (W4).
    /// <summary>
    /// Finds the trusted prefix of the active index (slots that pass their checks and increase,
    /// and whose data the header records as synced), steps back to the start of its last batch,
    /// and validates every batch from there to the end of the file, rewriting their slots.
    /// Whatever fails validation at the end is a torn write and is truncated; slots past the new
    /// end are cleared. Returns what the data holds now, and in <paramref name="synced"/> how many
    /// of its slots are known to be on disk.
    /// </summary>
    public static BatchScanner.Result Recover(IStorageFile data, SegmentIndex index, ILogger logger, out long synced)
    {
        // Slots past the synced count are not trusted, however plausible: after a power loss
        // their index page can be on disk while the data under them was lost (a zero-filled
        // hole), so their data is validated. That costs a read of what was written since the
        // last sync; an index from before this rule (count 0 while active) is validated whole.
        long syncedSlots = index.Header.SlotCount;
        long capacity = index.SlotCapacity;
        long dataLength = data.Length;
        long trusted = 0;
        ulong previous = 0;
        long previousOffset = 0;
        while (trusted < capacity
            && index.TryGetSlot(trusted, out IndexFormat.Slot slot)
            && IndexFormat.ExtendsTrustedPrefix(slot, trusted, previous, previousOffset, dataLength))
        {
            previous = slot.Sequence;
            previousOffset = slot.Offset;
            trusted++;
        }

        long written = trusted;
        trusted = Math.Min(trusted, syncedSlots);

        while (written < capacity && !index.IsSlotEmpty(written))
        {
            written++; // damaged or stale slots past the trusted prefix, cleared below
        }

        BatchScanner.Result result;
        long start = trusted;
        while (true)
        {
            start = PreviousBatchStart(index, start);
            long offset = start == 0 ? SegmentFormat.HeaderSize : index.GetSlot(start).Offset - SegmentFormat.BatchHeaderSize;
            ulong before = start == 0 ? 0 : index.GetSlot(start - 1).Sequence;
            result = BatchScanner.Scan(data, index, offset, start, before);
            if (start == 0 || result.SlotCount > start)
            {
                break; // the batch at the trusted point validated (or there is nothing before it)
            }
        }

        if (result.FailedAt >= 0)
        {
            long durableAfter = BatchScanner.FindDurableBatchAfter(data, result.FailedAt, result.LastSequence);
            if (durableAfter >= 0)
            {
                throw new CorruptionException(data.Path, result.FailedAt, $"{result.Problem}; a complete durable batch follows at offset {durableAfter}, so this is damage, not a torn write");
            }

            Log.TailTruncated(logger, data.Path, result.ValidEnd, dataLength - result.ValidEnd, result.Problem!);
            data.SetLength(result.ValidEnd);
            data.SyncData();
            syncedSlots = result.SlotCount; // the sync covered everything the file still holds
        }

        synced = Math.Min(syncedSlots, result.SlotCount);
        index.ClearSlots(result.SlotCount, Math.Max(written, result.SlotCount));
        return result;
    }

    /// <summary>The batch-start slot at or before <paramref name="slot"/> - 1 (0 when none).</summary>
    private static long PreviousBatchStart(SegmentIndex index, long slot)
    {
        long i = slot - 1;
        while (i > 0 && !index.GetSlot(i).BatchStart)
        {
            i--;
        }

        return Math.Max(i, 0);
    }
}
