namespace Quasar.Storage.Segments;

/// <summary>
/// How many bytes a ledger's live entries take, for the cleaner's MaxBytes: the entries' records in
/// the segment files (payload plus per-entry framing; a batch's header counts with the entry before
/// it), measured from the index's offsets, so no data is read. Works on one snapshot of the segment
/// set; the caller excludes appends and deletes meanwhile.
/// </summary>
internal static class SegmentBytes
{
    /// <summary>
    /// The newest live entry to delete so that the live entries after it take at most
    /// <paramref name="maxBytes"/>; false when they fit already. Whole segments are summed newest
    /// first; within the segment where the limit falls, the cut is found by binary search.
    /// </summary>
    public static bool TryGetLastToDrop(SegmentSet snapshot, long maxBytes, out ulong sequence)
    {
        sequence = 0;
        long kept = 0; // bytes of the live entries in the segments after the current one
        for (int i = snapshot.Count - 1; i >= 0; i--)
        {
            Segment segment = snapshot[i];
            long first = Math.Max(0, snapshot.FirstLiveSlot(i));
            if (first >= segment.Count)
            {
                continue;
            }

            // A wholly live segment that fits is measured without its index (every segment's
            // first entry is at the same offset), so a pass over many sealed segments opens none.
            if (first == 0 && kept + segment.DataLength - Segment.FirstEntryOffset <= maxBytes)
            {
                kept += segment.DataLength - Segment.FirstEntryOffset;
                continue;
            }

            SegmentFiles files = segment.AcquireFiles();
            try
            {
                if (TryCut(segment, first, maxBytes, ref kept, out sequence))
                {
                    return true;
                }
            }
            finally
            {
                segment.ReleaseFiles(files);
            }
        }

        return false;
    }

    /// <summary>Within one segment (its files leased): adds its live bytes to <paramref name="kept"/> when they fit, else finds the cut.</summary>
    private static bool TryCut(Segment segment, long first, long maxBytes, ref long kept, out ulong sequence)
    {
        sequence = 0;
        segment.SequenceAt(first); // verifies the index before its offsets are used
        long live = BytesFrom(segment, first);
        if (kept + live <= maxBytes)
        {
            kept += live;
            return false;
        }

        // The first slot from which the rest fits (Count: none of this segment does).
        long low = first + 1;
        long high = segment.Count;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (kept + BytesFrom(segment, middle) <= maxBytes)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        sequence = segment.SequenceAt(low - 1);
        return true;
    }

    /// <summary>The data bytes from slot <paramref name="slot"/>'s record to the segment's end (0 at Count).</summary>
    private static long BytesFrom(Segment segment, long slot) => segment.DataLength - segment.EndOffset(slot);
}
